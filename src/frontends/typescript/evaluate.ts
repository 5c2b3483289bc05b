/**
 * The static evaluator: walks the IR in statement order, never executing user code
 * for real. Two modes share one implementation:
 *
 * - analysis (`run === 0`): the file as a whole. A condition it cannot know runs
 *   both branches and merges them (env.ts); a loop whose body builds or steps a
 *   scheduler runs once, and bindings it changes become unknown. Calls of
 *   external classes go to `hooks.construct` (scheduler and optimizer
 *   constructions); method calls on schedulers go to `hooks.use`. Function bodies
 *   are analysed after the module (parameters unknown), so constructions inside
 *   functions and methods are found too.
 * - run (`run > 0`): concrete execution of small user functions (`lr_lambda`,
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
import { callBuiltin, globalValue, MAX_LENGTH, methodOf, namespaceMember } from './builtins';
import { chainSize, Env, mergeInto, restore, snapshot, type Snapshot } from './env';
import type { ArgExpr, ClassIR, Expr, FnExpr, Param, Pattern, Span, Stmt } from './ir';
import { binaryOp, toNum, toStr, unaryOp } from './ops';
import {
  asUnknown, firstUnknown, int, obj, sameVal, str, truthy, unknown, UNDEF, type FnVal, type Unknown, type Val,
} from './values';

export type CallExpr = Extract<Expr, { t: 'call' }>;

/** Run mode met a value it cannot know; the caller turns it into an unknown result. */
export class Bail {
  constructor(
    readonly u: Unknown,
    /** Bailed because the code constructs a scheduler or optimizer (worth analysing instead of running). */
    readonly construct = false,
  ) {}
}

export { Stop };

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

type Completion = { c: 'normal' } | { c: 'return'; v: Val } | { c: 'break' } | { c: 'continue' } | { c: 'throw' };
const NORMAL: Completion = { c: 'normal' };

const MAX_CALL_DEPTH = 100;
/** Operations one call by the engine (and everything it calls) may use (as the Python frontend). */
const ENGINE_CALL_OPS = 100_000;
/** Operations all calls by the engine of one file's functions may use together. */
const ENGINE_TOTAL_OPS = 50_000_000;
/** Operations of a trial call while analysing. */
const TRIAL_CALL_OPS = 100_000;
/** Array methods that change the array in place (applied to the variable holding it). */
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift']);
/** Operations a call made while analysing the file may use (helpers such as `steps(10)`). */
const ANALYSIS_CALL_OPS = 200_000;
/** Operations a loop may use when analysis tries to run it concretely. */
const LOOP_TRY_OPS = 200_000;
/** The analysis reads the clock (its safety net) once per this many operations. */
const CLOCK_EVERY = 1024;
/** Operations one binding of a snapshot counts (copied, restored, merged: measured against plain evaluation). */
const BINDING_OPS = 32;

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
class Analysis {
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

export class Evaluator {
  /** The analysis while analysing; null while running concretely (a trial, a loop tried, a call by the engine). */
  private mode: Analysis | null;
  /** The analysis until `finishAnalysis()` (its limits and names hold in runs nested in it too); then null. */
  private session: Analysis | null;
  private callDepth = 0;
  private ops = 0;
  private runOps = 0;
  private runLimit = ENGINE_CALL_OPS;
  private nextClock = CLOCK_EVERY;
  private engineOpsLeft = ENGINE_TOTAL_OPS;
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
  private tick(n = 1): void {
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
  private charge(items: number): void {
    if (items > 0) this.tick(Math.ceil(items / 16));
  }

  /**
   * Counts copying, restoring or merging `bindings` bindings (snapshots for forks and trial
   * runs): measured at about BINDING_OPS operations each, so that the operation budget
   * bounds the time of files with many bindings and many unknown conditions too.
   */
  private chargeBindings(bindings: number): void {
    if (bindings > 0) this.tick(bindings * BINDING_OPS);
  }

  /** Analysis is over: from now on only run-mode calls happen (from the engine), out of the analysis's reach. */
  finishAnalysis(): void {
    this.mode = this.session = null;
  }

  /** Runs `f` concretely with an operation limit of its own; the analysis is out of reach meanwhile. */
  private concretely<T>(limit: number, f: () => T): T {
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
  private unk(u: Unknown): Val {
    if (this.mode === null) throw new Bail(u);
    return u;
  }

  private unkReason(reason: string, sp: Span, runtime = false): Val {
    return this.unk(unknown(reason, sp, runtime));
  }

  /** A JS exception: PyError in run mode, an unknown saying so in analysis mode. */
  private jsError(type: string, message: string, sp: Span): Val {
    if (this.mode === null) throw new PyError(type, message);
    return unknown(`\`${this.clip(sp)}\` would throw ${type}: ${message}`, sp);
  }

  // ---- module / deferred analysis -----------------------------------------------------------

  /** Analyses a program: its statements, then every function and class body found (breadth first). */
  analyseProgram(body: Stmt[], env: Env): void {
    const a = this.mode;
    if (!a) throw new Error('the analysis is over');
    this.hoist(body, env);
    this.execList(body, env);
    while (a.deferred.length) a.deferred.shift()!(a);
  }

  /** Queues the analysis of a body (once; not while running concretely). */
  private defer(key: object, job: (a: Analysis) => void): void {
    const a = this.mode;
    if (!a || a.queued.has(key)) return;
    a.queued.add(key);
    a.deferred.push(job);
  }

  /** Analyses a function body with unknown parameters (it is never called from analysed code we can follow). */
  private analyseFunction(a: Analysis, f: FnVal): void {
    a.analysed.add(f.fn);
    const env = new Env(f.env, f.name, true);
    for (const p of f.fn.params) {
      for (const [name, sp] of patternNames(p.target)) {
        env.vars.set(name, unknown(`\`${name}\` is a parameter of \`${f.name}\``, sp));
      }
    }
    if (Array.isArray(f.fn.body)) {
      this.hoist(f.fn.body, env);
      this.execList(f.fn.body, env);
    } else {
      this.ev(f.fn.body, env);
    }
  }

  /** Class fields, then the constructor, then the other methods, sharing one `this`. */
  private analyseClass(a: Analysis, cls: ClassIR, env: Env): void {
    const name = cls.name ?? '<class>';
    const classEnv = new Env(env, name, false);
    // Methods are properties of `this` (`(e) => this.warmup(e)` as an lr_lambda).
    const methods = new Map<string, Val>();
    for (const m of cls.methods) {
      if (m.name && m.name !== 'constructor') methods.set(m.name, { k: 'fn', fn: m, env: classEnv, name: `${name}.${m.name}` });
    }
    classEnv.vars.set('this', obj(methods));
    for (const f of cls.fields) {
      if (!f.value) continue;
      const target = `this.${f.name}`;
      this.nameValue(f.value, target);
      const v = this.ev(f.value, classEnv);
      const self = classEnv.vars.get('this')!;
      if (self.k === 'obj') classEnv.vars.set('this', setProp(self, f.name, v));
    }
    const order = [...cls.methods].sort((a, b) => Number(b.name === 'constructor') - Number(a.name === 'constructor'));
    for (const m of order) {
      a.queued.add(m);
      this.analyseFunction(a, { k: 'fn', fn: m, env: classEnv, name: `${name}.${m.name ?? '<method>'}` });
    }
  }

  /** Records the name an expression's value is assigned to (through `await`). */
  private nameValue(e: Expr, name: string): void {
    let x = e;
    while (x.t === 'await') x = x.arg;
    if (x.t === 'call' || x.t === 'fn') this.name(x, name);
  }

  /** Records a name while the file is analysed (the engine's calls come later and need none). */
  private name(node: object, name: string): void {
    if (this.session) this.varNames.set(node, name);
  }

  // ---- statements --------------------------------------------------------------------------

  /** Function declarations are hoisted, `var`s exist (undefined) from the start of their function. */
  private hoist(body: Stmt[], env: Env): void {
    for (const s of body) {
      if (s.t === 'fndecl' && s.fn.name) env.vars.set(s.fn.name, this.makeFn(s.fn, env, s.fn.name));
      else if (s.t === 'decl' && s.kind === 'var') {
        const frame = env.functionFrame();
        for (const d of s.decls) for (const [n] of patternNames(d.target)) if (!frame.vars.has(n)) frame.vars.set(n, UNDEF);
      }
    }
  }

  private execList(body: Stmt[], env: Env): Completion {
    for (const s of body) {
      const c = this.exec(s, env);
      if (c.c !== 'normal') return c;
    }
    return NORMAL;
  }

  private block(body: Stmt[], env: Env, label = 'block'): Completion {
    // A block without declarations needs no frame of its own (loop bodies run often).
    if (!body.some(declares)) return this.execList(body, env);
    const inner = new Env(env, label, false);
    this.hoist(body, inner);
    return this.execList(body, inner);
  }

  exec(s: Stmt, env: Env): Completion {
    this.tick();
    switch (s.t) {
      case 'decl':
        for (const d of s.decls) {
          if (d.init && d.target.t === 'ident') this.nameValue(d.init, d.target.name);
          const v = d.init ? this.ev(d.init, env) : UNDEF;
          this.bindPattern(d.target, v, env, s.kind, d.init ?? d.target);
        }
        return NORMAL;
      case 'expr': this.ev(s.expr, env); return NORMAL;
      case 'if': return this.execIf(s, env);
      case 'block': return this.block(s.body, env);
      case 'return': return { c: 'return', v: s.arg ? this.ev(s.arg, env) : UNDEF };
      case 'fndecl': return NORMAL;
      case 'classdecl':
        if (s.cls.name) env.vars.set(s.cls.name, { k: 'class', name: s.cls.name, cls: s.cls });
        this.defer(s.cls, (a) => this.analyseClass(a, s.cls, env));
        return NORMAL;
      case 'for': case 'forof': case 'while': return this.execLoop(s, env);
      case 'break': return { c: 'break' };
      case 'continue': return { c: 'continue' };
      case 'throw':
        // The thrown value is not evaluated: `new Error(…)` is an object we do not model.
        if (this.mode === null) throw new PyError('Error', `the function throws \`${this.clip(s.arg)}\``);
        return { c: 'throw' };
      case 'try': return this.execTry(s, env);
      case 'switch': return this.execSwitch(s, env);
      case 'enum': env.vars.set(s.name, this.enumValue(s, env)); return NORMAL;
      case 'import': case 'skip': return NORMAL;
      case 'unsupported':
        if (this.mode === null) throw new Bail(unknown(s.why, s));
        return NORMAL;
    }
  }

  private execIf(s: Extract<Stmt, { t: 'if' }>, env: Env): Completion {
    const test = this.ev(s.test, env);
    const t = truthy(test);
    if (t === true) return this.exec(s.then, env);
    if (t === false) return s.else ? this.exec(s.else, env) : NORMAL;
    if (this.mode === null) throw new Bail(asUnknown(test) ?? unknown(`\`${this.clip(s.test)}\` is unknown`, s.test));
    const why = (name: string) => unknown(
      `\`${name}\` depends on a condition known only at run time (\`${this.clip(s.test)}\`)`, s.test);
    return this.fork([(e) => this.exec(s.then, e), (e) => (s.else ? this.exec(s.else, e) : NORMAL)], env, why);
  }

  /**
   * Runs each path from the same state and merges the states of the paths that complete
   * normally (paths that return or throw do not reach the code after).
   */
  private fork(paths: ((env: Env) => Completion)[], env: Env, why: (name: string) => Unknown): Completion {
    // Copying and merging the visible bindings costs work in proportion to their number.
    this.chargeBindings(chainSize(env) * (paths.length + 1));
    const start = snapshot(env);
    const outcomes: Snapshot[] = [];
    let abrupt: Completion | null = null;
    for (const p of paths) {
      restore(start);
      const c = p(env);
      if (c.c === 'normal' || c.c === 'break' || c.c === 'continue') outcomes.push(snapshot(env));
      else {
        abrupt = c;
        // A function analysed inline returns this value on this path.
        if (c.c === 'return') this.mode?.returns?.push(c.v);
      }
    }
    if (outcomes.length === 0) {
      restore(start);
      return abrupt ?? NORMAL;
    }
    restore(outcomes[0]!);
    for (const o of outcomes.slice(1)) mergeInto(snapshot(env), o, why);
    return NORMAL;
  }

  private execLoop(s: Extract<Stmt, { t: 'for' | 'forof' | 'while' }>, env: Env): Completion {
    const a = this.mode;
    if (a === null) return this.runLoop(s, env);
    if (!a.hasCandidate(s)) {
      // Small loops that build a list (`for (…) ms.push(…)`) are run for real, within a budget.
      this.chargeBindings(chainSize(env));
      const start = snapshot(env);
      try {
        return this.concretely(LOOP_TRY_OPS, () => this.runLoop(s, env));
      } catch (e) {
        if (!(e instanceof Bail || e instanceof PyError)) throw e;
        restore(start);
      }
    }
    return this.abstractLoop(a, s, env);
  }

  /** The body once, with loop variables unknown; bindings it changes become unknown afterwards. */
  private abstractLoop(a: Analysis, s: Extract<Stmt, { t: 'for' | 'forof' | 'while' }>, env: Env): Completion {
    this.chargeBindings(chainSize(env) * 2);
    const before = snapshot(env);
    const loopEnv = new Env(env, 'loop', false);
    const changes = (name: string) => unknown(`\`${name}\` changes in a loop (\`${this.clip(s, 40)}\`)`, s);
    if (s.t === 'for') {
      if (s.init) this.exec(s.init, loopEnv);
      for (const name of loopEnv.vars.keys()) loopEnv.vars.set(name, changes(name));
      if (s.test) this.ev(s.test, loopEnv);
    } else if (s.t === 'forof') {
      this.ev(s.iter, env);
      const v = unknown(`\`${this.clip(s.target)}\` takes each value of \`${this.clip(s.iter)}\``, s.target);
      this.bindPattern(s.target, v, loopEnv, s.kind ?? 'assign', s.target);
    } else this.ev(s.test, env);
    const c = this.exec(s.body, loopEnv);
    // The body may return on some iteration (seen by a function analysed inline).
    if (c.c === 'return') a.returns?.push(c.v);
    if (s.t === 'for' && s.update) this.ev(s.update, loopEnv);
    // Any binding the body changed may hold any iteration's value.
    for (const [frame, vars] of before) {
      for (const [name, v] of frame.vars) {
        const old = vars.get(name);
        if (old === undefined || !sameVal(old, v)) frame.vars.set(name, changes(name));
      }
    }
    return NORMAL;
  }

  /** Concrete loop (run mode). */
  private runLoop(s: Extract<Stmt, { t: 'for' | 'forof' | 'while' }>, env: Env): Completion {
    const loopEnv = new Env(env, 'loop', false);
    const body = (): Completion | null => {
      const c = this.exec(s.body, loopEnv);
      if (c.c === 'break') return NORMAL;
      if (c.c === 'return' || c.c === 'throw') return c;
      return null;
    };
    if (s.t === 'forof') {
      const it = this.ev(s.iter, env);
      let items: Val[];
      if (s.of && it.k === 'arr') items = it.items;
      else if (s.of && it.k === 'str') items = [...it.v].map(str);
      else if (!s.of && it.k === 'obj' && !it.partial) items = [...it.props.keys()].map(str);
      else if (!s.of && it.k === 'arr') items = it.items.map((_, i) => str(String(i)));
      else throw new Bail(asUnknown(it) ?? unknown(`iterating \`${this.clip(s.iter)}\` is not evaluated`, s.iter));
      for (const x of items) {
        this.tick();
        this.bindPattern(s.target, x, loopEnv, s.kind ?? 'assign', s.target);
        const c = body();
        if (c) return c;
      }
      return NORMAL;
    }
    if (s.t === 'for' && s.init) this.exec(s.init, loopEnv);
    for (let first = true; ; first = false) {
      this.tick();
      if (s.t === 'for' && !first && s.update) this.ev(s.update, loopEnv);
      const test = s.t === 'for' ? s.test : s.doWhile && first ? null : s.test;
      if (test) {
        const t = truthy(this.ev(test, loopEnv));
        if (t === null) throw new Bail(unknown(`the loop condition \`${this.clip(test)}\` is unknown`, test));
        if (!t) return NORMAL;
      }
      const c = body();
      if (c) return c;
    }
  }

  private execTry(s: Extract<Stmt, { t: 'try' }>, env: Env): Completion {
    let c = this.block(s.block, env);
    if (this.mode && s.handler) {
      // The handler may or may not run.
      const handler = s.handler;
      const why = (name: string) => unknown(`\`${name}\` depends on whether \`try\` fails`, s);
      this.fork([
        () => NORMAL,
        (e) => {
          const inner = new Env(e, 'catch', false);
          if (s.param) this.bindPattern(s.param, unknown('the caught error is known only at run time', s.param), inner, 'let', s.param);
          return this.block(handler, inner);
        },
      ], env, why);
    }
    if (s.finalizer) {
      const f = this.block(s.finalizer, env);
      if (f.c !== 'normal') c = f;
    }
    return c;
  }

  private execSwitch(s: Extract<Stmt, { t: 'switch' }>, env: Env): Completion {
    const d = this.ev(s.disc, env);
    const inner = new Env(env, 'switch', false);
    for (const cs of s.cases) this.hoist(cs.body, inner);
    // From case i on, falling through until `break`.
    const runFrom = (i: number, e: Env): Completion => {
      for (let j = i; j < s.cases.length; j++) {
        const c = this.execList(s.cases[j]!.body, e);
        if (c.c === 'break') return NORMAL;
        if (c.c !== 'normal') return c;
      }
      return NORMAL;
    };
    let matched: number | null = null;
    let unsure = asUnknown(d) !== null;
    if (!unsure) {
      for (let i = 0; i < s.cases.length && matched === null; i++) {
        const t = s.cases[i]!.test;
        if (!t) continue;
        const v = this.ev(t, inner);
        const eq = binaryOp('===', d, v);
        if (typeof eq === 'string' || asUnknown(v)) unsure = true;
        else if (eq.k === 'bool' && eq.v) matched = i;
        if (unsure) break;
      }
    }
    if (!unsure) {
      const start = matched ?? s.cases.findIndex((c) => c.test === null);
      return start < 0 ? NORMAL : runFrom(start, inner);
    }
    if (this.mode === null) throw new Bail(asUnknown(d) ?? unknown(`\`${this.clip(s.disc)}\` is unknown`, s.disc));
    const why = (name: string) => unknown(`\`${name}\` depends on \`switch (${this.clip(s.disc)})\``, s.disc);
    const paths = s.cases.map((_, i) => (e: Env) => runFrom(i, e));
    if (!s.cases.some((c) => c.test === null)) paths.push(() => NORMAL);
    return this.fork(paths, inner, why);
  }

  private enumValue(s: Extract<Stmt, { t: 'enum' }>, env: Env): Val {
    const props = new Map<string, Val>();
    let next: Val = int(0);
    for (const m of s.members) {
      const v = m.value ? this.ev(m.value, env) : next;
      props.set(m.name, v);
      next = v.k === 'num' ? { k: 'num', v: v.v + 1, int: v.int } : unknown(`enum member after \`${m.name}\` has no value`, s);
    }
    return obj(props);
  }

  // ---- patterns ----------------------------------------------------------------------------

  /**
   * Binds a declaration / assignment target. `kind` 'assign' assigns existing bindings;
   * otherwise declares (`var` in the function frame). `src` is the value's source (messages).
   */
  bindPattern(p: Pattern, v: Val, env: Env, kind: 'const' | 'let' | 'var' | 'assign', src: Span): void {
    switch (p.t) {
      case 'ident':
        if (kind === 'assign') {
          if (!env.assign(p.name, v)) moduleFrame(env).vars.set(p.name, v);
        } else (kind === 'var' ? env.functionFrame() : env).vars.set(p.name, v);
        return;
      case 'member': case 'index':
        this.assignMember(p, v, env);
        return;
      case 'objpat': {
        const used = new Set<string>();
        for (const prop of p.props) {
          const key = typeof prop.key === 'string' ? prop.key : this.keyOf(this.ev(prop.key, env));
          if (key === null) {
            this.bindPattern(prop.target, unknown('a computed key is unknown', prop.target), env, kind, src);
            continue;
          }
          used.add(key);
          let sub = this.destructure(v, key, src);
          if (sub.k === 'undef' && prop.def) sub = this.ev(prop.def, env);
          this.bindPattern(prop.target, sub, env, kind, src);
        }
        if (p.rest) {
          const rest = v.k === 'obj' && !v.partial
            ? obj(new Map([...v.props].filter(([k]) => !used.has(k))))
            : asUnknown(v) ?? unknown(`the rest of \`${this.clip(src)}\` is not evaluated`, src);
          this.bindPattern(p.rest, rest, env, kind, src);
        }
        return;
      }
      case 'arrpat': {
        p.items.forEach((item, i) => {
          if (!item) return;
          let sub: Val = v.k === 'arr' ? v.items[i] ?? UNDEF
            : asUnknown(v) ?? unknown(`\`${this.clip(src)}\` is not a known array`, src);
          if (sub.k === 'undef' && item.def) sub = this.ev(item.def, env);
          this.bindPattern(item.target, sub, env, kind, src);
        });
        if (p.rest) {
          const rest = v.k === 'arr' ? { k: 'arr' as const, items: v.items.slice(p.items.length) }
            : asUnknown(v) ?? unknown(`\`${this.clip(src)}\` is not a known array`, src);
          this.bindPattern(p.rest, rest, env, kind, src);
        }
        return;
      }
      case 'unsupported':
        if (this.mode === null) throw new Bail(unknown(p.why, p));
        return;
    }
  }

  /** `const { key } = v`: the property, with messages phrased as `src.key`. */
  private destructure(v: Val, key: string, src: Span): Val {
    if (v.k === 'ext') return { ...v, name: key, path: `${v.path}.${key}` };
    if (v.k === 'unknown' && v.runtime) return unknown(`\`${this.clip(src, 40)}.${key}\` is set at run time`, src, true);
    return this.member(v, key, src, () => `${this.clip(src, 40)}.${key}`);
  }

  /** `a.b.c = v` / `this.x = v` / `a[i] = v` on an object or array held by a variable. */
  private assignMember(p: Extract<Pattern, { t: 'member' | 'index' }>, v: Val, env: Env): void {
    const keys: (string | number)[] = [];
    let root: Expr = p;
    while (root.t === 'member' || root.t === 'index') {
      if (root.t === 'member') keys.unshift(root.prop);
      else {
        const k = this.ev(root.index, env);
        if (k.k === 'num' && Number.isInteger(k.v) && k.v >= 0) keys.unshift(k.v);
        else {
          const ks = this.keyOf(k);
          if (ks === null) return;
          keys.unshift(ks);
        }
      }
      root = root.obj;
    }
    const name = root.t === 'ident' ? root.name : root.t === 'this' ? 'this' : null;
    if (name === null) return;
    const cur = env.lookup(name);
    if (!cur) return;
    const next = setPath(cur, keys, v, 0);
    if (next) env.assign(name, next);
    else if (this.mode === null && cur.k !== 'opaque') throw new Bail(unknown(`assigning \`${this.clip(p)}\` is not evaluated`, p));
  }

  private keyOf(k: Val): string | null {
    if (k.k === 'str') return k.v;
    if (k.k === 'num') return String(k.v);
    return null;
  }

  // ---- expressions -------------------------------------------------------------------------

  /** Evaluates an expression. In run mode the result is never unknown (Bail instead). */
  ev(e: Expr, env: Env): Val {
    this.tick();
    const v = this.evInner(e, env);
    if (this.mode === null && v.k === 'unknown') throw new Bail(v);
    return v;
  }

  private evInner(e: Expr, env: Env): Val {
    switch (e.t) {
      case 'num': return { k: 'num', v: e.value, int: e.isInt };
      case 'str': return str(e.value);
      case 'bool': return { k: 'bool', v: e.value };
      case 'null': return { k: 'null' };
      case 'tmpl': {
        let out = e.quasis[0]!;
        for (let i = 0; i < e.exprs.length; i++) {
          const v = this.ev(e.exprs[i]!, env);
          const u = asUnknown(v);
          if (u) return this.unk(u);
          const s = toStr(v);
          if (s === null) return this.unkReason(`\`${this.clip(e.exprs[i]!)}\` in a template is not evaluated`, e.exprs[i]!);
          out += s + e.quasis[i + 1]!;
          if (out.length > 1_000_000) return this.unkReason('the string is too long to evaluate', e);
        }
        return str(out);
      }
      case 'ident': {
        const v = env.lookup(e.name);
        if (v !== undefined) return v;
        return globalValue(e.name) ?? { k: 'ext', name: e.name, path: e.name, from: null, s: e.s, e: e.e };
      }
      case 'this': return env.lookup('this') ?? this.unkReason('`this` is not known here', e);
      case 'member': case 'index': {
        const o = this.ev(e.obj, env);
        if (e.optional && (o.k === 'null' || o.k === 'undef')) return UNDEF;
        if (e.t === 'member') return this.member(o, e.prop, e, () => this.clip(e));
        const k = this.ev(e.index, env);
        const ku = asUnknown(k);
        if (ku) return this.unk(o.k === 'unknown' && o.runtime ? this.runtimeText(e) : ku);
        if (o.k === 'arr' && k.k === 'num') {
          return Number.isInteger(k.v) && k.v >= 0 ? o.items[k.v] ?? UNDEF : UNDEF;
        }
        if (o.k === 'str' && k.k === 'num') {
          const c = o.v[k.v];
          return c === undefined ? UNDEF : str(c);
        }
        const key = this.keyOf(k);
        if (key === null) return this.unkReason(`the key \`${this.clip(e.index)}\` is not evaluated`, e.index);
        return this.member(o, key, e, () => this.clip(e));
      }
      case 'call': return this.evCall(e, env);
      case 'unary': {
        const a = this.ev(e.arg, env);
        if (e.op === 'typeof' && a.k === 'ext' && a.from === null && !a.path.includes('.')) {
          return this.unkReason(`\`typeof ${a.path}\` is known only at run time`, e, true);
        }
        const u = asUnknown(a);
        if (u && e.op !== 'void') return this.unk(u);
        return this.opResult(unaryOp(e.op, a), e);
      }
      case 'update': {
        const old = this.ev(e.target, env);
        const n = asUnknown(old) ?? toNum(old);
        if (!n || 'k' in n) return this.unk(n ?? unknown(`\`${this.clip(e.target)}\` is not a number`, e.target));
        const next: Val = { k: 'num', v: n.v + (e.op === '++' ? 1 : -1), int: n.int };
        if (e.target.t === 'ident' || e.target.t === 'member' || e.target.t === 'index') this.bindPattern(e.target, next, env, 'assign', e);
        return e.prefix ? next : { k: 'num', v: n.v, int: n.int };
      }
      case 'binary': return this.evBinary(e, env);
      case 'assign': return this.evAssign(e, env);
      case 'cond': {
        const t = truthy(this.ev(e.test, env));
        if (t === true) return this.ev(e.then, env);
        if (t === false) return this.ev(e.else, env);
        const a = this.ev(e.then, env);
        const b = this.ev(e.else, env);
        if (sameVal(a, b)) return a;
        return this.unkReason(`\`${this.clip(e)}\` depends on \`${this.clip(e.test)}\`, known only at run time`, e.test);
      }
      case 'arr': {
        const items: Val[] = [];
        for (const it of e.items) {
          if (it === null) { items.push(UNDEF); continue; }
          if (it.t === 'spread') {
            const v = this.ev(it.arg, env);
            if (v.k === 'arr') items.push(...v.items);
            else if (v.k === 'str') items.push(...[...v.v].map(str));
            else return this.unk(asUnknown(v) ?? unknown(`the spread \`${this.clip(it)}\` is not evaluated`, it));
            if (items.length > MAX_LENGTH) return this.unkReason('the array is too long to evaluate', e);
          } else items.push(this.ev(it, env));
        }
        this.charge(items.length);
        return { k: 'arr', items };
      }
      case 'obj': {
        let props = new Map<string, Val>();
        let partial: Unknown | null = null;
        for (const p of e.props) {
          if (p.t === 'spread') {
            const v = this.ev(p.arg, env);
            if (v.k === 'obj') {
              for (const [k, x] of v.props) props.set(k, x);
              partial = partial ?? v.partial;
            } else if (v.k === 'null' || v.k === 'undef') continue;
            else {
              // Keys written after the spread are known; all others may come from it.
              const why = asUnknown(v) ?? unknown(`\`${this.clip(p.arg)}\` is not evaluated`, p.arg);
              partial = unknown(`\`${this.clip(p)}\` may set it: ${why.reason}`, p, why.runtime);
              props = new Map();
            }
            continue;
          }
          const key = typeof p.key === 'string' ? p.key : this.keyOf(this.ev(p.key, env));
          if (key === null) return this.unkReason(`the computed key in \`${this.clip(p)}\` is unknown`, p);
          if (p.value.t === 'fn' && !this.varNames.has(p.value)) this.name(p.value, key);
          props.set(key, this.ev(p.value, env));
        }
        if (this.mode === null && partial) throw new Bail(partial);
        return obj(props, partial);
      }
      case 'fn': return this.makeFn(e, env, this.varNames.get(e) ?? e.name ?? '<anonymous>');
      case 'class': {
        this.defer(e.cls, (a) => this.analyseClass(a, e.cls, env));
        return { k: 'class', name: e.cls.name ?? '<class>', cls: e.cls };
      }
      case 'seq': {
        let v: Val = UNDEF;
        for (const x of e.exprs) v = this.ev(x, env);
        return v;
      }
      case 'await': return this.ev(e.arg, env);
      case 'unsupported': return this.unkReason(e.why, e);
    }
  }

  private opResult(r: Val | string, sp: Span): Val {
    return typeof r === 'string' ? this.unkReason(`\`${this.clip(sp)}\`: ${r}`, sp) : r;
  }

  private runtimeText(sp: Span): Unknown {
    return unknown(`\`${this.clip(sp)}\` is set at run time`, sp, true);
  }

  /** `o.prop`. `text` gives the expression's text for messages. */
  member(o: Val, prop: string, sp: Span, text: () => string): Val {
    switch (o.k) {
      case 'unknown': return this.unk(o.runtime ? this.runtimeText(sp) : o);
      case 'ext': return { k: 'ext', name: prop, path: `${o.path}.${prop}`, from: o.from, s: sp.s, e: sp.e };
      case 'obj': {
        const v = o.props.get(prop);
        if (v !== undefined) return v;
        return o.partial ? this.unk(o.partial) : UNDEF;
      }
      case 'arr':
        if (prop === 'length') return int(o.items.length);
        return methodOf(o, prop) ?? this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'str':
        if (prop === 'length') return int(o.v.length);
        return methodOf(o, prop) ?? this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'num': return methodOf(o, prop) ?? this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'builtin':
        if (!o.self) {
          const m = namespaceMember(o.name, prop);
          if (m) return m;
        }
        return this.unkReason(`\`${text()}\` is not evaluated`, sp);
      case 'null': case 'undef':
        return this.jsError('TypeError', `Cannot read properties of ${o.k === 'null' ? 'null' : 'undefined'} (reading '${prop}')`, sp);
      case 'opaque': return { k: 'opaque', desc: text() };
      default: return this.unkReason(`\`${text()}\` is not evaluated`, sp);
    }
  }

  private evBinary(e: Extract<Expr, { t: 'binary' }>, env: Env): Val {
    if (e.op === '&&' || e.op === '||' || e.op === '??') {
      const a = this.ev(e.left, env);
      const decided = e.op === '??' ? (asUnknown(a) ? null : a.k !== 'null' && a.k !== 'undef') : truthy(a);
      if (decided === null) {
        const u = asUnknown(a);
        return this.unk(u ?? unknown(`\`${this.clip(e.left)}\` is unknown`, e.left));
      }
      // `a && b`: a when falsy; `a || b`, `a ?? b`: a when truthy / not nullish.
      if (e.op === '&&' ? !decided : decided) return a;
      return this.ev(e.right, env);
    }
    const a = this.ev(e.left, env);
    const b = this.ev(e.right, env);
    const u = asUnknown(a) ?? asUnknown(b);
    if (u) return this.unk(u);
    if (e.op === 'instanceof' || e.op === 'in') return this.unkReason(`\`${e.op}\` is not evaluated`, e);
    return this.opResult(binaryOp(e.op, a, b), e);
  }

  private evAssign(e: Extract<Expr, { t: 'assign' }>, env: Env): Val {
    const target = e.target;
    if (e.op === '=') {
      if (target.t === 'ident') this.nameValue(e.value, target.name);
      else if (target.t === 'member' || target.t === 'index') this.nameValue(e.value, this.text(target).replace(/\s+/g, ''));
      const v = this.ev(e.value, env);
      this.bindPattern(target, v, env, 'assign', e.value);
      return v;
    }
    if (target.t !== 'ident' && target.t !== 'member' && target.t !== 'index') {
      return this.unkReason(`\`${this.clip(e)}\` is not evaluated`, e);
    }
    const old = this.ev(target, env);
    let v: Val;
    if (e.op === '&&=' || e.op === '||=' || e.op === '??=') {
      const t = e.op === '??=' ? (asUnknown(old) ? null : old.k !== 'null' && old.k !== 'undef') : truthy(old);
      if (t === null) v = this.unk(asUnknown(old) ?? unknown(`\`${this.clip(target)}\` is unknown`, target));
      else v = (e.op === '&&=' ? !t : t) ? old : this.ev(e.value, env);
    } else {
      const b = this.ev(e.value, env);
      const u = asUnknown(old) ?? asUnknown(b);
      v = u ? this.unk(u) : this.opResult(binaryOp(e.op.slice(0, -1), old, b), e);
    }
    this.bindPattern(target, v, env, 'assign', e.value);
    return v;
  }

  private evArgs(args: ArgExpr[], env: Env): Val[] | Unknown {
    const out: Val[] = [];
    for (const a of args) {
      if (a.t === 'spread') {
        const v = this.ev(a.arg, env);
        if (v.k === 'arr') out.push(...v.items);
        else return asUnknown(v) ?? unknown(`the spread \`${this.clip(a)}\` is not evaluated`, a);
      } else out.push(this.ev(a, env));
    }
    return out;
  }

  private evCall(e: CallExpr, env: Env): Val {
    const a = this.mode;
    a?.hooks.visited(e);
    let callee: Val;
    if (e.callee.t === 'member' || e.callee.t === 'index') {
      const o = this.ev(e.callee.obj, env);
      if (e.callee.optional && (o.k === 'null' || o.k === 'undef')) return UNDEF;
      if (o.k === 'unknown' && o.alts && e.callee.t === 'member' && a) {
        // One of several schedulers (built on different branches): the use counts for each.
        const args = this.evArgs(e.args, env);
        for (const alt of o.alts) a.hooks.use(alt, e.callee.prop, e, Array.isArray(args) ? args : []);
        return { k: 'opaque', desc: this.clip(e) };
      }
      if (o.k === 'sched' || o.k === 'optim') {
        const args = this.evArgs(e.args, env);
        if (a === null) throw new Bail(unknown(`\`${this.clip(e)}\` is not run`, e));
        if (o.k === 'sched' && e.callee.t === 'member') a.hooks.use(o, e.callee.prop, e, Array.isArray(args) ? args : []);
        return { k: 'opaque', desc: this.clip(e) };
      }
      const target = e.callee.obj;
      if (e.callee.t === 'member' && o.k === 'arr' && ARRAY_MUTATORS.has(e.callee.prop) && (target.t === 'ident' || target.t === 'member' || target.t === 'index')) {
        return this.mutateArray(o.items, e.callee.prop, e, target, env);
      }
      callee = this.ev(e.callee, env);
    } else callee = this.ev(e.callee, env);
    if (e.optional && (callee.k === 'null' || callee.k === 'undef')) return UNDEF;

    if (callee.k === 'ext' && a) {
      const built = a.hooks.construct(e, callee, env);
      if (built) return built;
    }
    const args = this.evArgs(e.args, env);
    switch (callee.k) {
      case 'builtin': {
        if (callee.name === 'require') {
          const a0 = Array.isArray(args) ? args[0] : undefined;
          const from = a0?.k === 'str' ? a0.v : '?';
          return { k: 'ext', name: '*', path: this.clip(e), from, s: e.s, e: e.e };
        }
        if (!Array.isArray(args)) return this.unk(args);
        for (const a of args) {
          const u = a.k === 'fn' ? null : firstUnknown(a);
          if (u) return this.unk(u);
        }
        let r: Val | string;
        try {
          r = callBuiltin(callee.name, callee.self, args, (f, xs) => this.callValue(f, xs, e));
        } catch (err) {
          // A callback (`.map(f)`) that cannot be evaluated: in analysis, the result is unknown.
          if (a === null) throw err;
          if (err instanceof Bail) return err.u;
          if (err instanceof PyError) return unknown(`\`${this.clip(e)}\` raises ${err.type}: ${err.message}`, e);
          throw err;
        }
        return this.opResult(r, e);
      }
      case 'fn':
        if (!Array.isArray(args)) return this.unk(args);
        return this.callUser(callee, args, e);
      case 'class': return e.isNew ? { k: 'opaque', desc: this.clip(e) } : this.jsError('TypeError', `Class constructor ${callee.name} cannot be invoked without 'new'`, e);
      case 'ext': {
        const u = unknown(`\`${this.clip(e)}\` is computed at run time`, e, true);
        // Whether it constructs matters to the analysis only (a run nested in it is analysed instead).
        if (a === null) throw new Bail(u, this.session?.hooks.constructs(callee.name) ?? false);
        return u;
      }
      case 'opaque': return { k: 'opaque', desc: this.clip(e) };
      case 'unknown': return this.unk(callee.runtime ? unknown(`\`${this.clip(e)}\` is computed at run time`, e, true) : callee);
      default: return this.jsError('TypeError', `${this.clip(e.callee)} is not a function`, e);
    }
  }

  /** `xs.push(…)` & co. on an array held by a variable or property: the variable gets the new array. */
  private mutateArray(items: Val[], method: string, e: CallExpr, target: Extract<Pattern, { t: 'ident' | 'member' | 'index' }>, env: Env): Val {
    const args = this.evArgs(e.args, env);
    if (!Array.isArray(args)) return this.unk(args);
    this.charge(items.length);
    const next = items.slice();
    let result: Val;
    switch (method) {
      case 'push': next.push(...args); result = int(next.length); break;
      case 'unshift': next.unshift(...args); result = int(next.length); break;
      case 'pop': result = next.pop() ?? UNDEF; break;
      default: result = next.shift() ?? UNDEF; break;
    }
    if (next.length > MAX_LENGTH) return this.unkReason('the array is too long to evaluate', e);
    this.bindPattern(target, { k: 'arr', items: next }, env, 'assign', e);
    return result;
  }

  /** Calls a function value found inside a builtin (`.map(f)`). */
  private callValue(f: Val, args: Val[], at: Span): Val {
    if (f.k === 'fn') {
      const r = this.callUser(f, args, at);
      if (r.k === 'unknown') throw new Bail(r);
      return r;
    }
    if (f.k === 'builtin') {
      const r = callBuiltin(f.name, f.self, args, (g, xs) => this.callValue(g, xs, at));
      if (typeof r === 'string') throw new Bail(unknown(r, at));
      return r;
    }
    throw new Bail(asUnknown(f) ?? unknown(`\`${this.clip(at)}\` calls something that is not a function`, at));
  }

  /** A user function: in run mode directly; from analysis, run concretely and any failure becomes an unknown result. */
  private callUser(f: FnVal, args: Val[], at: Span): Val {
    const a = this.mode;
    if (a === null) return this.invoke(f, args);
    // A factory that builds schedulers (`makeSchedule(params)`) is analysed where it is called,
    // with the call's arguments (each construction is recorded at its first call); other
    // functions are run concretely, and analysed instead if they turn out to call a factory.
    if (a.hasCandidate(f.fn)) return this.inlineCall(a, f, args, at);
    const r = this.runFromAnalysis(f, args, at);
    return r === null ? this.inlineCall(a, f, args, at) : r;
  }

  /** Runs a function concretely from analysis: its result, or null when it reaches a construction. */
  private runFromAnalysis(f: FnVal, args: Val[], at: Span): Val | null {
    // A call that fails half-way must not leave half of its assignments behind.
    this.chargeBindings(chainSize(f.env));
    const start = snapshot(f.env);
    try {
      return this.concretely(ANALYSIS_CALL_OPS, () => this.invoke(f, args));
    } catch (err) {
      if (err instanceof Bail || err instanceof PyError || err instanceof RangeError) restore(start);
      if (err instanceof Bail) return err.construct ? null : err.u;
      if (err instanceof PyError) return unknown(`\`${this.clip(at)}\` raises ${err.type}: ${err.message}`, at);
      if (err instanceof RangeError) return unknown(`\`${this.clip(at)}\` nests calls too deeply to evaluate`, at);
      throw err;
    }
  }

  /** Analyses a function body in place of a call (analysis mode): the value it returns on every path, or unknown. */
  private inlineCall(a: Analysis, f: FnVal, args: Val[], at: Span): Val {
    a.analysed.add(f.fn);
    if (this.callDepth >= MAX_CALL_DEPTH) return unknown(`\`${this.clip(at)}\` nests calls too deeply`, at);
    const saved = a.returns;
    const returns: Val[] = [];
    a.returns = returns;
    this.callDepth++;
    try {
      const env = new Env(f.env, f.name, true);
      this.bindParams(f.fn.params, args, env);
      let result: Val;
      if (!Array.isArray(f.fn.body)) result = this.ev(f.fn.body, env);
      else {
        this.hoist(f.fn.body, env);
        const c = this.execList(f.fn.body, env);
        result = c.c === 'return' ? c.v : c.c === 'throw' ? unknown(`\`${this.clip(at)}\` throws`, at) : UNDEF;
      }
      const all = [...returns, result];
      if (all.every((v) => sameVal(v, result))) return result;
      return unknown(`\`${this.clip(at)}\` returns different values depending on conditions known only at run time`, at);
    } finally {
      this.callDepth--;
      a.returns = saved;
    }
  }

  private invoke(f: FnVal, args: Val[]): Val {
    if (this.callDepth >= MAX_CALL_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    this.callDepth++;
    try {
      const env = new Env(f.env, f.name, true);
      this.bindParams(f.fn.params, args, env);
      if (!Array.isArray(f.fn.body)) return this.ev(f.fn.body, env);
      this.hoist(f.fn.body, env);
      const c = this.execList(f.fn.body, env);
      return c.c === 'return' ? c.v : UNDEF;
    } finally {
      this.callDepth--;
    }
  }

  private bindParams(params: Param[], args: Val[], env: Env): void {
    params.forEach((p, i) => {
      if (p.rest) {
        this.bindPattern(p.target, { k: 'arr', items: args.slice(i) }, env, 'let', p.target);
        return;
      }
      let v = args[i] ?? UNDEF;
      if (v.k === 'undef' && p.def) v = this.ev(p.def, env);
      this.bindPattern(p.target, v, env, 'let', p.target);
    });
  }

  private makeFn(fn: FnExpr, env: Env, name: string): FnVal {
    const f: FnVal = { k: 'fn', fn, env, name };
    this.defer(fn, (a) => {
      if (!a.analysed.has(fn)) this.analyseFunction(a, f);
    });
    return f;
  }

  /**
   * Calls a function value from outside (the engine's `lr_lambda` calls): run mode with
   * a fresh per-call budget. Throws PyError for JS errors and budget; Bail when a value is unknown.
   */
  callFromEngine(f: FnVal, args: Val[]): Val {
    if (this.engineOpsLeft <= 0) throw new PyError('BudgetExceeded', 'the functions of this file used up their total operation budget');
    const saved = this.mode;
    this.mode = null;
    this.runOps = 0;
    this.runLimit = Math.min(ENGINE_CALL_OPS, this.engineOpsLeft);
    try {
      return this.invoke(f, args);
    } finally {
      this.mode = saved;
      this.engineOpsLeft -= this.runOps;
    }
  }

  /** A trial call from analysis: the result, the unknown it needs, or the error it raises. */
  tryCall(f: FnVal, args: Val[]): { v: Val } | { bail: Unknown } | { error: PyError } {
    try {
      return { v: this.concretely(TRIAL_CALL_OPS, () => this.invoke(f, args)) };
    } catch (e) {
      if (e instanceof Bail) return { bail: e.u };
      if (e instanceof PyError) return { error: e };
      if (e instanceof RangeError) return { error: new PyError('RecursionError', 'maximum recursion depth exceeded') };
      throw e;
    }
  }
}

/** Names bound by a pattern, with their spans. */
function patternNames(p: Pattern): [string, Span][] {
  switch (p.t) {
    case 'ident': return [[p.name, p]];
    case 'objpat': return [...p.props.flatMap((x) => patternNames(x.target)), ...(p.rest ? patternNames(p.rest) : [])];
    case 'arrpat': return [...p.items.flatMap((x) => (x ? patternNames(x.target) : [])), ...(p.rest ? patternNames(p.rest) : [])];
    default: return [];
  }
}

function declares(s: Stmt): boolean {
  return s.t === 'decl' || s.t === 'fndecl' || s.t === 'classdecl' || s.t === 'enum';
}

function moduleFrame(env: Env): Env {
  let e = env;
  while (e.parent) e = e.parent;
  return e;
}

function setProp(o: Extract<Val, { k: 'obj' }>, key: string, v: Val): Val {
  const props = new Map(o.props);
  props.set(key, v);
  return obj(props, o.partial);
}

/** A copy of `cur` with `v` at `keys`; null when the path does not go through known objects/arrays. */
function setPath(cur: Val, keys: (string | number)[], v: Val, i: number): Val | null {
  if (i === keys.length) return v;
  const key = keys[i]!;
  if (cur.k === 'obj') {
    const k = String(key);
    const child = cur.props.get(k) ?? (i + 1 === keys.length ? UNDEF : null);
    if (child === null) return null;
    const next = setPath(child, keys, v, i + 1);
    return next ? setProp(cur, k, next) : null;
  }
  if (cur.k === 'arr' && typeof key === 'number' && key <= cur.items.length && key < MAX_LENGTH) {
    const next = setPath(cur.items[key] ?? UNDEF, keys, v, i + 1);
    if (!next) return null;
    const items = cur.items.slice();
    items[key] = next;
    return { k: 'arr', items };
  }
  return null;
}
