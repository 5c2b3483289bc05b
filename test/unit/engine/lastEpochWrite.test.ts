/**
 * `scheduler.last_epoch = k` written between the construction and the first `step()` (Ultralytics' `scheduler.last_epoch =
 * start_epoch - 1  # do not move`, resumes that set the counter by hand): `simulate` with `lastEpoch` sets torch's attribute and
 * nothing else, then steps. Expected values: real torch 1.13 (Debian python3-torch; /tmp/audit4t/truth/last_epoch_truth.py in the
 * fourth audit), SGD lr 0.1 momentum 0.9, one param group: the lr after construction, then after each `step()`; recorded once here.
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine/simulate';
import type { Arg, SchedulerKind } from '../../../src/engine/types';
import { assertSeries, float, fn, int, list, single } from './helpers';

const TORCH: { name: string; build: readonly [SchedulerKind, Record<string, Arg>]; lastEpoch: number; lrs: number[] }[] = [
  { name: "LambdaLR(lambda x: ((1 + cos(x*pi/10))/2)*0.9 + 0.1) (Ultralytics), last_epoch = -1, 10 steps", build: ['LambdaLR', { lr_lambda: fn('lf', (x) => ((1 + Math.cos(x * Math.PI / 10)) / 2) * 0.9 + 0.1) }] as const, lastEpoch: -1,
    lrs: [0.1, 0.1, 0.09779754323328192, 0.09140576474687263, 0.08145033635316129, 0.06890576474687264, 0.05500000000000001, 0.04109423525312738, 0.02854966364683872, 0.018594235253127374, 0.012202456766718092] },
  { name: "CosineAnnealingLR(T_max=10), last_epoch = 4, 6 steps", build: ['CosineAnnealingLR', { T_max: int(10) }] as const, lastEpoch: 4,
    lrs: [0.1, 0.07639320225002104, 0.05278640450004207, 0.0314904045920625, 0.014589803375031553, 0.003738949449484945, 0.0] },
  { name: "CosineAnnealingLR(T_max=5), last_epoch = -1, 6 steps", build: ['CosineAnnealingLR', { T_max: int(5) }] as const, lastEpoch: -1,
    lrs: [0.1, 0.1, 0.09045084971874738, 0.06545084971874737, 0.03454915028125263, 0.009549150281252633, 0.0] },
  { name: "StepLR(step_size=2, gamma=0.5), last_epoch = 3, 5 steps", build: ['StepLR', { step_size: int(2), gamma: float(0.5) }] as const, lastEpoch: 3,
    lrs: [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125] },
  { name: "MultiStepLR([2, 4], 0.1), last_epoch = -1, 6 steps", build: ['MultiStepLR', { milestones: list(int(2), int(4)), gamma: float(0.1) }] as const, lastEpoch: -1,
    lrs: [0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002] },
  { name: "ExponentialLR(0.9), last_epoch = 5, 4 steps", build: ['ExponentialLR', { gamma: float(0.9) }] as const, lastEpoch: 5,
    lrs: [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002] },
  { name: "CosineAnnealingWarmRestarts(T_0=3), last_epoch = -1, 7 steps", build: ['CosineAnnealingWarmRestarts', { T_0: int(3) }] as const, lastEpoch: -1,
    lrs: [0.1, 0.1, 0.07500000000000001, 0.025000000000000012, 0.1, 0.07500000000000001, 0.025000000000000012, 0.1] },
  { name: "OneCycleLR(max_lr=0.1, total_steps=10), last_epoch = -1, 10 steps (no overrun)", build: ['OneCycleLR', { max_lr: float(0.1), total_steps: int(10) }] as const, lastEpoch: -1,
    lrs: [0.0040000000000000036, 0.0040000000000000036, 0.052000000000000005, 0.1, 0.09504846320134738, 0.0811745653949763, 0.06112620219362893, 0.03887419780637107, 0.0188258346050237, 0.004951936798652629, 4e-07] },
];

describe('engine: scheduler.last_epoch = k before the first step() (torch 1.13 traces)', () => {
  for (const c of TORCH) {
    it(c.name, () => {
      const { program, target } = single(c.build[0], c.build[1], { kwargs: { lr: 0.1, momentum: 0.9 } });
      const r = simulate(program, target, { steps: c.lrs.length, lastEpoch: c.lastEpoch });
      assert.strictEqual(r.error, null, r.error?.message);
      assert.strictEqual(r.lastEpoch, 'applied');
      assertSeries(r.lrs![0]!, c.lrs);
    });
  }

  it('without the write the same run differs (the Ultralytics curve ends one epoch later)', () => {
    const c = TORCH[0]!;
    const { program, target } = single(c.build[0], c.build[1], { kwargs: { lr: 0.1, momentum: 0.9 } });
    const r = simulate(program, target, { steps: c.lrs.length });
    assert.ok(Math.abs(r.lrs![0]![c.lrs.length - 1]! - c.lrs[c.lrs.length - 1]!) > 1e-3);
    assert.strictEqual(r.lastEpoch, undefined);
  });

  it('ReduceLROnPlateau is not an LRScheduler: the write is reported ignored', () => {
    const { program, target } = single('ReduceLROnPlateau', {}, { kwargs: { lr: 0.1 } });
    const r = simulate(program, target, { steps: 3, lastEpoch: 4 });
    assert.strictEqual(r.lastEpoch, 'ignored');
  });
});
