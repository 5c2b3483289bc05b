/**
 * Optimizer constructor signatures (torch 1.13 positional order) and the one
 * function that turns resolved arguments into the engine's OptimizerInit.
 */
import type { Arg, OptimizerInit, ParamGroupInit } from '../../engine/types';

const BETAS = ['betas', 'eps', 'weight_decay'];

/** Positional parameter names after `params`, per optimizer class. */
export const OPTIMIZER_PARAMS = new Map<string, string[]>([
  ['SGD', ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov']],
  ['Adam', ['lr', ...BETAS, 'amsgrad']],
  ['AdamW', ['lr', ...BETAS, 'amsgrad']],
  ['Adamax', ['lr', ...BETAS]],
  ['NAdam', ['lr', ...BETAS, 'momentum_decay']],
  ['RAdam', ['lr', ...BETAS]],
  ['SparseAdam', ['lr', 'betas', 'eps']],
  ['RMSprop', ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered']],
  ['Adagrad', ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps']],
  ['Adadelta', ['lr', 'rho', 'eps', 'weight_decay']],
  ['ASGD', ['lr', 'lambd', 'alpha', 't0', 'weight_decay']],
  ['Rprop', ['lr', 'etas', 'step_sizes']],
  ['LBFGS', ['lr', 'max_iter']],
]);

/** torch 1.13 default lr per class (SGD's lr is required: no default). */
const DEFAULT_LR = new Map<string, number>([
  ['Adam', 1e-3], ['AdamW', 1e-3], ['Adamax', 2e-3], ['NAdam', 2e-3], ['RAdam', 1e-3], ['SparseAdam', 1e-3],
  ['RMSprop', 1e-2], ['Adagrad', 1e-2], ['Adadelta', 1.0], ['ASGD', 1e-2], ['Rprop', 1e-2], ['LBFGS', 1],
]);

/** Whether the class has a default lr (false for SGD and unknown classes: the caller must assume one). */
export function hasDefaultLr(type: string): boolean {
  return DEFAULT_LR.has(type);
}

const ADAM_LIKE = new Set(['Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'SparseAdam']);

function num(a: Arg | undefined): number | undefined {
  if (!a) return undefined;
  if (a.kind === 'int' || a.kind === 'float') return a.value;
  if (a.kind === 'bool') return a.value ? 1 : 0;
  return undefined;
}

function pair(a: Arg | undefined): [number, number] | undefined {
  if (a?.kind !== 'list' || a.items.length !== 2) return undefined;
  const [x, y] = [num(a.items[0]), num(a.items[1])];
  return x === undefined || y === undefined ? undefined : [x, y];
}

/**
 * Builds an OptimizerInit with torch's defaults: top-level kwargs, and per-group overrides
 * (`groups` null = one group from `model.parameters()`). The lr values are already resolved
 * (assumed when unknown) by the caller.
 * Kept in one place so it can delegate to the engine's `makeOptimizer` once that exists.
 */
export function buildOptimizer(type: string, kwargs: Record<string, Arg>, groups: Record<string, Arg>[] | null): OptimizerInit {
  const lr = num(kwargs['lr']) ?? DEFAULT_LR.get(type) ?? 0.1;
  const defaults: OptimizerInit['defaults'] = { lr };
  if (type === 'SGD' || type === 'RMSprop') defaults.momentum = num(kwargs['momentum']) ?? 0;
  if (ADAM_LIKE.has(type)) defaults.betas = pair(kwargs['betas']) ?? [0.9, 0.999];
  const mk = (over: Record<string, Arg>): ParamGroupInit => {
    const g: ParamGroupInit = { lr: num(over['lr']) ?? lr };
    if (defaults.momentum !== undefined) g.momentum = num(over['momentum']) ?? defaults.momentum;
    if (defaults.betas) g.betas = pair(over['betas']) ?? defaults.betas;
    const init = num(over['initial_lr']);
    if (init !== undefined) g.initial_lr = init;
    return g;
  };
  return { type, defaults, groups: (groups ?? [{}]).map(mk) };
}
