/**
 * The blog's classes (docs/torch-schedulers.md §6), ReduceLROnPlateau (§2.13) and resuming (§1.3).
 */
import * as assert from 'assert';
import { plateauEnvelope, simulate, summarize } from '../../../src/engine';
import type { Arg } from '../../../src/engine/types';
import { assertApprox, float, int, list, run, single, str } from './helpers';

const cawur = (args: Record<string, Arg>, steps: number, lr = 0) =>
  run('CosineAnnealingWarmUpRestarts', args, steps, { type: 'Adam', kwargs: { lr } });

describe('engine/CosineAnnealingWarmUpRestarts', () => {
  it('blog example T_0 150, T_up 10, γ 0.5, lr 0: 0 → 0.1 at 10, 0.05 at 80, 0 at 150, 0.05 at 160, 0.025 at 310', () => {
    const r = cawur({ T_0: int(150), T_up: int(10), eta_max: float(0.1), gamma: float(0.5) }, 320);
    const lr = r.lrs![0]!;
    assertApprox([lr[0]!, lr[10]!, lr[80]!, lr[150]!, lr[160]!, lr[310]!], [0, 0.1, 0.05, 0, 0.05, 0.025]);
    assert.deepStrictEqual(r.markers.filter((m) => m.kind === 'restart').map((m) => m.step), [150, 300]);
  });

  it('blog example T_0 50, T_mult 2, T_up 10: restarts at 50, 140, 310 (the cosine part doubles), peaks 0.1, 0.05, 0.025, 0.0125', () => {
    const r = cawur({ T_0: int(50), T_mult: int(2), T_up: int(10), eta_max: float(0.1), gamma: float(0.5) }, 330);
    const lr = r.lrs![0]!;
    assert.deepStrictEqual(r.markers.filter((m) => m.kind === 'restart').map((m) => m.step), [50, 140, 310]);
    assertApprox([lr[10]!, lr[60]!, lr[150]!, lr[320]!], [0.1, 0.05, 0.025, 0.0125]);
  });

  it('a nonzero optimizer lr is the warm-up start and the cosine floor (0.01 ↔ 0.1); lr = eta_max is flat; lr above it inverts', () => {
    const s = summarize(cawur({ T_0: int(10), T_up: int(2), eta_max: float(0.1) }, 40, 0.01).lrs![0]!, []);
    assertApprox([s.start, s.peak.value, s.min.value], [0.01, 0.1, 0.01]);
    assert.ok(cawur({ T_0: int(10), T_up: int(2), eta_max: float(0.1) }, 30, 0.1).lrs![0]!.every((v) => Math.abs(v - 0.1) < 1e-12));
    const inv = cawur({ T_0: int(10), T_up: int(2), eta_max: float(0.1) }, 11, 0.2).lrs![0]!;
    assertApprox([inv[0]!, inv[1]!, inv[2]!, inv[10]!], [0.2, 0.15, 0.1, 0.2]);
  });

  it('T_up = T_0 is a pure saw-tooth with peak eta_max·(T_0−1)/T_up', () => {
    const s = summarize(cawur({ T_0: int(5), T_up: int(5), eta_max: float(0.1) }, 30).lrs![0]!, []);
    assertApprox([s.peak.value], [0.1 * 4 / 5]);
  });

  it('T_up 0, gamma 1, lr 0 equals CosineAnnealingWarmRestarts(lr = eta_max) exactly; lr[0] = eta_max', () => {
    const a = cawur({ T_0: int(7), T_mult: int(2), eta_max: float(0.05), T_up: int(0) }, 60).lrs![0]!;
    const b = run('CosineAnnealingWarmRestarts', { T_0: int(7), T_mult: int(2) }, 60, { kwargs: { lr: 0.05 } }).lrs![0]!;
    assert.deepStrictEqual(Array.from(a), Array.from(b));
    assert.strictEqual(a[0], 0.05);
  });

  const errors: [Record<string, Arg>, string][] = [
    [{ T_0: int(0) }, 'Expected positive integer T_0, but got 0'],
    [{ T_0: int(50), T_mult: float(0.5) }, 'Expected integer T_mult >= 1, but got 0.5'],
    [{ T_0: int(10), T_up: int(-1) }, 'Expected positive integer T_up, but got -1'],
    [{ T_0: int(10), T_up: float(2.0) }, 'Expected positive integer T_up, but got 2.0'],
  ];
  for (const [args, message] of errors) {
    it(`ValueError: ${message}`, () => {
      const r = cawur(args, 5);
      assert.deepStrictEqual([r.error?.type, r.error?.message, r.error?.phase], ['ValueError', message, 'construct']);
    });
  }
});

describe('engine/WarmupConstantSchedule', () => {
  const rows: [Arg, number[]][] = [
    [int(4), [0, 0.0125, 0.025, 0.0375, 0.05, 0.05]],
    [float(2.5), [0, 0.02, 0.04, 0.05]],
    [int(0), [0.05, 0.05]],
    [int(1), [0, 0.05, 0.05]],
  ];
  for (const [w, expect] of rows) {
    it(`warmup_steps ${w.kind === 'int' || w.kind === 'float' ? w.value : ''}`, () => {
      assertApprox(run('WarmupConstantSchedule', { warmup_steps: w }, expect.length, { kwargs: { lr: 0.05 } }).lrs![0]!, expect);
    });
  }

  it('marks the warm-up end', () => {
    assert.deepStrictEqual(run('WarmupConstantSchedule', { warmup_steps: int(4) }, 10).markers, [{ step: 4, kind: 'warmup-end', label: 'warm-up end' }]);
  });
});

describe('engine/ReduceLROnPlateau', () => {
  const errors: [Record<string, Arg>, string, string][] = [
    [{ factor: float(1.0) }, 'ValueError', 'Factor should be < 1.0.'],
    [{ min_lr: list(float(0), float(0)) }, 'ValueError', 'expected 1 min_lrs, got 2'],
    [{ mode: str('avg') }, 'ValueError', 'mode avg is unknown!'],
    [{ mode: int(3) }, 'TypeError', 'can only concatenate str (not "int") to str'],
    [{ threshold_mode: str('x') }, 'ValueError', 'threshold mode x is unknown!'],
  ];
  for (const [args, type, message] of errors) {
    it(`${type}: ${message}`, () => {
      const r = run('ReduceLROnPlateau', args, 3);
      assert.deepStrictEqual([r.error?.type, r.error?.message], [type, message]);
    });
  }

  it('simulate shows the "never plateaus" line', () => {
    assert.deepStrictEqual(Array.from(run('ReduceLROnPlateau', {}, 4, { kwargs: { lr: 0.3 } }).lrs![0]!), [0.3, 0.3, 0.3, 0.3]);
  });

  it('envelope: patience 2, cooldown 1 cuts after calls 4, 8, 12', () => {
    const { program, target } = single('ReduceLROnPlateau', { patience: int(2), cooldown: int(1), factor: float(0.5) });
    const env = plateauEnvelope(program, target, 14);
    assert.strictEqual(env.kind, 'fastest-decay');
    assert.deepStrictEqual(env.cuts, [4, 8, 12]);
    assertApprox(env.lrs![0]!, [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125]);
  });

  it('envelope: first cut after patience + 2 calls (defaults: 12), clamped at min_lr, bounded reductions', () => {
    const { program, target } = single('ReduceLROnPlateau', { factor: float(0.5), min_lr: float(0.3) });
    const env = plateauEnvelope(program, target, 40);
    assert.deepStrictEqual(env.cuts, [12, 23]);
    assertApprox([env.lrs![0]![11]!, env.lrs![0]![12]!, env.lrs![0]![39]!], [1, 0.5, 0.3]);
    assert.deepStrictEqual(env.maxReductions, [2]);
  });

  it('envelope: no reduction once lr·(1−factor) ≤ eps (lr 1e-8, factor 0.1)', () => {
    const { program, target } = single('ReduceLROnPlateau', { patience: int(0) }, { kwargs: { lr: 1e-8 } });
    assert.deepStrictEqual(plateauEnvelope(program, target, 20).cuts, []);
  });

  it('envelope of a failing construction reports the error', () => {
    const { program, target } = single('ReduceLROnPlateau', { factor: float(2) });
    const env = plateauEnvelope(program, target, 5);
    assert.deepStrictEqual([env.lrs, env.error?.message], [null, 'Factor should be < 1.0.']);
  });
});

describe('engine/resume (last_epoch ≥ 0)', () => {
  it('ExponentialLR(0.5, last_epoch=2) on lr 0.25 continues at 0.125', () => {
    const r = run('ExponentialLR', { gamma: float(0.5), last_epoch: int(2) }, 3, { kwargs: { lr: 0.25 }, groups: [{ initial_lr: 1 }] });
    assertApprox(r.lrs![0]!, [0.125, 0.0625, 0.03125]);
  });

  it('CosineAnnealingLR resume branch: closed form at k+1', () => {
    const r = run('CosineAnnealingLR', { T_max: int(4), last_epoch: int(0) }, 2, { kwargs: { lr: 7 }, groups: [{ initial_lr: 1 }] });
    assertApprox(r.lrs![0]!, [0.853553]);
  });

  it('KeyError without initial_lr, naming the group', () => {
    const r = simulate(single('StepLR', { step_size: int(3), last_epoch: int(5) }, { groups: [{ initial_lr: 1 }, {}] }).program, 0, { steps: 3 });
    assert.deepStrictEqual([r.error?.type, r.error?.message, r.error?.param],
      ['KeyError', "\"param 'initial_lr' is not specified in param_groups[1] when resuming an optimizer\"", 'last_epoch']);
  });
});
