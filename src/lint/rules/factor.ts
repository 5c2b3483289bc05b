/**
 * ConstantLR, LinearLR, PolynomialLR (docs/torch-schedulers.md §2.5, §2.6, §2.8): LR040–LR042, LR050–LR052, LR060–LR061.
 */
import { FACTOR_RANGE, factorOutOfRange } from '../../engine/errors';
import { compareError, isNumeric, NEGATIVE_POWER, ZERO_DIV_FLOAT, zeroDivision } from '../../engine/py';
import { isIntegral, type RuleContext } from '../context';
import { fixes, replaceArg } from '../fixes';
import { n, type Rule } from './util';

/**
 * torch's `if x > 1.0 or x < 0: raise ValueError(text)`: the ValueError, or Python's TypeError
 * for a non-number. True when it fired.
 */
function unitInterval(ctx: RuleContext, name: keyof typeof FACTOR_RANGE): boolean {
  const a = ctx.value(name);
  const code = FACTOR_RANGE[name].rule;
  if (!a) return false;
  if (!isNumeric(a)) {
    if (a.kind === 'func' || a.kind === 'object') return false;
    ctx.fail(code, name, compareError('>', a, 'float'), ctx.where(name));
    return true;
  }
  const x = ctx.num(name)!;
  if (x >= 0 && x <= 1) return false;
  ctx.fail(code, name, factorOutOfRange(name), ctx.where(name), { after: ` (${name} = ${n(x)})` });
  return true;
}

/** "never reached" wording for a total_iters that is ≤ 0 or not an integer; null when it is a positive integer. */
function unreachable(total: number): string | null {
  if (total <= 0) return `total_iters ${n(total)} ≤ 0: step() never reaches it`;
  if (!isIntegral(total)) return `total_iters ${n(total)} is not an integer: step() never reaches it`;
  return null;
}

const CONSTANT_LR: Rule = {
  ids: ['LR040', 'LR041', 'LR042'],
  kinds: ['ConstantLR'],
  check(ctx) {
    if (unitInterval(ctx, 'factor')) return;
    const factor = ctx.num('factor');
    const total = ctx.num('total_iters');
    if (factor === null || total === null) return;
    if (factor === 0 && isIntegral(total) && total >= 1 && ctx.H > 0 && total <= ctx.H - 1) {
      ctx.fail('LR041', 'factor', zeroDivision(ZERO_DIV_FLOAT), ctx.where('factor'), {
        after: ` at step ${n(total)}`,
        why: 'factor 0 zeroes the lr, and ConstantLR restores it at total_iters by multiplying with 1/factor. Use a small positive factor.',
      });
      return;
    }
    const why = unreachable(total);
    if (why && factor !== 1) {
      ctx.report('LR042', 'total_iters', `${why}, so the lr stays at base·factor (×${n(factor)}) forever (step(epoch)'s closed form ` +
        'disagrees and restores it). Use a positive integer.', ctx.where('total_iters'));
    }
  },
};

const LINEAR_LR: Rule = {
  ids: ['LR050', 'LR051', 'LR052'],
  kinds: ['LinearLR'],
  check(ctx) {
    const badStart = unitInterval(ctx, 'start_factor');
    const badEnd = unitInterval(ctx, 'end_factor');
    if (badStart || badEnd) return;
    const start = ctx.num('start_factor');
    const end = ctx.num('end_factor');
    const total = ctx.num('total_iters');
    if (start === 0) {
      ctx.report('LR051', 'start_factor', `start_factor 0: torch 1.13 raises ZeroDivisionError: ${ZERO_DIV_FLOAT} at the first ` +
        'step() (LinearLR divides by the current factor); torch ≥ 2.0 rejects it at construction ("Starting multiplicative factor ' +
        'expected to be greater than 0 and less or equal to 1."). Start from a small factor such as 1e-3, or use LambdaLR for a ' +
        'warm-up from exactly 0.', ctx.where('start_factor'), fixes(replaceArg(ctx, 'start_factor', '1e-3', 'Set start_factor=1e-3', false)));
      return;
    }
    if (start === null || end === null || total === null || start === end) return;
    const why = unreachable(total);
    if (!why) return;
    const effect = total <= 0 ? `the lr stays at base·start_factor (×${n(start)}) forever`
      : `the lr freezes at its value of step ${Math.floor(total)} and never reaches end_factor ${n(end)}`;
    ctx.report('LR052', 'total_iters', `${why}: ${effect}. Use a positive integer.`, ctx.where('total_iters'));
  },
};

const POLYNOMIAL_LR: Rule = {
  ids: ['LR060', 'LR061'],
  kinds: ['PolynomialLR'],
  check(ctx) {
    const total = ctx.num('total_iters');
    const power = ctx.num('power');
    if (total === null || power === null) return;
    if (power < 0 && isIntegral(total) && total >= 1 && ctx.H > 0 && total <= ctx.H - 1) {
      ctx.fail('LR060', 'power', zeroDivision(NEGATIVE_POWER), ctx.where('power'), {
        after: ` at step ${n(total)}`,
        why: `PolynomialLR reaches (1 − total_iters/total_iters) = 0.0 there, and power ${n(power)} < 0. Use power ≥ 0.`,
      });
      return;
    }
    if (total <= 0) {
      ctx.report('LR061', 'total_iters', `total_iters ${n(total)} ≤ 0: step() never decays the lr (it stays at the optimizer's lr).`,
        ctx.where('total_iters'));
    } else if (!isIntegral(total)) {
      ctx.report('LR061', 'total_iters', `total_iters ${n(total)} is not an integer: the lr freezes above 0 after step ` +
        `${Math.floor(total)} instead of reaching 0.`, ctx.where('total_iters'));
    } else if (power === 0) {
      ctx.report('LR061', 'power', 'power 0: every decay factor is (…)^0 = 1, so the lr stays constant.',
        ctx.where('power'));
    }
  },
};

export const FACTOR_RULES: Rule[] = [CONSTANT_LR, LINEAR_LR, POLYNOMIAL_LR];
