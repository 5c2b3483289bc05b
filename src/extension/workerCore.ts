/**
 * The worker's side of a WorkerRunner, host-neutral: answers each job message with rule-error notes and one
 * result (or error). The repository's other files are asked of the host (`readFile` requests, answered by
 * `file` messages) and kept in the worker's WorkspaceCache until the host says they changed (`invalidate`).
 * The curves' buffers are listed for transfer (moved, not copied). Entry points: analysisWorker.node.ts (Node
 * worker_threads); a Web Worker entry would call the same function.
 */
import { analyze } from '../analysis/analyze';
import { WorkspaceCache } from '../analysis/workspace';
import type { AnalysisResult } from '../analysis/types';
import type { HostMessage, JobMessage, WorkerReply } from './analysisRunner';
import { jobOptions } from './inProcessRunner';

export type Post = (reply: WorkerReply, transfer?: ArrayBuffer[]) => void;

/** The worker's message handler: `post` sends to the host. */
export function workerSide(post: Post): (msg: HostMessage) => void {
  const cache = new WorkspaceCache();
  const requests = new Map<number, (bytes: Uint8Array | undefined) => void>();
  const listings = new Map<number, (paths: string[]) => void>();
  let nextRequest = 1;
  return (msg) => {
    if (msg.type === 'file') {
      requests.get(msg.request)?.(msg.bytes);
      requests.delete(msg.request);
    } else if (msg.type === 'files') {
      listings.get(msg.request)?.(msg.paths);
      listings.delete(msg.request);
    } else if (msg.type === 'invalidate') {
      cache.invalidate(msg.path);
    } else if (msg.type === 'job') {
      const readFile = (path: string) => new Promise<Uint8Array | undefined>((resolve) => {
        const request = nextRequest++;
        requests.set(request, resolve);
        post({ type: 'readFile', id: msg.id, request, path });
      });
      const listFiles = (root: string, limit: number) => new Promise<string[]>((resolve) => {
        const request = nextRequest++;
        listings.set(request, resolve);
        post({ type: 'listFiles', id: msg.id, request, root, limit });
      });
      void answerJob(msg, post, readFile, listFiles, cache);
    }
  };
}

async function answerJob(
  msg: JobMessage, post: Post, readFile: (path: string) => Promise<Uint8Array | undefined>,
  listFiles: (root: string, limit: number) => Promise<string[]>, cache: WorkspaceCache,
): Promise<void> {
  const { id, job } = msg;
  try {
    const onRuleError = (message: string) => post({ type: 'ruleError', id, message });
    const result = await analyze(job.text, job.languageId, jobOptions(job, { onRuleError, readFile: job.workspace ? readFile : undefined, listFiles: job.workspace ? listFiles : undefined }, cache));
    post({ type: 'result', id, result }, transferables(result));
  } catch (e) {
    // analyze() reports its problems in the result; this is a bug of ours (or a broken message).
    post({ type: 'error', id, message: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
}

/** Every distinct buffer under the result's curves (a buffer listed twice would make postMessage throw). */
export function transferables(result: AnalysisResult): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const add = (a: Float64Array) => {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) seen.add(a.buffer);
  };
  for (const s of result.schedulers) {
    for (const a of s.curve?.lrs ?? []) add(a);
    for (const a of s.curve?.momentum?.values ?? []) add(a);
  }
  return [...seen];
}
