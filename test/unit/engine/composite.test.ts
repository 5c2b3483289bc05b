/**
 * SequentialLR and ChainedScheduler (docs/torch-schedulers.md §2.14, §2.15 worked examples) and their errors.
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine';
import type { Arg, SchedulerKind } from '../../../src/engine/types';
import { assertApprox, float, fn, int, list, ProgramBuilder, sched } from './helpers';

type Member = [SchedulerKind, Record<string, Arg>];

/** `members` on one SGD(lr) optimizer, then the composite over all of them. */
function composite(kind: 'SequentialLR' | 'ChainedScheduler', members: Member[], extra: Record<string, Arg> = {}, lr = 1.0, momentum?: number) {
  const b = new ProgramBuilder();
  const o = b.opt('SGD', momentum === undefined ? { lr } : { lr, momentum });
  const idx = members.map(([k, a]) => b.add(k, o, a));
  const target = b.add(kind, kind === 'SequentialLR' ? o : null, { schedulers: list(...idx.map(sched)), ...extra });
  return { program: b.program, target };
}

function seq(members: Member[], milestones: number[], steps: number, lr = 1.0) {
  const { program, target } = composite('SequentialLR', members, { milestones: list(...milestones.map(int)) }, lr);
  return simulate(program, target, { steps });
}

function chain(members: Member[], steps: number) {
  const { program, target } = composite('ChainedScheduler', members);
  return simulate(program, target, { steps });
}

describe('engine/SequentialLR', () => {
  it('LinearLR(0.1→1, 3) then CosineAnnealingLR(4) at 3: 0.1, 0.4, 0.7 | 1.0, 0.853553, 0.5, 0.146447, 0.0, 0.146447', () => {
    const r = seq([['LinearLR', { start_factor: float(0.1), total_iters: int(3) }], ['CosineAnnealingLR', { T_max: int(4) }]], [3], 9);
    assertApprox(r.lrs![0]!, [0.1, 0.4, 0.7, 1.0, 0.853553, 0.5, 0.146447, 0.0, 0.146447]);
    assert.deepStrictEqual(r.markers.filter((m) => m.kind === 'handoff').map((m) => m.step), [3]);
    assert.ok(r.markers.some((m) => m.kind === 'warmup-end' && m.step === 3));
  });

  it('MultiplicativeLR after a milestone continues from the previous lr: 0.5 ×5, 0.45, 0.405', () => {
    const r = seq([['ConstantLR', { factor: float(0.5) }], ['MultiplicativeLR', { lr_lambda: fn('f', () => 0.9) }]], [4], 7);
    assertApprox(r.lrs![0]!, [0.5, 0.5, 0.5, 0.5, 0.5, 0.45, 0.405]);
  });

  it('milestones [0]: member 1 never gets step(0) and recurses from member 0 (0.1, 0.1, 0.05, 0.025)', () => {
    const r = seq([['ConstantLR', { factor: float(0.1) }], ['ExponentialLR', { gamma: float(0.5) }]], [0], 4);
    assertApprox(r.lrs![0]!, [0.1, 0.1, 0.05, 0.025]);
  });

  it('unsorted milestones skip a member ([5, 2]: member 1 never runs)', () => {
    const r = seq([['ConstantLR', { factor: float(0.5), total_iters: int(100) }], ['ExponentialLR', { gamma: float(0.1) }],
      ['StepLR', { step_size: int(100) }]], [5, 2], 8);
    // bisect_right's binary search on [5, 2] gives 0 for e < 2 and 2 from e = 2 on (2 == milestones[1]: step(0) = base).
    assertApprox(r.lrs![0]!, [0.5, 0.5, 1, 1, 1, 1, 1, 1]);
  });

  it('OneCycleLR as a later member overwrote initial_lr: the warm-up runs on max_lr/div_factor', () => {
    const { program, target } = composite('SequentialLR',
      [['LinearLR', { start_factor: float(0.5), total_iters: int(2) }], ['OneCycleLR', { max_lr: float(1.0), total_steps: int(20) }]],
      { milestones: list(int(2)) }, 1.0, 0.9);
    const r = simulate(program, target, { steps: 4 });
    assertApprox(r.lrs![0]!, [0.02, 0.03, 0.04]);
    assert.strictEqual(r.momentum?.label, 'momentum');
  });

  const errors: [string, Member[], Record<string, Arg>, string, string, number | null][] = [
    ['milestone count', [['ConstantLR', {}], ['ExponentialLR', { gamma: float(0.5) }]], { milestones: list() }, 'ValueError',
      'Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 0', null],
    ['a ReduceLROnPlateau member first', [['ReduceLROnPlateau', {}], ['ConstantLR', {}]], { milestones: list(int(3)) }, 'AttributeError',
      "'ReduceLROnPlateau' object has no attribute '_initial_step'", null],
    ['a ReduceLROnPlateau member at its milestone', [['ConstantLR', {}], ['ReduceLROnPlateau', {}]], { milestones: list(int(3)) }, 'AttributeError',
      "'ReduceLROnPlateau' object has no attribute 'get_last_lr'", 3],
    ['a CosineAnnealingWarmUpRestarts member first', [['CosineAnnealingWarmUpRestarts', { T_0: int(5), T_up: int(1) }], ['ConstantLR', {}]], { milestones: list(int(3)) },
      'AttributeError', "'CosineAnnealingWarmUpRestarts' object has no attribute '_last_lr'", null],
  ];
  for (const [name, members, extra, type, message, step] of errors) {
    it(`${name}: ${type}`, () => {
      const { program, target } = composite('SequentialLR', members, extra);
      const r = simulate(program, target, { steps: 8 });
      assert.deepStrictEqual([r.error?.type, r.error?.message, r.error?.step], [type, message, step]);
    });
  }

  it('a member on another optimizer; a ChainedScheduler member (no last_epoch)', () => {
    const b = new ProgramBuilder();
    const o1 = b.opt('SGD', { lr: 1 });
    const o2 = b.opt('SGD', { lr: 1 });
    const s0 = b.add('ConstantLR', o1, {});
    const s1 = b.add('ExponentialLR', o2, { gamma: float(0.5) });
    const bad = b.add('SequentialLR', o1, { schedulers: list(sched(s0), sched(s1)), milestones: list(int(3)) });
    assert.strictEqual(simulate(b.program, bad, { steps: 4 }).error?.message,
      'Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.');
    const s2 = b.add('ExponentialLR', o1, { gamma: float(0.5) });
    const ch = b.add('ChainedScheduler', null, { schedulers: list(sched(s0), sched(s2)) });
    const seqOfChain = b.add('SequentialLR', o1, { schedulers: list(sched(s0), sched(ch)), milestones: list(int(3)) });
    assert.strictEqual(simulate(b.program, seqOfChain, { steps: 4 }).error?.message, "'ChainedScheduler' object has no attribute 'last_epoch'");
  });
});

describe('engine/ChainedScheduler', () => {
  it('ConstantLR(0.1, 2) + ExponentialLR(0.9): 0.1, 0.09, 0.81, 0.729 (the 1.13 docstring is off by one)', () => {
    assertApprox(chain([['ConstantLR', { factor: float(0.1), total_iters: int(2) }], ['ExponentialLR', { gamma: float(0.9) }]], 4).lrs![0]!,
      [0.1, 0.09, 0.81, 0.729]);
  });

  it('an absolute LambdaLR then StepLR(2, 0.5): 1, 0.9, 0.405, 0.729, 0.328, 0.590', () => {
    const r = chain([['LambdaLR', { lr_lambda: fn('f', (e) => Math.pow(0.9, e)) }], ['StepLR', { step_size: int(2), gamma: float(0.5) }]], 6);
    assertApprox(r.lrs![0]!, [1, 0.9, 0.405, 0.729, 0.328, 0.590], 1e-3);
  });

  it('cosine with eta_min is affine, so order matters: 0.621978 one way, 0.732419 the other (step 3)', () => {
    const lin: Member = ['LinearLR', { start_factor: float(0.1), total_iters: int(3) }];
    const cos: Member = ['CosineAnnealingLR', { T_max: int(6), eta_min: float(0.2) }];
    assertApprox([chain([lin, cos], 4).lrs![0]![3]!], [0.621978]);
    assertApprox([chain([cos, lin], 4).lrs![0]![3]!], [0.732419]);
  });

  it('empty list: IndexError; different optimizers; a ReduceLROnPlateau member fails at the first step()', () => {
    assert.strictEqual(chain([], 3).error?.type, 'IndexError');
    const r = chain([['ConstantLR', {}], ['ReduceLROnPlateau', {}]], 3);
    assert.deepStrictEqual([r.error?.message, r.error?.step], ["ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'", 1]);
    const b = new ProgramBuilder();
    const s0 = b.add('ConstantLR', b.opt('SGD', { lr: 1 }), {});
    const s1 = b.add('ConstantLR', b.opt('SGD', { lr: 1 }), {});
    const t = b.add('ChainedScheduler', null, { schedulers: list(sched(s0), sched(s1)) });
    assert.strictEqual(simulate(b.program, t, { steps: 3 }).error?.message,
      'ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different');
  });
});
