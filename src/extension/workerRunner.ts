/**
 * Runs analyses in a worker (a Node worker thread on the desktop, nodeWorker.node.ts; a Web Worker in the
 * browser, webWorker.ts; the worker bundle on the caller's thread as the fallback, inThreadWorker.ts), so that no
 * edit blocks the extension host while a document is analysed.
 * Host-neutral: no `vscode`, no Node module.
 *
 * - One job in the worker at a time; waiting jobs are queued, and a newer job of the same key replaces a
 *   waiting one (the older promise rejects with SupersededError).
 * - A running job that has run `cancelAfterMs` while a newer job of its key waits is asked to stop (a long analysis
 *   is not finished for an edit already replaced): through memory shared with the worker where there is some (a
 *   Node worker thread; read by the analysis's budgets while it computes), and by a message (read when it awaits).
 *   The worker answers `cancelled` (keeping for the next edit only what the last finished analysis kept); the job
 *   rejects with SupersededError.
 * - A worker that dies (uncaught error, exit, or a job past `jobTimeoutMs`) is reported to the log and
 *   replaced by a new one on the next job; the job it was running rejects with an error (the document's
 *   text is the editor's, untouched). After MAX_CRASHES deaths in a row the runner analyses on the caller's
 *   thread (`fallback`) from then on, and says so.
 * - The last result of each key (a few keys) is held: the worker answers a scheduler that did not change with a
 *   reference into it (`kept`), and a curve that did not change with a reference to its values (`reused`); the
 *   runner puts the held ones there (the results share those schedulers and arrays, read-only).
 */
import type { AnalysisResult, SchedulerAnalysis } from '../analysis/types';
import {
  SupersededError, curveArrayAt, curveArrays, setCurveArray, type AnalysisJob, type AnalysisRunner, type HostMessage, type JobHooks, type WorkerReply,
} from './analysisRunner';

/** What the runner needs of a worker. */
export interface WorkerLike {
  postMessage(msg: HostMessage): void;
  onMessage(listener: (reply: WorkerReply) => void): void;
  /** The worker is gone (an error thrown in it, its exit, or a failed start); `reason` is for the log. */
  onExit(listener: (reason: string) => void): void;
  terminate(): void;
}

export interface RunnerLog {
  error(message: string): void;
  info(message: string): void;
}

interface Pending {
  id: number;
  job: AnalysisJob;
  hooks: JobHooks;
  resolve(result: AnalysisResult): void;
  reject(error: unknown): void;
}

interface Running {
  pending: Pending;
  timer: ReturnType<typeof setTimeout>;
  /** When it was sent (ms, `performance.now`). */
  started: number;
  /** Set while waiting to ask it to stop (see `considerCancel`). */
  cancelTimer?: ReturnType<typeof setTimeout>;
  cancelAsked?: boolean;
}

export class WorkerRunner implements AnalysisRunner {
  static readonly MAX_CRASHES = 3;
  /** How long a running job may go on while a newer one of its key waits (ms): a shorter one soon ends anyway, and the newer one then reuses what it did. */
  static readonly CANCEL_AFTER_MS = 250;
  private worker: WorkerLike | undefined;
  private current: Running | undefined;
  /** Shared with the current worker, where memory can be: the id of the job to stop. */
  private flag: Int32Array | undefined;
  /** Jobs asked to stop (for tests and the log). */
  cancelled = 0;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  /** Deaths since the last good answer. */
  private crashes = 0;
  private disposed = false;
  /** Results its workers answered (the fallback's are not counted): what the tests check the analysis ran in. */
  answered = 0;
  /**
   * The curve arrays of the last result of each key, by slot (`i/part/g`), with its job id (most recent last; at
   * most HELD keys). Its own index, so that what a caller does with a result later cannot change it.
   */
  private readonly held = new Map<string, { id: number; arrays: Map<string, Float64Array>; schedulers: SchedulerAnalysis[] }>();
  static readonly HELD = 8;

  constructor(
    private readonly spawn: () => WorkerLike,
    private readonly fallback: AnalysisRunner,
    private readonly log: RunnerLog,
    private readonly jobTimeoutMs = 60_000,
    /** What its workers are, for the log and the test API ('worker thread', 'web worker', 'in-process'). */
    private readonly workerKind = 'worker',
    private readonly cancelAfterMs = WorkerRunner.CANCEL_AFTER_MS,
  ) {}

  /** Where analyses run now: the workers' kind, or the fallback's once the runner gave up on workers. */
  get kind(): string {
    return this.inFallback ? this.fallback.kind : this.workerKind;
  }

  /** true once the runner gave up on workers and analyses in-process. */
  get inFallback(): boolean {
    return this.crashes >= WorkerRunner.MAX_CRASHES;
  }

  run(job: AnalysisJob, hooks: JobHooks = {}): Promise<AnalysisResult> {
    if (this.disposed) return Promise.reject(new Error('the analysis runner was disposed'));
    if (this.inFallback) return this.fallback.run(job, hooks);
    return new Promise<AnalysisResult>((resolve, reject) => {
      const waiting = this.queue.findIndex((p) => p.job.key === job.key);
      if (waiting >= 0) this.queue.splice(waiting, 1)[0]!.reject(new SupersededError(job.key));
      this.queue.push({ id: this.nextId++, job, hooks, resolve, reject });
      this.pump();
      this.considerCancel();
    });
  }

  /** Asks the running job to stop once it has run `cancelAfterMs`, if a newer job of its key waits by then. */
  private considerCancel(): void {
    const current = this.current;
    if (!current || current.cancelAsked || current.cancelTimer || !this.queue.some((p) => p.job.key === current.pending.job.key)) return;
    const wait = current.started + this.cancelAfterMs - performance.now();
    // Infinity: never (a runner that lets every job end, as the bench's comparison has it).
    if (!Number.isFinite(wait)) return;
    if (wait > 0) {
      current.cancelTimer = setTimeout(() => {
        current.cancelTimer = undefined;
        if (this.current === current) this.considerCancel();
      }, wait);
      return;
    }
    current.cancelAsked = true;
    this.cancelled++;
    const id = current.pending.id;
    if (this.flag) Atomics.store(this.flag, 0, id);
    try {
      this.worker?.postMessage({ type: 'cancel', id });
    } catch {
      // A worker that cannot be told dies of it soon enough (see `died`).
    }
  }

  private pump(): void {
    if (this.current || !this.queue.length || this.disposed) return;
    if (this.inFallback) {
      for (const p of this.queue.splice(0)) this.fallback.run(p.job, p.hooks).then(p.resolve, p.reject);
      return;
    }
    const worker = this.ensureWorker();
    if (!worker) return;
    const pending = this.queue.shift()!;
    const timer = setTimeout(() => this.died(worker, `no answer within ${this.jobTimeoutMs} ms`), this.jobTimeoutMs);
    this.current = { pending, timer, started: performance.now() };
    try {
      const held = this.held.get(pending.job.key)?.id;
      worker.postMessage({ type: 'job', id: pending.id, job: pending.job, ...(held !== undefined ? { held } : {}) });
    } catch (e) {
      this.died(worker, `the job could not be sent: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  private ensureWorker(): WorkerLike | undefined {
    if (this.worker) return this.worker;
    let worker: WorkerLike;
    try {
      worker = this.spawn();
    } catch (e) {
      this.died(undefined, `the worker could not start: ${(e as Error)?.message ?? String(e)}`);
      return undefined;
    }
    this.worker = worker;
    worker.onMessage((reply) => this.receive(worker, reply));
    worker.onExit((reason) => this.died(worker, reason));
    // Memory shared with the worker, where there is some: a Web Worker of a page that is not cross-origin isolated
    // has no SharedArrayBuffer (or cannot be sent one), and is told by message only.
    this.flag = undefined;
    if (typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false) {
      try {
        const flag = new Int32Array(new SharedArrayBuffer(4));
        worker.postMessage({ type: 'cancelFlag', flag });
        this.flag = flag;
      } catch {
        // Told by message only.
      }
    }
    return worker;
  }

  private receive(worker: WorkerLike, reply: WorkerReply): void {
    const current = this.current;
    if (worker !== this.worker || !current || current.pending.id !== reply.id) return;
    const p = current.pending;
    if (reply.type === 'ruleError') {
      p.hooks.onRuleError?.(reply.message);
      return;
    }
    if (reply.type === 'listFiles') {
      // Where the callers of the file's functions are looked for; a failed listing is an empty one.
      const list = p.hooks.listFiles ? p.hooks.listFiles(reply.root, reply.limit).catch(() => []) : Promise.resolve([]);
      void list.then((paths) => {
        if (worker === this.worker) worker.postMessage({ type: 'files', request: reply.request, paths });
      });
      return;
    }
    if (reply.type === 'readFile') {
      // The worker reads the repository's files through the host; a failed read is an absent file.
      const read = p.hooks.readFile ? p.hooks.readFile(reply.path).catch(() => undefined) : Promise.resolve(undefined);
      void read.then((bytes) => {
        if (worker === this.worker) worker.postMessage({ type: 'file', request: reply.request, bytes });
      });
      return;
    }
    clearTimeout(current.timer);
    clearTimeout(current.cancelTimer);
    this.current = undefined;
    this.crashes = 0;
    if (reply.type === 'cancelled') {
      p.reject(new SupersededError(p.job.key));
    } else if (reply.type === 'result') {
      const problem = this.reuse(p.job.key, reply);
      if (problem) {
        p.reject(new Error(`analysis failed in the worker: ${problem}`));
      } else {
        this.answered++;
        p.resolve(reply.result);
      }
    } else {
      p.reject(new Error(`analysis failed in the worker: ${reply.message}`));
    }
    this.pump();
  }

  /** Puts the held arrays the worker referred to into the result and holds it; a problem (a bug) as text. */
  private reuse(key: string, reply: Extract<WorkerReply, { type: 'result' }>): string | undefined {
    const previous = this.held.get(key);
    this.held.delete(key);
    if (reply.kept) {
      // The schedulers the worker did not send: the held result's (the results share them, read-only).
      const sent = reply.result.schedulers;
      let next = 0;
      const all: SchedulerAnalysis[] = [];
      for (const k of reply.kept) {
        const s = k < 0 ? sent[next++] : previous?.schedulers[k];
        if (!s) return `a kept scheduler of ${key} is not held (${k})`;
        all.push(s);
      }
      if (next !== sent.length) return `${sent.length - next} scheduler(s) of ${key} sent but not placed`;
      reply.result.schedulers = all;
    }
    for (const { at, from } of reply.reused ?? []) {
      const a = previous?.arrays.get(from.join('/'));
      if (!a || !curveArrayAt(reply.result, at)) return `a reused curve of ${key} is not held (${JSON.stringify(from)})`;
      setCurveArray(reply.result, at, a);
    }
    const arrays = new Map<string, Float64Array>();
    for (const [slot, a] of curveArrays(reply.result)) arrays.set(slot.join('/'), a);
    this.held.set(key, { id: reply.id, arrays, schedulers: [...reply.result.schedulers] });
    for (const k of this.held.keys()) {
      if (this.held.size <= WorkerRunner.HELD) break;
      this.held.delete(k);
    }
    return undefined;
  }

  /** `worker` died (undefined: it never started). Counts the death, fails its job, goes on with the queue. */
  private died(worker: WorkerLike | undefined, reason: string): void {
    if (worker && worker !== this.worker) return; // an old worker's late news
    this.worker = undefined;
    try {
      worker?.terminate();
    } catch {
      // Already gone.
    }
    const current = this.current;
    this.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      clearTimeout(current.cancelTimer);
    }
    if (this.disposed) return;
    this.crashes++;
    this.log.error(this.inFallback
      ? `analysis worker stopped ${this.crashes} times in a row (${reason}); analysing on the extension host from now on`
      : `analysis worker stopped (${reason}); a new one starts with the next analysis`);
    current?.pending.reject(new Error(`the analysis worker stopped (${reason})`));
    // Not synchronously: a worker that fails to start must not recurse.
    if (this.queue.length) setTimeout(() => this.pump(), 0);
  }

  invalidate(path: string, created = false): void {
    // A new worker starts with an empty cache; the fallback keeps its own.
    try {
      this.worker?.postMessage({ type: 'invalidate', path, ...(created ? { created } : {}) });
    } catch {
      // A dead worker's cache dies with it.
    }
    this.fallback.invalidate(path, created);
  }

  forget(key: string): void {
    this.held.delete(key);
    try {
      this.worker?.postMessage({ type: 'forget', key });
    } catch {
      // A dead worker's sessions die with it.
    }
    this.fallback.forget?.(key);
  }

  dispose(): void {
    this.disposed = true;
    this.held.clear();
    const current = this.current;
    this.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      clearTimeout(current.cancelTimer);
    }
    const worker = this.worker;
    this.worker = undefined;
    try {
      worker?.terminate();
    } catch {
      // Already gone.
    }
    for (const p of [...(current ? [current.pending] : []), ...this.queue.splice(0)]) p.reject(new Error('the analysis runner was disposed'));
    this.fallback.dispose();
  }
}
