/**
 * The evaluator's base: modes, budgets and the helpers every part uses. The evaluator
 * is one class built in layers, one file each (core → names → expressions → calls →
 * statements → evaluate.ts); a layer calls the ones above it through the abstract
 * methods declared here.
 *
 * Two modes share one implementation:
 * - analysis (`mode` is the Analysis): the file as a whole. A condition it cannot know
 *   runs both branches and merges them (env.ts); a loop whose body builds or steps a
 *   scheduler runs once, and bindings it changes become unknown. Calls of external
 *   classes go to `hooks.construct` (scheduler and optimizer constructions); method
 *   calls on schedulers go to `hooks.use`. Function bodies are analysed after the
 *   module (parameters unknown), so constructions inside functions are found too.
 * - run (`mode === null`): concrete execution of small user functions (`lr_lambda`,
 *   helpers such as `warmup(e)` called with known arguments). Everything must be
 *   known; an unknown throws `Bail`, a JS error throws the engine's `PyError`.
 *
 * Work is bounded: every node costs one operation; analysis stops at its operation
 * budget or, as a far safety net, on the clock (throws `Stop`, budget.ts), a run-mode
 * call at its operation budget (`BudgetExceeded`), and calls nest at most
 * MAX_CALL_DEPTH deep (`RecursionError`).
 */
import { PyError } from '../../engine/types';
import { Stop } from './budget';
import type { Env } from './env';
import type { ClassIR, Expr, FnExpr, Pattern, Span, Stmt } from './ir';
import { unknown, type FnVal, type Unknown, type Val } from './values';

export type CallExpr = Extract<Expr, { t: 'call' }>;

/** Run mode met a value it cannot know; the caller turns it into an unknown result. */
export class Bail {
  constructor(
    readonly u: Unknown,
    /** Bailed because the code constructs a scheduler or optimizer (worth analysing instead of running). */
    readonly construct = false,
  ) {}
}

export interface Hooks {
  /** A call of an external callee in analysis mode; a value when it is a construction, else undefined. */
  construct(call: CallExpr, callee: Extract<Val, { k: 'ext' }>, env: Env): Val | undefined;
  /** Whether an external callee with this name is a construction (scheduler or optimizer class). */
  constructs(name: string): boolean;
  /** Every call evaluated in analysis mode (constructions or not), so the sweep does not report it again. */
  visited(call: CallExpr): void;
  /** A method call on a scheduler in analysis mode (`scheduler.step()`). */
  use(target: Extract<Val, { k: 'sched' }>, method: string, call: CallExpr, args: Val[]): void;
}

export type Completion = { c: 'normal' } | { c: 'return'; v: Val } | { c: 'break' } | { c: 'continue' } | { c: 'throw' };
export const NORMAL: Completion = { c: 'normal' };

/** The analysis reads the clock (its safety net) once per this many operations. */
const CLOCK_EVERY = 1024;
/** Operations one binding of a snapshot counts (copied, restored, merged: measured against plain evaluation). */
const BINDING_OPS = 16;

export interface AnalysisLimits {
  /** Total operations of the analysis: where it stops. */
  maxOps: number;
  /** The clock's far safety net (budget.ts `safetyNet`): true once it has fired. */
  timedOut: () => boolean;
}

/**
 * What exists only while a file is analysed: the Recorder (hooks), the limits, the queue
 * of bodies still to analyse. The evaluator holds it in fields typed `Analysis | null`
 * that are null in every concrete run and for good after `finishAnalysis()`, so the
 * compiler makes every use check, and code the engine runs later cannot reach it.
 */
export class Analysis {
  readonly deferred: ((a: Analysis) => void)[] = [];
  /** Functions already analysed (inline at a call, or deferred). */
  readonly analysed = new WeakSet<object>();
  readonly queued = new WeakSet<object>();
  /** While a function is analysed inline: the values returned by paths that ended early. */
  returns: Val[] | null = null;

  constructor(
    readonly hooks: Hooks,
    public limits: AnalysisLimits,
    /** Start offsets of construction candidates (discover.ts), sorted: loops containing one are not run concretely. */
    private readonly candidateStarts: number[],
  ) {}

  /** Whether a construction candidate starts inside `sp`. */
  hasCandidate(sp: Span): boolean {
    // Binary search for the first start >= sp.s.
    const a = this.candidateStarts;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < sp.s) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length && a[lo]! < sp.e;
  }
}

export abstract class Core {
  /** The analysis while analysing; null while running concretely (a trial, a loop tried, a call by the engine). */
  protected mode: Analysis | null;
  /** The analysis until `finishAnalysis()` (its limits and names hold in runs nested in it too); then null. */
  protected session: Analysis | null;
  private ops = 0;
  protected runOps = 0;
  protected runLimit = 0;
  private nextClock = CLOCK_EVERY;
  /**
   * Names constructions and functions are assigned to (`const s = …` → 's', `this.s = …` → 'this.s'),
   * recorded while the file is analysed.
   */
  readonly varNames = new WeakMap<object, string>();

  constructor(
    readonly src: string,
    limits: AnalysisLimits,
    hooks: Hooks,
    /** Start offsets of construction candidates (discover.ts): loops containing one are not run concretely. */
    candidateStarts: number[],
  ) {
    this.mode = this.session = new Analysis(hooks, limits, candidateStarts);
  }

  text(sp: Span): string {
    return this.src.slice(sp.s, sp.e);
  }

  /** Short source text for messages. */
  clip(sp: Span, max = 60): string {
    const t = this.text(sp).replace(/\s+/g, ' ');
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
  }

  // ---- budget ------------------------------------------------------------------------------

  /** Counts `n` operations; the clock's safety net is read once per CLOCK_EVERY operations. */
  protected tick(n = 1): void {
    this.ops += n;
    if (this.mode === null && (this.runOps += n) > this.runLimit) {
      throw new PyError('BudgetExceeded', 'the function needs more operations than LR Lens evaluates per call');
    }
    const limits = this.session?.limits;
    if (limits && (this.ops > limits.maxOps || this.ops >= this.nextClock)) {
      if (this.ops > limits.maxOps) throw new Stop('operations');
      this.nextClock = this.ops + CLOCK_EVERY;
      if (limits.timedOut()) throw new Stop('time');
    }
  }

  /** New analysis limits (for a second, smaller pass). */
  setLimits(limits: AnalysisLimits): void {
    if (this.session) this.session.limits = limits;
  }

  /** Operations used so far. */
  opsUsed(): number {
    return this.ops;
  }

  /** Counts copying an array of `items`: one operation per 16 items (a native copy). */
  protected charge(items: number): void {
    if (items > 0) this.tick(Math.ceil(items / 16));
  }

  /**
   * Counts copying, restoring or merging `bindings` bindings (snapshots for forks and trial
   * runs): measured at about BINDING_OPS operations each, so that the operation budget
   * bounds the time of files with many bindings and many unknown conditions too.
   */
  protected chargeBindings(bindings: number): void {
    if (bindings > 0) this.tick(bindings * BINDING_OPS);
  }

  /** Analysis is over: from now on only run-mode calls happen (from the engine), out of the analysis's reach. */
  finishAnalysis(): void {
    this.mode = this.session = null;
  }

  /** Runs `f` concretely with an operation limit of its own; the analysis is out of reach meanwhile. */
  protected concretely<T>(limit: number, f: () => T): T {
    const saved = { mode: this.mode, runOps: this.runOps, runLimit: this.runLimit };
    this.mode = null;
    this.runOps = 0;
    this.runLimit = limit;
    try {
      return f();
    } finally {
      this.mode = saved.mode;
      this.runOps = saved.runOps;
      this.runLimit = saved.runLimit;
    }
  }

  /** An unknown result: returned in analysis mode, thrown (Bail) in run mode. */
  protected unk(u: Unknown): Val {
    if (this.mode === null) throw new Bail(u);
    return u;
  }

  protected unkReason(reason: string, sp: Span, runtime = false): Val {
    return this.unk(unknown(reason, sp, runtime));
  }

  /** A JS exception: PyError in run mode, an unknown saying so in analysis mode. */
  protected jsError(type: string, message: string, sp: Span): Val {
    if (this.mode === null) throw new PyError(type, message);
    return unknown(`\`${this.clip(sp)}\` would throw ${type}: ${message}`, sp);
  }

  // ---- analysis helpers ------------------------------------------------------------------------

  /** Queues the analysis of a body (once; not while running concretely). */
  protected defer(key: object, job: (a: Analysis) => void): void {
    const a = this.mode;
    if (!a || a.queued.has(key)) return;
    a.queued.add(key);
    a.deferred.push(job);
  }

  /** Records the name an expression's value is assigned to (through `await`). */
  protected nameValue(e: Expr, name: string): void {
    let x = e;
    while (x.t === 'await') x = x.arg;
    if (x.t === 'call' || x.t === 'fn') this.name(x, name);
  }

  /** Records a name while the file is analysed (the engine's calls come later and need none). */
  protected name(node: object, name: string): void {
    if (this.session) this.varNames.set(node, name);
  }

  // ---- shared by the layers --------------------------------------------------------------------

  protected keyOf(k: Val): string | null {
    if (k.k === 'str') return k.v;
    if (k.k === 'num') return String(k.v);
    return null;
  }

  protected opResult(r: Val | string, sp: Span): Val {
    return typeof r === 'string' ? this.unkReason(`\`${this.clip(sp)}\`: ${r}`, sp) : r;
  }

  protected runtimeText(sp: Span): Unknown {
    return unknown(`\`${this.clip(sp)}\` is set at run time`, sp, true);
  }

  // ---- implemented by the layers above -------------------------------------------------------

  /** Evaluates an expression (expressions.ts). */
  abstract ev(e: Expr, env: Env): Val;
  /** `o.prop` (expressions.ts). */
  abstract member(o: Val, prop: string, sp: Span, text: () => string): Val;
  /** Binds a declaration or assignment target (names.ts). */
  abstract bindPattern(p: Pattern, v: Val, env: Env, kind: 'const' | 'let' | 'var' | 'assign', src: Span): void;
  protected abstract evCall(e: CallExpr, env: Env): Val;
  protected abstract makeFn(fn: FnExpr, env: Env, name: string): FnVal;
  protected abstract hoist(body: Stmt[], env: Env): void;
  protected abstract execList(body: Stmt[], env: Env): Completion;
  protected abstract analyseFunction(a: Analysis, f: FnVal): void;
  protected abstract analyseClass(a: Analysis, cls: ClassIR, env: Env): void;
}
