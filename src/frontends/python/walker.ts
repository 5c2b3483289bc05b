/**
 * The static walk: module statements in order, then every function body (with
 * the arguments the walk passed when it called the function; otherwise the
 * parameters are unknown, or their defaults used as labelled assumptions).
 * Branches on unknown conditions are both walked and merged; loop bodies are
 * walked with the names they change made unknown. Skipped code is remembered
 * so constructions found there later can say why they were not evaluated.
 */
import type { Budget } from './budget';
import type { Recorder } from './construct';
import { hydraConfig, withTarget } from './configs';
import { CallSites } from './callsites';
import { bindImport, BLOG_CLASSES } from './imports';
import { LoopFacts, passesScheduler } from './loopFacts';
import { PASTED_FAMILY_CLASSES } from './families';
import { namesIn, Relevance } from './relevance';
import type { Interpreter } from './interp';
import { endFork, mergeSlots, reapply, rollBack, type SlotFork } from './slots';
import { Point, SyntaxNode, kids, lineOf, shortText, unparen } from './syntax';
import { FuncVal, NONE, PyVal, Scope, VarMap, sameValue, str, truthy, unknown } from './values';

/** Loops nested deeper than this skip the dry pass (its cost doubles per level). */
const MAX_DRY_NESTING = 4;
/** Functions searched for one whose callers are walked (beyond, the walk keeps the order of definition). */
const MAX_ORDERED = 200;

interface PendingFunction {
  fn: FuncVal;
  /** For methods: the shared instance (`self`) and the class. */
  self: PyVal | null;
  cls: PyVal | null;
}

type BlockEnd = 'normal' | 'exit';

/** A stretch of source the walk never entered (a branch that never runs, code after `return`). */
export interface SkippedCode { start: Point; end: Point; reason: string }

export class Walker {
  private readonly pending: PendingFunction[] = [];
  private readonly walked = new Set<number>();
  /** Identifier-like words of each function's text (see `nextPending`). */
  private readonly words = new Map<number, Set<string>>();
  /** Word → how many pending functions name it; class → its pending `__init__`s. */
  private readonly named = new Map<string, number>();
  private readonly initsPending = new Map<PyVal, number>();
  /** Name → how many pending functions of that name name themselves (a `def` names itself). */
  private readonly namesakes = new Map<string, number>();
  private loopNesting = 0;
  /** Functions walked with unknown parameters because no call had reached them yet. */
  private readonly walkedBeforeCalled: PendingFunction[] = [];
  /** Loop facts for the run model (loops.ts), when recorded. */
  loops: LoopFacts | null = null;
  /** Code the walk skips, with the reason (see `skip`). */
  readonly skipped: SkippedCode[] = [];
  /** The module's scope, available even when the walk stops early. */
  moduleScope: Scope | null = null;
  /** What ended the last `exit` (a `raise` is not a path the script runs with arguments that pass its checks). */
  private exitKind: 'raise' | 'return' | 'break' = 'return';
  /** While `evaluate` walks a function: the values its `return`s reached. */
  private returns: PyVal[] | null = null;
  /** Functions `evaluate` is walking (a helper calling itself is not walked again). */
  private readonly evaluating = new Set<number>();

  constructor(
    private readonly interp: Interpreter,
    private readonly recorder: Recorder,
    private readonly budget: Budget,
  ) {}

  /**
   * Walks the module, then the function bodies in order of discovery. `given`: the module's scope, made
   * by the caller; `imported`: a module imported by the analysed file (modules.ts), whose function
   * bodies are not walked (they run when called).
   */
  module(root: SyntaxNode, given?: Scope, imported = false): Scope {
    // Walked as the main module: `if __name__ == "__main__":` blocks run, and their constructions count.
    const scope: Scope = given ?? { vars: new VarMap([['__name__', str('__main__')]]), parent: null, label: 'module' };
    this.moduleScope = scope;
    this.block(kids(root), scope);
    if (imported) return scope;
    const relevance = new Relevance();
    relevance.prepare(this.pending, scope, (fn) => this.wordsOf(fn));
    while (this.pending.length) {
      this.budget.tick();
      const p = this.pending.splice(this.nextPending(), 1)[0]!;
      this.track(p, -1);
      if (this.walked.has(p.fn.node.id)) continue;
      this.walked.add(p.fn.node.id);
      const sites = this.interp.callSiteParams(p.fn);
      if (!sites) this.walkedBeforeCalled.push(p);
      if (relevance.walk(p.fn, sites) || this.someCallPassesScheduler(p.fn)) this.functionBody(p);
    }
    // loops.ts: a function walked (or skipped) before any call reached it (`train_one_epoch` defined above `main`) is
    // walked again, once, when a later call passed it a scheduler, so its `.step()` calls are recorded.
    // To a fixpoint (main → train → train_one_epoch), each function once.
    const again = new Set<number>();
    for (let changed = true; changed;) {
      changed = false;
      for (const p of this.walkedBeforeCalled) {
        if (again.has(p.fn.node.id) || !this.someCallPassesScheduler(p.fn)) continue;
        again.add(p.fn.node.id);
        changed = true;
        this.budget.tick();
        this.functionBody(p);
      }
    }
    return scope;
  }

  /**
   * Whether any call seen passes the function a scheduler: `train_one_epoch(…, None)` then `train_one_epoch(…,
   * scheduler)` disagree, so the merged parameter is unknown, yet its `.step()` calls matter (loops.ts attributes
   * them per call).
   */
  private someCallPassesScheduler(fn: FuncVal): boolean {
    for (const s of this.interp.callSites.sitesOf(CallSites.keyOf(fn)).values()) if (passesScheduler(s.params)) return true;
    return false;
  }

  /** Identifier-like words of a function's text, cached (shared with Relevance). */
  private wordsOf(fn: FuncVal): Set<string> {
    let w = this.words.get(fn.node.id);
    if (!w) this.words.set(fn.node.id, (w = namesIn(fn.node.text)));
    return w;
  }

  /** Counts, over the pending functions, the words they name and the `__init__`s of each class (see `nextPending`). */
  private track(p: PendingFunction, sign: 1 | -1): void {
    const words = this.wordsOf(p.fn);
    for (const w of words) this.named.set(w, (this.named.get(w) ?? 0) + sign);
    const name = nameOf(p);
    if (words.has(name)) this.namesakes.set(name, (this.namesakes.get(name) ?? 0) + sign);
    if (p.fn.name === '__init__' && p.cls) this.initsPending.set(p.cls, (this.initsPending.get(p.cls) ?? 0) + sign);
  }

  /**
   * The next function body to walk: the first whose callers (pending functions whose text names it) are
   * all walked, so that the calls they make are known when its parameters take the call sites'
   * values (see callsites.ts), and a method after its class's `__init__`.
   */
  private nextPending(): number {
    for (let i = 0; i < this.pending.length && i < MAX_ORDERED; i++) {
      const p = this.pending[i]!;
      const name = nameOf(p);
      // Functions of the same name (each class's `forward`) name themselves, not each other.
      const callers = (this.named.get(name) ?? 0) - (this.namesakes.get(name) ?? 0);
      // A class's methods read what its `__init__` sets.
      const initFirst = p.cls !== null && p.fn.name !== '__init__' && (this.initsPending.get(p.cls) ?? 0) > 0;
      if (callers <= 0 && !initFirst) return i;
    }
    // A cycle (words are a coarse test: `run` in a comment): a function some call was seen passing values to first.
    const called = this.pending.findIndex((p, i) => i < MAX_ORDERED && this.interp.callSites.has(CallSites.keyOf(p.fn)));
    return Math.max(0, called);
  }

  private functionBody(p: PendingFunction): void {
    const { fn } = p;
    const local: Scope = { vars: new VarMap(), parent: fn.closure, label: fn.name };
    // A function the walk called gets the arguments of those calls; others get unknown parameters.
    const site = this.interp.callSiteParams(fn);
    this.interp.paramsOf(fn.node).forEach((prm, i) => {
      const passed = site?.get(prm.name);
      if (i === 0 && p.self && prm.name === 'self') local.vars.set(prm.name, p.self);
      else if (i === 0 && p.cls && prm.name === 'cls') local.vars.set(prm.name, p.cls);
      else if (passed !== undefined) local.vars.set(prm.name, passed);
      else if (prm.kind === 'star' || prm.kind === 'kwstar') local.vars.set(prm.name, unknown(`\`${prm.name}\` of \`${fn.name}()\` is set by the caller`));
      else {
        const d = fn.defaults.get(prm.name);
        local.vars.set(prm.name, d !== undefined && d.k !== 'unknown'
          ? { ...d, assumed: `default of parameter \`${prm.name}\` of \`${fn.name}()\`` }
          : unknown(`parameter \`${prm.name}\` of \`${fn.name}()\`, set by the caller`));
      }
    });
    const body = fn.node.childForFieldName('body');
    // Called only on a branch the assumed values decide: what its body builds is labelled as on that branch.
    const saved = this.recorder.branch;
    if (!saved && site) this.recorder.branch = this.interp.callSites.branchOf(CallSites.keyOf(fn), nameOf(p));
    try {
      if (body) this.block(kids(body), local);
    } finally {
      this.recorder.branch = saved;
    }
  }

  /**
   * A call the interpreter could not run to the end (an argparse helper with one line LR Lens cannot evaluate,
   * a check that raises with the default arguments): its body walked as the module is, so an unknown makes
   * unknown only what depends on it, and its value is what its `return`s reached (unknown when they differ).
   * Null when the function is already being walked so.
   */
  evaluate(fn: FuncVal, bound: Map<string, PyVal>): PyVal | null {
    const body = fn.node.childForFieldName('body');
    if (!body || fn.node.type !== 'function_definition' || this.evaluating.has(fn.node.id)) return null;
    const local: Scope = { vars: new VarMap(bound), parent: fn.closure, label: fn.name };
    const saved = this.returns;
    const returns: PyVal[] = [];
    this.returns = returns;
    this.evaluating.add(fn.node.id);
    try {
      if (this.block(kids(body), local) === 'normal') returns.push(NONE);
    } finally {
      this.returns = saved;
      this.evaluating.delete(fn.node.id);
    }
    const first = returns[0];
    if (!first) return unknown(`\`${fn.name}()\` always raises`);
    return returns.every((v) => sameValue(v, first)) ? first : unknown(`\`${fn.name}()\` returns different values depending on conditions`);
  }

  /** Walks statements in order; stops after an unconditional return/raise/break. */
  private block(stmts: SyntaxNode[], scope: Scope): BlockEnd {
    for (let i = 0; i < stmts.length; i++) {
      this.budget.tick();
      if (this.statement(stmts[i]!, scope) === 'exit') {
        const rest = stmts.slice(i + 1);
        if (rest.length) this.skip(rest[0]!, rest[rest.length - 1]!, `it comes after the \`${stmts[i]!.type.replace(/_statement$/, '')}\` at line ${lineOf(stmts[i]!)}`);
        return 'exit';
      }
    }
    return 'normal';
  }

  /** Remembers code the walk does not enter, so constructions found there later can say why. */
  private skip(first: SyntaxNode, last: SyntaxNode, reason: string): void {
    this.skipped.push({ start: first.startPosition, end: last.endPosition, reason });
  }

  private statement(st: SyntaxNode, scope: Scope): BlockEnd {
    switch (st.type) {
      case 'expression_statement':
        for (const c of kids(st)) this.interp.statementExpr(c, scope);
        return 'normal';
      case 'if_statement': return this.ifStatement(st, scope);
      case 'for_statement': case 'while_statement': this.loop(st, scope); return 'normal';
      case 'with_statement': {
        for (const item of kids(st).filter((c) => c.type === 'with_clause').flatMap(kids)) {
          const value = item.childForFieldName('value') ?? kids(item)[0];
          if (!value) continue;
          if (value.type === 'as_pattern') {
            const inner = kids(value)[0];
            const v = inner ? this.interp.expr(inner, scope) : null;
            const alias = value.childForFieldName('alias');
            // `with open(p) as f`: an open file is its own context manager (configs.ts).
            if (alias) this.interp.assign(kids(alias)[0] ?? alias, (v && withTarget(v)) ?? unknown(`\`${shortText(alias)}\` is the value of a \`with\` block`), scope);
          } else {
            this.interp.expr(value, scope);
          }
        }
        const body = st.childForFieldName('body');
        return body ? this.block(kids(body), scope) : 'normal';
      }
      case 'try_statement': return this.tryStatement(st, scope);
      case 'function_definition': this.defineFunction(st, scope, null, null); return 'normal';
      case 'class_definition': this.defineClass(st, scope, []); return 'normal';
      case 'decorated_definition': {
        const def = st.childForFieldName('definition');
        const decorators = kids(st).filter((c) => c.type === 'decorator').map((d) => shortText(d).replace(/^@/, ''));
        if (def?.type === 'class_definition') this.defineClass(def, scope, decorators);
        else if (def?.type === 'function_definition') {
          const fn = this.defineFunction(def, scope, null, null);
          if (fn) this.hydraMain(st, fn, scope);
        }
        return 'normal';
      }
      case 'import_statement': case 'import_from_statement':
        bindImport(st, scope);
        return 'normal';
      case 'return_statement': case 'raise_statement': {
        const values = kids(st).map((c) => this.interp.expr(c, scope));
        this.exitKind = st.type === 'raise_statement' ? 'raise' : 'return';
        // A value returned on a branch the assumed values chose rests on them.
        const branch = this.recorder.branch;
        const value = values[0] ?? NONE;
        if (st.type === 'return_statement') this.returns?.push(branch ? labelled(value, `returned ${branch.note}`) ?? value : value);
        return 'exit';
      }
      case 'break_statement': case 'continue_statement':
        this.exitKind = 'break';
        return 'exit';
      case 'delete_statement':
        for (const c of kids(st).flatMap((x) => (x.type === 'expression_list' ? kids(x) : [x]))) {
          if (c.type === 'identifier') scope.vars.delete(c.text);
        }
        return 'normal';
      case 'assert_statement': case 'print_statement':
        for (const c of kids(st)) this.interp.expr(c, scope);
        return 'normal';
      case 'ERROR':
        // A syntax error: walk what is inside so constructions around it are still found.
        for (const c of kids(st)) {
          if (isStatement(c)) this.statement(c, scope);
          else this.interp.statementExpr(c, scope);
        }
        return 'normal';
      default:
        return 'normal';
    }
  }

  private defineFunction(st: SyntaxNode, scope: Scope, self: PyVal | null, cls: PyVal | null): FuncVal | null {
    const name = st.childForFieldName('name')?.text;
    if (!name) return null;
    const fn = this.interp.makeFunc(st, scope, name);
    scope.vars.set(name, fn);
    const p: PendingFunction = { fn, self, cls };
    this.pending.push(p);
    this.track(p, 1);
    return fn;
  }

  /** `@hydra.main(config_path=…, config_name=…)`: the function's first parameter is the composed config (configs.ts). */
  private hydraMain(st: SyntaxNode, fn: FuncVal, scope: Scope): void {
    const deco = kids(st).find((c) => c.type === 'decorator' && /^@\s*(hydra\.)?main\s*\(/.test(c.text));
    const call = deco ? kids(deco)[0] : undefined;
    if (!call || this.interp.callSites.has(CallSites.keyOf(fn))) return;
    const cfg = hydraConfig(this.interp.expr(call, scope));
    const first = this.interp.paramsOf(fn.node)[0];
    // The config's values carry their own labels (file and key).
    // The config's values carry their own labels (file and key).
    if (cfg && first) this.interp.callSites.note(CallSites.keyOf(fn), 'hydra', `line ${lineOf(st)}`, new Map([[first.name, cfg]]), false, '');
  }

  /** A class: its body runs now (class constants, dataclass fields); its methods are walked later. */
  private defineClass(st: SyntaxNode, scope: Scope, decorators: string[]): void {
    const name = st.childForFieldName('name')?.text;
    const body = st.childForFieldName('body');
    if (!name || !body) return;
    const attrs = new VarMap();
    const cls: PyVal & { k: 'class' } = {
      k: 'class', name, attrs, fields: [], line: lineOf(st), decorated: new Set(),
      dataclass: decorators.some((d) => /(^|\.)dataclass\b/.test(d)),
    };
    scope.vars.set(name, cls);
    const sup = st.childForFieldName('superclasses');
    if (sup) cls.bases = kids(sup).filter((k) => k.type !== 'keyword_argument').map((k) => this.interp.expr(k, scope));
    // The blog's scheduler classes are library code: recognised by name, not walked.
    if (BLOG_CLASSES.has(name) || PASTED_FAMILY_CLASSES.has(name)) return;
    const classScope: Scope = { vars: attrs, parent: scope, label: name };
    const self: PyVal = {
      k: 'ns', typeName: name, attrs: new Map(), cls,
      missing: (attr) => `\`self.${attr}\` is set at run time`,
    };
    const methods: SyntaxNode[] = [];
    for (const s of kids(body)) {
      const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
      if (def?.type === 'function_definition') {
        methods.push(def);
        // @staticmethod, @classmethod, @property…: not a plain method, never bound to an instance.
        const methodName = def.childForFieldName('name')?.text;
        if (s !== def && methodName) cls.decorated.add(methodName);
      }
      else {
        this.statement(s, classScope);
        if (s.type === 'expression_statement') {
          const a = kids(s)[0];
          const target = a?.type === 'assignment' ? a.childForFieldName('left') : null;
          if (a?.childForFieldName('type') && target?.type === 'identifier') cls.fields.push(target.text);
        }
      }
    }
    // `__init__` first so the other methods see the attributes it sets.
    methods.sort((a, b) => Number(b.childForFieldName('name')?.text === '__init__') - Number(a.childForFieldName('name')?.text === '__init__'));
    for (const m of methods) this.defineFunction(m, classScope, self, cls);
  }

  /**
   * `try`: the body runs, then either `else` (nothing raised) or a handler, which is not known
   * statically: every path is walked from the state after the body, and names the paths leave
   * different become unknown. Handlers of ImportError / ModuleNotFoundError are walked but do not
   * count: the analysis assumes imports succeed, as everywhere else. `finally` runs last.
   */
  private tryStatement(st: SyntaxNode, scope: Scope): BlockEnd {
    const parts = kids(st);
    const blockOf = (c: SyntaxNode | undefined) => (c ? (c.type === 'block' ? c : kids(c).find((x) => x.type === 'block')) : undefined);
    const body = parts.find((c) => c.type === 'block');
    const handlers = parts.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const orElse = blockOf(parts.find((c) => c.type === 'else_clause'));
    const fin = blockOf(parts.find((c) => c.type === 'finally_clause'));
    let end: BlockEnd = body ? this.block(kids(body), scope) : 'normal';
    const vars = scope.vars;
    // The paths after the body, each walked from the same state, then merged.
    const paths: { end: BlockEnd; after: Map<string, PyVal | undefined>; counts: boolean; slots: SlotFork }[] = [];
    const walkPath = (b: SyntaxNode | undefined, startEnd: BlockEnd, counts: boolean, alias: SyntaxNode | null = null) => {
      vars.open();
      this.interp.slots.open();
      if (alias) this.interp.assign(alias, unknown(`\`${alias.text}\` is the exception caught at line ${lineOf(alias)}`), scope);
      const e = startEnd === 'exit' ? 'exit' : b ? this.block(kids(b), scope) : startEnd;
      const slots = endFork(this.interp.slots);
      const journal = vars.close();
      paths.push({ end: e, after: new Map([...journal.keys()].map((k) => [k, vars.get(k)] as const)), counts, slots });
      for (const [k, old] of journal) vars.restore(k, old);
    };
    walkPath(orElse, end, true);
    for (const h of handlers) {
      const caught = kids(h).filter((c) => c.type !== 'block').map((c) => c.text).join(' ');
      // `except E as e`: e is bound to the exception object, whose contents are not known.
      const target = kids(h).find((c) => c.type === 'as_pattern')?.childForFieldName('alias');
      const alias = target ? kids(target)[0] ?? null : null;
      walkPath(blockOf(h), 'normal', !/\b(ImportError|ModuleNotFoundError)\b/.test(caught), alias);
    }
    const live = paths.filter((p) => p.counts && p.end !== 'exit');
    end = live.length ? 'normal' : 'exit';
    mergeSlots(live.map((p) => p.slots), (what) => unknown(`\`${what}\` depends on whether the \`try\` at line ${lineOf(st)} raises`), sameValue);
    for (const k of new Set(live.flatMap((p) => [...p.after.keys()]))) {
      const vals = live.map((p) => (p.after.has(k) ? p.after.get(k) : vars.get(k)));
      const first = vals[0];
      if (first !== undefined && vals.every((v) => v !== undefined && sameValue(v, first))) vars.set(k, first);
      else vars.set(k, unknown(`\`${k}\` depends on whether the \`try\` at line ${lineOf(st)} raises`));
    }
    if (fin && this.block(kids(fin), scope) === 'exit') end = 'exit';
    return end;
  }

  /** `if`/`elif`/`else`: known conditions pick a branch; unknown ones walk both and merge. */
  private ifStatement(st: SyntaxNode, scope: Scope): BlockEnd {
    const clauses: [SyntaxNode | null, SyntaxNode | null][] = [[st.childForFieldName('condition'), st.childForFieldName('consequence')]];
    for (const c of kids(st)) {
      if (c.type === 'elif_clause') clauses.push([c.childForFieldName('condition'), c.childForFieldName('consequence')]);
      else if (c.type === 'else_clause') clauses.push([null, c.childForFieldName('body')]);
    }
    return this.clauses(clauses, 0, scope, lineOf(st));
  }

  private clauses(cl: [SyntaxNode | null, SyntaxNode | null][], i: number, scope: Scope, line: number): BlockEnd {
    if (i >= cl.length) return 'normal';
    const [cond, body] = cl[i]!;
    const walkBody = () => (body ? this.block(kids(body), scope) : 'normal');
    if (!cond) return walkBody();
    const cv = this.interp.expr(cond, scope);
    const t = truthy(cv);
    // A condition decided by assumed values (an argparse default…): the other branches are walked too, each in a fork.
    const by = t !== null && cv.assumed ? withWhat(cv.assumed) : null;
    if (t === true && !by) {
      for (const [, later] of cl.slice(i + 1)) {
        if (later) this.skip(later, later, `the branch at line ${lineOf(cond)} (\`${shortText(cond, 40)}\`) is always taken before it`);
      }
      return walkBody();
    }
    if (t === true && by) {
      // The branch taken first (constructions in the order written), then the others from the state before it.
      const vars = scope.vars;
      vars.open();
      this.interp.slots.open();
      const end = this.taken(cond, by, walkBody);
      const written = this.interp.slots.close();
      const journal = vars.close();
      if (end === 'exit' && this.exitKind === 'raise') {
        // A check the assumed values fail (`if args.data is None: raise …`): the script is run with arguments
        // that pass it, so the path where the condition is false is the one that goes on.
        rollBack(written);
        for (const [k, old] of journal) vars.restore(k, old);
        return this.clauses(cl, i + 1, scope, line);
      }
      const after = new Map([...journal.keys()].map((k) => [k, vars.get(k)] as const));
      for (const [k, old] of journal) vars.restore(k, old);
      for (let j = i + 1; j < cl.length; j++) {
        const [laterCond, later] = cl[j]!;
        if (later) this.speculate(laterCond, later, by, scope, cl.slice(i, j).map(([c]) => c));
      }
      // What the branch bound rests on the values that chose it (`lf = lambda …` under `if opt.cos_lr:`).
      const label = `set on the branch \`${shortText(cond, 60)}\`, taken with ${by}`;
      for (const [k, v] of after) vars.restore(k, labelled(v, label));
      for (const { slot } of written) slot.set(labelled(slot.get(), label));
      return end;
    }
    if (t === false && by) {
      // The path taken first (so its calls and constructions are the real ones), then this branch from the state before it.
      const vars = scope.vars;
      vars.open();
      this.interp.slots.open();
      const next = cl[i + 1];
      const end = next && !next[0]
        ? this.taken(`the \`else\` branch of \`${shortText(cond, 60)}\``, by, () => (next[1] ? this.block(kids(next[1]), scope) : 'normal'))
        : this.clauses(cl, i + 1, scope, line);
      const written = this.interp.slots.close();
      const journal = vars.close();
      if (end === 'exit' && this.exitKind === 'raise' && body) {
        // The rest raises with the assumed values (`else: raise ValueError(…)`): the script is run with arguments
        // that pass its check, so this branch is the one that goes on, labelled as such.
        rollBack(written);
        for (const [k, old] of journal) vars.restore(k, old);
        const passing = `arguments that pass the check (the rest raises with ${by})`;
        vars.open();
        this.interp.slots.open();
        const taken = this.taken(cond, passing, () => this.block(kids(body), scope));
        const set = this.interp.slots.close();
        const label = `set on the branch \`${shortText(cond, 60)}\`, taken with ${passing}`;
        for (const k of vars.close().keys()) vars.restore(k, labelled(vars.get(k), label));
        for (const { slot } of set) slot.set(labelled(slot.get(), label));
        return taken;
      }
      const after = new Map([...journal.keys()].map((k) => [k, vars.get(k)] as const));
      for (const [k, old] of journal) vars.restore(k, old);
      if (body) this.speculate(cond, body, by, scope, []);
      const label = `set where \`${shortText(cond, 60)}\` is false with ${by}`;
      for (const [k, v] of after) vars.restore(k, labelled(v, label));
      for (const { slot } of written) slot.set(labelled(slot.get(), label));
      return end;
    }
    if (t === false) {
      if (body) this.skip(body, body, `its condition \`${shortText(cond, 40)}\` (line ${lineOf(cond)}) is always false`);
      return this.clauses(cl, i + 1, scope, line);
    }
    const vars = scope.vars;
    const slots = this.interp.slots;
    // Names and the slots of shared objects (`config["epochs"] = 2`, `args.lr = …`) follow one policy.
    vars.open();
    slots.open();
    const endA = walkBody();
    const exitA = this.exitKind;
    const forkA = endFork(slots);
    const journalA = vars.close();
    const afterA = new Map([...journalA.keys()].map((k) => [k, vars.get(k)] as const));
    for (const [k, old] of journalA) vars.restore(k, old);
    vars.open();
    slots.open();
    const endB = this.clauses(cl, i + 1, scope, line);
    const forkB = endFork(slots);
    const journalB = vars.close();
    // A path that left the block (return/raise) does not reach what follows.
    if (endB === 'exit' && endA !== 'exit') {
      for (const [k, old] of journalB) vars.restore(k, old);
      for (const [k, v] of afterA) vars.restore(k, v);
      reapply(forkA);
    } else if (endA === 'exit') {
      reapply(forkB);
    } else {
      const differ = (what: string) => unknown(`\`${what}\` depends on a condition at line ${line}`);
      mergeSlots([forkA, forkB], differ, sameValue);
      for (const k of new Set([...journalA.keys(), ...journalB.keys()])) {
        const a = journalA.has(k) ? afterA.get(k) : vars.get(k);
        const b = vars.get(k);
        if (a === undefined || b === undefined || !sameValue(a, b)) vars.set(k, differ(k));
      }
    }
    // Both paths leave: the block raises only if both raise.
    if (endA === 'exit' && endB === 'exit' && exitA !== 'raise') this.exitKind = exitA;
    return endA === 'exit' && endB === 'exit' ? 'exit' : 'normal';
  }

  /** Walks the branch the assumed values select, its constructions labelled as such. */
  private taken(cond: SyntaxNode | string, by: string, walkBody: () => BlockEnd): BlockEnd {
    const saved = this.recorder.branch;
    const branch = typeof cond === 'string' ? cond : `the branch \`${shortText(cond, 60)}\``;
    if (!saved) this.recorder.branch = { note: `on ${branch}, taken with ${by}`, taken: true };
    try {
      return walkBody();
    } finally {
      this.recorder.branch = saved;
    }
  }

  /**
   * Walks a branch the assumed values do not take, in a fork (nothing it binds is kept), so that the
   * constructions there are previewed with their own arguments, labelled. `cond` (null for `else`)
   * holds there and the earlier conditions `before` do not: a `name == constant` condition binds it.
   */
  private speculate(cond: SyntaxNode | null, body: SyntaxNode, by: string, scope: Scope, before: (SyntaxNode | null)[]): void {
    const where = cond
      ? `on the branch \`${shortText(cond, 60)}\`, not taken with ${by}`
      : `on the \`else\` branch after \`${shortText(before[before.length - 1] ?? body, 60)}\`, not taken with ${by}`;
    const saved = this.recorder.branch;
    const savedSkipped = this.skipped.length;
    this.recorder.branch = { note: saved && !saved.taken ? `${saved.note}; ${where}` : where, taken: false };
    const vars = scope.vars;
    vars.open();
    const savedUndo = this.interp.undo;
    const undo: (() => void)[] = [];
    this.interp.undo = undo;
    try {
      if (cond) this.assume(cond, where, scope);
      this.block(kids(body), scope);
    } finally {
      // `self.scheduler = …` on the branch not taken does not replace what the taken path set.
      this.interp.undo = savedUndo;
      for (let j = undo.length - 1; j >= 0; j--) undo[j]!();
      this.recorder.branch = saved;
      // Code after a `return` in the fork is still code the real walk may report on its own terms.
      this.skipped.length = savedSkipped;
      for (const [k, old] of vars.close()) vars.restore(k, old);
    }
  }

  /** Inside a branch on `x == constant` (`args.lr_scheduler == "cosineannealinglr"`), x is that constant. */
  private assume(cond: SyntaxNode, where: string, scope: Scope): void {
    const c = unparen(cond);
    if (c.type !== 'comparison_operator') return;
    const parts = kids(c);
    const ops = c.children.filter((x) => x !== null && !x.isNamed).map((x) => x!.type);
    if (parts.length !== 2 || ops.length !== 1 || ops[0] !== '==') return;
    const [left, right] = parts as [SyntaxNode, SyntaxNode];
    const [target, value] = isConstant(right) ? [left, right] : isConstant(left) ? [right, left] : [null, null];
    if (!target || !value || (target.type !== 'identifier' && target.type !== 'attribute')) return;
    const v = this.interp.expr(value, scope);
    if (v.k === 'unknown') return;
    // An attribute is set on a copy of its object, so the fork does not change what the real walk sees.
    if (target.type === 'attribute') {
      const objNode = target.childForFieldName('object');
      const attr = target.childForFieldName('attribute')?.text;
      if (!objNode || !attr || objNode.type !== 'identifier') return;
      const obj = this.interp.expr(objNode, scope);
      if (obj.k !== 'ns') return;
      const copy = { ...obj, attrs: new Map(obj.attrs) };
      copy.attrs.set(attr, { ...v, assumed: where });
      scope.vars.set(objNode.text, copy);
      return;
    }
    scope.vars.set(target.text, { ...v, assumed: where });
  }

  /**
   * A loop body runs an unknown number of times: a dry pass (recording nothing) finds the names
   * it changes, which become unknown; then the real pass records the constructions.
   */
  private loop(st: SyntaxNode, scope: Scope): void {
    const line = lineOf(st);
    const target = st.type === 'for_statement' ? st.childForFieldName('left') : null;
    const iter = st.childForFieldName(st.type === 'for_statement' ? 'right' : 'condition');
    const iterValue = iter ? this.interp.expr(iter, scope) : null;
    this.loops?.loop(st, iterValue, scope, this.interp);
    const body = st.childForFieldName('body');
    const bindTarget = () => {
      if (target) this.interp.assign(target, unknown(`\`${shortText(target)}\` is the variable of the loop at line ${line}`), scope);
    };
    if (!body) return;
    const vars = scope.vars;
    const slots = this.interp.slots;
    const changes = (what: string) => unknown(`\`${what}\` changes in the loop at line ${line}`);
    if (this.loopNesting < MAX_DRY_NESTING) {
      vars.open();
      slots.open();
      this.recorder.suppressed++;
      this.loopNesting++;
      let journal: Map<string, PyVal | undefined>;
      let written: SlotFork;
      try {
        bindTarget();
        this.block(kids(body), scope);
      } finally {
        this.recorder.suppressed--;
        this.loopNesting--;
        written = endFork(slots);
        journal = vars.close();
      }
      const changed = changedNames(journal, vars);
      for (const [k, old] of journal) vars.restore(k, old);
      for (const name of changed) vars.set(name, changes(name));
      // An object's slot the body writes (`cfg["lr"] *= 0.5`) has the value of an unknown number of passes.
      mergeSlots([written, written.map((c) => ({ ...c, after: c.before }))], changes, sameValue);
    }
    vars.open();
    slots.open();
    this.loopNesting++;
    let journal: Map<string, PyVal | undefined>;
    let written: SlotFork;
    try {
      bindTarget();
      if (this.loops) {
        // Reads names only; nothing it evaluates is recorded.
        this.recorder.suppressed++;
        try {
          this.loops.body(st, scope, this.interp, this.loopNesting <= MAX_DRY_NESTING);
        } finally {
          this.recorder.suppressed--;
        }
      }
      this.block(kids(body), scope);
    } finally {
      this.loopNesting--;
      written = endFork(slots);
      journal = vars.close();
    }
    for (const name of changedNames(journal, vars)) {
      if (target && unparen(target).type === 'identifier' && unparen(target).text === name) continue;
      vars.set(name, changes(name));
    }
    mergeSlots([written, written.map((c) => ({ ...c, after: c.before }))], changes, sameValue);
    const alt = kids(st).find((c) => c.type === 'else_clause');
    const altBody = alt?.childForFieldName('body');
    if (altBody) this.block(kids(altBody), scope);
  }
}

/** The name a function is called by: a class's for its `__init__`. */
function nameOf(p: PendingFunction): string {
  return p.fn.name === '__init__' && p.cls?.k === 'class' ? p.cls.name : p.fn.name;
}

/** A literal a branch condition compares with. */
function isConstant(n: SyntaxNode): boolean {
  const t = unparen(n).type;
  return t === 'string' || t === 'integer' || t === 'float' || t === 'true' || t === 'false' || t === 'none' || t === 'concatenated_string';
}

/** A value bound on a branch chosen by assumed values, labelled with that branch (objects and unknowns as they are). */
function labelled(v: PyVal | undefined, label: string): PyVal | undefined {
  return v === undefined || v.k === 'ns' || v.k === 'unknown' || v.assumed ? v : { ...v, assumed: label };
}

/** "the default arguments" when the assumption is an argparse default, else the assumed values. */
function withWhat(assumed: string): string {
  return /\bdefault of -/.test(assumed) ? 'the default arguments' : `the assumed values (${assumed})`;
}

/** Names whose value after a pass differs from the value the journal recorded before it. */
function changedNames(journal: Map<string, PyVal | undefined>, now: Map<string, PyVal>): string[] {
  const out: string[] = [];
  for (const [k, old] of journal) {
    const v = now.get(k);
    if (v === undefined ? old !== undefined : old === undefined || !sameValue(old, v)) out.push(k);
  }
  return out;
}

const STATEMENT_TYPES = new Set([
  'expression_statement', 'if_statement', 'for_statement', 'while_statement', 'with_statement', 'try_statement',
  'function_definition', 'class_definition', 'decorated_definition', 'import_statement', 'import_from_statement',
  'return_statement', 'raise_statement', 'delete_statement', 'assert_statement',
]);

function isStatement(n: SyntaxNode): boolean {
  return STATEMENT_TYPES.has(n.type);
}
