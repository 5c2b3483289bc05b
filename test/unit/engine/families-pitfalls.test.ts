/**
 * The easy-to-get-wrong behaviours of the other families (golden README), each checked against
 * values computed here from the library's formula, plus their argument checks and binding texts.
 */
import * as assert from 'assert';
import { makeOptimizer, type GroupKwargs, type OptimizerKwargs } from '../../../src/engine';
import {
  bindFamilyCall, FAMILY_SIGNATURES, makeSchedule, resolveTimmFactory, simulateFamily, type FamilyKind, type FamilySimulation, type TimmGroupInit,
} from '../../../src/engine/families';
import type { Arg } from '../../../src/engine/types';
import { close, float, int, list, none, str } from './helpers';

const dict = (entries: [string, Arg][]): Arg => ({ kind: 'dict', entries });
const optRef = (index: number): Arg => ({ kind: 'optimizer', index });

/** One construction on a fresh optimizer (AdamW lr 1e-3 unless said otherwise). */
function curve(kind: FamilyKind, args: Record<string, Arg>, steps: number,
  opt: { type?: string; kwargs?: OptimizerKwargs; groups?: (GroupKwargs & { lr_scale?: number })[] } = {}): FamilySimulation {
  const { optimizer } = makeOptimizer(opt.type ?? 'AdamW', opt.kwargs ?? { lr: 1e-3 }, opt.groups ?? null);
  opt.groups?.forEach((g, i) => { if (g.lr_scale !== undefined) (optimizer.groups[i] as TimmGroupInit).lr_scale = g.lr_scale; });
  const stepped = FAMILY_SIGNATURES[kind].stepping !== 'call';
  return simulateFamily({ kind, args: stepped ? { optimizer: optRef(0), ...args } : args, optimizer: stepped ? 0 : null }, [optimizer], { steps });
}

function values(r: FamilySimulation, g = 0): Float64Array {
  assert.strictEqual(r.error, null, r.error ? `${r.error.type}: ${r.error.message}` : '');
  return r.lrs![g]!;
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(close(actual, expected), `${what}: ${actual}, expected ${expected}`);
}

function failure(r: FamilySimulation): [string, string] {
  assert.ok(r.error, 'expected a failure');
  return [r.error.type, r.error.message];
}

describe('families: transformers', () => {
  it('warms up from lr 0 and, past num_training_steps, the cosine climbs back while linear stays at 0', () => {
    const cos = values(curve('transformers.get_cosine_schedule_with_warmup', { num_warmup_steps: int(10), num_training_steps: int(110) }, 160));
    assert.strictEqual(cos[0], 0);
    near(cos[5]!, 1e-3 * 0.5, 'half-way through the warm-up');
    near(cos[110]!, 0, 'end of training');
    near(cos[150]!, 1e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * (140 / 100))), 'past the end');
    assert.ok(cos[150]! > 1e-4);
    const lin = values(curve('transformers.get_linear_schedule_with_warmup', { num_warmup_steps: int(10), num_training_steps: int(110) }, 160));
    assert.strictEqual(lin[150], 0);
  });

  it('polynomial decay reads optimizer.defaults["lr"], so a group with its own lr does not end at lr_end', () => {
    const r = curve('transformers.get_polynomial_decay_schedule_with_warmup',
      { num_warmup_steps: int(0), num_training_steps: int(100), lr_end: float(1e-5) }, 120,
      { kwargs: { lr: 1e-4 }, groups: [{}, { lr: 1e-3 }] });
    near(values(r, 0)[110]!, 1e-5, 'default group');
    near(values(r, 1)[110]!, 1e-3 * (1e-5 / 1e-4), 'own-lr group');
  });

  it('get_scheduler forwards scheduler_specific_kwargs and words its errors as transformers does', () => {
    const wsd = curve('transformers.get_scheduler', {
      name: str('warmup_stable_decay'), num_warmup_steps: int(10), num_training_steps: int(100),
      scheduler_specific_kwargs: dict([['num_decay_steps', int(20)], ['decay_type', str('linear')]]),
    }, 101);
    near(values(wsd)[90]!, 1e-3 * 0.5, 'half-way through the linear decay');
    assert.deepStrictEqual(failure(curve('transformers.get_scheduler', { name: str('linear'), num_warmup_steps: int(10) }, 5)),
      ['ValueError', 'SchedulerType.LINEAR requires `num_training_steps`, please provide that argument.']);
    assert.deepStrictEqual(failure(curve('transformers.get_scheduler', { name: str('cosine') }, 5)),
      ['ValueError', 'SchedulerType.COSINE requires `num_warmup_steps`, please provide that argument.']);
    assert.deepStrictEqual(failure(curve('transformers.get_scheduler', {
      name: str('cosine'), num_warmup_steps: int(1), num_training_steps: int(9), scheduler_specific_kwargs: dict([['power', float(2)]]),
    }, 5)), ['TypeError', "get_cosine_schedule_with_warmup() got an unexpected keyword argument 'power'"]);
    assert.deepStrictEqual(failure(curve('transformers.get_scheduler', {
      name: str('cosine'), num_warmup_steps: int(1), num_training_steps: int(9), scheduler_specific_kwargs: dict([['num_warmup_steps', int(2)]]),
    }, 5)), ['TypeError', "transformers.optimization.get_cosine_schedule_with_warmup() got multiple values for keyword argument 'num_warmup_steps'"]);
  });

  it('constant ignores every other get_scheduler argument; inverse_sqrt takes its timescale from the kwargs', () => {
    const c = values(curve('transformers.get_scheduler', { name: str('constant'), num_warmup_steps: int(50) }, 3));
    assert.deepStrictEqual([...c], [1e-3, 1e-3, 1e-3]);
    const inv = values(curve('transformers.get_scheduler', {
      name: str('inverse_sqrt'), num_warmup_steps: int(10), scheduler_specific_kwargs: dict([['timescale', int(40)]]),
    }, 60));
    near(inv[50]!, 1e-3 * (1 / Math.sqrt((50 + 30) / 40)), 'decay with timescale 40');
  });

  it('checks the wsd phases and the min-lr arguments with transformers\' texts', () => {
    assert.deepStrictEqual(failure(curve('transformers.get_wsd_schedule', { num_warmup_steps: int(1), num_decay_steps: int(2) }, 3)),
      ['ValueError', 'Either num_training_steps or num_stable_steps must be specified.']);
    assert.deepStrictEqual(failure(curve('transformers.get_wsd_schedule',
      { num_warmup_steps: int(1), num_decay_steps: int(2), num_stable_steps: int(3), decay_type: str('exp') }, 3)),
      ['ValueError', "Unknown decay type: exp, expected 'linear', 'cosine' or '1-sqrt'"]);
    assert.deepStrictEqual(failure(curve('transformers.get_linear_schedule_with_warmup', { num_warmup_steps: none, num_training_steps: int(9) }, 3)),
      ['TypeError', "'<' not supported between instances of 'int' and 'NoneType'"]);
    assert.deepStrictEqual(failure(curve('transformers.get_cosine_with_min_lr_schedule_with_warmup',
      { num_warmup_steps: int(1), num_training_steps: int(9), min_lr: float(1e-5), min_lr_rate: float(0.1) }, 3)),
      ['ValueError', 'Only one of min_lr or min_lr_rate should be set']);
  });
});

describe('families: diffusers', () => {
  it('piecewise_constant reads step_rules as absolute steps: the multiplier holds until each step, then the last one', () => {
    const v = values(curve('diffusers.get_scheduler', { name: str('piecewise_constant'), step_rules: str('1:10,0.1:20,0.01:30,0.005') }, 35));
    assert.deepStrictEqual([v[9], v[10], v[19], v[20], v[29], v[30]].map((x) => x! / 1e-3), [1, 0.1, 0.1, 0.01, 0.01, 0.005]);
    assert.deepStrictEqual(failure(curve('diffusers.get_piecewise_constant_schedule', { step_rules: str('1:10:2,0.5') }, 3)),
      ['ValueError', 'too many values to unpack (expected 2)']);
    assert.deepStrictEqual(failure(curve('diffusers.get_piecewise_constant_schedule', { step_rules: str('1:ten,0.5') }, 3)),
      ['ValueError', "invalid literal for int() with base 10: 'ten'"]);
  });

  it('get_scheduler passes num_cycles only to cosine_with_restarts, and words a bad name as a plain Enum does', () => {
    const args = { num_warmup_steps: int(0), num_training_steps: int(100), num_cycles: int(2) };
    const cos = values(curve('diffusers.get_scheduler', { name: str('cosine'), ...args }, 60));
    near(cos[50]!, 1e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * 0.5)), 'half cosine despite num_cycles=2');
    const hard = values(curve('diffusers.get_scheduler', { name: str('cosine_with_restarts'), ...args }, 60));
    near(hard[50]!, 1e-3, 'second cycle restarts at 50');
    assert.deepStrictEqual(failure(curve('diffusers.get_scheduler', { name: str('cosine_annealing'), ...args }, 3)),
      ['ValueError', "'cosine_annealing' is not a valid SchedulerType"]);
  });
});

describe('families: timm', () => {
  const base = 1e-3;
  const init = 1e-5;
  const min = 1e-6;

  it('without warmup_prefix the cosine is read at t, so a long warm-up ends with a drop; with it the decay starts at the peak', () => {
    const args = { t_initial: int(30), lr_min: float(min), warmup_t: int(10), warmup_lr_init: float(init) };
    const drop = values(curve('timm.CosineLRScheduler', args, 12));
    near(drop[9]!, init + 9 * ((base - init) / 10), 'last warm-up value');
    near(drop[10]!, min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * 10 / 30)), 'first decay value');
    assert.ok(drop[10]! < drop[9]!);
    const prefix = values(curve('timm.CosineLRScheduler', { ...args, warmup_prefix: { kind: 'bool', value: true } }, 12));
    near(prefix[10]!, base, 'decay starts at the peak');
  });

  it('Tanh without the prefix warms up towards its value at warmup_t: no jump', () => {
    const r = values(curve('timm.TanhLRScheduler', { t_initial: int(40), warmup_t: int(5), warmup_lr_init: float(init) }, 8));
    const at5 = 0.5 * base * (1 - Math.tanh(-7 * (1 - 5 / 40) + 3 * (5 / 40)));
    near(r[4]!, init + 4 * ((at5 - init) / 5), 'last warm-up value');
    near(r[5]!, at5, 'value at warmup_t');
  });

  it('MultiStep decays one step before each milestone (bisect_right(decay_t, t + 1)), counted after the warm-up', () => {
    const r = values(curve('timm.MultiStepLRScheduler', { decay_t: list(int(10), int(20)), decay_rate: float(0.5) }, 25));
    near(r[8]!, base, 'before');
    near(r[9]!, base * 0.5, 'one step before milestone 10');
    near(r[19]!, base * 0.25, 'one step before milestone 20');
    const warm = values(curve('timm.MultiStepLRScheduler', { decay_t: list(int(10)), decay_rate: float(0.5), warmup_t: int(3) }, 15));
    near(warm[11]!, base, 't - warmup_t = 8');
    near(warm[12]!, base * 0.5, 't - warmup_t = 9');
  });

  it('a group\'s lr_scale multiplies every value, warm-up start and lr_min included; t_in_epochs=False counts updates', () => {
    const r = curve('timm.CosineLRScheduler', { t_initial: int(10), lr_min: float(min), warmup_t: int(2), warmup_lr_init: float(init),
      t_in_epochs: { kind: 'bool', value: false } }, 30, { groups: [{ lr_scale: 0.5 }, {}] });
    near(values(r, 0)[0]!, init * 0.5, 'warm-up start');
    near(values(r, 0)[25]!, min * 0.5, 'lr_min after the cycle');
    near(values(r, 1)[25]!, min, 'no lr_scale');
    assert.strictEqual(r.unit, 'optimizer update');
  });

  it('asserts as timm does and refuses the random noise it cannot reproduce', () => {
    assert.deepStrictEqual(failure(curve('timm.TanhLRScheduler', { t_initial: int(10), lb: float(3), ub: float(1) }, 3)), ['AssertionError', '']);
    assert.deepStrictEqual(failure(curve('timm.PolyLRScheduler', { t_initial: int(10), lr_min: float(-1) }, 3)), ['AssertionError', '']);
    assert.strictEqual(failure(curve('timm.CosineLRScheduler', { t_initial: int(10), noise_range_t: int(5) }, 3))[0], 'NotImplementedError');
  });
});

describe('families: timm factories', () => {
  const base = 1e-3;

  it('create_scheduler_v2 builds the class with the factory\'s own defaults and returns its num_epochs', () => {
    const args = { sched: str('cosine'), num_epochs: int(20), warmup_epochs: int(3) };
    const v = values(curve('timm.create_scheduler_v2', args, 30));
    near(v[2]!, 1e-5 + 2 * ((base - 1e-5) / 3), 'warm-up from warmup_lr 1e-5');
    near(v[10]!, 0.5 * base * (1 + Math.cos(Math.PI * 10 / 20)), 'cosine read at t (warmup_prefix=False), lr_min 0');
    assert.strictEqual(v[25], 0);
    assert.strictEqual(resolveTimmFactory('timm.create_scheduler_v2', args).numEpochs, 20);
    assert.strictEqual(resolveTimmFactory('timm.create_scheduler_v2', { ...args, warmup_prefix: { kind: 'bool', value: true } }).numEpochs, 23);
  });

  it('gives step and multistep warmup_prefix=False, unlike the classes', () => {
    const v = values(curve('timm.create_scheduler_v2',
      { sched: str('step'), decay_epochs: int(5), decay_rate: float(0.5), warmup_epochs: int(2), warmup_lr: float(0) }, 8));
    near(v[4]!, base, 'before the decay');
    near(v[5]!, base * 0.5, 'decays at t = decay_epochs, not decay_epochs + warmup');
  });

  it('counts updates when step_on_epochs=False, and create_scheduler reads an args namespace with its fallbacks', () => {
    const r = curve('timm.create_scheduler_v2', { sched: str('cosine'), num_epochs: int(20), step_on_epochs: { kind: 'bool', value: false },
      updates_per_epoch: int(10) }, 201);
    near(values(r)[100]!, 0.5 * base * (1 + Math.cos(Math.PI * 100 / 200)), 'half-way in updates');
    assert.strictEqual(r.unit, 'optimizer update');
    assert.strictEqual(resolveTimmFactory('timm.create_scheduler_v2', { num_epochs: int(20), step_on_epochs: { kind: 'bool', value: false },
      updates_per_epoch: int(10) }).numEpochs, 20);
    assert.deepStrictEqual(failure(curve('timm.create_scheduler_v2', { step_on_epochs: { kind: 'bool', value: false } }, 3)),
      ['AssertionError', 'updates_per_epoch must be set to number of dataloader batches']);
    const ns = dict([['sched', str('cosine')], ['epochs', int(10)]]);
    const v = values(curve('timm.create_scheduler', { args: ns }, 3));
    assert.strictEqual(v[0], 1e-5, 'warmup_epochs falls back to 5 and warmup_lr to 1e-5');
    assert.strictEqual(resolveTimmFactory('timm.create_scheduler', { args: ns }).numEpochs, 10);
  });
});

describe('families: katsura CosineAnnealingWarmupRestarts', () => {
  it('overwrites every group\'s lr with min_lr at construction, whatever the optimizer\'s lrs', () => {
    const r = curve('katsura.CosineAnnealingWarmupRestarts', { first_cycle_steps: int(50), max_lr: float(0.1), min_lr: float(0.001), warmup_steps: int(5) },
      10, { type: 'SGD', kwargs: { lr: 0.5 }, groups: [{}, { lr: 0.02 }] });
    for (const g of [0, 1]) {
      const v = values(r, g);
      assert.strictEqual(v[0], 0.001);
      near(v[2]!, (0.1 - 0.001) * 2 / 5 + 0.001, `group ${g} warm-up`);
    }
  });

  it('grows each cycle to int((cycle - warmup_steps) * cycle_mult) + warmup_steps and restarts at min_lr', () => {
    const r = curve('katsura.CosineAnnealingWarmupRestarts',
      { first_cycle_steps: int(100), cycle_mult: float(1.5), max_lr: float(1e-3), min_lr: float(1e-5), warmup_steps: int(10), gamma: float(0.8) }, 500);
    const v = values(r);
    assert.deepStrictEqual(r.markers.filter((m) => m.kind === 'restart').map((m) => m.step), [100, 245, 457]);
    // Cycles of 100, 145 (int(90·1.5) + 10), 212 (int(135·1.5) + 10): restarts at 100, 245, 457.
    for (const s of [100, 245, 457]) near(v[s]!, 1e-5, `restart at ${s}`);
    near(v[255]!, 1e-3 * 0.8 * 0.8, 'peak of the third cycle');
    near(v[200]!, 1e-5 + (1e-3 * 0.8 - 1e-5) * (1 + Math.cos(Math.PI * (100 - 10) / (145 - 10))) / 2, 'inside the second cycle');
  });

  it('with warmup_steps=0 value 0 is min_lr and value 1 is already on the cosine near max_lr', () => {
    const v = values(curve('katsura.CosineAnnealingWarmupRestarts', { first_cycle_steps: int(100), max_lr: float(0.05), min_lr: float(1e-4) }, 3));
    assert.strictEqual(v[0], 1e-4);
    near(v[1]!, 1e-4 + (0.05 - 1e-4) * (1 + Math.cos(Math.PI / 100)) / 2, 'value 1');
  });
});

describe('families: pl_bolts LinearWarmupCosineAnnealingLR', () => {
  it('divides the warm-up by warmup_epochs - 1 and reaches the base lr at warmup_epochs', () => {
    const v = values(curve('pl_bolts.LinearWarmupCosineAnnealingLR', { warmup_epochs: int(5), max_epochs: int(20) }, 7, { kwargs: { lr: 0.02 } }));
    assert.strictEqual(v[0], 0);
    near(v[1]!, 0.02 / 4, 'one warm-up step');
    near(v[4]!, 0.02, 'warmup_epochs - 1 reaches the base lr already');
    assert.strictEqual(v[5], 0.02);
  });

  it('with warmup_epochs=0 the lr stays 0 up to max_epochs, then the past-max branch lifts it', () => {
    const v = values(curve('pl_bolts.LinearWarmupCosineAnnealingLR', { warmup_epochs: int(0), max_epochs: int(30) }, 33));
    for (let k = 0; k <= 30; k++) assert.strictEqual(v[k], 0, `value ${k}`);
    near(v[31]!, 1e-3 * (1 - Math.cos(Math.PI / 30)) / 2, 'value max_epochs + 1');
  });

  it('raises ZeroDivisionError at max_epochs + 1 when warmup_epochs == max_epochs', () => {
    const r = curve('pl_bolts.LinearWarmupCosineAnnealingLR', { warmup_epochs: int(4), max_epochs: int(4) }, 10);
    assert.deepStrictEqual(r.error && [r.error.type, r.error.message, r.error.phase, r.error.step], ['ZeroDivisionError', 'integer modulo by zero', 'step', 5]);
    assert.strictEqual(r.lrs![0]!.length, 5);
  });
});

describe('families: Keras and optax', () => {
  it('Keras PiecewiseConstantDecay keeps the earlier value on the boundary; optax switches on it', () => {
    const keras = values(curve('keras.PiecewiseConstantDecay', { boundaries: list(int(10)), values: list(float(1), float(0.5)) }, 12));
    assert.deepStrictEqual([keras[10], keras[11]], [1, 0.5]);
    const optax = values(curve('optax.piecewise_constant_schedule', { init_value: float(1), boundaries_and_scales: dict([['10', float(0.5)]]) }, 12));
    assert.deepStrictEqual([optax[9], optax[10]], [1, 0.5]);
  });

  it('Keras CosineDecay ignores warmup_steps without warmup_target and holds after decay_steps + warmup_steps', () => {
    const plain = values(curve('keras.CosineDecay', { initial_learning_rate: float(0.1), decay_steps: int(100), warmup_steps: int(50) }, 120));
    near(plain[50]!, 0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), 'no warm-up');
    const warm = values(curve('keras.CosineDecay', { initial_learning_rate: float(0), decay_steps: int(100), alpha: float(0.1),
      warmup_target: float(0.1), warmup_steps: int(50) }, 200));
    near(warm[25]!, 0.05, 'half-way through the warm-up');
    near(warm[150]!, 0.1 * 0.1, 'floor is alpha times warmup_target');
    assert.strictEqual(warm[199], warm[150]);
  });

  it('optax joins schedules at their boundaries, each seeing step - boundary; warmup_cosine_decay counts the warm-up in decay_steps', () => {
    const f = makeSchedule({ kind: 'optax.linear_schedule', args: { init_value: float(0), end_value: float(1), transition_steps: int(10) }, optimizer: null });
    const g = makeSchedule({ kind: 'optax.linear_schedule', args: { init_value: float(5), end_value: float(6), transition_steps: int(10) }, optimizer: null });
    const joined = values(curve('optax.join_schedules', {
      schedules: list({ kind: 'func', name: 'f', call: f }, { kind: 'func', name: 'g', call: g }), boundaries: list(int(4)),
    }, 8));
    near(joined[3]!, 0.3, 'first schedule at step 3');
    assert.strictEqual(joined[4], 5, 'second schedule at its own step 0');
    near(joined[5]!, 5.1, 'second schedule at its own step 1');
    const wc = values(curve('optax.warmup_cosine_decay_schedule',
      { init_value: float(0), peak_value: float(1), warmup_steps: int(10), decay_steps: int(110), end_value: float(0.1) }, 120));
    near(wc[10]!, 1, 'peak at warmup_steps');
    near(wc[60]!, (1 + 0.1) / 2, 'half-way through the cosine');
    near(wc[110]!, 0.1, 'end_value at decay_steps');
  });

  it('raises the libraries\' ValueErrors at construction', () => {
    assert.deepStrictEqual(failure(curve('keras.ExponentialDecay', { initial_learning_rate: float(0.1), decay_steps: int(0), decay_rate: float(0.5) }, 3)),
      ['ValueError', 'Argument `decay_steps` must be > 0. Received: decay_steps=0']);
    assert.deepStrictEqual(failure(curve('optax.cosine_onecycle_schedule', { transition_steps: int(0), peak_value: float(1) }, 3)),
      ['ValueError', 'A cosine onecycle schedule was set with a non-positive `transition_steps`']);
    assert.deepStrictEqual(failure(curve('optax.piecewise_constant_schedule', { init_value: float(1), boundaries_and_scales: dict([['5', float(-1)]]) }, 3)),
      ['ValueError', '`piecewise_constant_schedule` expects non-negative scale factors']);
  });
});

describe('families: markers', () => {
  const at = (r: FamilySimulation, kind: string) => r.markers.filter((m) => m.kind === kind).map((m) => m.step);

  it('marks warm-up ends, restarts and milestones where the curves change', () => {
    const hf = curve('transformers.get_cosine_with_hard_restarts_schedule_with_warmup',
      { num_warmup_steps: int(100), num_training_steps: int(1000), num_cycles: int(3) }, 1100);
    assert.deepStrictEqual([at(hf, 'warmup-end'), at(hf, 'restart'), at(hf, 'phase')], [[100], [400, 700], [1000]]);
    const cos = curve('timm.CosineLRScheduler', { t_initial: int(10), cycle_mul: float(2), cycle_limit: int(4) }, 160);
    assert.deepStrictEqual([at(cos, 'restart'), at(cos, 'phase')], [[10, 30, 70], [150]]);
    const multi = curve('timm.MultiStepLRScheduler', { decay_t: list(int(30), int(60), int(80)), decay_rate: float(0.1), warmup_t: int(5) }, 100);
    assert.deepStrictEqual(at(multi, 'milestone'), [34, 64, 84]);
    const pw = curve('keras.PiecewiseConstantDecay', { boundaries: list(int(300), int(600)), values: list(float(1e-3), float(5e-4), float(1e-4)) }, 800);
    assert.deepStrictEqual(at(pw, 'milestone'), [301, 601]);
    const sgdrCycle = dict([['init_value', float(1e-5)], ['peak_value', float(1e-3)], ['warmup_steps', int(50)], ['decay_steps', int(300)]]);
    const sgdr = curve('optax.sgdr_schedule', { cosine_kwargs: list(sgdrCycle, sgdrCycle, sgdrCycle) }, 1000);
    assert.deepStrictEqual(at(sgdr, 'restart'), [300, 600]);
    const restarts = curve('keras.CosineDecayRestarts', { initial_learning_rate: float(1e-3), first_decay_steps: int(200) }, 1300);
    assert.deepStrictEqual(at(restarts, 'restart'), [200, 600]);
  });
});

describe('families: binding', () => {
  it('words binding failures as CPython 3.11 does, for functions and for __init__', () => {
    const fn = bindFamilyCall(FAMILY_SIGNATURES['transformers.get_linear_schedule_with_warmup'], [optRef(0), int(10)], []);
    assert.strictEqual(fn.failure?.message, "get_linear_schedule_with_warmup() missing 1 required positional argument: 'num_training_steps'");
    const cls = bindFamilyCall(FAMILY_SIGNATURES['timm.CosineLRScheduler'], [optRef(0)], [['t_init', int(5)]]);
    assert.strictEqual(cls.failure?.message, "CosineLRScheduler.__init__() got an unexpected keyword argument 't_init'");
    const many = bindFamilyCall(FAMILY_SIGNATURES['optax.constant_schedule'], [float(1), float(2)], []);
    assert.strictEqual(many.failure?.message, 'constant_schedule() takes 1 positional argument but 2 were given');
    const keras = bindFamilyCall(FAMILY_SIGNATURES['keras.CosineDecay'], [float(1), int(2), float(0), str('n'), none, int(0), int(9)], []);
    assert.strictEqual(keras.failure?.message, 'CosineDecay.__init__() takes from 3 to 7 positional arguments but 8 were given');
  });

  it('says what a step is for each family', () => {
    assert.strictEqual(curve('keras.CosineDecay', { initial_learning_rate: float(1), decay_steps: int(5) }, 2).unit, 'iteration');
    assert.strictEqual(curve('timm.StepLRScheduler', { decay_t: int(5) }, 2).unit, 'epoch');
    assert.strictEqual(curve('katsura.CosineAnnealingWarmupRestarts', { first_cycle_steps: int(5) }, 2).unit, 'optimizer update');
  });
});
