/**
 * The families' fast paths agree bit for bit with their per-step definitions: Keras / optax `fill`
 * loops with calling the schedule at each step, transformers' LambdaLR kernel and katsura's with `step()` calls,
 * and timm's cosine loop with `valueAt` (its `_get_lr`) times the group's `lr_scale`.
 */
import * as assert from 'assert';
import { makeOptimizer } from '../../../src/engine';
import { constructTimm, constructTorchFamily, makeSchedule, simulateFamily, type FamilyConstruction, type TimmGroupInit } from '../../../src/engine/families';
import type { BuildContext } from '../../../src/engine/schedulers';
import { OptState } from '../../../src/engine/state';
import type { Arg, OptimizerInit } from '../../../src/engine/types';

const int = (value: number): Arg => ({ kind: 'int', value });
const float = (value: number): Arg => ({ kind: 'float', value });
const OPT: Arg = { kind: 'optimizer', index: 0 };

function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, from: number, what: string): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length`);
  for (let k = from; k < expected.length; k++) {
    if (!Object.is(actual[k], expected[k])) assert.fail(`${what}: value ${k} is ${actual[k]}, stepping gives ${expected[k]}`);
  }
}

/** SGD(lr=0.1) with two groups (the second with lr 0.05 and, for timm, lr_scale 0.3 when `scaled`). */
function optimizer(scaled: boolean): OptimizerInit {
  const { optimizer: o } = makeOptimizer('SGD', { lr: 0.1 }, [{}, { lr: 0.05 }]);
  if (scaled) (o.groups[1] as TimmGroupInit).lr_scale = 0.3;
  return o;
}

function context(init: OptimizerInit): BuildContext {
  let state: OptState | null = null;
  return {
    optimizer: () => (state ??= new OptState(0, init)),
    scheduler: () => { throw new Error('no scheduler'); },
  };
}

describe('engine/families: Keras and optax fill loops agree with calling the schedule', () => {
  const CASES: FamilyConstruction[] = [
    { kind: 'keras.CosineDecay', args: { initial_learning_rate: float(0.1), decay_steps: int(97), alpha: float(0.01) }, optimizer: null },
    { kind: 'keras.CosineDecay', args: { initial_learning_rate: float(0.1), decay_steps: int(50), warmup_target: float(0.3), warmup_steps: int(13) }, optimizer: null },
    { kind: 'keras.CosineDecay', args: { initial_learning_rate: float(0.0), decay_steps: float(33.5), warmup_target: float(1e-3), warmup_steps: float(7.25) }, optimizer: null },
    { kind: 'optax.warmup_cosine_decay_schedule', args: { init_value: float(0), peak_value: float(0.1), warmup_steps: int(20), decay_steps: int(150) }, optimizer: null },
    { kind: 'optax.warmup_cosine_decay_schedule', args: { init_value: float(1e-4), peak_value: float(0.5), warmup_steps: int(0), decay_steps: int(60), end_value: float(1e-3), exponent: float(2) }, optimizer: null },
    { kind: 'optax.warmup_cosine_decay_schedule', args: { init_value: float(0.01), peak_value: float(0.2), warmup_steps: float(12.5), decay_steps: float(80.5) }, optimizer: null },
  ];
  for (const c of CASES) {
    it(`${c.kind} ${JSON.stringify(c.args)}`, () => {
      const f = makeSchedule(c);
      assert.ok(f.fill, 'this schedule has a fill loop');
      const n = 200;
      const fast = new Float64Array(n);
      f.fill(fast, 0, n);
      sameBits(fast, Float64Array.from({ length: n }, (_, k) => f(k)), 0, c.kind);
      // The whole pipeline takes the fill loop too.
      sameBits(simulateFamily(c, [], { steps: n }).lrs![0]!, fast, 0, `${c.kind} simulateFamily`);
    });
  }
});

describe('engine/families: transformers\' LambdaLR kernel and katsura\'s kernel agree with step()', () => {
  const CASES: FamilyConstruction[] = [
    { kind: 'transformers.get_cosine_schedule_with_warmup', args: { optimizer: OPT, num_warmup_steps: int(10), num_training_steps: int(120) }, optimizer: 0 },
    { kind: 'transformers.get_cosine_schedule_with_warmup', args: { optimizer: OPT, num_warmup_steps: int(0), num_training_steps: int(90), num_cycles: float(1.5) }, optimizer: 0 },
    { kind: 'transformers.get_cosine_with_min_lr_schedule_with_warmup', args: { optimizer: OPT, num_warmup_steps: float(6.5), num_training_steps: int(110), min_lr_rate: float(0.1) }, optimizer: 0 },
    { kind: 'transformers.get_linear_schedule_with_warmup', args: { optimizer: OPT, num_warmup_steps: int(7), num_training_steps: int(100) }, optimizer: 0 },
    { kind: 'transformers.get_polynomial_decay_schedule_with_warmup', args: { optimizer: OPT, num_warmup_steps: int(5), num_training_steps: int(80), power: float(2) }, optimizer: 0 },
    { kind: 'katsura.CosineAnnealingWarmupRestarts', args: { optimizer: OPT, first_cycle_steps: int(40), max_lr: float(0.1), min_lr: float(1e-4), warmup_steps: int(5) }, optimizer: 0 },
    { kind: 'katsura.CosineAnnealingWarmupRestarts', args: { optimizer: OPT, first_cycle_steps: int(30), cycle_mult: float(1.5), max_lr: float(0.2), min_lr: float(1e-3), warmup_steps: int(4), gamma: float(0.7) }, optimizer: 0 },
    { kind: 'transformers.get_wsd_schedule', args: { optimizer: OPT, num_warmup_steps: int(10), num_decay_steps: int(30), num_training_steps: int(100) }, optimizer: 0 },
  ];
  for (const c of CASES) {
    it(`${c.kind} ${JSON.stringify(c.args)}`, () => {
      const n = 150;
      const fast = simulateFamily(c, [optimizer(false)], { steps: n });
      assert.strictEqual(fast.error, null);
      const sched = constructTorchFamily(c, context(optimizer(false)));
      const stepped = sched.groups.map((g) => {
        const a = new Float64Array(n);
        a[0] = g.lr;
        return a;
      });
      for (let k = 1; k < n; k++) {
        sched.step();
        sched.groups.forEach((g, i) => { stepped[i]![k] = g.lr; });
      }
      fast.lrs!.forEach((a, g) => sameBits(a, stepped[g]!, 0, `${c.kind} group ${g}`));
    });
  }
});

describe('engine/families: timm CosineLRScheduler\'s loop agrees with _get_lr', () => {
  const CASES: [Record<string, Arg>, boolean][] = [
    [{ t_initial: int(100), lr_min: float(1e-5), warmup_t: int(10), warmup_lr_init: float(1e-6) }, false],
    [{ t_initial: int(40), lr_min: float(1e-4), warmup_t: int(5), warmup_lr_init: float(1e-5), warmup_prefix: { kind: 'bool', value: true }, cycle_limit: int(3), cycle_decay: float(0.5) }, true],
    [{ t_initial: float(33.5), cycle_limit: int(4), cycle_decay: float(0.8) }, true],
    [{ t_initial: int(50), lr_min: float(1e-3), warmup_t: float(7.5), warmup_lr_init: float(0.01) }, false],
    // The general path (cycle_mul, k_decay): the loop must leave them to it.
    [{ t_initial: int(30), cycle_mul: float(2), cycle_limit: int(3) }, true],
    [{ t_initial: int(60), k_decay: float(1.5) }, false],
  ];
  for (const [args, scaled] of CASES) {
    it(`${JSON.stringify(args)}${scaled ? ' (lr_scale)' : ''}`, () => {
      const n = 180;
      const c: FamilyConstruction = { kind: 'timm.CosineLRScheduler', args: { optimizer: OPT, t_in_epochs: { kind: 'bool', value: false }, ...args }, optimizer: 0 };
      const fast = simulateFamily(c, [optimizer(scaled)], { steps: n });
      assert.strictEqual(fast.error, null);
      const init = optimizer(scaled);
      const sched = constructTimm('timm.CosineLRScheduler', c.args, new OptState(0, init));
      fast.lrs!.forEach((a, g) => {
        const scale = (init.groups[g] as TimmGroupInit).lr_scale;
        const expected = Float64Array.from({ length: n }, (_, k) => {
          const v = sched.valueAt(k, g);
          return scale === undefined ? v : v * scale;
        });
        sameBits(a, expected, 1, `group ${g}`);
      });
    });
  }
});
