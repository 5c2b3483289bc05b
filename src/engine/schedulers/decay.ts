/**
 * ExponentialLR and PolynomialLR (docs/torch-schedulers.md §2.7, §2.8): smooth decays with a
 * per-step multiplier.
 */
import { isPyInt, pyDiv, pyPow, ZERO_DIV_INT, zeroDivision } from '../py';
import type { Blame, Marker, SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';

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

  override hasGroupStep(): boolean {
    return this.settled();
  }

  override groupStep(_g: number, lr: number, _e: number): number {
    return lr * this.gamma;
  }

  protected override applyClosedForm(): void {
    const f = Math.pow(this.gamma, this.lastEpoch);
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * f; });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const gamma = this.gamma;
    let lr = this.groups[g]!.lr;
    for (let k = from; k < to; k++) {
      lr = lr * gamma;
      o[k] = lr;
    }
    return lr;
  }

}

/** Every ZeroDivisionError of PolynomialLR is LR060 (0.0 to a negative power; total_iters 0 counts as that too). */
const POWER: Blame = { rule: 'LR060', param: 'power' };

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
    return pyPow((1.0 - e / t) / (1.0 - (e - 1) / t), this.power, POWER);
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    if (e === 0 || e > this.totalIters) return;
    const f = this.factor(e);
    for (const g of this.groups) g.lr = g.lr * f;
  }

  /** At e == total_iters the ratio is 0: `0.0 ** power` raises for a negative power. */
  override hasGroupStep(): boolean {
    return this.settled() && !(this.power < 0);
  }

  override groupStep(_g: number, lr: number, e: number): number {
    return e > this.totalIters ? lr * 1 : lr * this.factor(e);
  }

  protected override applyClosedForm(): void {
    const t = this.totalIters;
    const m = Math.min(t, this.lastEpoch);
    if (t === 0 && this.intT) throw zeroDivision(ZERO_DIV_INT, POWER);
    const f = pyPow(1.0 - pyDiv(m, t, POWER), this.power, POWER);
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * f; });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const t = this.totalIters;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to && !(e + 1 > t); k++) {
        e++;
        lr = lr * this.factor(e);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    // Past total_iters the lr never changes.
    o.fill(lr, k, to);
    return lr;
  }


  /** Past total_iters (`e > T`) the lr is left alone. */
  override quietSteps(): number {
    return this.settled() && this.lastEpoch >= this.totalIters ? Infinity : 0;
  }

  override markers(steps: number): Marker[] {
    const t = this.totalIters;
    return t > 0 && Number.isInteger(t) && t < steps ? [{ step: t, kind: 'phase', label: 'total_iters (lr 0)' }] : [];
  }
}
