/**
 * diffusers' schedules (`src/diffusers/optimization.py`): its own copy of transformers' `get_*` functions
 * (the same lambdas, so they are built as transformers' are) plus `get_piecewise_constant_schedule`, and
 * its own `get_scheduler`, which forwards `num_cycles` only to cosine_with_restarts and `power` only to
 * polynomial.
 */
import { isNumeric, pyFloat, pyRepr, pyStrRepr, pyTypeName, toNumber } from '../py';
import type { BuildContext, Scheduler } from '../schedulers/base';
import { LambdaLR } from '../schedulers/lambda';
import { PyError, type Arg } from '../types';
import { FamilyArgs } from './args';
import { FAMILY_SIGNATURES, type FamilyKind } from './signatures';
import { constructTransformers, SCHEDULER_TYPES as TRANSFORMERS_TYPES, type TransformersKind } from './transformers';

export type DiffusersKind = Extract<FamilyKind, `diffusers.${string}`>;

/** diffusers' `SchedulerType` (a plain Enum): transformers' first six names, mapped to the same functions, and piecewise_constant. */
const SCHEDULER_TYPES: readonly [string, string, TransformersKind | null][] = [
  ...TRANSFORMERS_TYPES.filter(([v]) => ['linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'constant', 'constant_with_warmup'].includes(v)),
  ['piecewise_constant', 'PIECEWISE_CONSTANT', null],
];

/** `int(s)` of a str as Python parses it, with its ValueError. */
function pyIntOfStr(s: string): number {
  const t = s.trim();
  if (/^[+-]?\d+(_\d+)*$/.test(t)) return Number(t.replace(/_/g, ''));
  throw new PyError('ValueError', `invalid literal for int() with base 10: ${pyStrRepr(s)}`, 'step_rules');
}

/**
 * `get_piecewise_constant_schedule`'s parsing of `step_rules` ("1:10,0.1:20,0.005"): the multiplier before
 * each *absolute* step (not a duration, whatever the docstring says), then the last one for good.
 */
function piecewiseLambda(rules: Arg): (step: number) => number {
  if (rules.kind !== 'str') throw new PyError('AttributeError', `'${pyTypeName(rules)}' object has no attribute 'split'`, 'step_rules');
  const parts = rules.value.split(',');
  const byStep = new Map<number, number>();
  for (const rule of parts.slice(0, -1)) {
    const pair = rule.split(':');
    if (pair.length < 2) throw new PyError('ValueError', `not enough values to unpack (expected 2, got ${pair.length})`, 'step_rules');
    if (pair.length > 2) throw new PyError('ValueError', 'too many values to unpack (expected 2)', 'step_rules');
    const steps = pyIntOfStr(pair[1]!);
    byStep.set(steps, pyFloat({ kind: 'str', value: pair[0]! }, 'step_rules'));
  }
  const last = pyFloat({ kind: 'str', value: parts[parts.length - 1]! }, 'step_rules');
  const sorted = [...byStep].sort((x, y) => x[0] - y[0]);
  const bounds = Float64Array.from(sorted, ([s]) => s);
  const values = Float64Array.from(sorted, ([, v]) => v);
  return (step) => {
    for (let i = 0; i < bounds.length; i++) if (step < bounds[i]!) return values[i]!;
    return last;
  };
}

/**
 * diffusers' own `get_linear_schedule_with_warmup` (main since #13664): transformers' linear lambda between the
 * multipliers `f_min` (the floor of the decay) and `f_max` (the peak), written as diffusers writes it:
 * `f_max * float(s) / float(max(1, w))` during the warm-up, then `f_min + (f_max - f_min) * max(0.0, progress)`.
 * With the defaults (0, 1) it is transformers' lambda value for value.
 */
function linearLambda(a: FamilyArgs): (step: number) => number {
  const wArg = a.get('num_warmup_steps');
  if (!isNumeric(wArg)) throw new PyError('TypeError', `'<' not supported between instances of 'int' and '${pyTypeName(wArg)}'`, 'num_warmup_steps');
  const w = toNumber(wArg);
  const t = a.num('num_training_steps');
  const fMin = a.num('f_min');
  const fMax = a.num('f_max');
  const warmDiv = w > 1 ? w : 1;
  const span = t - w > 1 ? t - w : 1;
  return (s) => {
    if (s < w) return (fMax * s) / warmDiv;
    const progress = (t - s) / span;
    return fMin + (fMax - fMin) * (progress > 0.0 ? progress : 0.0);
  };
}

/** What a diffusers call builds on the shared optimizer state; throws what Python raises. */
export function constructDiffusers(kind: DiffusersKind, given: Map<string, Arg> | Record<string, Arg>,
  optimizer: number | null, ctx: BuildContext): Scheduler {
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  if (kind === 'diffusers.get_linear_schedule_with_warmup') {
    const lrLambda: Arg = { kind: 'func', name: 'lr_lambda', call: linearLambda(a) };
    return new LambdaLR({ kind: 'LambdaLR', args: { lr_lambda: lrLambda, last_epoch: a.get('last_epoch') }, optimizer }, ctx);
  }
  if (kind === 'diffusers.get_piecewise_constant_schedule') {
    const lrLambda: Arg = { kind: 'func', name: 'rule_func', call: piecewiseLambda(a.get('step_rules')) };
    return new LambdaLR({ kind: 'LambdaLR', args: { lr_lambda: lrLambda, last_epoch: a.get('last_epoch') }, optimizer }, ctx);
  }
  const nameArg = a.get('name');
  const entry = nameArg.kind === 'str' ? SCHEDULER_TYPES.find(([v]) => v === nameArg.value) : undefined;
  if (!entry) throw new PyError('ValueError', `${pyRepr(nameArg)} is not a valid SchedulerType`, 'name');
  const [, member, target] = entry;
  const lastEpoch = a.get('last_epoch');
  const call = (target: DiffusersKind | TransformersKind, args: Record<string, Arg>) => {
    const bound = { optimizer: a.get('optimizer'), ...args, last_epoch: lastEpoch };
    return target === 'diffusers.get_piecewise_constant_schedule'
      ? constructDiffusers(target, bound, optimizer, ctx)
      : constructTransformers(target as TransformersKind, bound, optimizer, ctx);
  };
  if (target === null) return call('diffusers.get_piecewise_constant_schedule', { step_rules: a.get('step_rules') });
  if (member === 'CONSTANT') return call(target, {});
  if (a.isNone('num_warmup_steps')) {
    throw new PyError('ValueError', `SchedulerType.${member} requires \`num_warmup_steps\`, please provide that argument.`, 'num_warmup_steps');
  }
  const warmup = { num_warmup_steps: a.get('num_warmup_steps') };
  if (member === 'CONSTANT_WITH_WARMUP') return call(target, warmup);
  if (a.isNone('num_training_steps')) {
    throw new PyError('ValueError', `SchedulerType.${member} requires \`num_training_steps\`, please provide that argument.`, 'num_training_steps');
  }
  const both = { ...warmup, num_training_steps: a.get('num_training_steps') };
  if (member === 'COSINE_WITH_RESTARTS') return call(target, { ...both, num_cycles: a.get('num_cycles') });
  if (member === 'POLYNOMIAL') return call(target, { ...both, power: a.get('power') });
  return call(target, both);
}
