/**
 * Constructor signatures of every scheduler we simulate, with torch 1.13's
 * parameter names, order and defaults, and Python's argument binding
 * (positional, then keyword) with Python's own TypeError texts.
 */
import { UNCLAIMED } from './errors';
import { NO_RULE, type Arg, type ParamSpec, type SchedulerKind, type Signature, type TorchFailure } from './types';

/** Builders of signature tables (torch's here, the other families' in families/signatures.ts). */
export const int = (value: number): Arg => ({ kind: 'int', value });
export const float = (value: number): Arg => ({ kind: 'float', value });
export const bool = (value: boolean): Arg => ({ kind: 'bool', value });
export const str = (value: string): Arg => ({ kind: 'str', value });
export const none: Arg = { kind: 'none' };

export const req = (name: string): ParamSpec => ({ name });
export const opt = (name: string, d: Arg): ParamSpec => ({ name, default: d });

const LAST_EPOCH = opt('last_epoch', int(-1));
const VERBOSE = opt('verbose', bool(false));

function sig(kind: SchedulerKind, ...params: ParamSpec[]): Signature {
  return { kind, params };
}

export const SIGNATURES: Record<SchedulerKind, Signature> = {
  LambdaLR: sig('LambdaLR', req('optimizer'), req('lr_lambda'), LAST_EPOCH, VERBOSE),
  MultiplicativeLR: sig('MultiplicativeLR', req('optimizer'), req('lr_lambda'), LAST_EPOCH, VERBOSE),
  StepLR: sig('StepLR', req('optimizer'), req('step_size'), opt('gamma', float(0.1)), LAST_EPOCH, VERBOSE),
  MultiStepLR: sig('MultiStepLR', req('optimizer'), req('milestones'), opt('gamma', float(0.1)), LAST_EPOCH, VERBOSE),
  ConstantLR: sig('ConstantLR', req('optimizer'), opt('factor', float(1 / 3)), opt('total_iters', int(5)), LAST_EPOCH, VERBOSE),
  LinearLR: sig('LinearLR', req('optimizer'), opt('start_factor', float(1 / 3)), opt('end_factor', float(1.0)),
    opt('total_iters', int(5)), LAST_EPOCH, VERBOSE),
  ExponentialLR: sig('ExponentialLR', req('optimizer'), req('gamma'), LAST_EPOCH, VERBOSE),
  PolynomialLR: sig('PolynomialLR', req('optimizer'), opt('total_iters', int(5)), opt('power', float(1.0)), LAST_EPOCH, VERBOSE),
  CosineAnnealingLR: sig('CosineAnnealingLR', req('optimizer'), req('T_max'), opt('eta_min', int(0)), LAST_EPOCH, VERBOSE),
  CyclicLR: sig('CyclicLR', req('optimizer'), req('base_lr'), req('max_lr'), opt('step_size_up', int(2000)),
    opt('step_size_down', none), opt('mode', str('triangular')), opt('gamma', float(1.0)), opt('scale_fn', none),
    opt('scale_mode', str('cycle')), opt('cycle_momentum', bool(true)), opt('base_momentum', float(0.8)),
    opt('max_momentum', float(0.9)), LAST_EPOCH, VERBOSE),
  OneCycleLR: sig('OneCycleLR', req('optimizer'), req('max_lr'), opt('total_steps', none), opt('epochs', none),
    opt('steps_per_epoch', none), opt('pct_start', float(0.3)), opt('anneal_strategy', str('cos')),
    opt('cycle_momentum', bool(true)), opt('base_momentum', float(0.85)), opt('max_momentum', float(0.95)),
    opt('div_factor', float(25.0)), opt('final_div_factor', float(1e4)), opt('three_phase', bool(false)),
    LAST_EPOCH, VERBOSE),
  CosineAnnealingWarmRestarts: sig('CosineAnnealingWarmRestarts', req('optimizer'), req('T_0'), opt('T_mult', int(1)),
    opt('eta_min', int(0)), LAST_EPOCH, VERBOSE),
  SequentialLR: sig('SequentialLR', req('optimizer'), req('schedulers'), req('milestones'), LAST_EPOCH, VERBOSE),
  ChainedScheduler: sig('ChainedScheduler', req('schedulers')),
  ReduceLROnPlateau: sig('ReduceLROnPlateau', req('optimizer'), opt('mode', str('min')), opt('factor', float(0.1)),
    opt('patience', int(10)), opt('threshold', float(1e-4)), opt('threshold_mode', str('rel')), opt('cooldown', int(0)),
    opt('min_lr', int(0)), opt('eps', float(1e-8)), VERBOSE),
  // The blog's classes (docs/torch-schedulers.md §6).
  CosineAnnealingWarmUpRestarts: sig('CosineAnnealingWarmUpRestarts', req('optimizer'), req('T_0'), opt('T_mult', int(1)),
    opt('eta_max', float(0.1)), opt('T_up', int(0)), opt('gamma', float(1.0)), LAST_EPOCH),
  WarmupConstantSchedule: sig('WarmupConstantSchedule', req('optimizer'), req('warmup_steps'), LAST_EPOCH),
};

export const SCHEDULER_KINDS = Object.keys(SIGNATURES) as SchedulerKind[];

export function isSchedulerKind(name: string): name is SchedulerKind {
  return Object.prototype.hasOwnProperty.call(SIGNATURES, name);
}

export interface Bound<T> {
  /** Parameter name → the value given for it (defaults are not filled in here). */
  bound: Map<string, T>;
  /** Parameter name → where it came from: a positional index or the keyword. */
  source: Map<string, { positional: number } | { keyword: string }>;
  /** Python's TypeError for a call that does not fit the signature. */
  failure: TorchFailure | null;
}

/**
 * Binds call arguments to `kind`'s signature as Python does. Generic in the value
 * type so a frontend can bind its own (possibly unknown) values before converting.
 * `__init__()` texts as CPython 3.11 words them.
 */
export function bindArgs<T>(kind: SchedulerKind, positional: T[], keywords: [string, T][]): Bound<T> {
  const params = SIGNATURES[kind].params;
  const bound = new Map<string, T>();
  const source = new Map<string, { positional: number } | { keyword: string }>();
  const blame = UNCLAIMED[kind];
  const failure = (message: string): TorchFailure => {
    const f: TorchFailure = { type: 'TypeError', message, phase: 'construct', step: null, rule: blame?.rule ?? NO_RULE };
    if (blame?.param !== undefined) f.param = blame.param;
    return f;
  };
  const fail = (message: string): Bound<T> => ({ bound, source, failure: failure(message) });
  const fn = `${kind}.__init__()`;

  if (positional.length > params.length) {
    // Python counts `self`.
    return fail(`${fn} takes from ${countRequired(params) + 1} to ${params.length + 1} positional arguments but ${positional.length + 1} were given`);
  }
  positional.forEach((v, i) => {
    bound.set(params[i]!.name, v);
    source.set(params[i]!.name, { positional: i });
  });
  for (const [name, v] of keywords) {
    if (!params.some((p) => p.name === name)) return fail(`${fn} got an unexpected keyword argument '${name}'`);
    if (bound.has(name)) return fail(`${fn} got multiple values for argument '${name}'`);
    bound.set(name, v);
    source.set(name, { keyword: name });
  }
  const missing = params.filter((p) => p.default === undefined && !bound.has(p.name)).map((p) => `'${p.name}'`);
  if (missing.length) {
    // CPython: 'a'; 'a' and 'b'; 'a', 'b', and 'c'.
    const last = missing[missing.length - 1];
    const list = missing.length === 1 ? last : missing.length === 2 ? `${missing[0]} and ${last}` : `${missing.slice(0, -1).join(', ')}, and ${last}`;
    return fail(`${fn} missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
  }
  return { bound, source, failure: null };
}

function countRequired(params: ParamSpec[]): number {
  return params.filter((p) => p.default === undefined).length;
}

/** Bound arguments with torch's defaults filled in for every parameter not given. */
export function withDefaults(kind: SchedulerKind, given: Map<string, Arg> | Record<string, Arg>): Record<string, Arg> {
  const out: Record<string, Arg> = {};
  const get = (n: string) => (given instanceof Map ? given.get(n) : given[n]);
  for (const p of SIGNATURES[kind].params) {
    const v = get(p.name);
    if (v !== undefined) out[p.name] = v;
    else if (p.default !== undefined) out[p.name] = p.default;
  }
  return out;
}
