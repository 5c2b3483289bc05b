/**
 * SequentialLR and ChainedScheduler (docs/torch-schedulers.md §2.14, §2.15): LR120–LR131.
 */
import {
  chainedNoLastEpoch, chainedOptimizer, metricsMissing, noScheduler, plateauLacks, sequentialCount, sequentialOptimizer,
} from '../../engine/errors';
import { bisectRight } from '../../engine/py';
import type { RuleContext } from '../context';
import { fixes, rewriteList } from '../fixes';
import { ABSOLUTE_KINDS, n, type Rule } from './util';

interface Member {
  index: number;
  kind: string;
  optimizer: number | null;
}

/** The member schedulers when the list is fully resolved; null otherwise. */
function members(ctx: RuleContext): Member[] | null {
  const v = ctx.value('schedulers');
  if (v?.kind !== 'list') return null;
  const out: Member[] = [];
  for (const it of v.items) {
    if (it.kind !== 'scheduler') return null;
    const s = ctx.program.schedulers[it.index];
    if (!s) return null;
    out.push({ index: it.index, kind: s.kind, optimizer: s.optimizer });
  }
  return out;
}

function milestoneValues(ctx: RuleContext): number[] | null {
  const v = ctx.value('milestones');
  if (v?.kind !== 'list') return null;
  const out: number[] = [];
  for (const it of v.items) {
    if (it.kind === 'int' || it.kind === 'float') out.push(it.value);
    else if (it.kind === 'bool') out.push(Number(it.value));
    else return null;
  }
  return out;
}

/** Sub-schedulers that never get a step: bisect_right over the (possibly unsorted) milestones, as torch does. */
function neverRun(milestones: number[], count: number): number[] {
  const used = new Set<number>([0]);
  const probes = new Set<number>([1]);
  for (const m of milestones) for (const e of [Math.floor(m), Math.floor(m) + 1, Math.ceil(m)]) if (e >= 1) probes.add(e);
  for (const e of probes) used.add(bisectRight(milestones, e)); // Python's bisect on an unsorted list: same algorithm
  return Array.from({ length: count }, (_, i) => i).filter((i) => !used.has(i));
}

const SEQUENTIAL_LR: Rule = {
  ids: ['LR120', 'LR121', 'LR122', 'LR123', 'LR124', 'LR125', 'LR126', 'LR127', 'LR128'],
  kinds: ['SequentialLR'],
  check(ctx) {
    const ms = members(ctx);
    const own = ctx.construction?.optimizer ?? null;
    const at = ctx.where('schedulers');
    if (ms && own !== null) {
      const other = ms.findIndex((m) => m.optimizer !== null && m.optimizer !== own);
      if (other >= 0) {
        ctx.fail('LR121', 'schedulers', sequentialOptimizer(other), at);
      }
    }
    const miles = milestoneValues(ctx);
    const mv = ctx.value('milestones');
    const count = ms?.length ?? (ctx.value('schedulers')?.kind === 'list' ? (ctx.value('schedulers') as { items: unknown[] }).items.length : null);
    if (mv?.kind === 'list' && count !== null && mv.items.length !== count - 1) {
      ctx.fail('LR120', 'milestones', sequentialCount(count, mv.items.length), ctx.where('milestones'));
    }
    if (ms) {
      ms.forEach((m, i) => {
        if (m.kind === 'ChainedScheduler') {
          ctx.fail('LR124', 'schedulers', chainedNoLastEpoch(), at, {
            why: `torch 1.13's SequentialLR cannot hold a ChainedScheduler (scheduler ${i}); list its schedulers in a LambdaLR or flatten the sequence.`,
          });
        } else if (m.kind === 'ReduceLROnPlateau') {
          const crash = plateauLacks('get_last_lr');
          ctx.report('LR125', 'schedulers', `ReduceLROnPlateau (scheduler ${i}) cannot be sequenced: it needs a metric. torch 1.13 ` +
            `crashes at its milestone (${crash.type}: ${crash.message}); torch ≥ 2.x raises ValueError at construction.`, at);
        } else if (i > 0 && m.kind === 'OneCycleLR') {
          ctx.report('LR126', 'schedulers', `OneCycleLR (scheduler ${i}) overwrote initial_lr with max_lr/div_factor when it was built, ` +
            'so SequentialLR resets the lr to that value and the schedulers before it run on it instead of the optimizer\'s lr.', at);
        } else if (i > 0 && m.kind === 'MultiplicativeLR') {
          ctx.report('LR127', 'schedulers', `MultiplicativeLR (scheduler ${i}) continues from the previous scheduler's lr at its ` +
            'milestone instead of restarting from the base lr (current torch also multiplies by λ(0) there).', at);
        }
      });
    }
    if (miles && count !== null && miles.length === count - 1) {
      const increasing = miles.every((m, i) => i === 0 || m > miles[i - 1]!);
      if (!increasing) {
        const skipped = neverRun(miles, count);
        const what = skipped.length ? `scheduler${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} never run${skipped.length > 1 ? '' : 's'}`
          : 'the hand-offs do not happen in list order';
        const sorted = [...miles].sort((a, b) => a - b);
        const canSort = sorted.every((m, i) => i === 0 || m > sorted[i - 1]!);
        ctx.report('LR122', 'milestones', `milestones [${miles.map(n).join(', ')}] are not strictly increasing: ${what}.`,
          ctx.where('milestones'), canSort ? fixes(rewriteList(ctx, 'milestones',
            (items) => items.map((it, i) => ({ v: it.value!, i })).sort((a, b) => a.v - b.v).map((x) => x.i), 'Sort the milestones', false)) : []);
      }
    }
    if (miles && miles.some((m) => m <= 0)) {
      ctx.report('LR123', 'milestones', 'A milestone ≤ 0: the first scheduler only provides lr[0], and the next one never gets its ' +
        'restart (step(0)); it continues from the first one\'s lr. Milestones are step indices ≥ 1.', ctx.where('milestones'));
    }
    const last = ctx.num('last_epoch');
    if (last !== null && last !== -1 && ctx.written('last_epoch')) {
      ctx.report('LR128', 'last_epoch', `last_epoch=${n(last)}: SequentialLR does not reconstruct a resumed schedule; the lr ` +
        'restarts from initial_lr after one step of the first scheduler.', ctx.where('last_epoch'));
    }
  },
};

const CHAINED: Rule = {
  ids: ['LR121', 'LR125', 'LR130', 'LR131'],
  kinds: ['ChainedScheduler'],
  check(ctx) {
    const v = ctx.value('schedulers');
    const at = ctx.where('schedulers');
    if (v?.kind === 'list' && v.items.length === 0) {
      ctx.fail('LR130', 'schedulers', noScheduler(), at, {
        why: 'ChainedScheduler needs at least one scheduler (torch ≥ 2.x: "ChainedScheduler expects at least one scheduler to be chained, ' +
          'but got no scheduler.").',
      });
      return;
    }
    const ms = members(ctx);
    if (!ms) return;
    const first = ms[0]!.optimizer;
    const other = ms.findIndex((m) => m.optimizer !== null && first !== null && m.optimizer !== first);
    if (other > 0) {
      ctx.fail('LR121', 'schedulers', chainedOptimizer(other), at);
    }
    const plateau = ms.findIndex((m) => m.kind === 'ReduceLROnPlateau');
    if (plateau >= 0) {
      ctx.fail('LR125', 'schedulers', metricsMissing(), at,
        { why: `ChainedScheduler calls step() without a metric on every member (scheduler ${plateau}) at the first step().` });
    }
    if (ms.length < 2) return;
    ms.forEach((m, i) => {
      if (!ABSOLUTE_KINDS.includes(m.kind)) return;
      const effect = i > 0 ? 'it overwrites what the schedulers before it in the chain did'
        : 'the effects of the schedulers after it last one step only';
      ctx.report('LR131', 'schedulers', `${m.kind} (scheduler ${i}) sets the lr from scratch at every step, so ${effect}. ` +
        'Use SequentialLR to run them one after another, or one LambdaLR with the product.', at);
    });
  },
};

export const COMPOSITE_RULES: Rule[] = [SEQUENTIAL_LR, CHAINED];
