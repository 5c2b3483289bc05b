/**
 * `step(epoch)` paths (closed forms, the warm-restart classes' own epoch handling), reached by
 * SequentialLR's `step(0)` and by scripts that pass an epoch. docs/torch-schedulers.md §2.10, §3.1, §6.1.
 */
import * as assert from 'assert';
import { buildProgram } from '../../../src/engine/build';
import type { Scheduler } from '../../../src/engine/schedulers';
import type { Arg, SchedulerKind } from '../../../src/engine/types';
import { float, int, single } from './helpers';

function built(kind: SchedulerKind, args: Record<string, Arg>, lr = 1): Scheduler {
  const { program, target } = single(kind, args, { type: 'Adam', kwargs: { lr } });
  const b = buildProgram(program, target);
  assert.ok(b.target, b.targetFailure?.message);
  return b.target;
}

const lrAfter = (s: Scheduler, epoch?: number) => {
  s.step(epoch);
  return s.groups[0]!.lr;
};

describe('engine/step(epoch)', () => {
  it('closed forms: StepLR base·γ^⌊e/s⌋, ExponentialLR base·γ^e, ConstantLR, LinearLR, PolynomialLR, CosineAnnealingLR', () => {
    assert.ok(Math.abs(lrAfter(built('StepLR', { step_size: int(3), gamma: float(0.5) }), 7) - 0.25) < 1e-15);
    assert.ok(Math.abs(lrAfter(built('ExponentialLR', { gamma: float(0.5) }), 3) - 0.125) < 1e-15);
    assert.ok(Math.abs(lrAfter(built('ConstantLR', { factor: float(0.5), total_iters: int(4) }), 4) - 1) < 1e-15);
    assert.ok(Math.abs(lrAfter(built('LinearLR', { start_factor: float(0.1), total_iters: int(4) }), 2) - 0.55) < 1e-15);
    assert.ok(Math.abs(lrAfter(built('PolynomialLR', { total_iters: int(4), power: float(2) }), 2) - 0.25) < 1e-15);
    assert.ok(Math.abs(lrAfter(built('CosineAnnealingLR', { T_max: int(4) }), 2) - 0.5) < 1e-15);
  });

  it('the recursion and the closed form disagree where §3.3 says: StepLR step_size 2.5 (closed form decays at 3)', () => {
    const s = built('StepLR', { step_size: float(2.5), gamma: float(0.5) });
    assert.strictEqual(lrAfter(s), 1);
    assert.strictEqual(lrAfter(s), 1);
    assert.strictEqual(lrAfter(s, 3), 0.5);
  });

  it('CosineAnnealingWarmRestarts: fractional epochs, T_mult == 1 wraps, negative epoch raises', () => {
    const s = built('CosineAnnealingWarmRestarts', { T_0: int(10) });
    assert.ok(Math.abs(lrAfter(s, 25) - 0.5) < 1e-15);
    assert.ok(Math.abs(lrAfter(s, 2.5) - (1 + Math.cos(Math.PI * 0.25)) / 2) < 1e-15);
    assert.throws(() => s.step(-1), /Expected non-negative epoch, but got -1/);
  });

  it('CosineAnnealingWarmRestarts reproduces the log() truncation bug: T_0 1, T_mult 10, step(111) gives eta_min', () => {
    const s = built('CosineAnnealingWarmRestarts', { T_0: int(1), T_mult: int(10), eta_min: float(0.01) });
    assert.ok(Math.abs(lrAfter(s, 111) - 0.01) < 1e-15);
    assert.ok(Math.abs(lrAfter(s, 11) - 1) < 1e-15); // a restart the formula gets right
  });

  it('CosineAnnealingWarmUpRestarts: step() and step(epoch) disagree when T_up > 0 and T_mult > 1 (indices 8, 12, 15)', () => {
    const args = { T_0: int(5), T_mult: int(2), T_up: int(2), eta_max: float(0.1) };
    const noArg = built('CosineAnnealingWarmUpRestarts', args, 0);
    const plain = [0];
    for (let k = 1; k <= 15; k++) plain.push(lrAfter(noArg));
    const withEpoch = built('CosineAnnealingWarmUpRestarts', args, 0);
    const epochs = [0];
    for (let k = 1; k <= 15; k++) epochs.push(lrAfter(withEpoch, k));
    const at = (a: number[], i: number) => Math.round(a[i]! * 1e6) / 1e6;
    assert.deepStrictEqual([at(plain, 8), at(epochs, 8)], [0.093301, 0.096194]);
    assert.deepStrictEqual([at(plain, 12), at(epochs, 12)], [0.006699, 0.030866]);
    assert.deepStrictEqual([at(plain, 15), at(epochs, 15)], [0.1, 0]);
  });

  it('CosineAnnealingWarmUpRestarts step(epoch < T_0) keeps the cycle (after 12 steps, step(3) keeps eta_max at 0.025)', () => {
    const s = built('CosineAnnealingWarmUpRestarts', { T_0: int(5), T_up: int(2), eta_max: float(0.1), gamma: float(0.5) }, 0);
    for (let k = 0; k < 12; k++) s.step();
    s.step(3);
    // eta_max is the cycles' peak (warmRestarts.ts WarmUpCosineCycles).
    assert.strictEqual((s as unknown as { peak: number }).peak, 0.025);
  });
});
