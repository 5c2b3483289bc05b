/**
 * OneCycleLR (docs/torch-schedulers.md §2.12, §4): a phase table over `total_steps`, read
 * from the group keys it writes (initial_lr, max_lr, min_lr, momentum bounds).
 */
import {
  annealStrategyInvalid, expectedPositiveInt, lengthUndefined, momentumUnsupported, overstepped, pctStartRange,
} from '../errors';
import { comparable, isInstanceInt, pyDiv, pyTruthy, toNumber, ZERO_DIV_FLOAT, zeroDivision } from '../py';
import type { Group } from '../state';
import { PyError, type Arg, type Blame, type Marker, type SchedulerConstruction } from '../types';
import { Args, fmt, formatParam, LRScheduler, requireOptimizer, StepFailure, type BuildContext } from './base';

type LrKey = 'initialLr' | 'maxLr' | 'minLr';
type MomKey = 'maxMomentum' | 'baseMomentum';

interface Phase {
  end: number;
  startLr: LrKey;
  endLr: LrKey;
  startMom: MomKey;
  endMom: MomKey;
}

const PY_KEY: Record<LrKey | MomKey, string> = {
  initialLr: 'initial_lr', maxLr: 'max_lr', minLr: 'min_lr', maxMomentum: 'max_momentum', baseMomentum: 'base_momentum',
};

/** A positive Python int check with torch's message (`name` in the text). */
function positiveInt(a: Arg, name: string): number {
  // `None <= 0`: a length left out (LR100); any other non-number is an invalid length (LR101).
  const v = comparable(a, '<=', 'int', name, a.kind === 'none' ? 'LR100' : 'LR101');
  if (v <= 0 || !isInstanceInt(a)) throw expectedPositiveInt(name, a, 'LR101');
  return v;
}

/** A phase of zero width divides by zero: in the constructor's first step (LR104) or at a later step (LR105). */
const WARM_UP_ZERO: Blame = { rule: 'LR104', param: 'pct_start' };
const ANNEAL_ZERO: Blame = { rule: 'LR105', param: 'pct_start' };

/** torch 1.13's OneCycleLR: phase table over total_steps, momentum or beta1 cycled inversely. */
export class OneCycleLR extends LRScheduler {
  readonly kind = 'OneCycleLR' as const;
  readonly totalSteps: number;
  /** `str(self.total_steps)` for the overstep message (`True` stays `True`). */
  private readonly totalText: string;
  readonly phases: Phase[];
  readonly cos: boolean;
  readonly cycleMomentum: boolean;
  readonly useBeta1: boolean;
  /** False while the constructor runs (its implicit first step included). */
  private constructed = false;

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireOptimizer(c, ctx, args));
    const total = args.get('total_steps');
    const epochs = args.get('epochs');
    const spe = args.get('steps_per_epoch');
    if (total.kind === 'none' && epochs.kind === 'none' && spe.kind === 'none') {
      throw lengthUndefined();
    } else if (total.kind !== 'none') {
      this.totalSteps = positiveInt(total, 'total_steps');
      this.totalText = fmt(total);
    } else {
      this.totalSteps = positiveInt(epochs, 'epochs') * positiveInt(spe, 'steps_per_epoch');
      this.totalText = String(this.totalSteps);
    }
    const n = this.totalSteps;
    const pctArg = args.get('pct_start');
    const pct = toNumber(pctArg, 'pct_start');
    this.phases = pyTruthy(args.get('three_phase'))
      ? [
        { end: pct * n - 1, startLr: 'initialLr', endLr: 'maxLr', startMom: 'maxMomentum', endMom: 'baseMomentum' },
        { end: 2 * pct * n - 2, startLr: 'maxLr', endLr: 'initialLr', startMom: 'baseMomentum', endMom: 'maxMomentum' },
        { end: n - 1, startLr: 'initialLr', endLr: 'minLr', startMom: 'maxMomentum', endMom: 'maxMomentum' },
      ]
      : [
        { end: pct * n - 1, startLr: 'initialLr', endLr: 'maxLr', startMom: 'maxMomentum', endMom: 'baseMomentum' },
        { end: n - 1, startLr: 'maxLr', endLr: 'minLr', startMom: 'baseMomentum', endMom: 'maxMomentum' },
      ];
    if (pct < 0 || pct > 1 || pctArg.kind !== 'float' || pctArg.numpy) {
      throw pctStartRange(pctArg);
    }
    const anneal = args.get('anneal_strategy');
    if (anneal.kind !== 'str' || (anneal.value !== 'cos' && anneal.value !== 'linear')) {
      throw annealStrategyInvalid(anneal);
    }
    this.cos = anneal.value === 'cos';

    const groups = this.groups;
    const lastEpoch = args.lastEpoch();
    const maxLrs = formatParam('max_lr', args.get('max_lr'), groups.length).map((a) => toNumber(a, 'max_lr'));
    if (lastEpoch === -1) {
      const div = args.num('div_factor');
      const finalDiv = args.num('final_div_factor');
      groups.forEach((g, i) => {
        g.initialLr = pyDiv(maxLrs[i]!, div, { rule: 'LR104', param: 'div_factor' });
        g.maxLr = maxLrs[i]!;
        g.minLr = pyDiv(g.initialLr!, finalDiv, { rule: 'LR104', param: 'final_div_factor' });
      });
    }

    this.cycleMomentum = pyTruthy(args.get('cycle_momentum'));
    this.useBeta1 = false;
    if (this.cycleMomentum) {
      if (!this.opt.momentumInDefaults && !this.opt.betasInDefaults) throw momentumUnsupported();
      this.useBeta1 = this.opt.betasInDefaults;
      const maxM = formatParam('max_momentum', args.get('max_momentum'), groups.length).map((a) => toNumber(a, 'max_momentum'));
      const baseM = formatParam('base_momentum', args.get('base_momentum'), groups.length).map((a) => toNumber(a, 'base_momentum'));
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (this.useBeta1) g.beta1 = maxM[i]!;
          else g.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    this.init(lastEpoch);
    this.constructed = true;
  }

  /** What a zero-width phase is filed under: the constructor's first step is LR104, later steps LR105. */
  private get zeroWidth(): Blame {
    return this.constructed ? ANNEAL_ZERO : WARM_UP_ZERO;
  }

  override cycledMomentum(): 'momentum' | 'beta1' | null {
    return this.cycleMomentum ? (this.useBeta1 ? 'beta1' : 'momentum') : null;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.cos) return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  /** get_lr for one group at step e: writes momentum/beta1 (as torch does inside get_lr) and returns the lr. */
  private groupLr(g: Group, e: number): number {
    const phases = this.phases;
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const p = phases[i]!;
      if (e <= p.end || i === phases.length - 1) {
        const pct = pyDiv(e - start, p.end - start, this.zeroWidth);
        const lr = this.anneal(key(g, p.startLr), key(g, p.endLr), pct);
        if (this.cycleMomentum) {
          const m = this.anneal(key(g, p.startMom), key(g, p.endMom), pct);
          if (this.useBeta1) g.beta1 = m;
          else g.momentum = m;
        }
        return lr;
      }
      start = p.end;
    }
    return g.lr;
  }

  private checkStep(e: number): void {
    if (e > this.totalSteps) {
      throw overstepped(e + 1, this.totalText);
    }
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    this.checkStep(e);
    const groups = this.groups;
    const lrs = groups.map((g) => this.groupLr(g, e));
    for (let i = 0; i < lrs.length; i++) groups[i]!.lr = lrs[i]!;
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const grp = this.groups[g]!;
    const phases = this.phases;
    const last = phases.length - 1;
    const cm = this.cycleMomentum && m !== null;
    const total = this.totalSteps;
    let lr = grp.lr;
    let e = this.lastEpoch;
    let start = 0;
    let k = from;
    try {
      for (let i = 0; i <= last && k < to; i++) {
        const p = phases[i]!;
        // torch takes the first phase with e <= end (or the last); e only grows, so phases are visited in order.
        if (i < last && !(e + 1 <= p.end)) {
          start = p.end;
          continue;
        }
        // The group keys a phase reads do not change while stepping: read them once.
        const a = key(grp, p.startLr);
        const b = key(grp, p.endLr);
        const ma = cm ? key(grp, p.startMom) : 0;
        const mb = cm ? key(grp, p.endMom) : 0;
        const width = p.end - start;
        const half = (a - b) / 2.0;
        const mHalf = (ma - mb) / 2.0;
        // Steps of this phase: while e <= end (the last phase takes the rest); never past total_steps.
        const lastEpoch = i < last ? Math.min(Math.floor(p.end), total) : total;
        const stop = Math.min(to, k + Math.max(0, lastEpoch - e));
        if (width === 0 && stop > k) throw zeroDivision(ZERO_DIV_FLOAT, this.zeroWidth);
        if (this.cos) {
          for (; k < stop; k++) {
            e++;
            const c = Math.cos(Math.PI * ((e - start) / width)) + 1;
            lr = b + half * c;
            o[k] = lr;
            if (cm) m[k] = mb + mHalf * c;
          }
        } else {
          for (; k < stop; k++) {
            e++;
            const pct = (e - start) / width;
            lr = (b - a) * pct + a;
            o[k] = lr;
            if (cm) m[k] = (mb - ma) * pct + ma;
          }
        }
        start = p.end;
      }
      if (k < to) this.checkStep(e + 1);
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }


  /** The group's momentum/beta1 after the last kernel step (get_lr writes it). */
  protected override settleGroup(g: number, e: number): void {
    if (this.cycleMomentum) this.groupLr(this.groups[g]!, e);
  }


  override markers(steps: number): Marker[] {
    const out: Marker[] = [];
    const labels = this.phases.length === 3 ? ['peak (max_lr)', 'back at initial_lr', 'end (min_lr)'] : ['peak (max_lr)', 'end (min_lr)'];
    this.phases.forEach((p, i) => {
      const s = Math.ceil(p.end);
      if (s > 0 && s < steps) out.push({ step: s, kind: i === 0 ? 'peak' : 'phase', label: labels[i]! });
    });
    return out;
  }
}

/** `group[key]`: KeyError with Python's text when the key is missing (resume without OneCycleLR's keys). */
function key(g: Group, k: LrKey | MomKey): number {
  const v = g[k];
  if (v === undefined) throw new PyError('KeyError', `'${PY_KEY[k]}'`);
  return v;
}
