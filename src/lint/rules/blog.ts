/**
 * The blog's classes (docs/torch-schedulers.md §6): CosineAnnealingWarmUpRestarts (LR140–LR146) and
 * WarmupConstantSchedule (LR150). The headline is LR141: this class uses the optimizer's lr as
 * its warm-up start and cosine floor, and the blog's own advice is to build the optimizer with lr=0.
 */
import type { Range } from '../../analysis/types';
import { warmUpRestartsNoLastLr } from '../../engine/errors';
import type { GroupView, RuleContext } from '../context';
import { fixes, groupLrSpan, optimizerSpans, setOptimizerLr } from '../fixes';
import { intAtLeastOne, positiveInt } from './cosine';
import { getLastLrUses, readParamGroups, stepWithEpoch } from './general';
import { approx, n, type Rule } from './util';

/** Where LR141/LR146 point: the optimizer's lr argument, else its call, else this scheduler's callee. */
function optimizerLrRange(ctx: RuleContext): Range {
  const { call, lr } = optimizerSpans(ctx);
  return lr ?? call ?? ctx.call.optimizer?.range ?? ctx.call.calleeRange;
}

/** Index of the first step of cycle `k` under no-arg step(), or null when it is not reached within `limit`. */
function cycleStart(t0: number, mult: number, up: number, k: number, limit: number): number | null {
  let start = 0;
  let len = t0;
  for (let c = 0; c < k; c++) {
    if (len <= 0) return null;
    start += len;
    if (start >= limit) return null;
    len = (len - up) * mult + up;
  }
  return start;
}

const WARM_UP_RESTARTS: Rule = {
  ids: ['LR140', 'LR141', 'LR142', 'LR143', 'LR144', 'LR145', 'LR146'],
  kinds: ['CosineAnnealingWarmUpRestarts'],
  check(ctx) {
    for (const use of getLastLrUses(ctx)) {
      ctx.fail('LR144', undefined, warmUpRestartsNoLastLr(), use,
        { why: "its step() never sets _last_lr. Read the lr from the optimizer: [group['lr'] for group in optimizer.param_groups]." },
        readParamGroups(ctx, use));
    }
    const badT0 = positiveInt(ctx, 'LR140', 'T_0');
    const badMult = intAtLeastOne(ctx, 'LR140', 'T_mult');
    const badUp = positiveInt(ctx, 'LR140', 'T_up', true);
    if (badT0 || badMult || badUp) return;
    const t0 = ctx.num('T_0');
    const mult = ctx.num('T_mult');
    const up = ctx.num('T_up');
    const etaMax = ctx.num('eta_max');
    const gamma = ctx.num('gamma');

    if (t0 !== null && up !== null && up >= t0) {
      const effect = up === t0 ? `the cosine phase never runs: each cycle is a pure warm-up saw-tooth peaking at eta_max·${n(t0 - 1)}/${n(up)}`
        : mult !== null && mult > 1 ? 'the cosine phase never runs, and the cycle length shrinks and turns negative: the curve is garbage'
          : 'the cosine phase never runs: each cycle is a warm-up saw-tooth that never reaches eta_max';
      ctx.report('LR142', 'T_up', `T_up ${n(up)} ≥ T_0 ${n(t0)}: ${effect}. T_up is the warm-up length inside each cycle; use T_up < T_0.`,
        ctx.where('T_up'));
    }
    if (t0 !== null && mult !== null && up !== null && mult > 1 && up > 0) {
      // step(): only the cosine part grows, T_i ← (T_i − T_up)·T_mult + T_up; step(epoch): T_0·T_mult^n.
      const noArg = [t0, (t0 - up) * mult + up, ((t0 - up) * mult) * mult + up];
      const withEpoch = [t0, t0 * mult, t0 * mult * mult];
      for (const use of stepWithEpoch(ctx)) {
        ctx.report('LR143', undefined, `step(epoch) and step() disagree about the cycles when T_mult > 1 and T_up > 0: step() ` +
          `gives cycle lengths ${noArg.map(n).join(', ')}, …, step(epoch) ${withEpoch.map(n).join(', ')}, … Call step() without an epoch.`,
        use.range);
      }
    }
    if (up === 0 && etaMax !== null) {
      ctx.report('LR145', 'T_up', `T_up=0: no warm-up; the curve starts at its peak (lr[0] = eta_max = ${n(etaMax)}).`, ctx.where('T_up'));
    }
    if (etaMax === null || gamma === null || up === null) return;
    floorRules(ctx, etaMax, gamma, up, t0, mult);
  },
};

/** LR141 and LR146, per param group: the optimizer's lr is this class's floor. */
function floorRules(ctx: RuleContext, etaMax: number, gamma: number, up: number, t0: number | null, mult: number | null): void {
  const all = ctx.groups();
  const differ = all.some((g) => g.base !== all[0]!.base);
  const seen = new Set<string>();
  const report = (code: string, g: GroupView, message: string, withFix: boolean) => {
    const key = `${code}|${differ ? g.index : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    // A group's own `'lr': …` is where its lr is written; otherwise the optimizer's lr argument.
    const own = differ ? groupLrSpan(ctx, g.index) : null;
    const fix = !withFix ? null : own
      ? { title: `Set param group ${g.index}'s lr to 0`, edits: [{ range: own, newText: '0' }], preferred: true }
      : setOptimizerLr(ctx, '0', !differ && all.every((x) => x.lrKnown));
    ctx.report(code, 'lr', (differ ? `param group ${g.index}: ` : '') + message, own ?? optimizerLrRange(ctx), fixes(fix));
  };
  for (const g of all) {
    const lr = g.base;
    if (!g.lrKnown || lr === 0) continue;
    const role = up > 0 ? "this scheduler's warm-up start and cosine floor" : "this scheduler's cosine floor";
    if (lr >= etaMax) {
      const shape = lr === etaMax ? `a flat line at ${n(lr)}`
        : `inverted: the warm-up descends from ${n(lr)} to ${n(etaMax)} and the cosine rises back to ${n(lr)}`;
      report('LR146', g, `the optimizer's lr (${n(lr)}) is ${role} and is not below eta_max (${n(etaMax)}), so the curve is ${shape}; ` +
        'the class expects lr=0.', lr > 0);
      continue;
    }
    report('LR141', g, `the optimizer's lr (${n(lr)}) is ${role}, so the curve spans only [${n(lr)}, ${n(etaMax)}]; the class expects lr=0`, true);
    // With gamma < 1 the peak eta_max·gamma^k sinks to the floor: from that cycle the curve is flat or inverted.
    if (gamma >= 1 || t0 === null || mult === null || ctx.H === 0) continue;
    // eta_max·gamma**cycle, computed as the class does (a power, not repeated products).
    let k = 1;
    while (k < 10_000 && etaMax * gamma ** k > lr) k++;
    const peak = etaMax * gamma ** k;
    if (peak > lr) continue;
    const start = cycleStart(t0, mult, up, k, ctx.H);
    if (start === null) continue;
    const shape = peak === lr ? 'flat' : 'inverted';
    report('LR146', g, `from cycle ${k} (step ${start}) the peak eta_max·gamma^${k} = ${approx(peak)} is not above the optimizer's lr ` +
      `(${n(lr)}), which is the floor: the curve is ${shape} from there; the class expects lr=0.`, peak > 0);
  }
}

const WARMUP_CONSTANT: Rule = {
  ids: ['LR150'],
  kinds: ['WarmupConstantSchedule'],
  check(ctx) {
    const w = ctx.num('warmup_steps');
    if (w === null || w > 0) return;
    ctx.report('LR150', 'warmup_steps', `warmup_steps ${n(w)} ≤ 0: there is no warm-up; the lr is the optimizer's lr from step 0.`,
      ctx.where('warmup_steps'));
  },
};

export const BLOG_RULES: Rule[] = [WARM_UP_RESTARTS, WARMUP_CONSTANT];
