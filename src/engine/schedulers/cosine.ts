/**
 * CosineAnnealingLR (semantics.md §2.9): the recursive 1.13 rule, periodic past T_max.
 */
import { isPyInt, pyDiv, pyMod } from '../py';
import type { Marker, SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext, type MomentumOut } from './base';

export class CosineAnnealingLR extends LRScheduler {
  readonly kind = 'CosineAnnealingLR' as const;
  readonly tMax: number;
  readonly etaMin: number;
  /** T_max is a Python int: "integer modulo by zero" vs "float modulo" for T_max = 0. */
  private readonly intT: boolean;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    this.tMax = args.num('T_max');
    this.intT = isPyInt(args.get('T_max'));
    this.etaMin = args.num('eta_min');
    this.init(args.lastEpoch());
  }

  /** get_lr for group i with current lr `lr` at epoch e (torch's branches, in order). */
  private next(lr: number, base: number, e: number): number {
    const t = this.tMax;
    const m = this.etaMin;
    if (e === 0) return lr;
    if (this.stepCount === 1 && e > 0) return m + (base - m) * (1 + Math.cos(e * Math.PI / t)) / 2;
    if (pyMod(e - 1 - t, 2 * t, this.intT) === 0) return lr + (base - m) * (1 - Math.cos(Math.PI / t)) / 2;
    return pyDiv(1 + Math.cos(Math.PI * e / t), 1 + Math.cos(Math.PI * (e - 1) / t)) * (lr - m) + m;
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    const groups = this.groups;
    const values = groups.map((g, i) => this.next(g.lr, this.baseLrs[i]!, e));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  protected override applyClosedForm(): void {
    const t = this.tMax;
    const m = this.etaMin;
    const e = this.lastEpoch;
    const c = 1 + Math.cos(pyDiv(Math.PI * e, t));
    this.groups.forEach((g, i) => { g.lr = m + (this.baseLrs[i]! - m) * c / 2; });
  }

  override run(out: Float64Array[], mom: MomentumOut | null, from: number, to: number): void {
    if (mom) return super.run(out, mom, from, to);
    const groups = this.groups;
    const base = this.baseLrs;
    const n = out.length;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        this.stepCount++;
        for (let g = 0; g < n; g++) {
          const grp = groups[g]!;
          grp.lr = this.next(grp.lr, base[g]!, e);
          out[g]![k] = grp.lr;
        }
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    this.lastEpoch = e;
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
