/**
 * defaultHorizon rules (documented in src/engine/horizon.ts) and summarize().
 */
import * as assert from 'assert';
import { defaultHorizon, summarize } from '../../../src/engine';
import type { Arg, Marker, SchedulerKind } from '../../../src/engine/types';
import { float, fn, int, list, ProgramBuilder, sched, single, str } from './helpers';

const h = (kind: SchedulerKind, args: Record<string, Arg>) => {
  const { program, target } = single(kind, args);
  return defaultHorizon(program, target);
};

describe('engine/defaultHorizon', () => {
  const rows: [SchedulerKind, Record<string, Arg>, number, string][] = [
    ['CosineAnnealingLR', { T_max: int(200) }, 201, 'T_max + 1'],
    ['OneCycleLR', { max_lr: float(0.1), total_steps: int(500) }, 500, 'total_steps'],
    ['OneCycleLR', { max_lr: float(0.1), epochs: int(10), steps_per_epoch: int(50) }, 500, 'epochs × steps_per_epoch'],
    ['StepLR', { step_size: int(30) }, 91, '3 × step_size + 1'],
    ['MultiStepLR', { milestones: list(int(30), int(80)) }, 100, 'last milestone × 1.25'],
    ['ConstantLR', {}, 8, 'total_iters × 1.25 + 1'],
    ['LinearLR', { total_iters: int(10) }, 14, 'total_iters × 1.25 + 1'],
    ['PolynomialLR', { total_iters: int(300) }, 301, 'total_iters + 1'],
    ['ExponentialLR', { gamma: float(0.9) }, 45, 'until lr = 1% of start'],
    ['CosineAnnealingWarmRestarts', { T_0: int(50), T_mult: int(2) }, 351, '3 cycles'],
    ['CosineAnnealingWarmRestarts', { T_0: int(10) }, 31, '3 cycles'],
    ['CosineAnnealingWarmUpRestarts', { T_0: int(50), T_mult: int(2), T_up: int(10) }, 311, '3 cycles'],
    ['CyclicLR', { base_lr: float(0.1), max_lr: float(1), step_size_up: int(50), step_size_down: int(100) }, 451, '3 cycles'],
    ['CyclicLR', { base_lr: float(0.1), max_lr: float(1) }, 12001, '3 cycles'],
    ['WarmupConstantSchedule', { warmup_steps: int(10) }, 31, '3 × warmup_steps + 1'],
    ['LambdaLR', { lr_lambda: fn('f', () => 1) }, 100, 'default'],
    ['StepLR', { step_size: str('x') }, 100, 'default'],
    ['ReduceLROnPlateau', { patience: int(2), cooldown: int(1) }, 21, '5 plateau cuts'],
    ['CosineAnnealingLR', { T_max: int(5_000_000) }, 1_000_000, 'T_max + 1'],
    ['CosineAnnealingLR', { T_max: int(0) }, 100, 'default'],
    ['OneCycleLR', { max_lr: float(0.1), total_steps: int(1) }, 2, 'total_steps'],
  ];
  for (const [kind, args, steps, source] of rows) {
    it(`${kind} ${JSON.stringify(args, (_k, v) => (typeof v === 'function' ? 'fn' : v))} → ${steps} (${source})`, () => {
      assert.deepStrictEqual(h(kind, args), { steps, source });
    });
  }

  it('SequentialLR: last milestone + the last member\'s rule; ChainedScheduler: the longest member', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 });
    const w = b.add('LinearLR', o, { total_iters: int(5) });
    const c = b.add('CosineAnnealingLR', o, { T_max: int(95) });
    const s = b.add('SequentialLR', o, { schedulers: list(sched(w), sched(c)), milestones: list(int(5)) });
    assert.deepStrictEqual(defaultHorizon(b.program, s), { steps: 101, source: 'last milestone + T_max + 1' });
    const ch = b.add('ChainedScheduler', null, { schedulers: list(sched(w), sched(c)) });
    assert.deepStrictEqual(defaultHorizon(b.program, ch), { steps: 96, source: 'longest member: T_max + 1' });
    assert.deepStrictEqual(defaultHorizon(b.program, 99), { steps: 100, source: 'default' });
  });
});

describe('engine/summarize', () => {
  it('start, peak, min, final and where', () => {
    const s = summarize(new Float64Array([0.1, 0.5, 1, 0.5, 0.2, 0.3]), []);
    assert.deepStrictEqual(s, { start: 0.1, peak: { value: 1, step: 2 }, min: { value: 0.1, step: 0 }, final: 0.3, warmupEnd: 2, restarts: [], milestones: [] });
  });

  it('warm-up end from a marker only when the curve really rises there; restarts and milestones from markers', () => {
    const markers: Marker[] = [
      { step: 3, kind: 'warmup-end', label: '' }, { step: 5, kind: 'restart', label: '' },
      { step: 4, kind: 'milestone', label: '' }, { step: 2, kind: 'handoff', label: '' }, { step: 4, kind: 'milestone', label: '' },
    ];
    const rising = summarize(new Float64Array([0.1, 0.2, 0.3, 1, 0.9, 0.1, 0.5]), markers);
    assert.deepStrictEqual([rising.warmupEnd, rising.restarts, rising.milestones], [3, [5], [2, 4]]);
    const decay = summarize(new Float64Array([1, 0.8, 0.6, 0.4]), [{ step: 3, kind: 'warmup-end', label: 'decay end' }]);
    assert.strictEqual(decay.warmupEnd, null);
  });

  it('a monotone rise to the end is not a warm-up; empty curves are NaN', () => {
    assert.strictEqual(summarize(new Float64Array([1, 2, 3]), []).warmupEnd, null);
    const e = summarize(new Float64Array(0), []);
    assert.ok(Number.isNaN(e.start) && Number.isNaN(e.final));
  });
});

describe('engine/defaultHorizon robustness', () => {
  it('never throws on an unknown kind', () => {
    const program = { optimizers: [], schedulers: [{ kind: 'NoSuchLR' as SchedulerKind, args: {}, optimizer: null }] };
    assert.deepStrictEqual(defaultHorizon(program, 0), { steps: 100, source: 'default' });
  });
});
