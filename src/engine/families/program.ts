/**
 * The families inside a Program (src/engine/types.ts): a family construction built on the
 * program's shared optimizer state (so a transformers / katsura / pl_bolts object can be a member of
 * torch's SequentialLR, and a timm or torch-stepped family construction on the same optimizer writes
 * its lrs as the script would), a family target simulated with `simulateFamily`, optax schedules given
 * to `join_schedules` resolved from their own constructions, and each family's preview length.
 */
import { isNumeric, toNumber } from '../py';
import type { BuildContext, Scheduler } from '../schedulers';
import { PyError, type Arg, type Construction, type FamilyConstructionRecord, type Program, type SimulateOptions } from '../types';
import { FamilyArgs } from './args';
import { constructTorchFamily, makeSchedule, simulateFamily, type FamilyConstruction, type FamilySimulation } from './index';
import { FAMILY_SIGNATURES, isFamilyKind } from './signatures';
import { constructTimm, type TimmKind } from './timm';
import { resolveTimmFactory, type TimmFactoryKind } from './timmFactory';
import { isTrainerKind, resolveTrainer, stepsPerEpochOf, type TrainerSchedule } from './trainer';
import { toFailure } from '../build';

export function isFamilyConstruction(c: Construction): c is FamilyConstructionRecord {
  return isFamilyKind(c.kind);
}

/**
 * A family construction that is not the target, built on the program's state: the torch-stepped
 * ones as torch objects (usable as SequentialLR / ChainedScheduler members); timm's writes its lrs
 * and is no torch object (null); Keras / optax touch no optimizer (null).
 */
export function buildFamilyMember(c: FamilyConstructionRecord, ctx: BuildContext): Scheduler | null {
  const stepping = FAMILY_SIGNATURES[c.kind].stepping;
  // A Trainer's settings build nothing on the program's optimizers (the Trainer makes its own).
  if (isTrainerKind(c.kind)) return null;
  if (stepping === 'torch') return constructTorchFamily(asFamily(c), ctx);
  if (stepping === 'timm' && c.optimizer !== null) constructTimm(c.kind as TimmKind, c.args, ctx.optimizer(c.optimizer));
  return null;
}

/** A timm or Keras / optax object torch's composites cannot step (they have no `get_last_lr`). */
export function notATorchScheduler(c: FamilyConstructionRecord): PyError {
  const name = FAMILY_SIGNATURES[c.kind].name;
  return new PyError('UnknownValue', `LR Lens does not simulate ${name} (${FAMILY_SIGNATURES[c.kind].family}) inside one of torch's composite schedulers`);
}

/** The family target `index` of `program`: its own simulation (value 0 after construction, then the family's steps). */
export function simulateFamilyTarget(program: Program, index: number, opts: SimulateOptions): FamilySimulation {
  const c = program.schedulers[index] as FamilyConstructionRecord;
  if (isTrainerKind(c.kind)) {
    let t: TrainerSchedule;
    try {
      // Built on the optimizer given to the Trainer (`optimizers=(optimizer, None)`), else on the Trainer's own AdamW.
      t = resolveTrainer(c.kind, c.args, stepsPerEpochOf(program), c.optimizer !== null ? { index: c.optimizer, optimizers: program.optimizers } : null);
    } catch (e) {
      return { lrs: null, momentum: null, error: toFailure(e, 'construct', null), markers: [], otherFailures: [], unit: 'optimizer update' };
    }
    return simulateFamily(t.schedule, t.optimizers, opts);
  }
  return simulateFamily(resolved(program, c, 0), program.optimizers, opts);
}

/** `c` with each `scheduler` reference in its arguments replaced by the function that construction builds (optax). */
function resolved(program: Program, c: FamilyConstructionRecord, depth: number): FamilyConstruction {
  const args: Record<string, Arg> = {};
  for (const [k, v] of Object.entries(c.args)) args[k] = resolveArg(program, v, depth);
  return { kind: c.kind, args, optimizer: c.optimizer, ...(c.extra ? { extra: c.extra } : {}) };
}

function resolveArg(program: Program, a: Arg, depth: number): Arg {
  if (a.kind === 'list') return { ...a, items: a.items.map((x) => resolveArg(program, x, depth)) };
  if (a.kind !== 'scheduler') return a;
  const m = program.schedulers[a.index];
  if (!m || !isFamilyConstruction(m) || FAMILY_SIGNATURES[m.kind].stepping !== 'call' || depth > 16) return a;
  const f = makeSchedule(resolved(program, m, depth + 1));
  return { kind: 'func', name: FAMILY_SIGNATURES[m.kind].name, call: f };
}

function asFamily(c: FamilyConstructionRecord): FamilyConstruction {
  return { kind: c.kind, args: c.args, optimizer: c.optimizer, ...(c.extra ? { extra: c.extra } : {}) };
}

/** What a construction's curve rests on that is assumed (a Trainer's batches per epoch), or null. */
export function familyAssumption(program: Program, c: FamilyConstructionRecord): { why: string; stepsPerEpoch: number } | null {
  if (!isTrainerKind(c.kind)) return null;
  try {
    const t = resolveTrainer(c.kind, c.args, stepsPerEpochOf(program));
    return t.assumption ? { why: t.assumption, stepsPerEpoch: t.stepsPerEpoch } : null;
  } catch {
    return null;
  }
}

/** A preview length and the rule that gave it (see docs/families.md), or null to use the plain default. */
export function familyHorizon(program: Program, c: FamilyConstructionRecord, depth = 0): { steps: number; source: string } | null {
  const a = new FamilyArgs(FAMILY_SIGNATURES[c.kind], c.args);
  const n = (name: string): number | null => {
    const v = a.get(name);
    return isNumeric(v) ? toNumber(v) : null;
  };
  const pos = (x: number | null): x is number => x !== null && Number.isFinite(x) && x > 0;
  const lastOf = (name: string): number | null => {
    const v = a.get(name);
    if (v.kind === 'list') {
      const xs = v.items.filter(isNumeric).map((x) => toNumber(x));
      return xs.length ? Math.max(...xs) : null;
    }
    if (v.kind === 'dict') {
      const xs = v.entries.map(([k]) => Number(k)).filter(Number.isFinite);
      return xs.length ? Math.max(...xs) : null;
    }
    return null;
  };
  const plus1 = (steps: number | null, source: string) => (pos(steps) ? { steps: Math.ceil(steps) + 1, source } : null);
  if (isTrainerKind(c.kind)) {
    const t = resolveTrainer(c.kind, c.args, stepsPerEpochOf(program));
    return { steps: t.totalSteps + 1, source: t.assumption ? 'num_train_epochs × assumed steps per epoch + 1' : 'max_steps + 1' };
  }
  switch (c.kind) {
    case 'transformers.get_scheduler': case 'diffusers.get_scheduler': {
      if (c.kind === 'diffusers.get_scheduler' && a.get('step_rules').kind === 'str') return stepRulesHorizon(a.get('step_rules'));
      const t = n('num_training_steps');
      if (pos(t)) return plus1(t, 'num_training_steps + 1');
      const w = n('num_warmup_steps');
      return pos(w) ? { steps: 10 * Math.ceil(w) + 1, source: '10 × num_warmup_steps + 1' } : null;
    }
    case 'transformers.get_constant_schedule_with_warmup': case 'transformers.get_inverse_sqrt_schedule': {
      const w = n('num_warmup_steps');
      return pos(w) ? { steps: 10 * Math.ceil(w) + 1, source: '10 × num_warmup_steps + 1' } : null;
    }
    case 'transformers.get_wsd_schedule': {
      const t = n('num_training_steps');
      if (pos(t)) return plus1(t, 'num_training_steps + 1');
      const total = (n('num_warmup_steps') ?? 0) + (n('num_stable_steps') ?? 0) + (n('num_decay_steps') ?? 0);
      return plus1(total, 'warm-up + stable + decay + 1');
    }
    case 'diffusers.get_piecewise_constant_schedule': return stepRulesHorizon(a.get('step_rules'));
    case 'katsura.CosineAnnealingWarmupRestarts': {
      const first = n('first_cycle_steps');
      const mult = n('cycle_mult') ?? 1;
      const warm = n('warmup_steps') ?? 0;
      if (!pos(first) || !(mult > 0)) return null;
      let len = first;
      let total = 0;
      for (let i = 0; i < 3; i++) {
        total += len;
        len = Math.floor((len - warm) * mult) + warm;
      }
      return plus1(total, '3 cycles');
    }
    case 'pl_bolts.LinearWarmupCosineAnnealingLR': return plus1(n('max_epochs'), 'max_epochs + 1');
    case 'timm.create_scheduler_v2': case 'timm.create_scheduler': {
      const r = resolveTimmFactory(c.kind as TimmFactoryKind, c.args);
      return familyHorizon(program, { kind: r.kind, args: r.args, optimizer: c.optimizer }, depth + 1);
    }
    case 'timm.CosineLRScheduler': case 'timm.TanhLRScheduler': case 'timm.PolyLRScheduler': {
      const t = n('t_initial');
      const mul = n('cycle_mul') ?? 1;
      const limit = Math.max(1, Math.min(5, n('cycle_limit') ?? 1));
      if (!pos(t) || !(mul > 0)) return null;
      let total = 0;
      for (let i = 0; i < limit; i++) total += t * mul ** i;
      if (pyTrue(a.get('warmup_prefix'))) total += n('warmup_t') ?? 0;
      return plus1(total, limit > 1 ? `${limit} cycles + 1` : 't_initial + 1');
    }
    case 'timm.StepLRScheduler': {
      const d = n('decay_t');
      return pos(d) ? { steps: 3 * Math.ceil(d) + 1 + (pyTrue(a.get('warmup_prefix')) ? n('warmup_t') ?? 0 : 0), source: '3 × decay_t + 1' } : null;
    }
    case 'timm.MultiStepLRScheduler': {
      const last = lastOf('decay_t');
      return pos(last) ? { steps: Math.ceil(last * 1.25), source: 'last decay_t × 1.25' } : null;
    }
    // Without warmup_target Keras ignores warmup_steps (no warm-up branch).
    case 'keras.CosineDecay': return a.get('warmup_target').kind === 'none'
      ? plus1(n('decay_steps'), 'decay_steps + 1')
      : plus1((n('decay_steps') ?? 0) + (n('warmup_steps') ?? 0), 'warmup_steps + decay_steps + 1');
    case 'keras.PolynomialDecay': return plus1(n('decay_steps'), 'decay_steps + 1');
    case 'keras.CosineDecayRestarts': {
      const f = n('first_decay_steps');
      const m = n('t_mul') ?? 2;
      return pos(f) && m > 0 ? plus1(f * (1 + m + m * m), '3 cycles') : null;
    }
    case 'keras.ExponentialDecay': case 'keras.InverseTimeDecay': return plus1((n('decay_steps') ?? 0) * 10, '10 × decay_steps + 1');
    case 'keras.PiecewiseConstantDecay': {
      const last = lastOf('boundaries');
      return pos(last) ? { steps: Math.ceil(last * 1.25), source: 'last boundary × 1.25' } : null;
    }
    case 'optax.cosine_decay_schedule': case 'optax.warmup_cosine_decay_schedule': return plus1(n('decay_steps'), 'decay_steps + 1');
    case 'optax.polynomial_schedule': case 'optax.linear_schedule':
      return plus1(Math.ceil(1.25 * ((n('transition_steps') ?? 0) + (n('transition_begin') ?? 0))), '(transition_begin + transition_steps) × 1.25 + 1');
    case 'optax.linear_onecycle_schedule': case 'optax.cosine_onecycle_schedule': return plus1(n('transition_steps'), 'transition_steps + 1');
    case 'optax.warmup_constant_schedule': return plus1(3 * (n('warmup_steps') ?? 0), '3 × warmup_steps + 1');
    case 'optax.exponential_decay': case 'optax.warmup_exponential_decay_schedule':
      return plus1((n('warmup_steps') ?? 0) + (n('transition_begin') ?? 0) + 10 * (n('transition_steps') ?? 0), '10 × transition_steps + 1');
    case 'optax.piecewise_constant_schedule': case 'optax.piecewise_interpolate_schedule': {
      const last = lastOf('boundaries_and_scales');
      return pos(last) ? { steps: Math.ceil(last * 1.25), source: 'last boundary × 1.25' } : null;
    }
    case 'optax.sgdr_schedule': {
      const k = a.get('cosine_kwargs');
      if (k.kind !== 'list') return null;
      let total = 0;
      for (const d of k.items) {
        const steps = d.kind === 'dict' ? d.entries.find(([key]) => key === 'decay_steps')?.[1] : undefined;
        if (steps && isNumeric(steps)) total += toNumber(steps);
      }
      return plus1(total, 'sum of decay_steps + 1');
    }
    case 'optax.join_schedules': {
      const last = lastOf('boundaries');
      const s = a.get('schedules');
      const tail = s.kind === 'list' ? s.items[s.items.length - 1] : undefined;
      const m = tail?.kind === 'scheduler' ? program.schedulers[tail.index] : undefined;
      const mh = m && isFamilyConstruction(m) && depth < 16 ? familyHorizon(program, m, depth + 1) : null;
      if (!pos(last)) return mh;
      return mh ? { steps: last + mh.steps, source: `last boundary + ${mh.source}` } : { steps: Math.ceil(last * 1.25), source: 'last boundary × 1.25' };
    }
    default: {
      const t = n('num_training_steps');
      return c.kind.startsWith('transformers.') || c.kind.startsWith('diffusers.') ? plus1(t, 'num_training_steps + 1') : null;
    }
  }
}

/** diffusers' `step_rules = "1:10,0.1:20,0.005"`: a quarter past the last rule's step. */
function stepRulesHorizon(rules: Arg): { steps: number; source: string } | null {
  if (rules.kind !== 'str') return null;
  const steps = rules.value.split(',').slice(0, -1).map((r) => Number(r.split(':')[1])).filter(Number.isFinite);
  return steps.length ? { steps: Math.ceil(Math.max(...steps) * 1.25), source: 'last rule step × 1.25' } : null;
}

function pyTrue(a: Arg): boolean {
  return a.kind === 'bool' ? a.value : isNumeric(a) ? toNumber(a) !== 0 : a.kind !== 'none';
}
