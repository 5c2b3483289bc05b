/**
 * katsura-jp's `CosineAnnealingWarmupRestarts` (`cosine_annealing_warmup/scheduler.py`, commit 12d03c0),
 * a torch `_LRScheduler` subclass pasted into many repositories. Not the blog's class of nearly the same
 * name: here `max_lr`/`min_lr` are absolute and construction overwrites every group's lr with `min_lr`.
 */
import { comparable } from '../py';
import { WarmUpCosineCycles, type CyclePosition } from '../schedulers/warmRestarts';
import type { OptState } from '../state';
import type { Arg, Marker, SchedulerKind } from '../types';
import { FamilyArgs, requireOpt, pyAssert, pyLog } from './args';
import { FAMILY_SIGNATURES } from './signatures';

/**
 * The class: the warm-up + cosine cycles of warmRestarts.ts `WarmUpCosineCycles` (first_cycle_steps → firstLen,
 * warmup_steps → warmup, max_lr → peak, step_in_cycle → inCycle, cur_cycle_steps → len), with `int()` where the
 * class truncates.
 */
export class CosineAnnealingWarmupRestarts extends WarmUpCosineCycles {
  // Not one of torch's kinds: SchedulerKind gains this name when the frontends construct it.
  readonly kind = 'CosineAnnealingWarmupRestarts' as unknown as SchedulerKind;
  readonly minLr: number;

  constructor(opt: OptState | null, given: Map<string, Arg> | Record<string, Arg>) {
    const a = new FamilyArgs(FAMILY_SIGNATURES['katsura.CosineAnnealingWarmupRestarts'], given);
    pyAssert(comparable(a.get('warmup_steps'), '<', 'int', 'warmup_steps') < a.num('first_cycle_steps'), 'warmup_steps', 'LR181');
    super(requireOpt(opt, a), a.num('first_cycle_steps'), a.num('cycle_mult'), a.num('warmup_steps'), a.num('max_lr'), a.num('gamma'), a.lastEpoch());
    this.minLr = a.num('min_lr');
    this.init(a.lastEpoch());
    // init_lr(): every group starts at min_lr, which is also every base lr.
    for (const g of this.groups) g.lr = this.minLr;
    this.baseLrs = this.groups.map(() => this.minLr);
  }

  /** `cur_cycle_steps = int((cur_cycle_steps - warmup_steps) * cycle_mult) + warmup_steps`. */
  protected nextLen(len: number): number {
    return Math.trunc((len - this.warmup) * this.mult) + this.warmup;
  }

  /** `n = int(math.log(epoch / first_cycle_steps * (cycle_mult - 1) + 1, cycle_mult))`, and `int()` of the cycles before. */
  protected position(epoch: number): CyclePosition {
    const m = this.mult;
    const n = Math.trunc(pyLog(epoch / this.firstLen * (m - 1) + 1, m));
    return { cycle: n, inCycle: epoch - Math.trunc(this.firstLen * (Math.pow(m, n) - 1) / (m - 1)), len: this.firstLen * Math.pow(m, n) };
  }

  override markers(steps: number): Marker[] {
    return this.cycleMarkers(steps, 'max_lr');
  }
}
