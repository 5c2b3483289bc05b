/**
 * CosineAnnealingWarmRestarts (docs/torch-schedulers.md §2.10): an absolute cosine on the
 * state (T_cur, T_i), with its own `step` (no closed form, no recursion).
 */
import { comparable, isInstanceInt } from '../py';
import { expectedIntAtLeastOne, expectedPositiveInt, negativeEpoch } from '../errors';
import type { Marker, SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, type BuildContext } from './base';
import { MAX_MARKERS } from './step';

/**
 * `T_0 <= 0 or not isinstance(T_0, int)` and `T_mult < 1 or not isinstance(T_mult, int)`, shared with the
 * blog class (`rule`: LR080 for torch's class, LR140 for the blog's).
 */
export function checkRestartArgs(args: Args, rule: string): { t0: number; tMult: number } {
  const t0Arg = args.get('T_0');
  const t0 = comparable(t0Arg, '<=', 'int', 'T_0', rule);
  if (t0 <= 0 || !isInstanceInt(t0Arg)) throw expectedPositiveInt('T_0', t0Arg, rule);
  const mArg = args.get('T_mult');
  const tMult = comparable(mArg, '<', 'int', 'T_mult', rule);
  if (tMult < 1 || !isInstanceInt(mArg)) throw expectedIntAtLeastOne('T_mult', mArg, rule);
  return { t0, tMult };
}

/** Restart indices of a no-arg-step cycle sequence: lengths T_0, T_0·m, T_0·m², … (capped). */
export function restartSteps(first: number, next: (len: number) => number, steps: number): number[] {
  const out: number[] = [];
  let at = 0;
  let len = first;
  while (len > 0 && at + len < steps && out.length < MAX_MARKERS) {
    at += len;
    out.push(at);
    len = next(len);
  }
  return out;
}

/** torch's CosineAnnealingWarmRestarts: its own `step` over (T_cur, T_i), absolute cosine per group. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly kind = 'CosineAnnealingWarmRestarts' as const;
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  tCur: number;
  tI: number;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    const { t0, tMult } = checkRestartArgs(args, 'LR080');
    super(requireOptimizer(c, ctx, args));
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = args.num('eta_min');
    this.tCur = args.lastEpoch();
    this.init(args.lastEpoch());
  }

  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (epoch < 0) throw negativeEpoch(String(epoch));
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = epoch % this.t0;
        } else {
          // math.log(x, b) is ln(x)/ln(b) and int() truncates: replicates torch's boundary bug.
          const n = Math.trunc(Math.log(epoch / this.t0 * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - this.t0 * (Math.pow(this.tMult, n) - 1) / (this.tMult - 1);
          this.tI = this.t0 * Math.pow(this.tMult, n);
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.applyLr();
  }

  protected applyLr(): void {
    const m = this.etaMin;
    const c = 1 + Math.cos(Math.PI * this.tCur / this.tI);
    this.groups.forEach((g, i) => { g.lr = m + (this.baseLrs[i]! - m) * c / 2; });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const grp = this.groups[g]!;
    const base = this.baseLrs[g]!;
    const m = this.etaMin;
    let tCur = this.tCur;
    let tI = this.tI;
    let lr = grp.lr;
    for (let k = from; k < to; k++) {
      tCur = tCur + 1;
      if (tCur >= tI) {
        tCur = tCur - tI;
        tI = tI * this.tMult;
      }
      lr = m + (base - m) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
      o[k] = lr;
    }
    return lr;
  }

  protected override skip(count: number): void {
    for (let i = 0; i < count; i++) {
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    }
    this.lastEpoch += count;
  }

  override markers(steps: number): Marker[] {
    return restartSteps(this.t0, (len) => len * this.tMult, steps).map((s) => ({ step: s, kind: 'restart', label: 'restart' }));
  }
}
