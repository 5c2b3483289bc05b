/**
 * timm's schedulers (`timm/scheduler/*.py`, 1.0.29.dev0): not torch `_LRScheduler`s but stateless
 * functions of `t` that write `param_groups[g]['lr']` themselves on `step(epoch)` (when
 * `t_in_epochs=True`) or `step_update(num_updates)` (when `t_in_epochs=False`). Value k of the curve
 * is the lr after that call with t = k; value 0 is what the constructor wrote. A group's `lr_scale`
 * multiplies every value it gets.
 */
import { bisectRight, comparable, isNumeric, pyFloorDiv, pyPow, pyStrRepr, pyTruthy, pyTypeName, toNumber } from '../py';
import { StepFailure } from '../schedulers/base';
import { MAX_MARKERS } from '../schedulers/step';
import type { OptState } from '../state';
import { PyError, type Arg, type Marker, type ParamGroupInit } from '../types';
import { FamilyArgs, mathDomain, pyAssert } from './args';
import { FAMILY_SIGNATURES, type FamilyKind } from './signatures';
import { resolveTimmFactory } from './timmFactory';

export type TimmKind = Extract<FamilyKind, `timm.${string}`>;

/** A param group as timm reads it: `lr_scale` is a key layer-decay code puts in the group dict. */
export interface TimmGroupInit extends ParamGroupInit {
  lr_scale?: number;
}

/** timm's `Scheduler` base class with the warm-up every subclass shares; `decayed` is the rest of `_get_lr`. */
export abstract class TimmScheduler {
  abstract readonly kind: TimmKind;
  readonly tInEpochs: boolean;
  /** `base_values`: each group's `initial_lr`. */
  readonly baseValues: number[];
  /** Each group's `lr_scale`, or NaN when the group has none. */
  protected readonly scales: Float64Array;
  protected readonly warmupT: number;
  protected readonly warmupLrInit: number;
  protected readonly warmupPrefix: boolean;
  /** Per group: the warm-up slope, `(v - warmup_lr_init) / warmup_t` (unused without warm-up). */
  protected warmupSteps: number[] = [];

  constructor(readonly opt: OptState, protected readonly a: FamilyArgs) {
    const groups = opt.groups;
    if (pyTruthy(a.get('initialize'))) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) throw new PyError('KeyError', pyStrRepr(`initial_lr missing from param_groups[${i}]`), 'initialize');
      });
    }
    this.baseValues = groups.map((g) => g.initialLr!);
    this.scales = Float64Array.from(opt.init.groups, (g: TimmGroupInit) => g.lr_scale ?? NaN);
    this.tInEpochs = pyTruthy(a.get('t_in_epochs'));
    if (a.get('noise_range_t').kind !== 'none') {
      throw new PyError('NotImplementedError', "LR Lens does not simulate timm's random lr noise (noise_range_t)", 'noise_range_t');
    }
    this.updateGroups((g) => this.baseValues[g]!);
    this.warmupT = a.num('warmup_t');
    this.warmupLrInit = a.num('warmup_lr_init');
    this.warmupPrefix = pyTruthy(a.get('warmup_prefix'));
  }

  get groups() {
    return this.opt.groups;
  }

  /** The subclass's `if self.warmup_t:` block, run at the end of its constructor. */
  protected initWarmup(targets: number[]): void {
    if (this.warmupT !== 0) {
      this.warmupSteps = targets.map((v) => (v - this.warmupLrInit) / this.warmupT);
      this.updateGroups(() => this.warmupLrInit);
    } else {
      this.warmupSteps = targets.map(() => 1);
    }
  }

  /** `update_groups`: each value times the group's `lr_scale` when it has one. */
  private updateGroups(value: (g: number) => number): void {
    this.groups.forEach((group, g) => { group.lr = this.scaled(value(g), g); });
  }

  private scaled(v: number, g: number): number {
    const s = this.scales[g]!;
    return Number.isNaN(s) ? v : v * s;
  }

  /** `_get_lr(t)[g]`. */
  valueAt(t: number, g: number): number {
    if (t < this.warmupT) return this.warmupLrInit + t * this.warmupSteps[g]!;
    return this.decayed(this.warmupPrefix ? t - this.warmupT : t, g);
  }

  /** The schedule past the warm-up branch, at (possibly shifted) t, for group g's base value. */
  protected abstract decayed(t: number, g: number): number;

  /** Points of interest within `steps` values: the warm-up end, then the subclass's own. */
  markers(steps: number): Marker[] {
    const out: Marker[] = [];
    if (this.warmupT > 0) out.push({ step: Math.ceil(this.warmupT), kind: 'warmup-end', label: 'warm-up end' });
    this.scheduleMarkers(steps, this.warmupPrefix ? this.warmupT : 0, out);
    return out.filter((m) => Number.isInteger(m.step) && m.step > 0 && m.step < steps).sort((a, b) => a.step - b.step).slice(0, MAX_MARKERS);
  }

  /** Restarts or milestones at schedule time + `shift` (the warm-up with the prefix). */
  protected abstract scheduleMarkers(steps: number, shift: number, out: Marker[]): void;

  /**
   * The script's own calls: value i (i ≥ 1) is each group's lr after the i-th call `step(ts[i − 1])` (timm reads its
   * schedule at the argument, whatever the count of calls); past the last call no call changes it. A failure is
   * StepFailure(i) at the first call that raises.
   */
  runAt(out: Float64Array[], ts: ArrayLike<number>, to: number): void {
    this.steps(out, 1, to, ts);
  }

  /**
   * `step(k)` (or `step_update(k)`) for k = from..to-1, recording each group's lr in out[g][k].
   * A failure is StepFailure(k) at the first k that raises (every group fails at the same t).
   */
  run(out: Float64Array[], from: number, to: number): void {
    this.steps(out, from, to, null);
  }

  /** Value k = the lr after a call at t = k (`ts` null) or at `ts[k − 1]` (past its end: unchanged). */
  private steps(out: Float64Array[], from: number, to: number, ts: ArrayLike<number> | null): void {
    const groups = this.groups;
    let stop = to;
    let first: StepFailure | null = null;
    for (let g = 0; g < out.length; g++) {
      const o = out[g]!;
      const s = this.scales[g]!;
      const hasScale = !Number.isNaN(s);
      let lr = groups[g]!.lr;
      let k = from;
      try {
        for (; k < stop; k++) {
          if (ts === null || k - 1 < ts.length) {
            const v = this.valueAt(ts === null ? k : ts[k - 1]!, g);
            lr = hasScale ? v * s : v;
          }
          o[k] = lr;
        }
      } catch (e) {
        first = new StepFailure(k, e);
        stop = k;
      }
      groups[g]!.lr = lr;
    }
    if (first) throw first;
  }
}

/** Cosine, Poly and Tanh: cycles of `t_initial` growing by `cycle_mul`, peaks decaying by `cycle_decay`, `lr_min` after `cycle_limit`. */
abstract class CyclicTimm extends TimmScheduler {
  protected readonly tInitial: number;
  protected readonly lrMin: number;
  protected readonly cycleMul: number;
  protected readonly cycleDecay: number;
  protected readonly cycleLimit: number;
  // The cycle of the last `cycle(t)` call (fields, so the hot loop allocates nothing).
  protected cycI = 0;
  protected cycTi = 0;
  protected cycTcurr = 0;
  /** `cycle_decay ** i` of that cycle. */
  protected cycGamma = 1;
  /** `cycle_mul ** i`, and the i both powers were computed for (they only change with the cycle). */
  private powMul = 1;
  private powI = NaN;
  /** `math.log(cycle_mul)`, the divisor of `math.log(x, cycle_mul)`. */
  private readonly logMul: number;

  constructor(opt: OptState, a: FamilyArgs) {
    super(opt, a);
    pyAssert(comparable(a.get('t_initial'), '>', 'int', 't_initial') > 0, 't_initial');
    pyAssert(comparable(a.get('lr_min'), '>=', 'int', 'lr_min') >= 0, 'lr_min');
    this.tInitial = a.num('t_initial');
    this.lrMin = a.num('lr_min');
    this.cycleMul = a.num('cycle_mul');
    this.cycleDecay = a.num('cycle_decay');
    this.cycleLimit = a.num('cycle_limit');
    this.logMul = Math.log(this.cycleMul);
  }

  /** The cycle index, its length and the position in it, as `_get_lr` computes them. */
  protected cycle(t: number): void {
    const mul = this.cycleMul;
    const t0 = this.tInitial;
    if (mul !== 1) {
      // math.log(1 - t / t_initial * (1 - cycle_mul), cycle_mul)
      const x = 1 - t / t0 * (1 - mul);
      if (!(x > 0) || !(mul > 0)) throw mathDomain();
      const i = Math.floor(Math.log(x) / this.logMul);
      this.setPowers(i);
      this.cycI = i;
      this.cycTi = this.powMul * t0;
      this.cycTcurr = t - (1 - this.powMul) / (1 - mul) * t0;
    } else {
      const i = Math.floor(t / t0);
      this.setPowers(i);
      this.cycI = i;
      this.cycTi = t0;
      this.cycTcurr = t - t0 * i;
    }
  }

  /** Past the warm-up: the cycle's curve while `i < cycle_limit`, then `lr_min`. */
  protected decayed(t: number, g: number): number {
    this.cycle(t);
    if (!(this.cycI < this.cycleLimit)) return this.lrMin;
    return this.curve(this.baseValues[g]! * this.cycGamma);
  }

  /** Each cycle's first step (found with `cycle`'s own arithmetic), and where `lr_min` takes over. */
  protected scheduleMarkers(steps: number, shift: number, out: Marker[]): void {
    const index = (t: number): number => {
      this.cycle(t);
      return this.cycI;
    };
    const mul = this.cycleMul;
    try {
      for (let j = 1; out.length < MAX_MARKERS; j++) {
        const guess = mul === 1 ? j * this.tInitial : this.tInitial * (Math.pow(mul, j) - 1) / (mul - 1);
        if (!(guess + shift < steps)) break;
        let t = Math.ceil(guess);
        while (t > 0 && index(t - 1) >= j) t--;
        while (index(t) < j && t < steps) t++;
        const end = j >= this.cycleLimit;
        out.push({ step: t + shift, kind: end ? 'phase' : 'restart', label: end ? 'lr_min' : 'restart' });
        if (end) break;
      }
    } catch {
      // math domain error further on: the curve reports it.
    }
  }

  /** The subclass's formula inside the current cycle (`cycTcurr` of `cycTi`), for the cycle's peak `lrMax`. */
  protected abstract curve(lrMax: number): number;

  private setPowers(i: number): void {
    if (i === this.powI) return;
    this.powI = i;
    this.powMul = Math.pow(this.cycleMul, i);
    this.cycGamma = pyPow(this.cycleDecay, i);
  }
}

/** `x ** k` for the k-decay exponent (`x ** 1.0` is x itself). */
function kPow(x: number, k: number): number {
  return k === 1 ? x : pyPow(x, k);
}

export class CosineLRScheduler extends CyclicTimm {
  readonly kind = 'timm.CosineLRScheduler' as const;
  private readonly k: number;

  constructor(opt: OptState, a: FamilyArgs) {
    super(opt, a);
    this.k = a.num('k_decay');
    this.initWarmup(this.baseValues);
  }

  protected curve(lrMax: number): number {
    const min = this.lrMin;
    const k = this.k;
    return min + 0.5 * (lrMax - min) * (1 + Math.cos(Math.PI * kPow(this.cycTcurr, k) / kPow(this.cycTi, k)));
  }

  /**
   * The common case (`cycle_mul == 1`, `k_decay == 1`) as one loop per group: `valueAt` → `cycle` → `curve`
   * with the same operations inlined (cycles of t_initial, `cycle_decay ** i` recomputed when i changes).
   * Nothing in it raises (t ≥ 0 past the warm-up, so i ≥ 0); other settings take the general path.
   */
  override run(out: Float64Array[], from: number, to: number): void {
    if (this.cycleMul !== 1 || this.k !== 1) return super.run(out, from, to);
    const groups = this.groups;
    const t0 = this.tInitial;
    const warmT = this.warmupT;
    const warmInit = this.warmupLrInit;
    const shift = this.warmupPrefix ? warmT : 0;
    const min = this.lrMin;
    const limit = this.cycleLimit;
    const decay = this.cycleDecay;
    const t0Zero = t0 * 0;
    const firstOn = 0 < limit;
    for (let g = 0; g < out.length; g++) {
      const o = out[g]!;
      const s = this.scales[g]!;
      const hasScale = !Number.isNaN(s);
      const base = this.baseValues[g]!;
      const slope = this.warmupSteps[g]!;
      let lastI = NaN;
      let gamma = 1;
      const lrMax0 = base * Math.pow(decay, 0);
      let lr = groups[g]!.lr;
      for (let k = from; k < to; k++) {
        let v: number;
        if (k < warmT) v = warmInit + k * slope;
        else {
          const t = shift === 0 ? k : k - shift;
          // 0 ≤ t < t0 gives t / t0 ≤ pred(1) after rounding, so floor(t / t0) is 0: the first cycle's
          // operations with i = 0 folded (`t0 * 0` and `base * cycle_decay ** 0` computed once).
          if (t < t0 && firstOn) {
            v = min + 0.5 * (lrMax0 - min) * (1 + Math.cos(Math.PI * (t - t0Zero) / t0));
            lr = hasScale ? v * s : v;
            o[k] = lr;
            continue;
          }
          const i = Math.floor(t / t0);
          if (i !== lastI) {
            lastI = i;
            gamma = Math.pow(decay, i);
          }
          if (!(i < limit)) v = min;
          else {
            const lrMax = base * gamma;
            v = min + 0.5 * (lrMax - min) * (1 + Math.cos(Math.PI * (t - t0 * i) / t0));
          }
        }
        lr = hasScale ? v * s : v;
        o[k] = lr;
      }
      groups[g]!.lr = lr;
    }
  }
}

export class PolyLRScheduler extends CyclicTimm {
  readonly kind = 'timm.PolyLRScheduler' as const;
  private readonly k: number;
  private readonly power: number;

  constructor(opt: OptState, a: FamilyArgs) {
    super(opt, a);
    this.k = a.num('k_decay');
    this.power = a.num('power');
    this.initWarmup(this.baseValues);
  }

  protected curve(lrMax: number): number {
    const min = this.lrMin;
    const k = this.k;
    return min + (lrMax - min) * pyPow(1 - kPow(this.cycTcurr, k) / kPow(this.cycTi, k), this.power);
  }
}

export class TanhLRScheduler extends CyclicTimm {
  readonly kind = 'timm.TanhLRScheduler' as const;
  private readonly lb: number;
  private readonly ub: number;

  constructor(opt: OptState, a: FamilyArgs) {
    super(opt, a);
    pyAssert(comparable(a.get('lb'), '<', 'float', 'lb') < a.num('ub'), 'lb');
    pyAssert(comparable(a.get('cycle_limit'), '>=', 'int', 'cycle_limit') >= 0, 'cycle_limit');
    pyAssert(this.warmupT >= 0, 'warmup_t');
    pyAssert(this.warmupLrInit >= 0, 'warmup_lr_init');
    this.lb = a.num('lb');
    this.ub = a.num('ub');
    // Without the prefix the warm-up aims at the tanh value at t = warmup_t (no jump where it ends).
    const targets = this.warmupT !== 0 && !this.warmupPrefix
      ? this.baseValues.map((_, g) => this.decayed(this.warmupT, g))
      : this.baseValues;
    this.initWarmup(targets);
  }

  protected curve(lrMax: number): number {
    const min = this.lrMin;
    const tr = this.cycTcurr / this.cycTi;
    return min + 0.5 * (lrMax - min) * (1 - Math.tanh(this.lb * (1.0 - tr) + this.ub * tr));
  }
}

export class StepLRScheduler extends TimmScheduler {
  readonly kind = 'timm.StepLRScheduler' as const;
  private readonly decayT: number;
  private readonly decayRate: number;
  private readonly intDiv: boolean;

  constructor(opt: OptState, a: FamilyArgs) {
    super(opt, a);
    this.decayT = a.num('decay_t');
    this.decayRate = a.num('decay_rate');
    this.intDiv = a.isInt('decay_t') && a.isInt('warmup_t');
    this.initWarmup(this.baseValues);
  }

  protected decayed(t: number, g: number): number {
    return this.baseValues[g]! * pyPow(this.decayRate, pyFloorDiv(t, this.decayT, this.intDiv));
  }

  protected scheduleMarkers(steps: number, shift: number, out: Marker[]): void {
    if (!(this.decayT > 0)) return;
    for (let t = this.decayT; t + shift < steps && out.length < MAX_MARKERS; t += this.decayT) {
      out.push({ step: t + shift, kind: 'milestone', label: `×${this.decayRate}` });
    }
  }
}

export class MultiStepLRScheduler extends TimmScheduler {
  readonly kind = 'timm.MultiStepLRScheduler' as const;
  /** `decay_t` as numbers, or null when it is not a list (bisect raises when first reached). */
  private readonly decayT: Float64Array | null;
  private readonly decayTArg: Arg;
  private readonly decayRate: number;

  constructor(opt: OptState, a: FamilyArgs) {
    super(opt, a);
    this.decayTArg = a.get('decay_t');
    const d = this.decayTArg;
    this.decayT = d.kind === 'list' && d.items.every(isNumeric) ? Float64Array.from(d.items, (x) => toNumber(x)) : null;
    this.decayRate = a.num('decay_rate');
    this.initWarmup(this.baseValues);
  }

  /** `bisect.bisect_right(decay_t, t + 1)`: one step before each milestone. */
  protected decayed(t: number, g: number): number {
    if (!this.decayT) throw new PyError('TypeError', `object of type '${pyTypeName(this.decayTArg)}' has no len()`, 'decay_t');
    return this.baseValues[g]! * pyPow(this.decayRate, bisectRight(this.decayT, t + 1));
  }

  /** Each decay shows at milestone − 1. */
  protected scheduleMarkers(_steps: number, shift: number, out: Marker[]): void {
    for (const d of this.decayT ?? []) out.push({ step: d - 1 + shift, kind: 'milestone', label: `×${this.decayRate} (milestone ${d})` });
  }
}

/**
 * timm's constructor for `kind` on the optimizer's shared state (throws the PyError it raises); the
 * factories construct the class they pick.
 */
export function constructTimm(kind: TimmKind, given: Map<string, Arg> | Record<string, Arg>, opt: OptState): TimmScheduler {
  if (kind === 'timm.create_scheduler_v2' || kind === 'timm.create_scheduler') {
    const r = resolveTimmFactory(kind, given);
    return constructTimm(r.kind, r.args, opt);
  }
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  switch (kind) {
    case 'timm.CosineLRScheduler': return new CosineLRScheduler(opt, a);
    case 'timm.PolyLRScheduler': return new PolyLRScheduler(opt, a);
    case 'timm.TanhLRScheduler': return new TanhLRScheduler(opt, a);
    case 'timm.StepLRScheduler': return new StepLRScheduler(opt, a);
    case 'timm.MultiStepLRScheduler': return new MultiStepLRScheduler(opt, a);
  }
}
