/**
 * VS Code for the Web: the analysis in a Web Worker of its own, started from the extension's web-worker host
 * (a nested worker), so that no edit blocks that host. Host-neutral: no `vscode` (runners.web.ts wires it), no
 * Node module, no DOM types (the browser's Worker/Blob/URL are reached through `globalThis`).
 *
 * The worker's script is dist/web/analysisWorker.js (analysisWorker.web.ts; an IIFE defining `lrLensAnalysis`),
 * read as text by the host (`vscode.workspace.fs`) and started from a `blob:` URL: code-server's worker host
 * refuses `new Worker` on a `vscode-remote:` URI ("Creating workers from remote extensions is currently not
 * supported"), and a blob works wherever the host can read its own files. The worker reads nothing itself: it
 * asks the host for the grammars (`grammar` messages, answered from `vscode.workspace.fs`) besides the
 * repository's files (workerCore.ts's `readFile`). Without `Worker`, or when workers keep failing, the same script
 * is evaluated on the host's thread and driven through an in-memory port (inThreadWorker.ts).
 */
import type { GrammarLoader } from '../frontends/parser';
import type { AnalysisRunner, HostMessage, WorkerReply } from './analysisRunner';
import { inThreadWorker, once, type Connect } from './inThreadWorker';
import { NoRunner } from './noRunner';
import { isGrammarMessage, type GrammarAnswer, type GrammarRequest } from './webWorkerMessages';
import { WorkerRunner, type RunnerLog, type WorkerLike } from './workerRunner';

/** The global the worker bundle defines (esbuild.mjs `globalName`). */
export const BUNDLE_GLOBAL = 'lrLensAnalysis';

/** What dist/web/analysisWorker.js exports. */
export interface WebAnalysisBundle {
  /** In-process use: workerSide with the grammars read by `grammars`. */
  connectWith(grammars: GrammarLoader): Connect;
  /** In a Web Worker: answers the host's messages on `self`, asking it for the grammars. */
  startWorker(): void;
}

/** The bundle's exports, evaluated on this thread (what VS Code does with an extension: `new Function`). */
export function evaluateBundle(source: string): WebAnalysisBundle {
  const bundle = new Function(`${source}\n;return ${BUNDLE_GLOBAL};`)() as WebAnalysisBundle | undefined;
  if (!bundle || typeof bundle.connectWith !== 'function') throw new Error(`the analysis bundle defines no ${BUNDLE_GLOBAL}.connectWith`);
  return bundle;
}

/** The browser's Worker, as much of it as we use. */
interface BrowserWorker {
  postMessage(msg: unknown, transfer?: unknown[]): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string; filename?: string; lineno?: number; preventDefault?(): void }) => void) | null;
  onmessageerror: ((e: unknown) => void) | null;
  terminate(): void;
}
export type WorkerConstructor = new (url: string, options?: { name?: string }) => BrowserWorker;

interface BrowserGlobals {
  Worker?: WorkerConstructor;
  Blob?: new (parts: string[], options?: { type?: string }) => unknown;
  URL?: { createObjectURL?(blob: unknown): string };
}

/** The global Worker constructor, when this host has one (and Blob URLs to start it from). */
export function browserWorker(): WorkerConstructor | undefined {
  const g = globalThis as unknown as BrowserGlobals;
  return typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function' ? g.Worker : undefined;
}

/** A `blob:` URL of the bundle followed by the call that starts its worker side. */
function blobUrl(source: string): string {
  const g = globalThis as unknown as Required<BrowserGlobals>;
  return g.URL.createObjectURL!(new g.Blob([source, `\n;${BUNDLE_GLOBAL}.startWorker();\n`], { type: 'text/javascript' }));
}

/**
 * A WorkerLike over a Web Worker started from `url()` (resolved on the first spawn): grammar requests are
 * answered here from `grammars`; every other message goes to the runner.
 */
export function webWorker(Worker: WorkerConstructor, url: () => Promise<string>, grammars: GrammarLoader): WorkerLike {
  let worker: BrowserWorker | undefined;
  let dead = false;
  let onReply: ((reply: WorkerReply) => void) | undefined;
  let onGone: ((reason: string) => void) | undefined;
  const waiting: HostMessage[] = [];
  const gone = (reason: string) => {
    if (dead) return;
    dead = true;
    worker?.terminate();
    onGone?.(reason);
  };
  const answerGrammar = (w: BrowserWorker, { request, file }: GrammarRequest) => {
    grammars(file).then(
      (bytes) => w.postMessage({ type: 'grammar', request, bytes } satisfies GrammarAnswer),
      (e: unknown) => w.postMessage({ type: 'grammar', request, error: (e as Error)?.message ?? String(e) } satisfies GrammarAnswer),
    );
  };
  url().then((u) => {
    if (dead) return;
    const w = new Worker(u, { name: 'LR Lens analysis' });
    worker = w;
    w.onmessage = (e) => {
      if (dead) return;
      if (isGrammarMessage(e.data)) answerGrammar(w, e.data as GrammarRequest);
      else onReply?.(e.data as WorkerReply);
    };
    w.onerror = (e) => {
      e.preventDefault?.();
      gone(`error: ${e.message ?? 'the worker failed'}${e.filename ? ` (${e.filename}:${e.lineno ?? '?'})` : ''}`);
    };
    w.onmessageerror = () => gone('message error: a message could not be read');
    for (const msg of waiting.splice(0)) w.postMessage(msg);
  }).catch((e: unknown) => gone(`the worker could not start: ${(e as Error)?.message ?? String(e)}`));
  return {
    postMessage: (msg) => {
      if (dead) return;
      if (worker) worker.postMessage(msg);
      else waiting.push(msg);
    },
    onMessage: (listener) => void (onReply = listener),
    onExit: (listener) => void (onGone = listener),
    terminate: () => {
      dead = true;
      worker?.terminate();
    },
  };
}

export interface WebRunnerOptions {
  /** The text of dist/web/analysisWorker.js. */
  source: () => Promise<string>;
  grammars: GrammarLoader;
  log: RunnerLog;
  /** The Worker constructor; undefined: this host has none (then the analysis runs in-process). */
  Worker: WorkerConstructor | undefined;
}

/**
 * The browser's runner: a Web Worker, falling back to the host's thread when there is no `Worker` or workers
 * keep failing (both said in the log). The worker kind is 'web worker', the fallback's 'in-process'.
 */
export function createWebRunner({ source, grammars, log, Worker }: WebRunnerOptions): AnalysisRunner {
  const text = once(source);
  const inProcess = new WorkerRunner(
    () => inThreadWorker(once(async () => evaluateBundle(await text()).connectWith(grammars))),
    new NoRunner('the analysis bundle could not be loaded in-process'), log, undefined, 'in-process');
  if (!Worker) {
    log.info('this extension host has no Web Worker: the analysis runs on its own thread (in-process)');
    return inProcess;
  }
  const url = once(async () => blobUrl(await text()));
  return new WorkerRunner(() => webWorker(Worker, url, grammars), inProcess, log, undefined, 'web worker');
}
