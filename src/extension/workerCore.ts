/**
 * The worker's side of a WorkerRunner, host-neutral: answers each job message with rule-error notes and one
 * result (or error). The repository's other files are asked of the host (`readFile` requests, answered by
 * `file` messages) and kept in the worker's WorkspaceCache until the host says they changed (`invalidate`).
 * Each document (job key) has a DocumentSession (analysis/incremental.ts: incremental parse, simulations kept),
 * for the last few documents. A curve the host already holds (in its result `held`, the last one sent for that
 * key) is sent as a reference (`reused`), not again; the others' buffers are transferred (moved, not copied),
 * copies of them when the session keeps the arrays for the next edit. Entry points: analysisWorker.node.ts
 * (Node worker_threads); a Web Worker entry calls the same function.
 */
import { analyze } from '../analysis/analyze';
import { DocumentSessions } from '../analysis/incremental';
import { WorkspaceCache } from '../analysis/workspace';
import { curveArrays, setCurveArray, type CurveReuse, type CurveSlot, type HostMessage, type JobMessage, type WorkerReply } from './analysisRunner';
import { jobOptions } from './inProcessRunner';

export type Post = (reply: WorkerReply, transfer?: ArrayBuffer[]) => void;

/** What the worker knows the host holds of a key: the result it last sent, and where each of its arrays is there. */
interface Sent {
  id: number | undefined;
  at: Map<Float64Array, CurveSlot>;
}

/** The worker's message handler: `post` sends to the host. */
export function workerSide(post: Post): (msg: HostMessage) => void {
  const cache = new WorkspaceCache();
  const sessions = new DocumentSessions<Sent>(() => ({ id: undefined, at: new Map() }));
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
      cache.invalidate(msg.path, msg.created === true);
    } else if (msg.type === 'forget') {
      sessions.delete(msg.key);
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
      void answerJob(msg, post, readFile, listFiles, cache, sessions);
    }
  };
}

async function answerJob(
  msg: JobMessage, post: Post, readFile: (path: string) => Promise<Uint8Array | undefined>,
  listFiles: (root: string, limit: number) => Promise<string[]>, cache: WorkspaceCache, sessions: DocumentSessions<Sent>,
): Promise<void> {
  const { id, job } = msg;
  try {
    const onRuleError = (message: string) => post({ type: 'ruleError', id, message });
    const { session, extra: sent } = sessions.get(job.key);
    const result = await analyze(job.text, job.languageId, jobOptions(job, { onRuleError, readFile: job.workspace ? readFile : undefined, listFiles: job.workspace ? listFiles : undefined }, cache), session);
    const known = msg.held !== undefined && msg.held === sent.id ? sent.at : new Map<Float64Array, CurveSlot>();
    const at = new Map<Float64Array, CurveSlot>();
    const reused: CurveReuse[] = [];
    const seen = new Set<ArrayBuffer>();
    const transfer: ArrayBuffer[] = [];
    for (const [slot, a] of [...curveArrays(result)]) {
      const from = known.get(a);
      if (from) {
        reused.push({ at: slot, from });
        setCurveArray(result, slot, EMPTY);
      } else if (session.keeps(a) || !movable(a, seen)) {
        const copy = a.slice();
        setCurveArray(result, slot, copy);
        transfer.push(copy.buffer);
      } else {
        transfer.push(a.buffer as ArrayBuffer);
      }
      // Kept arrays only: the others are new with each analysis.
      if (session.keeps(a)) at.set(a, slot);
    }
    post({ type: 'result', id, result, ...(reused.length ? { reused } : {}) }, transfer);
    sent.id = id;
    sent.at = at;
  } catch (e) {
    // analyze() reports its problems in the result; this is a bug of ours (or a broken message).
    post({ type: 'error', id, message: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
}

/** The placeholder of a reused array (structured clone sends it as nothing). */
const EMPTY = new Float64Array(0);

/** Whether `a` can be moved: it has its whole buffer to itself, and that buffer is not moved already. */
function movable(a: Float64Array, seen: Set<ArrayBuffer>): boolean {
  const b = a.buffer;
  if (!(b instanceof ArrayBuffer) || a.byteOffset !== 0 || a.byteLength !== b.byteLength || seen.has(b)) return false;
  seen.add(b);
  return true;
}
