/**
 * Hugging Face `Trainer`'s schedule, from its settings (`TrainingArguments`, `Seq2SeqTrainingArguments`, TRL's
 * `SFTConfig`): `Trainer.create_scheduler` calls `get_scheduler(args.lr_scheduler_type, optimizer,
 * num_warmup_steps=args.get_warmup_steps(max_steps), num_training_steps=max_steps,
 * scheduler_specific_kwargs=args.lr_scheduler_kwargs)` on an AdamW with `lr=args.learning_rate`, where
 * `max_steps` is `args.max_steps` when > 0, else `ceil(num_train_epochs × update steps per epoch)`, and an epoch has
 * `ceil(batches / gradient_accumulation_steps)` updates (at least 1). The number of batches per epoch is the
 * dataset's length, known only at run time: an assumed value, said so wherever the curve is shown.
 * Warm-up (`get_warmup_steps`): `warmup_steps` when > 0 (a float below 1 is a ratio of the steps, as in
 * transformers 5), else `ceil(max_steps × warmup_ratio)`.
 */
import { ASSUMED_STEPS_PER_EPOCH } from '../assumed';
import { makeOptimizer } from '../optimizers';
import { isNumeric, toNumber } from '../py';
import { PyError, type Arg, type OptimizerInit } from '../types';
import { FamilyArgs } from './args';
import { FAMILY_SIGNATURES, type FamilyKind } from './signatures';
import type { FamilyConstruction } from './index';

// The default batches per epoch lives in a file of its own (../assumed.ts) so that the extension's settings can
// read it without bundling the families.
export { ASSUMED_STEPS_PER_EPOCH };

/** The assumed batches per epoch a program is analysed with (a whole number, at least 1). */
export function stepsPerEpochOf(program: { assumedStepsPerEpoch?: number } | null | undefined): number {
  const v = program?.assumedStepsPerEpoch;
  return v !== undefined && Number.isFinite(v) && v >= 1 ? Math.floor(v) : ASSUMED_STEPS_PER_EPOCH;
}

export type TrainerKind = Extract<FamilyKind, `trainer.${string}`>;

export function isTrainerKind(kind: string): kind is TrainerKind {
  return kind.startsWith('trainer.');
}

export interface TrainerSchedule {
  /** The `transformers.get_scheduler` call the Trainer makes, on optimizer 0 of `optimizers`. */
  schedule: FamilyConstruction;
  optimizers: OptimizerInit[];
  /** `max_steps`: the schedule's length in optimizer updates. */
  totalSteps: number;
  /** Set when the length rests on the assumed batches per epoch. */
  assumption: string | null;
  /** The batches per epoch it assumed (with `assumption`). */
  stepsPerEpoch: number;
}

const int = (value: number): Arg => ({ kind: 'int', value });

/**
 * What a Trainer's run length is made of: `max_steps` when > 0 (else null), `num_train_epochs` and
 * `gradient_accumulation_steps` (each optimizer update is `gradient_accumulation_steps` batches, the last one of an epoch
 * possibly fewer). The Trainer steps its scheduler once per optimizer update.
 */
export function trainerLength(kind: TrainerKind, given: Map<string, Arg> | Record<string, Arg>): { maxSteps: number | null; epochs: number; accumulation: number } {
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  const maxSteps = a.num('max_steps');
  return { maxSteps: maxSteps > 0 ? Math.floor(maxSteps) : null, epochs: a.num('num_train_epochs'), accumulation: a.num('gradient_accumulation_steps') };
}

/**
 * The schedule a Trainer builds from these settings (throws the PyError Python would raise reading them). `given`:
 * the optimizer passed as `Trainer(optimizers=(optimizer, None))`, which the schedule is then built on (its own lrs;
 * `learning_rate` is not read), else the Trainer's AdamW with `lr=learning_rate`.
 */
export function resolveTrainer(kind: TrainerKind, given: Map<string, Arg> | Record<string, Arg>, stepsPerEpoch = ASSUMED_STEPS_PER_EPOCH,
  optimizer: { index: number; optimizers: OptimizerInit[] } | null = null): TrainerSchedule {
  if (!(Number.isFinite(stepsPerEpoch) && stepsPerEpoch >= 1)) stepsPerEpoch = ASSUMED_STEPS_PER_EPOCH;
  stepsPerEpoch = Math.floor(stepsPerEpoch);
  const a = new FamilyArgs(FAMILY_SIGNATURES[kind], given);
  const lr = a.num('learning_rate');
  let total: number;
  let assumption: string | null = null;
  const maxSteps = a.num('max_steps');
  if (maxSteps > 0) {
    total = Math.floor(maxSteps);
  } else {
    const accum = a.num('gradient_accumulation_steps');
    if (!(accum > 0)) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero', 'gradient_accumulation_steps');
    const perEpoch = Math.max(Math.floor(stepsPerEpoch / accum) + (stepsPerEpoch % accum > 0 ? 1 : 0), 1);
    total = Math.ceil(a.num('num_train_epochs') * perEpoch);
    assumption = `the training set's length is known at run time; ${total} optimizer updates = ` +
      `ceil(num_train_epochs × ${perEpoch} updates per epoch), from ${stepsPerEpoch} batches per epoch assumed (setting ` +
      'lrLens.assumedStepsPerEpoch, CLI --steps-per-epoch)';
  }
  const ws = a.num('warmup_steps');
  const ratio = a.get('warmup_ratio');
  const warmup = ws >= 1 ? Math.floor(ws) : ws > 0 ? Math.ceil(total * ws) : Math.ceil(total * (isNumeric(ratio) ? toNumber(ratio) : 0));
  const index = optimizer ? optimizer.index : 0;
  return {
    schedule: {
      kind: 'transformers.get_scheduler',
      args: {
        name: a.get('lr_scheduler_type'), optimizer: { kind: 'optimizer', index }, num_warmup_steps: int(warmup),
        num_training_steps: int(total), scheduler_specific_kwargs: a.get('lr_scheduler_kwargs'),
      },
      optimizer: index,
    },
    optimizers: optimizer ? optimizer.optimizers : [makeOptimizer('AdamW', { lr }, null).optimizer],
    totalSteps: total,
    assumption,
    stepsPerEpoch,
  };
}
