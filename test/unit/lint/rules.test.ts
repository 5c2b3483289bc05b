/**
 * Every rule of docs/torch-schedulers.md §7, through the whole pipeline (source text → analyze()):
 * one snippet that triggers it — asserting the id, the severity §7 gives and the exact
 * range (marked ⟦…⟧ in the snippet) — and one close variant that must not trigger it.
 * Expected severities are copied from the §7 table, not from the implementation.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalyzeOptions, Severity } from '../../../src/analysis/types';
import { diagnosticsOf, marked, PY, sameRange, show, showRange, TS, type Lang } from './helpers';

interface Case {
  id: string;
  /** What the trigger shows (for the test title). */
  what: string;
  severity: Severity;
  /** Snippet (after the prelude) with the expected range marked ⟦…⟧. */
  fire: string;
  /** A close variant that must not trigger `id`. */
  quiet: string;
  lang?: Lang;
  steps?: number;
  quietSteps?: number;
  /** Text the message must contain (torch's own wording where torch has one). */
  says?: string;
}

const BLOG = 'from blog_scheduler import CosineAnnealingWarmUpRestarts, WarmupConstantSchedule\n' +
  'opt0 = torch.optim.SGD(model.parameters(), lr=0)\n';
const MEMBERS = 'a = L.ConstantLR(opt, factor=0.5, total_iters=2)\nb = L.ExponentialLR(opt, gamma=0.9)\nc = L.StepLR(opt, step_size=3)\n';

const CASES: Case[] = [
  { id: 'LR000', what: 'an argument that cannot be evaluated', severity: 'information',
    fire: 's = L.StepLR(opt, step_size=⟦args.step⟧)', quiet: 's = L.StepLR(opt, step_size=10)' },
  { id: 'LR001', what: 'resume without initial_lr', severity: 'error', says: "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    fire: 's = L.StepLR(opt, step_size=10, last_epoch=⟦5⟧)', quiet: 's = L.StepLR(opt, step_size=10, last_epoch=-1)' },
  { id: 'LR001', what: 'resume after loading a state_dict (doubtful: information)', severity: 'information', says: 'loads a state_dict into opt',
    fire: 'opt.load_state_dict(ckpt)\ns = L.StepLR(opt, step_size=10, last_epoch=⟦5⟧)',
    quiet: 'a = L.ExponentialLR(opt, gamma=0.9)\ns = L.StepLR(opt, step_size=10, last_epoch=5)' },
  { id: 'LR002', what: 'step(epoch)', severity: 'warning', says: 'The epoch parameter in `scheduler.step()` was not necessary',
    fire: 's = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    ⟦s.step(epoch)⟧', quiet: 's = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    s.step()' },
  { id: 'LR003', what: 'verbose=', severity: 'warning', says: 'The verbose parameter is deprecated',
    fire: 's = L.StepLR(opt, step_size=10, ⟦verbose=True⟧)', quiet: 's = L.StepLR(opt, step_size=10)' },
  { id: 'LR010', what: 'two lambdas for one group', severity: 'error', says: 'Expected 1 lr_lambdas, but got 2',
    fire: 's = L.LambdaLR(opt, lr_lambda=⟦[lambda e: 1.0, lambda e: 0.5]⟧)', quiet: 's = L.LambdaLR(opt, lr_lambda=[lambda e: 1.0])' },
  { id: 'LR010', what: 'two lambdas, optimizer not resolved (information: rests on the assumed optimizer)', severity: 'information',
    says: 'would raise if optimizer is SGD(lr=0.1) (assumed: not resolved',
    fire: 'o = build_optimizer(cfg)\ns = L.LambdaLR(o, lr_lambda=⟦[lambda e: 1.0, lambda e: 0.5]⟧)', quiet: 'o = build_optimizer(cfg)\ns = L.LambdaLR(o, lr_lambda=lambda e: 1.0)' },
  { id: 'LR011', what: 'a float as LambdaLR lr_lambda', severity: 'error', says: "'float' object is not callable",
    fire: 's = L.LambdaLR(opt, lr_lambda=⟦0.5⟧)', quiet: 's = L.LambdaLR(opt, lr_lambda=lambda e: 0.5)' },
  { id: 'LR012', what: 'a float as MultiplicativeLR lr_lambda', severity: 'error', says: "'float' object is not callable",
    fire: 's = L.MultiplicativeLR(opt, lr_lambda=⟦0.95⟧)', quiet: 's = L.MultiplicativeLR(opt, lr_lambda=lambda e: 0.95)' },
  { id: 'LR013', what: 'a lambda raising at 0', severity: 'error', says: 'ZeroDivisionError',
    fire: 's = L.LambdaLR(opt, lr_lambda=⟦lambda e: 1 / e⟧)', quiet: 's = L.LambdaLR(opt, lr_lambda=lambda e: 1 / (e + 1))' },
  { id: 'LR013', what: 'a lambda going negative', severity: 'warning', says: 'lr_lambda(11) = ',
    fire: 's = L.LambdaLR(opt, lr_lambda=⟦lambda e: 1 - e / 10⟧)', quiet: 's = L.LambdaLR(opt, lr_lambda=lambda e: 0.9 ** e)' },
  { id: 'LR013', what: 'a lambda raising at step 3', severity: 'error', says: 'ZeroDivisionError: division by zero (raised by step() call 3)',
    fire: 's = L.LambdaLR(opt, lr_lambda=⟦lambda e: 1 / (3 - e) if e < 3 else 1 / (e - 3)⟧)',
    quiet: 's = L.LambdaLR(opt, lr_lambda=lambda e: 1 / (3 - e) if e < 3 else 1 / (e - 2))' },
  { id: 'LR020', what: 'step_size 0', severity: 'error', says: 'ZeroDivisionError: integer modulo by zero',
    fire: 's = L.StepLR(opt, step_size=⟦0⟧)', quiet: 's = L.StepLR(opt, step_size=1)' },
  { id: 'LR021', what: 'a negative step_size', severity: 'warning',
    fire: 's = L.StepLR(opt, step_size=⟦-2⟧)', quiet: 's = L.StepLR(opt, step_size=2)' },
  { id: 'LR021', what: 'a non-integer step_size', severity: 'warning', says: 'only at steps 5, …',
    fire: 's = L.StepLR(opt, step_size=⟦2.5⟧)', quiet: 's = L.StepLR(opt, step_size=2.0)' },
  { id: 'LR022', what: 'gamma > 1', severity: 'warning',
    fire: 's = L.ExponentialLR(opt, gamma=⟦1.5⟧)', quiet: 's = L.ExponentialLR(opt, gamma=0.9)' },
  { id: 'LR022', what: 'gamma 0 on MultiStepLR', severity: 'warning',
    fire: 's = L.MultiStepLR(opt, milestones=[3], gamma=⟦0⟧)', quiet: 's = L.MultiStepLR(opt, milestones=[3], gamma=0.5)' },
  { id: 'LR023', what: 'step_size beyond the preview', severity: 'warning', steps: 20, quietSteps: 60,
    fire: 's = L.StepLR(opt, step_size=⟦50⟧)', quiet: 's = L.StepLR(opt, step_size=50)' },
  { id: 'LR030', what: 'an int as milestones', severity: 'error', says: "TypeError: 'int' object is not iterable",
    fire: 's = L.MultiStepLR(opt, milestones=⟦30⟧)', quiet: 's = L.MultiStepLR(opt, milestones=[30])' },
  { id: 'LR031', what: 'duplicate milestones', severity: 'warning',
    fire: 's = L.MultiStepLR(opt, milestones=⟦[30, 60, 60]⟧)', quiet: 's = L.MultiStepLR(opt, milestones=[30, 60])' },
  { id: 'LR032', what: 'milestone 0', severity: 'warning',
    fire: 's = L.MultiStepLR(opt, milestones=⟦[0, 30]⟧)', quiet: 's = L.MultiStepLR(opt, milestones=[1, 30])' },
  { id: 'LR033', what: 'a fractional milestone', severity: 'warning', says: '45.5 never fires',
    fire: 's = L.MultiStepLR(opt, milestones=⟦[30, 45.5]⟧)', quiet: 's = L.MultiStepLR(opt, milestones=[30, 45])' },
  { id: 'LR040', what: 'ConstantLR factor 1.5', severity: 'error', says: 'Constant multiplicative factor expected to be between 0 and 1.',
    fire: 's = L.ConstantLR(opt, factor=⟦1.5⟧)', quiet: 's = L.ConstantLR(opt, factor=0.5)' },
  { id: 'LR041', what: 'ConstantLR factor 0', severity: 'error', says: 'ZeroDivisionError: float division by zero',
    fire: 's = L.ConstantLR(opt, factor=⟦0⟧, total_iters=4)', quiet: 's = L.ConstantLR(opt, factor=0.01, total_iters=4)' },
  { id: 'LR042', what: 'ConstantLR total_iters 0', severity: 'warning',
    fire: 's = L.ConstantLR(opt, factor=0.5, total_iters=⟦0⟧)', quiet: 's = L.ConstantLR(opt, factor=0.5, total_iters=4)' },
  { id: 'LR050', what: 'LinearLR start_factor 1.5', severity: 'error', says: 'Starting multiplicative factor expected to be between 0 and 1.',
    fire: 's = L.LinearLR(opt, start_factor=⟦1.5⟧)', quiet: 's = L.LinearLR(opt, start_factor=0.5)' },
  { id: 'LR050', what: 'LinearLR end_factor -1', severity: 'error', says: 'Ending multiplicative factor expected to be between 0 and 1.',
    fire: 's = L.LinearLR(opt, start_factor=0.5, end_factor=⟦-1⟧)', quiet: 's = L.LinearLR(opt, start_factor=0.5, end_factor=0)' },
  { id: 'LR051', what: 'LinearLR start_factor 0', severity: 'error', says: 'ZeroDivisionError',
    fire: 's = L.LinearLR(opt, start_factor=⟦0⟧, total_iters=4)', quiet: 's = L.LinearLR(opt, start_factor=0.001, total_iters=4)' },
  { id: 'LR052', what: 'LinearLR total_iters 0', severity: 'warning',
    fire: 's = L.LinearLR(opt, start_factor=0.5, total_iters=⟦0⟧)', quiet: 's = L.LinearLR(opt, start_factor=0.5, total_iters=4)' },
  { id: 'LR060', what: 'PolynomialLR negative power', severity: 'error', says: '0.0 cannot be raised to a negative power',
    fire: 's = L.PolynomialLR(opt, total_iters=4, power=⟦-1.0⟧)', quiet: 's = L.PolynomialLR(opt, total_iters=4, power=1.0)' },
  { id: 'LR061', what: 'PolynomialLR total_iters 0', severity: 'warning',
    fire: 's = L.PolynomialLR(opt, total_iters=⟦0⟧)', quiet: 's = L.PolynomialLR(opt, total_iters=4)' },
  { id: 'LR070', what: 'T_max 0', severity: 'error', says: 'ZeroDivisionError: integer modulo by zero',
    fire: 's = L.CosineAnnealingLR(opt, T_max=⟦0⟧)', quiet: 's = L.CosineAnnealingLR(opt, T_max=10)' },
  { id: 'LR071', what: 'a negative T_max', severity: 'warning',
    fire: 's = L.CosineAnnealingLR(opt, T_max=⟦-10⟧)', quiet: 's = L.CosineAnnealingLR(opt, T_max=10)' },
  { id: 'LR072', what: 'a preview longer than T_max', severity: 'warning', steps: 30, quietSteps: 11,
    fire: 's = L.CosineAnnealingLR(opt, T_max=⟦10⟧)', quiet: 's = L.CosineAnnealingLR(opt, T_max=10)' },
  { id: 'LR072', what: 'a SequentialLR member (it runs only after its milestone)', severity: 'warning', steps: 30,
    fire: 's = L.CosineAnnealingLR(opt, T_max=⟦10⟧)',
    quiet: 'w = L.LinearLR(opt, start_factor=0.1, total_iters=19)\nc = L.CosineAnnealingLR(opt, T_max=10)\ns = L.SequentialLR(opt, [w, c], milestones=[19])' },
  { id: 'LR073', what: 'eta_min above the lr', severity: 'warning',
    fire: 's = L.CosineAnnealingLR(opt, T_max=10, eta_min=⟦0.2⟧)', quiet: 's = L.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)' },
  { id: 'LR080', what: 'T_0 2.0', severity: 'error', says: 'Expected positive integer T_0, but got 2.0',
    fire: 's = L.CosineAnnealingWarmRestarts(opt, T_0=⟦2.0⟧)', quiet: 's = L.CosineAnnealingWarmRestarts(opt, T_0=2)' },
  { id: 'LR080', what: 'T_mult 1.5', severity: 'error', says: 'Expected integer T_mult >= 1, but got 1.5',
    fire: 's = L.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=⟦1.5⟧)', quiet: 's = L.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)' },
  { id: 'LR081', what: 'step(-1)', severity: 'error', says: 'Expected non-negative epoch, but got -1',
    fire: 's = L.CosineAnnealingWarmRestarts(opt, T_0=10)\n⟦s.step(-1)⟧', quiet: 's = L.CosineAnnealingWarmRestarts(opt, T_0=10)\ns.step(1)' },
  { id: 'LR082', what: 'step(111) with T_0 1, T_mult 10', severity: 'warning',
    fire: 's = L.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=10)\n⟦s.step(111)⟧', quiet: 's = L.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=10)\ns.step(110)' },
  { id: 'LR090', what: 'CyclicLR on Adam', severity: 'error', says: 'optimizer must support momentum with `cycle_momentum` option enabled',
    fire: 's = ⟦L.CyclicLR⟧(adam, base_lr=0.001, max_lr=0.1, step_size_up=10)',
    quiet: 's = L.CyclicLR(adam, base_lr=0.001, max_lr=0.1, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR091', what: "mode='triangle'", severity: 'error', says: 'mode is invalid and scale_fn is None',
    fire: "s = L.CyclicLR(opt, 0.001, 0.1, mode=⟦'triangle'⟧, cycle_momentum=False)", quiet: "s = L.CyclicLR(opt, 0.001, 0.1, mode='triangular', cycle_momentum=False)" },
  { id: 'LR092', what: 'two base_lr for one group', severity: 'error', says: 'expected 1 values for base_lr, got 2',
    fire: 's = L.CyclicLR(opt, base_lr=⟦[0.001, 0.002]⟧, max_lr=0.1, cycle_momentum=False)', quiet: 's = L.CyclicLR(opt, base_lr=[0.001], max_lr=0.1, cycle_momentum=False)' },
  { id: 'LR093', what: 'step_size_up 0', severity: 'error', says: 'ZeroDivisionError: float division by zero',
    fire: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=⟦0⟧, cycle_momentum=False)', quiet: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR094', what: 'CyclicLR on SGD without momentum', severity: 'warning',
    fire: 's = ⟦L.CyclicLR⟧(opt, 0.001, 0.1, step_size_up=10)',
    quiet: 'sgdm = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\ns = L.CyclicLR(sgdm, 0.001, 0.1, step_size_up=10)' },
  { id: 'LR095', what: 'base_lr above max_lr', severity: 'warning',
    fire: 's = L.CyclicLR(opt, base_lr=⟦0.1⟧, max_lr=0.01, step_size_up=10, cycle_momentum=False)',
    quiet: 's = L.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR096', what: "CyclicLR ignoring the optimizer's lr", severity: 'information',
    fire: 's = L.CyclicLR(opt, base_lr=⟦0.001⟧, max_lr=0.5, step_size_up=10, cycle_momentum=False)',
    quiet: 's = L.CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=10, cycle_momentum=False)' },
  { id: 'LR096', what: "OneCycleLR ignoring the optimizer's lr", severity: 'information', says: 'max_lr/div_factor = 0.004',
    fire: 's = L.OneCycleLR(opt, max_lr=⟦0.1⟧, total_steps=100)', quiet: 's = L.OneCycleLR(opt, max_lr=2.5, total_steps=100)' },
  { id: 'LR097', what: 'gamma with mode triangular', severity: 'warning',
    fire: 's = L.CyclicLR(opt, 0.001, 0.1, step_size_up=10, gamma=⟦0.99⟧, cycle_momentum=False)',
    quiet: "s = L.CyclicLR(opt, 0.001, 0.1, step_size_up=10, mode='exp_range', gamma=0.99, cycle_momentum=False)" },
  { id: 'LR100', what: 'OneCycleLR without a length', severity: 'error', says: 'You must define either total_steps OR (epochs AND steps_per_epoch)',
    fire: 's = ⟦L.OneCycleLR⟧(opt, max_lr=0.1)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, epochs=2, steps_per_epoch=50)' },
  { id: 'LR101', what: 'total_steps 100.0', severity: 'error', says: 'Expected positive integer total_steps, but got 100.0',
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=⟦100.0⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100)' },
  { id: 'LR102', what: 'pct_start 1 (an int)', severity: 'error', says: 'Expected float between 0 and 1 pct_start, but got 1',
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, pct_start=⟦1⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, pct_start=0.3)' },
  { id: 'LR103', what: "anneal_strategy='cosine'", severity: 'error', says: "anneal_strategy must by one of 'cos' or 'linear', instead got cosine",
    fire: "s = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, anneal_strategy=⟦'cosine'⟧)", quiet: "s = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, anneal_strategy='cos')" },
  { id: 'LR104', what: 'div_factor 0', severity: 'error', says: 'ZeroDivisionError',
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, div_factor=⟦0⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, div_factor=25)' },
  { id: 'LR104', what: 'pct_start·total_steps = 1', severity: 'error', says: 'ZeroDivisionError',
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=⟦0.1⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=0.2)' },
  { id: 'LR105', what: 'pct_start 1.0 stepped total_steps times', severity: 'error', says: 'ZeroDivisionError', steps: 11, quietSteps: 10,
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=⟦1.0⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=1.0)' },
  { id: 'LR106', what: 'a preview past total_steps', severity: 'error', says: 'Tried to step 102 times. The specified number of total steps is 100',
    steps: 102, quietSteps: 101,
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=⟦100⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100)' },
  { id: 'LR107', what: 'three_phase with pct_start 0.6', severity: 'warning',
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, three_phase=True, pct_start=⟦0.6⟧)',
    quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=100, three_phase=True, pct_start=0.4)' },
  { id: 'LR108', what: 'an empty warm-up', severity: 'warning',
    fire: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=2, pct_start=⟦0.3⟧)', quiet: 's = L.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=0.3)' },
  { id: 'LR110', what: 'factor 1.5', severity: 'error', says: 'Factor should be < 1.0.',
    fire: 's = L.ReduceLROnPlateau(opt, factor=⟦1.5⟧)', quiet: 's = L.ReduceLROnPlateau(opt, factor=0.5)' },
  { id: 'LR111', what: "mode='minimum'", severity: 'error', says: 'mode minimum is unknown!',
    fire: "s = L.ReduceLROnPlateau(opt, mode=⟦'minimum'⟧)", quiet: "s = L.ReduceLROnPlateau(opt, mode='min')" },
  { id: 'LR112', what: 'min_lr above the lr', severity: 'warning',
    fire: 's = L.ReduceLROnPlateau(opt, min_lr=⟦0.5⟧)', quiet: 's = L.ReduceLROnPlateau(opt, min_lr=1e-5)' },
  { id: 'LR113', what: 'get_last_lr() on ReduceLROnPlateau', severity: 'error', says: "no attribute 'get_last_lr'",
    fire: 's = L.ReduceLROnPlateau(opt)\nprint(⟦s.get_last_lr()⟧)', quiet: "s = L.ReduceLROnPlateau(opt)\nprint(opt.param_groups[0]['lr'])" },
  { id: 'LR120', what: 'two milestones for two schedulers', severity: 'error', says: 'number of schedulers 2 and the number of milestones to be equal to 2',
    fire: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=⟦[2, 4]⟧)`, quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=[2])` },
  { id: 'LR121', what: 'a member on another optimizer', severity: 'error', says: 'expects all schedulers to belong to the same optimizer',
    fire: `${MEMBERS}d = L.ExponentialLR(adam, gamma=0.9)\ns = L.SequentialLR(opt, schedulers=⟦[a, d]⟧, milestones=[2])`,
    quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=[2])` },
  { id: 'LR122', what: 'unsorted milestones', severity: 'warning', says: 'scheduler 1 never runs',
    fire: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b, c], milestones=⟦[5, 2]⟧)`, quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b, c], milestones=[2, 5])` },
  { id: 'LR123', what: 'milestone 0', severity: 'warning',
    fire: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=⟦[0]⟧)`, quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=[1])` },
  { id: 'LR124', what: 'a ChainedScheduler inside SequentialLR', severity: 'error', says: "'ChainedScheduler' object has no attribute 'last_epoch'",
    fire: `${MEMBERS}ch = L.ChainedScheduler([b, c])\ns = L.SequentialLR(opt, schedulers=⟦[a, ch]⟧, milestones=[2])`,
    quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, c], milestones=[2])` },
  { id: 'LR125', what: 'ReduceLROnPlateau inside SequentialLR', severity: 'error',
    fire: `${MEMBERS}p = L.ReduceLROnPlateau(opt)\ns = L.SequentialLR(opt, schedulers=⟦[a, p]⟧, milestones=[2])`,
    quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=[2])` },
  { id: 'LR126', what: 'OneCycleLR second in SequentialLR', severity: 'warning',
    fire: `${MEMBERS}o = L.OneCycleLR(opt, max_lr=1.0, total_steps=10)\ns = L.SequentialLR(opt, schedulers=⟦[a, o]⟧, milestones=[2])`,
    quiet: `${MEMBERS}o = L.OneCycleLR(opt, max_lr=1.0, total_steps=10)\ns = L.SequentialLR(opt, schedulers=[o, a], milestones=[2])` },
  { id: 'LR127', what: 'MultiplicativeLR second in SequentialLR', severity: 'information',
    fire: `${MEMBERS}m = L.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)\ns = L.SequentialLR(opt, schedulers=⟦[a, m]⟧, milestones=[2])`,
    quiet: `${MEMBERS}m = L.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)\ns = L.SequentialLR(opt, schedulers=[m, a], milestones=[2])` },
  { id: 'LR128', what: 'SequentialLR resumed', severity: 'warning',
    fire: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=[2], last_epoch=⟦3⟧)`, quiet: `${MEMBERS}s = L.SequentialLR(opt, schedulers=[a, b], milestones=[2])` },
  { id: 'LR130', what: 'an empty ChainedScheduler', severity: 'error', says: 'IndexError: list index out of range',
    fire: 's = L.ChainedScheduler(⟦[]⟧)', quiet: `${MEMBERS}s = L.ChainedScheduler([a])` },
  { id: 'LR131', what: 'LambdaLR inside ChainedScheduler', severity: 'warning',
    fire: `${MEMBERS}l = L.LambdaLR(opt, lr_lambda=lambda e: 0.9 ** e)\ns = L.ChainedScheduler(⟦[c, l]⟧)`, quiet: `${MEMBERS}s = L.ChainedScheduler([b, c])` },
  { id: 'LR140', what: 'T_0 0', severity: 'error', says: 'Expected positive integer T_0, but got 0',
    fire: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=⟦0⟧, T_up=2)`, quiet: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=2)` },
  { id: 'LR140', what: 'T_up -1', severity: 'error', says: 'Expected positive integer T_up, but got -1',
    fire: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=⟦-1⟧)`, quiet: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=0)` },
  { id: 'LR141', what: 'the blog class on lr 0.01', severity: 'warning',
    says: "the optimizer's lr (0.01) is this scheduler's warm-up start and cosine floor, so the curve spans only [0.01, 0.1]; the class expects lr=0",
    fire: `${BLOG}opt1 = torch.optim.Adam(model.parameters(), lr=⟦0.01⟧)\ns = CosineAnnealingWarmUpRestarts(opt1, T_0=150, T_up=10, eta_max=0.1, gamma=0.5)`,
    quiet: `${BLOG}opt1 = torch.optim.Adam(model.parameters(), lr=0)\ns = CosineAnnealingWarmUpRestarts(opt1, T_0=150, T_up=10, eta_max=0.1, gamma=0.5)` },
  { id: 'LR146', what: 'lr above eta_max', severity: 'warning', says: 'inverted',
    fire: `${BLOG}opt1 = torch.optim.Adam(model.parameters(), lr=⟦0.2⟧)\ns = CosineAnnealingWarmUpRestarts(opt1, T_0=10, T_up=2, eta_max=0.1)`,
    quiet: `${BLOG}opt1 = torch.optim.Adam(model.parameters(), lr=0.05)\ns = CosineAnnealingWarmUpRestarts(opt1, T_0=10, T_up=2, eta_max=0.1)` },
  { id: 'LR146', what: 'gamma sinking the peak to the floor in cycle 2', severity: 'warning', says: 'from cycle 2 (step 20)',
    fire: `${BLOG}opt1 = torch.optim.Adam(model.parameters(), lr=⟦0.03⟧)\ns = CosineAnnealingWarmUpRestarts(opt1, T_0=10, T_up=2, eta_max=0.1, gamma=0.5)`,
    quiet: `${BLOG}opt1 = torch.optim.Adam(model.parameters(), lr=0.03)\ns = CosineAnnealingWarmUpRestarts(opt1, T_0=10, T_up=2, eta_max=0.1, gamma=0.9)` },
  { id: 'LR142', what: 'T_up = T_0', severity: 'warning',
    fire: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=⟦10⟧)`, quiet: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=5)` },
  { id: 'LR143', what: 'step(epoch) with T_mult 2 and T_up 2', severity: 'warning',
    fire: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=5, T_mult=2, T_up=2)\n⟦s.step(5)⟧`,
    quiet: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=5, T_mult=1, T_up=2)\ns.step(5)` },
  { id: 'LR144', what: 'get_last_lr() on the blog class', severity: 'error', says: "no attribute '_last_lr'",
    fire: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=2)\nprint(⟦s.get_last_lr()⟧)`,
    quiet: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=2)\nprint(opt0.param_groups[0]['lr'])` },
  { id: 'LR145', what: 'no warm-up', severity: 'information',
    fire: `${BLOG}s = ⟦CosineAnnealingWarmUpRestarts⟧(opt0, T_0=10)`, quiet: `${BLOG}s = CosineAnnealingWarmUpRestarts(opt0, T_0=10, T_up=2)` },
  { id: 'LR150', what: 'warmup_steps 0', severity: 'warning',
    fire: `${BLOG}s = WarmupConstantSchedule(opt, warmup_steps=⟦0⟧)`, quiet: `${BLOG}s = WarmupConstantSchedule(opt, warmup_steps=4)` },
  { id: 'LR160', what: 'ExponentialLR(0.5) over 100 steps', severity: 'warning', steps: 100, quietSteps: 30,
    fire: 's = L.ExponentialLR(opt, gamma=⟦0.5⟧)', quiet: 's = L.ExponentialLR(opt, gamma=0.5)' },
  { id: 'LR141', what: "a param group's own lr (groups differ)", severity: 'warning', says: "param group 0: the optimizer's lr (0.01)",
    fire: `${BLOG}o2 = torch.optim.SGD([{'params': model.weight, 'lr': ⟦0.01⟧}, {'params': model.bias, 'lr': 0}], lr=0.05)\n` +
      's = CosineAnnealingWarmUpRestarts(o2, T_0=10, T_up=2, eta_max=0.1)',
    quiet: `${BLOG}o2 = torch.optim.SGD([{'params': model.weight, 'lr': 0}, {'params': model.bias, 'lr': 0}], lr=0.05)\n` +
      's = CosineAnnealingWarmUpRestarts(o2, T_0=10, T_up=2, eta_max=0.1)' },
  { id: 'LR141', what: 'an lr that cannot be evaluated stays silent', severity: 'warning',
    fire: `${BLOG}o2 = torch.optim.SGD(model.parameters(), lr=⟦0.01⟧)\ns = CosineAnnealingWarmUpRestarts(o2, T_0=10, T_up=2, eta_max=0.1)`,
    quiet: `${BLOG}o2 = torch.optim.SGD(model.parameters(), lr=args.lr)\ns = CosineAnnealingWarmUpRestarts(o2, T_0=10, T_up=2, eta_max=0.1)` },
  // TypeScript: the same rules through the TS frontend.
  { id: 'LR141', what: 'the blog class on lr 0.01 (TypeScript)', lang: 'typescript', severity: 'warning', says: 'spans only [0.01, 0.1]',
    fire: 'const o = optim.Adam([], { lr: ⟦0.01⟧ });\nconst s = new CosineAnnealingWarmUpRestarts(o, { T_0: 150, T_up: 10, eta_max: 0.1 });',
    quiet: 'const o = optim.Adam([], { lr: 0 });\nconst s = new CosineAnnealingWarmUpRestarts(o, { T_0: 150, T_up: 10, eta_max: 0.1 });' },
  { id: 'LR080', what: 'T_0 0 (TypeScript)', lang: 'typescript', severity: 'error', says: 'Expected positive integer T_0, but got 0',
    fire: 'const s = new L.CosineAnnealingWarmRestarts(opt, { T_0: ⟦0⟧ });', quiet: 'const s = new L.CosineAnnealingWarmRestarts(opt, { T_0: 5 });' },
];

async function run(src: string, lang: Lang, steps: number | undefined) {
  const { text, ranges } = marked((lang === 'python' ? PY : TS) + src);
  const options: AnalyzeOptions = steps === undefined ? {} : { steps };
  return { ranges, diags: await diagnosticsOf(text, lang, options) };
}

describe('lint rules (docs/torch-schedulers.md §7) through the whole pipeline', () => {
  for (const c of CASES) {
    const lang = c.lang ?? 'python';
    describe(`${c.id}: ${c.what}`, () => {
      it(`reports ${c.id} (${c.severity}) on the marked range`, async () => {
        const { ranges, diags } = await run(c.fire, lang, c.steps);
        assert.strictEqual(ranges.length, 1, 'the snippet must mark one range');
        const mine = diags.filter((d) => d.code === c.id);
        assert.ok(mine.length, `no ${c.id}; got:\n  ${show(diags)}`);
        const hit = mine.find((d) => sameRange(d.range, ranges[0]!));
        assert.ok(hit, `${c.id} not at ${showRange(ranges[0]!)}:\n  ${show(mine)}`);
        assert.strictEqual(hit!.severity, c.severity, hit!.message);
        if (c.says) assert.ok(hit!.message.includes(c.says), `message lacks "${c.says}": ${hit!.message}`);
        // One failure, one diagnostic: nothing else is reported on the same place with the same id,
        // and a torch failure of that construction is this diagnostic (mapped to this id), not another one.
        assert.strictEqual(mine.filter((d) => sameRange(d.range, hit!.range)).length, 1, show(mine));
        const { text } = marked((lang === 'python' ? PY : TS) + c.fire);
        const owner = (await analyze(text, lang, c.steps ? { steps: c.steps, strict: true } : { strict: true })).schedulers.find((s) => s.diagnostics.some((d) => d.code === c.id));
        const failure = owner?.failure;
        if (failure && c.severity === 'error') {
          const carriers = owner!.diagnostics.filter((d) => d.message.includes(`${failure.type}: ${failure.message}`));
          assert.deepStrictEqual(carriers.map((d) => d.code), [c.id], show(owner!.diagnostics));
        }
      });
      it(`stays quiet on the close variant`, async () => {
        const { diags } = await run(c.quiet, lang, c.quietSteps ?? c.steps);
        const mine = diags.filter((d) => d.code === c.id);
        assert.strictEqual(mine.length, 0, `unexpected:\n  ${show(mine)}`);
      });
    });
  }
});
