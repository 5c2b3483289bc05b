/**
 * The engine's data model. Pure: no `vscode`, no DOM, no I/O.
 *
 * The engine simulates what PyTorch 1.13 does with a program's optimizers and
 * learning-rate schedulers: every scheduler is constructed in program order on
 * shared, mutable param-group state (exactly as torch's objects share
 * `optimizer.param_groups`), then the target scheduler is stepped.
 * Reference: docs/torch-schedulers.md.
 */
import type { FamilyKind } from './families/signatures';

/**
 * A statically known Python value, as torch's argument checks see it.
 * `int` and `float` are kept apart because torch checks `isinstance(x, int)`
 * (e.g. `T_0=2.0` is rejected, `pct_start=1` is rejected).
 */
export type Arg =
  /** `numpy`: a numpy integer scalar's type name (`int64`): not an int to `isinstance(x, int)`. */
  | { kind: 'int'; value: number; numpy?: string }
  /** `numpy`: a numpy float32 scalar: not a float to `isinstance(x, float)` (OneCycleLR's pct_start). */
  | { kind: 'float'; value: number; numpy?: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string }
  | { kind: 'none' }
  | { kind: 'list'; items: Arg[]; tuple?: boolean }
  | { kind: 'dict'; entries: [string, Arg][] }
  /**
   * A callable the language layer can evaluate (lambda, small def, builtin). Throws PyError when Python would raise.
   * `key`: set by a language layer only when every value `call` returns (or raises) is a function of this text alone
   * (its code and everything it reads, written down); an edit's analysis then keeps the simulations that use it
   * (analysis/incremental.ts). Without it, every simulation that calls it runs again on each edit.
   */
  | { kind: 'func'; name: string; call: (x: number) => number; key?: string }
  /** A reference to `program.schedulers[index]` (SequentialLR / ChainedScheduler members). */
  | { kind: 'scheduler'; index: number }
  /** A reference to `program.optimizers[index]`. */
  | { kind: 'optimizer'; index: number }
  /** Any other object whose Python type name is known (for torch's TypeError texts). */
  | { kind: 'object'; typeName: string };

/**
 * A Python exception as torch would raise it: `type` is the class name, `message` the exact text.
 * `param`: the argument the failure is attributed to, when known (see TorchFailure.param).
 * `rule`: the catalogue id (docs/rules.md) of the torch check that raises it, set where the engine
 * replicates that check; lint keys its diagnostics by it, never by the text.
 */
export class PyError extends Error {
  constructor(readonly type: string, message: string, readonly param?: string, readonly rule?: string) {
    super(message);
    this.name = type;
  }
}

/** Which rule a generic Python error (a division by zero, a raising lambda) raised inside a check stands for. */
export interface Blame {
  rule: string;
  /** The argument it is attributed to when the error names none. */
  param?: string;
}

/** `e` with the blame's rule (and parameter) when it is a PyError that has no rule yet; anything else unchanged. */
export function blamed(e: unknown, blame: Blame | undefined): unknown {
  if (!blame || !(e instanceof PyError) || e.rule !== undefined) return e;
  return new PyError(e.type, e.message, e.param ?? blame.param, blame.rule);
}

/** Failures that are LR Lens's own limits, not torch's: reported as information under LR000. */
export function isOwnLimit(type: string): boolean {
  return type === 'InternalError' || type === 'BudgetExceeded' || type === 'UnknownValue';
}

/** The id of failures no catalogue rule describes (and of LR Lens's own limits). */
export const NO_RULE = 'LR000';

/** One param group of an optimizer, as built by the optimizer constructor (defaults already filled in). */
export interface ParamGroupInit {
  lr: number;
  momentum?: number;
  betas?: [number, number];
  /** Present only when the user set it (resume); torch's setdefault keeps it. */
  initial_lr?: number;
  /** timm's layer-decay key (`{"params": …, "lr_scale": 0.5}`): every lr timm writes is multiplied by it. */
  lr_scale?: number;
}

export interface OptimizerInit {
  /** Class name: 'SGD', 'Adam', 'AdamW', … ('Optimizer' when unknown). */
  type: string;
  /** Keys of torch's `optimizer.defaults` that matter to schedulers ('momentum', 'betas'). */
  defaults: { momentum?: number; betas?: [number, number]; lr?: number };
  groups: ParamGroupInit[];
}

export type SchedulerKind =
  | 'LambdaLR' | 'MultiplicativeLR' | 'StepLR' | 'MultiStepLR' | 'ConstantLR' | 'LinearLR'
  | 'ExponentialLR' | 'PolynomialLR' | 'CosineAnnealingLR' | 'CyclicLR' | 'OneCycleLR'
  | 'CosineAnnealingWarmRestarts' | 'SequentialLR' | 'ChainedScheduler' | 'ReduceLROnPlateau'
  | 'CosineAnnealingWarmUpRestarts' | 'WarmupConstantSchedule';

export interface SchedulerConstruction {
  kind: SchedulerKind;
  /** Arguments after binding to the signature (see `bind`); parameters left out take torch's defaults. */
  args: Record<string, Arg>;
  /** The `optimizer` argument resolved to `program.optimizers[i]` (null for ChainedScheduler: taken from members). */
  optimizer: number | null;
}

/**
 * A construction of another library's schedule (src/engine/families, docs/families.md):
 * `kind` is `family.name`, e.g. `transformers.get_scheduler`; `args` as bound by `bindFamilyCall`.
 * A schedule given to another (optax `join_schedules`) is a `scheduler` reference in the args.
 */
export interface FamilyConstructionRecord {
  kind: FamilyKind;
  args: Record<string, Arg>;
  /** The `optimizer` argument resolved to `program.optimizers[i]`; null for Keras / optax (no optimizer). */
  optimizer: number | null;
  /** Keyword arguments caught by the callable's `**kwargs` (get_reduce_on_plateau_schedule). */
  extra?: [string, Arg][];
}

/** What the program can construct: torch's classes (and the blog's) or another family's callable. */
export type Construction = SchedulerConstruction | FamilyConstructionRecord;

/** What a construction's kind can be. */
export type ConstructionKind = Construction['kind'];

/** Everything that is constructed, in program order. */
export interface Program {
  optimizers: OptimizerInit[];
  schedulers: Construction[];
  /**
   * Batches per epoch assumed where a length comes from epochs and the data's length is a run-time value (a
   * Trainer's `num_train_epochs`): the setting `lrLens.assumedStepsPerEpoch` / CLI `--steps-per-epoch`, which the
   * loop analysis uses too. Default ASSUMED_STEPS_PER_EPOCH (engine/assumed.ts).
   */
  assumedStepsPerEpoch?: number;
  /**
   * Constructions on an optimizer that could not be evaluated (their arguments are unknown), each before
   * `program.schedulers[before]`: built, torch's base class still does `group.setdefault('initial_lr', group['lr'])`,
   * so a later resume (`last_epoch` ≥ 0) finds `initial_lr`.
   */
  opaque?: { optimizer: number; before: number }[];
}

export type MarkerKind = 'warmup-end' | 'restart' | 'milestone' | 'handoff' | 'phase' | 'peak';

/** A point of interest on the curve, at value index `step`. */
export interface Marker {
  step: number;
  kind: MarkerKind;
  label: string;
}

export interface SimulateOptions {
  /** Number of values per group: value k is the lr after construction and k calls of step(). */
  steps: number;
  /** Operation budget shared with user callables (lambdas); exceeded → PyError('BudgetExceeded'). */
  maxCallableSteps?: number;
  /**
   * `scheduler.step(epoch)`: the argument of call k (value k + 1), torch's `last_epoch = epoch` and closed form
   * (CosineAnnealingWarmRestarts: its own `T_cur` from the epoch); calls past the end are plain `step()`. Applied
   * to torch's LRScheduler classes only (`SimulationResult.epochArgs` says whether it was).
   */
  epochs?: ArrayLike<number>;
  /**
   * Other schedulers of the program stepped before the target's first call, on the same param groups (a warm-up
   * stepped on one branch of `if epoch < warmup:` and the target on the other): each `calls` times, in order. Value 0
   * is then the lr they leave. `SimulationResult.before` says whether it was done.
   */
  before?: { index: number; calls: number }[];
  /**
   * `scheduler.last_epoch = k` written after the construction and before the first `step()` (Ultralytics' `scheduler.last_epoch
   * = start_epoch - 1`, a resume): torch's attribute is set, nothing else; each later `step()` moves on from k (the groups'
   * lrs stay as the construction left them). Applied to torch's LRScheduler classes only (`SimulationResult.lastEpoch`).
   */
  lastEpoch?: number;
}

export interface TorchFailure {
  type: string;
  message: string;
  /** 'construct': torch raises in the constructor; 'step': while producing value `step`. */
  phase: 'construct' | 'step';
  step: number | null;
  /** The parameter the failure is attributed to, when known (for diagnostics' ranges). */
  param?: string;
  /** The catalogue rule (docs/rules.md) the failure is, decided where it is raised; NO_RULE when none describes it. */
  rule: string;
}

export interface SimulationResult {
  /** lrs[g][k]; null when construction failed. When a step fails, holds values 0..step-1. */
  lrs: Float64Array[] | null;
  /** momentum (SGD-like) or beta1 (Adam-like) per group, for CyclicLR / OneCycleLR when they cycle it. */
  momentum: { label: 'momentum' | 'beta1'; values: Float64Array[] } | null;
  error: TorchFailure | null;
  markers: Marker[];
  /** Failures of other schedulers of the program that torch would have raised first (they are skipped). */
  otherFailures: { index: number; failure: TorchFailure }[];
  /** What one value index stands for, for the other families (src/engine/families); absent: one `scheduler.step()` call. */
  unit?: 'optimizer update' | 'epoch' | 'iteration';
  /** With `SimulateOptions.epochs`: 'applied', or 'ignored' (the target is not one of torch's LRScheduler classes). */
  epochArgs?: 'applied' | 'ignored';
  /** With `SimulateOptions.before`: 'applied', or why not (a scheduler not built on the target's groups, or raising). */
  before?: 'applied' | { reason: string };
  /** With `SimulateOptions.lastEpoch`: 'applied', or 'ignored' (the target is not one of torch's LRScheduler classes). */
  lastEpoch?: 'applied' | 'ignored';
}

/** Parameter of a torch signature. `default` undefined = required. */
export interface ParamSpec {
  name: string;
  default?: Arg;
}

export interface Signature {
  kind: SchedulerKind;
  params: ParamSpec[];
}

/** Key numbers of a curve (group 0 unless said otherwise), shown in hover, CodeLens and CLI. */
export interface CurveSummary {
  start: number;
  peak: { value: number; step: number };
  min: { value: number; step: number };
  final: number;
  /** Index where a warm-up ends (first peak after a rise from the start), or null. */
  warmupEnd: number | null;
  restarts: number[];
  milestones: number[];
}
