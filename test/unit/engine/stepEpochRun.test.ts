/**
 * `scheduler.step(epoch)` over a whole run (audit P6): `simulate` with `epochs` steps the target with each call's
 * argument (torch 1.13: `last_epoch = epoch`, then the closed form, or CosineAnnealingWarmRestarts' own `T_cur`).
 * Expected values: real torch 1.13 (Debian python3-torch), lr 0.1, one param group, each case's `step(a)` for a in
 * `args`, the lr after construction then after each call; recorded once here (the tests need no torch).
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine/simulate';
import type { Arg, SchedulerKind } from '../../../src/engine/types';
import { float, int, list, single } from './helpers';

const TORCH: { name: string; build: readonly [SchedulerKind, Record<string, Arg>]; args: number[]; lrs: number[] }[] = [
  { name: "StepLR(step_size=3,gamma=0.5) step(epoch) range(10)", build: ['StepLR', { step_size: int(3), gamma: float(0.5) }] as const,
    args: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    lrs: [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125] },
  { name: "MultiStepLR([2,5],0.1) step(epoch) range(8)", build: ['MultiStepLR', { milestones: list(int(2), int(5)), gamma: float(0.1) }] as const,
    args: [0, 1, 2, 3, 4, 5, 6, 7],
    lrs: [0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002, 0.0010000000000000002] },
  { name: "ExponentialLR(0.9) step(epoch) range(6)", build: ['ExponentialLR', { gamma: float(0.9) }] as const,
    args: [0, 1, 2, 3, 4, 5],
    lrs: [0.1, 0.1, 0.09000000000000001, 0.08100000000000002, 0.0729, 0.06561, 0.05904900000000001] },
  { name: "CosineAnnealingLR(T_max=10) step(epoch) range(12)", build: ['CosineAnnealingLR', { T_max: int(10) }] as const,
    args: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    lrs: [0.1, 0.1, 0.09755282581475769, 0.09045084971874738, 0.07938926261462366, 0.06545084971874737, 0.05, 0.03454915028125263, 0.02061073738537635, 0.009549150281252633, 0.0024471741852423235, 0.0, 0.0024471741852423127] },
  { name: "LinearLR(start_factor=0.5,total_iters=4) step(epoch) range(7)", build: ['LinearLR', { start_factor: float(0.5), total_iters: int(4) }] as const,
    args: [0, 1, 2, 3, 4, 5, 6],
    lrs: [0.05, 0.05, 0.0625, 0.07500000000000001, 0.08750000000000001, 0.1, 0.1, 0.1] },
  { name: "CAWR(T_0=2,T_mult=2) step(epoch + i/4) 6x4", build: ['CosineAnnealingWarmRestarts', { T_0: int(2), T_mult: int(2) }] as const,
    args: [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.25, 4.5, 4.75, 5.0, 5.25, 5.5, 5.75],
    lrs: [0.1, 0.1, 0.09619397662556434, 0.08535533905932738, 0.0691341716182545, 0.05, 0.030865828381745515, 0.014644660940672627, 0.0038060233744356634, 0.1, 0.09903926402016153, 0.09619397662556434, 0.09157348061512727, 0.08535533905932738, 0.07777851165098011, 0.0691341716182545, 0.059754516100806426, 0.05, 0.04024548389919359, 0.030865828381745515, 0.022221488349019904, 0.014644660940672627, 0.008426519384872733, 0.0038060233744356634, 0.0009607359798384785] },
  { name: "CAWR(T_0=3) step(epoch) range(1, 9)", build: ['CosineAnnealingWarmRestarts', { T_0: int(3) }] as const,
    args: [1, 2, 3, 4, 5, 6, 7, 8],
    lrs: [0.1, 0.07500000000000001, 0.025000000000000012, 0.1, 0.07500000000000001, 0.025000000000000012, 0.1, 0.07500000000000001, 0.025000000000000012] },
  { name: "StepLR(step_size=2,gamma=0.5) step(epoch) range(1, 7)", build: ['StepLR', { step_size: int(2), gamma: float(0.5) }] as const,
    args: [1, 2, 3, 4, 5, 6],
    lrs: [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125] },
];

describe('engine: step(epoch) through a run (torch 1.13 traces)', () => {
  for (const c of TORCH) {
    it(c.name, () => {
      const { program, target } = single(c.build[0], c.build[1], { kwargs: { lr: 0.1 } });
      const r = simulate(program, target, { steps: c.args.length + 1, epochs: c.args });
      assert.strictEqual(r.error, null, r.error?.message);
      assert.strictEqual(r.epochArgs, 'applied');
      const got = [...r.lrs![0]!];
      assert.strictEqual(got.length, c.lrs.length);
      got.forEach((v, k) => assert.ok(Math.abs(v - c.lrs[k]!) <= 1e-12 * Math.abs(c.lrs[k]!) + 1e-18, `value ${k}: ${v} vs torch ${c.lrs[k]}`));
    });
  }

  it('CosineAnnealingWarmRestarts with fractional epochs: restarts where T_cur falls back (batches 8 and 24 of 4 per epoch), not every T_0 calls', () => {
    const c = TORCH.find((x) => x.name.startsWith('CAWR(T_0=2,T_mult=2)'))!;
    const { program, target } = single(c.build[0], c.build[1], { kwargs: { lr: 0.1 } });
    const r = simulate(program, target, { steps: 30, epochs: [...c.args, 6, 6.25] });
    // epoch 2 is call 9 (value 9), epoch 6 is call 25 (value 25); torch's lrs jump back to 0.1 there.
    assert.deepStrictEqual(r.markers.filter((m) => m.kind === 'restart').map((m) => m.step), [9, 25]);
    assert.strictEqual(c.lrs[9], 0.1);
  });

  it('past the arguments, plain step() calls', () => {
    const { program, target } = single('StepLR', { step_size: int(2), gamma: float(0.5) }, { kwargs: { lr: 0.1 } });
    const r = simulate(program, target, { steps: 5, epochs: [0, 1] });
    // step(0), step(1): closed form 0.1, 0.1; then last_epoch 2 → get_lr decays once: 0.05, then 3: unchanged.
    assert.deepStrictEqual([...r.lrs![0]!], [0.1, 0.1, 0.1, 0.05, 0.05]);
  });
});
