/**
 * The errors of the torch 1.13 checks the engine replicates: each with torch's exact text, the
 * argument it is about and the catalogue rule (docs/rules.md) it stands for. The engine throws
 * these; lint quotes the same factories when it reports a check from the arguments alone, so each
 * text is written once, and which rule fires never depends on how a message is worded.
 */
import { concatError, noAttribute, pyStr, pyTypeName } from './py';
import { PyError, type Arg, type Blame } from './types';

/** `KeyError` of the base class when `last_epoch` resumes a schedule on groups without `initial_lr`. */
export function resumeWithoutInitialLr(group: number): PyError {
  // str(KeyError(msg)) is repr(msg): the text keeps its quotes, as Python prints it.
  return new PyError('KeyError', `"param 'initial_lr' is not specified in param_groups[${group}] when resuming an optimizer"`, 'last_epoch', 'LR001');
}

/** LambdaLR / MultiplicativeLR: a list of lambdas of the wrong length. */
export function lambdaCount(groups: number, got: number): PyError {
  return new PyError('ValueError', `Expected ${groups} lr_lambdas, but got ${got}`, 'lr_lambda', 'LR010');
}

/** Python's TypeError for calling a value that is not callable (`typeName` as `type(x).__name__`). */
export function notCallable(typeName: string, param: string, rule?: string): PyError {
  return new PyError('TypeError', `'${typeName}' object is not callable`, param, rule);
}

/** MultiStepLR's `Counter(milestones)` on a value that cannot be iterated. */
export function notIterable(a: Arg, param: string): PyError {
  return new PyError('TypeError', `'${pyTypeName(a)}' object is not iterable`, param, 'LR030');
}

/** ConstantLR's and LinearLR's `if x > 1.0 or x < 0` checks: text and rule per argument. */
export const FACTOR_RANGE: Readonly<Record<'factor' | 'start_factor' | 'end_factor', { text: string; rule: string }>> = {
  factor: { text: 'Constant multiplicative factor expected to be between 0 and 1.', rule: 'LR040' },
  start_factor: { text: 'Starting multiplicative factor expected to be between 0 and 1.', rule: 'LR050' },
  end_factor: { text: 'Ending multiplicative factor expected to be between 0 and 1.', rule: 'LR050' },
};

export function factorOutOfRange(name: keyof typeof FACTOR_RANGE): PyError {
  return new PyError('ValueError', FACTOR_RANGE[name].text, name, FACTOR_RANGE[name].rule);
}

/** `if x <= 0 or not isinstance(x, int)` (CosineAnnealingWarmRestarts T_0, the blog's T_0/T_up, OneCycleLR's lengths). */
export function expectedPositiveInt(name: string, got: Arg, rule: string): PyError {
  return new PyError('ValueError', `Expected positive integer ${name}, but got ${pyStr(got)}`, name, rule);
}

/** `if T_mult < 1 or not isinstance(T_mult, int)`. */
export function expectedIntAtLeastOne(name: string, got: Arg, rule: string): PyError {
  return new PyError('ValueError', `Expected integer ${name} >= 1, but got ${pyStr(got)}`, name, rule);
}

/** CosineAnnealingWarmRestarts.step(epoch) with epoch < 0 (`got`: the epoch as Python prints it). */
export function negativeEpoch(got: string): PyError {
  return new PyError('ValueError', `Expected non-negative epoch, but got ${got}`, undefined, 'LR081');
}

/** CyclicLR / OneCycleLR with cycle_momentum on an optimizer without `momentum` (or `betas`) in its defaults. */
export function momentumUnsupported(): PyError {
  return new PyError('ValueError', 'optimizer must support momentum with `cycle_momentum` option enabled', 'cycle_momentum', 'LR090');
}

/** CyclicLR: a mode that is not built in, and no scale_fn. */
export function modeInvalid(): PyError {
  return new PyError('ValueError', 'mode is invalid and scale_fn is None', 'mode', 'LR091');
}

/** `_format_param`: a list/tuple with a length other than the number of param groups. */
export function valuesPerGroup(name: string, groups: number, got: number): PyError {
  return new PyError('ValueError', `expected ${groups} values for ${name}, got ${got}`, name, 'LR092');
}

/** OneCycleLR without total_steps, epochs and steps_per_epoch. */
export function lengthUndefined(): PyError {
  return new PyError('ValueError', 'You must define either total_steps OR (epochs AND steps_per_epoch)', 'total_steps', 'LR100');
}

/** OneCycleLR's `pct_start` check. */
export function pctStartRange(got: Arg): PyError {
  return new PyError('ValueError', `Expected float between 0 and 1 pct_start, but got ${pyStr(got)}`, 'pct_start', 'LR102');
}

/** OneCycleLR's `anneal_strategy` check (torch's typo "must by" included). */
export function annealStrategyInvalid(got: Arg): PyError {
  return new PyError('ValueError', `anneal_strategy must by one of 'cos' or 'linear', instead got ${pyStr(got)}`, 'anneal_strategy', 'LR103');
}

/** OneCycleLR stepped past total_steps: `calls` is the number of step() calls so far, `total` as str(total_steps). */
export function overstepped(calls: number, total: string): PyError {
  return new PyError('ValueError', `Tried to step ${calls} times. The specified number of total steps is ${total}`, 'total_steps', 'LR106');
}

/** ReduceLROnPlateau's `factor >= 1.0` check. */
export function plateauFactor(): PyError {
  return new PyError('ValueError', 'Factor should be < 1.0.', 'factor', 'LR110');
}

/** ReduceLROnPlateau: a min_lr list of the wrong length. */
export function minLrCount(groups: number, got: number): PyError {
  return new PyError('ValueError', `expected ${groups} min_lrs, got ${got}`, 'min_lr', 'LR111');
}

/** ReduceLROnPlateau's `'mode ' + mode + ' is unknown!'` (and the threshold mode's); a non-str fails on the `+` first. */
export function unknownMode(what: 'mode' | 'threshold mode', got: Arg, param: 'mode' | 'threshold_mode'): PyError {
  if (got.kind !== 'str') return concatError(got, param, 'LR111');
  return new PyError('ValueError', `${what} ${pyStr(got)} is unknown!`, param, 'LR111');
}

/** `ReduceLROnPlateau.step()` without the metric: only a ChainedScheduler calls it so. */
export function metricsMissing(): PyError {
  return new PyError('TypeError', "ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'", 'schedulers', 'LR125');
}

/**
 * torch 1.13's ReduceLROnPlateau is no LRScheduler: it has no `get_last_lr` nor `_initial_step`. Only
 * SequentialLR reaches for them, on a member (LR125).
 */
export function plateauLacks(attr: 'get_last_lr' | '_initial_step'): PyError {
  return noAttribute('ReduceLROnPlateau', attr, 'schedulers', 'LR125');
}

/** SequentialLR: milestones must be one fewer than the schedulers. */
export function sequentialCount(schedulers: number, milestones: number): PyError {
  return new PyError('ValueError', 'Sequential Schedulers expects number of schedulers provided to be one more than the number ' +
    `of milestone points, but got number of schedulers ${schedulers} and the number of milestones to be equal to ${milestones}`, 'milestones', 'LR120');
}

/** SequentialLR: a member on another optimizer. */
export function sequentialOptimizer(index: number): PyError {
  return new PyError('ValueError', 'Sequential Schedulers expects all schedulers to belong to the same optimizer, but got ' +
    `schedulers at index ${index} to be different than the optimizer passed in.`, 'schedulers', 'LR121');
}

/** ChainedScheduler: a member on another optimizer than the first's. */
export function chainedOptimizer(index: number): PyError {
  return new PyError('ValueError', 'ChainedScheduler expects all schedulers to belong to the same optimizer, but got ' +
    `schedulers at index 0 and ${index} to be different`, 'schedulers', 'LR121');
}

/** SequentialLR's constructor does `last_epoch -= 1` on each member; a ChainedScheduler has none. */
export function chainedNoLastEpoch(): PyError {
  return noAttribute('ChainedScheduler', 'last_epoch', 'schedulers', 'LR124');
}

/** An empty `schedulers` list (`schedulers[0]`). */
export function noScheduler(): PyError {
  return new PyError('IndexError', 'list index out of range', 'schedulers', 'LR130');
}

/** The blog's CosineAnnealingWarmUpRestarts never sets `_last_lr`, so `get_last_lr()` raises. */
export function warmUpRestartsNoLastLr(): PyError {
  return noAttribute('CosineAnnealingWarmUpRestarts', '_last_lr', undefined, 'LR144');
}

/**
 * The rule a class files every failure under that no check claims (its argument-binding TypeErrors
 * included): LambdaLR's are LR013, "the lambda raises", as the ids have always been given. Others: LR000.
 */
export const UNCLAIMED: Partial<Record<string, Blame>> = {
  LambdaLR: { rule: 'LR013', param: 'lr_lambda' },
};
