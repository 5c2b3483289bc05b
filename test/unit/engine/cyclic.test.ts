/**
 * CyclicLR and OneCycleLR: values from docs/torch-schedulers.md §2.11, §2.12, §4 (worked examples) and their errors.
 */
import * as assert from 'assert';
import type { Arg } from '../../../src/engine/types';
import { assertApprox, bool, float, fn, int, list, run, str } from './helpers';

const cyc = (extra: Record<string, Arg>): Record<string, Arg> => ({ base_lr: float(0.1), max_lr: float(1.0), step_size_up: int(2), ...extra });
const SGD9 = { kwargs: { lr: 5, momentum: 0.9 } };

describe('engine/CyclicLR', () => {
  it('triangle 0.1 → 1.0 → 0.1 (the optimizer lr 5 is ignored)', () => {
    const r = run('CyclicLR', cyc({}), 9, SGD9);
    assertApprox(r.lrs![0]!, [0.1, 0.55, 1.0, 0.55, 0.1, 0.55, 1.0, 0.55, 0.1]);
    assert.deepStrictEqual(r.markers.map((m) => [m.step, m.kind]), [[2, 'peak'], [4, 'restart'], [6, 'peak'], [8, 'restart']]);
  });

  it('the 2-group momentum example of §4: [0.9,0.95], [0.85,0.725], [0.8,0.5], …', () => {
    const r = run('CyclicLR', cyc({ max_momentum: list(float(0.9), float(0.95)), base_momentum: list(float(0.8), float(0.5)) }), 5,
      { kwargs: { lr: 0.1, momentum: 0.9 }, groups: [{}, {}] });
    assert.strictEqual(r.momentum?.label, 'momentum');
    assertApprox(r.momentum!.values[0]!, [0.9, 0.85, 0.8, 0.85, 0.9]);
    assertApprox(r.momentum!.values[1]!, [0.95, 0.725, 0.5, 0.725, 0.95]);
  });

  it('triangular2 halves the amplitude each cycle; exp_range scales by gamma^e', () => {
    assertApprox(run('CyclicLR', cyc({ mode: str('triangular2') }), 11, SGD9).lrs![0]!, [0.1, 0.55, 1.0, 0.55, 0.1, 0.325, 0.55, 0.325, 0.1, 0.2125, 0.325]);
    assertApprox(run('CyclicLR', cyc({ mode: str('exp_range'), gamma: float(0.5) }), 4, SGD9).lrs![0]!, [0.1, 0.325, 0.325, 0.1 + 0.9 * 0.5 * 0.125]);
  });

  it('a custom scale_fn gets the cycle (scale_mode cycle) or the iteration, even with an invalid mode', () => {
    const seen: number[] = [];
    run('CyclicLR', cyc({ mode: str('nonsense'), scale_fn: fn('f', (x) => (seen.push(x), 1)) }), 6, SGD9);
    assert.deepStrictEqual([...new Set(seen)], [1, 2]);
    const iters: number[] = [];
    run('CyclicLR', cyc({ scale_fn: fn('f', (x) => (iters.push(x), 1)), scale_mode: str('iterations') }), 4, SGD9);
    assert.deepStrictEqual([...new Set(iters)], [0, 1, 2, 3]);
  });

  it('step_size_down 0 is a saw-tooth that never reaches max_lr', () => {
    assertApprox(run('CyclicLR', cyc({ step_size_down: int(0) }), 5, SGD9).lrs![0]!, [0.1, 0.55, 0.1, 0.55, 0.1]);
  });

  it('SGD momentum 0 is silently cycled; cycle_momentum=False leaves it', () => {
    assert.strictEqual(run('CyclicLR', cyc({}), 3, { kwargs: { lr: 0.1 } }).momentum!.values[0]![0], 0.9);
    assert.strictEqual(run('CyclicLR', cyc({ cycle_momentum: bool(false) }), 3, { kwargs: { lr: 0.1 } }).momentum, null);
  });

  it('lr[0] is the group initial_lr when one already exists (base_lrs are replaced only after the implicit step)', () => {
    const r = run('CyclicLR', cyc({}), 3, { kwargs: { lr: 0.1, momentum: 0.9 }, groups: [{ initial_lr: 0.5 }] });
    assertApprox(r.lrs![0]!, [0.5, 0.55, 1.0]);
  });

  const errors: [string, Record<string, Arg>, object, string, string][] = [
    ['invalid mode', cyc({ mode: str('tri') }), SGD9, 'ValueError', 'mode is invalid and scale_fn is None'],
    ['Adam with cycle_momentum', cyc({}), { type: 'Adam', kwargs: { lr: 0.1 } }, 'ValueError', 'optimizer must support momentum with `cycle_momentum` option enabled'],
    ['base_lr list length', cyc({ base_lr: list(float(0.1), float(0.2)) }), SGD9, 'ValueError', 'expected 1 values for base_lr, got 2'],
    ['max_lr list length', cyc({ max_lr: list() }), SGD9, 'ValueError', 'expected 1 values for max_lr, got 0'],
    ['base_momentum list length', cyc({ base_momentum: list(float(0.8), float(0.7)) }), SGD9, 'ValueError', 'expected 1 values for base_momentum, got 2'],
    ['step_size_up 0', cyc({ step_size_up: int(0), step_size_down: int(5) }), SGD9, 'ZeroDivisionError', 'float division by zero'],
    ['step_size_up 0 and down None', cyc({ step_size_up: int(0) }), SGD9, 'ZeroDivisionError', 'float division by zero'],
  ];
  for (const [name, args, opt, type, message] of errors) {
    it(`${name}: ${type}: ${message}`, () => {
      const r = run('CyclicLR', args, 3, opt as never);
      assert.deepStrictEqual([r.error?.type, r.error?.message, r.error?.phase, r.lrs], [type, message, 'construct', null]);
    });
  }

  it('Adam with cycle_momentum=False works', () => {
    assert.strictEqual(run('CyclicLR', cyc({ cycle_momentum: bool(false) }), 3, { type: 'Adam', kwargs: { lr: 0.1 } }).error, null);
  });
});

const oc = (extra: Record<string, Arg>): Record<string, Arg> => ({ max_lr: float(0.1), total_steps: int(10), ...extra });

describe('engine/OneCycleLR', () => {
  it('lr[0] is 0.0040000000000000036 (operation order of the cos annealing), not 0.004', () => {
    assert.strictEqual(run('OneCycleLR', oc({}), 1, SGD9).lrs![0]![0], 0.0040000000000000036);
  });

  it('default SGD momentum for N 10 (§4)', () => {
    const r = run('OneCycleLR', oc({}), 10, SGD9);
    assert.strictEqual(r.momentum?.label, 'momentum');
    assertApprox(r.momentum!.values[0]!, [0.95, 0.9, 0.85, 0.855, 0.8688, 0.8889, 0.9111, 0.9312, 0.945, 0.95], 1e-4);
    assert.strictEqual(r.lrs![0]![2], 0.1);
  });

  it('N calls are allowed; value N is extrapolated (4e-7 at 99, ≈5.07e-5 at 100); call N+1 raises', () => {
    const r = run('OneCycleLR', oc({ total_steps: int(100) }), 103, SGD9);
    assert.ok(Math.abs(r.lrs![0]![99]! - 4e-7) < 1e-12);
    assert.ok(Math.abs(r.lrs![0]![100]! - 5.07e-5) < 0.01e-5);
    assert.deepStrictEqual(r.error, {
      type: 'ValueError', message: 'Tried to step 102 times. The specified number of total steps is 100', phase: 'step', step: 101,
      param: 'total_steps', rule: 'LR106',
    });
    assert.strictEqual(r.lrs![0]!.length, 101);
    assert.strictEqual(r.momentum!.values[0]!.length, 101);
  });

  it('Adam family cycles beta1', () => {
    const r = run('OneCycleLR', oc({}), 3, { type: 'AdamW', kwargs: { lr: 0.1 } });
    assert.strictEqual(r.momentum?.label, 'beta1');
    assertApprox(r.momentum!.values[0]!, [0.95, 0.9, 0.85]);
  });

  it('three_phase: max at P·N−1, back to initial at 2·P·N−2, min_lr at N−1; momentum flat at max in phase 3', () => {
    const r = run('OneCycleLR', oc({ total_steps: int(20), pct_start: float(0.25), three_phase: bool(true) }), 20, SGD9);
    const lr = r.lrs![0]!;
    assertApprox([lr[4]!, lr[8]!, lr[19]!], [0.1, 0.004, 0.004 / 1e4]);
    assertApprox(Array.from(r.momentum!.values[0]!.slice(8)), new Array(12).fill(0.95));
    assert.deepStrictEqual(r.markers.map((m) => m.step), [4, 8, 19]);
  });

  it('total_steps 1 gives lr[0] = min_lr; linear annealing', () => {
    assertApprox(run('OneCycleLR', oc({ total_steps: int(1) }), 1, SGD9).lrs![0]!, [4e-7]);
    assertApprox(run('OneCycleLR', oc({ total_steps: int(5), pct_start: float(0.5), anneal_strategy: str('linear') }), 3, SGD9).lrs![0]!,
      // phase 1 ends at 0.5·5 − 1 = 1.5, so e = 2 is already 0.5/2.5 into the descent
      [0.004, 0.004 + (0.1 - 0.004) / 1.5, (4e-7 - 0.1) * 0.2 + 0.1]);
  });

  it('pct_start 1.0 divides by zero on the total_steps-th step()', () => {
    const r = run('OneCycleLR', oc({ pct_start: float(1.0) }), 12, SGD9);
    assert.deepStrictEqual([r.error?.type, r.error?.message, r.error?.step], ['ZeroDivisionError', 'float division by zero', 10]);
  });

  const errors: [string, Record<string, Arg>, object, string, string][] = [
    ['nothing given', { max_lr: float(0.1) }, SGD9, 'ValueError', 'You must define either total_steps OR (epochs AND steps_per_epoch)'],
    ['total_steps 0', oc({ total_steps: int(0) }), SGD9, 'ValueError', 'Expected positive integer total_steps, but got 0'],
    ['total_steps 10.0', oc({ total_steps: float(10) }), SGD9, 'ValueError', 'Expected positive integer total_steps, but got 10.0'],
    ['epochs only', { max_lr: float(0.1), epochs: int(3) }, SGD9, 'TypeError', "'<=' not supported between instances of 'NoneType' and 'int'"],
    ['steps_per_epoch only', { max_lr: float(0.1), steps_per_epoch: int(3) }, SGD9, 'TypeError', "'<=' not supported between instances of 'NoneType' and 'int'"],
    ['epochs 0', { max_lr: float(0.1), epochs: int(0), steps_per_epoch: int(3) }, SGD9, 'ValueError', 'Expected positive integer epochs, but got 0'],
    ['steps_per_epoch 3.0', { max_lr: float(0.1), epochs: int(2), steps_per_epoch: float(3) }, SGD9, 'ValueError', 'Expected positive integer steps_per_epoch, but got 3.0'],
    ['pct_start int 1', oc({ pct_start: int(1) }), SGD9, 'ValueError', 'Expected float between 0 and 1 pct_start, but got 1'],
    ['pct_start 1.5', oc({ pct_start: float(1.5) }), SGD9, 'ValueError', 'Expected float between 0 and 1 pct_start, but got 1.5'],
    ['anneal_strategy', oc({ anneal_strategy: str('exp') }), SGD9, 'ValueError', "anneal_strategy must by one of 'cos' or 'linear', instead got exp"],
    ['max_lr list length', oc({ max_lr: list(float(0.1), float(0.2)) }), SGD9, 'ValueError', 'expected 1 values for max_lr, got 2'],
    ['Adagrad has neither momentum nor betas', oc({}), { type: 'Adagrad', kwargs: { lr: 0.1 } }, 'ValueError', 'optimizer must support momentum with `cycle_momentum` option enabled'],
    ['div_factor 0', oc({ div_factor: float(0) }), SGD9, 'ZeroDivisionError', 'float division by zero'],
    ['pct_start·total_steps == 1', oc({ pct_start: float(0.1) }), SGD9, 'ZeroDivisionError', 'float division by zero'],
    ['resume without its keys', oc({ last_epoch: int(2) }), { kwargs: { lr: 0.1, momentum: 0.9 }, groups: [{ initial_lr: 0.01 }] }, 'KeyError', "'max_lr'"],
  ];
  for (const [name, args, opt, type, message] of errors) {
    it(`${name}: ${type}: ${message}`, () => {
      const r = run('OneCycleLR', args, 3, opt as never);
      assert.deepStrictEqual([r.error?.type, r.error?.message, r.error?.phase, r.lrs], [type, message, 'construct', null]);
    });
  }
});
