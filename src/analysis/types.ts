/**
 * What the language layer hands to its users (VS Code adapters, CLI, webview).
 * Plain data; positions are LSP-style (0-based line, UTF-16 character), so
 * `vscode.Range` conversion is trivial and the CLI can print them as JSON.
 * No `vscode` import here.
 */
import type { Arg, ConstructionKind, CurveSummary, Marker, Program, SchedulerKind, TorchFailure } from '../engine/types';
import type { WorkspaceOptions } from './workspace';
import type { RunInfo, Stepping } from './run';
export type { CurveSummary };

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit { range: Range; newText: string }

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** Safe to apply automatically (CodeAction.isPreferred). */
  preferred: boolean;
}

export interface Diagnostic {
  severity: Severity;
  /** Rule id, LR001…LR189 (docs/rules.md), or LR000 for "cannot analyse" notes. */
  code: string;
  message: string;
  range: Range;
  fixes?: QuickFix[];
}

/** One argument of a construction, evaluated statically. */
export interface ArgInfo {
  /** Parameter name in the torch signature. */
  name: string;
  /** Where the value expression is written; null when the default is used. */
  range: Range | null;
  /** The whole argument including `name=` (for removing it); null when the default is used. */
  fullRange?: Range | null;
  /** Source text of the argument expression ('' for defaults). */
  text: string;
  known: boolean;
  /** Display of the value in Python syntax, e.g. `100`, `0.1`, `[30, 60]`, `lambda epoch: …`. */
  display: string;
  /** How it was obtained when not a literal, e.g. `EPOCHS // 3 = 100`, `hparams["lr"] = 0.1`. */
  origin?: string;
  /** Why it is unknown, e.g. "`args.lr` is set at run time". */
  reason?: string;
  /** A value assumed in place of an unknown one (labelled in every view). */
  assumed?: boolean;
  isDefault: boolean;
}

/** A value as the JSON contract shows it: a number, a string (a callable or an object by its display), a list of them. */
export type AssumedValue = number | string | boolean | null | AssumedValue[];

/**
 * A value LR Lens assumed, labelled in every view and in the JSON (`{what, value, why}`; the other
 * fields say what it is part of, for lint's severity policy, and are not in the JSON). Made with
 * `assume()` (src/analysis/assumptions.ts).
 */
export interface Assumption {
  /** What was assumed: 'lr', 'lr of group 1', 'optimizer', 'param groups', 'momentum', 'betas', 'T_max', 'T_max of warmup', … */
  what: string;
  /** The value used in its place (null is Python's None). */
  value: AssumedValue;
  /** Why, in the user's words, e.g. "default of --lr; `args.lr` is set at run time (command-line argument)". */
  why: string;
  /** The scheduler parameter whose value rests on it (set for a construction's own arguments and its members'). */
  param?: string;
  /** The member scheduler (of a SequentialLR / ChainedScheduler) it belongs to, by its name. */
  member?: string;
  /** The optimizer's param group whose lr it is (`lr of group 1`). */
  group?: number;
  /**
   * LR Lens's own stand-in for a value it cannot know (an assumed SGD, the assumed lr), as opposed to a
   * value the program really takes unless told otherwise (an argparse default, a parameter's default).
   */
  placeholder?: boolean;
}

export interface Curve {
  /** lrs[g][k] for param group g; k = 0..steps-1. */
  lrs: Float64Array[];
  momentum: { label: 'momentum' | 'beta1'; values: Float64Array[] } | null;
  markers: Marker[];
  summary: CurveSummary;
}

export interface OptimizerInfo {
  type: string;
  variable: string | null;
  range: Range | null;
  /** Per-group lr as the optimizer was built (before any scheduler). */
  groupLrs: number[];
  /** The optimizer's constructor call, and its top-level `lr` value expression (null when omitted), for quick fixes. */
  callRange?: Range | null;
  lrRange?: Range | null;
  /** Notes such as "lr of group 0 assumed 0.1 (`args.lr` is set at run time)", "torch would raise …" (in plain words). */
  assumptions: string[];
  /** The assumptions among those notes, structured (what lint reads). */
  assumed: Assumption[];
  /**
   * Where its values read from another file (a module, a config) are written, worded as a scheduler
   * argument's origin: `lr = hyp["lr"] = 0.01 (hyp.yaml: lr)`. Shown with the notes of its schedulers.
   */
  origins?: string[];
}

export interface SchedulerAnalysis {
  /** Stable within a document version: `${kind}:${line}:${character}` of the call. */
  id: string;
  kind: SchedulerKind | string;
  /**
   * 'torch' | 'blog' (CosineAnnealingWarmUpRestarts, WarmupConstantSchedule) | 'transformers' | 'diffusers' |
   * 'timm' | 'katsura' | 'pl_bolts' | 'keras' | 'optax' (docs/families.md).
   */
  family: string;
  /**
   * What one value index of the curve is: 'step' (one `scheduler.step()` call, torch's schedulers),
   * 'optimizer update', 'epoch' (timm with `t_in_epochs=True`) or 'iteration' (Keras, optax).
   */
  unit: StepUnitName;
  /** Name the construction is assigned to, or null. */
  variable: string | null;
  /** The whole call expression. */
  range: Range;
  /** The callee (e.g. `lr_scheduler.StepLR`). */
  calleeRange: Range;
  /** Evaluated, bound arguments (JSON-able; functions as their display text). Only known ones. */
  args: Record<string, unknown>;
  argInfo: ArgInfo[];
  optimizer: OptimizerInfo | null;
  horizon: {
    steps: number; source: string; clamped?: boolean;
    /** The run length (run.ts) set the horizon; `argumentSteps` is what the arguments alone imply (shown as a marker). */
    fromRun?: boolean; argumentSteps?: number;
    /** The assumption the horizon rests on (an assumed number of batches per epoch). */
    assumed?: string; assumedStepsPerEpoch?: number;
  };
  /** null when no curve can be computed; `error` then says why. */
  curve: Curve | null;
  error: string | null;
  /** The torch exception this construction would raise, if any (construct or within the horizon). */
  failure: TorchFailure | null;
  diagnostics: Diagnostic[];
  /** Assumptions and unknowns, in plain words. */
  notes: string[];
  /** Every value assumed for this curve: its own arguments', its optimizer's, its members' (JSON: `{what, value, why}`). */
  assumed: Assumption[];
  /** How the script steps it and for how long (src/analysis/run.ts). */
  run?: RunInfo;
  /** For ReduceLROnPlateau and other metric-driven schedulers: why there is no curve. */
  explanation?: string;
}

/** See SchedulerAnalysis.unit. */
export type StepUnitName = 'step' | 'optimizer update' | 'epoch' | 'iteration';

export interface AnalysisResult {
  languageId: string;
  schedulers: SchedulerAnalysis[];
  /** Diagnostics not tied to one construction. */
  diagnostics: Diagnostic[];
  /** Milliseconds spent: parse, evaluate, simulate. */
  timing: { parse: number; evaluate: number; simulate: number };
  /** With a workspace: every other file the analysis looked at (found or not), as absolute POSIX paths. */
  dependencies?: string[];
}

export interface AnalyzeOptions {
  /** Horizon (values per group). Default: what the arguments imply (see engine `defaultHorizon`). */
  steps?: number;
  /** Hard cap on the horizon; larger requests are clamped with a note. Default 10_000_000. */
  maxSteps?: number;
  /** lr used when the optimizer's lr cannot be resolved. Default 0.1. */
  assumedLr?: number;
  /** Batches per epoch assumed when a per-batch scheduler's loop length is not known. Default 100. */
  assumedStepsPerEpoch?: number;
  /** Only compute curves for these scheduler ids (others get curve null, error null). Default: all. */
  curvesFor?: string[];
  /**
   * Expected evaluation time in ms (not simulation). Results depend on operation counts only; the wall clock
   * is a far safety net (Python: this value, default 20 s; TS/JS: 10× this, default 2 s) whose note says "timed out".
   */
  timeBudgetMs?: number;
  /** The repository around the file: its modules and config files are read through this host (analysis/workspace.ts). */
  workspace?: WorkspaceOptions;
  /** Per-rule overrides from settings: a rule id → 'off' or a new severity. */
  rules?: Record<string, Severity | 'off'>;
  /** Tests: a lint rule (or the pipeline) that throws fails loudly instead of being reported and skipped. */
  strict?: boolean;
  /** Product: told about each lint rule that threw (the rule is skipped); without it the error goes to console.error. */
  onRuleError?: (e: RuleError) => void;
  /**
   * The clock of `timing`, in ms (default `performance.now`). The CLI passes `process.hrtime`'s: in Node, the
   * first use of `performance` loads the performance hooks (11 modules, about 0.7 ms of a run's start-up).
   */
  clock?: () => number;
  /**
   * Whether a newer edit of the document superseded this analysis (the worker's runner asks it to stop: a long
   * one is not finished for nothing). Read now and then by the frontends' budgets and the engine's call budgets;
   * once true they stop the work at once, and the result is not to be used (nor what `session` kept of it).
   */
  cancelled?: () => boolean;
}

/** A lint rule that threw on one construction: a bug of LR Lens's, never a finding about the user's code. */
export interface RuleError {
  /** The ids the rule emits (empty when the rule context could not even be set up). */
  rules: readonly string[];
  /** The construction's class and the start of its call. */
  kind: string;
  at: Position;
  error: unknown;
}

// ---- what a frontend returns (its calls recorded by the one recorder, recorder.ts) -----------

/**
 * A `scheduler.last_epoch = value` statement (use method 'last_epoch', its one argument the value): its text, the
 * label of an assumption the value rests on, and why it cannot be taken as run once between the construction and the
 * first `step()` (under a condition, in a loop, in another function than the construction, …).
 */
export interface LastEpochWrite {
  text: string; assumed?: string; notApplied?: string;
  /** `scheduler.load_state_dict(…)`: the note of the branch it is on when the assumed values do not take it. */
  offPath?: string;
}

/** A construction found in source, with its arguments resolved as far as statically possible. */
export interface FoundCall {
  /** torch's class (or the blog's), or another family's `family.name` (src/engine/families). */
  kind: ConstructionKind;
  family: string;
  variable: string | null;
  range: Range;
  calleeRange: Range;
  /** Index into `program.schedulers`, or null when it could not be built (see `unknownReason`). */
  schedulerIndex: number | null;
  argInfo: ArgInfo[];
  /** Bound arguments (including ones the binder could evaluate); used for lint rules. */
  args: Record<string, Arg>;
  optimizer: OptimizerInfo | null;
  /** Why no construction could be built (a required argument is unknown, …). */
  unknownReason: string | null;
  /** Why a `*args` / `**kwargs` of the call could not be expanded: any parameter not written by name may come from it. */
  splatReason?: string;
  /** Library callables the scheduler object is given to, by their resolved paths (`keras.callbacks.LearningRateScheduler`). */
  givenTo?: string[];
  /** A call that torch would reject before building anything (e.g. TypeError for a missing argument). */
  bindFailure: TorchFailure | null;
  /** The binding failure follows from the call's text alone (no argument read out of a `**dict` or an options object). */
  bindFromText?: boolean;
  /**
   * Other uses of the scheduler object seen in source: `.step(epoch)`, `.get_last_lr()`, and `scheduler.last_epoch = value`
   * (method 'last_epoch': `why` when the value is unknown, `write` what the frontend saw of the statement).
   */
  uses: { method: string; range: Range; args: Arg[]; why?: string; write?: LastEpochWrite }[];
  /** true when this construction is a member of a SequentialLR / ChainedScheduler. */
  memberOf: number | null;
  /** Every value assumed for it: its own arguments', its optimizer's, its members'. */
  assumed: Assumption[];
  /** Other calls of the function it is written in that build another one, or the call that built this one, in plain words. */
  builtAgain?: string[];
  /** What a framework does with it, in plain words (a Hugging Face Trainer given its optimizer). */
  notes?: string[];
  /**
   * Built by another call of the function its construction is written in (`b = mk(o2, 50)`): `range` is that
   * call's, its arguments' ranges the construction's; its diagnostics are shown at the call (see analyze.ts).
   */
  atCall?: boolean;
  /**
   * Written in another file (`lib/sched.py:12`) and built by this file's call at `range` (a factory the script
   * imports): previewed at that call, `atCall` too.
   */
  elsewhere?: string;
  /**
   * The branch it is on when assumed values (argparse defaults…) decide whether it runs: the note shown,
   * and whether those values take it. One they do not take is previewed on its own and left out of the others'.
   */
  branch?: { note: string; taken: boolean };
  /** What the frontend found about its stepping (frontends that model loops), and the run it implies (run.ts `withRuns`). */
  stepping?: Stepping;
  run?: RunInfo;
}

export interface FrontendResult {
  program: Program;
  calls: FoundCall[];
  diagnostics: Diagnostic[];
}
