/**
 * The contract between the frontends and the one construction recorder
 * (src/analysis/recorder.ts). Each frontend evaluates a call in its own
 * language and hands over a language-neutral evaluated call: the callee, its
 * positional and keyword slots, each a value (the engine's Arg shape, any part
 * of which may be unknown with a reason) with where it is written and how it is
 * shown. The recorder binds it to torch's signature, fills in defaults, resolves
 * the optimizer, records members and uses. Types only: frontends import no code
 * of the pipeline.
 */
import type { Arg, ConstructionKind, Program } from '../engine/types';
import type { FoundCall, LastEpochWrite, Range } from '../analysis/types';

/**
 * A value that cannot be known statically; `reason` says why in the user's words. `source` identifies
 * the expression that produced it (one value read through several variables keeps it), so that one
 * unresolved optimizer used by several schedulers is one assumed optimizer; without it the reason does.
 */
export interface Unknown { kind: 'unknown'; reason: string; source?: string }

/**
 * An evaluated value: the engine's Arg, where any part may be unknown. A value with no
 * unknown part is an engine Arg as it stands.
 */
export type Value =
  | Exclude<Arg, { kind: 'list' } | { kind: 'dict' } | { kind: 'object' }>
  | { kind: 'list'; items: Value[]; tuple?: boolean }
  | { kind: 'dict'; entries: [string, Value][] }
  /**
   * `mayCall`: the object was made by code the frontend does not evaluate, so it may be callable;
   * why calling it is not known (torch calls `lr_lambda` / `scale_fn`). Without it, calling raises.
   */
  | { kind: 'object'; typeName: string; mayCall?: string }
  | Unknown;

/** See SchedulerCall.branch. */
export interface Branch { note: string; taken: boolean }

/** One argument as written: its value, where it is, and how the frontend shows it. */
export interface Slot {
  value: Value;
  /** The value expression (or the object / spread it was read from). */
  range: Range;
  /** The whole argument (`name=value`, `key: value`) when the frontend has it. */
  fullRange?: Range;
  /** Source text of the value expression. */
  text: string;
  /** A known value in Python syntax, in the frontend's words (schedulers and optimizers by their variable). */
  display: string;
  /** How a known value was obtained when it is not written as a literal, e.g. `EPOCHS // 3 = 100`. */
  origin?: string;
  /** Where a value read from another file is written (`hyp.yaml: lr0`, `conf/settings.py:9`); `origin` ends with it. */
  source?: string;
  /** The label of an assumption a known value rests on (e.g. the default of `--lr`). */
  assumed?: string;
  /** That assumption includes a stand-in of LR Lens's own (a data loader's length), not only values the program takes. */
  standIn?: boolean;
  /** The value was read out of another expression (a `**dict`, a spread, an options variable): `range` is that expression's. */
  indirect?: boolean;
  /** JS `undefined`: the parameter's default is used when it has one (the value is unknown, its reason says what). */
  undefinedValue?: boolean;
}

interface EvaluatedCall {
  /** The whole call expression. */
  range: Range;
  /** Name the construction is assigned to, or null. */
  variable: string | null;
  positional: Slot[];
  keywords: [string, Slot][];
  /** Why the arguments are not all known as a whole (an unexpanded `*args`, spread or options object). */
  reason: string | null;
}

export interface SchedulerCall extends EvaluatedCall {
  /** torch's class (or the blog's), or another family's `family.name` (FAMILY_SIGNATURES). */
  kind: ConstructionKind;
  /** 'torch' | 'blog' | the other family ('transformers', 'timm', …). */
  family: string;
  calleeRange: Range;
  /**
   * Where the call is written: its class, else its function (null at module level). An unresolved
   * optimizer written the same way for the same reason (`self.optimizer`) is one source only within it.
   */
  scope: string | null;
  /** Set for a call the evaluation never reached: its arguments are shown, nothing is built, the optimizer is not resolved. */
  unreached: string | null;
  /**
   * The branch the call is on when assumed values decide it: `note` says which (`on the branch \`…\`, not
   * taken with the default arguments`); a construction on a branch not `taken` is previewed on its own.
   */
  branch?: Branch;
  /** Earlier constructions (their `calls` indices) on another branch of the same `if`/`elif`/`else`: never run before this one. */
  exclusiveWith?: number[];
  /**
   * A class recognised by its name only (katsura's, pl_bolts', the blog's), imported from a module LR Lens did not read
   * (`from mylib.sched import CosineAnnealingWarmupRestarts`): why it is taken as the library's. Its signature is then
   * an assumption: a call that does not fit it "would raise if" the class is the library's, never an error.
   */
  byName?: string;
  /**
   * With `byName`: the module is not the library's at all (a TS/JS port, `import { StepLR } from 'deepbox/optim'`), so
   * torch's class is LR Lens's own stand-in for it (a placeholder assumption) and every failure depends on it.
   */
  byNameStandIn?: boolean;
}

export interface OptimizerCall extends EvaluatedCall {
  /** Class name ('SGD', 'Adam', … or another class given as an optimizer). */
  type: string;
  /**
   * Built in another file of the workspace (`train.py:26`), by a caller of this file's functions that passes it
   * (src/frontends/python/callers.ts): its ranges are that file's, so none is kept (no quick fix edits it here).
   */
  foreign?: string;
}

/** What a scheduler construction evaluates to: its FoundCall, and its program index when it could be built. */
export interface SchedulerRef { call: number; index: number | null }

/** The recorder as the frontends see it. */
export interface ConstructionRecorder {
  readonly program: Program;
  /** In the order recorded. */
  readonly calls: FoundCall[];
  scheduler(call: SchedulerCall): SchedulerRef;
  /** Returns the optimizer's index in `program.optimizers`. */
  optimizer(call: OptimizerCall): number;
  /** `.step()`, `.get_last_lr()`, … on the scheduler of `calls[call]`; other methods are ignored (their arguments never converted). */
  use(call: number, method: string, range: Range, args: () => Value[], write?: LastEpochWrite): void;
  /**
   * The scheduler of `calls[call]` is given to a library callable, by its resolved path (`from keras.callbacks import
   * LearningRateScheduler as LRS; LRS(cdr)` is `keras.callbacks.LearningRateScheduler`): what that callable does with
   * it may decide how it runs (analyze.ts).
   */
  givenTo(call: number, path: string): void;
  /** A scheduler as a value: a reference when it was built, else unknown with the reason. */
  schedulerValue(call: number): Value;
  /**
   * The construction of `calls[call]` is reached again through another call of the function it is
   * written in (`b = mk(o2, 50)` after `a = mk(o1, 10)`): that is another scheduler, recorded as `c`
   * (its range and variable those of the call `again` that builds it) and previewed there; both say so.
   * `first`: the call that built the first one.
   */
  again(call: number, c: SchedulerCall, first: Range | null, callee: string): SchedulerRef;
  /**
   * As `again`, beyond the number of schedulers previewed per construction: not recorded. Returns why it
   * is unknown: the frontend gives that call an unknown value, so nothing uses it as the first one.
   */
  builtAgain(call: number, first: Range | null, again: Range, callee: string): string;
  /**
   * `calls[call]` is written in another file (`where`, `file.py:12`) and built by `callee`, a function this file calls,
   * at the call its range is: its diagnostics are shown there (without quick fixes), and it says so.
   */
  builtElsewhere(call: number, callee: string, where: string): void;
  /** How a scheduler (`calls[call]`) or an optimizer is shown as a value: its variable, else `Kind(…)`. */
  schedulerName(call: number): string;
  optimizerName(index: number): string;
  /**
   * A Hugging Face `Trainer` is given the settings of `calls[call]` (a TrainingArguments construction) with
   * `optimizers=(optimizer, scheduler)`: `optimizer` set, the schedule is built on it; `notBuilt` set, the Trainer never
   * builds this schedule (it was given one, or whether it was is unknown), said so. `note` says it on the construction.
   */
  trainerGiven(call: number, given: { optimizer?: Slot; notBuilt?: string; note?: string; assumption?: { what: string; value: string; why: string } }): void;
}
