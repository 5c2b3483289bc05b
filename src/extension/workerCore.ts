/**
 * The worker's side of a WorkerRunner, host-neutral: answers each job message with rule-error notes and one
 * result (or error). The repository's other files are asked of the host (`readFile` requests, answered by
 * `file` messages) and kept in the worker's WorkspaceCache until the host says they changed (`invalidate`).
 * Each document (job key) has a DocumentSession (analysis/incremental.ts: incremental parse, simulations kept),
 * for the last few documents. What the host already holds (its result `held`, the last one sent for that key) is
 * not sent again: a scheduler whose analysis is the same data as the held one's is sent as its index (`kept`), so
 * an edit's reply (and the host's deserialisation of it) is about what the edit changed; a curve array the host
 * holds as it is, as a reference (`reused`); the other arrays as copies whose buffers are moved (the worker keeps
 * its own to compare the next result with). Entry points: analysisWorker.node.ts (Node worker_threads); a Web
 * Worker entry calls the same function.
 */
import { analyze } from '../analysis/analyze';
import { DocumentSessions, sameData } from '../analysis/incremental';
import { WorkspaceCache } from '../analysis/workspace';
import type { AnalysisResult, SchedulerAnalysis } from '../analysis/types';
import { curveArrays, setCurveArray, type CurveReuse, type CurveSlot, type HostMessage, type JobMessage, type WorkerReply } from './analysisRunner';
import { jobOptions } from './inProcessRunner';

export type Post = (reply: WorkerReply, transfer?: ArrayBuffer[]) => void;

/**
 * What the worker knows the host holds of a key: the result it last sent, where each of its arrays is there, and
 * its schedulers as analysed (never changed afterwards: what is posted is a copy), by id.
 */
interface Sent {
  id: number | undefined;
  at: Map<Float64Array, CurveSlot>;
  schedulers: Map<string, { index: number; s: SchedulerAnalysis }>;
}

/**
 * The worker's message handler: `post` sends to the host. `later` runs the session's idle work (the Python
 * frontend's copy of the tree after a document's first analysis, so that its next edit copies only what it
 * changed) once the reply is posted, when no message waits; this thread is the worker's, not the host's.
 */
export function workerSide(post: Post, later: (work: () => void) => void = (work) => setTimeout(work, 0)): (msg: HostMessage) => void {
  const cache = new WorkspaceCache();
  const sessions = new DocumentSessions<Sent>(() => ({ id: undefined, at: new Map(), schedulers: new Map() }));
  const requests = new Map<number, (bytes: Uint8Array | undefined) => void>();
  const listings = new Map<number, (paths: string[]) => void>();
  let nextRequest = 1;
  /** Jobs the host asked to stop (`cancel`), and its shared flag (`cancelFlag`): the id of the job to stop. */
  const stop = new Set<number>();
  let flag: Int32Array | undefined;
  const cancelled = (id: number) => stop.has(id) || (flag !== undefined && Atomics.load(flag, 0) === id);
  return (msg) => {
    if (msg.type === 'cancel') {
      stop.add(msg.id);
    } else if (msg.type === 'cancelFlag') {
      flag = msg.flag;
    } else if (msg.type === 'file') {
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
      // One job at a time: a request to stop one that had already answered (the two crossed) is void now.
      stop.clear();
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
      void answerJob(msg, post, readFile, listFiles, cache, sessions, later, () => cancelled(msg.id)).finally(() => stop.delete(msg.id));
    }
  };
}

async function answerJob(
  msg: JobMessage, post: Post, readFile: (path: string) => Promise<Uint8Array | undefined>,
  listFiles: (root: string, limit: number) => Promise<string[]>, cache: WorkspaceCache, sessions: DocumentSessions<Sent>,
  later: (work: () => void) => void, cancelled: () => boolean,
): Promise<void> {
  const { id, job } = msg;
  try {
    const onRuleError = (message: string) => post({ type: 'ruleError', id, message });
    const { session, extra: sent } = sessions.get(job.key);
    const result = await analyze(job.text, job.languageId, jobOptions(job, { onRuleError, readFile: job.workspace ? readFile : undefined, listFiles: job.workspace ? listFiles : undefined }, cache, cancelled), session);
    if (cancelled()) {
      // Stopped part-way (or about to be dropped anyway): no result. The session kept nothing of it (analyze.ts: only
      // the tree of its text), so the next edit reuses what the last finished analysis kept, as the host still holds it.
      post({ type: 'cancelled', id });
      return;
    }
    const holds = msg.held !== undefined && msg.held === sent.id;
    const { posted, kept } = withoutHeld(result, holds ? sent.schedulers : new Map());
    const known = holds ? sent.at : new Map<Float64Array, CurveSlot>();
    const at = new Map<Float64Array, CurveSlot>();
    const reused: CurveReuse[] = [];
    const transfer: ArrayBuffer[] = [];
    // The arrays of the schedulers sent (a held scheduler's stay where they are on the host); slots of the whole result.
    const sentIndex = kept ? kept.flatMap((k, i) => (k < 0 ? [i] : [])) : null;
    for (const [[j, part, g], a] of [...curveArrays(posted)]) {
      const slot: CurveSlot = [sentIndex ? sentIndex[j]! : j, part, g];
      const from = known.get(a);
      if (from) {
        reused.push({ at: slot, from });
        setCurveArray(posted, [j, part, g], EMPTY);
      } else {
        // A copy is moved: the worker keeps its arrays, the session's for the next edit, the others to compare the next result with.
        const copy = a.slice();
        setCurveArray(posted, [j, part, g], copy);
        transfer.push(copy.buffer);
      }
    }
    // Kept arrays only: the others are new with each analysis.
    for (const [slot, a] of curveArrays(result)) if (session.keeps(a)) at.set(a, slot);
    post({ type: 'result', id, result: posted, ...(reused.length ? { reused } : {}), ...(kept ? { kept } : {}) }, transfer);
    sent.id = id;
    sent.at = at;
    sent.schedulers = new Map(result.schedulers.map((s, index) => [s.id, { index, s }]));
    later(() => session.idle());
  } catch (e) {
    if (cancelled()) {
      post({ type: 'cancelled', id });
      return;
    }
    // analyze() reports its problems in the result; this is a bug of ours (or a broken message).
    post({ type: 'error', id, message: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
}

/**
 * What is posted of `result`: its schedulers that the host does not hold as they are (`held`: the last result sent,
 * by id), each with a curve of its own (the worker's copy is compared with the next result, so the posted one's
 * arrays may be replaced or moved); `kept` (see WorkerReply) when any is held. The other fields are posted as they are.
 */
function withoutHeld(result: AnalysisResult, held: Map<string, { index: number; s: SchedulerAnalysis }>): { posted: AnalysisResult; kept: number[] | undefined } {
  const kept: number[] = [];
  const schedulers: SchedulerAnalysis[] = [];
  for (const s of result.schedulers) {
    const h = held.get(s.id);
    if (h && sameData(h.s, s)) {
      kept.push(h.index);
    } else {
      kept.push(-1);
      schedulers.push(s.curve ? { ...s, curve: { ...s.curve, lrs: [...s.curve.lrs], momentum: s.curve.momentum && { ...s.curve.momentum, values: [...s.curve.momentum.values] } } } : s);
    }
  }
  const any = kept.some((k) => k >= 0);
  return { posted: { ...result, schedulers }, kept: any ? kept : undefined };
}

/** The placeholder of a reused array (structured clone sends it as nothing). */
const EMPTY = new Float64Array(0);
