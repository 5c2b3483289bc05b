/**
 * The other scheduler families' callables (transformers, timm, katsura-jp, pl_bolts, Keras 3, optax):
 * parameter names, order and defaults as each library declares them, what a step is for each, and
 * Python's argument binding with CPython 3.11's TypeError texts (functions and `__init__` methods).
 */
import { NO_RULE, type ParamSpec, type TorchFailure } from '../types';
import { bool, float, int, none, opt, req, str } from '../signatures';

/** `trainer`: Hugging Face `Trainer`'s settings (TrainingArguments and its subclasses), whose schedule is transformers'. */
export type Family = 'transformers' | 'diffusers' | 'timm' | 'katsura' | 'pl_bolts' | 'keras' | 'optax' | 'trainer';

/** What one value index of the curve stands for (the x-axis label). */
export type StepUnit = 'optimizer update' | 'epoch' | 'iteration';

/** How the curve is produced: torch's `step()` on param groups, timm's `step(t)`/`step_update(t)`, or calling a function of the step. */
export type Stepping = 'torch' | 'timm' | 'call';

export interface FamilySignature {
  family: Family;
  /** The name users call (`get_scheduler`, `CosineLRScheduler`, `cosine_decay_schedule`, …). */
  name: string;
  /** A class whose `__init__` is called (Python counts `self` in its messages) or a plain function. */
  isClass: boolean;
  params: ParamSpec[];
  /** `**kwargs` at the end (get_reduce_on_plateau_schedule). */
  varKw?: boolean;
  stepping: Stepping;
}


const LAST_EPOCH = opt('last_epoch', int(-1));
const OPTIMIZER = req('optimizer');

function fn(family: Family, name: string, stepping: Stepping, ...params: ParamSpec[]): FamilySignature {
  return { family, name, isClass: false, params, stepping };
}
function cls(family: Family, name: string, stepping: Stepping, ...params: ParamSpec[]): FamilySignature {
  return { family, name, isClass: true, params, stepping };
}

const hf = (name: string, ...params: ParamSpec[]) => fn('transformers', name, 'torch', OPTIMIZER, ...params);
const WARMUP = req('num_warmup_steps');
const TRAINING = req('num_training_steps');

/** timm's noise options and `initialize` (every timm scheduler ends with them). */
const TIMM_TAIL = [opt('t_in_epochs', bool(true)), opt('noise_range_t', none), opt('noise_pct', float(0.67)),
  opt('noise_std', float(1.0)), opt('noise_seed', int(42))];
const TIMM_CYCLES = [opt('cycle_mul', float(1.0)), opt('cycle_decay', float(1.0)), opt('cycle_limit', int(1)),
  opt('warmup_t', int(0)), opt('warmup_lr_init', float(0.0)), opt('warmup_prefix', bool(false))];
const TIMM_STEPS = [opt('decay_rate', float(1.0)), opt('warmup_t', int(0)), opt('warmup_lr_init', float(0.0)),
  opt('warmup_prefix', bool(true)), ...TIMM_TAIL, opt('initialize', bool(true))];
const timm = (name: string, ...params: ParamSpec[]) => cls('timm', name, 'timm', OPTIMIZER, ...params);
const keras = (name: string, ...params: ParamSpec[]) => cls('keras', name, 'call', ...params);
const optax = (name: string, ...params: ParamSpec[]) => fn('optax', name, 'call', ...params);

/**
 * TrainingArguments-like dataclasses: `output_dir` (the one field passed positionally), the schedule's fields, `**kwargs`.
 * `trl`: TRL's `_BaseConfig` (trl/trainer/base_config.py) makes `lr_scheduler_kwargs` default to None (get_scheduler
 * reads None as no keywords: the same schedule), which its configs' labels then show.
 */
function trainerArgs(name: string, lr: number, trl = false): FamilySignature {
  return {
    ...cls('trainer', name, 'torch', opt('output_dir', none), opt('learning_rate', float(lr)), opt('lr_scheduler_type', str('linear')),
      opt('lr_scheduler_kwargs', trl ? none : { kind: 'dict', entries: [] }), opt('warmup_ratio', float(0.0)), opt('warmup_steps', int(0)),
      opt('num_train_epochs', float(3.0)), opt('max_steps', int(-1)), opt('gradient_accumulation_steps', int(1))),
    varKw: true,
  };
}

/** Every callable, by a key `family.name` (names alone collide across families in spirit, e.g. exponential decay). */
export const FAMILY_SIGNATURES = {
  // transformers `src/transformers/optimization.py`
  'transformers.get_constant_schedule': hf('get_constant_schedule', LAST_EPOCH),
  'transformers.get_constant_schedule_with_warmup': hf('get_constant_schedule_with_warmup', WARMUP, LAST_EPOCH),
  'transformers.get_linear_schedule_with_warmup': hf('get_linear_schedule_with_warmup', WARMUP, TRAINING, LAST_EPOCH),
  'transformers.get_cosine_schedule_with_warmup': hf('get_cosine_schedule_with_warmup', WARMUP, TRAINING,
    opt('num_cycles', float(0.5)), LAST_EPOCH),
  'transformers.get_cosine_with_hard_restarts_schedule_with_warmup': hf('get_cosine_with_hard_restarts_schedule_with_warmup',
    WARMUP, TRAINING, opt('num_cycles', int(1)), LAST_EPOCH),
  'transformers.get_polynomial_decay_schedule_with_warmup': hf('get_polynomial_decay_schedule_with_warmup', WARMUP, TRAINING,
    opt('lr_end', float(1e-7)), opt('power', float(1.0)), LAST_EPOCH),
  'transformers.get_inverse_sqrt_schedule': hf('get_inverse_sqrt_schedule', WARMUP, opt('timescale', none), LAST_EPOCH),
  'transformers.get_cosine_with_min_lr_schedule_with_warmup': hf('get_cosine_with_min_lr_schedule_with_warmup', WARMUP, TRAINING,
    opt('num_cycles', float(0.5)), LAST_EPOCH, opt('min_lr', none), opt('min_lr_rate', none)),
  'transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate': hf('get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
    WARMUP, TRAINING, opt('num_cycles', float(0.5)), LAST_EPOCH, opt('min_lr', none), opt('min_lr_rate', none),
    opt('warmup_lr_rate', none)),
  'transformers.get_wsd_schedule': hf('get_wsd_schedule', WARMUP, req('num_decay_steps'), opt('num_training_steps', none),
    opt('num_stable_steps', none), opt('warmup_type', str('linear')), opt('decay_type', str('cosine')),
    opt('min_lr_ratio', int(0)), opt('num_cycles', float(0.5)), LAST_EPOCH),
  'transformers.get_reduce_on_plateau_schedule': { ...hf('get_reduce_on_plateau_schedule'), varKw: true },
  'transformers.get_scheduler': fn('transformers', 'get_scheduler', 'torch', req('name'), OPTIMIZER,
    opt('num_warmup_steps', none), opt('num_training_steps', none), opt('scheduler_specific_kwargs', none)),

  // transformers `training_args.py`: the settings of the schedule `Trainer.create_scheduler` builds (the other fields are
  // caught by `**kwargs` here: they do not change the curve). TRL's SFTConfig overrides the lr default (2e-5).
  'trainer.TrainingArguments': trainerArgs('TrainingArguments', 5e-5),
  'trainer.Seq2SeqTrainingArguments': trainerArgs('Seq2SeqTrainingArguments', 5e-5),
  'trainer.SFTConfig': trainerArgs('SFTConfig', 2e-5, true),
  // TRL's other trainers' configs (trl/trainer/{dpo,kto,grpo,rloo,reward}_config.py, TRL main 2026): each a `_BaseConfig`
  // (a TrainingArguments) overriding only the lr default among the schedule's settings; their trainers subclass `Trainer`
  // (trl/trainer/base_trainer.py `_BaseTrainer(Trainer)`) and build the schedule with its create_scheduler.
  'trainer.DPOConfig': trainerArgs('DPOConfig', 1e-6, true),
  'trainer.KTOConfig': trainerArgs('KTOConfig', 1e-6, true),
  'trainer.GRPOConfig': trainerArgs('GRPOConfig', 1e-6, true),
  'trainer.RLOOConfig': trainerArgs('RLOOConfig', 1e-6, true),
  'trainer.RewardConfig': trainerArgs('RewardConfig', 1e-4, true),
  // TRL's trainers moved to `trl.experimental` (trl/experimental/<name>/<name>_config.py, TRL main 2026; exported from `trl` itself in
  // earlier releases): `_BaseConfig`s overriding only the lr default among the schedule's settings (XPO and NashMD are
  // OnlineDPOConfigs, GKD an SFTConfig); their trainers subclass `_BaseTrainer(Trainer)` (GKD `SFTTrainer`) and override
  // neither create_scheduler nor create_optimizer.
  'trainer.ORPOConfig': trainerArgs('ORPOConfig', 1e-6, true),
  'trainer.CPOConfig': trainerArgs('CPOConfig', 1e-6, true),
  'trainer.BCOConfig': trainerArgs('BCOConfig', 5e-7, true),
  'trainer.OnlineDPOConfig': trainerArgs('OnlineDPOConfig', 5e-7, true),
  'trainer.XPOConfig': trainerArgs('XPOConfig', 5e-7, true),
  'trainer.NashMDConfig': trainerArgs('NashMDConfig', 5e-7, true),
  'trainer.PRMConfig': trainerArgs('PRMConfig', 1e-5, true),
  'trainer.GKDConfig': trainerArgs('GKDConfig', 2e-5, true),
  // sentence-transformers' (sentence_transformers/training_args.py, cross_encoder/ and sparse_encoder/training_args.py,
  // v5.1): TrainingArguments subclasses overriding none of the schedule's settings (transformers' lr 5e-5); their
  // trainers subclass `Trainer` and override neither create_scheduler nor create_optimizer.
  'trainer.SentenceTransformerTrainingArguments': trainerArgs('SentenceTransformerTrainingArguments', 5e-5),
  'trainer.CrossEncoderTrainingArguments': trainerArgs('CrossEncoderTrainingArguments', 5e-5),
  'trainer.SparseEncoderTrainingArguments': trainerArgs('SparseEncoderTrainingArguments', 5e-5),

  // diffusers `src/diffusers/optimization.py` (its other get_* functions are transformers' under the same names)
  'diffusers.get_scheduler': fn('diffusers', 'get_scheduler', 'torch', req('name'), OPTIMIZER, opt('step_rules', none),
    opt('num_warmup_steps', none), opt('num_training_steps', none), opt('num_cycles', int(1)), opt('power', float(1.0)), LAST_EPOCH),
  'diffusers.get_piecewise_constant_schedule': fn('diffusers', 'get_piecewise_constant_schedule', 'torch', OPTIMIZER,
    req('step_rules'), LAST_EPOCH),
  // Its own linear schedule since the Cosmos Predict 2.5 LoRA example (#13664): a floor and a peak multiplier.
  'diffusers.get_linear_schedule_with_warmup': fn('diffusers', 'get_linear_schedule_with_warmup', 'torch', OPTIMIZER, WARMUP,
    TRAINING, LAST_EPOCH, opt('f_min', float(0.0)), opt('f_max', float(1.0))),

  // timm `timm/scheduler/*.py`
  'timm.CosineLRScheduler': timm('CosineLRScheduler', req('t_initial'), opt('lr_min', float(0.0)), ...TIMM_CYCLES,
    ...TIMM_TAIL, opt('k_decay', float(1.0)), opt('initialize', bool(true))),
  'timm.TanhLRScheduler': timm('TanhLRScheduler', req('t_initial'), opt('lb', float(-7.0)), opt('ub', float(3.0)),
    opt('lr_min', float(0.0)), ...TIMM_CYCLES, ...TIMM_TAIL, opt('initialize', bool(true))),
  'timm.PolyLRScheduler': timm('PolyLRScheduler', req('t_initial'), opt('power', float(0.5)), opt('lr_min', float(0.0)),
    ...TIMM_CYCLES, ...TIMM_TAIL, opt('k_decay', float(1.0)), opt('initialize', bool(true))),
  'timm.StepLRScheduler': timm('StepLRScheduler', req('decay_t'), ...TIMM_STEPS),
  'timm.MultiStepLRScheduler': timm('MultiStepLRScheduler', req('decay_t'), ...TIMM_STEPS),
  // timm `timm/scheduler/scheduler_factory.py`
  'timm.create_scheduler_v2': fn('timm', 'create_scheduler_v2', 'timm', OPTIMIZER, opt('sched', str('cosine')),
    opt('num_epochs', int(300)), opt('decay_epochs', int(90)),
    opt('decay_milestones', { kind: 'list', items: [int(90), int(180), int(270)], tuple: true }), opt('cooldown_epochs', int(0)),
    opt('patience_epochs', int(10)), opt('decay_rate', float(0.1)), opt('min_lr', float(0.0)), opt('warmup_lr', float(1e-5)),
    opt('warmup_epochs', int(0)), opt('warmup_prefix', bool(false)), opt('noise', none), opt('noise_pct', float(0.67)),
    opt('noise_std', float(1.0)), opt('noise_seed', int(42)), opt('cycle_mul', float(1.0)), opt('cycle_decay', float(0.1)),
    opt('cycle_limit', int(1)), opt('k_decay', float(1.0)), opt('plateau_mode', str('max')), opt('step_on_epochs', bool(true)),
    opt('updates_per_epoch', int(0))),
  'timm.create_scheduler': fn('timm', 'create_scheduler', 'timm', req('args'), OPTIMIZER, opt('updates_per_epoch', int(0))),

  // katsura-jp `cosine_annealing_warmup/scheduler.py`
  'katsura.CosineAnnealingWarmupRestarts': cls('katsura', 'CosineAnnealingWarmupRestarts', 'torch', OPTIMIZER,
    req('first_cycle_steps'), opt('cycle_mult', float(1.0)), opt('max_lr', float(0.1)), opt('min_lr', float(0.001)),
    opt('warmup_steps', int(0)), opt('gamma', float(1.0)), LAST_EPOCH),

  // lightning-bolts `src/pl_bolts/optimizers/lr_scheduler.py`
  'pl_bolts.LinearWarmupCosineAnnealingLR': cls('pl_bolts', 'LinearWarmupCosineAnnealingLR', 'torch', OPTIMIZER,
    req('warmup_epochs'), req('max_epochs'), opt('warmup_start_lr', float(0.0)), opt('eta_min', float(0.0)), LAST_EPOCH),

  // Keras 3 `keras/src/optimizers/schedules/learning_rate_schedule.py`
  'keras.ExponentialDecay': keras('ExponentialDecay', req('initial_learning_rate'), req('decay_steps'), req('decay_rate'),
    opt('staircase', bool(false)), opt('name', str('ExponentialDecay'))),
  'keras.PiecewiseConstantDecay': keras('PiecewiseConstantDecay', req('boundaries'), req('values'),
    opt('name', str('PiecewiseConstant'))),
  'keras.PolynomialDecay': keras('PolynomialDecay', req('initial_learning_rate'), req('decay_steps'),
    opt('end_learning_rate', float(0.0001)), opt('power', float(1.0)), opt('cycle', bool(false)), opt('name', str('PolynomialDecay'))),
  'keras.InverseTimeDecay': keras('InverseTimeDecay', req('initial_learning_rate'), req('decay_steps'), req('decay_rate'),
    opt('staircase', bool(false)), opt('name', str('InverseTimeDecay'))),
  'keras.CosineDecay': keras('CosineDecay', req('initial_learning_rate'), req('decay_steps'), opt('alpha', float(0.0)),
    opt('name', str('CosineDecay')), opt('warmup_target', none), opt('warmup_steps', int(0))),
  'keras.CosineDecayRestarts': keras('CosineDecayRestarts', req('initial_learning_rate'), req('first_decay_steps'),
    opt('t_mul', float(2.0)), opt('m_mul', float(1.0)), opt('alpha', float(0.0)), opt('name', str('SGDRDecay'))),

  // optax `optax/schedules/_schedule.py`, `_join.py`
  'optax.constant_schedule': optax('constant_schedule', req('value')),
  'optax.polynomial_schedule': optax('polynomial_schedule', req('init_value'), req('end_value'), req('power'),
    req('transition_steps'), opt('transition_begin', int(0))),
  'optax.linear_schedule': optax('linear_schedule', req('init_value'), req('end_value'), req('transition_steps'),
    opt('transition_begin', int(0))),
  'optax.piecewise_constant_schedule': optax('piecewise_constant_schedule', req('init_value'), opt('boundaries_and_scales', none)),
  'optax.exponential_decay': optax('exponential_decay', req('init_value'), req('transition_steps'), req('decay_rate'),
    opt('transition_begin', int(0)), opt('staircase', bool(false)), opt('end_value', none)),
  'optax.cosine_decay_schedule': optax('cosine_decay_schedule', req('init_value'), req('decay_steps'), opt('alpha', float(0.0)),
    opt('exponent', float(1.0))),
  'optax.piecewise_interpolate_schedule': optax('piecewise_interpolate_schedule', req('interpolate_type'), req('init_value'),
    opt('boundaries_and_scales', none)),
  'optax.linear_onecycle_schedule': optax('linear_onecycle_schedule', req('transition_steps'), req('peak_value'),
    opt('pct_start', float(0.3)), opt('pct_final', float(0.85)), opt('div_factor', float(25.0)), opt('final_div_factor', float(1e4))),
  'optax.cosine_onecycle_schedule': optax('cosine_onecycle_schedule', req('transition_steps'), req('peak_value'),
    opt('pct_start', float(0.3)), opt('div_factor', float(25.0)), opt('final_div_factor', float(1e4))),
  'optax.warmup_constant_schedule': optax('warmup_constant_schedule', req('init_value'), req('peak_value'), req('warmup_steps')),
  'optax.warmup_cosine_decay_schedule': optax('warmup_cosine_decay_schedule', req('init_value'), req('peak_value'),
    req('warmup_steps'), req('decay_steps'), opt('end_value', float(0.0)), opt('exponent', float(1.0))),
  'optax.warmup_exponential_decay_schedule': optax('warmup_exponential_decay_schedule', req('init_value'), req('peak_value'),
    req('warmup_steps'), req('transition_steps'), req('decay_rate'), opt('transition_begin', int(0)), opt('staircase', bool(false)),
    opt('end_value', none)),
  'optax.sgdr_schedule': optax('sgdr_schedule', req('cosine_kwargs')),
  'optax.join_schedules': optax('join_schedules', req('schedules'), req('boundaries')),
} satisfies Record<string, FamilySignature>;

export type FamilyKind = keyof typeof FAMILY_SIGNATURES;

export const FAMILY_KINDS = Object.keys(FAMILY_SIGNATURES) as FamilyKind[];

export function isFamilyKind(key: string): key is FamilyKind {
  return Object.prototype.hasOwnProperty.call(FAMILY_SIGNATURES, key);
}

/** The x-axis meaning of a construction: timm follows `t_in_epochs`, torch-stepped families count optimizer updates. */
export function stepUnit(kind: FamilyKind, tInEpochs = true): StepUnit {
  const sig: FamilySignature = FAMILY_SIGNATURES[kind];
  if (sig.stepping === 'call') return 'iteration';
  if (sig.stepping === 'timm') return tInEpochs ? 'epoch' : 'optimizer update';
  return 'optimizer update';
}

/** The result of binding a call: parameter → value given (defaults not filled in), or Python's TypeError. */
export interface FamilyBound<T> {
  bound: Map<string, T>;
  /** Keyword arguments caught by `**kwargs`, in call order. */
  extra: [string, T][];
  failure: TorchFailure | null;
}

/**
 * Binds call arguments as CPython 3.11 does, with its texts: `f() …` for functions, `C.__init__() …`
 * (counting `self`) for classes.
 */
export function bindFamilyCall<T>(sig: FamilySignature, positional: T[], keywords: [string, T][]): FamilyBound<T> {
  const params = sig.params;
  const bound = new Map<string, T>();
  const extra: [string, T][] = [];
  const fail = (message: string): FamilyBound<T> => ({ bound, extra, failure: { type: 'TypeError', message, phase: 'construct', step: null, rule: NO_RULE } });
  const fnText = sig.isClass ? `${sig.name}.__init__()` : `${sig.name}()`;
  const self = sig.isClass ? 1 : 0;

  if (positional.length > params.length) {
    const required = params.filter((p) => p.default === undefined).length + self;
    const total = params.length + self;
    const takes = required === total ? `${total} positional argument${total === 1 ? '' : 's'}` : `from ${required} to ${total} positional arguments`;
    const given = positional.length + self;
    return fail(`${fnText} takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`);
  }
  positional.forEach((v, i) => bound.set(params[i]!.name, v));
  for (const [name, v] of keywords) {
    const known = params.some((p) => p.name === name);
    if (known && bound.has(name)) return fail(`${fnText} got multiple values for argument '${name}'`);
    if (known) bound.set(name, v);
    else if (sig.varKw) extra.push([name, v]);
    else return fail(`${fnText} got an unexpected keyword argument '${name}'`);
  }
  const missing = params.filter((p) => p.default === undefined && !bound.has(p.name)).map((p) => `'${p.name}'`);
  if (missing.length) {
    const last = missing[missing.length - 1];
    const list = missing.length === 1 ? last : missing.length === 2 ? `${missing[0]} and ${last}` : `${missing.slice(0, -1).join(', ')}, and ${last}`;
    return fail(`${fnText} missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
  }
  return { bound, extra, failure: null };
}

/**
 * Keywords the current timm rejects that older releases took: timm 0.4.x's `CosineLRScheduler` and
 * `TanhLRScheduler` were `(…, t_mul=1., lr_min=0., decay_rate=1., …, cycle_limit=0, …)`; the current ones
 * (timm/scheduler/cosine_lr.py, tanh_lr.py) renamed them `cycle_mul` / `cycle_decay` (and made `cycle_limit`
 * default to 1). Code written for the old signature (Swin, DeiT-era repositories pin timm 0.4.12) raises only
 * with a newer timm, so the TypeError depends on the installed version.
 */
const TIMM_RENAMED: Record<string, Record<string, string>> = {
  'timm.CosineLRScheduler': { t_mul: 'cycle_mul', decay_rate: 'cycle_decay' },
  'timm.TanhLRScheduler': { t_mul: 'cycle_mul', decay_rate: 'cycle_decay' },
};

/** For a binding TypeError about a keyword an older release of the library took: what holds, by version; else null. */
export function bindVersionNote(kind: string, failure: TorchFailure): string | null {
  const m = /got an unexpected keyword argument '([^']+)'/.exec(failure.message);
  const renamed = m ? TIMM_RENAMED[kind]?.[m[1]!] : undefined;
  if (!m || !renamed) return null;
  return `so in current timm (LR Lens follows timm 1.0, where it is \`${renamed}\`); older releases (timm 0.4.x, e.g. 0.4.12) take \`${m[1]}\`, ` +
    'with other defaults (cycle_limit=0: restarts without end): with such a timm this call does not raise, and its curve is not known here';
}
