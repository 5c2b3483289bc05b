/**
 * dist/web/analysisWorker.js (an IIFE defining `lrLensAnalysis`, esbuild.mjs): the analysis for VS Code for the
 * Web. In a Web Worker of its own (webWorker.ts appends `lrLensAnalysis.startWorker()` to its blob) it answers
 * the host's messages (workerCore.ts) and asks the host for the grammars (a worker cannot use
 * `vscode.workspace.fs`); evaluated on the host's thread it is the in-process fallback (`connectWith`). Nothing
 * runs when the script is merely evaluated.
 */
import { setGrammarLoader, type GrammarLoader } from '../frontends/parser';
import type { HostMessage } from './analysisRunner';
import type { Connect } from './inThreadWorker';
import { isGrammarMessage, type GrammarAnswer, type GrammarRequest } from './webWorkerMessages';
import { workerSide } from './workerCore';

export function connectWith(grammars: GrammarLoader): Connect {
  return (post) => {
    setGrammarLoader(grammars);
    return workerSide(post);
  };
}

/** The worker's global scope, as much of it as we use (no DOM or webworker types in this project's lib). */
interface WorkerScope {
  postMessage(msg: unknown, transfer?: unknown[]): void;
  onmessage: ((e: { data: unknown }) => void) | null;
}

export function startWorker(scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  const asked = new Map<number, { resolve(bytes: Uint8Array): void; reject(e: Error): void }>();
  let nextRequest = 1;
  const grammars: GrammarLoader = (file) => new Promise((resolve, reject) => {
    const request = nextRequest++;
    asked.set(request, { resolve, reject });
    scope.postMessage({ type: 'grammar', request, file } satisfies GrammarRequest);
  });
  const handle = connectWith(grammars)((reply, transfer) => scope.postMessage(reply, transfer ?? []));
  scope.onmessage = (e) => {
    const msg = e.data;
    if (isGrammarMessage(msg)) {
      const { request, bytes, error } = msg as GrammarAnswer;
      const waiter = asked.get(request);
      asked.delete(request);
      if (bytes) waiter?.resolve(bytes);
      else waiter?.reject(new Error(`grammar not read by the host: ${error ?? 'no bytes'}`));
    } else {
      handle(msg as HostMessage);
    }
  };
}
