/**
 * Hugging Face transformers' schedules (`src/transformers/optimization.py`, main after PR #44909):
 * every `get_*_schedule*` function returns torch's LambdaLR with one of transformers' lambdas, so
 * the curve is the engine's LambdaLR stepped with those lambdas, written here operation by operation.
 */
import { bindArgs } from '../signatures';
import { comparable, isNumeric, pyDiv, pyFloat, pyPow, pyStr, pyStrRepr, pyTypeName, toNumber, ZERO_DIV_FLOAT, ZERO_DIV_INT } from '../py';
import { LambdaLR } from '../schedulers/lambda';
import { ReduceLROnPlateau } from '../schedulers/plateau';
import { StepFailure, type BuildContext, type Scheduler } from '../schedulers/base';
import { UNCLAIMED } from '../errors';
import { blamed, PyError, type Arg, type SchedulerConstruction } from '../types';
import { FamilyArgs, maxZero, numStr, pySqrt } from './args';
import { bindFamilyCall, FAMILY_SIGNATURES, type FamilyKind } from './signatures';

export type TransformersKind = Extract<FamilyKind, `transformers.${string}`>;

/**
 * A transformers lambda; `run`, when present, is LambdaLR's kernel for it written out (o[k] = base · λ(e) for
 * e = e0+1…, k = from..to-1, returning the last lr or `lr` when there is none) and never throws.
 */
type Lambda = ((step: number) => number) & { run?: (o: Float64Array, base: number, lr: number, e: number, from: number, to: number) => number };

/** transformers' `SchedulerType` values in declaration order, with their member names (f-strings print `SchedulerType.NAME`). */
export const SCHEDULER_TYPES: readonly [string, string, TransformersKind | null][] = [
  ['linear', 'LINEAR', 'transformers.get_linear_schedule_with_warmup'],
  ['cosine', 'COSINE', 'transformers.get_cosine_schedule_with_warmup'],
  ['cosine_with_restarts', 'COSINE_WITH_RESTARTS', 'transformers.get_cosine_with_hard_restarts_schedule_with_warmup'],
  ['polynomial', 'POLYNOMIAL', 'transformers.get_polynomial_decay_schedule_with_warmup'],
  ['constant', 'CONSTANT', 'transformers.get_constant_schedule'],
  ['constant_with_warmup', 'CONSTANT_WITH_WARMUP', 'transformers.get_constant_schedule_with_warmup'],
  ['inverse_sqrt', 'INVERSE_SQRT', 'transformers.get_inverse_sqrt_schedule'],
  ['reduce_lr_on_plateau', 'REDUCE_ON_PLATEAU', 'transformers.get_reduce_on_plateau_schedule'],
  ['cosine_with_min_lr', 'COSINE_WITH_MIN_LR', 'transformers.get_cosine_with_min_lr_schedule_with_warmup'],
  ['cosine_warmup_with_min_lr', 'COSINE_WARMUP_WITH_MIN_LR', 'transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate'],
  ['warmup_stable_decay', 'WARMUP_STABLE_DECAY', 'transformers.get_wsd_schedule'],
  // GreedyLR (PR #44271) follows the loss, like ReduceLROnPlateau: no static curve.
  ['greedy', 'GREEDY', null],
];

/** The schedule names `get_scheduler` accepts (for completions and lint). */
export const TRANSFORMERS_SCHEDULER_NAMES: readonly string[] = SCHEDULER_TYPES.map(([v]) => v);

/** The shared warm-up branch of every lambda: `float(step) / float(max(1, num_warmup_steps))`. */
function warm(step: number, w: number): number {
  return step / (w > 1 ? w : 1);
}

/**
 * `num_warmup_steps` as every lambda first reads it, `current_step < num_warmup_steps`: a non-number is that
 * comparison's TypeError, raised by LambdaLR's first step, i.e. at construction.
 */
function warmupSteps(a: FamilyArgs): number {
  const w = a.get('num_warmup_steps');
  if (isNumeric(w)) return toNumber(w);
  throw new PyError('TypeError', `'<' not supported between instances of 'int' and '${pyTypeName(w)}'`, 'num_warmup_steps');
}

/** `optimizer.defaults["lr"]` (AttributeError when `optimizer` is not an optimizer). */
function defaultLr(args: FamilyArgs, optimizer: number | null, ctx: BuildContext): number {
  if (optimizer === null) throw new PyError('AttributeError', `'${pyTypeName(args.get('optimizer'))}' object has no attribute 'defaults'`, 'optimizer');
  const lr = ctx.optimizer(optimizer).init.defaults.lr;
  if (lr === undefined) throw new PyError('KeyError', "'lr'", 'optimizer');
  return lr;
}

/** The lambda (or a whole scheduler, for plateau) of one `get_*` function; throws transformers' ValueErrors. */
function lambdaFor(kind: TransformersKind, a: FamilyArgs, optimizer: number | null, ctx: BuildContext): Lambda {
  const pi = Math.PI;
  switch (kind) {
    case 'transformers.get_constant_schedule':
      return () => 1;
    case 'transformers.get_constant_schedule_with_warmup': {
      const w = warmupSteps(a);
      return (s) => (s < w ? s / (w > 1.0 ? w : 1.0) : 1.0);
    }
    case 'transformers.get_linear_schedule_with_warmup': {
      const w = warmupSteps(a);
      const t = a.num('num_training_steps');
      const span = t - w > 1 ? t - w : 1;
      return (s) => (s < w ? warm(s, w) : maxZero((t - s) / span));
    }
    case 'transformers.get_cosine_schedule_with_warmup':
      return cosineLambda(warmupSteps(a), a.num('num_training_steps'), a.num('num_cycles'), 0.0);
    case 'transformers.get_cosine_with_hard_restarts_schedule_with_warmup': {
      const w = warmupSteps(a);
      const t = a.num('num_training_steps');
      const cycles = a.num('num_cycles');
      const span = t - w > 1 ? t - w : 1;
      return (s) => {
        if (s < w) return warm(s, w);
        const progress = (s - w) / span;
        if (progress >= 1.0) return 0.0;
        return maxZero(0.5 * (1.0 + Math.cos(pi * floatMod1(cycles * progress))));
      };
    }
    case 'transformers.get_polynomial_decay_schedule_with_warmup': {
      const lrInit = defaultLr(a, optimizer, ctx);
      const lrEnd = comparable(a.get('lr_end'), '>', 'float', 'lr_end');
      if (!(lrInit > lrEnd)) {
        throw new PyError('ValueError', `lr_end (${pyStr(a.get('lr_end'))}) must be smaller than initial lr (${numStr(lrInit)})`, 'lr_end', 'LR182');
      }
      const w = warmupSteps(a);
      const t = a.num('num_training_steps');
      const power = a.num('power');
      const decaySteps = t - w;
      const intDiv = a.isInt('num_warmup_steps') && a.isInt('num_training_steps');
      return (s) => {
        if (s < w) return warm(s, w);
        if (s > t) return pyDiv(lrEnd, lrInit);
        const lrRange = lrInit - lrEnd;
        if (decaySteps === 0) throw new PyError('ZeroDivisionError', intDiv ? ZERO_DIV_INT : ZERO_DIV_FLOAT);
        const pctRemaining = 1 - (s - w) / decaySteps;
        const decay = lrRange * pyPow(pctRemaining, power) + lrEnd;
        return pyDiv(decay, lrInit);
      };
    }
    case 'transformers.get_inverse_sqrt_schedule': {
      const w = warmupSteps(a);
      // `timescale = num_warmup_steps or 10_000`
      const intScale = a.isNone('timescale') ? (w !== 0 ? a.isInt('num_warmup_steps') : true) : a.isInt('timescale');
      const timescale = a.isNone('timescale') ? (w !== 0 ? w : 10_000) : a.num('timescale');
      const shift = timescale - w;
      const intDiv = intScale && a.isInt('num_warmup_steps');
      return (s) => {
        if (s < w) return warm(s, w);
        if (timescale === 0) throw new PyError('ZeroDivisionError', intDiv ? ZERO_DIV_INT : ZERO_DIV_FLOAT);
        return pyDiv(1.0, pySqrt((s + shift) / timescale));
      };
    }
    case 'transformers.get_cosine_with_min_lr_schedule_with_warmup':
    case 'transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate': {
      const rate = minLrRate(a, optimizer, ctx);
      const w = warmupSteps(a);
      const t = a.num('num_training_steps');
      const cycles = a.num('num_cycles');
      if (kind === 'transformers.get_cosine_with_min_lr_schedule_with_warmup') return cosineLambda(w, t, cycles, rate);
      const warmupRate = a.isNone('warmup_lr_rate') ? null : pyFloat(a.get('warmup_lr_rate'), 'warmup_lr_rate');
      return (s) => {
        if (s < w) {
          if (warmupRate === null) return (s + 1.0) / (w > 1.0 ? w : 1.0);
          return warmupRate + (1.0 - warmupRate) * s / (w - 1 > 1 ? w - 1 : 1);
        }
        const progress = (s - w + 1.0) / (t - w > 1.0 ? t - w : 1.0);
        const factor = 0.5 * (1.0 + Math.cos(pi * cycles * 2.0 * progress));
        return maxZero(factor * (1 - rate) + rate);
      };
    }
    case 'transformers.get_wsd_schedule':
      return wsdLambda(a);
    case 'transformers.get_reduce_on_plateau_schedule':
    case 'transformers.get_scheduler':
      throw new Error(`${kind} builds no lambda`);
  }
}

/** `_get_cosine_schedule_with_warmup_lr_lambda` (the second definition in the module, with `min_lr_rate`). */
function cosineLambda(w: number, t: number, cycles: number, minLrRate: number): Lambda {
  const span = t - w > 1 ? t - w : 1;
  const lambda = (s: number) => {
    if (s < w) return warm(s, w);
    const progress = (s - w) / span;
    let factor = 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return maxZero(factor);
  };
  // The same operations inside the loop (a closure called from a loop in another closure is not inlined).
  const run = (o: Float64Array, base: number, lr: number, e: number, from: number, to: number): number => {
    for (let k = from; k < to; k++) {
      e++;
      let v: number;
      if (e < w) v = warm(e, w);
      else {
        const progress = (e - w) / span;
        let factor = 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress));
        factor = factor * (1 - minLrRate) + minLrRate;
        v = maxZero(factor);
      }
      lr = base * v;
      o[k] = lr;
    }
    return lr;
  };
  return Object.assign(lambda, { run });
}

/** Python's `x % 1.0` for x ≥ 0 (JS's remainder agrees there). */
function floatMod1(x: number): number {
  const r = x % 1.0;
  return r < 0 ? r + 1.0 : r;
}

/** `min_lr` / `min_lr_rate` resolution of the two min-lr functions, with their ValueErrors. */
function minLrRate(a: FamilyArgs, optimizer: number | null, ctx: BuildContext): number {
  const hasMin = !a.isNone('min_lr');
  const hasRate = !a.isNone('min_lr_rate');
  if (hasMin && hasRate) throw new PyError('ValueError', 'Only one of min_lr or min_lr_rate should be set', 'min_lr');
  if (hasMin) return pyDiv(a.num('min_lr'), defaultLr(a, optimizer, ctx));
  if (!hasRate) throw new PyError('ValueError', 'One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`', undefined, 'LR184');
  return a.num('min_lr_rate');
}

const WSD_TYPES = ['linear', 'cosine', '1-sqrt'];

/** `get_wsd_schedule`'s checks and `_get_wsd_scheduler_lambda`. */
function wsdLambda(a: FamilyArgs): Lambda {
  if (a.isNone('num_training_steps') && a.isNone('num_stable_steps')) {
    throw new PyError('ValueError', 'Either num_training_steps or num_stable_steps must be specified.');
  }
  const warmupType = a.get('warmup_type');
  const decayType = a.get('decay_type');
  const typeOf = (arg: Arg) => (arg.kind === 'str' ? arg.value : null);
  if (!WSD_TYPES.includes(typeOf(warmupType) ?? '')) {
    throw new PyError('ValueError', `Unknown warmup type: ${pyStr(warmupType)}, expected 'linear', 'cosine' or '1-sqrt'`, 'warmup_type');
  }
  if (!WSD_TYPES.includes(typeOf(decayType) ?? '')) {
    throw new PyError('ValueError', `Unknown decay type: ${pyStr(decayType)}, expected 'linear', 'cosine' or '1-sqrt'`, 'decay_type');
  }
  const w = warmupSteps(a);
  const d = a.num('num_decay_steps');
  const stable = a.isNone('num_stable_steps') ? a.num('num_training_steps') - w - d : a.num('num_stable_steps');
  const ratio = a.num('min_lr_ratio');
  const cycles = a.num('num_cycles');
  const up = typeOf(warmupType);
  const down = typeOf(decayType);
  return (s) => {
    if (s < w) {
      const progress = warm(s, w);
      const factor = up === 'linear' ? progress : up === 'cosine' ? 0.5 * (1.0 - Math.cos(Math.PI * progress)) : 1.0 - pySqrt(1.0 - progress);
      return maxZero(factor * (1.0 - ratio) + ratio);
    }
    if (s < w + stable) return 1.0;
    if (s < w + stable + d) {
      const progress = (s - w - stable) / (d > 1 ? d : 1);
      const factor = down === 'linear' ? 1.0 - progress
        : down === 'cosine' ? 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress)) : 1.0 - pySqrt(progress);
      return maxZero(factor * (1.0 - ratio) + ratio);
    }
    return ratio;
  };
}

/**
 * What calling `kind` with bound arguments builds on the shared optimizer state: torch's LambdaLR
 * (or ReduceLROnPlateau for the plateau schedule), after transformers' own checks. `extra` holds the
 * `**kwargs` of `get_reduce_on_plateau_schedule`. Throws the PyError Python would raise.
 */
export function constructTransformers(kind: TransformersKind, given: Map<string, Arg> | Record<string, Arg>,
  optimizer: number | null, ctx: BuildContext, extra: [string, Arg][] = []): Scheduler {
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  if (kind === 'transformers.get_scheduler') return getScheduler(a, optimizer, ctx);
  if (kind === 'transformers.get_reduce_on_plateau_schedule') {
    const bound = bindArgs('ReduceLROnPlateau', [a.get('optimizer')], extra);
    if (bound.failure) throw new PyError(bound.failure.type, bound.failure.message);
    return new ReduceLROnPlateau({ kind: 'ReduceLROnPlateau', args: Object.fromEntries(bound.bound), optimizer }, ctx);
  }
  const lambda = lambdaFor(kind, a, optimizer, ctx);
  const name = FAMILY_SIGNATURES[kind].name;
  const lrLambda: Arg = { kind: 'func', name: `functools.partial(${name})`, call: lambda };
  return new TransformersLambdaLR({ kind: 'LambdaLR', args: { lr_lambda: lrLambda, last_epoch: a.get('last_epoch') }, optimizer }, ctx, lambda);
}

/**
 * torch's LambdaLR with one of transformers' lambdas on every group: the same kernel as LambdaLR's, with its
 * own call site (LambdaLR's sees every user lambda and cannot inline transformers' closures).
 */
class TransformersLambdaLR extends LambdaLR {
  constructor(c: SchedulerConstruction, ctx: BuildContext, private readonly fn: Lambda) {
    super(c, ctx);
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const fn = this.fn;
    const base = this.baseLrs[g]!;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    if (fn.run) return fn.run(o, base, lr, e, from, to);
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        lr = base * fn(e);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, blamed(err, UNCLAIMED.LambdaLR));
    }
    return lr;
  }
}

/** `get_scheduler(name, optimizer, num_warmup_steps, num_training_steps, scheduler_specific_kwargs)`, branch by branch. */
function getScheduler(a: FamilyArgs, optimizer: number | null, ctx: BuildContext): Scheduler {
  const nameArg = a.get('name');
  const entry = nameArg.kind === 'str' ? SCHEDULER_TYPES.find(([v]) => v === nameArg.value) : undefined;
  if (!entry) {
    const valid = `[${SCHEDULER_TYPES.map(([v]) => pyStrRepr(v)).join(', ')}]`;
    throw new PyError('ValueError', `${pyStr(nameArg)} is not a valid SchedulerType, please select one of ${valid}`, 'name');
  }
  const [, member, target] = entry;
  if (target === null) throw new PyError('NotImplementedError', `LR Lens does not simulate transformers' ${member} schedule (it follows the loss)`, 'name');
  const optArg = a.get('optimizer');
  const call = (keywords: [string, Arg][], kwargs: [string, Arg][] = []) => callTarget(target, optArg, keywords, kwargs, optimizer, ctx);
  if (member === 'CONSTANT') return call([]);

  const specific = a.get('scheduler_specific_kwargs');
  if (specific.kind !== 'none' && specific.kind !== 'dict') {
    throw new PyError('TypeError', `transformers.optimization.${FAMILY_SIGNATURES[target].name}() argument after ** must be a mapping, not ${pyTypeName(specific)}`, 'scheduler_specific_kwargs');
  }
  const kwargs = specific.kind === 'dict' ? specific.entries : [];
  if (member === 'REDUCE_ON_PLATEAU') return call([], kwargs);
  if (a.isNone('num_warmup_steps')) {
    throw new PyError('ValueError', `SchedulerType.${member} requires \`num_warmup_steps\`, please provide that argument.`, 'num_warmup_steps');
  }
  const warmup: [string, Arg] = ['num_warmup_steps', a.get('num_warmup_steps')];
  if (member === 'CONSTANT_WITH_WARMUP') return call([warmup]);
  // After PR #44909 inverse_sqrt also receives scheduler_specific_kwargs (e.g. timescale).
  if (member === 'INVERSE_SQRT') return call([warmup], kwargs);
  const training: [string, Arg] = ['num_training_steps', a.get('num_training_steps')];
  if (member === 'WARMUP_STABLE_DECAY') return call([warmup, training], kwargs);
  if (a.isNone('num_training_steps')) {
    throw new PyError('ValueError', `SchedulerType.${member} requires \`num_training_steps\`, please provide that argument.`, 'num_training_steps');
  }
  return call([warmup, training], kwargs);
}

/** `schedule_func(optimizer, k=v…, **kwargs)`: Python's merge of explicit keywords and `**kwargs`, then the call. */
function callTarget(target: TransformersKind, optArg: Arg, keywords: [string, Arg][], kwargs: [string, Arg][],
  optimizer: number | null, ctx: BuildContext): Scheduler {
  const sig = FAMILY_SIGNATURES[target];
  for (const [k] of kwargs) {
    if (keywords.some(([n]) => n === k)) {
      throw new PyError('TypeError', `transformers.optimization.${sig.name}() got multiple values for keyword argument '${k}'`, 'scheduler_specific_kwargs');
    }
  }
  const bound = bindFamilyCall(sig, [optArg], [...keywords, ...kwargs]);
  if (bound.failure) throw new PyError(bound.failure.type, bound.failure.message, 'scheduler_specific_kwargs');
  return constructTransformers(target, bound.bound, optimizer, ctx, bound.extra);
}
