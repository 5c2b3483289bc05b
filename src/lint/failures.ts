/**
 * Maps a torch failure (from the engine's simulation, or Python's binding TypeError) to the
 * catalogue rule that describes it, and to the parameter that causes it, so that one failure
 * is one diagnostic with the rule's id. Failures outside the catalogue keep code LR000.
 */
import type { Arg, TorchFailure } from '../engine/types';

export interface FailureRule {
  code: string;
  /** The argument the failure is about (the engine's attribution wins when it has one). */
  param?: string;
}

type Matcher = (kind: string, f: TorchFailure, args: Record<string, Arg>) => FailureRule | null;

const has = (f: TorchFailure, text: string) => f.message.includes(text);
const zeroDiv = (f: TorchFailure) => f.type === 'ZeroDivisionError';

/** The parameter named in a "… positive integer X, but got …" / "… integer X >= 1 …" / "… values for X, …" message. */
function named(f: TorchFailure, re: RegExp): string | undefined {
  return re.exec(f.message)?.[1];
}

const MATCHERS: Matcher[] = [
  (_k, f) => (f.type === 'KeyError' && has(f, 'initial_lr') && has(f, 'resuming') ? { code: 'LR001', param: 'last_epoch' } : null),
  (k, f) => {
    if (k !== 'LambdaLR' && k !== 'MultiplicativeLR' && k !== 'WarmupConstantSchedule') return null;
    if (has(f, 'lr_lambdas, but got')) return { code: 'LR010', param: 'lr_lambda' };
    if (f.type === 'TypeError' && (has(f, 'is not callable') || has(f, 'should be a function'))) {
      return { code: k === 'MultiplicativeLR' ? 'LR012' : 'LR011', param: 'lr_lambda' };
    }
    // Anything else raised while evaluating the lambda (at construction or within the preview).
    return k === 'LambdaLR' ? { code: 'LR013', param: 'lr_lambda' } : null;
  },
  (k, f) => (k === 'StepLR' && zeroDiv(f) ? { code: 'LR020', param: 'step_size' } : null),
  (k, f) => (k === 'MultiStepLR' && f.type === 'TypeError' && has(f, 'not iterable') ? { code: 'LR030', param: 'milestones' } : null),
  (k, f) => {
    if (k !== 'ConstantLR') return null;
    if (has(f, 'Constant multiplicative factor')) return { code: 'LR040', param: 'factor' };
    return zeroDiv(f) ? { code: 'LR041', param: 'factor' } : null;
  },
  (k, f) => {
    if (k !== 'LinearLR') return null;
    if (has(f, 'Starting multiplicative factor')) return { code: has(f, 'greater than 0') ? 'LR051' : 'LR050', param: 'start_factor' };
    if (has(f, 'Ending multiplicative factor')) return { code: 'LR050', param: 'end_factor' };
    return zeroDiv(f) ? { code: 'LR051', param: 'start_factor' } : null;
  },
  (k, f) => (k === 'PolynomialLR' && zeroDiv(f) ? { code: 'LR060', param: 'power' } : null),
  (k, f) => {
    if (k !== 'CosineAnnealingLR' || !zeroDiv(f)) return null;
    // T_max = 0 fails on the first step's modulo; other ZeroDivisionErrors come from a non-integer T_max.
    return { code: /modulo/.test(f.message) && f.step === 1 ? 'LR070' : 'LR071', param: 'T_max' };
  },
  (k, f) => {
    if (k !== 'CosineAnnealingWarmRestarts' && k !== 'CosineAnnealingWarmUpRestarts') return null;
    const code = k === 'CosineAnnealingWarmRestarts' ? 'LR080' : 'LR140';
    if (has(f, 'non-negative epoch')) return { code: 'LR081' };
    const p = named(f, /Expected (?:positive )?integer (\w+)/);
    if (p) return { code, param: p };
    return null;
  },
  (k, f) => {
    if (k !== 'CyclicLR' && k !== 'OneCycleLR') return null;
    if (has(f, '`cycle_momentum`')) return { code: 'LR090', param: 'cycle_momentum' };
    if (has(f, 'mode is invalid')) return { code: 'LR091', param: 'mode' };
    const p = named(f, /values for (\w+)/) ?? named(f, /^(\w+) must have the same length/);
    if (p) return { code: 'LR092', param: p };
    return null;
  },
  (k, f) => (k === 'CyclicLR' && zeroDiv(f) ? { code: 'LR093', param: 'step_size_up' } : null),
  (k, f, args) => {
    if (k !== 'OneCycleLR') return null;
    if (has(f, 'You must define either total_steps') || (f.type === 'TypeError' && has(f, "'NoneType' and 'int'"))) return { code: 'LR100' };
    const p = named(f, /Expected positive integer (\w+)/);
    if (p) return { code: 'LR101', param: p };
    if (has(f, 'pct_start')) return { code: 'LR102', param: 'pct_start' };
    if (has(f, 'anneal_strategy')) return { code: 'LR103', param: 'anneal_strategy' };
    if (has(f, 'Tried to step')) return { code: 'LR106', param: 'total_steps' };
    if (zeroDiv(f)) return f.phase === 'construct' ? { code: 'LR104', param: zeroDivisor(args) } : { code: 'LR105', param: 'pct_start' };
    if (f.type === 'TypeError' && /between instances of/.test(f.message) && f.param) {
      return { code: f.param === 'pct_start' ? 'LR102' : 'LR101', param: f.param };
    }
    return null;
  },
  (k, f) => {
    if (k !== 'ReduceLROnPlateau') return null;
    if (has(f, 'Factor should be')) return { code: 'LR110', param: 'factor' };
    if (has(f, 'min_lrs')) return { code: 'LR111', param: 'min_lr' };
    if (has(f, 'threshold mode')) return { code: 'LR111', param: 'threshold_mode' };
    if (/^mode /.test(f.message)) return { code: 'LR111', param: 'mode' };
    if (has(f, 'get_last_lr')) return { code: 'LR113' };
    return null;
  },
  (k, f) => {
    if (k !== 'SequentialLR' && k !== 'ChainedScheduler') return null;
    if (has(f, 'one more than the number of milestone')) return { code: 'LR120', param: 'milestones' };
    if (has(f, 'belong to the same optimizer')) return { code: 'LR121', param: 'schedulers' };
    if (has(f, "'ChainedScheduler' object has no attribute")) return { code: 'LR124', param: 'schedulers' };
    if (has(f, 'ReduceLROnPlateau') || has(f, 'metrics')) return { code: 'LR125', param: 'schedulers' };
    if (f.type === 'IndexError' || has(f, 'at least one scheduler')) return { code: 'LR130', param: 'schedulers' };
    return null;
  },
  (k, f) => (k === 'CosineAnnealingWarmUpRestarts' && has(f, "'_last_lr'") ? { code: 'LR144' } : null),
];

/** OneCycleLR's constructor divides by div_factor, final_div_factor and the warm-up width (pct_start·total_steps − 1). */
function zeroDivisor(args: Record<string, Arg>): string {
  const zero = (name: string) => {
    const a = args[name];
    return !!a && (a.kind === 'int' || a.kind === 'float') && a.value === 0;
  };
  return zero('div_factor') ? 'div_factor' : zero('final_div_factor') ? 'final_div_factor' : 'pct_start';
}

/** The catalogue rule for a failure of a `kind` construction with bound `args` (LR000 when none describes it). */
export function ruleForFailure(kind: string, failure: TorchFailure, args: Record<string, Arg> = {}): FailureRule {
  for (const m of MATCHERS) {
    const r = m(kind, failure, args);
    if (r) return { code: r.code, param: failure.param ?? r.param };
  }
  return { code: 'LR000', param: failure.param };
}

/** Failures that are LR Lens's own limits, not torch's: reported as information. */
export function isOwnLimit(failure: TorchFailure): boolean {
  return failure.type === 'InternalError' || failure.type === 'BudgetExceeded' || failure.type === 'UnknownValue';
}
