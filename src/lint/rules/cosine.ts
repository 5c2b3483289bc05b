/**
 * CosineAnnealingLR and CosineAnnealingWarmRestarts (docs/torch-schedulers.md §2.9, §2.10): LR070–LR073, LR080–LR082.
 * `positiveInt`/`intAtLeastOne` are shared with the blog's CosineAnnealingWarmUpRestarts (LR140).
 */
import { expectedIntAtLeastOne, expectedPositiveInt, negativeEpoch } from '../../engine/errors';
import { compareError, isNumeric, moduloByZero, zeroDivision } from '../../engine/py';
import { isInt, isIntegral, numOf, type RuleContext } from '../context';
import { fixes, replaceArg } from '../fixes';
import { stepWithEpoch } from './general';
import { n, reportGroups, s, type Rule } from './util';

/** torch's `if x <= 0 or not isinstance(x, int): raise ValueError("Expected positive integer {name}, but got {x}")`. */
export function positiveInt(ctx: RuleContext, code: string, name: string, allowZero = false): boolean {
  const a = ctx.value(name);
  if (!a) return false;
  if (!isNumeric(a)) {
    if (a.kind === 'func' || a.kind === 'object') return false;
    ctx.fail(code, name, compareError(allowZero ? '<' : '<=', a, 'int'), ctx.where(name));
    return true;
  }
  const x = ctx.num(name)!;
  if ((allowZero ? x >= 0 : x > 0) && isInt(a)) return false;
  ctx.fail(code, name, expectedPositiveInt(name, a, code), ctx.where(name), {
    why: `${name} must be an integer ≥ ${allowZero ? 0 : 1}${a.kind === 'int' && a.numpy ? ` (a numpy.${a.numpy} is not an int to isinstance: write int(…))` : isIntegral(x) && x > 0 ? ` (write ${n(x)}, not ${s(a)})` : ''}`,
  });
  return true;
}

/** torch's `if T_mult < 1 or not isinstance(T_mult, int): raise ValueError("Expected integer T_mult >= 1, but got {x}")`. */
export function intAtLeastOne(ctx: RuleContext, code: string, name: string): boolean {
  const a = ctx.value(name);
  if (!a) return false;
  if (!isNumeric(a)) {
    if (a.kind === 'func' || a.kind === 'object') return false;
    ctx.fail(code, name, compareError('<', a, 'int'), ctx.where(name));
    return true;
  }
  const x = ctx.num(name)!;
  if (x >= 1 && isInt(a)) return false;
  ctx.fail(code, name, expectedIntAtLeastOne(name, a, code), ctx.where(name));
  return true;
}

const COSINE_ANNEALING_LR: Rule = {
  ids: ['LR070', 'LR071', 'LR072'],
  kinds: ['CosineAnnealingLR'],
  check(ctx) {
    const a = ctx.value('T_max');
    const t = ctx.num('T_max');
    if (!a || t === null) return;
    const at = ctx.where('T_max');
    if (t === 0) {
      if (ctx.H < 2) return;
      ctx.fail('LR070', 'T_max', zeroDivision(moduloByZero(isInt(a))), at,
        { after: ' at the first step()', why: 'T_max is the number of steps of the half cosine and must be ≥ 1.' });
      return;
    }
    if (t < 0 || !isIntegral(t)) {
      ctx.report('LR071', 'T_max', t < 0
        ? `T_max ${n(t)} is negative: torch does not define it; it behaves like T_max=${n(-t)}. Use a positive integer.`
        : `T_max ${n(t)} is not an integer: torch does not define it (T_max=1/3 raises ZeroDivisionError at step 2). Use a positive integer.`, at);
      return;
    }
    // Loop-aware: when the preview is the run's own length, LR173 says it in the run's words.
    if (ctx.H > 0 && ctx.H - 1 > t && !ctx.fromRun) {
      ctx.report('LR072', 'T_max', `The lr climbs back up after step ${n(t)}: the cosine has period 2·T_max = ${n(2 * t)}, and the ` +
        `preview runs ${ctx.H - 1} steps. Set T_max to the number of steps, or use CosineAnnealingWarmRestarts for restarts.`, at,
        fixes(replaceArg(ctx, 'T_max', String(ctx.H - 1), `Set T_max=${ctx.H - 1} (the previewed number of steps)`, false)));
    }
  },
};

/** LR073 for both cosine classes: eta_min at or above a group's base lr. */
const ETA_MIN: Rule = {
  ids: ['LR073'],
  kinds: ['CosineAnnealingLR', 'CosineAnnealingWarmRestarts'],
  check(ctx) {
    const m = ctx.num('eta_min');
    if (m === null) return;
    const out = ctx.groups().filter((g) => g.lrKnown && m >= g.base).map((g) => ({
      group: g.index,
      message: m === g.base
        ? `eta_min ${n(m)} equals the optimizer's lr: the curve is a flat line at ${n(m)}.`
        : `eta_min ${n(m)} is above the optimizer's lr (${n(g.base)}): the curve is inverted (it rises to ${n(m)} and falls back).`,
    }));
    reportGroups(ctx, 'LR073', 'eta_min', ctx.where('eta_min'), out);
  },
};

const WARM_RESTARTS: Rule = {
  ids: ['LR080', 'LR081', 'LR082'],
  kinds: ['CosineAnnealingWarmRestarts'],
  check(ctx) {
    const badT0 = positiveInt(ctx, 'LR080', 'T_0');
    const badMult = intAtLeastOne(ctx, 'LR080', 'T_mult');
    if (badT0 || badMult) return;
    const t0 = ctx.num('T_0');
    const mult = ctx.num('T_mult');
    for (const use of stepWithEpoch(ctx)) {
      const e = numOf(use.epoch);
      if (e === null) continue;
      if (e < 0) {
        ctx.fail('LR081', undefined, negativeEpoch(s(use.epoch)), use.range);
        continue;
      }
      if (t0 === null || mult === null || mult === 1 || e < t0) continue;
      // torch: n = int(log(epoch / T_0 * (T_mult - 1) + 1, T_mult)), computed as ln(x)/ln(b); it can truncate
      // just below an exact restart, leaving T_cur == T_i (lr = eta_min instead of the restart value).
      const k = Math.trunc(Math.log(e / t0 * (mult - 1) + 1) / Math.log(mult));
      const tCur = e - t0 * (mult ** k - 1) / (mult - 1);
      const tI = t0 * mult ** k;
      if (tCur >= tI) {
        ctx.report('LR082', undefined, `step(${n(e)}) lands on a restart, but torch's floating-point log truncates the cycle number ` +
          `there: T_cur = T_i = ${n(tI)}, so the lr is eta_min instead of the restart value. Call step() without an epoch.`, use.range);
      }
    }
  },
};

export const COSINE_RULES: Rule[] = [COSINE_ANNEALING_LR, ETA_MIN, WARM_RESTARTS];
