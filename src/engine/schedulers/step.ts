/**
 * StepLR and MultiStepLR (docs/torch-schedulers.md §2.3, §2.4): multiply by gamma at fixed epochs.
 */
import { notIterable } from '../errors';
import { bisectRight, isNumeric, isPyInt, pyFloorDiv, pyMod, toNumber } from '../py';
import type { Arg, Blame, Marker, SchedulerConstruction } from '../types';
import { Args, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';

/** `e % step_size` with step_size 0 (LR020). */
const STEP_SIZE_ZERO: Blame = { rule: 'LR020', param: 'step_size' };

/** `e == 0 or e % step_size != 0: unchanged; else lr ← lr·gamma`. */
export class StepLR extends LRScheduler {
  readonly kind = 'StepLR' as const;
  readonly stepSize: number;
  readonly gamma: number;
  /** `step_size` is a Python int: selects "integer modulo by zero" vs "float modulo". */
  private readonly intStep: boolean;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    this.stepSize = args.num('step_size');
    this.intStep = isPyInt(args.get('step_size'));
    this.gamma = args.num('gamma');
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    if (e === 0 || pyMod(e, this.stepSize, this.intStep, STEP_SIZE_ZERO) !== 0) return;
    for (const g of this.groups) g.lr = g.lr * this.gamma;
  }

  /** `e % step_size` raises for step_size 0. */
  override hasGroupStep(): boolean {
    return this.settled() && this.stepSize !== 0;
  }

  override groupStep(_g: number, lr: number, e: number): number {
    return lr * (pyMod(e, this.stepSize, this.intStep, STEP_SIZE_ZERO) !== 0 ? 1 : this.gamma);
  }

  protected override applyClosedForm(): void {
    const f = Math.pow(this.gamma, pyFloorDiv(this.lastEpoch, this.stepSize, this.intStep, STEP_SIZE_ZERO));
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * f; });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const s = this.stepSize;
    const gamma = this.gamma;
    const e0 = this.lastEpoch;
    let lr = this.groups[g]!.lr;
    if (s > 0 && Number.isInteger(s) && Number.isInteger(e0) && e0 >= 0) {
      // Piecewise constant: fill up to the next epoch with e % s == 0, decay, repeat.
      let kd = from + ((Math.floor(e0 / s) + 1) * s - e0) - 1;
      let k = from;
      for (;;) {
        const end = kd < to ? kd : to;
        o.fill(lr, k, end);
        k = end;
        if (k >= to) return lr;
        lr = lr * gamma;
        kd += s;
      }
    }
    let e = e0;
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        if (e !== 0 && pyMod(e, s, this.intStep, STEP_SIZE_ZERO) === 0) lr = lr * gamma;
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }


  /** Epochs that are not multiples of step_size leave the lr alone (only for an integer step_size ≥ 1). */
  override quietSteps(): number {
    const s = this.stepSize;
    const e = this.lastEpoch;
    if (!this.settled() || !(s >= 1 && Number.isInteger(s))) return 0;
    return (Math.floor(e / s) + 1) * s - e - 1;
  }

  override markers(steps: number): Marker[] {
    const s = Math.abs(this.stepSize);
    const out: Marker[] = [];
    if (!(s >= 1) || !Number.isInteger(s)) return out;
    for (let e = s; e < steps && out.length < MAX_MARKERS; e += s) out.push({ step: e, kind: 'milestone', label: `×${this.gamma}` });
    return out;
  }
}

/** Markers per scheduler are capped so a tiny step_size cannot flood the views. */
export const MAX_MARKERS = 200;

/** `e` a milestone with multiplicity c: `lr ← lr·gamma^c`. */
export class MultiStepLR extends LRScheduler {
  readonly kind = 'MultiStepLR' as const;
  readonly gamma: number;
  /** The Counter: milestone value → multiplicity (only numeric milestones can ever match an epoch). */
  readonly counts = new Map<number, number>();
  /** Sorted multiset for the closed form. */
  readonly sorted: number[];

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    const milestones = iterate(args.get('milestones'), 'milestones');
    for (const m of milestones) {
      if (!isNumeric(m)) continue; // strings etc. never equal an int epoch
      const v = toNumber(m);
      this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    }
    this.sorted = milestones.filter(isNumeric).map((m) => toNumber(m)).sort((a, b) => a - b);
    this.gamma = args.num('gamma');
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    const c = this.counts.get(this.lastEpoch);
    if (c === undefined) return;
    const f = Math.pow(this.gamma, c);
    for (const g of this.groups) g.lr = g.lr * f;
  }

  override hasGroupStep(): boolean {
    return this.settled();
  }

  override groupStep(_g: number, lr: number, e: number): number {
    const c = this.counts.get(e);
    return lr * (c === undefined ? 1 : Math.pow(this.gamma, c));
  }

  protected override applyClosedForm(): void {
    const f = Math.pow(this.gamma, bisectRight(this.sorted, this.lastEpoch));
    this.groups.forEach((g, i) => { g.lr = this.baseLrs[i]! * f; });
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const e0 = this.lastEpoch;
    let lr = this.groups[g]!.lr;
    // Piecewise constant: only integer milestones above the current epoch can still fire, in order.
    const ahead = [...this.counts].filter(([m]) => Number.isInteger(m) && m > e0).sort((a, b) => a[0] - b[0]);
    let k = from;
    for (const [m, c] of ahead) {
      const kd = from + (m - e0) - 1;
      if (kd >= to) break;
      o.fill(lr, k, kd);
      k = kd;
      lr = lr * Math.pow(this.gamma, c);
    }
    o.fill(lr, k, to);
    return lr;
  }


  /** Epochs that are not milestones leave the lr alone. */
  override quietSteps(): number {
    const e = this.lastEpoch;
    if (!this.settled()) return 0;
    let next = Infinity;
    for (const m of this.counts.keys()) if (Number.isInteger(m) && m > e && m < next) next = m;
    return next - e - 1;
  }

  override markers(steps: number): Marker[] {
    const out: Marker[] = [];
    for (const [m, c] of this.counts) {
      if (m > 0 && m < steps && Number.isInteger(m)) out.push({ step: m, kind: 'milestone', label: `×${this.gamma}${c > 1 ? `^${c}` : ''}` });
    }
    return out.sort((a, b) => a.step - b.step).slice(0, MAX_MARKERS);
  }
}

/** What `Counter(x)` iterates for the argument kinds we know: lists/tuples, dict keys, string characters, nothing for None. */
export function iterate(a: Arg, param: string): Arg[] {
  if (a.kind === 'list') return a.items;
  if (a.kind === 'none') return []; // Counter(None) is an empty Counter
  if (a.kind === 'dict') return a.entries.map(([k]) => ({ kind: 'str', value: k }));
  if (a.kind === 'str') return [...a.value].map((ch) => ({ kind: 'str', value: ch }));
  throw notIterable(a, param);
}
