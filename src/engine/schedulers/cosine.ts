/**
 * CosineAnnealingLR (docs/torch-schedulers.md §2.9): the recursive 1.13 rule, periodic past T_max.
 */
import { isPyInt, pyDiv, pyMod } from '../py';
import type { Blame, Marker, SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';

/** `x % (2·T_max)` raises only for T_max 0 (LR070); a division by zero comes from a T_max that is not an integer (LR071). */
const T_MAX_ZERO: Blame = { rule: 'LR070', param: 'T_max' };
const T_MAX_ODD: Blame = { rule: 'LR071', param: 'T_max' };

/** torch's CosineAnnealingLR: the chainable cosine rule (with its restart branch), closed form for `step(epoch)`. */
export class CosineAnnealingLR extends LRScheduler {
  readonly kind = 'CosineAnnealingLR' as const;
  readonly tMax: number;
  readonly etaMin: number;
  /** T_max is a Python int: "integer modulo by zero" vs "float modulo" for T_max = 0. */
  private readonly intT: boolean;
  /** An integer T_max with 0 < |T_max| ≤ 1e7: the kernels' plain arithmetic is exact. */
  private readonly plainT: boolean;
  /** `1 - cos(π / T_max)`, the restart branch's factor. */
  private readonly oneMinusCos: number;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    this.tMax = args.num('T_max');
    this.intT = isPyInt(args.get('T_max'));
    this.etaMin = args.num('eta_min');
    this.plainT = Number.isInteger(this.tMax) && this.tMax !== 0 && Math.abs(this.tMax) <= 1e7;
    this.oneMinusCos = 1 - Math.cos(Math.PI / this.tMax);
    this.init(args.lastEpoch());
  }

  /** get_lr for group i with current lr `lr` at epoch e (torch's branches, in order); `stepCount` as step() leaves it. */
  private next(lr: number, base: number, e: number, stepCount: number): number {
    const t = this.tMax;
    const m = this.etaMin;
    if (e === 0) return lr;
    if (stepCount === 1 && e > 0) return m + (base - m) * (1 + Math.cos(e * Math.PI / t)) / 2;
    if (pyMod(e - 1 - t, 2 * t, this.intT, T_MAX_ZERO) === 0) return lr + (base - m) * (1 - Math.cos(Math.PI / t)) / 2;
    return pyDiv(1 + Math.cos(Math.PI * e / t), 1 + Math.cos(Math.PI * (e - 1) / t), T_MAX_ODD) * (lr - m) + m;
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    const groups = this.groups;
    const values = groups.map((g, i) => this.next(g.lr, this.baseLrs[i]!, e, this.stepCount));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  /**
   * After construction every later step() has _step_count ≥ 2 (the resume branch is out of reach). As in
   * `kernel`, with a plain T_max Python's modulo is zero exactly when JS's is, and the ratio's
   * denominator is never 0 off the restart branch: nothing can raise.
   */
  override hasGroupStep(): boolean {
    return this.settled() && this.stepCount >= 1 && this.plainT;
  }

  override groupStep(g: number, lr: number, e: number): number {
    const t = this.tMax;
    const m = this.etaMin;
    // With a plain T_max, 1 + cos(π(e−1)/T) is exactly 0 at the restart epochs (e ≡ T + 1 mod 2|T|, where
    // (e−1)/T is an odd integer and cos rounds to −1) and nowhere else (≥ 1/|T| away from an odd integer,
    // it is above 1e-14): the zero test is torch's modulo test, without a float modulo per step.
    // Both values are computed and one is picked: a branch that returns early here made V8's code for the
    // chain's loop 40% slower, though it is almost never taken.
    const den = 1 + Math.cos(Math.PI * (e - 1) / t);
    const restart = lr + (this.baseLrs[g]! - m) * this.oneMinusCos / 2;
    const ratio = (1 + Math.cos(Math.PI * e / t)) / den * (lr - m) + m;
    return den === 0 ? restart : ratio;
  }



  protected override applyClosedForm(): void {
    const t = this.tMax;
    const m = this.etaMin;
    const e = this.lastEpoch;
    const c = 1 + Math.cos(pyDiv(Math.PI * e, t, T_MAX_ODD));
    this.groups.forEach((g, i) => { g.lr = m + (this.baseLrs[i]! - m) * c / 2; });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const base = this.baseLrs[g]!;
    const t = this.tMax;
    const m = this.etaMin;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    // With an integer T_max every epoch where 1 + cos(π(e−1)/T) could be 0 takes the restart branch instead
    // (cos reaches −1 only within ~1e-8 of an odd multiple of π, i.e. for |T_max| beyond 1e8): no zero test needed.
    if (this.stepCount < 1 || !this.plainT) return this.slowKernel(g, o, from, to);
    // (e − 1 − T) mod 2T == 0  ⇔  e ≡ T + 1 (mod 2|T|): those epochs split the run into stretches of the ratio rule.
    const period = 2 * Math.abs(t);
    let next = e + 1 + pyMod(t + 1 - (e + 1), period, true);
    const bump = (base - m) * (1 - Math.cos(Math.PI / t)) / 2;
    let k = from;
    try {
      while (k < to) {
        const kd = k + (next - e) - 1;
        const end = kd < to ? kd : to;
        for (; k < end; k++) {
          e++;
          lr = (1 + Math.cos(Math.PI * e / t)) / (1 + Math.cos(Math.PI * (e - 1) / t)) * (lr - m) + m;
          o[k] = lr;
        }
        if (k >= to) break;
        e++;
        lr = lr + bump;
        o[k++] = lr;
        next += period;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

  /** Every branch of get_lr per step (T_max non-integer or 0, or a resume state). */
  private slowKernel(g: number, o: Float64Array, from: number, to: number): number {
    const base = this.baseLrs[g]!;
    const count0 = this.stepCount;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        // next() reads _step_count, which step() bumps before get_lr.
        this.stepCount = count0 + (k - from) + 1;
        lr = this.next(lr, base, e, this.stepCount);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    this.stepCount = count0;
    return lr;
  }

  override markers(steps: number): Marker[] {
    const t = Math.abs(this.tMax);
    const out: Marker[] = [];
    if (!(t >= 1)) return out;
    // Troughs at odd multiples of T_max; the curve climbs back to base at even multiples.
    for (let k = 1; k * t < steps && out.length < 200; k++) {
      out.push({ step: Math.round(k * t), kind: 'phase', label: k % 2 === 1 ? 'T_max (minimum)' : 'back at base' });
    }
    return out;
  }
}
