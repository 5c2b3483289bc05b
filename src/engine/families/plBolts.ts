/**
 * lightning-bolts' `LinearWarmupCosineAnnealingLR` (`src/pl_bolts/optimizers/lr_scheduler.py`, 0.7.0):
 * a torch `_LRScheduler` whose `get_lr` is the chainable (recursive) form, so a step's lr depends on
 * the group's current lr, like torch's own CosineAnnealingLR.
 */
import { isPyInt, pyDiv, pyMod } from '../py';
import { LRScheduler, StepFailure } from '../schedulers/base';
import type { OptState } from '../state';
import type { Arg, Marker, SchedulerKind } from '../types';
import { FamilyArgs, requireOpt } from './args';
import { FAMILY_SIGNATURES } from './signatures';

export class LinearWarmupCosineAnnealingLR extends LRScheduler {
  // Not one of torch's kinds: SchedulerKind gains this name when the frontends construct it.
  readonly kind = 'LinearWarmupCosineAnnealingLR' as unknown as SchedulerKind;
  readonly warmupEpochs: number;
  readonly maxEpochs: number;
  readonly warmupStartLr: number;
  readonly etaMin: number;
  /** Both epoch counts are Python ints: "integer modulo by zero" rather than "float modulo". */
  private readonly intEpochs: boolean;

  constructor(opt: OptState | null, given: Map<string, Arg> | Record<string, Arg>) {
    const a = new FamilyArgs(FAMILY_SIGNATURES['pl_bolts.LinearWarmupCosineAnnealingLR'], given);
    super(requireOpt(opt, a));
    this.warmupEpochs = a.num('warmup_epochs');
    this.maxEpochs = a.num('max_epochs');
    this.warmupStartLr = a.num('warmup_start_lr');
    this.etaMin = a.num('eta_min');
    this.intEpochs = isPyInt(a.get('warmup_epochs')) && isPyInt(a.get('max_epochs'));
    this.init(a.lastEpoch());
  }

  /** `get_lr` for one group: its current lr and base lr at epoch e (the class's branches, in order). */
  private next(lr: number, base: number, e: number): number {
    const w = this.warmupEpochs;
    const m = this.maxEpochs;
    const eta = this.etaMin;
    if (e === 0) return this.warmupStartLr;
    if (e < w) return lr + pyDiv(base - this.warmupStartLr, w - 1);
    if (e === w) return base;
    if (pyMod(e - 1 - m, 2 * (m - w), this.intEpochs) === 0) {
      return lr + (base - eta) * (1 - Math.cos(pyDiv(Math.PI, m - w))) / 2;
    }
    return pyDiv(1 + Math.cos(Math.PI * (e - w) / (m - w)), 1 + Math.cos(Math.PI * (e - w - 1) / (m - w))) * (lr - eta) + eta;
  }

  protected applyLr(): void {
    const groups = this.groups;
    const e = this.lastEpoch;
    const values = groups.map((g, i) => this.next(g.lr, this.baseLrs[i]!, e));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  /** `_get_closed_form_lr`, used by `step(epoch)`. */
  protected override applyClosedForm(): void {
    const w = this.warmupEpochs;
    const e = this.lastEpoch;
    const s = this.warmupStartLr;
    const eta = this.etaMin;
    this.groups.forEach((g, i) => {
      const base = this.baseLrs[i]!;
      g.lr = e < w
        ? s + pyDiv(e * (base - s), w - 1)
        : eta + 0.5 * (base - eta) * (1 + Math.cos(pyDiv(Math.PI * (e - w), this.maxEpochs - w)));
    });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const base = this.baseLrs[g]!;
    const w = this.warmupEpochs;
    const m = this.maxEpochs;
    const eta = this.etaMin;
    const span = m - w;
    // Integer epoch counts with 0 < |span| ≤ 1e7: the restart epochs are found in integers, and off them
    // 1 + cos(π(e − w − 1)/span) is never exactly 0 (as for torch's CosineAnnealingLR), so the stretches
    // between restarts run the ratio alone.
    const plain = this.intEpochs && Number.isInteger(w) && Number.isInteger(m) && span !== 0 && Math.abs(span) <= 1e7;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to && (!plain || e + 1 <= w); k++) {
        e++;
        lr = this.next(lr, base, e);
        o[k] = lr;
      }
      const period = 2 * Math.abs(span);
      let restart = e + 1 + pyMod(m + 1 - (e + 1), period, true);
      const bump = (base - eta) * (1 - Math.cos(Math.PI / span)) / 2;
      while (k < to) {
        const stop = k + (restart - e) - 1;
        const end = stop < to ? stop : to;
        for (; k < end; k++) {
          e++;
          lr = (1 + Math.cos(Math.PI * (e - w) / span)) / (1 + Math.cos(Math.PI * (e - w - 1) / span)) * (lr - eta) + eta;
          o[k] = lr;
        }
        if (k >= to) break;
        e++;
        lr = lr + bump;
        o[k++] = lr;
        restart += period;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

  override markers(steps: number): Marker[] {
    const out: Marker[] = [];
    if (this.warmupEpochs > 0) out.push({ step: this.warmupEpochs, kind: 'warmup-end', label: 'warm-up end' });
    if (this.maxEpochs > this.warmupEpochs && this.maxEpochs < steps) out.push({ step: this.maxEpochs, kind: 'phase', label: 'max_epochs (eta_min)' });
    return out;
  }
}
