/**
 * ConstantLR and LinearLR (docs/torch-schedulers.md §2.5, §2.6): a multiplicative factor for
 * the first `total_iters` epochs, removed at once (Constant) or linearly (Linear).
 */
import { FACTOR_RANGE, factorOutOfRange } from '../errors';
import { comparable, isPyInt, pyDiv, ZERO_DIV_FLOAT, ZERO_DIV_INT, zeroDivision } from '../py';
import type { Blame, Marker, PyError, SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';

/** LinearLR divides by its current factor: start_factor 0 makes that 0 (LR051). */
const START_ZERO: Blame = { rule: 'LR051', param: 'start_factor' };
/** ConstantLR restores the lr with 1/factor (LR041). */
const FACTOR_ZERO: Blame = { rule: 'LR041', param: 'factor' };

/** LinearLR's ZeroDivisionError for `a / 0`; `intOps`: both operands are ints ("division by zero"). */
function linearZeroDivision(intOps: boolean): PyError {
  return zeroDivision(intOps ? ZERO_DIV_INT : ZERO_DIV_FLOAT, START_ZERO);
}

/** Python `a / b` with that error. */
function trueDiv(a: number, b: number, intOps: boolean): number {
  if (b === 0) throw linearZeroDivision(intOps);
  return a / b;
}

/** torch's `if x > 1.0 or x < 0` on a factor argument (a non-number fails on the comparison, under the same rule). */
function checkFactor(args: Args, name: keyof typeof FACTOR_RANGE): number {
  const f = comparable(args.get(name), '>', 'float', name, FACTOR_RANGE[name].rule);
  if (f > 1.0 || f < 0) throw factorOutOfRange(name);
  return f;
}

/** `e == 0: lr·factor`; `e == total_iters: lr·(1.0/factor)`. */
export class ConstantLR extends LRScheduler {
  readonly kind = 'ConstantLR' as const;
  readonly factor: number;
  readonly totalIters: number;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const factor = checkFactor(args, 'factor');
    super(requireOptimizer(c, ctx, args));
    this.factor = factor;
    this.totalIters = args.num('total_iters');
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    if (e === 0) {
      for (const g of this.groups) g.lr = g.lr * this.factor;
    } else if (e === this.totalIters) {
      const inv = pyDiv(1.0, this.factor, FACTOR_ZERO);
      for (const g of this.groups) g.lr = g.lr * inv;
    }
  }

  /** `1.0 / factor` raises for factor 0 (at total_iters, if still ahead). */
  override hasGroupStep(): boolean {
    return this.settled() && (this.factor !== 0 || this.lastEpoch >= this.totalIters);
  }

  override groupStep(_g: number, lr: number, e: number): number {
    return e === this.totalIters ? lr * pyDiv(1.0, this.factor, FACTOR_ZERO) : lr * 1;
  }

  protected override applyClosedForm(): void {
    const on = this.lastEpoch >= this.totalIters ? 1 : 0;
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * (this.factor + on * (1 - this.factor)); });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const e0 = this.lastEpoch;
    const t = this.totalIters;
    let lr = this.groups[g]!.lr;
    const k = from;
    // Constant except at e == total_iters (an integer epoch ahead), where lr·(1.0/factor).
    const kd = Number.isInteger(t) && t > e0 ? k + (t - e0) - 1 : Infinity;
    if (kd >= to) {
      o.fill(lr, k, to);
      return lr;
    }
    o.fill(lr, k, kd);
    try {
      lr = lr * pyDiv(1.0, this.factor, FACTOR_ZERO);
    } catch (err) {
      throw new StepFailure(kd, err);
    }
    o.fill(lr, kd, to);
    return lr;
  }


  /** Every epoch but total_iters leaves the lr alone. */
  override quietSteps(): number {
    const e = this.lastEpoch;
    const t = this.totalIters;
    if (!this.settled()) return 0;
    return Number.isInteger(t) && t > e ? t - e - 1 : Infinity;
  }

  override markers(steps: number): Marker[] {
    const t = this.totalIters;
    return t > 0 && Number.isInteger(t) && t < steps ? [{ step: t, kind: 'warmup-end', label: 'factor removed' }] : [];
  }
}

/** `lr ← lr·(1 + d / (T·start + (e−1)·d))` for `0 < e ≤ T`. */
export class LinearLR extends LRScheduler {
  readonly kind = 'LinearLR' as const;
  readonly start: number;
  readonly end: number;
  readonly totalIters: number;
  /** All of start_factor, end_factor, total_iters are Python ints (ZeroDivisionError wording). */
  private readonly intOps: boolean;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const start = checkFactor(args, 'start_factor');
    const end = checkFactor(args, 'end_factor');
    super(requireOptimizer(c, ctx, args));
    this.start = start;
    this.end = end;
    this.totalIters = args.num('total_iters');
    this.intOps = isPyInt(args.get('start_factor')) && isPyInt(args.get('end_factor')) && isPyInt(args.get('total_iters'));
    this.init(args.lastEpoch());
  }

  /** The recursive multiplier at epoch e (1 ≤ e ≤ T). Same operation order as torch. */
  private ratio(e: number): number {
    const d = this.end - this.start;
    return 1.0 + trueDiv(d, this.totalIters * this.start + (e - 1) * d, this.intOps);
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    if (e === 0) {
      for (const g of this.groups) g.lr = g.lr * this.start;
    } else if (!(e > this.totalIters)) {
      const r = this.ratio(e);
      for (const g of this.groups) g.lr = g.lr * r;
    }
  }

  /** No epoch ahead (up to total_iters) has a zero denominator. */
  override hasGroupStep(): boolean {
    const t = this.totalIters;
    const d = this.end - this.start;
    return this.settled() && firstZeroDenominator(t * this.start, d, this.lastEpoch + 1, Number.isNaN(t) ? Infinity : t) === Infinity;
  }

  override groupStep(_g: number, lr: number, e: number): number {
    return e > this.totalIters ? lr * 1 : lr * this.ratio(e);
  }

  protected override applyClosedForm(): void {
    const t = this.totalIters;
    const d = this.end - this.start;
    const frac = trueDiv(d * Math.min(t, this.lastEpoch), t, this.intOps);
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * (this.start + frac); });
  }

  /** A NaN total_iters never stops the recursion (`e > nan` is False): step by step. */
  protected override hasKernel(): boolean {
    return !Number.isNaN(this.totalIters);
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const t = this.totalIters;
    const start = this.start;
    const d = this.end - start;
    const base = t * start;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    // Epochs e0+1 … min(T, …) change the lr; the first one whose denominator is 0 raises instead.
    const last = Math.min(e + (to - from), Number.isFinite(t) ? Math.floor(t) : e);
    const zeroAt = firstZeroDenominator(base, d, e + 1, last);
    const end = Math.min(to, from + Math.max(0, Math.min(last, zeroAt - 1) - e));
    let k = from;
    for (; k < end; k++) {
      e++;
      lr = lr * (1.0 + d / (base + (e - 1) * d));
      o[k] = lr;
    }
    if (zeroAt <= last) throw new StepFailure(k, linearZeroDivision(this.intOps));
    // Past total_iters the lr never changes.
    o.fill(lr, k, to);
    return lr;
  }



  /** Past total_iters (`e > T`, never when T is NaN) the lr is left alone. */
  override quietSteps(): number {
    return this.settled() && this.lastEpoch >= this.totalIters ? Infinity : 0;
  }

  override markers(steps: number): Marker[] {
    const t = this.totalIters;
    const label = this.end >= this.start ? 'warm-up end' : 'decay end';
    return t > 0 && Number.isInteger(t) && t < steps ? [{ step: t, kind: 'warmup-end', label }] : [];
  }
}

/**
 * The first epoch e in [from, to] with `base + (e − 1)·d == 0` (as floats), else Infinity. The
 * expression is monotonic in e, so only the integers next to the real root 1 − base/d can hit 0.
 */
function firstZeroDenominator(base: number, d: number, from: number, to: number): number {
  if (d === 0) return base === 0 && from <= to ? from : Infinity;
  const root = 1 - base / d;
  const lo = Math.max(from, Math.floor(root) - 1);
  const hi = Math.min(to, Math.ceil(root) + 1);
  for (let e = lo; e <= hi; e++) if (base + (e - 1) * d === 0) return e;
  return Infinity;
}
