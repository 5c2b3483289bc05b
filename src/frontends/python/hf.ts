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
import { FAMILY_SIGNATURES } from '../../engine/families/signatures';
import type { Arg } from '../../engine/types';
import type { ConstructionRecorder, Slot } from '../contract';
import { familyOfPath } from './families';
import type { ArgSlot, EvaluatedArgs, Interpreter } from './interp';
import { shortText, type SyntaxNode } from './syntax';
import { intOf, repr, type PyVal } from './values';

/** The factor one `Accelerator(…)` call sets: a value (with its labels), or why it is unknown. */
interface AcceleratorCall { factor: PyVal | null; reason: string | null; node?: number }

/** A transformers `Trainer(…)` call: its `args` and `optimizers` values, where it is written. */
export interface HfTrainerCall {
  node: SyntaxNode;
  args: PyVal | null;
  optimizers: { val: PyVal; node: SyntaxNode } | null;
  /** Why the call cannot be read (a `**kwargs` not expanded). */
  reason: string | null;
  /** A subclass of the file's (`class MyTrainer(Trainer)`): its name and the Trainer methods it overrides that build the schedule. */
  subclass?: { name: string; overrides: string[] };
}

/** The Trainer methods that build the optimizer and the schedule (a subclass overriding them builds its own). */
const BUILDERS = ['create_optimizer_and_scheduler', 'create_scheduler', 'create_optimizer'];

/**
 * transformers' `Trainer`, `Seq2SeqTrainer`, TRL's `SFTTrainer`, `DPOTrainer`, …, sentence-transformers'
 * `SentenceTransformerTrainer`, `CrossEncoderTrainer`, `SparseEncoderTrainer`: they all build the schedule with `create_scheduler`.
 */
const HF_TRAINER = new RegExp('^(transformers(\\.trainer(_seq2seq)?)?\\.(Seq2Seq)?Trainer' +
  '|trl(\\.trainer(\\.(sft|dpo|kto|grpo|rloo|reward|orpo|cpo|bco|online_dpo|xpo|nash_md|prm|gkd)_trainer)?)?\\.(SFT|DPO|KTO|GRPO|RLOO|Reward|ORPO|CPO|BCO|OnlineDPO|XPO|NashMD|PRM|GKD)Trainer' +
  '|trl\\.experimental\\.(orpo|cpo|bco|online_dpo|xpo|nash_md|prm|gkd)(\\.\\w+_trainer)?\\.(ORPO|CPO|BCO|OnlineDPO|XPO|NashMD|PRM|GKD)Trainer' +
  '|sentence_transformers(\\.(cross_encoder|sparse_encoder))?(\\.trainer)?\\.(SentenceTransformer|CrossEncoder|SparseEncoder)Trainer)$');
const ACCELERATOR = /^accelerate(\.accelerator)?\.Accelerator$/;
/** transformers' own `Trainer` / `Seq2SeqTrainer` (TRL's and sentence-transformers' make their own configs when given none). */
const TRANSFORMERS_TRAINER = /^transformers(\.trainer(_seq2seq)?)?\.(Seq2Seq)?Trainer$/;

/** Words that make a function body worth walking (relevance.ts): a Trainer call and the parser of its arguments. */
export const HF_WORDS = ['Trainer', 'Seq2SeqTrainer', 'SFTTrainer', 'DPOTrainer', 'KTOTrainer', 'GRPOTrainer', 'RLOOTrainer', 'RewardTrainer', 'ORPOTrainer', 'CPOTrainer', 'BCOTrainer',
  'OnlineDPOTrainer', 'XPOTrainer', 'NashMDTrainer', 'PRMTrainer', 'GKDTrainer', 'SentenceTransformerTrainer',
  'CrossEncoderTrainer', 'SparseEncoderTrainer', 'HfArgumentParser', 'TrlParser'];

export class HfFacts {
  readonly accelerators: AcceleratorCall[] = [];
  readonly trainers: HfTrainerCall[] = [];

  /** A call of a library path the walk does not evaluate: recorded when it is one of the above. */
  /** A class of the file called: a subclass of transformers' Trainer is recorded as one, with the builders it overrides. */
  classCall(I: Interpreter, cls: PyVal & { k: 'class' }, args: EvaluatedArgs, n: SyntaxNode): void {
    const overrides = new Set<string>();
    const visit = (c: PyVal, depth: number): string | null => {
      if (depth > 8) return null;
      if (c.k === 'ref') return HF_TRAINER.test(c.path) ? c.path : null;
      if (c.k !== 'class') return null;
      for (const m of BUILDERS) if (c.attrs.get(m)?.k === 'func') overrides.add(m);
      for (const b of c.bases ?? []) {
        const p = visit(b, depth + 1);
        if (p) return p;
      }
      return null;
    };
    const path = visit(cls, 0);
    if (!path) return;
    this.call(path, args, n, hfTrainerSettings(I, path, args, n, true), { name: cls.name, overrides: BUILDERS.filter((m) => overrides.has(m)) });
  }

  call(path: string, args: EvaluatedArgs, n: SyntaxNode, settings: PyVal | null = null, subclass?: HfTrainerCall['subclass']): void {
    if (ACCELERATOR.test(path)) {
      // One entry per call in the source (a loop's passes evaluate it again): a known factor wins over an unknown one.
      const next = { ...acceleratorCall(args), node: n.id };
      const i = this.accelerators.findIndex((x) => x.node === n.id);
      if (i < 0) this.accelerators.push(next);
      else if (intOf(next.factor) !== null) this.accelerators[i] = next;
    }
    else if (HF_TRAINER.test(path)) {
      const kw = (k: string) => args.kw.find(([name]) => name === k)?.[1];
      // `settings`: the schedule recorded at this call for a TrainingArguments subclass (hfTrainerSettings).
      const a = settings ? { val: settings } : kw('args') ?? args.pos[1];
      // `optimizers` is never passed by position (its index differs between transformers versions).
      const o = kw('optimizers');
      this.trainers.push({ node: n, args: a?.val ?? null, optimizers: o ? { val: o.val, node: o.node } : null, reason: args.splatReason, ...(subclass ? { subclass } : {}) });
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
    const sub = t.subclass;
    // A subclass that builds the schedule (or the optimizer and the schedule) its own way: what it builds is not followed.
    const builds = sub?.overrides.find((m) => m !== 'create_optimizer');
    if (sub && builds) {
      shared.trainerGiven(a.call, { notBuilt: `the Trainer subclass \`${sub.name}\` (called at ${line}) overrides ${builds}(): the schedule it builds is its own, which LR Lens does not follow` });
      continue;
    }
    // The Trainer steps the schedule it builds once per optimizer update, for its length (its batches per epoch are the
    // construction's own assumption, engine/families/trainer.ts); not when it is given one (below).
    if (c.stepping && !c.stepping.sites.length) c.stepping.trainer = trainerRun(c, line, false);
    const o = trainerOptimizers(t);
    // A subclass building the optimizer its own way (none given): the lrs shown are an assumption, labelled.
    if (sub?.overrides.includes('create_optimizer') && (!o || ('optimizer' in o && o.optimizer.k === 'none'))) {
      shared.trainerGiven(a.call, {
        assumption: {
          what: 'optimizer', value: 'AdamW(lr=learning_rate)',
          why: `the Trainer subclass \`${sub.name}\` (called at ${line}) overrides create_optimizer(): its optimizer and lrs are taken as transformers' AdamW with learning_rate`,
        },
      });
    }
    if (!o) continue;
    // Not stepped as the Trainer's own schedule. A construction recorded at the Trainer call itself (a TrainingArguments
    // subclass from HfArgumentParser) is handed nowhere else: its run says why, not "never stepped" (and no LR175).
    const notRun = (source: string): void => {
      if (c.stepping && !c.stepping.sites.length && !c.stepping.handedTo.length) {
        c.stepping.trainer = { ...trainerRun(c, line, false), unit: 'unknown', steps: null, epochs: null, source, reason: source };
      }
    };
    if (c.stepping && ('reason' in o || o.scheduler.k !== 'none')) delete c.stepping.trainer;
    if ('reason' in o) {
      shared.trainerGiven(a.call, { notBuilt: `whether the Trainer at ${line} builds this schedule is not known: ${o.reason}` });
      notRun(`whether the Trainer at ${line} builds this schedule is not known`);
      continue;
    }
    const { optimizer, scheduler, text } = o;
    if (scheduler.k !== 'none') {
      if (scheduler.k === 'unknown') {
        shared.trainerGiven(a.call, { notBuilt: `whether the Trainer at ${line} builds this schedule depends on the scheduler it is given (\`optimizers=${text}\`), which is not known: ${scheduler.reason}` });
        notRun(`whether the Trainer at ${line} builds this schedule depends on the scheduler it is given (\`optimizers=${text}\`)`);
        continue;
      }
      notRun(`not built: the Trainer at ${line} is given a scheduler (\`optimizers=${text}\`), which runs instead`);
      const given = scheduler.k === 'scheduler' ? shared.calls[scheduler.call] : undefined;
      const name = given ? `\`${given.variable ?? given.kind}\`` : 'the scheduler it is given';
      shared.trainerGiven(a.call, {
        notBuilt: `not built: the Trainer at ${line} is given a scheduler (\`optimizers=${text}\`), and transformers builds the TrainingArguments' ` +
          `schedule only when none is given (Trainer.create_scheduler), so ${name} is what runs`,
      });
      if (given?.stepping && !given.stepping.sites.length) given.stepping.trainer = trainerRun(c, line, true);
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

/**
 * The run a Trainer steps a scheduler for: once per optimizer update, `max_steps` or epochs × updates per epoch. `counted`:
 * the updates per epoch are counted from the assumed batches (a given scheduler); else the TrainingArguments' own schedule,
 * whose length the engine computes with its own labelled assumption.
 */
function trainerRun(c: FoundCall, line: string, counted: boolean): RunInfo {
  const run = (over: Partial<RunInfo> & Pick<RunInfo, 'source'>): RunInfo => ({
    unit: 'optimizer-step', epochs: null, stepsPerEpoch: null, steps: null, stepSites: [], via: [], sites: [], handedTo: [`the Trainer at ${line}`],
    // The TrainingArguments' own schedule lists them already; a given scheduler's run rests on them too.
    lightning: null, ...over, assumed: counted ? c.assumed.filter((x) => LENGTH_ARGS.includes(x.what)).map((x) => `${x.what}: ${x.why}`) : [],
  });
  // `TrainingArguments(**cfg)` with a `**` LR Lens cannot expand: the length fields not written by name may be in it.
  const given = (name: string) => c.argInfo.some((i) => i.name === name && i.known && i.range !== null);
  if (c.splatReason !== undefined && !given('max_steps')) {
    const reason = `the Trainer at ${line} steps it once per optimizer update; its length is not known (${c.splatReason})`;
    return run({ source: reason, reason });
  }
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
  return run({ epochs: len.epochs, source, ...(counted ? { accumulation: { read: { counter: '', add: 1, every: k, residue: 0, lastBatch: true }, start: 0 } } : {}) });
}

/** The TrainingArguments fields the run length reads. */
const LENGTH_ARGS = ['max_steps', 'num_train_epochs', 'gradient_accumulation_steps'];

// ---- HfArgumentParser and TrainingArguments subclasses ---------------------------------------------------

const HF_ARGUMENT_PARSER = /^transformers(\.hf_argparser)?\.HfArgumentParser$/;
/** TRL's `TrlParser(HfArgumentParser)` (trl/scripts/utils.py): `parse_args_and_config()` also reads a `--config` YAML file. */
const TRL_PARSER = /^trl(\.scripts(\.utils)?)?\.TrlParser$/;

/**
 * Instances made by `HfArgumentParser.parse_args_into_dataclasses()` (every field may be set on the command line), known
 * by their `missing` function (copies of the instance made by the walk keep it), with where their values may come from.
 */
const fromCommandLine = new WeakMap<object, string>();
const HF_VIA = 'command-line argument, HfArgumentParser';
const TRL_VIA = 'command-line argument or the `--config` YAML file, TrlParser';

/** `transformers.HfArgumentParser((ModelArguments, DataArguments, TrainingArguments))`: the parser, holding its dataclasses. */
export function hfArgumentParser(path: string, args: EvaluatedArgs): PyVal | null {
  const trl = TRL_PARSER.test(path);
  if (!trl && !HF_ARGUMENT_PARSER.test(path)) return null;
  const types = args.pos[0]?.val ?? args.kw.find(([k]) => k === 'dataclass_types')?.[1].val;
  if (!types) return null;
  return { k: 'ns', typeName: trl ? 'TrlParser' : 'HfArgumentParser', attrs: new Map([['dataclass_types', types]]) };
}

/**
 * `parser.parse_args_into_dataclasses()` (`return_remaining_strings=True` adds the remaining strings): one instance per
 * dataclass, each field its default labelled as assumed (the command line may set it), as argparse defaults are.
 */
export function hfParserMethod(parser: PyVal & { k: 'ns' }, method: string, args: EvaluatedArgs): PyVal | null {
  const trl = parser.typeName === 'TrlParser' && method === 'parse_args_and_config';
  if (method !== 'parse_args_into_dataclasses' && !trl) return null;
  const types = parser.attrs.get('dataclass_types');
  const classes = types?.k === 'list' ? types.items : types ? [types] : [];
  const items: PyVal[] = classes.map((c) => parsedInstance(c, trl ? TRL_VIA : HF_VIA));
  const flag = (k: string) => {
    const v = args.kw.find(([name]) => name === k)?.[1].val;
    return v?.k === 'bool' && v.v;
  };
  // TrlParser's `separate_remaining_strings=True` returns the config file's and the command line's apart.
  if (flag('return_remaining_strings')) {
    items.push({ k: 'list', items: [], tuple: false });
    if (trl && flag('separate_remaining_strings')) items.push({ k: 'list', items: [], tuple: false });
  }
  return { k: 'list', items, tuple: true };
}

function parsedInstance(c: PyVal, via: string): PyVal {
  const name = c.k === 'class' ? c.name : c.k === 'ref' ? c.path.slice(c.path.lastIndexOf('.') + 1) : '?';
  const missing = (attr: string) => `\`${name}.${attr}\` is set at run time (${via})`;
  const attrs = new Map<string, PyVal>();
  if (c.k === 'class') {
    for (const f of c.fields) {
      const d = c.attrs.get(f);
      attrs.set(f, d && d.k !== 'unknown' && d.k !== 'none'
        ? { ...d, assumed: via === HF_VIA ? `default of --${f} (dataclass \`${c.name}\`, HfArgumentParser); set at run time (command-line argument)` : `default of --${f} (dataclass \`${c.name}\`); set at run time (${via})` }
        : d?.k === 'none' ? d : { k: 'unknown', reason: missing(f) });
    }
  }
  // A library dataclass (`transformers.TrainingArguments` itself): its fields are the library's defaults, read later.
  const inst: PyVal & { k: 'ns' } = { k: 'ns', typeName: c.k === 'ref' ? c.path : name, attrs, missing, ...(c.k === 'class' ? { cls: c } : {}) };
  fromCommandLine.set(missing, via);
  return inst;
}

/** The TrainingArguments kind an instance is (a subclass in the file of transformers' or TRL's, or theirs), else null. */
function trainerKindOf(v: PyVal): TrainerKind | null {
  if (v.k !== 'ns') return null;
  if (!v.cls) {
    const f = familyOfPath(v.typeName);
    return f?.family === 'trainer' ? (f.kind as TrainerKind) : null;
  }
  const visit = (cls: PyVal, depth: number): TrainerKind | null => {
    if (depth > 8) return null;
    if (cls.k === 'ref') {
      const f = familyOfPath(cls.path);
      return f?.family === 'trainer' ? (f.kind as TrainerKind) : null;
    }
    if (cls.k !== 'class') return null;
    for (const b of cls.bases ?? []) {
      const k = visit(b, depth + 1);
      if (k) return k;
    }
    return null;
  };
  return visit(v.cls, 0);
}

/**
 * `Trainer(args=training_args)` with an instance of a TrainingArguments subclass (or one HfArgumentParser made): the
 * schedule the Trainer builds, recorded at the Trainer call with the instance's fields, transformers' own defaults for
 * the rest (labelled as assumed when the command line may set them). Returns the construction, or null.
 */
export function hfTrainerSettings(I: Interpreter, path: string, args: EvaluatedArgs, n: SyntaxNode, subclass = false): PyVal | null {
  if (!HF_TRAINER.test(path)) return null;
  const slot = args.kw.find(([k]) => k === 'args')?.[1] ?? args.pos[1];
  // transformers' own Trainer given no `args`: `Trainer.__init__` makes `TrainingArguments(output_dir="tmp_trainer")`,
  // whose schedule (linear, lr 5e-5, 3 epochs, no warm-up) it builds. Not a subclass's call (its own parameters), nor
  // a call whose `**kwargs` may pass `args`.
  // Given a scheduler (`optimizers=(opt, sched)`), it builds none: that one runs (applyHfTrainers).
  const given = args.kw.find(([k]) => k === 'optimizers')?.[1].val;
  const buildsOwn = !given || (given.k === 'list' && given.items.length === 2 && given.items[1]!.k === 'none');
  if (!slot && !subclass && !args.splatReason && buildsOwn && TRANSFORMERS_TRAINER.test(path)) {
    return I.hooks.scheduler('trainer.TrainingArguments', 'trainer', n, { pos: [], kw: [], splatReason: null });
  }
  // An instance of transformers' own class called in the file is its construction already (a scheduler value).
  if (!slot || slot.val.k !== 'ns') return null;
  const ns = slot.val;
  const kind = trainerKindOf(ns);
  if (!kind) return null;
  const sig = FAMILY_SIGNATURES[kind];
  const via = ns.missing !== undefined ? fromCommandLine.get(ns.missing) : undefined;
  const parsed = via !== undefined;
  const kw: [string, ArgSlot][] = [];
  for (const p of sig.params) {
    if (p.name === 'output_dir') continue;
    let v = ns.attrs.get(p.name);
    if (!v && parsed && p.default !== undefined) {
      const d = fromArgValue(p.default);
      const name = ns.typeName.slice(ns.typeName.lastIndexOf('.') + 1);
      if (d) v = { ...d, assumed: `${sig.name}'s default ${repr(d)}; \`${name}.${p.name}\` is set at run time (${via})` };
    }
    if (v) kw.push([p.name, { node: slot.node, val: v }]);
  }
  return I.hooks.scheduler(kind, 'trainer', n, { pos: [], kw, splatReason: null });
}

function fromArgValue(a: Arg): PyVal | undefined {
  switch (a.kind) {
    case 'int': case 'float': case 'bool': case 'str': return { k: a.kind, v: a.value } as PyVal;
    case 'dict': return { k: 'dict', entries: [] };
    // TRL's configs' `lr_scheduler_kwargs=None` (trainerArgs): a default the command line may set, labelled as the others.
    case 'none': return { k: 'none' };
    default: return undefined;
  }
}
