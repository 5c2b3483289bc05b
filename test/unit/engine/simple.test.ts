/**
 * The simple schedulers against values derived by hand from docs/torch-schedulers.md §2.1–§2.9
 * (base lr 1 unless stated), and every torch error they raise.
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine';
import { PyError, type Arg, type SchedulerKind } from '../../../src/engine/types';
import { assertApprox, float, fn, int, list, none, run, str } from './helpers';

interface Row {
  name: string;
  kind: SchedulerKind;
  args: Record<string, Arg>;
  /** lr[0..] of group 0 */
  expect: number[];
}

const half = (e: number) => Math.pow(0.5, e);
const ROWS: Row[] = [
  { name: 'LambdaLR base·λ(e)', kind: 'LambdaLR', args: { lr_lambda: fn('half', half) }, expect: [1, 0.5, 0.25, 0.125] },
  { name: 'LambdaLR negative results are accepted', kind: 'LambdaLR', args: { lr_lambda: fn('f', (e) => 1 - e) }, expect: [1, 0, -1, -2] },
  { name: 'MultiplicativeLR lr·λ(e), lr[0] = base', kind: 'MultiplicativeLR', args: { lr_lambda: fn('f', () => 0.9) }, expect: [1, 0.9, 0.81, 0.729] },
  { name: 'StepLR(2, 0.5)', kind: 'StepLR', args: { step_size: int(2), gamma: float(0.5) }, expect: [1, 1, 0.5, 0.5, 0.25, 0.25] },
  { name: 'StepLR default gamma 0.1', kind: 'StepLR', args: { step_size: int(1) }, expect: [1, 0.1, 0.01] },
  { name: 'StepLR negative step_size decays every |s|', kind: 'StepLR', args: { step_size: int(-2), gamma: float(0.5) }, expect: [1, 1, 0.5, 0.5, 0.25] },
  { name: 'StepLR step_size 2.5 decays at integer multiples only (5, 10)', kind: 'StepLR', args: { step_size: float(2.5), gamma: float(0.5) }, expect: [1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25] },
  { name: 'StepLR gamma 0 zeroes', kind: 'StepLR', args: { step_size: int(1), gamma: int(0) }, expect: [1, 0, 0] },
  { name: 'MultiStepLR duplicates give gamma² (unsorted)', kind: 'MultiStepLR', args: { milestones: list(int(4), int(2), int(2)), gamma: float(0.5) }, expect: [1, 1, 0.25, 0.25, 0.125, 0.125] },
  { name: 'MultiStepLR milestone 0 applies at construction', kind: 'MultiStepLR', args: { milestones: list(int(0), int(2)), gamma: float(0.5) }, expect: [0.5, 0.5, 0.25, 0.25] },
  { name: 'MultiStepLR 2.0 fires, 2.5 and -1 never', kind: 'MultiStepLR', args: { milestones: list(float(2.0), float(2.5), int(-1)), gamma: float(0.5) }, expect: [1, 1, 0.5, 0.5, 0.5] },
  { name: 'MultiStepLR None is an empty Counter', kind: 'MultiStepLR', args: { milestones: none }, expect: [1, 1, 1] },
  { name: 'ConstantLR defaults: base/3 for 5 steps, then ·(1/(1/3))', kind: 'ConstantLR', args: {}, expect: [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, (1 / 3) * (1.0 / (1 / 3)), 1] },
  { name: 'ConstantLR total_iters 0 stays at base·factor', kind: 'ConstantLR', args: { factor: float(0.5), total_iters: int(0) }, expect: [0.5, 0.5, 0.5, 0.5] },
  { name: 'ConstantLR total_iters 2.5 never restores', kind: 'ConstantLR', args: { factor: float(0.5), total_iters: float(2.5) }, expect: [0.5, 0.5, 0.5, 0.5, 0.5] },
  { name: 'LinearLR 0.1→1 over 3', kind: 'LinearLR', args: { start_factor: float(0.1), total_iters: int(3) }, expect: [0.1, 0.4, 0.7, 1.0, 1.0] },
  { name: 'LinearLR decay to 0', kind: 'LinearLR', args: { start_factor: float(1.0), end_factor: float(0.0), total_iters: int(4) }, expect: [1, 0.75, 0.5, 0.25, 0, 0] },
  { name: 'LinearLR total_iters 0 stuck at start', kind: 'LinearLR', args: { start_factor: float(0.5), total_iters: int(0) }, expect: [0.5, 0.5, 0.5] },
  { name: 'LinearLR total_iters 2.5 freezes at e=2', kind: 'LinearLR', args: { start_factor: float(0.5), total_iters: float(2.5) }, expect: [0.5, 0.7, 0.9, 0.9, 0.9] },
  { name: 'ExponentialLR(0.5)', kind: 'ExponentialLR', args: { gamma: float(0.5) }, expect: [1, 0.5, 0.25, 0.125] },
  { name: 'ExponentialLR negative gamma alternates', kind: 'ExponentialLR', args: { gamma: float(-0.5) }, expect: [1, -0.5, 0.25] },
  { name: 'PolynomialLR(4, 1) reaches 0 at T and stays', kind: 'PolynomialLR', args: { total_iters: int(4), power: float(1.0) }, expect: [1, 0.75, 0.5, 0.25, 0, 0] },
  { name: 'PolynomialLR(4, 2)', kind: 'PolynomialLR', args: { total_iters: int(4), power: float(2.0) }, expect: [1, 0.5625, 0.25, 0.0625, 0] },
  { name: 'PolynomialLR power 0 is constant', kind: 'PolynomialLR', args: { total_iters: int(4), power: float(0) }, expect: [1, 1, 1, 1, 1, 1] },
  { name: 'PolynomialLR total_iters ≤ 0: no decay', kind: 'PolynomialLR', args: { total_iters: int(-3) }, expect: [1, 1, 1] },
  // (1 + cos(πe/4))/2: 1, 0.853553, 0.5, 0.146447, 0, then back up (period 2·T_max).
  { name: 'CosineAnnealingLR(4) and its climb back', kind: 'CosineAnnealingLR', args: { T_max: int(4) }, expect: [1, 0.853553, 0.5, 0.146447, 0, 0.146447, 0.5, 0.853553, 1, 0.853553] },
  { name: 'CosineAnnealingLR eta_min 0.5', kind: 'CosineAnnealingLR', args: { T_max: int(2), eta_min: float(0.5) }, expect: [1, 0.75, 0.5, 0.75, 1] },
  { name: 'CosineAnnealingLR negative T_max behaves like |T_max|', kind: 'CosineAnnealingLR', args: { T_max: int(-4) }, expect: [1, 0.853553, 0.5, 0.146447, 0, 0.146447] },
  // CAWR(T_0 2, T_mult 2): restarts at 2 and 6.
  { name: 'CosineAnnealingWarmRestarts(2, 2)', kind: 'CosineAnnealingWarmRestarts', args: { T_0: int(2), T_mult: int(2) }, expect: [1, 0.5, 1, 0.853553, 0.5, 0.146447, 1] },
  { name: 'CosineAnnealingWarmRestarts T_0=True passes (bool is an int)', kind: 'CosineAnnealingWarmRestarts', args: { T_0: { kind: 'bool', value: true } }, expect: [1, 1, 1] },
];

describe('engine/simple schedulers (hand-derived values)', () => {
  for (const r of ROWS) {
    it(r.name, () => {
      const res = run(r.kind, r.args, r.expect.length);
      assert.strictEqual(res.error, null, res.error?.message);
      assertApprox(res.lrs![0]!, r.expect);
    });
  }

  it('MultiplicativeLR calls λ with 1, 2, 3 … never 0; LambdaLR with 0, 1, 2 …', () => {
    const seenM: number[] = [];
    run('MultiplicativeLR', { lr_lambda: fn('f', (e) => (seenM.push(e), 1)) }, 4);
    assert.deepStrictEqual(seenM, [1, 2, 3]);
    const seenL: number[] = [];
    run('LambdaLR', { lr_lambda: fn('f', (e) => (seenL.push(e), 1)) }, 4);
    assert.deepStrictEqual(seenL, [0, 1, 2, 3]);
  });

  it('one callable for every group is called once per step, each group scaled by its own base (LambdaLR, MultiplicativeLR)', () => {
    const groups = [{ lr: 1 }, { lr: 2 }, { lr: 4 }];
    const seenL: number[] = [];
    const l = run('LambdaLR', { lr_lambda: fn('f', (e) => (seenL.push(e), 1 / (e + 1))) }, 5, { groups });
    assert.strictEqual(l.error, null);
    // Construction calls it once per group (torch's initial step); the steps once each.
    assert.deepStrictEqual(seenL, [0, 0, 0, 1, 2, 3, 4]);
    groups.forEach((g, i) => assertApprox(l.lrs![i]!, [0, 1, 2, 3, 4].map((e) => g.lr / (e + 1))));
    const seenM: number[] = [];
    const m = run('MultiplicativeLR', { lr_lambda: fn('f', (e) => (seenM.push(e), 0.5)) }, 4, { groups });
    assert.deepStrictEqual(seenM, [1, 2, 3]);
    groups.forEach((g, i) => assertApprox(m.lrs![i]!, [g.lr, g.lr / 2, g.lr / 4, g.lr / 8]));
  });

  it('a shared callable that raises stops every group at that step; distinct callables are each called', () => {
    const groups = [{ lr: 1 }, { lr: 2 }];
    const shared = run('LambdaLR', { lr_lambda: fn('f', raisesAt(3)) }, 6, { groups });
    assert.strictEqual(shared.error?.type, 'ZeroDivisionError');
    assert.strictEqual(shared.error?.step, 3);
    assert.deepStrictEqual(shared.lrs!.map((a) => Array.from(a)), [[1, 1, 1], [2, 2, 2]]);
    const seen: string[] = [];
    const a = fn('a', (e) => (seen.push(`a${e}`), 1));
    const b = fn('b', (e) => (seen.push(`b${e}`), 0.5));
    run('LambdaLR', { lr_lambda: list(a, b, a) }, 3, { groups: [...groups, { lr: 3 }] });
    // The list's third entry is the first's callable: called for group 0 only after construction.
    assert.deepStrictEqual(seen, ['a0', 'b0', 'a0', 'a1', 'a2', 'b1', 'b2']);
  });

  it('LambdaLR list: one callable per group', () => {
    const res = run('LambdaLR', { lr_lambda: list(fn('a', () => 1), fn('b', half)) }, 3, { groups: [{ lr: 1 }, { lr: 2 }] });
    assert.deepStrictEqual(res.lrs!.map((a) => Array.from(a)), [[1, 1, 1], [2, 1, 0.5]]);
  });
});

interface ErrRow {
  name: string;
  kind: SchedulerKind;
  args: Record<string, Arg>;
  steps: number;
  type: string;
  message: string;
  /** null = construction */
  step: number | null;
  groups?: number;
}

const raisesAt = (e: number) => (x: number) => {
  if (x === e) throw new PyError('ZeroDivisionError', 'division by zero');
  return 1;
};

const ERRORS: ErrRow[] = [
  { name: 'LambdaLR list length', kind: 'LambdaLR', args: { lr_lambda: list(fn('a', half)) }, steps: 3, groups: 2, type: 'ValueError', message: 'Expected 2 lr_lambdas, but got 1', step: null },
  { name: 'LambdaLR non-callable fails in the implicit step', kind: 'LambdaLR', args: { lr_lambda: float(0.5) }, steps: 3, type: 'TypeError', message: "'float' object is not callable", step: null },
  { name: 'LambdaLR λ raising at 0 fails at construction', kind: 'LambdaLR', args: { lr_lambda: fn('f', raisesAt(0)) }, steps: 3, type: 'ZeroDivisionError', message: 'division by zero', step: null },
  { name: 'LambdaLR λ raising at 3 fails producing value 3', kind: 'LambdaLR', args: { lr_lambda: fn('f', raisesAt(3)) }, steps: 6, type: 'ZeroDivisionError', message: 'division by zero', step: 3 },
  { name: 'MultiplicativeLR list length', kind: 'MultiplicativeLR', args: { lr_lambda: list() }, steps: 3, type: 'ValueError', message: 'Expected 1 lr_lambdas, but got 0', step: null },
  { name: 'MultiplicativeLR non-callable fails at the first step()', kind: 'MultiplicativeLR', args: { lr_lambda: float(0.5) }, steps: 3, type: 'TypeError', message: "'float' object is not callable", step: 1 },
  { name: 'StepLR step_size 0', kind: 'StepLR', args: { step_size: int(0) }, steps: 3, type: 'ZeroDivisionError', message: 'integer modulo by zero', step: 1 },
  { name: 'StepLR step_size 0.0', kind: 'StepLR', args: { step_size: float(0.0) }, steps: 3, type: 'ZeroDivisionError', message: 'float modulo', step: 1 },
  { name: 'MultiStepLR milestones not iterable', kind: 'MultiStepLR', args: { milestones: int(30) }, steps: 3, type: 'TypeError', message: "'int' object is not iterable", step: null },
  { name: 'ConstantLR factor > 1', kind: 'ConstantLR', args: { factor: float(1.5) }, steps: 3, type: 'ValueError', message: 'Constant multiplicative factor expected to be between 0 and 1.', step: null },
  { name: 'ConstantLR factor < 0', kind: 'ConstantLR', args: { factor: float(-0.1) }, steps: 3, type: 'ValueError', message: 'Constant multiplicative factor expected to be between 0 and 1.', step: null },
  { name: 'ConstantLR factor not a number', kind: 'ConstantLR', args: { factor: str('x') }, steps: 3, type: 'TypeError', message: "'>' not supported between instances of 'str' and 'float'", step: null },
  { name: 'ConstantLR factor 0 divides by zero at total_iters', kind: 'ConstantLR', args: { factor: float(0), total_iters: int(4) }, steps: 8, type: 'ZeroDivisionError', message: 'float division by zero', step: 4 },
  { name: 'LinearLR start_factor > 1', kind: 'LinearLR', args: { start_factor: float(2.0) }, steps: 3, type: 'ValueError', message: 'Starting multiplicative factor expected to be between 0 and 1.', step: null },
  { name: 'LinearLR end_factor > 1', kind: 'LinearLR', args: { end_factor: float(2.0) }, steps: 3, type: 'ValueError', message: 'Ending multiplicative factor expected to be between 0 and 1.', step: null },
  { name: 'LinearLR start_factor 0.0', kind: 'LinearLR', args: { start_factor: float(0.0) }, steps: 3, type: 'ZeroDivisionError', message: 'float division by zero', step: 1 },
  { name: 'LinearLR start_factor 0, end_factor 1 (ints)', kind: 'LinearLR', args: { start_factor: int(0), end_factor: int(1) }, steps: 3, type: 'ZeroDivisionError', message: 'division by zero', step: 1 },
  { name: 'PolynomialLR power < 0 at e = total_iters', kind: 'PolynomialLR', args: { total_iters: int(4), power: float(-1) }, steps: 8, type: 'ZeroDivisionError', message: '0.0 cannot be raised to a negative power', step: 4 },
  { name: 'CosineAnnealingLR T_max 0', kind: 'CosineAnnealingLR', args: { T_max: int(0) }, steps: 3, type: 'ZeroDivisionError', message: 'integer modulo by zero', step: 1 },
  { name: 'CosineAnnealingLR T_max 0.0', kind: 'CosineAnnealingLR', args: { T_max: float(0) }, steps: 3, type: 'ZeroDivisionError', message: 'float modulo', step: 1 },
  { name: 'CosineAnnealingLR T_max 1/3 at step 2', kind: 'CosineAnnealingLR', args: { T_max: float(1 / 3) }, steps: 5, type: 'ZeroDivisionError', message: 'float division by zero', step: 2 },
  { name: 'CAWR T_0 2.0', kind: 'CosineAnnealingWarmRestarts', args: { T_0: float(2.0) }, steps: 3, type: 'ValueError', message: 'Expected positive integer T_0, but got 2.0', step: null },
  { name: 'CAWR T_0 -1', kind: 'CosineAnnealingWarmRestarts', args: { T_0: int(-1) }, steps: 3, type: 'ValueError', message: 'Expected positive integer T_0, but got -1', step: null },
  { name: 'CAWR T_mult 0', kind: 'CosineAnnealingWarmRestarts', args: { T_0: int(5), T_mult: int(0) }, steps: 3, type: 'ValueError', message: 'Expected integer T_mult >= 1, but got 0', step: null },
  { name: 'CAWR T_mult 1.5', kind: 'CosineAnnealingWarmRestarts', args: { T_0: int(5), T_mult: float(1.5) }, steps: 3, type: 'ValueError', message: 'Expected integer T_mult >= 1, but got 1.5', step: null },
];

describe('engine/simple schedulers: torch errors', () => {
  for (const r of ERRORS) {
    it(`${r.name}: ${r.type}: ${r.message}`, () => {
      const groups = r.groups ? Array.from({ length: r.groups }, () => ({})) : undefined;
      const res = run(r.kind, r.args, r.steps, groups ? { groups } : undefined);
      assert.ok(res.error, 'expected an error');
      assert.strictEqual(res.error.type, r.type);
      assert.strictEqual(res.error.message, r.message);
      assert.strictEqual(res.error.step, r.step);
      assert.strictEqual(res.error.phase, r.step === null ? 'construct' : 'step');
      if (r.step === null) assert.strictEqual(res.lrs, null);
      else assert.strictEqual(res.lrs![0]!.length, r.step);
    });
  }

  it('the not-an-optimizer errors: TypeError for most, AttributeError for LambdaLR', () => {
    const bad = (kind: SchedulerKind, args: Record<string, Arg>) =>
      simulate({ optimizers: [], schedulers: [{ kind, args: { optimizer: str('sgd'), ...args }, optimizer: null }] }, 0, { steps: 3 }).error;
    assert.strictEqual(bad('StepLR', { step_size: int(3) })?.message, 'str is not an Optimizer');
    assert.strictEqual(bad('StepLR', { step_size: int(3) })?.type, 'TypeError');
    assert.strictEqual(bad('LambdaLR', { lr_lambda: fn('f', half) })?.message, "'str' object has no attribute 'param_groups'");
    // argument checks come first
    assert.strictEqual(bad('CosineAnnealingWarmRestarts', { T_0: int(0) })?.message, 'Expected positive integer T_0, but got 0');
  });
});
