/**
 * Rules for every scheduler class: constructions that cannot be analysed (LR000),
 * resuming without `initial_lr` (LR001), `step(epoch)` (LR002), `verbose=` (LR003)
 * and a curve that underflows to ~0 (LR160). Also the shared `uses` helpers.
 */
import { assumptionText } from '../../analysis/assumptions';
import { neverCalled } from '../../analysis/run';
import { resumeWithoutInitialLr } from '../../engine/errors';
import { isSchedulerKind, SIGNATURES } from '../../engine/signatures';
import type { Arg } from '../../engine/types';
import type { QuickFix, Range } from '../../analysis/types';
import { numOf, type RuleContext } from '../context';
import { argSpan, fixes, removeArg } from '../fixes';
import { scanList } from '../source';
import { approx, n, type Rule } from './util';

/** `.step(x)` calls on this scheduler with a (non-None) first argument. */
export function stepWithEpoch(ctx: RuleContext): { range: Range; epoch: Arg }[] {
  // A call its conditions never reach (`elif isinstance(scheduler, ReduceLROnPlateau): scheduler.step(val_loss)`).
  const never = (ctx.call.run?.sites ?? []).filter(neverCalled).map((s) => s.range);
  const same = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character;
  return ctx.call.uses
    .filter((u) => u.method === 'step' && u.args.length > 0 && u.args[0]!.kind !== 'none' && !never.some((r) => same(r, u.range)))
    .map((u) => ({ range: u.range, epoch: u.args[0]! }));
}

/** `.get_last_lr()` calls on this scheduler. */
export function getLastLrUses(ctx: RuleContext): Range[] {
  return ctx.call.uses.filter((u) => u.method === 'get_last_lr').map((u) => u.range);
}

/** Quick fix: drop the arguments of a `x.step(…)` call (the use's text must be exactly that call). */
export function callStepWithoutEpoch(ctx: RuleContext, use: Range): QuickFix[] {
  const text = ctx.src.slice(use);
  const m = /^[\w.\]\[]+\.step\s*\(/.exec(text);
  if (!m) return [];
  const open = ctx.src.offsetAt(use.start) + m[0].length - 1;
  const list = scanList(ctx.src.text, open, ctx.lang);
  if (!list || list.close + 1 !== ctx.src.offsetAt(use.end)) return [];
  return [{ title: 'Call step() without an epoch', edits: [{ range: ctx.src.range(open + 1, list.close), newText: '' }], preferred: false }];
}

/** Quick fix: read the lr from the optimizer's param groups instead of `get_last_lr()` (Python only). */
export function readParamGroups(ctx: RuleContext, use: Range): QuickFix[] {
  const opt = ctx.call.optimizer?.variable;
  if (ctx.lang !== 'python' || !opt || !/^[A-Za-z_][\w.]*$/.test(opt)) return [];
  if (!/^[\w.\]\[]+\.get_last_lr\s*\(\s*\)$/.test(ctx.src.slice(use))) return [];
  return [{ title: `Read the lr from ${opt}.param_groups`, edits: [{ range: use, newText: `[group['lr'] for group in ${opt}.param_groups]` }], preferred: true }];
}

const LR000: Rule = {
  ids: ['LR000'],
  kinds: null,
  check(ctx) {
    const reason = ctx.call.unknownReason;
    if (!reason) return;
    // Point at the argument that could not be evaluated (an assumed one only when none is unknown).
    const target = ctx.call.argInfo.find((a) => !a.known && a.range) ?? ctx.call.argInfo.find((a) => a.assumed && a.range);
    const assumed = (ctx.call.assumed ?? []).map(assumptionText);
    const what = assumed.length ? ` Assumed: ${assumed.join('; ')}.` : '';
    // A schedule the program never builds (a Trainer given its own scheduler) is no limit of LR Lens's.
    const lead = reason.startsWith('not built:') ? `No curve is drawn for this ${ctx.kind}, ${reason}` : `LR Lens cannot evaluate this ${ctx.kind} statically, so no curve is drawn: ${reason}`;
    ctx.report('LR000', target?.name, `${lead}.${what}`,
      target?.range ?? ctx.call.calleeRange);
  },
};

/** Classes that take torch's base-class constructor (and so its resume check). */
const BASE_CLASS_KINDS = Object.keys(SIGNATURES).filter((k) => !['SequentialLR', 'ChainedScheduler', 'ReduceLROnPlateau'].includes(k));

const LR001: Rule = {
  ids: ['LR001'],
  kinds: BASE_CLASS_KINDS,
  check(ctx) {
    const last = ctx.num('last_epoch');
    const c = ctx.construction;
    if (last === null || last === -1 || !c || c.optimizer === null || !ctx.optimizerKnown) return;
    // An earlier scheduler built fresh on the same optimizer already set initial_lr (setdefault).
    const earlier = ctx.program.schedulers.slice(0, ctx.call.schedulerIndex!).some((s) => s.optimizer === c.optimizer
      && BASE_CLASS_KINDS.includes(s.kind) && (s.args['last_epoch'] === undefined || numOf(s.args['last_epoch']) === -1));
    // So did one LR Lens could not evaluate (Program.opaque): built, it ran the same base class.
    const opaque = (ctx.program.opaque ?? []).some((o) => o.optimizer === c.optimizer && o.before <= ctx.call.schedulerIndex!);
    if (earlier || opaque) return;
    const missing = ctx.optimizer!.groups.findIndex((g) => g.initial_lr === undefined);
    if (missing < 0) return;
    const error = resumeWithoutInitialLr(missing);
    const why = `last_epoch=${n(last)} resumes a schedule, which needs initial_lr in every param group (restore the optimizer's state_dict first).`;
    // A state_dict loaded into the optimizer (not visible statically) usually brings initial_lr with it.
    const opt = ctx.call.optimizer?.variable;
    const loads = !!opt && ctx.src.text.includes(`${opt}.load_state_dict(`);
    if (!loads) {
      ctx.fail('LR001', 'last_epoch', error, ctx.where('last_epoch'), { why });
      return;
    }
    ctx.fail('LR001', 'last_epoch', error, ctx.where('last_epoch'),
      { why: `${why} The file loads a state_dict into ${opt}; if it holds initial_lr, the resume works.` }, undefined, 'information').doubt = true;
  },
};

/** Classes whose step(epoch) goes through the base class's deprecated path. */
const EPOCH_DEPRECATED = ['LambdaLR', 'MultiplicativeLR', 'StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR',
  'PolynomialLR', 'CosineAnnealingLR', 'CyclicLR', 'OneCycleLR', 'WarmupConstantSchedule'];

const LR002: Rule = {
  ids: ['LR002'],
  kinds: EPOCH_DEPRECATED,
  check(ctx) {
    for (const use of stepWithEpoch(ctx)) {
      ctx.report('LR002', undefined,
        'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible: with an epoch, ' +
        `${ctx.kind} uses its closed form, which can differ from what step() computes (chained schedulers, resumes, non-integer arguments).`,
        use.range, callStepWithoutEpoch(ctx, use.range));
    }
  },
};

const LR003: Rule = {
  ids: ['LR003'],
  kinds: null,
  check(ctx) {
    if (!isSchedulerKind(ctx.call.kind) || !SIGNATURES[ctx.call.kind].params.some((p) => p.name === 'verbose') || !ctx.written('verbose')) return;
    ctx.report('LR003', 'verbose',
      '`verbose` is deprecated since torch 2.2 ("The verbose parameter is deprecated. Please use get_last_lr() to access the ' +
      'learning rate.") and raises TypeError from torch 2.7 on; log scheduler.get_last_lr() instead.',
      argSpan(ctx, 'verbose')!, fixes(removeArg(ctx, 'verbose', 'Remove verbose', true)));
  },
};

/** Smallest share of the preview the near-zero tail must cover to be worth a warning. */
const TAIL_SHARE = 0.01;

/**
 * A row's peak |lr| and where its near-zero tail starts: the longest suffix below 1e-12 × the peak; it must start
 * with a nonzero value (an exact 0 is a designed end point, as in PolynomialLR), and be long enough to matter.
 * Kept per array: an edit's analysis shares the arrays of the curves it did not change (analysis/incremental.ts),
 * which are never written once simulated.
 */
const tails = new WeakMap<Float64Array, { peak: number; k: number }>();
function tailOf(row: Float64Array): { peak: number; k: number } {
  let t = tails.get(row);
  if (!t) {
    let peak = 0;
    for (let i = 0; i < row.length; i++) peak = Math.max(peak, Math.abs(row[i]!));
    const tiny = 1e-12 * peak;
    let k = row.length;
    if (peak > 0 && Number.isFinite(peak)) while (k > 0 && Math.abs(row[k - 1]!) < tiny) k--;
    t = { peak, k };
    tails.set(row, t);
  }
  return t;
}

const LR160: Rule = {
  ids: ['LR160'],
  kinds: null,
  check(ctx) {
    const lrs = ctx.sim?.lrs;
    if (!lrs || ctx.H === 0) return;
    for (const [g, row] of lrs.entries()) {
      const { peak, k } = tailOf(row);
      if (!(peak > 0) || !Number.isFinite(peak)) continue;
      if (k >= row.length || row[k] === 0) continue;
      if (row.length - k < Math.max(2, TAIL_SHARE * row.length)) continue;
      const param = ['ExponentialLR', 'StepLR', 'MultiStepLR'].includes(ctx.kind) && ctx.written('gamma') ? 'gamma' : undefined;
      const prefix = lrs.length > 1 ? `param group ${g}: ` : '';
      // A run length that rests on an assumption (batches per epoch): the tail is reached only if the run is that long.
      const ifRun = ctx.fromRun && ctx.horizonAssumed ? ` if the run calls step() ${k} times or more (its length here rests on an assumption: ${ctx.horizonAssumed})` : '';
      ctx.report('LR160', param,
        `${prefix}the lr falls below 1e-12 × its peak (${approx(peak)}) from step ${k} (${approx(row[k]!)}) on: the last ` +
        `${row.length - k} of ${row.length} previewed steps train with an lr that is effectively 0${ifRun}.`,
        param ? ctx.where(param) : ctx.call.calleeRange);
      return;
    }
  },
};

export const GENERAL_RULES: Rule[] = [LR000, LR001, LR002, LR003, LR160];
