/**
 * Optimizer constructor signatures (torch 1.13 positional order), so positional
 * arguments can be named before the engine's `makeOptimizer` builds the groups.
 */
import { OPTIMIZERS } from '../../engine/optimizers';

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

/** Whether torch 1.13 knows the class (unknown ones get an assumed lr when none is given). */
export function isTorchOptimizer(type: string): boolean {
  return OPTIMIZERS.has(type);
}
