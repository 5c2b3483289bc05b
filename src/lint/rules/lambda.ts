/**
 * LambdaLR / MultiplicativeLR (docs/torch-schedulers.md §2.1–2.2): one lambda per group (LR010),
 * callability (LR011, LR012), and what the lambda does (LR013).
 */
import { lambdaCount, notCallable } from '../../engine/errors';
import { pyTypeName } from '../../engine/py';
import { isOwnLimit, PyError, type Arg } from '../../engine/types';
import type { RuleContext } from '../context';
import { approx, type Rule } from './util';

/** The Python type name of a value that is surely not callable, or null (callable or cannot tell). */
function notCallableType(ctx: RuleContext, a: Arg): string | null {
  switch (a.kind) {
    case 'func': case 'object': return null;
    case 'scheduler': return ctx.program.schedulers[a.index]?.kind ?? null;
    case 'optimizer': return ctx.program.optimizers[a.index]?.type ?? null;
    default: return pyTypeName(a);
  }
}

/** LR010: a list/tuple of lambdas must have one per param group. True when it fired. */
function checkCount(ctx: RuleContext): boolean {
  const v = ctx.value('lr_lambda');
  const groups = ctx.groupCount;
  if (v?.kind !== 'list' || groups === null || v.items.length === groups) return false;
  ctx.fail('LR010', 'lr_lambda', lambdaCount(groups, v.items.length), ctx.where('lr_lambda'), {
    why: `a list of lambdas needs one per param group (the optimizer has ${groups}); pass a single function to use it for every group.`,
  });
  return true;
}

function lambdas(ctx: RuleContext): Arg[] {
  const v = ctx.value('lr_lambda');
  if (!v) return [];
  return v.kind === 'list' ? v.items : [v];
}

const LAMBDA_LR: Rule = {
  ids: ['LR010', 'LR011', 'LR013'],
  kinds: ['LambdaLR'],
  check(ctx) {
    if (checkCount(ctx)) return;
    const fns = lambdas(ctx);
    const bad = fns.map((f) => notCallableType(ctx, f)).find((t) => t !== null);
    if (bad) {
      ctx.fail('LR011', 'lr_lambda', notCallable(bad, 'lr_lambda'), ctx.where('lr_lambda'), {
        why: 'LambdaLR calls lr_lambda(0) while it is constructed, so this raises at construction; pass a function of the step, ' +
          'e.g. `lambda step: 0.95 ** step`.',
      });
      return;
    }
    // λ(0) runs in the constructor. When the simulation ran, its failure already says whether λ raises;
    // otherwise ask λ(0) here (exceptions of LR Lens's own evaluator are not Python's).
    for (const f of ctx.sim ? [] : fns) {
      if (f.kind !== 'func') continue;
      try {
        f.call(0);
      } catch (e) {
        if (e instanceof PyError && !isOwnLimit(e.type)) {
          ctx.fail('LR013', 'lr_lambda', e, ctx.where('lr_lambda'), { why: 'LambdaLR calls lr_lambda(0) while it is constructed.' }, undefined, 'error');
          return;
        }
      }
    }
    negativeLr(ctx);
  },
};

/**
 * LR013 (warning): lr = base·λ(k) < 0 for some previewed k; read from the simulated curve. Not for the lr after the
 * run's last step() when each pass steps the optimizer before the scheduler (pytorch-CycleGAN-and-pix2pix's linear
 * decay reaches λ(n) < 0 only there): no optimizer step uses it.
 */
function negativeLr(ctx: RuleContext): void {
  const lrs = ctx.sim?.lrs;
  if (!lrs) return;
  const run = ctx.call.memberOf === null ? ctx.call.run : undefined;
  const counted = run?.sites.filter((s) => !s.ignored && !s.countedWith) ?? [];
  const lastUnused = run && run.steps !== null && !run.epochArgs && counted.length === 1 && counted[0]!.afterOptimizerStep && !counted[0]!.unseen
    ? run.steps : null;
  for (const g of ctx.groups()) {
    const row = lrs[g.index];
    if (!row || !g.lrKnown || g.base === 0) continue;
    const k = row.findIndex((v, i) => v * g.base < 0 && (lastUnused === null || i < lastUnused));
    if (k < 0) continue;
    const prefix = lrs.length > 1 ? `param group ${g.index}: ` : '';
    // A preview whose length is not the run's (accelerate's test steps `lambda n: 1 - n / 10` twice, previewed over
    // LR Lens's default 100 steps): the negative lr is reached only if the run calls step() that often.
    const ifRun = ctx.fromRun ? '' : ` if step() is called ${k} times or more (the run's length is not known here; the preview's ${ctx.H - 1} steps are not the run's)`;
    ctx.report('LR013', 'lr_lambda', `${prefix}lr_lambda(${k}) = ${approx(row[k]! / g.base)} is negative, so the lr is ${approx(row[k]!)} ` +
      `from step ${k}${ifRun}: torch accepts it and the optimizer then climbs the loss.`, ctx.where('lr_lambda'), undefined, 'warning');
    return;
  }
}

const MULTIPLICATIVE_LR: Rule = {
  ids: ['LR010', 'LR012'],
  kinds: ['MultiplicativeLR'],
  check(ctx) {
    if (checkCount(ctx)) return;
    const bad = lambdas(ctx).map((f) => notCallableType(ctx, f)).find((t) => t !== null);
    if (!bad) return;
    ctx.fail('LR012', 'lr_lambda', notCallable(bad, 'lr_lambda'), ctx.where('lr_lambda'), {
      after: ` at the first step() (torch ≥ 2.0 raises at construction: lr_lambda should be a function, but got ${bad})`,
      why: 'pass a function of the step, e.g. `lambda step: 0.95`.',
    });
  },
};

export const LAMBDA_RULES: Rule[] = [LAMBDA_LR, MULTIPLICATIVE_LR];
