/**
 * CyclicLR (docs/torch-schedulers.md §2.11) and the checks it shares with OneCycleLR: LR090–LR097.
 */
import { modeInvalid, momentumUnsupported, valuesPerGroup } from '../../engine/errors';
import { OPTIMIZERS } from '../../engine/optimizers';
import { ZERO_DIV_FLOAT, zeroDivision } from '../../engine/py';
import type { RuleContext } from '../context';
import { boolLit, fixes, optimizerSpans, replaceArg, setArg } from '../fixes';
import { close, n, reportGroups, str, truthy, type Rule } from './util';

const MODES = ['triangular', 'triangular2', 'exp_range'];

/** LR090: momentum cycling on an optimizer that has no momentum (CyclicLR: `momentum`; OneCycleLR: `momentum` or `betas`). */
export function momentumSupport(ctx: RuleContext): boolean {
  if (truthy(ctx.value('cycle_momentum')) !== true || !ctx.optimizerKnown) return false;
  const opt = ctx.optimizer!;
  // A class we do not model may well have momentum: say nothing rather than guess.
  if (!OPTIMIZERS.has(opt.type)) return false;
  const hasMomentum = opt.defaults.momentum !== undefined;
  const hasBetas = opt.defaults.betas !== undefined;
  if (hasMomentum || (ctx.kind === 'OneCycleLR' && hasBetas)) return false;
  const note = ctx.kind === 'CyclicLR' && hasBetas ? ` ${opt.type} has betas, not momentum: torch ≥ 2.2 cycles its beta1 instead.` : '';
  ctx.fail('LR090', 'cycle_momentum', momentumUnsupported(), ctx.where('cycle_momentum'),
    { why: `${opt.type} has no momentum.${note} Pass cycle_momentum=${boolLit(ctx, false)}.` },
    fixes(setArg(ctx, 'cycle_momentum', boolLit(ctx, false), `Set cycle_momentum=${boolLit(ctx, false)}`, true)));
  return true;
}

/** LR092: a list/tuple argument must hold one value per param group. */
export function groupLengths(ctx: RuleContext, names: string[]): boolean {
  const groups = ctx.groupCount;
  if (groups === null) return false;
  for (const name of names) {
    const v = ctx.value(name);
    if (v?.kind !== 'list' || v.items.length === groups) continue;
    ctx.fail('LR092', name, valuesPerGroup(name, groups, v.items.length), ctx.where(name),
      { why: 'a list gives one value per param group; pass a single number to use it for all.' });
    return true;
  }
  return false;
}

const CYCLIC_LR: Rule = {
  ids: ['LR090', 'LR091', 'LR092', 'LR093', 'LR094', 'LR095', 'LR096', 'LR097'],
  kinds: ['CyclicLR'],
  check(ctx) {
    if (groupLengths(ctx, ['base_lr', 'max_lr'])) return;
    if (zeroCycle(ctx)) return;
    if (invalidMode(ctx)) return;
    if (momentumSupport(ctx)) return;
    if (truthy(ctx.value('cycle_momentum')) && groupLengths(ctx, ['base_momentum', 'max_momentum'])) return;
    momentumTurnedOn(ctx);
    invertedCycle(ctx);
    ignoredOptimizerLr(ctx);
    ignoredArguments(ctx);
  },
};

/** LR093: up (+ down) of zero length divides by zero in the constructor's first step. */
function zeroCycle(ctx: RuleContext): boolean {
  const up = ctx.num('step_size_up');
  const downArg = ctx.value('step_size_down');
  if (up === null || !downArg) return false;
  const down = downArg.kind === 'none' ? up : ctx.num('step_size_down');
  if (down === null || (up !== 0 && up + down !== 0)) return false;
  const why = up === 0 ? 'step_size_up 0 makes the rising half zero steps long' : `step_size_up + step_size_down = ${n(up + down)}`;
  const downWritten = ctx.written('step_size_down') && downArg.kind !== 'none' && down > 0;
  ctx.fail('LR093', 'step_size_up', zeroDivision(ZERO_DIV_FLOAT), ctx.where('step_size_up'),
    { after: ' at construction', why: `${why}. step_size_up is the number of steps from base_lr to max_lr and must be ≥ 1.` }, fixes(
    downWritten ? setArg(ctx, 'step_size_up', ctx.src.slice(ctx.info('step_size_down')!.range!), 'Set step_size_up equal to step_size_down', false) : null,
    setArg(ctx, 'step_size_up', '2000', "Set step_size_up=2000 (torch's default)", false)));
  return true;
}

function invalidMode(ctx: RuleContext): boolean {
  const mode = ctx.value('mode');
  const fn = ctx.value('scale_fn');
  if (!mode || fn?.kind !== 'none') return false;
  if (mode.kind === 'str' && MODES.includes(mode.value)) return false;
  if (mode.kind === 'func' || mode.kind === 'object') return false;
  const written = ctx.info('mode')?.range ? ctx.src.slice(ctx.info('mode')!.range!) : '';
  const quote = /^["']/.test(written) ? written[0]! : "'";
  ctx.fail('LR091', 'mode', modeInvalid(), ctx.where('mode'), { why: `mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')} (or pass scale_fn).` },
    fixes(...MODES.map((m) => replaceArg(ctx, 'mode', `${quote}${m}${quote}`, `Set mode=${quote}${m}${quote}`, false))));
  return true;
}

/** LR094: SGD/RMSprop with momentum 0 get momentum cycled 0.8–0.9 behind the user's back. */
function momentumTurnedOn(ctx: RuleContext): void {
  if (truthy(ctx.value('cycle_momentum')) !== true || !ctx.optimizerKnown) return;
  const opt = ctx.optimizer!;
  const call = optimizerSpans(ctx).call;
  if (opt.defaults.momentum === undefined || !call) return;
  // The frontend fills in 0 for a momentum it cannot evaluate: only trust 0 when it is the default or a literal 0.
  const callText = ctx.src.slice(call);
  const written = /\bmomentum\s*[=:]\s*([^,)}\s]+)/.exec(callText);
  if (written && !/^0(\.0*)?$/.test(written[1]!)) return;
  if (!opt.groups.every((g) => (g.momentum ?? opt.defaults.momentum) === 0)) return;
  const base = ctx.num('base_momentum');
  const max = ctx.num('max_momentum');
  if (base === null || max === null) return;
  ctx.report('LR094', 'cycle_momentum', `${opt.type} has momentum 0, but CyclicLR with cycle_momentum enabled overwrites it and ` +
    `cycles it between ${n(base)} and ${n(max)}. Pass cycle_momentum=${boolLit(ctx, false)} to keep momentum 0.`,
  ctx.where('cycle_momentum'), fixes(setArg(ctx, 'cycle_momentum', boolLit(ctx, false), `Set cycle_momentum=${boolLit(ctx, false)}`, true)));
}

/** LR095: base_lr ≥ max_lr, per group. */
function invertedCycle(ctx: RuleContext): void {
  const base = ctx.perGroup('base_lr');
  const max = ctx.perGroup('max_lr');
  if (!base || !max) return;
  const swap = ctx.written('base_lr') && ctx.written('max_lr') ? fixes(swapArgs(ctx)) : [];
  const out: { group: number; message: string; fixes?: typeof swap }[] = [];
  base.forEach((b, g) => {
    const m = max[g];
    if (b === null || m === null || m === undefined || b < m) return;
    out.push(b === m
      ? { group: g, message: `base_lr equals max_lr (${n(b)}): the cycle is a flat line.` }
      : { group: g, message: `base_lr ${n(b)} is above max_lr ${n(m)}: the cycle is inverted (it falls from ${n(b)} to ${n(m)} and back).`, fixes: swap });
  });
  reportGroups(ctx, 'LR095', 'base_lr', ctx.where('base_lr'), out);
}

function swapArgs(ctx: RuleContext) {
  const a = ctx.info('base_lr')!.range!;
  const b = ctx.info('max_lr')!.range!;
  return { title: 'Swap base_lr and max_lr', edits: [{ range: a, newText: ctx.src.slice(b) }, { range: b, newText: ctx.src.slice(a) }], preferred: false };
}

/** LR096 (CyclicLR): the optimizer's lr is replaced by base_lr. */
function ignoredOptimizerLr(ctx: RuleContext): void {
  if (ctx.num('last_epoch') !== -1) return;
  const base = ctx.perGroup('base_lr');
  if (!base) return;
  const out = ctx.groups().filter((g) => g.lrKnown && base[g.index] !== null && base[g.index] !== undefined && !close(g.lr, base[g.index]!))
    .map((g) => ({ group: g.index, message: `The optimizer's lr (${n(g.lr)}) is not used: CyclicLR sets the lr to base_lr (${n(base[g.index]!)}) and cycles from there.` }));
  reportGroups(ctx, 'LR096', 'base_lr', ctx.where('base_lr'), out);
}

/** LR097: scale_mode / gamma that the chosen mode ignores. */
function ignoredArguments(ctx: RuleContext): void {
  const fn = ctx.value('scale_fn');
  const mode = str(ctx.value('mode'));
  if (!fn) return;
  if (fn.kind === 'none' && mode !== null) {
    if (ctx.written('scale_mode')) {
      ctx.report('LR097', 'scale_mode', `scale_mode has no effect with mode='${mode}': the built-in modes fix it ` +
        `('${mode === 'exp_range' ? 'iterations' : 'cycle'}'). It only matters with scale_fn.`, ctx.where('scale_mode'));
    }
    if (ctx.written('gamma') && mode !== 'exp_range') {
      ctx.report('LR097', 'gamma', `gamma has no effect with mode='${mode}': only mode='exp_range' uses it.`, ctx.where('gamma'));
    }
  } else if (fn.kind !== 'none' && ctx.written('gamma')) {
    ctx.report('LR097', 'gamma', 'gamma has no effect when scale_fn is given: scale_fn alone shapes the amplitude.', ctx.where('gamma'));
  }
}

export const CYCLIC_RULES: Rule[] = [CYCLIC_LR];
