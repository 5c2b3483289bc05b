/**
 * The other scheduler families' callables (docs/families.md) by the qualified name an import gives
 * them (imports.ts), whatever the alias: `transformers.get_cosine_schedule_with_warmup`,
 * `transformers.optimization.get_scheduler`, `diffusers.optimization.get_scheduler`,
 * `timm.scheduler.cosine_lr.CosineLRScheduler`, `timm.scheduler.create_scheduler_v2`,
 * `pl_bolts.optimizers.lr_scheduler.LinearWarmupCosineAnnealingLR`,
 * `tensorflow.keras.optimizers.schedules.CosineDecay`, `optax.warmup_cosine_decay_schedule`, …
 * katsura-jp's and pl_bolts' classes are also recognised by name when pasted into the file or
 * imported from any module (like the blog's classes, imports.ts).
 */
import { FAMILY_SIGNATURES, isFamilyKind, type Family, type FamilyKind } from '../../engine/families/signatures';
import { TIMM_CONFIG_KWARGS } from '../../engine/families/timmFactory';
import { SCHEDULER_TYPES } from '../../engine/families/transformers';
import type { Arg } from '../../engine/types';
import { isLibraryClass } from './pasted';
import type { PyVal } from './values';

/** Classes people paste into their scripts (or import from their own module): recognised by name. */
export const PASTED_FAMILY_CLASSES: ReadonlyMap<string, FamilyKind> = new Map<string, FamilyKind>([
  ['CosineAnnealingWarmupRestarts', 'katsura.CosineAnnealingWarmupRestarts'],
  ['LinearWarmupCosineAnnealingLR', 'pl_bolts.LinearWarmupCosineAnnealingLR'],
]);

/** Modules each family's callables are imported from, by family. */
const MODULES: [Family, RegExp][] = [
  ['transformers', /^transformers(\.optimization)?$/],
  ['diffusers', /^diffusers(\.optimization)?$/],
  ['timm', /^timm\.scheduler(\.(cosine_lr|tanh_lr|poly_lr|step_lr|multistep_lr|scheduler_factory))?$/],
  ['katsura', /^cosine_annealing_warmup(\.scheduler)?$/],
  ['pl_bolts', /^pl_bolts\.optimizers(\.lr_scheduler)?$/],
  ['keras', /^(tensorflow\.|tf_keras\.)?keras(\.src)?\.optimizers\.schedules(\.learning_rate_schedule)?$|^tensorflow\.keras\.experimental$/],
  ['optax', /^optax(\.schedules(\._schedule|\._join)?|\._src\.schedule)?$/],
  // `Trainer`'s settings: transformers' TrainingArguments and Seq2SeqTrainingArguments, TRL's SFTConfig, DPOConfig, …,
  // sentence-transformers' SentenceTransformerTrainingArguments, CrossEncoderTrainingArguments, SparseEncoderTrainingArguments.
  ['trainer', /^transformers(\.training_args(_seq2seq)?)?$|^trl(\.trainer(\.(sft|dpo|kto|grpo|rloo|reward|orpo|cpo|bco|online_dpo|xpo|nash_md|prm|gkd)_config)?)?$|^trl\.experimental\.(orpo|cpo|bco|online_dpo|xpo|nash_md|prm|gkd)(\.\w+_config)?$|^sentence_transformers(\.(cross_encoder|sparse_encoder))?(\.training_args)?$/],
];

/** The family construction a callee value denotes, with the family it is shown under, or null. */
export function familyCallee(callee: PyVal): { kind: FamilyKind; family: Family } | null {
  if (callee.k === 'class') {
    // A class of that name whose definition is not the library's (pasted.ts) is the user's own.
    const kind = isLibraryClass(callee) ? PASTED_FAMILY_CLASSES.get(callee.name) : undefined;
    return kind ? { kind, family: FAMILY_SIGNATURES[kind].family } : null;
  }
  return callee.k === 'ref' ? familyOfPath(callee.path) : null;
}

/** `transformers.optimization.get_scheduler` → transformers.get_scheduler; null for anything else. */
export function familyOfPath(path: string): { kind: FamilyKind; family: Family } | null {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return null;
  const mod = path.slice(0, dot);
  const name = path.slice(dot + 1);
  for (const [family, re] of MODULES) {
    if (!re.test(mod)) continue;
    const key = `${family}.${name}`;
    if (isFamilyKind(key)) return { kind: key, family };
    // diffusers' own copies of transformers' schedule functions (same lambdas, same signatures).
    const hf = `transformers.${name}`;
    if (family === 'diffusers' && isFamilyKind(hf) && name !== 'get_scheduler') return { kind: hf, family };
  }
  // A pasted class imported from the user's own module (`from utils.scheduler import CosineAnnealingWarmupRestarts`).
  const pasted = PASTED_FAMILY_CLASSES.get(name);
  return pasted ? { kind: pasted, family: FAMILY_SIGNATURES[pasted].family } : null;
}

/** Modules whose optimizers are not torch's (Keras, optax, flax): `keras.optimizers.SGD` is no torch SGD. */
export function isNonTorchModule(path: string): boolean {
  return /^(keras|tensorflow|tf_keras|optax|flax|jax)\b/.test(path);
}

/** `timm.scheduler.scheduler_kwargs(cfg, …)`: the keyword arguments of `create_scheduler_v2` it reads from the config. */
export function isTimmSchedulerKwargs(path: string): boolean {
  return /^timm\.scheduler(\.scheduler_factory)?\.scheduler_kwargs$/.test(path);
}

/**
 * What `scheduler_kwargs(cfg)` returns for a config namespace (argparse result, SimpleNamespace): a dict of
 * `create_scheduler_v2`'s keywords, each the attribute (with its assumption label) or timm's fallback; null when
 * `cfg` is not a namespace the walk knows.
 */
export function timmSchedulerKwargs(cfg: PyVal | undefined): PyVal | null {
  if (!cfg || cfg.k !== 'ns') return null;
  const entries: [PyVal, PyVal][] = [];
  for (const [kwarg, attr, fallback] of TIMM_CONFIG_KWARGS) {
    let v = cfg.attrs.get(attr) ?? (fallback ? fromArg(fallback) : undefined);
    if (v === undefined) v = { k: 'unknown', reason: cfg.missing?.(attr) ?? `\`${attr}\` is not set on the config` };
    if (kwarg === 'step_on_epochs' && v.k !== 'unknown') v = { k: 'bool', v: !truthy(v), ...(v.assumed ? { assumed: v.assumed } : {}) };
    entries.push([{ k: 'str', v: kwarg }, v]);
  }
  return { k: 'dict', entries };
}

function truthy(v: PyVal): boolean {
  switch (v.k) {
    case 'bool': case 'int': case 'float': return v.v !== 0 && v.v !== false;
    case 'str': return v.v.length > 0;
    case 'none': return false;
    case 'list': return v.items.length > 0;
    default: return true;
  }
}

function fromArg(a: Arg): PyVal {
  switch (a.kind) {
    case 'int': case 'float': case 'bool': case 'str': return { k: a.kind, v: a.value } as PyVal;
    case 'list': return { k: 'list', items: a.items.map(fromArg), tuple: !!a.tuple };
    default: return { k: 'none' };
  }
}

/**
 * transformers' `SchedulerType.COSINE` (a str Enum) as the string `get_scheduler` maps it from: its value
 * (`'cosine'`); null for any other path. diffusers' own SchedulerType has the same values.
 */
export function schedulerTypeValue(path: string): string | null {
  const m = /^(transformers(\.trainer_utils)?|diffusers(\.optimization)?)\.SchedulerType\.([A-Z_]+)$/.exec(path);
  return m ? SCHEDULER_TYPES.find(([, member]) => member === m[4])?.[0] ?? (m[4] === 'PIECEWISE_CONSTANT' ? 'piecewise_constant' : null) : null;
}
