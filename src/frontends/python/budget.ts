/**
 * Bounds on the work the frontend does for one file: an operation count for
 * the whole analysis, plus per-call budgets for user functions run later by
 * the engine. Results depend on operation counts only, so a slow machine finds
 * what a fast one finds; the wall clock is a far safety net that, when it
 * fires, says "timed out" as such. Nothing the user writes can hang us.
 */
import { PyError } from '../../engine/types';

/** Thrown when the file's analysis budget is spent; caught at the entry point, which keeps what it found. */
export class BudgetSpent extends Error {}

export interface BudgetOptions {
  /** Wall-clock safety net for the whole file, in ms (default 20 000, ten times what the operation budget takes). */
  timeBudgetMs?: number;
  /** Operations per file (expression nodes + statements evaluated); default 5 000 000. */
  maxOps?: number;
  /** The clock the safety net reads (tests inject a fake one); default `Date.now`. */
  now?: () => number;
  /**
   * Whether a newer edit superseded this analysis (analysis/types.ts `AnalyzeOptions.cancelled`): read with the
   * clock, and by the engine's call budgets; once true, every budget throws and the analysis ends at once.
   */
  cancelled?: () => boolean;
}

const MAX_OPS = 5_000_000;
const SAFETY_NET_MS = 20_000;
/** The clock is read once per this many operations (a power of two). */
const CLOCK_EVERY = 1024;

export class Budget {
  private ops = 0;
  private readonly maxOps: number;
  private readonly now: () => number;
  private readonly deadline: number;
  readonly cancelled: (() => boolean) | undefined;
  constructor(opts: BudgetOptions = {}) {
    this.maxOps = opts.maxOps ?? MAX_OPS;
    this.now = opts.now ?? Date.now;
    this.deadline = this.now() + (opts.timeBudgetMs ?? SAFETY_NET_MS);
    this.cancelled = opts.cancelled;
  }
  /** Counts one unit of work; throws BudgetSpent when the file's budget is exhausted. */
  tick(): void {
    this.ops++;
    if (this.ops > this.maxOps) {
      throw new BudgetSpent('LR Lens stopped evaluating this file (operation budget spent); later constructions may be missing values.');
    }
    if ((this.ops & (CLOCK_EVERY - 1)) === 0) {
      if (this.now() > this.deadline) throw new BudgetSpent('LR Lens timed out evaluating this file (the machine is unusually slow or busy); later constructions may be missing values.');
      if (this.cancelled?.()) throw new BudgetSpent(SUPERSEDED);
    }
  }
}

/** What a superseded analysis stops with (never shown: its result is dropped). */
const SUPERSEDED = 'LR Lens stopped this analysis: a newer edit superseded it.';

/** The operations of all the engine's calls of user functions for one file, and the analysis's `cancelled`. */
export interface SharedCallBudget {
  left: number;
  cancelled?: () => boolean;
}

/** The engine's call budgets ask `cancelled` once per this many operations (a power of two). */
const CANCEL_EVERY = 1 << 16;

/** Budget of one call of a user function by the engine (lambda for LambdaLR, scale_fn, …). */
export class CallBudget {
  private ops = 0;
  constructor(private readonly perCall: number, private readonly shared: SharedCallBudget) {}
  tick(): void {
    this.ops++;
    this.shared.left--;
    if ((this.shared.left & (CANCEL_EVERY - 1)) === 0 && this.shared.cancelled?.()) throw new PyError('BudgetExceeded', SUPERSEDED);
    if (this.ops > this.perCall) {
      throw new PyError('BudgetExceeded', `the function needed more than ${this.perCall} operations for one call`);
    }
    if (this.shared.left < 0) throw new PyError('BudgetExceeded', 'the function used up the total operation budget');
  }
}
