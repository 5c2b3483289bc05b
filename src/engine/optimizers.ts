/**
 * torch 1.13 optimizers as the schedulers see them: the default lr, whether
 * `momentum` / `betas` are keys of `optimizer.defaults` (CyclicLR and OneCycleLR
 * test exactly that), and the constructor checks on those arguments.
 */
import { pyFloatRepr } from './py';
import { NO_RULE, type OptimizerInit, type ParamGroupInit, type TorchFailure } from './types';

/** One row of the optimizer table. `lr: null` = torch's `required` sentinel. */
export interface OptimizerSpec {
  /** The constructor's positional parameters after `params`, in order (torch 1.13 `__init__`, up to its `*`). */
  params: readonly string[];
  lr: number | null;
  /** Default momentum when `momentum` is a key of `defaults` (SGD, RMSprop). */
  momentum?: number;
  /** Default betas when `betas` is a key of `defaults` (Adam family). */
  betas?: [number, number];
  /** The constructor rejects `lr < 0` ("Invalid learning rate: …"). LBFGS does not check. */
  checksLr: boolean;
}

const BETAS: [number, number] = [0.9, 0.999];
const ADAM = ['lr', 'betas', 'eps', 'weight_decay'];

/**
 * torch 1.13 `torch.optim` classes (defaults and positional parameters from each class's `__init__`
 * signature, checked with `inspect.signature` on torch 1.13.1).
 */
export const OPTIMIZERS: ReadonlyMap<string, OptimizerSpec> = new Map<string, OptimizerSpec>([
  ['SGD', { params: ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'], lr: null, momentum: 0, checksLr: true }],
  ['Adam', { params: [...ADAM, 'amsgrad'], lr: 1e-3, betas: BETAS, checksLr: true }],
  ['AdamW', { params: [...ADAM, 'amsgrad'], lr: 1e-3, betas: BETAS, checksLr: true }],
  ['Adamax', { params: [...ADAM, 'foreach'], lr: 2e-3, betas: BETAS, checksLr: true }],
  ['NAdam', { params: [...ADAM, 'momentum_decay', 'foreach'], lr: 2e-3, betas: BETAS, checksLr: true }],
  ['RAdam', { params: [...ADAM, 'foreach'], lr: 1e-3, betas: BETAS, checksLr: true }],
  ['SparseAdam', { params: ['lr', 'betas', 'eps', 'maximize'], lr: 1e-3, betas: BETAS, checksLr: true }],
  ['RMSprop', {
    params: ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable'],
    lr: 1e-2, momentum: 0, checksLr: true,
  }],
  ['Adagrad', { params: ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps', 'foreach'], lr: 1e-2, checksLr: true }],
  ['Adadelta', { params: ['lr', 'rho', 'eps', 'weight_decay', 'foreach'], lr: 1.0, checksLr: true }],
  ['ASGD', { params: ['lr', 'lambd', 'alpha', 't0', 'weight_decay', 'foreach', 'maximize'], lr: 1e-2, checksLr: true }],
  ['Rprop', { params: ['lr', 'etas', 'step_sizes', 'foreach', 'maximize'], lr: 1e-2, checksLr: true }],
  ['LBFGS', {
    params: ['lr', 'max_iter', 'max_eval', 'tolerance_grad', 'tolerance_change', 'history_size', 'line_search_fn'],
    lr: 1, checksLr: false,
  }],
]);

/** Optimizer keyword arguments that matter to schedulers. */
export interface OptimizerKwargs {
  lr?: number;
  momentum?: number;
  betas?: [number, number];
  /**
   * Which of these were written as Python ints (`lr=-1` vs `lr=-1.0`): torch's messages print them as
   * written. Without it (JS sources), integral values print as ints.
   */
  ints?: ReadonlySet<'lr' | 'momentum' | 'beta0' | 'beta1'>;
}

/** A param group dict as written by the user (`{"params": …, "lr": …}`). */
export interface GroupKwargs extends OptimizerKwargs {
  initial_lr?: number;
  /** timm's layer-decay key, kept on the group as torch keeps any key. */
  lr_scale?: number;
}

/**
 * Builds the optimizer's param groups as torch does: each group's own keys win,
 * then the constructor's keyword arguments, then the class defaults
 * (`Optimizer.add_param_group`). `groups = null` means one group (`model.parameters()`).
 * Unknown classes are generic optimizers: the given kwargs, no momentum/betas in defaults.
 * When `failure` is set torch raises in the optimizer's constructor; the returned
 * optimizer is then only a best effort (a missing lr is NaN).
 */
export function makeOptimizer(
  type: string,
  kwargs: OptimizerKwargs,
  groups: GroupKwargs[] | null,
): { optimizer: OptimizerInit; failure: TorchFailure | null } {
  const spec = OPTIMIZERS.get(type);
  const defaults: OptimizerInit['defaults'] = {};
  const lr = kwargs.lr ?? spec?.lr ?? undefined;
  if (lr !== undefined && lr !== null) defaults.lr = lr;
  if (spec?.momentum !== undefined) defaults.momentum = kwargs.momentum ?? spec.momentum;
  if (spec?.betas !== undefined) defaults.betas = kwargs.betas ?? spec.betas;

  let failure = spec ? constructorCheck(spec, kwargs) : null;
  const out: ParamGroupInit[] = [];
  for (const g of groups ?? [{}]) {
    const group: ParamGroupInit = { lr: g.lr ?? defaults.lr ?? NaN };
    if (g.lr === undefined && defaults.lr === undefined && !failure) {
      failure = spec
        ? construct('ValueError', "parameter group didn't specify a value of required optimization parameter lr", 'lr')
        : construct('UnknownLr', `the lr of ${type} is not known (no lr argument and no known default)`, 'lr');
    }
    // Keys the user put in a group are kept even if the class does not use them (torch keeps the dict).
    const momentum = g.momentum ?? defaults.momentum;
    if (momentum !== undefined) group.momentum = momentum;
    const betas = g.betas ?? defaults.betas;
    if (betas !== undefined) group.betas = [betas[0], betas[1]];
    if (g.initial_lr !== undefined) group.initial_lr = g.initial_lr;
    if (g.lr_scale !== undefined) group.lr_scale = g.lr_scale;
    out.push(group);
  }
  return { optimizer: { type, defaults, groups: out }, failure };
}

/** The argument checks of the class's `__init__` that concern lr / momentum / betas, in torch's order. */
function constructorCheck(spec: OptimizerSpec, kw: OptimizerKwargs): TorchFailure | null {
  if (spec.checksLr && kw.lr !== undefined && kw.lr < 0) {
    return construct('ValueError', `Invalid learning rate: ${written(kw, 'lr', kw.lr)}`, 'lr');
  }
  if (spec.momentum !== undefined && kw.momentum !== undefined && kw.momentum < 0) {
    return construct('ValueError', `Invalid momentum value: ${written(kw, 'momentum', kw.momentum)}`, 'momentum');
  }
  if (spec.betas !== undefined && kw.betas !== undefined) {
    for (let i = 0; i < 2; i++) {
      const b = kw.betas[i]!;
      if (!(b >= 0 && b < 1)) return construct('ValueError', `Invalid beta parameter at index ${i}: ${written(kw, i === 0 ? 'beta0' : 'beta1', b)}`, 'betas');
    }
  }
  return null;
}

/** `str(x)` of a keyword argument as Python has it: an int as written, a float with its `.0`. */
function written(kw: OptimizerKwargs, key: 'lr' | 'momentum' | 'beta0' | 'beta1', x: number): string {
  const isInt = kw.ints ? kw.ints.has(key) : Number.isInteger(x);
  return isInt ? String(x) : pyFloatRepr(x);
}

function construct(type: string, message: string, param: string): TorchFailure {
  return { type, message, phase: 'construct', step: null, param, rule: NO_RULE };
}
