/**
 * simulate(): program-order construction on shared state, failures as data, markers,
 * and the fast per-group kernels agreeing bit for bit with plain step() calls.
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine';
import { buildProgram } from '../../../src/engine/build';
import { momentumOf } from '../../../src/engine/schedulers/base';
import { PyError, type Arg, type Program, type SchedulerKind } from '../../../src/engine/types';
import { rng } from '../rng';
import { assertApprox, float, fn, int, list, ProgramBuilder, sched, str } from './helpers';

/**
 * The reference the fast paths must match bit for bit: the target's `step()` called once per value,
 * each group's lr (and momentum/beta1) read after each call, the first exception ending the curve.
 */
function stepByStep(program: Program, target: number, steps: number): { lrs: number[][]; mom: number[][]; error: string | null } {
  const built = buildProgram(program, target);
  const s = built.target;
  if (!s) return { lrs: [], mom: [], error: `construct: ${built.targetFailure?.message}` };
  const beta1 = s.cycledMomentum() === 'beta1';
  const lrs = s.groups.map((g) => [g.lr]);
  const mom = s.groups.map((g) => [momentumOf(g, beta1)]);
  for (let k = 1; k < steps; k++) {
    try {
      s.step();
    } catch (e) {
      return { lrs, mom, error: `step ${k}: ${(e as Error).message}` };
    }
    s.groups.forEach((g, i) => { lrs[i]!.push(g.lr); mom[i]!.push(momentumOf(g, beta1)); });
  }
  return { lrs, mom, error: null };
}

/** simulate() must equal `stepByStep` exactly: same values, same length, same failure step. */
function assertSameAsStepping(program: Program, target: number, steps: number, what: string): void {
  const fast = simulate(program, target, { steps });
  const slow = stepByStep(program, target, steps);
  const fastError = fast.error ? `${fast.error.phase === 'step' ? `step ${fast.error.step}` : 'construct'}: ${fast.error.message}` : null;
  assert.strictEqual(fastError, slow.error, `${what}: failure`);
  if (!fast.lrs) return;
  fast.lrs.forEach((a, g) => assert.deepStrictEqual(Array.from(a), slow.lrs[g], `${what}: lr of group ${g}`));
  if (fast.momentum) fast.momentum.values.forEach((a, g) => assert.deepStrictEqual(Array.from(a), slow.mom[g], `${what}: momentum of group ${g}`));
}

describe('engine/simulate', () => {
  it('constructs every scheduler on the optimizer in program order, steps only the target', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 });
    const exp = b.add('ExponentialLR', o, { gamma: float(0.5) });
    const step = b.add('StepLR', o, { step_size: int(2), gamma: float(0.1) });
    assertApprox(simulate(b.program, exp, { steps: 4 }).lrs![0]!, [1, 0.5, 0.25, 0.125]);
    assertApprox(simulate(b.program, step, { steps: 4 }).lrs![0]!, [1, 1, 0.1, 0.1]);
  });

  it('a later construction still changes lr[0] (ConstantLR after the target)', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 });
    const exp = b.add('ExponentialLR', o, { gamma: float(0.5) });
    b.add('ConstantLR', o, { factor: float(0.5) });
    assertApprox(simulate(b.program, exp, { steps: 3 }).lrs![0]!, [0.5, 0.25, 0.125]);
  });

  it('a scheduler built after OneCycleLR takes base_lrs from the initial_lr OneCycleLR wrote', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1, momentum: 0.9 });
    b.add('OneCycleLR', o, { max_lr: float(1.0), total_steps: int(20) });
    const lin = b.add('LinearLR', o, { start_factor: float(0.5), total_iters: int(2) });
    assertApprox(simulate(b.program, lin, { steps: 3 }).lrs![0]!, [0.02, 0.03, 0.04]);
  });

  it('failing constructions are skipped and reported; other optimizers are left alone; include selects', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 });
    const o2 = b.opt('SGD', { lr: 1 });
    const bad = b.add('ConstantLR', o, { factor: float(2) });
    b.add('ConstantLR', o2, { factor: float(3) });
    b.add('ConstantLR', o, { factor: float(0.5), total_iters: int(100) });
    const t = b.add('ExponentialLR', o, { gamma: float(0.5) });
    const r = simulate(b.program, t, { steps: 2 });
    assert.deepStrictEqual(r.otherFailures.map((f) => [f.index, f.failure.param]), [[bad, 'factor']]);
    assertApprox(r.lrs![0]!, [0.5, 0.25]);
    const only = simulate(b.program, t, { steps: 2, include: [t] });
    assert.deepStrictEqual(only.otherFailures, []);
    assertApprox(only.lrs![0]!, [1, 0.5]);
  });

  it('a composite whose member failed fails with the member\'s error', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 });
    const bad = b.add('LinearLR', o, { start_factor: float(2) });
    const ok = b.add('ExponentialLR', o, { gamma: float(0.5) });
    const t = b.add('SequentialLR', o, { schedulers: list(sched(bad), sched(ok)), milestones: list(int(2)) });
    const r = simulate(b.program, t, { steps: 3 });
    assert.deepStrictEqual([r.error?.message, r.lrs], ['Starting multiplicative factor expected to be between 0 and 1.', null]);
  });

  it('a failing step truncates every group (and the momentum) to the values before it', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 0.1, momentum: 0.9 }, [{}, {}]);
    const t = b.add('OneCycleLR', o, { max_lr: float(0.1), total_steps: int(4) });
    const r = simulate(b.program, t, { steps: 10 });
    assert.deepStrictEqual([r.error?.step, r.lrs!.map((a) => a.length), r.momentum!.values.map((a) => a.length)], [5, [5, 5], [5, 5]]);
  });

  it('the earliest failing group wins (λ of group 1 raises first)', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 }, [{}, {}]);
    const raise = (at: number, msg: string) => fn('f', (e) => {
      if (e === at) throw new PyError('ValueError', msg);
      return 1;
    });
    const t = b.add('LambdaLR', o, { lr_lambda: list(raise(5, 'group 0'), raise(3, 'group 1')) });
    const r = simulate(b.program, t, { steps: 10 });
    assert.deepStrictEqual([r.error?.message, r.error?.step, r.lrs!.map((a) => a.length)], ['group 1', 3, [3, 3]]);
  });

  it('never throws on malformed programs', () => {
    const programs: [Program, number][] = [
      [{ optimizers: [], schedulers: [] }, 0],
      [{ optimizers: [], schedulers: [{ kind: 'StepLR', args: { step_size: int(2) }, optimizer: 3 }] }, 0],
      [{ optimizers: [], schedulers: [{ kind: 'ChainedScheduler', args: { schedulers: list(sched(0)) }, optimizer: null }] }, 0],
      [{ optimizers: [], schedulers: [{ kind: 'SequentialLR', args: { schedulers: str('x'), milestones: int(1) }, optimizer: null }] }, 0],
      [{ optimizers: [], schedulers: [{ kind: 'StepLR', args: JSON.parse('{"__proto__": {"kind": "int", "value": 1}}') as Record<string, Arg>, optimizer: null }] }, 0],
    ];
    for (const [p, t] of programs) {
      const r = simulate(p, t, { steps: 5 });
      assert.ok(r.error, 'an error is reported');
      assert.strictEqual(r.lrs, null);
    }
    const b = new ProgramBuilder();
    const t = b.add('StepLR', b.opt('SGD', { lr: 1 }), { step_size: int(2) });
    for (const steps of [0, -5, NaN, 1]) assert.strictEqual(simulate(b.program, t, { steps }).lrs![0]!.length, 1);
  });

  it('markers from the arguments', () => {
    const m = (kind: SchedulerKind, args: Record<string, Arg>, steps: number) => {
      const b = new ProgramBuilder();
      const t = b.add(kind, b.opt('SGD', { lr: 1, momentum: 0.9 }), args);
      return simulate(b.program, t, { steps }).markers.map((x) => `${x.kind}@${x.step}`);
    };
    assert.deepStrictEqual(m('LinearLR', { total_iters: int(5) }, 20), ['warmup-end@5']);
    assert.deepStrictEqual(m('StepLR', { step_size: int(30) }, 91), ['milestone@30', 'milestone@60', 'milestone@90']);
    assert.deepStrictEqual(m('MultiStepLR', { milestones: list(int(80), int(30), int(500)) }, 100), ['milestone@30', 'milestone@80']);
    assert.deepStrictEqual(m('CosineAnnealingWarmRestarts', { T_0: int(10), T_mult: int(2) }, 100), ['restart@10', 'restart@30', 'restart@70']);
    assert.deepStrictEqual(m('OneCycleLR', { max_lr: float(1), total_steps: int(100) }, 100), ['peak@29', 'phase@99']);
    assert.deepStrictEqual(m('CosineAnnealingLR', { T_max: int(10) }, 25), ['phase@10', 'phase@20']);
  });
});

/** Schedulers with arguments that exercise their branches. */
const KERNEL_CASES: [SchedulerKind, Record<string, Arg>, { lr?: number; momentum?: number }?][] = [
  ['LambdaLR', { lr_lambda: fn('f', (e) => 1 / (1 + e)) }],
  ['MultiplicativeLR', { lr_lambda: fn('f', (e) => (e % 3 === 0 ? 0.5 : 1.01)) }],
  ['StepLR', { step_size: int(7), gamma: float(0.3) }],
  ['StepLR', { step_size: float(2.5), gamma: float(0.3) }],
  ['StepLR', { step_size: int(-4), gamma: float(0.3) }],
  ['MultiStepLR', { milestones: list(int(3), int(3), int(40), float(50.5), int(0)), gamma: float(0.7) }],
  ['ConstantLR', { factor: float(0.3), total_iters: int(13) }],
  ['LinearLR', { start_factor: float(0.01), total_iters: int(60) }],
  ['LinearLR', { start_factor: float(1.0), end_factor: float(0), total_iters: int(77) }],
  ['ExponentialLR', { gamma: float(0.97) }],
  ['PolynomialLR', { total_iters: int(90), power: float(0.9) }],
  ['CosineAnnealingLR', { T_max: int(17), eta_min: float(0.01) }],
  ['CosineAnnealingLR', { T_max: float(17.5), eta_min: float(0.01) }],
  ['CosineAnnealingWarmRestarts', { T_0: int(5), T_mult: int(3), eta_min: float(0.001) }],
  ['CyclicLR', { base_lr: float(0.01), max_lr: float(0.1), step_size_up: int(7), step_size_down: int(11), mode: str('triangular2') }, { lr: 0.1, momentum: 0.9 }],
  ['CyclicLR', { base_lr: float(0.01), max_lr: float(0.1), step_size_up: float(4.5), mode: str('exp_range'), gamma: float(0.99) }, { lr: 0.1, momentum: 0.9 }],
  ['OneCycleLR', { max_lr: float(0.1), total_steps: int(150), three_phase: { kind: 'bool', value: true }, pct_start: float(0.6) }, { lr: 0.1, momentum: 0.9 }],
  ['OneCycleLR', { max_lr: float(0.1), total_steps: int(150), anneal_strategy: str('linear') }, { lr: 0.1, momentum: 0.9 }],
  ['CosineAnnealingWarmUpRestarts', { T_0: int(20), T_mult: int(2), T_up: int(4), eta_max: float(0.5), gamma: float(0.8) }],
  ['WarmupConstantSchedule', { warmup_steps: int(33) }],
];

describe('engine/kernels agree with step-by-step stepping', () => {
  for (const [kind, args, kw] of KERNEL_CASES) {
    it(`${kind} ${JSON.stringify(args, (_k, v) => (typeof v === 'function' ? 'fn' : v))}`, () => {
      const b = new ProgramBuilder();
      const o = b.opt('SGD', kw ?? { lr: 0.1 }, [{}, { lr: 0.05 }]);
      const s = b.add(kind, o, args);
      assertSameAsStepping(b.program, s, 160, kind);
    });
  }
});

describe('engine/ChainedScheduler stretches (one acting member runs its own loop) agree with stepping', () => {
  // Members that are quiet on most steps, members that act on every step, and odd ones.
  const MEMBERS: [SchedulerKind, Record<string, Arg>][] = [
    ['ConstantLR', { factor: float(0.5), total_iters: int(7) }],
    ['ConstantLR', { factor: float(0.25), total_iters: float(6.5) }],
    ['LinearLR', { start_factor: float(0.1), total_iters: int(9) }],
    ['LinearLR', { start_factor: float(0.5), end_factor: float(0.5), total_iters: int(4) }],
    ['StepLR', { step_size: int(5), gamma: float(0.5) }],
    ['StepLR', { step_size: int(0), gamma: float(0.5) }],
    ['MultiStepLR', { milestones: list(int(3), int(3), int(11), float(12.5)), gamma: float(0.3) }],
    ['PolynomialLR', { total_iters: int(13), power: float(2) }],
    ['ExponentialLR', { gamma: float(0.97) }],
    ['CosineAnnealingLR', { T_max: int(17), eta_min: float(0.001) }],
    ['MultiplicativeLR', { lr_lambda: fn('f', (e) => 1 - e / 1000) }],
    ['LambdaLR', { lr_lambda: fn('f', (e) => 1 / (e + 1)) }],
    ['CosineAnnealingWarmRestarts', { T_0: int(6) }],
    // These raise at some step (or take torch's odd branches): the chain must fail where torch fails.
    ['ConstantLR', { factor: int(0), total_iters: int(9) }],
    ['LinearLR', { start_factor: int(0), end_factor: int(0), total_iters: int(5) }],
    ['PolynomialLR', { total_iters: int(8), power: float(-1) }],
    ['CosineAnnealingLR', { T_max: int(0) }],
    ['CosineAnnealingLR', { T_max: float(7.5) }],
  ];
  const next = rng(20261125);
  for (let t = 0; t < 80; t++) {
    const count = 1 + Math.floor(next() * 3);
    const picks = Array.from({ length: count }, () => MEMBERS[Math.floor(next() * MEMBERS.length)]!);
    const twice = count > 1 && next() < 0.15; // one object listed twice steps twice per call
    it(`#${t}: ${picks.map(([k]) => k).join(' + ')}${twice ? ' (first listed twice)' : ''}`, () => {
      const b = new ProgramBuilder();
      const o = b.opt('SGD', { lr: 0.1 }, [{}, { lr: 0.02 }]);
      const ids = picks.map(([kind, args]) => b.add(kind, o, args));
      if (twice) ids.push(ids[0]!);
      const c = b.add('ChainedScheduler', null, { schedulers: list(...ids.map(sched)) });
      assertSameAsStepping(b.program, c, 120, `chain #${t}`);
    });
  }
});

describe('engine/ChainedScheduler interleaving CosineAnnealingLR', () => {
  it('takes the restart branch exactly where torch does (T_max 1…80 and negative ones, several periods)', () => {
    for (const T of [...Array.from({ length: 80 }, (_, i) => i + 1), -1, -7, -30]) {
      const b = new ProgramBuilder();
      const o = b.opt('SGD', { lr: 0.1 }, [{ lr: 0.3 }]);
      const cos = b.add('CosineAnnealingLR', o, { T_max: int(T), eta_min: float(0.001) });
      const exp = b.add('ExponentialLR', o, { gamma: float(0.999) });
      const c = b.add('ChainedScheduler', null, { schedulers: list(sched(cos), sched(exp)) });
      assertSameAsStepping(b.program, c, 4 * Math.abs(T) + 3, `T_max ${T}`);
    }
  });
});

describe('engine/bit-exact recursions (same + − × ÷ order as torch, §3.3)', () => {
  const N = 10_001;
  const exact = (kind: SchedulerKind, args: Record<string, Arg>, expected: (k: number, prev: number) => number, lr = 0.1, momentum?: number) => {
    const b = new ProgramBuilder();
    const t = b.add(kind, b.opt('SGD', momentum === undefined ? { lr } : { lr, momentum }), args);
    const got = simulate(b.program, t, { steps: N }).lrs![0]!;
    let prev = NaN;
    for (let k = 0; k < N; k++) {
      const want = expected(k, prev);
      if (got[k] !== want) assert.fail(`${kind}[${k}] = ${got[k]}, expected exactly ${want}`);
      prev = want;
    }
  };

  it('ExponentialLR', () => exact('ExponentialLR', { gamma: float(0.999) }, (k, p) => (k === 0 ? 0.1 : p * 0.999)));
  it('StepLR', () => exact('StepLR', { step_size: int(10), gamma: float(0.99) }, (k, p) => (k === 0 ? 0.1 : k % 10 === 0 ? p * 0.99 : p)));
  it('LinearLR warm-up', () => exact('LinearLR', { start_factor: float(1 / 3), total_iters: int(N - 1) },
    (k, p) => (k === 0 ? 0.1 * (1 / 3) : p * (1 + (1 - 1 / 3) / ((N - 1) * (1 / 3) + (k - 1) * (1 - 1 / 3))))));
  it('LinearLR decay', () => exact('LinearLR', { start_factor: float(1), end_factor: float(0.01), total_iters: int(N - 1) },
    (k, p) => (k === 0 ? 0.1 : p * (1 + (0.01 - 1) / ((N - 1) * 1 + (k - 1) * (0.01 - 1))))));
  it('PolynomialLR power 1', () => exact('PolynomialLR', { total_iters: int(N - 1), power: float(1) },
    (k, p) => (k === 0 ? 0.1 : p * Math.pow((1 - k / (N - 1)) / (1 - (k - 1) / (N - 1)), 1))));
  it('CyclicLR', () => exact('CyclicLR', { base_lr: float(0.1), max_lr: float(1), step_size_up: int(300), step_size_down: int(700) }, (k) => {
    const cycle = Math.floor(1 + k / 1000);
    const x = 1 + k / 1000 - cycle;
    const s = x <= 0.3 ? x / 0.3 : (x - 1) / (0.3 - 1);
    return 0.1 + (1 - 0.1) * s * 1;
  }, 0.5, 0.9));
});

describe('engine/simulate robustness', () => {
  it('an unknown kind is reported, not thrown', () => {
    const r = simulate({ optimizers: [], schedulers: [{ kind: 'NoSuchLR' as SchedulerKind, args: {}, optimizer: null }] }, 0, { steps: 3 });
    assert.deepStrictEqual([r.error?.type, r.lrs], ['NotImplementedError', null]);
  });
});
