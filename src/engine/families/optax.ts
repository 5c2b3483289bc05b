/**
 * optax's schedules (`optax/schedules/_schedule.py`, `_join.py`, 0.2.9.dev): pure functions of the
 * update count. optax computes in float32 by default; these follow its operations in float64.
 * A schedule passed to `join_schedules` is an Arg `func` (what these factories return, or a user's
 * callable); `boundaries_and_scales` dicts carry their int keys as strings (Arg dict keys).
 */
import { comparable, isNumeric, pyRepr, pyTruthy, pyTypeName, toNumber } from '../py';
import { callArg } from '../schedulers/lambda';
import { NO_RULE, PyError, type Arg } from '../types';
import { FamilyArgs } from './args';
import { withFill, type Schedule } from './keras';
import { bindFamilyCall, FAMILY_SIGNATURES, type FamilyKind } from './signatures';

export type OptaxKind = Extract<FamilyKind, `optax.${string}`>;

const constant = (v: number): Schedule => () => v;

/** `x ** p`; `x ** 1` is x itself, without the call. */
function pow(x: number, p: number): number {
  return p === 1 ? x : Math.pow(x, p);
}

/** `polynomial_schedule` (and `linear_schedule`, with power 1). */
function polynomial(init: number, end: number, power: number, steps: number, begin: number): Schedule {
  if (steps <= 0) return constant(init);
  const b = begin < 0 ? 0 : begin;
  return (count) => {
    const c = Math.min(Math.max(count - b, 0), steps);
    const frac = 1 - c / steps;
    return (init - end) * pow(frac, power) + end;
  };
}

function exponential(init: number, steps: number, rate: number, begin: number, staircase: boolean, end: number | null): Schedule {
  if (steps <= 0 || rate === 0) return constant(init);
  const b = begin < 0 ? 0 : begin;
  const clip = end === null ? null : rate < 1.0 ? Math.max : Math.min;
  return (count) => {
    const decreased = count - b;
    const p = decreased / steps;
    const v = decreased <= 0 ? init : init * Math.pow(rate, staircase ? Math.floor(p) : p);
    return clip === null ? v : clip(v, end!);
  };
}

/**
 * `cosine_decay_schedule`; `decaySteps` is the Arg as Python sees it (for the message's repr). `rule`: the
 * catalogue rule its ValueError stands for when a warm-up variant calls it (LR187: no decay left after warm-up).
 */
function cosineDecay(init: number, decaySteps: Arg, alpha: number, exponent: number, rule?: string): Schedule {
  const d = comparable(decaySteps, '>', 'int', 'decay_steps');
  if (!(d > 0)) throw new PyError('ValueError', `The cosine_decay_schedule requires positive decay_steps, got decay_steps=${pyRepr(decaySteps)}.`, 'decay_steps', rule);
  return (count) => {
    const c = Math.min(count, d);
    const cosine = 0.5 * (1 + Math.cos(Math.PI * c / d));
    return init * ((1 - alpha) * pow(cosine, exponent) + alpha);
  };
}

/** `{step: scale}` as sorted pairs (Python sorts the dict's items by key). */
function sortedScales(arg: Arg, param: string, method: 'items' | 'values'): [number, number][] {
  if (arg.kind !== 'dict') throw new PyError('AttributeError', `'${pyTypeName(arg)}' object has no attribute '${method}'`, param);
  return arg.entries.map(([k, v]): [number, number] => [Number(k), toNumber(v, param)]).sort((x, y) => x[0] - y[0]);
}

function interpolated(cosine: boolean, init: number, pairs: [number, number][]): Schedule {
  if (pairs.some(([, s]) => !(s >= 0.0))) {
    throw new PyError('ValueError', '`piecewise_interpolate_schedule` expects non-negative scale factors', 'boundaries_and_scales');
  }
  const bounds = [0, ...pairs.map(([b]) => b)];
  const values = [init];
  for (const [, s] of pairs) values.push(values[values.length - 1]! * s);
  const n = pairs.length;
  return (count) => {
    // The indicator dot product selects the one interval [b_i, b_i+1) holding the count; the others add 0.
    let r = 0;
    for (let i = 0; i < n; i++) {
      const lo = bounds[i]!;
      const hi = bounds[i + 1]!;
      if (lo <= count && count < hi) {
        const pct = (count - lo) / Math.max(hi - lo, 1);
        const start = values[i]!;
        const end = values[i + 1]!;
        r += cosine ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
      }
    }
    return r + (bounds[n]! <= count ? values[n]! : 0);
  };
}

/** A Python dict built from int keys in order: a repeated key keeps the last value. */
function intDict(pairs: [number, number][]): [number, number][] {
  const m = new Map<number, number>();
  for (const [k, v] of pairs) m.set(k, v);
  return [...m].sort((x, y) => x[0] - y[0]);
}

/**
 * `join_schedules`: schedule i + 1 takes over at boundary i and sees `step - boundary`. optax evaluates every
 * schedule and keeps the last one whose boundary is passed (`jnp.where`); the schedules are pure, so only that
 * one is evaluated here (boundaries need not be sorted: the last passed one wins, as in optax).
 */
function join(schedules: Schedule[], boundaries: number[]): Schedule {
  const n = Math.min(boundaries.length, schedules.length - 1);
  return (step) => {
    for (let i = n - 1; i >= 0; i--) if (!(step < boundaries[i]!)) return schedules[i + 1]!(step - boundaries[i]!);
    return schedules[0]!(step);
  };
}

/** `warmup_cosine_decay_schedule`: the cosine spans `decay_steps - warmup_steps` (decay_steps counts the warm-up). */
function warmupCosine(a: FamilyArgs): Schedule {
  const peak = a.num('peak_value');
  const w = a.num('warmup_steps');
  const end = a.num('end_value');
  const alpha = peak === 0.0 ? 0.0 : end / peak;
  const d = a.num('decay_steps') - w;
  const decaySteps: Arg = { kind: a.isInt('decay_steps') && a.isInt('warmup_steps') ? 'int' : 'float', value: d };
  const warmup = polynomial(a.num('init_value'), peak, 1, w, 0);
  const cosine = cosineDecay(peak, decaySteps, alpha, a.num('exponent'), 'LR187');
  const f = join([warmup, cosine], [w]);
  // join's branch for one boundary (`!(k < w)`: the cosine sees k - w), in a loop of its own.
  return withFill(f, (o, from, to) => { for (let k = from; k < to; k++) o[k] = !(k < w) ? cosine(k - w) : warmup(k); });
}

/** The function optax's factory returns for bound arguments (its ValueErrors raised here). */
export function makeOptaxSchedule(kind: OptaxKind, given: Map<string, Arg> | Record<string, Arg>): Schedule {
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  switch (kind) {
    case 'optax.constant_schedule':
      return constant(a.num('value'));
    case 'optax.polynomial_schedule':
      return polynomial(a.num('init_value'), a.num('end_value'), a.num('power'), a.num('transition_steps'), a.num('transition_begin'));
    case 'optax.linear_schedule':
      return polynomial(a.num('init_value'), a.num('end_value'), 1, a.num('transition_steps'), a.num('transition_begin'));
    case 'optax.warmup_constant_schedule':
      return polynomial(a.num('init_value'), a.num('peak_value'), 1, a.num('warmup_steps'), 0);
    case 'optax.piecewise_constant_schedule': {
      const init = a.num('init_value');
      if (a.isNone('boundaries_and_scales')) return constant(init);
      const pairs = sortedScales(a.get('boundaries_and_scales'), 'boundaries_and_scales', 'values');
      if (pairs.some(([, s]) => !(s >= 0.0))) {
        throw new PyError('ValueError', '`piecewise_constant_schedule` expects non-negative scale factors', 'boundaries_and_scales');
      }
      return (count) => {
        let v = init;
        for (const [threshold, scale] of pairs) {
          const indicator = count < threshold ? 1 : 0;
          v = v * indicator + (1 - indicator) * scale * v;
        }
        return v;
      };
    }
    case 'optax.exponential_decay':
      return exponential(a.num('init_value'), a.num('transition_steps'), a.num('decay_rate'), a.num('transition_begin'),
        pyTruthy(a.get('staircase')), a.isNone('end_value') ? null : a.num('end_value'));
    case 'optax.cosine_decay_schedule':
      return cosineDecay(a.num('init_value'), a.get('decay_steps'), a.num('alpha'), a.num('exponent'));
    case 'optax.piecewise_interpolate_schedule': {
      const type = a.get('interpolate_type');
      const t = type.kind === 'str' ? type.value : '';
      if (t !== 'linear' && t !== 'cosine') throw new PyError('ValueError', "`interpolate_type` must be either 'cosine' or 'linear'", 'interpolate_type');
      const bs = a.get('boundaries_and_scales');
      return interpolated(t === 'cosine', a.num('init_value'), pyTruthy(bs) ? sortedScales(bs, 'boundaries_and_scales', 'items') : []);
    }
    case 'optax.linear_onecycle_schedule':
    case 'optax.cosine_onecycle_schedule': {
      const steps = a.num('transition_steps');
      const linear = kind === 'optax.linear_onecycle_schedule';
      if (steps <= 0) throw new PyError('ValueError', `A ${linear ? 'linear' : 'cosine'} onecycle schedule was set with a non-positive \`transition_steps\``, 'transition_steps');
      const peak = a.num('peak_value');
      const div = a.num('div_factor');
      const finalDiv = a.num('final_div_factor');
      const start = Math.trunc(a.num('pct_start') * steps);
      const pairs: [number, number][] = linear
        ? [[start, div], [Math.trunc(a.num('pct_final') * steps), 1.0 / div], [steps, 1.0 / finalDiv]]
        : [[start, div], [Math.trunc(steps), 1.0 / (div * finalDiv)]];
      return interpolated(!linear, peak / div, intDict(pairs));
    }
    case 'optax.warmup_cosine_decay_schedule':
      return warmupCosine(a);
    case 'optax.warmup_exponential_decay_schedule': {
      const w = a.num('warmup_steps');
      const peak = a.num('peak_value');
      return join([polynomial(a.num('init_value'), peak, 1, w, 0), exponential(peak, a.num('transition_steps'), a.num('decay_rate'),
        a.num('transition_begin'), pyTruthy(a.get('staircase')), a.isNone('end_value') ? null : a.num('end_value'))], [w]);
    }
    case 'optax.sgdr_schedule':
      return sgdr(a.get('cosine_kwargs'));
    case 'optax.join_schedules': {
      const list = a.get('schedules');
      const bounds = a.get('boundaries');
      if (list.kind !== 'list') throw new PyError('TypeError', `'${pyTypeName(list)}' object is not subscriptable`, 'schedules');
      if (bounds.kind !== 'list') throw new PyError('TypeError', `'${pyTypeName(bounds)}' object is not iterable`, 'boundaries');
      return join(list.items.map((f) => (step: number) => callArg(f, step, NO_RULE)), bounds.items.map((b) => toNumber(b, 'boundaries')));
    }
  }
}

/** `sgdr_schedule`: one `warmup_cosine_decay_schedule(**kwargs)` per dict, each starting where the last one's decay_steps end. */
function sgdr(arg: Arg): Schedule {
  if (arg.kind !== 'list') throw new PyError('TypeError', `'${pyTypeName(arg)}' object is not iterable`, 'cosine_kwargs');
  const sig = FAMILY_SIGNATURES['optax.warmup_cosine_decay_schedule'];
  const schedules: Schedule[] = [];
  const boundaries: number[] = [];
  let step = 0;
  for (const kw of arg.items) {
    if (kw.kind !== 'dict') throw new PyError('TypeError', `optax.schedules._schedule.warmup_cosine_decay_schedule() argument after ** must be a mapping, not ${pyTypeName(kw)}`, 'cosine_kwargs');
    const bound = bindFamilyCall(sig, [], kw.entries);
    if (bound.failure) throw new PyError(bound.failure.type, bound.failure.message, 'cosine_kwargs');
    schedules.push(warmupCosine(new FamilyArgs(sig, bound.bound)));
    const d = bound.bound.get('decay_steps')!;
    if (!isNumeric(d)) throw new PyError('TypeError', `unsupported operand type(s) for +: 'int' and '${pyTypeName(d)}'`, 'cosine_kwargs');
    step += toNumber(d);
    boundaries.push(step);
  }
  return join(schedules, boundaries.slice(0, -1));
}

