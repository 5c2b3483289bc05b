/**
 * Bounds on the work the frontend does for one file: a wall-clock deadline and
 * an operation count for the whole analysis, plus per-call budgets for user
 * functions run later by the engine. Nothing the user writes can hang us.
 */
import { PyError } from '../../engine/types';

/** Thrown when the file's analysis budget is spent; caught at the entry point, which keeps what it found. */
export class BudgetSpent extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** Expression nesting deeper than this is reported unknown ("nested too deeply") instead of recursing. */
export const MAX_DEPTH = 150;

export class Budget {
  private ops = 0;
  private readonly deadline: number;
  constructor(timeMs: number, private readonly maxOps: number) {
    this.deadline = Date.now() + timeMs;
  }
  /** Counts one unit of work; throws BudgetSpent when the file's budget is exhausted. */
  tick(): void {
    this.ops++;
    if (this.ops > this.maxOps) throw new BudgetSpent('operation budget');
    if ((this.ops & 1023) === 0 && Date.now() > this.deadline) throw new BudgetSpent('time budget');
  }
  get spent(): boolean {
    return this.ops > this.maxOps || Date.now() > this.deadline;
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
