/**
 * The desktop's workers: Node worker threads running dist/analysisWorker.js (or out/…/analysisWorker.node.js in
 * tests), and, when they keep dying, the same script required on this thread as the in-process fallback.
 */
import { Worker } from 'worker_threads';
import { inThreadWorker, once, type Connect } from './inThreadWorker';
import { NoRunner } from './noRunner';
import { WorkerRunner, type RunnerLog, type WorkerLike } from './workerRunner';

export function nodeWorker(script: string): WorkerLike {
  const worker = new Worker(script);
  return {
    postMessage: (msg) => worker.postMessage(msg),
    onMessage: (listener) => void worker.on('message', listener),
    onExit: (listener) => {
      worker.on('error', (e: Error) => listener(`error: ${e?.stack ?? e?.message ?? String(e)}`));
      worker.on('messageerror', (e: Error) => listener(`message error: ${e?.message ?? String(e)}`));
      worker.on('exit', (code: number) => listener(`exit code ${code}`));
    },
    terminate: () => void worker.terminate(),
  };
}

/**
 * Worker threads of `script` ('worker thread'); after WorkerRunner.MAX_CRASHES deaths in a row, the script's own
 * `connect` (analysisWorker.node.ts) on this thread ('in-process'), so the extension's bundle needs no analysis.
 */
export function nodeRunner(script: string, log: RunnerLog): WorkerRunner {
  const load = once(async () => (requireAtRunTime(script) as { connect: Connect }).connect);
  const inProcess = new WorkerRunner(() => inThreadWorker(load), new NoRunner(`${script} could not be loaded in-process`), log, undefined, 'in-process');
  return new WorkerRunner(() => nodeWorker(script), inProcess, log, undefined, 'worker thread');
}

/** Node's own require of a file the bundle does not contain (esbuild keeps a require of a non-literal as it is). */
function requireAtRunTime(file: string): unknown {
  // The fallback's one run-time load, by design: a bundle file (analysisWorker.node.ts, an entry point of
  // esbuild.mjs whose imports the layer rules check as static imports), not a module of this bundle.
  // eslint-disable-next-line no-restricted-syntax
  return require(file);
}
