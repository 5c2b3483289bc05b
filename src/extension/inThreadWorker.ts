/**
 * The in-process fallback without a second copy of the analysis in the extension's bundle: the worker
 * bundle's own `workerSide` (workerCore.ts), loaded on the caller's thread (Node: `require` of
 * dist/analysisWorker.js; the browser: dist/web/analysisWorker.js evaluated, runners.web.ts) and driven through
 * an in-memory port, so that a WorkerRunner runs it as it runs a real worker (queue, supersession, file reads,
 * rule errors). Host-neutral: no `vscode`, no Node module.
 */
import type { HostMessage, WorkerReply } from './analysisRunner';
import type { Post } from './workerCore';
import type { WorkerLike } from './workerRunner';

/** What a worker bundle exports for the in-process use: `workerSide` (workerCore.ts) with its grammars set up. */
export type Connect = (post: Post) => (msg: HostMessage) => void;

/**
 * A WorkerLike on the caller's thread: `load` gives the bundle's `Connect` (once, on the first spawn); messages
 * both ways are delivered in a later microtask, as a port would, never from inside the sender's call.
 */
export function inThreadWorker(load: () => Promise<Connect>): WorkerLike {
  let onReply: ((reply: WorkerReply) => void) | undefined;
  let onGone: ((reason: string) => void) | undefined;
  let handle: ((msg: HostMessage) => void) | undefined;
  let dead = false;
  const waiting: HostMessage[] = [];
  const gone = (reason: string) => {
    if (dead) return;
    dead = true;
    onGone?.(reason);
  };
  const deliver = (msg: HostMessage) => {
    try {
      handle!(msg);
    } catch (e) {
      gone(`error: ${(e as Error)?.stack ?? String(e)}`);
    }
  };
  load().then((connect) => {
    if (dead) return;
    handle = connect((reply) => queueMicrotask(() => {
      if (!dead) onReply?.(reply);
    }));
    for (const msg of waiting.splice(0)) deliver(msg);
  }, (e: unknown) => gone(`the analysis bundle could not be loaded: ${(e as Error)?.message ?? String(e)}`));
  return {
    postMessage: (msg) => queueMicrotask(() => {
      if (dead) return;
      if (handle) deliver(msg);
      else waiting.push(msg);
    }),
    onMessage: (listener) => void (onReply = listener),
    onExit: (listener) => void (onGone = listener),
    terminate: () => void (dead = true),
  };
}

/** Loads once: the same promise for every caller (a failed load is tried again by the next caller). */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
    return loading;
  };
}
