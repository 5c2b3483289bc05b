/**
 * timm's scheduler factories (`timm/scheduler/scheduler_factory.py`, 1.0.29.dev0):
 * `create_scheduler_v2(optimizer, sched='cosine', …)` and `create_scheduler(args, optimizer)`, which read
 * an argparse-like config with timm's own defaults. They pick one of the five schedulers with arguments
 * of their own (note `cycle_decay=0.1` and `warmup_prefix=False` for every kind, Step and MultiStep included)
 * and also return the number of epochs to train.
 */
import { comparable, isNumeric, isPyInt, pyTruthy, pyTypeName, toNumber } from '../py';
import { PyError, type Arg } from '../types';
import { FamilyArgs } from './args';
import { bindFamilyCall, FAMILY_SIGNATURES } from './signatures';

export type TimmFactoryKind = 'timm.create_scheduler_v2' | 'timm.create_scheduler';
type TimmClassKind = 'timm.CosineLRScheduler' | 'timm.TanhLRScheduler' | 'timm.PolyLRScheduler' | 'timm.StepLRScheduler' | 'timm.MultiStepLRScheduler';

/** What a factory call builds: the scheduler class and its arguments, and the `num_epochs` it returns. */
export interface TimmFactoryResult {
  kind: TimmClassKind;
  args: Record<string, Arg>;
  numEpochs: number;
}

const int = (value: number): Arg => ({ kind: 'int', value });
const float = (value: number): Arg => ({ kind: 'float', value });

/** `a * b` on Python numbers (an int only when both are). */
function times(a: Arg, b: Arg, param: string): Arg {
  const v = toNumber(a, param) * toNumber(b, param);
  return isPyInt(a) && isPyInt(b) ? int(v) : float(v);
}

/**
 * timm's `scheduler_kwargs(cfg)` (`scheduler_factory.py`): each keyword of `create_scheduler_v2`, the config
 * attribute it reads (`getattr(cfg, attr, fallback)`; `sched` has no fallback) — `step_on_epochs` is
 * `not cfg.sched_on_updates`.
 */
export const TIMM_CONFIG_KWARGS: readonly (readonly [kwarg: string, attr: string, fallback: Arg | null])[] = [
  ['sched', 'sched', null], ['num_epochs', 'epochs', int(100)], ['decay_epochs', 'decay_epochs', int(30)],
  ['decay_milestones', 'decay_milestones', { kind: 'list', items: [int(30), int(60)] }],
  ['warmup_epochs', 'warmup_epochs', int(5)], ['cooldown_epochs', 'cooldown_epochs', int(0)],
  ['patience_epochs', 'patience_epochs', int(10)], ['decay_rate', 'decay_rate', float(0.1)],
  ['min_lr', 'min_lr', float(0)], ['warmup_lr', 'warmup_lr', float(1e-5)],
  ['warmup_prefix', 'warmup_prefix', { kind: 'bool', value: false }], ['noise', 'lr_noise', { kind: 'none' }],
  ['noise_pct', 'lr_noise_pct', float(0.67)], ['noise_std', 'lr_noise_std', float(1)], ['noise_seed', 'seed', int(42)],
  ['cycle_mul', 'lr_cycle_mul', float(1)], ['cycle_decay', 'lr_cycle_decay', float(0.1)],
  ['cycle_limit', 'lr_cycle_limit', int(1)], ['k_decay', 'lr_k_decay', float(1)],
  ['step_on_epochs', 'sched_on_updates', { kind: 'bool', value: false }],
];

/** `scheduler_kwargs(cfg)`: the config's attributes (a dict of them) with timm's fallbacks. */
function schedulerKwargs(cfg: Arg): [string, Arg][] {
  if (cfg.kind !== 'dict') throw new PyError('AttributeError', `'${pyTypeName(cfg)}' object has no attribute 'sched'`, 'args');
  const attrs = new Map(cfg.entries);
  return TIMM_CONFIG_KWARGS.map(([kwarg, attr, fallback]): [string, Arg] => {
    const v = attrs.get(attr) ?? fallback;
    if (!v) throw new PyError('AttributeError', `'Namespace' object has no attribute '${attr}'`, 'args');
    return [kwarg, kwarg === 'step_on_epochs' ? { kind: 'bool', value: !pyTruthy(v) } : v];
  });
}

/** The scheduler a factory call constructs (throws what timm raises, or that it builds none). */
export function resolveTimmFactory(kind: TimmFactoryKind, given: Map<string, Arg> | Record<string, Arg>): TimmFactoryResult {
  let a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  if (kind === 'timm.create_scheduler') {
    const v2 = FAMILY_SIGNATURES['timm.create_scheduler_v2'];
    const bound = bindFamilyCall(v2, [], [['optimizer', a.get('optimizer')], ...schedulerKwargs(a.get('args')),
      ['updates_per_epoch', a.get('updates_per_epoch')]]);
    if (bound.failure) throw new PyError(bound.failure.type, bound.failure.message, 'args');
    a = new FamilyArgs(v2, bound.bound);
  }
  const onEpochs = pyTruthy(a.get('step_on_epochs'));
  const perEpoch = a.get('updates_per_epoch');
  let tInitial = a.get('num_epochs');
  let warmupT = a.get('warmup_epochs');
  let decayT = a.get('decay_epochs');
  let milestones = a.get('decay_milestones');
  let cooldownT = a.get('cooldown_epochs');
  if (!onEpochs) {
    if (!(comparable(perEpoch, '>', 'int', 'updates_per_epoch') > 0)) {
      throw new PyError('AssertionError', 'updates_per_epoch must be set to number of dataloader batches', 'updates_per_epoch');
    }
    tInitial = times(tInitial, perEpoch, 'num_epochs');
    warmupT = times(warmupT, perEpoch, 'warmup_epochs');
    decayT = times(decayT, perEpoch, 'decay_epochs');
    if (milestones.kind !== 'list') throw new PyError('TypeError', `'${pyTypeName(milestones)}' object is not iterable`, 'decay_milestones');
    milestones = { kind: 'list', items: milestones.items.map((d) => times(d, perEpoch, 'decay_milestones')) };
    cooldownT = times(cooldownT, perEpoch, 'cooldown_epochs');
  }
  const warmup: Record<string, Arg> = { warmup_lr_init: a.get('warmup_lr'), warmup_t: warmupT, warmup_prefix: a.get('warmup_prefix') };
  const noise: Record<string, Arg> = {
    noise_range_t: noiseRange(a.get('noise'), tInitial), noise_pct: a.get('noise_pct'), noise_std: a.get('noise_std'),
    noise_seed: a.get('noise_seed'),
  };
  const cycles: Record<string, Arg> = { cycle_mul: a.get('cycle_mul'), cycle_decay: a.get('cycle_decay'), cycle_limit: a.get('cycle_limit') };
  const common = { t_in_epochs: { kind: 'bool', value: onEpochs } as Arg, ...warmup, ...noise };
  const sched = a.get('sched');
  const name = sched.kind === 'str' ? sched.value : '';
  let result: Omit<TimmFactoryResult, 'numEpochs'>;
  switch (name) {
    case 'cosine':
      result = { kind: 'timm.CosineLRScheduler', args: { t_initial: tInitial, lr_min: a.get('min_lr'), ...cycles, ...common, k_decay: a.get('k_decay') } };
      break;
    case 'tanh':
      result = { kind: 'timm.TanhLRScheduler', args: { t_initial: tInitial, lr_min: a.get('min_lr'), ...cycles, ...common } };
      break;
    case 'poly':
      // timm overloads decay_rate as the polynomial power.
      result = { kind: 'timm.PolyLRScheduler', args: { power: a.get('decay_rate'), t_initial: tInitial, lr_min: a.get('min_lr'),
        k_decay: a.get('k_decay'), ...cycles, ...common } };
      break;
    case 'step':
      result = { kind: 'timm.StepLRScheduler', args: { decay_t: decayT, decay_rate: a.get('decay_rate'), ...common } };
      break;
    case 'multistep':
      result = { kind: 'timm.MultiStepLRScheduler', args: { decay_t: milestones, decay_rate: a.get('decay_rate'), ...common } };
      break;
    case 'plateau':
      if (!onEpochs) throw new PyError('AssertionError', 'Plateau LR only supports step per epoch.', 'sched');
      throw new PyError('NotImplementedError', "LR Lens does not simulate timm's PlateauLRScheduler (it follows the eval metric)", 'sched');
    default:
      throw new PyError('NoScheduler', `timm's ${FAMILY_SIGNATURES[kind].name} builds no scheduler for sched=${sched.kind === 'str' ? `'${name}'` : pyTypeName(sched)} (it returns None)`, 'sched');
  }
  return { ...result, numEpochs: numEpochs(result, a, cooldownT, onEpochs) };
}

/** `noise * t_initial` (a list/tuple scaled element-wise; one element unwraps). */
function noiseRange(noise: Arg, tInitial: Arg): Arg {
  if (noise.kind === 'none') return noise;
  if (noise.kind === 'list') {
    const items = noise.items.map((n) => times(n, tInitial, 'noise'));
    return items.length === 1 ? items[0]! : { kind: 'list', items };
  }
  return times(noise, tInitial, 'noise');
}

/** The `num_epochs` the factory returns: cycle length (+ warm-up with the prefix) + cooldown for the cyclic kinds. */
function numEpochs(r: Omit<TimmFactoryResult, 'numEpochs'>, a: FamilyArgs, cooldownT: Arg, onEpochs: boolean): number {
  if (r.kind === 'timm.StepLRScheduler' || r.kind === 'timm.MultiStepLRScheduler') {
    const n = a.num('num_epochs');
    return pyTruthy(a.get('warmup_prefix')) ? n + a.num('warmup_epochs') : n;
  }
  // get_cycle_length(): cycles = max(1, cycle_limit)
  const limit = a.get('cycle_limit');
  const cycles = isNumeric(limit) && toNumber(limit) !== 0 ? Math.max(1, toNumber(limit)) : 1;
  const t0 = toNumber(r.args['t_initial']!);
  const mul = a.num('cycle_mul');
  let t = mul === 1.0 ? t0 * cycles : Math.trunc(Math.floor(-t0 * (Math.pow(mul, cycles) - 1) / (1 - mul)));
  if (pyTruthy(a.get('warmup_prefix'))) t += toNumber(r.args['warmup_t']!);
  const total = t + toNumber(cooldownT);
  return onEpochs ? total : Math.floor(total / a.num('updates_per_epoch'));
}
