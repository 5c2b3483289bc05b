/**
 * katsura-jp's `CosineAnnealingWarmupRestarts` (`cosine_annealing_warmup/scheduler.py`, commit 12d03c0),
 * a torch `_LRScheduler` subclass pasted into many repositories. Not the blog's class of nearly the same
 * name: here `max_lr`/`min_lr` are absolute and construction overwrites every group's lr with `min_lr`.
 */
import { comparable, pyDiv } from '../py';
import { LRScheduler, StepFailure } from '../schedulers/base';
import { restartSteps } from '../schedulers/warmRestarts';
import type { OptState } from '../state';
import type { Arg, Marker, SchedulerKind } from '../types';
import { FamilyArgs, requireOpt, pyAssert, pyLog } from './args';
import { FAMILY_SIGNATURES } from './signatures';

/** The class's `get_lr` for one base lr (all base lrs are `min_lr` after construction). */
function katsuraValue(base: number, inCycle: number, warmup: number, cycleSteps: number, maxLr: number): number {
  if (inCycle === -1) return base;
  if (inCycle < warmup) return (maxLr - base) * inCycle / warmup + base;
  return base + (maxLr - base) * (1 + Math.cos(pyDiv(Math.PI * (inCycle - warmup), cycleSteps - warmup))) / 2;
}

export class CosineAnnealingWarmupRestarts extends LRScheduler {
  // Not one of torch's kinds: SchedulerKind gains this name when the frontends construct it.
  readonly kind = 'CosineAnnealingWarmupRestarts' as unknown as SchedulerKind;
  readonly firstCycleSteps: number;
  readonly cycleMult: number;
  readonly baseMaxLr: number;
  maxLr: number;
  readonly minLr: number;
  readonly warmupSteps: number;
  readonly gamma: number;
  curCycleSteps: number;
  cycle = 0;
  stepInCycle: number;

  constructor(opt: OptState | null, given: Map<string, Arg> | Record<string, Arg>) {
    const a = new FamilyArgs(FAMILY_SIGNATURES['katsura.CosineAnnealingWarmupRestarts'], given);
    pyAssert(comparable(a.get('warmup_steps'), '<', 'int', 'warmup_steps') < a.num('first_cycle_steps'), 'warmup_steps', 'LR181');
    super(requireOpt(opt, a));
    this.firstCycleSteps = a.num('first_cycle_steps');
    this.cycleMult = a.num('cycle_mult');
    this.baseMaxLr = a.num('max_lr');
    this.maxLr = this.baseMaxLr;
    this.minLr = a.num('min_lr');
    this.warmupSteps = a.num('warmup_steps');
    this.gamma = a.num('gamma');
    this.curCycleSteps = this.firstCycleSteps;
    this.stepInCycle = a.lastEpoch();
    this.init(a.lastEpoch());
    // init_lr(): every group starts at min_lr, which is also every base lr.
    for (const g of this.groups) g.lr = this.minLr;
    this.baseLrs = this.groups.map(() => this.minLr);
  }

  /** The no-argument branch of the class's `step`: one step further, rolling into the next cycle. */
  private advance(): void {
    this.stepInCycle = this.stepInCycle + 1;
    if (this.stepInCycle >= this.curCycleSteps) {
      this.cycle += 1;
      this.stepInCycle = this.stepInCycle - this.curCycleSteps;
      this.curCycleSteps = Math.trunc((this.curCycleSteps - this.warmupSteps) * this.cycleMult) + this.warmupSteps;
    }
  }

  override step(epoch?: number): void {
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.advance();
    } else if (epoch >= this.firstCycleSteps) {
      if (this.cycleMult === 1) {
        this.stepInCycle = epoch % this.firstCycleSteps;
        this.cycle = Math.floor(epoch / this.firstCycleSteps);
      } else {
        const m = this.cycleMult;
        const n = Math.trunc(pyLog(epoch / this.firstCycleSteps * (m - 1) + 1, m));
        this.cycle = n;
        this.stepInCycle = epoch - Math.trunc(this.firstCycleSteps * (Math.pow(m, n) - 1) / (m - 1));
        this.curCycleSteps = this.firstCycleSteps * Math.pow(m, n);
      }
    } else {
      this.curCycleSteps = this.firstCycleSteps;
      this.stepInCycle = epoch;
    }
    this.maxLr = this.baseMaxLr * Math.pow(this.gamma, this.cycle);
    this.lastEpoch = Math.floor(epoch);
    this.applyLr();
  }

  protected applyLr(): void {
    const groups = this.groups;
    const values = this.baseLrs.map((b) => katsuraValue(b, this.stepInCycle, this.warmupSteps, this.curCycleSteps, this.maxLr));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const base = this.baseLrs[g]!;
    const warmup = this.warmupSteps;
    const mult = this.cycleMult;
    let inCycle = this.stepInCycle;
    let cycleSteps = this.curCycleSteps;
    let cycle = this.cycle;
    let maxLr = this.maxLr;
    let lr = this.groups[g]!.lr;
    let k = from;
    try {
      for (; k < to; k++) {
        inCycle = inCycle + 1;
        if (inCycle >= cycleSteps) {
          cycle += 1;
          inCycle = inCycle - cycleSteps;
          cycleSteps = Math.trunc((cycleSteps - warmup) * mult) + warmup;
          // max_lr = base_max_lr·gamma^cycle is recomputed every step in the class; it only changes here.
          maxLr = this.baseMaxLr * Math.pow(this.gamma, cycle);
        }
        lr = katsuraValue(base, inCycle, warmup, cycleSteps, maxLr);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

  protected override skip(count: number): void {
    for (let i = 0; i < count; i++) this.advance();
    this.maxLr = this.baseMaxLr * Math.pow(this.gamma, this.cycle);
    this.lastEpoch += count;
    this.stepCount += count;
  }

  override markers(steps: number): Marker[] {
    const w = this.warmupSteps;
    const restarts = restartSteps(this.firstCycleSteps, (len) => Math.trunc((len - w) * this.cycleMult) + w, steps);
    const out: Marker[] = [];
    for (const s of [0, ...restarts]) {
      if (s > 0) out.push({ step: s, kind: 'restart', label: 'restart' });
      if (w > 0 && s + w < steps) out.push({ step: s + w, kind: 'warmup-end', label: 'warm-up end (max_lr)' });
    }
    return out;
  }
}
