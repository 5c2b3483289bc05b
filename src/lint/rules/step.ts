/**
 * StepLR, MultiStepLR, ExponentialLR (docs/torch-schedulers.md §2.3, §2.4, §2.7): LR020–LR023, LR030–LR033.
 */
import { notIterable } from '../../engine/errors';
import { moduloByZero, pyMod, zeroDivision } from '../../engine/py';
import { isInt, isIntegral } from '../context';
import { fixes, rewriteList } from '../fixes';
import { n, type Rule } from './util';

const STEP_LR: Rule = {
  ids: ['LR020', 'LR021', 'LR023'],
  kinds: ['StepLR'],
  check(ctx) {
    const a = ctx.value('step_size');
    const size = ctx.num('step_size');
    if (size === null || !a) return;
    const at = ctx.where('step_size');
    if (size === 0) {
      if (ctx.H < 2) return;
      ctx.fail('LR020', 'step_size', zeroDivision(moduloByZero(isInt(a))), at,
        { after: ' at the first step()', why: 'StepLR computes step % step_size; step_size must be a positive number of steps.' });
      return;
    }
    if (size < 0) {
      ctx.report('LR021', 'step_size', `step_size ${n(size)} is negative: step() decays every ${n(-size)} steps, but ` +
        `step(epoch) (the closed form) multiplies by gamma^(epoch / ${n(size)}) and grows the lr; use a positive integer.`, at);
      return;
    }
    if (!isIntegral(size)) {
      const decays: number[] = [];
      for (let e = 1; e < Math.min(ctx.H || 1000, 100_000) && decays.length < 3; e++) if (pyMod(e, size, false) === 0) decays.push(e);
      const when = decays.length ? `only at steps ${decays.join(', ')}, …` : 'never inside the preview';
      ctx.report('LR021', 'step_size', `step_size ${n(size)} is not an integer: step() decays when the step is an exact multiple ` +
        `of it (${when}), while step(epoch) decays at every ⌊epoch / ${n(size)}⌋ change; use a positive integer.`, at);
      return;
    }
    if (ctx.H > 0 && size >= ctx.H) {
      ctx.report('LR023', 'step_size', `No decay inside the preview: the first decay is at step ${n(size)}, but the preview ` +
        `shows steps 0–${ctx.H - 1}. If the run is that short, shorten step_size.`, at);
    }
  },
};

/** LR022 on `gamma` for the decaying classes. */
const GAMMA: Rule = {
  ids: ['LR022'],
  kinds: ['StepLR', 'MultiStepLR', 'ExponentialLR'],
  check(ctx) {
    const g = ctx.num('gamma');
    if (g === null || (g > 0 && g < 1) || g === 1) return;
    const effect = g > 1 ? `the lr grows ×${n(g)} at every decay` : g === 0 ? 'the lr drops to 0 at the first decay and stays there'
      : `the lr changes sign at every decay (×${n(g)})`;
    ctx.report('LR022', 'gamma', `gamma ${n(g)}: ${effect}. A decay factor is meant to be between 0 and 1.`, ctx.where('gamma'));
  },
};

const MULTI_STEP_LR: Rule = {
  ids: ['LR030', 'LR031', 'LR032', 'LR033'],
  kinds: ['MultiStepLR'],
  check(ctx) {
    const v = ctx.value('milestones');
    if (!v) return;
    const at = ctx.where('milestones');
    if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'none' || v.kind === 'func') {
      ctx.fail('LR030', 'milestones', notIterable(v, 'milestones'), at, { why: 'milestones must be a list of steps, e.g. [30, 80].' });
      return;
    }
    if (v.kind !== 'list') return;
    const values = v.items.map((it) => (it.kind === 'int' || it.kind === 'float' ? it.value : it.kind === 'bool' ? Number(it.value) : null));
    const nums = values.filter((x): x is number => x !== null);

    const counts = new Map<number, number>();
    for (const x of nums) counts.set(x, (counts.get(x) ?? 0) + 1);
    const dups = [...counts].filter(([, c]) => c > 1);
    if (dups.length) {
      const list = dups.map(([m, c]) => `${n(m)} (×${c})`).join(', ');
      ctx.report('LR031', 'milestones', `Duplicate milestones ${list}: gamma is applied once per copy at that step ` +
        `(lr × gamma^${dups[0]![1]} at step ${n(dups[0]![0])}).`, at,
        fixes(rewriteList(ctx, 'milestones', (items) => uniqueSorted(items.map((i) => i.value!)), 'Sort and remove duplicate milestones', true)));
    }
    if (counts.has(0)) {
      ctx.report('LR032', 'milestones', 'Milestone 0 applies the decay at construction: lr[0] is already base·gamma.', at,
        fixes(rewriteList(ctx, 'milestones', (items) => items.map((_, i) => i).filter((i) => items[i]!.value !== 0), 'Remove milestone 0', true)));
    }
    const never = nums.filter((m) => m < 0 || !isIntegral(m));
    const beyond = ctx.H > 0 ? nums.filter((m) => m >= ctx.H && isIntegral(m)) : [];
    if (never.length || beyond.length) {
      const parts: string[] = [];
      if (never.length) parts.push(`${never.map(n).join(', ')} never fire${never.length === 1 ? 's' : ''} (step() only matches whole, non-negative steps)`);
      if (beyond.length) parts.push(`${beyond.map(n).join(', ')} ${beyond.length === 1 ? 'is' : 'are'} beyond the previewed steps 0–${ctx.H - 1}`);
      ctx.report('LR033', 'milestones', `Milestone${never.length + beyond.length > 1 ? 's' : ''} ${parts.join('; ')}. ` +
        'Milestones are step indices.', at);
    }
  },
};

/** Indices of the first occurrence of each value, ordered by value. */
function uniqueSorted(values: number[]): number[] | null {
  const first = new Map<number, number>();
  values.forEach((v, i) => { if (!first.has(v)) first.set(v, i); });
  return [...first].sort((a, b) => a[0] - b[0]).map(([, i]) => i);
}

export const STEP_RULES: Rule[] = [STEP_LR, GAMMA, MULTI_STEP_LR];
