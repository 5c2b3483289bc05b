/** The desktop's worker: a Node worker thread running dist/analysisWorker.js (or out/…/analysisWorker.node.js in tests). */
import { Worker } from 'worker_threads';
import type { WorkerLike } from './workerRunner';

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
