/**
 * The other families' lint rules (docs/rules.md, LR180–LR187). The ones a library raises — LR181
 * (katsura's assert), LR182 (transformers' lr_end ValueError), LR184 (missing min_lr / min_lr_rate),
 * LR186 (Keras' PiecewiseConstantDecay lengths), LR187 (optax's warm-up cosine with no decay left) —
 * are raised with their id at the engine's throw sites (src/engine/families) and reported from the
 * simulated failure; the rules here are the ones nothing raises.
 */
import type { QuickFix } from '../../analysis/types';
import type { RuleContext } from '../context';
import { fixes, setArg } from '../fixes';
import { approx, n, truthy, type Rule } from './util';

export const HF_KINDS = [
  'transformers.get_linear_schedule_with_warmup', 'transformers.get_cosine_schedule_with_warmup',
  'transformers.get_cosine_with_hard_restarts_schedule_with_warmup', 'transformers.get_polynomial_decay_schedule_with_warmup',
  'transformers.get_cosine_with_min_lr_schedule_with_warmup', 'transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
  'transformers.get_wsd_schedule', 'transformers.get_scheduler', 'diffusers.get_scheduler',
];

/** LR180: katsura's constructor writes `min_lr` into every group; the optimizer's lr is never used. */
const KATSURA_LR: Rule = {
  ids: ['LR180'],
  kinds: ['katsura.CosineAnnealingWarmupRestarts'],
  check(ctx) {
    const minLr = ctx.num('min_lr');
    const maxLr = ctx.num('max_lr');
    if (minLr === null || maxLr === null) return;
    const ignored = ctx.groups().filter((g) => g.lrKnown && g.lr !== minLr);
    if (!ignored.length) return;
    const lrs = [...new Set(ignored.map((g) => g.lr))].map(n).join(', ');
    ctx.report('LR180', undefined,
      `CosineAnnealingWarmupRestarts sets every param group's lr to min_lr (${n(minLr)}) at construction and runs between ` +
      `min_lr and max_lr (${n(maxLr)}): the optimizer's lr (${lrs}) is ignored. Set the range with min_lr / max_lr.`,
      ctx.call.calleeRange);
  },
};

/** LR183: a warm-up longer than the whole schedule — the two step counts are likely swapped. */
const HF_WARMUP_LONGER: Rule = {
  ids: ['LR183'],
  kinds: HF_KINDS,
  check(ctx) {
    const w = ctx.num('num_warmup_steps');
    const t = ctx.num('num_training_steps');
    if (w === null || t === null || !(w > t)) return;
    ctx.report('LR183', 'num_warmup_steps',
      `num_warmup_steps (${n(w)}) > num_training_steps (${n(t)}): the warm-up is still rising when training ends, so the ` +
      'lr never reaches its peak and the decay never runs. Arguments swapped?',
      ctx.where('num_warmup_steps'), fixes(swap(ctx, 'num_warmup_steps', 'num_training_steps')));
  },
};

/** The quick fix exchanging two written arguments' values. */
function swap(ctx: RuleContext, a: string, b: string): QuickFix | null {
  const ia = ctx.info(a);
  const ib = ctx.info(b);
  if (!ia?.range || !ib?.range || ia.isDefault || ib.isDefault || ia.text === '' || ib.text === '') return null;
  return { title: `Swap ${a} and ${b}`, preferred: false, edits: [{ range: ia.range, newText: ib.text }, { range: ib.range, newText: ia.text }] };
}

/** LR185: timm warm-up with `warmup_prefix=False`: the decay ran during the warm-up, a drop where it ends. */
const TIMM_WARMUP_OVERLAP: Rule = {
  ids: ['LR185'],
  kinds: ['timm.CosineLRScheduler', 'timm.PolyLRScheduler', 'timm.StepLRScheduler', 'timm.MultiStepLRScheduler'],
  check(ctx) {
    const w = ctx.num('warmup_t');
    const prefix = truthy(ctx.value('warmup_prefix'));
    if (w === null || !(w > 0) || prefix !== false || !Number.isInteger(w)) return;
    // The drop, read off the curve: the last warm-up value against the schedule's value at warmup_t.
    const lrs = ctx.sim?.lrs?.[0];
    if (!lrs || lrs.length <= w) return;
    const before = lrs[w - 1]!;
    const at = lrs[w]!;
    if (!(at < before)) return;
    const peak = Math.max(...ctx.groups().filter((g) => g.lrKnown).map((g) => g.base));
    ctx.report('LR185', 'warmup_prefix',
      `warmup_prefix=False: the schedule is read at t, not t − warmup_t, so it already decayed during the ${n(w)}-step ` +
      `warm-up: the lr drops from ${approx(before)} to ${approx(at)} where the warm-up ends` +
      (Number.isFinite(peak) ? ` and never reaches the base lr ${approx(peak)}` : '') +
      '. warmup_prefix=True starts the schedule after the warm-up.',
      ctx.info('warmup_prefix')?.range && !ctx.info('warmup_prefix')!.isDefault ? ctx.where('warmup_prefix') : ctx.where('warmup_t'),
      fixes(setArg(ctx, 'warmup_prefix', 'True', 'Set warmup_prefix=True', true)));
  },
};

/**
 * LR191: Keras' CosineDecay with `warmup_steps` but no `warmup_target`: `__call__` takes the warm-up branch only
 * `if self.warmup_target is not None` (keras/src/optimizers/schedules/learning_rate_schedule.py), so the steps are
 * ignored and the cosine starts at once from initial_learning_rate.
 */
const KERAS_WARMUP_IGNORED: Rule = {
  ids: ['LR191'],
  kinds: ['keras.CosineDecay'],
  check(ctx) {
    const w = ctx.num('warmup_steps');
    if (w === null || !(w > 0) || ctx.value('warmup_target')?.kind !== 'none') return;
    const lr = ctx.num('initial_learning_rate');
    ctx.report('LR191', 'warmup_steps',
      `warmup_steps=${n(w)} without warmup_target: Keras ignores the warm-up (it needs warmup_target), so the cosine starts ` +
      `at once from initial_learning_rate${lr !== null ? ` (${approx(lr)})` : ''}. For a warm-up, give the peak as warmup_target ` +
      'and the starting lr as initial_learning_rate.',
      ctx.where('warmup_steps'));
  },
};

export const FAMILY_RULES: readonly Rule[] = [KATSURA_LR, HF_WARMUP_LONGER, TIMM_WARMUP_OVERLAP, KERAS_WARMUP_IGNORED];
