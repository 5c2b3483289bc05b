/**
 * ReduceLROnPlateau (docs/torch-schedulers.md §2.13): LR110–LR113.
 */
import { minLrCount, plateauFactor, plateauLacks, unknownMode } from '../../engine/errors';
import { compareError, isNumeric } from '../../engine/py';
import { getLastLrUses, readParamGroups } from './general';
import { approx, n, reportGroups, type Rule } from './util';

const PLATEAU: Rule = {
  ids: ['LR110', 'LR111', 'LR112', 'LR113'],
  kinds: ['ReduceLROnPlateau'],
  check(ctx) {
    for (const use of getLastLrUses(ctx)) {
      ctx.fail('LR113', undefined, plateauLacks('get_last_lr'), use, {
        why: "in torch 1.13 (torch ≥ 2.2 has the method; from 2.3 it works before the first step). Read the lr from the optimizer: " +
          "[group['lr'] for group in optimizer.param_groups].",
      }, readParamGroups(ctx, use));
    }
    const f = ctx.value('factor');
    const factor = ctx.num('factor');
    if (f && !isNumeric(f) && f.kind !== 'func' && f.kind !== 'object') {
      ctx.fail('LR110', 'factor', compareError('>=', f, 'float'), ctx.where('factor'));
      return;
    }
    if (factor !== null && factor >= 1) {
      ctx.fail('LR110', 'factor', plateauFactor(), ctx.where('factor'), { why: `the new lr is lr × factor (got ${n(factor)}).` });
      return;
    }
    const minLr = ctx.value('min_lr');
    const groups = ctx.groupCount;
    if (minLr?.kind === 'list' && groups !== null && minLr.items.length !== groups) {
      ctx.fail('LR111', 'min_lr', minLrCount(groups, minLr.items.length), ctx.where('min_lr'));
      return;
    }
    for (const [name, allowed, text] of [['mode', ['min', 'max'], 'mode'], ['threshold_mode', ['rel', 'abs'], 'threshold mode']] as const) {
      const v = ctx.value(name);
      if (!v || v.kind === 'func' || v.kind === 'object') continue;
      if (v.kind === 'str' && (allowed as readonly string[]).includes(v.value)) continue;
      ctx.fail('LR111', name, unknownMode(text, v, name), ctx.where(name), { why: `${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}.` });
      return;
    }
    if (factor !== null && factor <= 0) {
      ctx.report('LR112', 'factor', `factor ${n(factor)} ≤ 0: the first reduction drops the lr straight to min_lr.`, ctx.where('factor'));
      return;
    }
    const mins = ctx.perGroup('min_lr');
    const eps = ctx.num('eps');
    if (factor === null || !mins) return;
    const out: { group: number; message: string }[] = [];
    let about: 'min_lr' | 'eps' = 'eps';
    for (const g of ctx.groups()) {
      const m = mins[g.index];
      if (!g.lrKnown || m === null || m === undefined) continue;
      if (m >= g.lr) {
        out.push({ group: g.index, message: `min_lr ${n(m)} is not below the optimizer's lr (${n(g.lr)}): the lr is never reduced.` });
        about = 'min_lr';
      } else if (eps !== null && g.lr * (1 - factor) <= eps) {
        out.push({ group: g.index, message: `the first cut, lr·(1 − factor) = ${approx(g.lr * (1 - factor))}, is not larger than eps ${n(eps)}: torch skips it, so the lr is never reduced.` });
      }
    }
    reportGroups(ctx, 'LR112', about, ctx.written(about) ? ctx.where(about) : ctx.call.calleeRange, out);
  },
};

export const PLATEAU_RULES: Rule[] = [PLATEAU];
