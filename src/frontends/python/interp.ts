/**
 * The abstract interpreter: evaluates expressions over PyVal without executing
 * anything, and runs small user functions (lambdas, defs) on known values.
 *
 * Two modes share the expression code:
 * - static (`running === 0`): the module / function-body walk. A Python
 *   exception becomes an `unknown` value with the reason; unknowns propagate.
 * - run (`running > 0`): inside a user function call. Exceptions propagate as
 *   PyError (CPython's type and text), which is what the engine needs.
 * Every expression and statement ticks a budget; expression depth and call
 * depth are bounded. The node handlers live in expressions.ts, statements.ts,
 * calls.ts and models.ts, written once for two stages (see stage.ts): this
 * class interprets the live tree; the compiler in bridge.ts stages frozen
 * functions for the engine. This file holds the state both share.
 */
import { ASSUMED_STEPS_PER_EPOCH } from '../../engine/assumed';
import { PyError } from '../../engine/types';
import type { Arg } from '../../engine/types';
import type { Branch } from '../contract';
import type { Budget, CallBudget, SharedCallBudget } from './budget';
import { Compiler, ENGINE_TOTAL_OPS, keyFuncArgs, toFuncArg } from './bridge';
import { funcCode } from './calls';
import { CallSites } from './callsites';
import { expression } from './expressions';
import { params, type Param } from './functions';
import { reasonFor } from './access';
import type { LoopFacts } from './loopFacts';
import { type Code, type Flow, type Stage, type StmtCode } from './stage';
import { assignCode, blockCode, statement, statementExprCode } from './statements';
import { SlotJournals } from './slots';
import { isFrozen, rangeOf, readNumber, SyntaxNode, type FrozenNode } from './syntax';
import { FuncVal, PyVal, Scope, float, int, unknown } from './values';

/** What a call to a scheduler or optimizer class builds; implemented by the construction recorder. */
export interface ConstructionHooks {
  scheduler(kind: string, family: string, call: SyntaxNode, args: EvaluatedArgs): PyVal;
  optimizer(type: string, call: SyntaxNode, args: EvaluatedArgs): PyVal;
  /** `.step()`, `.get_last_lr()`, … on a scheduler object. */
  use(target: PyVal & { k: 'scheduler' }, method: string, call: SyntaxNode, args: PyVal[]): void;
  /** A library callable (`path`, resolved through the imports) given a scheduler object as an argument. */
  givenTo(target: PyVal & { k: 'scheduler' }, path: string): void;
  /** True during a loop's dry pass: nothing is recorded, so user functions need not run either. */
  readonly dryRun: boolean;
  /** The branch the walk is in when assumed values decide it (Walker.speculate / taken), else null. */
  readonly branch?: Branch | null;
}

export interface ArgSlot { node: SyntaxNode; val: PyVal }
export interface EvaluatedArgs {
  pos: ArgSlot[];
  kw: [string, ArgSlot][];
  /** Set when a `*x` / `**x` argument could not be expanded. */
  splatReason: string | null;
  /** A class recognised by its name only, imported from a module LR Lens did not read: where it comes from. */
  byName?: string;
}

const MAX_EXPR_DEPTH = 400;
/** Parameters the walk binds itself (the shared instance), never labelled as coming from a call. */
const SELF_PARAMS: ReadonlySet<string> = new Set(['self', 'cls']);

/**
 * Evaluator state and its entry points. The public fields are read and written by the handler modules
 * (expressions, statements, calls, models, bridge), which are this class cut along its seams.
 */
export class Interpreter {
  /** > 0 while a user function runs (run mode). */
  running = 0;
  /**
   * The calls of user functions running now, outermost first (`site`: where each is written): which
   * scheduler a construction inside a function builds (construct.ts: one per chain of calls).
   */
  readonly callStack: { fn: string; site: SyntaxNode }[] = [];
  exprDepth = 0;
  callDepth = 0;
  callBudget: CallBudget | null = null;
  /** Set once the analysis is over: later calls come from the engine, on frozen nodes, and only use call budgets. */
  engineTime = false;
  /** Operations counted so far, in either stage and every budget: the unit of all accounting. */
  ops = 0;
  readonly engineShared: SharedCallBudget;
  /** Functions frozen for the engine while the walk goes on (bridge.ts `frozenNodeOf`): their copies, taken at `finish`. */
  readonly frozenCopies = new Map<FuncVal, FrozenNode>();

  /**
   * `fn`'s frozen node: its own once frozen, else the copy waiting for `finish`, else null. For what only reads a
   * function's text (its names, words, key): a frozen node keeps what is derived from it.
   */
  frozenOf(fn: FuncVal): FrozenNode | null {
    return isFrozen(fn.node) ? fn.node : this.frozenCopies.get(fn) ?? null;
  }
  readonly staticShared = { left: 1_000_000 };
  /** Ids of the call nodes evaluated to the end (whatever their callee turned out to be); see `sweep`. */
  readonly evaluatedCalls = new Set<number>();
  /** What each call of a function passed (see callsites.ts). */
  readonly callSites = new CallSites();
  /** While the walk previews a branch not taken (Walker.speculate): how to undo each change to a shared object (attribute, list, dict). */
  undo: (() => void)[] | null = null;
  /** Walks a function body as the module is walked, for its return value (Walker.evaluate; set by the frontend). */
  walkCall: ((fn: FuncVal, bound: Map<string, PyVal>) => PyVal | null) | null = null;
  /**
   * While a class of the file that only passes its arguments on to a torch scheduler (calls.ts `thinTorchScheduler`)
   * runs its `__init__`: that scheduler's path, and the construction its `super().__init__(…)` made; the instance and
   * the `__init__`'s node id (the `super().__init__` taken is that function's own).
   */
  superInit: { base: string; built: PyVal | null; inst: PyVal; init: number } | null = null;
  /** Writes to shared objects (attributes, dict keys, list items), journaled for the walker's forks (slots.ts). */
  readonly slots = new SlotJournals();
  /** Lines of the calls being run, outermost first: where a value passed by a nested call comes from. */
  readonly callLines: number[] = [];
  readonly compiler = new Compiler(this);
  /**
   * The batches per epoch assumed where the run's own count is not known (`len(train_loader)`): the setting
   * lrLens.assumedStepsPerEpoch, the same number the training loop's length and a Trainer's assume.
   */
  assumedStepsPerEpoch = ASSUMED_STEPS_PER_EPOCH;
  /** The run model's records (loops.ts): Lightning `Trainer(…)` calls. */
  loopFacts: LoopFacts | null = null;
  /** The interpreted stage: each sub-node is dispatched again at every evaluation. */
  readonly interpreted: Stage = {
    labels: true,
    expr: (n) => (s) => this.expr(n, s),
    stmt: (n) => (s) => this.exec(n, s),
    block: (n) => (s) => this.execBlock(n, s),
  };
  /** Per-node caches (literal values, parameter lists), keyed by node id; cleared when the tree goes away. */
  private readonly literals = new Map<number, PyVal>();
  private readonly paramCache = new Map<number, Param[]>();

  constructor(
    readonly text: string,
    readonly budget: Budget,
    readonly hooks: ConstructionHooks,
  ) {
    this.engineShared = { left: ENGINE_TOTAL_OPS, ...(budget.cancelled ? { cancelled: budget.cancelled } : {}) };
  }

  /** Ends the analysis phase: function values may now be called by the engine at any time. */
  finish(): void {
    this.engineTime = true;
    // The functions the engine may call, frozen during the walk: only now do they take their copies, so that the walk
    // (and what follows it: the sweep, the training loop) read them where they stand in the file, their class and
    // callers around them. A copy of a live function alone has no parent.
    for (const [fn, node] of this.frozenCopies) fn.node = node;
    this.frozenCopies.clear();
    // The values functions read are final now: their engine Args get their keys.
    keyFuncArgs(this);
    // Entries may point into the live tree, which the caller deletes; frozen nodes refill them.
    this.paramCache.clear();
  }

  /** Parameters of a function node, cached. */
  paramsOf(fnNode: SyntaxNode): Param[] {
    let ps = this.paramCache.get(fnNode.id);
    if (!ps) {
      ps = params(fnNode);
      this.paramCache.set(fnNode.id, ps);
    }
    return ps;
  }

  /** The value of an `integer` / `float` literal, cached. */
  literal(n: SyntaxNode): PyVal {
    // A frozen node keeps its value between analyses (not an error's: its range moves with the node).
    if (isFrozen(n) && n.literal !== undefined) return n.literal as PyVal;
    const cached = this.literals.get(n.id);
    if (cached) return cached;
    const lit = readNumber(n.text, n.type as 'integer' | 'float');
    const v = lit.kind === 'error' ? unknown(lit.reason, rangeOf(n)) : lit.kind === 'int' ? int(lit.value) : float(lit.value);
    if (isFrozen(n) && lit.kind !== 'error') n.literal = v;
    else this.literals.set(n.id, v);
    return v;
  }

  /** One unit of work: counted against the file's budget during the analysis and the current call's budget. */
  tick(): void {
    this.ops++;
    if (!this.engineTime) this.budget.tick();
    this.callBudget?.tick();
  }

  /** Evaluates an expression. Static mode never throws PyError (they become unknown); BudgetSpent propagates. */
  expr(n: SyntaxNode, scope: Scope): PyVal {
    return this.guarded(n, expression(this, n, this.interpreted), scope);
  }

  /** Runs the code of expression `n` as one counted step within the depth bound, in either stage. */
  guarded(n: SyntaxNode, code: Code, scope: Scope): PyVal {
    this.tick();
    if (this.exprDepth >= MAX_EXPR_DEPTH) {
      if (this.running) throw new PyError('BudgetExceeded', 'expression nested too deeply');
      return unknown('the expression is nested too deeply to evaluate', rangeOf(n));
    }
    this.exprDepth++;
    try {
      return code(scope);
    } catch (e) {
      if (e instanceof PyError && !this.running) return unknown(reasonFor(e, n), rangeOf(n));
      if (e instanceof RangeError && !this.running) return unknown('the expression is nested too deeply to evaluate', rangeOf(n));
      throw e;
    } finally {
      this.exprDepth--;
    }
  }

  /** Runs a statement (run mode). */
  exec(st: SyntaxNode, scope: Scope): Flow {
    return this.stepped(statement(this, st, this.interpreted), scope);
  }

  /** Runs the code of a statement as one counted step, in either stage. */
  stepped(code: StmtCode, scope: Scope): Flow {
    this.tick();
    return code(scope);
  }

  execBlock(block: SyntaxNode, scope: Scope): Flow {
    return blockCode(block, this.interpreted)(scope);
  }

  /** Assignment, augmented assignment or a bare expression, in either mode. */
  statementExpr(c: SyntaxNode, scope: Scope): void {
    statementExprCode(this, c, this.interpreted)(scope);
  }

  /** Binds a value to an assignment target (name, attribute, subscript, tuple pattern). */
  assign(target: SyntaxNode, v: PyVal, scope: Scope): void {
    assignCode(this, target, this.interpreted)(v, scope);
  }

  /** A `lambda` or `def` value; parameter defaults are evaluated now, as Python does. */
  makeFunc(node: SyntaxNode, scope: Scope, name: string): FuncVal {
    return funcCode(this, node, name, this.interpreted)(scope);
  }

  /** The parameters as the walk's calls of `fn` passed them, or null when the walk never called it. */
  callSiteParams(fn: FuncVal): Map<string, PyVal> | null {
    return this.callSites.params(CallSites.keyOf(fn), fn.name, SELF_PARAMS);
  }

  /** The engine's `func` Arg for a callable value, or why there is none (see bridge.ts). */
  toFuncArg(v: PyVal): { arg: Arg } | { reason: string } {
    return toFuncArg(this, v);
  }
}
