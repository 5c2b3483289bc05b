/**
 * ReduceLROnPlateau (docs/torch-schedulers.md §2.13). Its lr depends on run-time metrics,
 * so the engine only validates the constructor and offers an envelope: the
 * fastest decay torch allows (the metric never improves).
 */
import { metricsMissing, minLrCount, plateauFactor, plateauLacks, unknownMode } from '../errors';
import { comparable, toNumber } from '../py';
import type { SchedulerConstruction } from '../types';
import { Args, requireOptimizer, Scheduler, type BuildContext } from './base';

/** torch 1.13's ReduceLROnPlateau (not an _LRScheduler): constructor checks and the fastest-decay staircase. */
export class ReduceLROnPlateau extends Scheduler {
  readonly kind = 'ReduceLROnPlateau' as const;
  readonly factor: number;
  readonly minLrs: number[];
  readonly patience: number;
  readonly cooldown: number;
  readonly maximize: boolean;
  readonly threshold: number;
  readonly relative: boolean;
  readonly eps: number;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const factor = comparable(args.get('factor'), '>=', 'float', 'factor', 'LR110');
    if (factor >= 1.0) throw plateauFactor();
    super(requireOptimizer(c, ctx, args));
    this.factor = factor;
    const n = this.groups.length;
    const minLr = args.get('min_lr');
    if (minLr.kind === 'list') {
      if (minLr.items.length !== n) throw minLrCount(n, minLr.items.length);
      this.minLrs = minLr.items.map((a) => toNumber(a, 'min_lr'));
    } else {
      this.minLrs = new Array<number>(n).fill(toNumber(minLr, 'min_lr'));
    }
    this.patience = args.num('patience');
    this.cooldown = args.num('cooldown');
    this.threshold = args.num('threshold');
    this.eps = args.num('eps');
    const mode = args.get('mode');
    if (mode.kind !== 'str' || (mode.value !== 'min' && mode.value !== 'max')) {
      throw unknownMode('mode', mode, 'mode');
    }
    const tm = args.get('threshold_mode');
    if (tm.kind !== 'str' || (tm.value !== 'rel' && tm.value !== 'abs')) {
      throw unknownMode('threshold mode', tm, 'threshold_mode');
    }
    this.maximize = mode.value === 'max';
    this.relative = tm.value === 'rel';
  }

  /** `step()` without the metric argument (ChainedScheduler calls it so). `step(0)` (SequentialLR) feeds metric 0. */
  override step(epoch?: number): void {
    if (epoch === undefined) {
      throw metricsMissing();
    }
  }

  override getLastLr(): void {
    throw plateauLacks('get_last_lr');
  }

  override initialStep(): void {
    throw plateauLacks('_initial_step');
  }

  private isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (!this.maximize) return this.relative ? a < best * (1 - t) : a < best - t;
    return this.relative ? a > best * (1 + t) : a > best + t;
  }

  /**
   * The fastest-possible decay: torch's own counters fed a metric that never improves
   * (a constant). Value k is the lr after k calls of `step(metric)`; `cuts` are the
   * indices where a reduction took effect.
   */
  staircase(steps: number): { lrs: Float64Array[]; cuts: number[] } {
    const groups = this.groups;
    const lrs = groups.map(() => new Float64Array(steps));
    const cur = groups.map((g) => g.lr);
    const cuts: number[] = [];
    let best = this.maximize ? -Infinity : Infinity;
    let bad = 0;
    let cooldownCounter = 0;
    for (let k = 0; k < steps; k++) {
      if (k > 0) {
        const metric = 0;
        if (this.isBetter(metric, best)) {
          best = metric;
          bad = 0;
        } else {
          bad += 1;
        }
        if (cooldownCounter > 0) {
          cooldownCounter -= 1;
          bad = 0;
        }
        if (bad > this.patience) {
          let reduced = false;
          cur.forEach((old, i) => {
            const v = Math.max(old * this.factor, this.minLrs[i]!);
            if (old - v > this.eps) {
              cur[i] = v;
              reduced = true;
            }
          });
          if (reduced && cuts.length < 200) cuts.push(k);
          cooldownCounter = this.cooldown;
          bad = 0;
        }
      }
      for (let g = 0; g < groups.length; g++) lrs[g]![k] = cur[g]!;
    }
    return { lrs, cuts };
  }
}
