/**
 * Where an analysis runs. Host-neutral: no `vscode`, no Node module here, so that the desktop (a Node
 * worker thread, workerRunner.ts + nodeWorker.ts), the browser (a Web Worker, behind the same WorkerLike) and
 * the tests use one interface. Jobs carry text + options; results come back as plain data.
 */
import type { AnalysisResult, AnalyzeOptions } from '../analysis/types';

/** The analysis options a job carries (plain data: callbacks stay on the caller's side, see JobHooks). */
export type JobOptions = Omit<AnalyzeOptions, 'onRuleError' | 'strict' | 'workspace' | 'cancelled' | 'clock'>;

/** What the caller does for a job: hear of rule errors, read the repository's other files (vscode.workspace.fs). */
export interface JobHooks {
  /** Told about each lint rule that threw (already described, one line). */
  onRuleError?: (message: string) => void;
  /** Reads a file of the job's workspace (absolute POSIX path); undefined when it does not exist. */
  readFile?: (path: string) => Promise<Uint8Array | undefined>;
  /** Lists the workspace's Python files under a root, at most `limit` (where callers of the file's functions are looked for). */
  listFiles?: (root: string, limit: number) => Promise<string[]>;
}

export interface AnalysisJob {
  /**
   * The lane: a newer job of the same key supersedes an older one still waiting (its promise rejects with
   * SupersededError). The service uses the document's key; one-off analyses use their own.
   */
  key: string;
  text: string;
  languageId: string;
  options: JobOptions;
  /** A Python file in a workspace: its modules and configs are read through JobHooks.readFile (analysis/workspace.ts). */
  workspace?: { root: string; file: string };
}

export interface AnalysisRunner {
  /** 'in-process' or 'worker' (for the log). */
  readonly kind: string;
  /** Analyses the job. */
  run(job: AnalysisJob, hooks?: JobHooks): Promise<AnalysisResult>;
  /** A workspace file changed, was created or deleted: the runner's cached copy of it is dropped. */
  invalidate(path: string, created?: boolean): void;
  /** The lane `key` is done with (its document closed): what the runner keeps for its next edit is dropped. */
  forget?(key: string): void;
  dispose(): void;
}

/** A job was replaced by a newer one of the same key, before it started or while it ran too long: nothing to report. */
export class SupersededError extends Error {
  constructor(key: string) {
    super(`analysis of ${key} superseded by a newer edit`);
    this.name = 'SupersededError';
  }
}

export function isSuperseded(e: unknown): e is SupersededError {
  return e instanceof SupersededError;
}

// ---- the messages between a WorkerRunner and its worker (workerCore.ts) ----------------------------------

/**
 * `held`: the id of the last result of the job's key the host still holds: the worker may answer a curve that did
 * not change with a reference into it (`reused`) instead of sending its values again.
 */
export interface JobMessage { type: 'job'; id: number; job: AnalysisJob; held?: number }
/** Where a curve's value array sits in a result: scheduler index, lrs (0) or momentum (1), group. */
export type CurveSlot = [scheduler: number, part: 0 | 1, group: number];
/** A value array the worker did not send: the one at `from` in the host's held result goes at `at` (an empty placeholder there). */
export interface CurveReuse { at: CurveSlot; from: CurveSlot }
/**
 * What the host sends: a job, the answer to the worker's readFile request, a changed file; `cancel`: a newer job of
 * the same key waits, stop this one (read when the worker awaits, e.g. a file); `cancelFlag`, once per worker where
 * memory can be shared: the id of the job to stop, which the running analysis reads while it computes.
 */
export type HostMessage =
  | JobMessage
  | { type: 'cancel'; id: number }
  | { type: 'cancelFlag'; flag: Int32Array }
  | { type: 'file'; request: number; bytes: Uint8Array | undefined }
  | { type: 'files'; request: number; paths: string[] }
  | { type: 'invalidate'; path: string; created?: boolean }
  | { type: 'forget'; key: string };
/**
 * A result as the worker sends it: `kept`, when present, has one entry per scheduler of the whole result: -1 for
 * the next one of `result.schedulers` (those sent), or the index of an identical scheduler in the host's held
 * result (not sent again). Slots in `reused` are of the whole result.
 */
export type WorkerReply =
  | { type: 'result'; id: number; result: AnalysisResult; reused?: CurveReuse[]; kept?: number[] }
  | { type: 'ruleError'; id: number; message: string }
  | { type: 'readFile'; id: number; request: number; path: string }
  | { type: 'listFiles'; id: number; request: number; root: string; limit: number }
  | { type: 'error'; id: number; message: string }
  /** The job stopped when asked to (`cancel`): no result, and nothing of it kept for the next edit. */
  | { type: 'cancelled'; id: number };

/** Every curve value array of `result` with its slot, in order. */
export function* curveArrays(result: AnalysisResult): Generator<[CurveSlot, Float64Array]> {
  for (let i = 0; i < result.schedulers.length; i++) {
    const c = result.schedulers[i]!.curve;
    if (!c) continue;
    for (let g = 0; g < c.lrs.length; g++) yield [[i, 0, g], c.lrs[g]!];
    const m = c.momentum?.values ?? [];
    for (let g = 0; g < m.length; g++) yield [[i, 1, g], m[g]!];
  }
}

/** The array at `slot` of `result`, if there is one. */
export function curveArrayAt(result: AnalysisResult, [i, part, g]: CurveSlot): Float64Array | undefined {
  const c = result.schedulers[i]?.curve;
  return part === 0 ? c?.lrs[g] : c?.momentum?.values[g];
}

/** Puts `a` at `slot` of `result` (which has an array there). */
export function setCurveArray(result: AnalysisResult, [i, part, g]: CurveSlot, a: Float64Array): void {
  const c = result.schedulers[i]!.curve!;
  if (part === 0) c.lrs[g] = a;
  else c.momentum!.values[g] = a;
}
