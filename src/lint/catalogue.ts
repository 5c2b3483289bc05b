/**
 * The rule catalogue of docs/torch-schedulers.md §7: every id with its severity and a one-line title.
 * Severity meaning: error = torch raises (at construction or within the previewed horizon);
 * warning = runs, but the curve is almost surely not what was meant; information = worth knowing.
 * docs/rules.md documents each id under the anchor `#lr<number>`.
 */
import type { Severity } from '../analysis/types';

export interface RuleInfo {
  severity: Severity;
  title: string;
}

const r = (severity: Severity, title: string): RuleInfo => ({ severity, title });

export const CATALOGUE: ReadonlyMap<string, RuleInfo> = new Map<string, RuleInfo>([
  ['LR000', r('information', 'construction cannot be analysed / other Python error')],
  ['LR001', r('error', 'resume without initial_lr')],
  ['LR002', r('warning', 'step(epoch) is deprecated')],
  ['LR003', r('warning', 'verbose is deprecated')],
  ['LR010', r('error', 'one lr_lambda per param group')],
  ['LR011', r('error', 'LambdaLR lr_lambda is not callable')],
  ['LR012', r('error', 'MultiplicativeLR lr_lambda is not callable')],
  ['LR013', r('error', 'LambdaLR lambda raises or goes negative')],
  ['LR020', r('error', 'StepLR step_size is 0')],
  ['LR021', r('warning', 'StepLR step_size negative or non-integer')],
  ['LR022', r('warning', 'gamma outside (0, 1)')],
  ['LR023', r('warning', 'StepLR never decays inside the preview')],
  ['LR030', r('error', 'MultiStepLR milestones not iterable')],
  ['LR031', r('warning', 'duplicate milestones')],
  ['LR032', r('warning', 'milestone 0')],
  ['LR033', r('warning', 'milestone that never fires')],
  ['LR040', r('error', 'ConstantLR factor outside [0, 1]')],
  ['LR041', r('error', 'ConstantLR factor 0')],
  ['LR042', r('warning', 'ConstantLR total_iters never reached')],
  ['LR050', r('error', 'LinearLR factor outside [0, 1]')],
  ['LR051', r('error', 'LinearLR start_factor 0')],
  ['LR052', r('warning', 'LinearLR total_iters never reached')],
  ['LR060', r('error', 'PolynomialLR negative power')],
  ['LR061', r('warning', 'PolynomialLR does not decay to 0')],
  ['LR070', r('error', 'CosineAnnealingLR T_max is 0')],
  ['LR071', r('warning', 'CosineAnnealingLR T_max negative or non-integer')],
  ['LR072', r('warning', 'CosineAnnealingLR climbs back after T_max')],
  ['LR073', r('warning', 'eta_min not below the lr')],
  ['LR080', r('error', 'CosineAnnealingWarmRestarts T_0 / T_mult invalid')],
  ['LR081', r('error', 'CosineAnnealingWarmRestarts negative epoch')],
  ['LR082', r('warning', 'CosineAnnealingWarmRestarts step(epoch) misses a restart')],
  ['LR090', r('error', 'cycle_momentum on an optimizer without momentum')],
  ['LR091', r('error', 'CyclicLR invalid mode')],
  ['LR092', r('error', 'one value per param group')],
  ['LR093', r('error', 'CyclicLR zero-length cycle')],
  ['LR094', r('warning', 'CyclicLR turns momentum on')],
  ['LR095', r('warning', 'CyclicLR base_lr not below max_lr')],
  ['LR096', r('information', "the optimizer's lr is ignored")],
  ['LR097', r('warning', 'CyclicLR argument has no effect')],
  ['LR100', r('error', 'OneCycleLR length not defined')],
  ['LR101', r('error', 'OneCycleLR length not a positive integer')],
  ['LR102', r('error', 'OneCycleLR pct_start not a float in [0, 1]')],
  ['LR103', r('error', 'OneCycleLR anneal_strategy invalid')],
  ['LR104', r('error', 'OneCycleLR division by zero at construction')],
  ['LR105', r('error', 'OneCycleLR pct_start 1.0 fails at the last step')],
  ['LR106', r('error', 'OneCycleLR stepped past total_steps')],
  ['LR107', r('warning', 'OneCycleLR phase 3 unreachable')],
  ['LR108', r('warning', 'OneCycleLR empty warm-up')],
  ['LR110', r('error', 'ReduceLROnPlateau factor ≥ 1')],
  ['LR111', r('error', 'ReduceLROnPlateau invalid mode / threshold_mode / min_lr')],
  ['LR112', r('warning', 'ReduceLROnPlateau never reduces as expected')],
  ['LR113', r('error', 'ReduceLROnPlateau has no get_last_lr() in 1.13')],
  ['LR120', r('error', 'SequentialLR milestone count')],
  ['LR121', r('error', 'member scheduler on another optimizer')],
  ['LR122', r('warning', 'SequentialLR milestones not increasing')],
  ['LR123', r('warning', 'SequentialLR milestone ≤ 0')],
  ['LR124', r('error', 'SequentialLR containing ChainedScheduler')],
  ['LR125', r('error', 'ReduceLROnPlateau inside SequentialLR / ChainedScheduler')],
  ['LR126', r('warning', 'SequentialLR with OneCycleLR not first')],
  ['LR127', r('information', 'SequentialLR with MultiplicativeLR after a milestone')],
  ['LR128', r('warning', 'SequentialLR resume is not reconstructed')],
  ['LR130', r('error', 'ChainedScheduler empty')],
  ['LR131', r('warning', 'ChainedScheduler with an absolute scheduler')],
  ['LR140', r('error', 'CosineAnnealingWarmUpRestarts T_0 / T_mult / T_up invalid')],
  ['LR141', r('warning', "CosineAnnealingWarmUpRestarts: optimizer lr is the floor")],
  ['LR142', r('warning', 'CosineAnnealingWarmUpRestarts T_up ≥ T_0')],
  ['LR143', r('warning', 'CosineAnnealingWarmUpRestarts step(epoch) cycles differ')],
  ['LR144', r('error', 'CosineAnnealingWarmUpRestarts has no get_last_lr()')],
  ['LR145', r('information', 'CosineAnnealingWarmUpRestarts without warm-up')],
  ['LR146', r('warning', 'CosineAnnealingWarmUpRestarts curve flat or inverted')],
  ['LR150', r('warning', 'WarmupConstantSchedule without warm-up')],
  ['LR160', r('warning', 'lr underflows to ~0')],
  ['LR180', r('information', 'CosineAnnealingWarmupRestarts (katsura): optimizer lr overwritten by min_lr')],
  ['LR181', r('error', 'CosineAnnealingWarmupRestarts (katsura): warmup_steps ≥ first_cycle_steps')],
  ['LR182', r('error', 'transformers polynomial decay: lr_end ≥ lr')],
  ['LR183', r('warning', 'transformers: num_warmup_steps > num_training_steps')],
  ['LR184', r('error', 'transformers cosine_with_min_lr: neither min_lr nor min_lr_rate')],
  ['LR185', r('warning', 'timm: warm-up overlaps the decay (warmup_prefix=False)')],
  ['LR186', r('error', 'Keras PiecewiseConstantDecay: len(values) ≠ len(boundaries) + 1')],
  ['LR187', r('error', 'optax warm-up schedule: no decay left after warm-up')],
  ['LR170', r('warning', 'per-batch schedule stepped per epoch')],
  ['LR171', r('warning', 'epoch-counted schedule stepped per batch')],
  ['LR172', r('error', 'OneCycleLR stepped past total_steps by the loop')],
  ['LR173', r('warning', 'the run outlasts the schedule')],
  ['LR174', r('warning', 'scheduler.step() before optimizer.step()')],
  ['LR175', r('warning', 'scheduler never stepped')],
  ['LR176', r('warning', 'stepped more than once per iteration')],
  ['LR177', r('error', 'step() argument: missing metric, or a metric as the epoch')],
  ['LR178', r('warning', 'Lightning scheduler config')],
  ['LR179', r('warning', 'the run ends before the schedule')],
  ['LR188', r('warning', 'transformers/accelerate: num_training_steps counts batches under gradient accumulation')],
  ['LR189', r('warning', 'timm scheduler stepped the way it ignores (t_in_epochs, Lightning)')],
]);

/** The severity §7 gives a rule ('information' for ids outside the catalogue). */
export function severityOf(code: string): Severity {
  return CATALOGUE.get(code)?.severity ?? 'information';
}
