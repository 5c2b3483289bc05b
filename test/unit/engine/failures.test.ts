/**
 * The engine raises with the rule id at the throw site: each torch check it replicates gives its
 * failure the catalogue id docs/rules.md describes it under (expected ids copied from that page),
 * and the argument it is about. Lint keys its diagnostics by these fields, never by the text.
 */
import * as assert from 'assert';
import { bindArgs, simulate } from '../../../src/engine';
import { PyError, type Arg, type SchedulerKind, type TorchFailure } from '../../../src/engine/types';
import { float, fn, int, list, none, ProgramBuilder, run, sched, str } from './helpers';

interface Row {
  name: string;
  kind: SchedulerKind;
  args: Record<string, Arg>;
  steps?: number;
  opt?: Parameters<typeof run>[3];
  rule: string;
  param?: string;
}

const raises = (type: string, message: string) => fn('f', () => { throw new PyError(type, message); });

const ROWS: Row[] = [
  { name: 'resume without initial_lr', kind: 'StepLR', args: { step_size: int(2), last_epoch: int(5) }, rule: 'LR001', param: 'last_epoch' },
  { name: 'two lambdas for one group', kind: 'LambdaLR', args: { lr_lambda: list(fn('a', () => 1), fn('b', () => 1)) }, rule: 'LR010', param: 'lr_lambda' },
  { name: 'LambdaLR lr_lambda not callable', kind: 'LambdaLR', args: { lr_lambda: float(0.5) }, rule: 'LR011', param: 'lr_lambda' },
  { name: 'MultiplicativeLR lr_lambda not callable (first step)', kind: 'MultiplicativeLR', args: { lr_lambda: float(0.5) }, rule: 'LR012', param: 'lr_lambda' },
  { name: 'LambdaLR lambda raising at step 3', kind: 'LambdaLR', args: { lr_lambda: fn('f', (e) => { if (e === 3) throw new PyError('ZeroDivisionError', 'division by zero'); return 1; }) }, rule: 'LR013', param: 'lr_lambda' },
  { name: 'MultiplicativeLR lambda raising: no rule describes it', kind: 'MultiplicativeLR', args: { lr_lambda: raises('ValueError', 'boom') }, rule: 'LR000' },
  { name: "LR Lens's own limit inside a LambdaLR lambda", kind: 'LambdaLR', args: { lr_lambda: raises('BudgetExceeded', 'too long') }, rule: 'LR000', param: 'lr_lambda' },
  { name: 'StepLR step_size 0', kind: 'StepLR', args: { step_size: int(0) }, rule: 'LR020', param: 'step_size' },
  { name: 'MultiStepLR milestones not iterable', kind: 'MultiStepLR', args: { milestones: int(30) }, rule: 'LR030', param: 'milestones' },
  { name: 'ConstantLR factor > 1', kind: 'ConstantLR', args: { factor: float(1.5) }, rule: 'LR040', param: 'factor' },
  { name: 'ConstantLR factor not a number', kind: 'ConstantLR', args: { factor: str('a') }, rule: 'LR040', param: 'factor' },
  { name: 'ConstantLR factor 0', kind: 'ConstantLR', args: { factor: float(0), total_iters: int(2) }, rule: 'LR041', param: 'factor' },
  { name: 'LinearLR end_factor > 1', kind: 'LinearLR', args: { end_factor: float(2) }, rule: 'LR050', param: 'end_factor' },
  { name: 'LinearLR start_factor 0', kind: 'LinearLR', args: { start_factor: float(0) }, rule: 'LR051', param: 'start_factor' },
  { name: 'PolynomialLR negative power', kind: 'PolynomialLR', args: { total_iters: int(2), power: float(-1) }, rule: 'LR060', param: 'power' },
  { name: 'CosineAnnealingLR T_max 0', kind: 'CosineAnnealingLR', args: { T_max: int(0) }, rule: 'LR070', param: 'T_max' },
  { name: 'CosineAnnealingLR T_max 1/3', kind: 'CosineAnnealingLR', args: { T_max: float(1 / 3) }, rule: 'LR071', param: 'T_max' },
  { name: 'CosineAnnealingWarmRestarts T_0 0', kind: 'CosineAnnealingWarmRestarts', args: { T_0: int(0) }, rule: 'LR080', param: 'T_0' },
  { name: 'CosineAnnealingWarmRestarts T_mult 0.5', kind: 'CosineAnnealingWarmRestarts', args: { T_0: int(5), T_mult: float(0.5) }, rule: 'LR080', param: 'T_mult' },
  { name: 'CyclicLR cycling momentum of Adam', kind: 'CyclicLR', args: { base_lr: float(0.01), max_lr: float(0.1) }, opt: { type: 'Adam', kwargs: { lr: 1 } }, rule: 'LR090', param: 'cycle_momentum' },
  { name: 'CyclicLR invalid mode', kind: 'CyclicLR', args: { base_lr: float(0.01), max_lr: float(0.1), mode: str('saw') }, rule: 'LR091', param: 'mode' },
  { name: 'CyclicLR two base_lrs for one group', kind: 'CyclicLR', args: { base_lr: list(float(0.01), float(0.02)), max_lr: float(0.1) }, rule: 'LR092', param: 'base_lr' },
  { name: 'CyclicLR zero-length cycle', kind: 'CyclicLR', args: { base_lr: float(0.01), max_lr: float(0.1), step_size_up: int(0) }, rule: 'LR093', param: 'step_size_up' },
  { name: 'OneCycleLR without a length', kind: 'OneCycleLR', args: { max_lr: float(0.1) }, rule: 'LR100', param: 'total_steps' },
  { name: 'OneCycleLR epochs missing', kind: 'OneCycleLR', args: { max_lr: float(0.1), epochs: none, steps_per_epoch: int(5), total_steps: none }, rule: 'LR100', param: 'epochs' },
  { name: 'OneCycleLR total_steps 0', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(0) }, rule: 'LR101', param: 'total_steps' },
  { name: 'OneCycleLR pct_start an int', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(10), pct_start: int(1) }, rule: 'LR102', param: 'pct_start' },
  { name: 'OneCycleLR anneal_strategy', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(10), anneal_strategy: str('exp') }, rule: 'LR103', param: 'anneal_strategy' },
  { name: 'OneCycleLR div_factor 0', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(10), div_factor: float(0) }, rule: 'LR104', param: 'div_factor' },
  { name: 'OneCycleLR empty warm-up of width 0', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(10), pct_start: float(0.1) }, rule: 'LR104', param: 'pct_start' },
  { name: 'OneCycleLR pct_start 1.0 at the last step', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(10), pct_start: float(1.0) }, steps: 12, rule: 'LR105', param: 'pct_start' },
  { name: 'OneCycleLR stepped past total_steps', kind: 'OneCycleLR', args: { max_lr: float(0.1), total_steps: int(10) }, steps: 13, rule: 'LR106', param: 'total_steps' },
  { name: 'ReduceLROnPlateau factor 1', kind: 'ReduceLROnPlateau', args: { factor: float(1) }, rule: 'LR110', param: 'factor' },
  { name: 'ReduceLROnPlateau mode', kind: 'ReduceLROnPlateau', args: { mode: str('up') }, rule: 'LR111', param: 'mode' },
  { name: 'ReduceLROnPlateau threshold_mode not a str', kind: 'ReduceLROnPlateau', args: { threshold_mode: int(3) }, rule: 'LR111', param: 'threshold_mode' },
  { name: 'CosineAnnealingWarmUpRestarts negative T_up', kind: 'CosineAnnealingWarmUpRestarts', args: { T_0: int(10), T_up: int(-1) }, rule: 'LR140', param: 'T_up' },
];

function check(f: TorchFailure | null, rule: string, param: string | undefined, what: string): void {
  assert.ok(f, `${what}: no failure`);
  assert.deepStrictEqual([f.rule, f.param], [rule, param], `${what}: ${f.type}: ${f.message}`);
}

describe('engine failures carry their rule id', () => {
  for (const r of ROWS) {
    it(`${r.name} → ${r.rule}`, () => {
      const sim = run(r.kind, r.args, r.steps ?? 8, r.opt);
      check(sim.error, r.rule, r.param, r.name);
    });
  }

  it('composites: their own checks, and a member failure keeps the member rule', () => {
    const b = new ProgramBuilder();
    const o = b.opt('SGD', { lr: 1 });
    const other = b.opt('SGD', { lr: 1 });
    const a = b.add('StepLR', o, { step_size: int(0) });
    const e = b.add('ExponentialLR', o, { gamma: float(0.9) });
    const count = b.add('SequentialLR', o, { schedulers: list(sched(e), sched(e)), milestones: list(int(2), int(3)) });
    const foreign = b.add('ExponentialLR', other, { gamma: float(0.9) });
    const mixed = b.add('SequentialLR', o, { schedulers: list(sched(e), sched(foreign)), milestones: list(int(2)) });
    const empty = b.add('ChainedScheduler', null, { schedulers: list() });
    const plateau = b.add('ReduceLROnPlateau', o, {});
    const chainedPlateau = b.add('ChainedScheduler', null, { schedulers: list(sched(e), sched(plateau)) });
    const member = b.add('SequentialLR', o, { schedulers: list(sched(a), sched(e)), milestones: list(int(5)) });
    const plateauFirst = b.add('SequentialLR', o, { schedulers: list(sched(plateau), sched(e)), milestones: list(int(2)) });
    const sim = (i: number) => simulate(b.program, i, { steps: 4, include: [] }).error;
    check(sim(count), 'LR120', 'milestones', 'milestone count');
    check(sim(mixed), 'LR121', 'schedulers', 'member on another optimizer');
    check(sim(empty), 'LR130', 'schedulers', 'empty chain');
    check(sim(chainedPlateau), 'LR125', 'schedulers', 'ReduceLROnPlateau stepped without a metric');
    check(sim(member), 'LR020', 'step_size', 'StepLR member with step_size 0');
    check(sim(plateauFirst), 'LR125', 'schedulers', 'ReduceLROnPlateau sequenced first (no _initial_step)');
  });

  it("bindArgs' TypeErrors: LambdaLR files them under LR013 (on lr_lambda), other classes under LR000", () => {
    const lambda = bindArgs('LambdaLR', [], []).failure;
    check(lambda, 'LR013', 'lr_lambda', 'LambdaLR without lr_lambda');
    assert.strictEqual(lambda!.message, "LambdaLR.__init__() missing 2 required positional arguments: 'optimizer' and 'lr_lambda'");
    check(bindArgs('StepLR', [], [['size', 1]]).failure, 'LR000', undefined, 'StepLR with an unknown keyword');
  });
});
