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
  constructor(opts: BudgetOptions = {}) {
    this.maxOps = opts.maxOps ?? MAX_OPS;
    this.now = opts.now ?? Date.now;
    this.deadline = this.now() + (opts.timeBudgetMs ?? SAFETY_NET_MS);
  }
  /** Counts one unit of work; throws BudgetSpent when the file's budget is exhausted. */
  tick(): void {
    this.ops++;
    if (this.ops > this.maxOps) {
      throw new BudgetSpent('LR Lens stopped evaluating this file (operation budget spent); later constructions may be missing values.');
    }
    if ((this.ops & (CLOCK_EVERY - 1)) === 0 && this.now() > this.deadline) {
      throw new BudgetSpent('LR Lens timed out evaluating this file (the machine is unusually slow or busy); later constructions may be missing values.');
    }
  }
}

/** Budget of one call of a user function by the engine (lambda for LambdaLR, scale_fn, …). */
export class CallBudget {
  private ops = 0;
  constructor(private readonly perCall: number, private readonly shared: { left: number }) {}
  tick(): void {
    this.ops++;
    this.shared.left--;
    if (this.ops > this.perCall) {
      throw new PyError('BudgetExceeded', `the function needed more than ${this.perCall} operations for one call`);
    }
    if (this.shared.left < 0) throw new PyError('BudgetExceeded', 'the function used up the total operation budget');
  }
}
