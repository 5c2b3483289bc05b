/**
 * CosineAnnealingWarmRestarts (docs/torch-schedulers.md §2.10): an absolute cosine on the
 * state (T_cur, T_i), with its own `step` (no closed form, no recursion).
 */
import { comparable, isInstanceInt, pyDiv } from '../py';
import { expectedIntAtLeastOne, expectedPositiveInt, negativeEpoch } from '../errors';
import type { Marker, SchedulerConstruction } from '../types';
import type { OptState } from '../state';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';
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

/** Where a cycle stands: its index, the step within it, its length. */
export interface CyclePosition {
  cycle: number;
  inCycle: number;
  len: number;
}

/**
 * Linear warm-up to a peak, then a cosine back to the base lr, in cycles whose length grows by `mult` and whose peak
 * decays by `gamma` per cycle: the one mechanism of the blog's CosineAnnealingWarmUpRestarts (blog.ts: T_0, T_up,
 * eta_max, T_cur, T_i) and katsura's CosineAnnealingWarmupRestarts (families/katsura.ts: first_cycle_steps,
 * warmup_steps, max_lr, step_in_cycle, cur_cycle_steps). Both classes have their own `step` (it never bumps
 * `_step_count`) and the same `get_lr`; they differ in how a cycle's length grows (`nextLen`) and how `step(epoch)`
 * places an epoch past the first cycle (`position`).
 */
export abstract class WarmUpCosineCycles extends LRScheduler {
  cycle = 0;
  /** The step within the current cycle (T_cur, step_in_cycle); -1 before the first step. */
  inCycle: number;
  /** The current cycle's length (T_i, cur_cycle_steps). */
  len: number;
  /** The current cycle's peak (eta_max, max_lr): basePeak·gamma^cycle. */
  peak: number;

  constructor(
    opt: OptState,
    readonly firstLen: number,
    readonly mult: number,
    readonly warmup: number,
    readonly basePeak: number,
    readonly gamma: number,
    lastEpoch: number,
  ) {
    super(opt);
    this.inCycle = lastEpoch;
    this.len = firstLen;
    this.peak = basePeak;
  }

  /** The next cycle's length after one of `len` (what the no-argument `step` does at a restart). */
  protected abstract nextLen(len: number): number;

  /** `step(epoch)` for an epoch past the first cycle when `mult` ≠ 1: the class's closed form of its cycle. */
  protected abstract position(epoch: number): CyclePosition;

  /** The no-argument branch of the classes' `step`: one step further, rolling into the next cycle. */
  private advance(): void {
    this.inCycle = this.inCycle + 1;
    if (this.inCycle >= this.len) {
      this.cycle += 1;
      this.inCycle = this.inCycle - this.len;
      this.len = this.nextLen(this.len);
    }
  }

  override step(epoch?: number): void {
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.advance();
    } else if (epoch >= this.firstLen) {
      if (this.mult === 1) {
        this.inCycle = epoch % this.firstLen;
        this.cycle = Math.floor(epoch / this.firstLen);
      } else {
        const p = this.position(epoch);
        this.cycle = p.cycle;
        this.inCycle = p.inCycle;
        this.len = p.len;
      }
    } else {
      this.len = this.firstLen;
      this.inCycle = epoch;
    }
    this.peak = this.basePeak * Math.pow(this.gamma, this.cycle);
    this.lastEpoch = Math.floor(epoch);
    this.applyLr();
  }

  protected applyLr(): void {
    const groups = this.groups;
    const values = this.baseLrs.map((b) => warmUpCosineValue(b, this.inCycle, this.warmup, this.len, this.peak));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const base = this.baseLrs[g]!;
    const warmup = this.warmup;
    let inCycle = this.inCycle;
    let len = this.len;
    let cycle = this.cycle;
    let peak = this.peak;
    let lr = this.groups[g]!.lr;
    let k = from;
    try {
      for (; k < to; k++) {
        inCycle = inCycle + 1;
        if (inCycle >= len) {
          cycle += 1;
          inCycle = inCycle - len;
          len = this.nextLen(len);
          // The peak (basePeak·gamma^cycle) is recomputed every step in the classes; it only changes here.
          peak = this.basePeak * Math.pow(this.gamma, cycle);
        }
        lr = warmUpCosineValue(base, inCycle, warmup, len, peak);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

  protected override skip(count: number): void {
    for (let i = 0; i < count; i++) this.advance();
    this.peak = this.basePeak * Math.pow(this.gamma, this.cycle);
    this.lastEpoch += count;
  }

  /** Restarts and warm-up ends (`peakName` names the peak in the class's words). */
  protected cycleMarkers(steps: number, peakName: string): Marker[] {
    const w = this.warmup;
    const out: Marker[] = [];
    for (const s of [0, ...restartSteps(this.firstLen, (len) => this.nextLen(len), steps)]) {
      if (s > 0) out.push({ step: s, kind: 'restart', label: 'restart' });
      if (w > 0 && s + w < steps) out.push({ step: s + w, kind: 'warmup-end', label: `warm-up end (${peakName})` });
    }
    return out;
  }
}

/** Both classes' `get_lr` for one base lr. */
function warmUpCosineValue(base: number, inCycle: number, warmup: number, len: number, peak: number): number {
  if (inCycle === -1) return base;
  if (inCycle < warmup) return (peak - base) * inCycle / warmup + base;
  return base + (peak - base) * (1 + Math.cos(pyDiv(Math.PI * (inCycle - warmup), len - warmup))) / 2;
}
