/**
 * The preview length the arguments imply. Each rule (value count, i.e. steps() + 1):
 *
 * | scheduler | horizon | source text |
 * |---|---|---|
 * | CosineAnnealingLR | T_max + 1 (one half-period, ends at eta_min) | `T_max + 1` |
 * | OneCycleLR | total_steps (or epochs × steps_per_epoch) | `total_steps` / `epochs × steps_per_epoch` |
 * | StepLR | 3 decays: 3·step_size + 1 | `3 × step_size + 1` |
 * | MultiStepLR | ⌈last milestone × 1.25⌉ | `last milestone × 1.25` |
 * | ConstantLR, LinearLR | ⌈1.25·total_iters⌉ + 1: the change, then a quarter of its length at the final value | `total_iters × 1.25 + 1` |
 * | PolynomialLR | total_iters + 1 (ends at 0) | `total_iters + 1` |
 * | ExponentialLR | until 1 % of the start: ⌈ln 0.01 / ln gamma⌉ + 1 (0 < gamma < 1) | `until lr = 1% of start` |
 * | CosineAnnealingWarmRestarts | 3 cycles: T_0·(1 + T_mult + T_mult²) + 1 | `3 cycles` |
 * | CosineAnnealingWarmUpRestarts | 3 cycles of its own lengths (cosine part × T_mult) + 1 | `3 cycles` |
 * | CyclicLR | 3 cycles: 3·(up + down) + 1 | `3 cycles` |
 * | WarmupConstantSchedule | 3·warmup_steps + 1 | `3 × warmup_steps + 1` |
 * | LambdaLR, MultiplicativeLR | 100 (a callable has no visible length) | `default` |
 * | SequentialLR | last milestone + the last member's horizon | `last milestone + <member rule>` |
 * | ChainedScheduler | the longest member horizon | `longest member: <member rule>` |
 * | ReduceLROnPlateau | first cut + 4 more of the fastest staircase | `5 plateau cuts` |
 *
 * Arguments that are missing or unusable fall back to 100 (`default`). The result is
 * clamped to [2, 1 000 000].
 */
import { familyHorizon, isFamilyConstruction } from './families/program';
import { Args } from './schedulers/base';
import { isNumeric, toNumber } from './py';
import type { Arg, Program } from './types';

/** Bounds of every default horizon (values per group). */
export const MIN_HORIZON = 2;
export const MAX_HORIZON = 1_000_000;
const DEFAULT = { steps: 100, source: 'default' };

/** A horizon: value count per group and the rule that produced it. */
export interface Horizon {
  steps: number;
  source: string;
}

/** The horizon `program.schedulers[target]`'s arguments imply (rules above). Never throws. */
export function defaultHorizon(program: Program, target: number): Horizon {
  let h: Horizon;
  try {
    h = rawHorizon(program, target, 0);
  } catch {
    h = DEFAULT; // malformed construction (e.g. an unknown kind): the plain default
  }
  const steps = Number.isFinite(h.steps) ? Math.round(h.steps) : DEFAULT.steps;
  return { steps: Math.min(MAX_HORIZON, Math.max(MIN_HORIZON, steps)), source: h.source };
}

function num(a: Arg): number | null {
  return isNumeric(a) ? toNumber(a) : null;
}

function positive(x: number | null): x is number {
  return x !== null && Number.isFinite(x) && x > 0;
}

function rawHorizon(program: Program, index: number, depth: number): Horizon {
  const c = program.schedulers[index];
  if (!c || depth > 16) return DEFAULT;
  if (isFamilyConstruction(c)) return familyHorizon(program, c) ?? DEFAULT;
  const args = new Args(c.kind, c.args);
  const n = (name: string) => num(args.get(name));
  switch (c.kind) {
    case 'CosineAnnealingLR': {
      const t = n('T_max');
      return positive(t) ? { steps: t + 1, source: 'T_max + 1' } : DEFAULT;
    }
    case 'OneCycleLR': {
      const total = n('total_steps');
      if (positive(total)) return { steps: total, source: 'total_steps' };
      const e = n('epochs');
      const s = n('steps_per_epoch');
      return positive(e) && positive(s) ? { steps: e * s, source: 'epochs × steps_per_epoch' } : DEFAULT;
    }
    case 'StepLR': {
      const s = n('step_size');
      return positive(s) ? { steps: 3 * Math.ceil(s) + 1, source: '3 × step_size + 1' } : DEFAULT;
    }
    case 'MultiStepLR': {
      const ms = args.get('milestones');
      const vals = ms.kind === 'list' ? ms.items.map(num).filter(positive) : [];
      return vals.length ? { steps: Math.ceil(Math.max(...vals) * 1.25), source: 'last milestone × 1.25' } : DEFAULT;
    }
    case 'ConstantLR':
    case 'LinearLR': {
      const t = n('total_iters');
      return positive(t) ? { steps: Math.ceil(1.25 * Math.ceil(t)) + 1, source: 'total_iters × 1.25 + 1' } : DEFAULT;
    }
    case 'PolynomialLR': {
      const t = n('total_iters');
      return positive(t) ? { steps: Math.ceil(t) + 1, source: 'total_iters + 1' } : DEFAULT;
    }
    case 'ExponentialLR': {
      const g = n('gamma');
      return g !== null && g > 0 && g < 1 ? { steps: Math.ceil(Math.log(0.01) / Math.log(g)) + 1, source: 'until lr = 1% of start' } : DEFAULT;
    }
    case 'CosineAnnealingWarmRestarts': {
      const t0 = n('T_0');
      const m = n('T_mult');
      return positive(t0) && positive(m) ? { steps: t0 * (1 + m + m * m) + 1, source: '3 cycles' } : DEFAULT;
    }
    case 'CosineAnnealingWarmUpRestarts': {
      const t0 = n('T_0');
      const m = n('T_mult');
      const up = n('T_up') ?? 0;
      if (!positive(t0) || !positive(m)) return DEFAULT;
      let len = t0;
      let total = 0;
      for (let i = 0; i < 3 && len > 0; i++) {
        total += len;
        len = (len - up) * m + up;
      }
      return { steps: total + 1, source: '3 cycles' };
    }
    case 'CyclicLR': {
      const up = n('step_size_up');
      const downArg = args.get('step_size_down');
      const down = downArg.kind === 'none' ? up : num(downArg);
      return positive(up) && down !== null && down >= 0 ? { steps: Math.ceil(3 * (up + down)) + 1, source: '3 cycles' } : DEFAULT;
    }
    case 'WarmupConstantSchedule': {
      const w = n('warmup_steps');
      return positive(w) ? { steps: 3 * Math.ceil(w) + 1, source: '3 × warmup_steps + 1' } : DEFAULT;
    }
    case 'LambdaLR':
    case 'MultiplicativeLR':
      return DEFAULT;
    case 'SequentialLR': {
      const subs = memberList(args.get('schedulers'));
      const ms = args.get('milestones');
      const last = ms.kind === 'list' && ms.items.length ? num(ms.items[ms.items.length - 1]!) : null;
      if (!subs.length || last === null || !Number.isFinite(last)) return DEFAULT;
      const h = rawHorizon(program, subs[subs.length - 1]!, depth + 1);
      return { steps: Math.max(0, last) + h.steps, source: `last milestone + ${h.source}` };
    }
    case 'ChainedScheduler': {
      const hs = memberList(args.get('schedulers')).map((i) => rawHorizon(program, i, depth + 1));
      if (!hs.length) return DEFAULT;
      const best = hs.reduce((a, b) => (b.steps > a.steps ? b : a));
      return { steps: best.steps, source: `longest member: ${best.source}` };
    }
    case 'ReduceLROnPlateau': {
      const p = n('patience') ?? 10;
      const cd = n('cooldown') ?? 0;
      return { steps: p + 2 + 4 * (p + 1 + cd) + 1, source: '5 plateau cuts' };
    }
  }
}

function memberList(a: Arg): number[] {
  return a.kind === 'list' ? a.items.flatMap((x) => (x.kind === 'scheduler' ? [x.index] : [])) : [];
}
