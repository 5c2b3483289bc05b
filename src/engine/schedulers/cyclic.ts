/**
 * CyclicLR (docs/torch-schedulers.md §2.11, §4): an absolute triangle wave recomputed from
 * `e` every step, with the mirrored momentum cycle.
 */
import { modeInvalid, momentumUnsupported, notCallable } from '../errors';
import { pyDiv, pyFloat, pyTruthy, pyTypeName, toNumber } from '../py';
import type { Arg, Blame, Marker, SchedulerConstruction } from '../types';
import { Args, formatParam, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';
import { MAX_MARKERS } from './step';

const enum Scale { Triangular, Triangular2, ExpRange, Custom }

/** A cycle (or its rising half) of zero length divides by zero (LR093). */
const ZERO_CYCLE: Blame = { rule: 'LR093', param: 'step_size_up' };

/** torch 1.13's CyclicLR: lr and (when cycled) momentum recomputed from the epoch every step. */
export class CyclicLR extends LRScheduler {
  readonly kind = 'CyclicLR' as const;
  readonly maxLrs: number[];
  readonly up: number;
  readonly total: number;
  readonly ratio: number;
  private readonly scaleKind: Scale;
  private readonly scaleFn: Arg;
  /** 'cycle': the scale function gets the cycle number; otherwise the iteration. */
  private readonly byCycle: boolean;
  readonly gamma: number;
  readonly cycleMomentum: boolean;
  baseMomentums: number[] = [];
  maxMomentums: number[] = [];

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    const groups = this.groups;
    const n = groups.length;
    const lastEpoch = args.lastEpoch();
    const baseLrs = formatParam('base_lr', args.get('base_lr'), n).map((a) => toNumber(a, 'base_lr'));
    if (lastEpoch === -1) groups.forEach((g, i) => { g.lr = baseLrs[i]!; });
    this.maxLrs = formatParam('max_lr', args.get('max_lr'), n).map((a) => toNumber(a, 'max_lr'));

    const up = pyFloat(args.get('step_size_up'), 'step_size_up');
    const downArg = args.get('step_size_down');
    const down = downArg.kind === 'none' ? up : pyFloat(downArg, 'step_size_down');
    this.up = up;
    this.total = up + down;
    this.ratio = pyDiv(up, this.total, ZERO_CYCLE);

    const mode = args.get('mode');
    const scaleFn = args.get('scale_fn');
    const modeName = mode.kind === 'str' ? mode.value : '';
    const builtin = modeName === 'triangular' || modeName === 'triangular2' || modeName === 'exp_range';
    if (!builtin && scaleFn.kind === 'none') throw modeInvalid();
    this.gamma = args.num('gamma');
    this.scaleFn = scaleFn;
    if (scaleFn.kind === 'none') {
      this.scaleKind = modeName === 'triangular' ? Scale.Triangular : modeName === 'triangular2' ? Scale.Triangular2 : Scale.ExpRange;
      this.byCycle = modeName !== 'exp_range';
    } else {
      this.scaleKind = Scale.Custom;
      const sm = args.get('scale_mode');
      this.byCycle = sm.kind === 'str' && sm.value === 'cycle';
    }

    this.cycleMomentum = pyTruthy(args.get('cycle_momentum'));
    if (this.cycleMomentum) {
      if (!this.opt.momentumInDefaults) throw momentumUnsupported();
      const bm = formatParam('base_momentum', args.get('base_momentum'), n).map((a) => toNumber(a, 'base_momentum'));
      if (lastEpoch === -1) groups.forEach((g, i) => { g.momentum = bm[i]!; });
      this.baseMomentums = groups.map((g) => g.momentum ?? NaN);
      this.maxMomentums = formatParam('max_momentum', args.get('max_momentum'), n).map((a) => toNumber(a, 'max_momentum'));
    }
    // The implicit first step still uses base_lrs = the groups' initial_lr; torch replaces them afterwards.
    this.init(lastEpoch);
    this.baseLrs = baseLrs;
  }

  override cycledMomentum(): 'momentum' | null {
    return this.cycleMomentum ? 'momentum' : null;
  }

  private scale(x: number): number {
    switch (this.scaleKind) {
      case Scale.Triangular: return 1.0;
      case Scale.Triangular2: return 1 / Math.pow(2.0, x - 1);
      case Scale.ExpRange: return Math.pow(this.gamma, x);
      case Scale.Custom: return callScale(this.scaleFn, x);
    }
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    const cycle = Math.floor(1 + e / this.total);
    const x = 1.0 + e / this.total - cycle;
    const s = x <= this.ratio ? pyDiv(x, this.ratio, ZERO_CYCLE) : pyDiv(x - 1, this.ratio - 1, ZERO_CYCLE);
    const arg = this.byCycle ? cycle : e;
    const groups = this.groups;
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * s * this.scale(arg));
    if (this.cycleMomentum) {
      const moms = this.baseMomentums.map((bm, i) => this.maxMomentums[i]! - (this.maxMomentums[i]! - bm) * s * this.scale(arg));
      for (let i = 0; i < moms.length; i++) groups[i]!.momentum = moms[i]!;
    }
    for (let i = 0; i < lrs.length; i++) groups[i]!.lr = lrs[i]!;
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const total = this.total;
    const ratio = this.ratio;
    const base = this.baseLrs[g]!;
    const max = this.maxLrs[g]!;
    const cm = this.cycleMomentum;
    const maxM = cm ? this.maxMomentums[g]! : NaN;
    const baseM = cm ? this.baseMomentums[g]! : NaN;
    // torch calls scale_fn once for the lr and once for the momentum; the built-in ones are pure.
    const twice = this.scaleKind === Scale.Custom;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        const cycle = Math.floor(1 + e / total);
        const x = 1.0 + e / total - cycle;
        const s = x <= ratio ? pyDiv(x, ratio, ZERO_CYCLE) : pyDiv(x - 1, ratio - 1, ZERO_CYCLE);
        const arg = this.byCycle ? cycle : e;
        const scale = this.scale(arg);
        lr = base + (max - base) * s * scale;
        o[k] = lr;
        if (cm) {
          const mom = maxM - (maxM - baseM) * s * (twice ? this.scale(arg) : scale);
          if (m) m[k] = mom;
        }
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

  /** The group's momentum after the last kernel step (the same formula at epoch e). */
  protected override settleGroup(g: number, e: number): void {
    if (!this.cycleMomentum) return;
    const cycle = Math.floor(1 + e / this.total);
    const x = 1.0 + e / this.total - cycle;
    const s = x <= this.ratio ? pyDiv(x, this.ratio, ZERO_CYCLE) : pyDiv(x - 1, this.ratio - 1, ZERO_CYCLE);
    const maxM = this.maxMomentums[g]!;
    this.groups[g]!.momentum = maxM - (maxM - this.baseMomentums[g]!) * s * this.scale(this.byCycle ? cycle : e);
  }


  override markers(steps: number): Marker[] {
    const out: Marker[] = [];
    const t = this.total;
    if (!(t >= 1)) return out;
    for (let c = 0; out.length < MAX_MARKERS; c++) {
      const peak = Math.ceil(c * t + this.up);
      const restart = Math.ceil((c + 1) * t);
      if (peak < steps && peak > 0) out.push({ step: peak, kind: 'peak', label: 'max_lr' });
      if (restart >= steps) break;
      out.push({ step: restart, kind: 'restart', label: `cycle ${c + 2}` });
    }
    return out;
  }
}

function callScale(f: Arg, x: number): number {
  if (f.kind === 'func') return f.call(x);
  throw notCallable(pyTypeName(f), 'scale_fn');
}
