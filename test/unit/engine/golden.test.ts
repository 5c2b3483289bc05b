/**
 * Every case of the golden traces (test/golden/traces.json, real torch 1.13), each snippet
 * transcribed by hand into a Program (lambdas as closures mirroring the Python).
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine';
import type { Program } from '../../../src/engine/types';
import { goldenTraces } from '../../golden';
import { assertSeries, float, fn, int, list, none, ProgramBuilder, sched, str, bool } from './helpers';

type Case = () => { program: Program; target: number };

/** `optimizer = <type>(params, **kwargs)` then `scheduler = <kind>(optimizer, **args)`. */
function one(optType: string, kwargs: Parameters<ProgramBuilder['opt']>[1], groups: Parameters<ProgramBuilder['opt']>[2],
  kind: Parameters<ProgramBuilder['add']>[0], args: Parameters<ProgramBuilder['add']>[2]): Case {
  return () => {
    const b = new ProgramBuilder();
    const o = b.opt(optType, kwargs, groups);
    return { program: b.program, target: b.add(kind, o, args) };
  };
}

const SGD = (lr: number, momentum?: number) => (momentum === undefined ? { lr } : { lr, momentum });
const CAWUR = 'CosineAnnealingWarmUpRestarts' as const;

const CASES: Record<string, Case> = {
  blog_lambdalr_pow: one('SGD', SGD(0.1), null, 'LambdaLR', { lr_lambda: fn('<lambda>', (epoch) => Math.pow(0.95, epoch)) }),
  blog_lambdalr_func: one('SGD', SGD(0.1, 0.9), null, 'LambdaLR', {
    lr_lambda: fn('func', (epoch) => (epoch < 40 ? 0.5 : epoch < 70 ? Math.pow(0.5, 2) : epoch < 90 ? Math.pow(0.5, 3) : Math.pow(0.5, 4))),
  }),
  blog_warmup_constant: one('SGD', SGD(0.05, 0.9), null, 'WarmupConstantSchedule', { warmup_steps: int(10) }),
  blog_steplr: one('SGD', SGD(0.1, 0.9), null, 'StepLR', { step_size: int(200), gamma: float(0.5) }),
  blog_multisteplr: one('SGD', SGD(0.1, 0.9), null, 'MultiStepLR', { milestones: list(int(200), int(350)), gamma: float(0.5) }),
  blog_exponentiallr: one('SGD', SGD(0.1), null, 'ExponentialLR', { gamma: float(0.95) }),
  blog_cosineannealinglr: one('SGD', SGD(0.1, 0.9), null, 'CosineAnnealingLR', { T_max: int(100), eta_min: float(0.001) }),
  blog_cycliclr_triangular: one('SGD', SGD(0.1, 0.9), null, 'CyclicLR', {
    base_lr: float(0.001), max_lr: float(0.1), step_size_up: int(50), step_size_down: int(100), mode: str('triangular'),
  }),
  blog_cycliclr_triangular2: one('SGD', SGD(0.1, 0.9), null, 'CyclicLR', {
    base_lr: float(0.001), max_lr: float(0.1), step_size_up: int(50), step_size_down: none, mode: str('triangular2'),
  }),
  blog_cycliclr_exp_range: one('SGD', SGD(0.1, 0.9), null, 'CyclicLR', {
    base_lr: float(0.001), max_lr: float(0.1), step_size_up: int(50), step_size_down: none, mode: str('exp_range'), gamma: float(0.995),
  }),
  blog_cosine_warm_restarts: one('SGD', SGD(0.1, 0.9), null, 'CosineAnnealingWarmRestarts', { T_0: int(50), T_mult: int(2), eta_min: float(0.001) }),
  blog_custom_t150: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(150), T_mult: int(1), eta_max: float(0.1), T_up: int(10), gamma: float(0.5) }),
  blog_custom_t50_mult2: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(50), T_mult: int(2), eta_max: float(0.1), T_up: int(10), gamma: float(0.5) }),
  blog_custom_t100: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(100), T_mult: int(1), eta_max: float(0.1), T_up: int(10), gamma: float(0.5) }),
  custom_nonzero_base_lr: one('Adam', { lr: 1e-5 }, null, CAWUR, { T_0: int(100), T_mult: int(1), eta_max: float(1e-3), T_up: int(5), gamma: float(0.8) }),
  custom_no_warmup: one('SGD', SGD(0.0, 0.9), null, CAWUR, { T_0: int(60), eta_max: float(0.05), T_up: int(0), gamma: float(1.0) }),
  custom_mult2_gamma1: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(40), T_mult: int(2), eta_max: float(3e-4), T_up: int(5), gamma: float(1.0) }),
  custom_mult3: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(30), T_mult: int(3), eta_max: float(0.01), T_up: int(3), gamma: float(0.7) }),
  custom_constants_two_groups: one('SGD', SGD(1e-5, 0.9), [{ lr: 0.0 }, {}], CAWUR, {
    T_0: int(Math.floor(300 / 3)), T_mult: int(1), eta_max: float(1e-4 * 10), T_up: int(10), gamma: float(0.5),
  }),
  custom_err_t0_zero: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(0), T_mult: int(1), eta_max: float(0.1), T_up: int(10), gamma: float(0.5) }),
  custom_err_tmult_half: one('Adam', { lr: 0 }, null, CAWUR, { T_0: int(50), T_mult: float(0.5), eta_max: float(0.1), T_up: int(10), gamma: float(0.5) }),
  warmup_constant_adam: one('Adam', { lr: 5e-4 }, null, 'WarmupConstantSchedule', { warmup_steps: int(50) }),
  warmup_constant_two_groups: one('SGD', SGD(0.1, 0.9), [{ lr: 0.01 }, {}], 'WarmupConstantSchedule', { warmup_steps: int(20) }),
  lambda_warmup_min: one('AdamW', { lr: 3e-4 }, null, 'LambdaLR', { lr_lambda: fn('<lambda>', (step) => Math.min(1.0, (step + 1) / 10)) }),
  lambda_def_warmup_cosine: one('SGD', SGD(0.05, 0.9), null, 'LambdaLR', {
    lr_lambda: fn('warmup_cosine', (epoch) => {
      if (epoch < 10) return (epoch + 1) / 10;
      const progress = (epoch - 10) / Math.max(1, 200 - 10);
      return 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }),
  }),
  lambda_poly_decay: one('SGD', SGD(0.01, 0.9), null, 'LambdaLR', { lr_lambda: fn('<lambda>', (epoch) => Math.pow(1 - epoch / 150, 0.9)) }),
  lambda_list_two_groups: one('SGD', SGD(0.05), [{}, { lr: 0.01 }], 'LambdaLR', {
    lr_lambda: list(fn('lambda1', (epoch) => Math.floor(epoch / 30)), fn('lambda2', (epoch) => Math.pow(0.95, epoch))),
  }),
  lambda_conditional_expr: one('Adam', { lr: 2e-3 }, null, 'LambdaLR', { lr_lambda: fn('<lambda>', (e) => (e < 50 ? 1.0 : e < 80 ? 0.1 : 0.01)) }),
  lambda_max_linear: one('SGD', SGD(0.2), null, 'LambdaLR', { lr_lambda: fn('<lambda>', (e) => Math.max(0.05, 1 - e / 100)) }),
  lambda_def_if_elif: one('SGD', SGD(0.1, 0.9), null, 'LambdaLR', {
    lr_lambda: fn('schedule', (epoch) => (epoch < 5 ? 0.2 * (epoch + 1) : epoch < 60 ? 1.0 : epoch < 90 ? 0.1 : 0.01)),
  }),
  lambda_linear_warmup_decay: one('AdamW', { lr: 5e-5 }, null, 'LambdaLR', {
    lr_lambda: fn('lr_lambda', (s) => (s < 100 ? s / Math.max(1, 100) : Math.max(0.0, (1000 - s) / Math.max(1, 1000 - 100)))),
    last_epoch: int(-1),
  }),
  multiplicative_const: one('SGD', SGD(0.1), null, 'MultiplicativeLR', { lr_lambda: fn('lmbda', () => 0.95) }),
  multiplicative_conditional: one('Adam', { lr: 1e-3 }, null, 'MultiplicativeLR', { lr_lambda: fn('<lambda>', (epoch) => (epoch % 30 === 0 ? 0.5 : 1.0)) }),
  multiplicative_list_two_groups: one('SGD', { momentum: 0.9 }, [{ lr: 0.01 }, { lr: 0.1 }], 'MultiplicativeLR', {
    lr_lambda: list(fn('<lambda>', () => 0.9), fn('<lambda>', () => 0.99)),
  }),
  steplr_positional_imagenet: one('SGD', SGD(0.1, 0.9), null, 'StepLR', { step_size: int(30), gamma: float(0.1) }),
  steplr_transfer_tutorial: one('SGD', SGD(0.001, 0.9), null, 'StepLR', { step_size: int(7) }),
  steplr_fq_two_groups: one('SGD', SGD(0.1), [{}, { lr: 0.01 }], 'StepLR', { step_size: int(Math.floor(120 / 4)), gamma: float(0.5) }),
  steplr_hparams_dict: one('SGD', SGD(0.1, 0.9), null, 'StepLR', { step_size: int(25), gamma: float(0.5) }),
  multistep_constants_cfg: one('SGD', SGD(0.1, 0.9), null, 'MultiStepLR', { milestones: list(int(Math.trunc(200 * 0.5)), int(Math.trunc(200 * 0.75))), gamma: float(0.1) }),
  multistep_positional: one('SGD', SGD(0.05), null, 'MultiStepLR', { milestones: list(int(30), int(80)), gamma: float(0.1) }),
  multistep_adam_three: one('Adam', { lr: 1e-3, betas: [0.9, 0.999] }, null, 'MultiStepLR', { milestones: list(int(50), int(100), int(150)), gamma: float(0.5) }),
  constantlr_defaults: one('SGD', SGD(0.05), null, 'ConstantLR', {}),
  constantlr_factor_half: one('SGD', SGD(0.05, 0.9), null, 'ConstantLR', { factor: float(0.5), total_iters: int(4) }),
  constantlr_err_factor: one('SGD', SGD(0.05), null, 'ConstantLR', { factor: float(1.5), total_iters: int(4) }),
  linearlr_warmup: one('SGD', SGD(0.1, 0.9), null, 'LinearLR', { start_factor: float(0.1), total_iters: int(10) }),
  linearlr_decay_constants: one('Adam', { lr: 1e-3 }, null, 'LinearLR', { start_factor: float(1.0), end_factor: float(0.01), total_iters: int(100) }),
  linearlr_defaults: one('SGD', SGD(0.05), null, 'LinearLR', {}),
  linearlr_err_start_gt1: one('SGD', SGD(0.05), null, 'LinearLR', { start_factor: float(2.0), end_factor: float(1.0), total_iters: int(10) }),
  explr_positional: one('SGD', SGD(0.01, 0.9), null, 'ExponentialLR', { gamma: float(0.9) }),
  explr_cfg_two_groups: one('SGD', SGD(0.01), [{ lr: 0.01 * 0.1 }, {}], 'ExponentialLR', { gamma: float(0.98) }),
  explr_adam_constant: one('Adam', { lr: 1e-3 }, null, 'ExponentialLR', { gamma: float(0.96) }),
  polylr_defaults: one('SGD', SGD(0.001), null, 'PolynomialLR', {}),
  polylr_power2: one('SGD', SGD(0.1), null, 'PolynomialLR', { total_iters: int(100), power: float(2.0) }),
  polylr_power09_constants: one('SGD', SGD(0.01, 0.9), null, 'PolynomialLR', { total_iters: int(300), power: float(0.9) }),
  cosine_tmax_epochs: one('SGD', SGD(0.1, 0.9), null, 'CosineAnnealingLR', { T_max: int(200) }),
  cosine_beyond_tmax: one('Adam', { lr: 1e-3 }, null, 'CosineAnnealingLR', { T_max: int(50), eta_min: float(1e-5) }),
  cosine_two_groups: one('SGD', SGD(0.1, 0.9), [{ lr: 0.01 }, {}], 'CosineAnnealingLR', { T_max: int(100), eta_min: float(1e-4) }),
  cosine_fq_eta_min_expr: one('AdamW', { lr: 3e-4 }, null, 'CosineAnnealingLR', { T_max: int(250 - 5), eta_min: float(3e-4 * 0.01) }),
  chained_constant_exp: () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', SGD(0.05));
    const s1 = b.add('ConstantLR', o, { factor: float(0.1), total_iters: int(2) });
    const s2 = b.add('ExponentialLR', o, { gamma: float(0.9) });
    return { program: b.program, target: b.add('ChainedScheduler', null, { schedulers: list(sched(s1), sched(s2)) }) };
  },
  chained_linear_step: () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', SGD(0.1, 0.9));
    const w = b.add('LinearLR', o, { start_factor: float(0.25), total_iters: int(8) });
    const d = b.add('StepLR', o, { step_size: int(30), gamma: float(0.5) });
    return { program: b.program, target: b.add('ChainedScheduler', null, { schedulers: list(sched(w), sched(d)) }) };
  },
  sequential_linear_cosine: () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', SGD(0.1, 0.9));
    const w = b.add('LinearLR', o, { start_factor: float(0.01), total_iters: int(5) });
    const c = b.add('CosineAnnealingLR', o, { T_max: int(100 - 5), eta_min: float(1e-6) });
    return { program: b.program, target: b.add('SequentialLR', o, { schedulers: list(sched(w), sched(c)), milestones: list(int(5)) }) };
  },
  sequential_constant_exp: () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', SGD(1.0));
    const s1 = b.add('ConstantLR', o, { factor: float(0.1), total_iters: int(2) });
    const s2 = b.add('ExponentialLR', o, { gamma: float(0.9) });
    return { program: b.program, target: b.add('SequentialLR', o, { schedulers: list(sched(s1), sched(s2)), milestones: list(int(2)) }) };
  },
  sequential_three_phase: () => {
    const b = new ProgramBuilder();
    const o = b.opt('AdamW', { lr: 1e-3 });
    const w = b.add('LinearLR', o, { start_factor: float(0.1), total_iters: int(10) });
    const h = b.add('LambdaLR', o, { lr_lambda: fn('<lambda>', () => 1.0) });
    const d = b.add('CosineAnnealingLR', o, { T_max: int(150 - 10 - 30) });
    return { program: b.program, target: b.add('SequentialLR', o, { schedulers: list(sched(w), sched(h), sched(d)), milestones: list(int(10), int(40)) }) };
  },
  sequential_linear_multistep: () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', SGD(0.2, 0.9));
    const w = b.add('LinearLR', o, { start_factor: float(0.05), total_iters: int(5) });
    const m = b.add('MultiStepLR', o, { milestones: list(int(60), int(90)), gamma: float(0.1) });
    return { program: b.program, target: b.add('SequentialLR', o, { schedulers: list(sched(w), sched(m)), milestones: list(int(5)) }) };
  },
  cyclic_default_down: one('SGD', SGD(0.1, 0.9), null, 'CyclicLR', { base_lr: float(1e-4), max_lr: float(1e-2), step_size_up: int(20) }),
  cyclic_adam_no_momentum: one('Adam', { lr: 1e-3 }, null, 'CyclicLR', {
    base_lr: float(1e-4), max_lr: float(1e-3), step_size_up: int(25), step_size_down: int(15), mode: str('triangular2'), cycle_momentum: bool(false),
  }),
  cyclic_two_groups_exp_range: one('SGD', SGD(0.01, 0.9), [{}, {}], 'CyclicLR', {
    base_lr: list(float(1e-4), float(1e-3)), max_lr: list(float(1e-3), float(1e-2)), step_size_up: int(40), mode: str('exp_range'), gamma: float(0.99),
  }),
  cyclic_err_adam_default_momentum: one('Adam', { lr: 1e-3 }, null, 'CyclicLR', { base_lr: float(1e-4), max_lr: float(1e-3), step_size_up: int(100) }),
  onecycle_total_steps_cos: one('SGD', SGD(0.1, 0.9), null, 'OneCycleLR', { max_lr: float(0.1), total_steps: int(200) }),
  onecycle_epochs_linear_adam: one('Adam', { lr: 1e-3 }, null, 'OneCycleLR', {
    max_lr: float(1e-2), epochs: int(10), steps_per_epoch: int(50), anneal_strategy: str('linear'),
  }),
  onecycle_three_phase: one('SGD', SGD(0.01, 0.9), null, 'OneCycleLR', {
    max_lr: float(0.5), total_steps: int(300), pct_start: float(0.25), div_factor: int(10), final_div_factor: int(100), three_phase: bool(true),
  }),
  onecycle_two_groups_no_momentum: one('SGD', SGD(0.01), [{}, {}], 'OneCycleLR', {
    max_lr: list(float(0.01), float(0.1)), total_steps: int(120), cycle_momentum: bool(false),
  }),
  onecycle_adamw_betas: one('AdamW', { lr: 3e-3 / 25 }, null, 'OneCycleLR', { max_lr: float(3e-3), total_steps: int(8 * 40), pct_start: float(0.2) }),
  onecycle_err_overstep: one('SGD', SGD(0.1, 0.9), null, 'OneCycleLR', { max_lr: float(0.1), total_steps: int(100) }),
  cawr_tmult1: one('SGD', SGD(0.05, 0.9), null, 'CosineAnnealingWarmRestarts', { T_0: int(10), eta_min: float(1e-5) }),
  cawr_tmult2_constants: one('AdamW', { lr: 1e-3 }, null, 'CosineAnnealingWarmRestarts', { T_0: int(Math.floor(300 / 15)), T_mult: int(2) }),
  cawr_positional_two_groups: one('SGD', SGD(0.1), [{}, { lr: 0.01 }], 'CosineAnnealingWarmRestarts', { T_0: int(25), T_mult: int(1), eta_min: float(1e-4) }),
};

describe('engine golden traces (torch 1.13)', () => {
  const cases = goldenTraces().cases;

  it('transcribes at least 40 cases, covering every kind and every error case', () => {
    const covered = cases.filter((c) => Object.prototype.hasOwnProperty.call(CASES, c.id));
    assert.ok(covered.length >= 40, `${covered.length} cases transcribed`);
    for (const kind of new Set(cases.map((c) => c.kind))) assert.ok(covered.some((c) => c.kind === kind), `kind ${kind} not covered`);
    for (const c of cases.filter((x) => x.error)) assert.ok(covered.includes(c), `error case ${c.id} not covered`);
  });

  for (const c of cases) {
    const build = Object.prototype.hasOwnProperty.call(CASES, c.id) ? CASES[c.id] : undefined;
    if (!build) continue;
    it(`${c.id} (${c.kind}, ${c.steps} values)`, () => {
      const { program, target } = build();
      const r = simulate(program, target, { steps: c.steps });
      if (c.error) {
        assert.ok(r.error, 'expected a torch error');
        assert.deepStrictEqual(
          { type: r.error.type, message: r.error.message, phase: r.error.phase, step: r.error.step },
          { type: c.error.type, message: c.error.message, phase: c.error.phase, step: c.error.step },
        );
      } else {
        assert.strictEqual(r.error, null, r.error ? `${r.error.type}: ${r.error.message}` : '');
      }
      if (c.lrs === null) {
        assert.strictEqual(r.lrs, null);
        return;
      }
      assert.ok(r.lrs, 'lrs missing');
      assert.strictEqual(r.lrs.length, c.lrs.length, 'group count');
      c.lrs.forEach((expected, g) => assertSeries(r.lrs![g]!, expected, `group ${g} lr`));
    });
  }
});
