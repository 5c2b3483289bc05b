/**
 * Hugging Face's frameworks that step a schedule for the script, as the walk meets them (docs/families.md):
 *
 * - accelerate's `Accelerator(gradient_accumulation_steps=…)`: the factor `with accelerator.accumulate(model):` and
 *   `if accelerator.sync_gradients:` step the optimizer (and the prepared scheduler) by. accelerate's own default is 1
 *   ("If not passed, will default to the value in the environment variable ACCELERATE_GRADIENT_ACCUMULATION_STEPS",
 *   which `accelerate launch --gradient_accumulation_steps` sets), and it also syncs at the end of the data loader.
 * - transformers' `Trainer(…, args=training_args, optimizers=(optimizer, lr_scheduler))`: `Trainer.__init__` keeps
 *   `self.optimizer, self.lr_scheduler = optimizers`; `create_optimizer` builds an optimizer only when none was given,
 *   and `create_scheduler` calls `get_scheduler(args.lr_scheduler_type, optimizer=…, …)` only `if self.lr_scheduler is
 *   None`. So a given optimizer carries the schedule (its lrs, not `args.learning_rate`), and a given scheduler replaces
 *   the TrainingArguments' schedule, stepped once per optimizer update (`max_steps`, or epochs × updates per epoch).
 */
import type { Accumulation, RunInfo } from '../../analysis/run';
import type { FoundCall } from '../../analysis/types';
import { trainerLength, type TrainerKind } from '../../engine/families/trainer';
import type { ConstructionRecorder, Slot } from '../contract';
import type { EvaluatedArgs } from './interp';
import { shortText, type SyntaxNode } from './syntax';
import { intOf, type PyVal } from './values';

/** The factor one `Accelerator(…)` call sets: a value (with its labels), or why it is unknown. */
interface AcceleratorCall { factor: PyVal | null; reason: string | null }

/** A transformers `Trainer(…)` call: its `args` and `optimizers` values, where it is written. */
export interface HfTrainerCall {
  node: SyntaxNode;
  args: PyVal | null;
  optimizers: { val: PyVal; node: SyntaxNode } | null;
  /** Why the call cannot be read (a `**kwargs` not expanded). */
  reason: string | null;
}

/** transformers' `Trainer`, `Seq2SeqTrainer`, TRL's `SFTTrainer`: they all build the schedule with `create_scheduler`. */
const HF_TRAINER = /^(transformers(\.trainer(_seq2seq)?)?\.(Seq2Seq)?Trainer|trl(\.trainer(\.sft_trainer)?)?\.SFTTrainer)$/;
const ACCELERATOR = /^accelerate(\.accelerator)?\.Accelerator$/;

export class HfFacts {
  readonly accelerators: AcceleratorCall[] = [];
  readonly trainers: HfTrainerCall[] = [];

  /** A call of a library path the walk does not evaluate: recorded when it is one of the above. */
  call(path: string, args: EvaluatedArgs, n: SyntaxNode): void {
    if (ACCELERATOR.test(path)) this.accelerators.push(acceleratorCall(args));
    else if (HF_TRAINER.test(path)) {
      const kw = (k: string) => args.kw.find(([name]) => name === k)?.[1];
      const a = kw('args') ?? args.pos[1];
      // `optimizers` is never passed by position (its index differs between transformers versions).
      const o = kw('optimizers');
      this.trainers.push({ node: n, args: a?.val ?? null, optimizers: o ? { val: o.val, node: o.node } : null, reason: args.splatReason });
    }
  }

  /**
   * The accumulation `with accelerator.accumulate(…)` / `if accelerator.sync_gradients` steps by: the k-th call syncs
   * when k is a multiple of the factor, and at the end of the data loader (counted from 0 every epoch).
   */
  accelerateAccumulation(): Accumulation {
    const unknownWhy = (reason: string): Accumulation => ({ counter: '', add: 1, every: null, residue: 0, lastBatch: true, reason });
    if (!this.accelerators.length) return unknownWhy('no `Accelerator(…)` call in this file: its gradient_accumulation_steps is not known');
    const first = this.accelerators[0]!;
    if (first.reason) return unknownWhy(first.reason);
    const k = intOf(first.factor);
    if (k === null || !Number.isSafeInteger(k) || k < 1) return unknownWhy(`\`gradient_accumulation_steps\` of \`Accelerator(…)\` is not a known whole number${first.factor?.k === 'unknown' ? `: ${first.factor.reason}` : ''}`);
    for (const other of this.accelerators.slice(1)) {
      if (other.reason || intOf(other.factor) !== k) return unknownWhy('several `Accelerator(…)` calls in this file set different gradient_accumulation_steps');
    }
    return { counter: '', add: 1, every: k, residue: 0, lastBatch: true, ...(first.factor?.assumed ? { assumed: `accumulation factor ${k}: ${first.factor.assumed}` } : {}) };
  }
}

function acceleratorCall(args: EvaluatedArgs): AcceleratorCall {
  const kw = (k: string) => args.kw.find(([name]) => name === k)?.[1];
  if (kw('gradient_accumulation_plugin')) return { factor: null, reason: 'the accumulation factor is set by a `GradientAccumulationPlugin`, which is not read' };
  const given = kw('gradient_accumulation_steps');
  if (given) return { factor: given.val, reason: null };
  if (args.splatReason) return { factor: null, reason: `\`Accelerator(…)\`: ${args.splatReason}` };
  // Positional: device_placement, split_batches, mixed_precision, gradient_accumulation_steps (accelerate ≥ 0.13).
  const pos = args.pos[3];
  if (pos) return { factor: pos.val, reason: null };
  return {
    factor: {
      k: 'int', v: 1,
      assumed: '`Accelerator()` without gradient_accumulation_steps: accelerate\'s default 1 (unless `accelerate launch --gradient_accumulation_steps` sets ' +
        'ACCELERATE_GRADIENT_ACCUMULATION_STEPS)',
    },
    reason: null,
  };
}

/** `optimizers=(optimizer, scheduler)` as the Trainer unpacks it: each item, or why it is not known. */
export function trainerOptimizers(call: HfTrainerCall): { optimizer: PyVal; scheduler: PyVal; text: string } | { reason: string } | null {
  const o = call.optimizers;
  if (!o) return null;
  const v = o.val;
  if (v.k === 'list' && v.items.length === 2) return { optimizer: v.items[0]!, scheduler: v.items[1]!, text: shortText(o.node, 60) };
  if (v.k === 'unknown') return { reason: `\`optimizers=${shortText(o.node, 40)}\`: ${v.reason}` };
  return { reason: `\`optimizers=${shortText(o.node, 40)}\` is not a known (optimizer, scheduler) pair` };
}

/**
 * What each transformers `Trainer(…)` does with the TrainingArguments construction it is given (after the walk and the
 * run model): a given scheduler replaces its schedule (and is stepped by the Trainer, once per optimizer update); a
 * given optimizer carries it. `slotOf` turns a value met by the walk into the recorder's slot.
 */
export function applyHfTrainers(facts: HfFacts, shared: ConstructionRecorder, slotOf: (v: PyVal, node: SyntaxNode) => Slot): void {
  const done = new Set<number>();
  for (const t of facts.trainers) {
    const a = t.args;
    if (!a || a.k !== 'scheduler') continue;
    const c = shared.calls[a.call];
    if (!c || c.family !== 'trainer' || done.has(a.call)) continue;
    done.add(a.call);
    const line = `line ${t.node.startPosition.row + 1}`;
    const o = trainerOptimizers(t);
    if (!o) continue;
    if ('reason' in o) {
      shared.trainerGiven(a.call, { notBuilt: `whether the Trainer at ${line} builds this schedule is not known: ${o.reason}` });
      continue;
    }
    const { optimizer, scheduler, text } = o;
    if (scheduler.k !== 'none') {
      if (scheduler.k === 'unknown') {
        shared.trainerGiven(a.call, { notBuilt: `whether the Trainer at ${line} builds this schedule depends on the scheduler it is given (\`optimizers=${text}\`), which is not known: ${scheduler.reason}` });
        continue;
      }
      const given = scheduler.k === 'scheduler' ? shared.calls[scheduler.call] : undefined;
      const name = given ? `\`${given.variable ?? given.kind}\`` : 'the scheduler it is given';
      shared.trainerGiven(a.call, {
        notBuilt: `not built: the Trainer at ${line} is given a scheduler (\`optimizers=${text}\`), and transformers builds the TrainingArguments' ` +
          `schedule only when none is given (Trainer.create_scheduler), so ${name} is what runs`,
      });
      if (given?.stepping && !given.stepping.sites.length) given.stepping.trainer = trainerRun(c, line);
      continue;
    }
    // `(None, None)`: the Trainer builds both, as without `optimizers`.
    if (optimizer.k === 'none') continue;
    const node = t.optimizers!.node.type === 'tuple' ? t.optimizers!.node.namedChildren[0] ?? t.optimizers!.node : t.optimizers!.node;
    shared.trainerGiven(a.call, {
      optimizer: slotOf(optimizer, node),
      note: `built by the Trainer at ${line} on the optimizer it is given (\`optimizers=${text}\`): that optimizer's lr is the peak, not learning_rate ` +
        '(Trainer.create_optimizer builds an AdamW from learning_rate only when no optimizer is given)',
    });
  }
}

/** The run a Trainer steps a given scheduler for: once per optimizer update, `max_steps` or epochs × updates per epoch. */
function trainerRun(c: FoundCall, line: string): RunInfo {
  const run = (over: Partial<RunInfo> & Pick<RunInfo, 'source'>): RunInfo => ({
    unit: 'optimizer-step', epochs: null, stepsPerEpoch: null, steps: null, stepSites: [], via: [], sites: [], handedTo: [`the Trainer at ${line}`],
    lightning: null, ...over, assumed: c.assumed.filter((x) => LENGTH_ARGS.includes(x.what)).map((x) => `${x.what}: ${x.why}`),
  });
  const unknown = c.argInfo.find((i) => LENGTH_ARGS.includes(i.name) && !i.known);
  if (unknown) {
    const reason = `the Trainer at ${line} steps it once per optimizer update; \`${unknown.name}\` is not known${unknown.reason ? `: ${unknown.reason}` : ''}`;
    return run({ source: reason, reason });
  }
  const len = trainerLength(c.kind as TrainerKind, c.args);
  if (len.maxSteps !== null) return run({ steps: len.maxSteps, source: `the Trainer at ${line}: max_steps=${len.maxSteps} optimizer updates` });
  const k = len.accumulation;
  const source = `the Trainer at ${line}: num_train_epochs=${len.epochs} × updates per epoch (gradient_accumulation_steps=${k})`;
  if (!Number.isSafeInteger(len.epochs) || len.epochs < 0 || !Number.isSafeInteger(k) || k < 1) {
    return run({ source: `${source}: not counted (a whole number of epochs and a positive factor are needed)` });
  }
  return run({ epochs: len.epochs, source, accumulation: { read: { counter: '', add: 1, every: k, residue: 0, lastBatch: true }, start: 0 } });
}

/** The TrainingArguments fields the run length reads. */
const LENGTH_ARGS = ['max_steps', 'num_train_epochs', 'gradient_accumulation_steps'];
