/**
 * OneCycleLR (docs/torch-schedulers.md §2.12): LR100–LR108, plus LR090/LR092/LR096 shared with CyclicLR.
 */
import {
  annealStrategyInvalid, expectedPositiveInt, lengthUndefined, overstepped, pctStartRange,
} from '../../engine/errors';
import { compareError, isNumeric, ZERO_DIV_FLOAT, ZERO_DIV_INT, zeroDivision } from '../../engine/py';
import { isInt, type RuleContext } from '../context';
import { fixes, replaceArg } from '../fixes';
import { groupLengths, momentumSupport } from './cyclic';
import { approx, close, n, reportGroups, str, truthy, type Rule } from './util';

/** torch's "Expected positive integer {name}" check; returns the value when valid, null when invalid or unknown. */
function positiveCount(ctx: RuleContext, name: string): number | null | 'invalid' {
  const a = ctx.value(name);
  if (!a) return null;
  if (!isNumeric(a)) {
    if (a.kind === 'func' || a.kind === 'object') return null;
    ctx.fail('LR101', name, compareError('<=', a, 'int'), ctx.where(name));
    return 'invalid';
  }
  const x = ctx.num(name)!;
  if (x > 0 && isInt(a)) return x;
  ctx.fail('LR101', name, expectedPositiveInt(name, a, 'LR101'), ctx.where(name));
  return 'invalid';
}

/** LR100/LR101: the schedule length. Returns total_steps when known and valid. */
function totalSteps(ctx: RuleContext): number | null {
  const total = ctx.value('total_steps');
  const epochs = ctx.value('epochs');
  const spe = ctx.value('steps_per_epoch');
  if (!total) return null;
  if (total.kind !== 'none') {
    const t = positiveCount(ctx, 'total_steps');
    return typeof t === 'number' ? t : null;
  }
  if (!epochs || !spe) return null;
  if (epochs.kind === 'none' && spe.kind === 'none') {
    ctx.fail('LR100', undefined, lengthUndefined(), ctx.call.calleeRange);
    return null;
  }
  const missing = epochs.kind === 'none' ? 'epochs' : spe.kind === 'none' ? 'steps_per_epoch' : null;
  const e = epochs.kind === 'none' ? null : positiveCount(ctx, 'epochs');
  if (e === 'invalid') return null;
  if (missing) {
    ctx.fail('LR100', missing, compareError('<=', { kind: 'none' }, 'int'), ctx.call.calleeRange, {
      after: ` (torch ≥ 2.0: ${lengthUndefined().message})`,
      why: `${missing} is missing; give both epochs and steps_per_epoch, or total_steps.`,
    });
    return null;
  }
  const p = positiveCount(ctx, 'steps_per_epoch');
  return typeof e === 'number' && typeof p === 'number' ? e * p : null;
}

/** LR102: pct_start must be a float in [0, 1]. Returns it when valid. */
function pctStart(ctx: RuleContext): number | null {
  const a = ctx.value('pct_start');
  if (!a) return null;
  if (!isNumeric(a)) {
    if (a.kind === 'func' || a.kind === 'object') return null;
    ctx.fail('LR102', 'pct_start', compareError('<', a, 'int'), ctx.where('pct_start'));
    return null;
  }
  const p = ctx.num('pct_start')!;
  if (a.kind === 'float' && !a.numpy && p >= 0 && p <= 1) return p;
  const hint = a.kind === 'float' && a.numpy ? ` (a numpy.${a.numpy} is not a float to isinstance: write float(…))`
    : a.kind !== 'float' && p >= 0 && p <= 1 ? ` (an int is rejected: write ${n(p)}.0)` : '';
  ctx.fail('LR102', 'pct_start', pctStartRange(a), ctx.where('pct_start'),
    { after: hint, why: 'pct_start is the fraction of the steps spent warming up; the default is 0.3.' },
    fixes(replaceArg(ctx, 'pct_start', '0.3', 'Set pct_start=0.3', false)));
  return null;
}

function annealStrategy(ctx: RuleContext): boolean {
  const a = ctx.value('anneal_strategy');
  if (!a || a.kind === 'func' || a.kind === 'object' || (a.kind === 'str' && (a.value === 'cos' || a.value === 'linear'))) return false;
  const written = ctx.info('anneal_strategy')?.range ? ctx.src.slice(ctx.info('anneal_strategy')!.range!) : '';
  const q = /^["']/.test(written) ? written[0]! : "'";
  ctx.fail('LR103', 'anneal_strategy', annealStrategyInvalid(a), ctx.where('anneal_strategy'), {}, fixes(replaceArg(ctx, 'anneal_strategy', `${q}cos${q}`, `Set anneal_strategy=${q}cos${q}`, false),
      replaceArg(ctx, 'anneal_strategy', `${q}linear${q}`, `Set anneal_strategy=${q}linear${q}`, false)));
  return true;
}

/** LR104: divisions by zero in the constructor. */
function zeroDivisions(ctx: RuleContext, total: number | null, pct: number | null): boolean {
  const div = ctx.num('div_factor');
  const final = ctx.num('final_div_factor');
  const maxLr = ctx.value('max_lr');
  if (div === 0) {
    const intDiv = maxLr?.kind === 'int' && ctx.value('div_factor')?.kind === 'int';
    ctx.fail('LR104', 'div_factor', zeroDivision(intDiv ? ZERO_DIV_INT : ZERO_DIV_FLOAT), ctx.where('div_factor'),
      { after: ' at construction', why: 'the start lr is max_lr / div_factor.' });
    return true;
  }
  if (final === 0) {
    ctx.fail('LR104', 'final_div_factor', zeroDivision(ZERO_DIV_FLOAT), ctx.where('final_div_factor'),
      { after: ' at construction', why: 'the final lr is max_lr / div_factor / final_div_factor.' });
    return true;
  }
  if (total !== null && pct !== null && pct * total - 1 === 0) {
    ctx.fail('LR104', 'pct_start', zeroDivision(ZERO_DIV_FLOAT), ctx.where('pct_start'), {
      after: ' at construction',
      why: 'pct_start·total_steps = 1 gives the warm-up phase zero width. Use a pct_start that makes it 0 or at least 2 steps.',
    });
    return true;
  }
  return false;
}

const ONE_CYCLE_LR: Rule = {
  ids: ['LR090', 'LR092', 'LR096', 'LR100', 'LR101', 'LR102', 'LR103', 'LR104', 'LR105', 'LR106', 'LR107', 'LR108'],
  kinds: ['OneCycleLR'],
  check(ctx) {
    const total = totalSteps(ctx);
    const pct = pctStart(ctx);
    if (annealStrategy(ctx)) return;
    if (groupLengths(ctx, ['max_lr'])) return;
    if (momentumSupport(ctx)) return;
    if (truthy(ctx.value('cycle_momentum')) && groupLengths(ctx, ['max_momentum', 'base_momentum'])) return;
    if (zeroDivisions(ctx, total, pct)) return;
    const threePhase = truthy(ctx.value('three_phase'));
    if (total !== null && pct === 1 && threePhase === false && ctx.H >= total + 1) {
      ctx.fail('LR105', 'pct_start', zeroDivision(ZERO_DIV_FLOAT), ctx.where('pct_start'), {
        after: ` at step ${total}`,
        why: 'pct_start=1.0 leaves the annealing phase zero steps wide, and step() number total_steps divides by it. Use pct_start < 1.',
      });
    }
    // When the preview is the run's length, LR172 (loop.ts) says it with the epoch and batch.
    if (total !== null && ctx.H > total + 1 && !ctx.fromRun) {
      const where = ctx.written('total_steps') ? 'total_steps' : ctx.written('epochs') ? 'epochs' : undefined;
      ctx.fail('LR106', where ?? 'total_steps', overstepped(total + 2, String(total)), where ? ctx.where(where) : ctx.call.calleeRange, {
        why: `the preview runs ${ctx.H - 1} steps; OneCycleLR allows at most total_steps calls of step(). Raise total_steps ` +
          'to the number of optimizer steps (len(loader) × epochs, divided by gradient accumulation).',
      },
      fixes(replaceArg(ctx, 'total_steps', String(ctx.H - 1), `Set total_steps=${ctx.H - 1} (the previewed number of steps)`, false)));
    }
    if (threePhase === true && pct !== null && pct > 0.5) {
      ctx.report('LR107', 'pct_start', `three_phase with pct_start ${n(pct)} > 0.5: the third phase is never reached, so the lr ` +
        'is never annealed down to min_lr. Use pct_start ≤ 0.5.', ctx.where('pct_start'));
    }
    if (total !== null && pct !== null && pct * total < 1) {
      // torch's step 0 then lies past the warm-up's end (pct_start·total_steps − 1 < 0): it is already annealing, so the
      // first lr is below max_lr (0.0081 for max_lr 0.01 over 2 steps; three_phase: below max_lr/div_factor too).
      const first = ctx.sim?.lrs?.[0]?.[0];
      const max = ctx.perGroup('max_lr')?.[0] ?? null;
      const starts = first === undefined || !Number.isFinite(first) ? 'the lr never warms up: step 0 is already past the warm-up'
        : `step 0 is already past it, so the lr starts at ${approx(first)}${max !== null ? `, not max_lr = ${n(max)}` : ''}` +
          `${(ctx.groupCount ?? 1) > 1 ? ' (group 0)' : ''}`;
      ctx.report('LR108', 'pct_start', `pct_start·total_steps = ${approx(pct * total)} < 1: the warm-up phase is empty; ${starts}` +
        `${total === 1 ? ' (with total_steps 1, lr[0] is already min_lr)' : ''}.`, ctx.where('pct_start'));
    }
    startLr(ctx);
  },
};

/** LR096 (OneCycleLR): the optimizer's lr is replaced by max_lr / div_factor. */
function startLr(ctx: RuleContext): void {
  if (ctx.num('last_epoch') !== -1 || str(ctx.value('anneal_strategy')) === null) return;
  const max = ctx.perGroup('max_lr');
  const div = ctx.num('div_factor');
  if (!max || div === null || div === 0) return;
  const out = ctx.groups().filter((g) => g.lrKnown && max[g.index] != null && !close(g.lr, max[g.index]! / div)).map((g) => ({
    group: g.index,
    message: `The optimizer's lr (${n(g.lr)}) is not used: OneCycleLR starts at max_lr/div_factor = ${approx(max[g.index]! / div)} ` +
      'and overwrites initial_lr.',
  }));
  reportGroups(ctx, 'LR096', 'max_lr', ctx.where('max_lr'), out);
}

export const ONE_CYCLE_RULES: Rule[] = [ONE_CYCLE_LR];
