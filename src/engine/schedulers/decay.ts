/**
 * ExponentialLR and PolynomialLR (semantics.md §2.7, §2.8): smooth decays with a
 * per-step multiplier.
 */
import { isPyInt, pyDiv, pyPow, ZERO_DIV_INT } from '../py';
import { PyError, type Marker, type SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext, type MomentumOut } from './base';

/** `e == 0: unchanged; else lr ← lr·gamma`. */
export class ExponentialLR extends LRScheduler {
  readonly kind = 'ExponentialLR' as const;
  readonly gamma: number;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    this.gamma = args.num('gamma');
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    if (this.lastEpoch === 0) return;
    for (const g of this.groups) g.lr = g.lr * this.gamma;
  }

  protected override applyClosedForm(): void {
    const f = Math.pow(this.gamma, this.lastEpoch);
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * f; });
  }

  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    if (mom) return super.run(out, mom, from, to);
    const groups = this.groups;
    const n = out.length;
    const gamma = this.gamma;
    let e = this.lastEpoch;
    for (let k = from; k < to; k++) {
      e++;
      for (let g = 0; g < n; g++) {
        const grp = groups[g]!;
        if (e !== 0) grp.lr = grp.lr * gamma;
        out[g]![k] = grp.lr;
      }
    }
    this.lastEpoch = e;
    this.stepCount += to - from;
  }
}

/** `0 < e ≤ T: lr ← lr·((1 − e/T)/(1 − (e−1)/T))^power`. */
export class PolynomialLR extends LRScheduler {
  readonly kind = 'PolynomialLR' as const;
  readonly totalIters: number;
  readonly power: number;
  private readonly intT: boolean;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    this.totalIters = args.num('total_iters');
    this.intT = isPyInt(args.get('total_iters'));
    this.power = args.num('power');
    this.init(args.lastEpoch());
  }

  /** The recursive multiplier at epoch e (0 < e ≤ T, so no division by zero is reachable). */
  private factor(e: number): number {
    const t = this.totalIters;
    return pyPow((1.0 - e / t) / (1.0 - (e - 1) / t), this.power);
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    if (e === 0 || e > this.totalIters) return;
    const f = this.factor(e);
    for (const g of this.groups) g.lr = g.lr * f;
  }

  protected override applyClosedForm(): void {
    const t = this.totalIters;
    const m = Math.min(t, this.lastEpoch);
    if (t === 0 && this.intT) throw new PyError('ZeroDivisionError', ZERO_DIV_INT);
    const f = pyPow(1.0 - pyDiv(m, t), this.power);
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * f; });
  }

  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    if (mom) return super.run(out, mom, from, to);
    const groups = this.groups;
    const n = out.length;
    const t = this.totalIters;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        const active = e !== 0 && !(e > t);
        const f = active ? this.factor(e) : 1;
        for (let g = 0; g < n; g++) {
          const grp = groups[g]!;
          if (active) grp.lr = grp.lr * f;
          out[g]![k] = grp.lr;
        }
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    this.lastEpoch = e;
    this.stepCount += to - from;
  }

  override markers(steps: number): Marker[] {
    const t = this.totalIters;
    return t > 0 && Number.isInteger(t) && t < steps ? [{ step: t, kind: 'phase', label: 'total_iters (lr 0)' }] : [];
  }
}
