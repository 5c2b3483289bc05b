/**
 * The static walk: module statements in order, then every function body (with
 * the arguments the walk passed when it called the function; otherwise the
 * parameters are unknown, or their defaults used as labelled assumptions), in an
 * order that walks callers first; classes and definitions; helpers the interpreter
 * could not run walked for their return value. Branches, `try` and loops are
 * forks.ts (the base class).
 */
import { hydraConfig, withTarget } from './configs';
import { CallSites } from './callsites';
import { bindImport } from './imports';
import { passesScheduler } from './loopFacts';
import { checkPastedClass } from './pasted';
import { ForkingWalker, labelled, type BlockEnd } from './forks';
import { Relevance, WordCounts, wordsOfNode } from './relevance';
import { SyntaxNode, TextFact, kids, lineOf, shortText } from './syntax';
import { FuncVal, NONE, PyVal, Scope, VarMap, sameValue, str, unknown } from './values';

/** Functions searched for one whose callers are walked (beyond, the walk keeps the order of definition). */
const MAX_ORDERED = 200;

interface PendingFunction {
  fn: FuncVal;
  /** For methods: the shared instance (`self`) and the class. */
  self: PyVal | null;
  cls: PyVal | null;
}

export class Walker extends ForkingWalker {
  private readonly pending: PendingFunction[] = [];
  private readonly walked = new Set<number>();
  /** Identifier-like words of each function's text (see `nextPending`). */
  private readonly words = new Map<number, ReadonlySet<string>>();
  /** Word → how many pending functions name it; class → its pending `__init__`s. */
  private readonly named = new WordCounts();
  private readonly initsPending = new Map<PyVal, number>();
  /** Name → how many pending functions of that name name themselves (a `def` names itself). */
  private readonly namesakes = new Map<string, number>();
  /** Functions walked with unknown parameters because no call had reached them yet. */
  private readonly walkedBeforeCalled: PendingFunction[] = [];
  /** The module's scope, available even when the walk stops early. */
  moduleScope: Scope | null = null;
  /** While `evaluate` walks a function: the values its `return`s reached. */
  private returns: PyVal[] | null = null;
  /** Functions `evaluate` is walking (a helper calling itself is not walked again). */
  private readonly evaluating = new Set<number>();

  /**
   * Walks the module, then the function bodies in order of discovery. `given`: the module's scope, made
   * by the caller; `imported`: a module imported by the analysed file (modules.ts), whose function
   * bodies are not walked (they run when called).
   */
  module(root: SyntaxNode, given?: Scope, imported = false): Scope {
    WordCounts.begin();
    try {
      return this.walkModule(root, given, imported);
    } finally {
      WordCounts.end();
    }
  }

  private walkModule(root: SyntaxNode, given: Scope | undefined, imported: boolean): Scope {
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
   * scheduler)` disagree, so the merged parameter is unknown, yet its `.step()` calls matter (handoff.ts attributes
   * them per call).
   */
  private someCallPassesScheduler(fn: FuncVal): boolean {
    for (const s of this.interp.callSites.sitesOf(CallSites.keyOf(fn)).values()) if (passesScheduler(s.params)) return true;
    return false;
  }

  /** Identifier-like words of a function's text, cached (shared with Relevance). */
  private wordsOf(fn: FuncVal): ReadonlySet<string> {
    let w = this.words.get(fn.node.id);
    // Its text's words: a frozen copy (one waiting for the walk's end too) keeps them.
    if (!w) this.words.set(fn.node.id, (w = wordsOfNode(this.interp.frozenOf(fn) ?? fn.node)));
    return w;
  }

  /** Counts, over the pending functions, the words they name and the `__init__`s of each class (see `nextPending`). */
  private track(p: PendingFunction, sign: 1 | -1): void {
    const words = this.wordsOf(p.fn);
    this.named.add(this.interp.frozenOf(p.fn) ?? p.fn.node, words, sign);
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
      const callers = this.named.get(name) - (this.namesakes.get(name) ?? 0);
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
  protected override block(stmts: SyntaxNode[], scope: Scope): BlockEnd {
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
        const decorators = DECORATORS.of(st);
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
  private defineClass(st: SyntaxNode, scope: Scope, decorators: readonly string[]): void {
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
    // `class T(object):` names Python's root class, which the interpreter does not bind: it is `object`, not unknown.
    if (sup) cls.bases = kids(sup).filter((k) => k.type !== 'keyword_argument').map((k) => {
      const b = this.interp.expr(k, scope);
      return k.type === 'identifier' && k.text === 'object' && b.k === 'unknown' ? { k: 'builtin', name: 'object' } : b;
    });
    // The blog's, katsura's and pl_bolts' classes are library code: recognised by name, not walked — when the
    // definition takes the library's parameters (pasted.ts); another class of that name is walked as the user's.
    if (checkPastedClass(cls, name, st, (d) => this.interp.expr(d, scope))?.library) return;
    const classScope: Scope = { vars: attrs, parent: scope, label: name };
    const self: PyVal = {
      k: 'ns', typeName: name, attrs: new Map(), cls,
      missing: (attr) => `\`self.${attr}\` is set at run time`,
    };
    const { members, methods } = CLASS_BODY.of(body);
    for (const m of members) {
      if (m.def) {
        // @staticmethod, @classmethod, @property…: not a plain method, never bound to an instance.
        if (m.decorated !== null) cls.decorated.add(m.decorated);
      } else {
        this.statement(m.s, classScope);
        if (m.field !== null) cls.fields.push(m.field);
      }
    }
    for (const m of methods) this.defineFunction(m, classScope, self, cls);
  }
}

/**
 * A class body's statements as the walk reads them, from its text alone: each statement with its method (a
 * `def`, decorated or not) and the name of a decorated one, or the field an annotated assignment declares
 * (`lr: float = 0.1`); and the methods, `__init__` first so the other methods see the attributes it sets.
 */
const CLASS_BODY = new TextFact((body) => {
  const members: { s: SyntaxNode; def: SyntaxNode | null; decorated: string | null; field: string | null }[] = [];
  const methods: SyntaxNode[] = [];
  for (const s of kids(body)) {
    const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
    if (def?.type === 'function_definition') {
      methods.push(def);
      const methodName = def.childForFieldName('name')?.text;
      members.push({ s, def, decorated: s !== def && methodName ? methodName : null, field: null });
    } else {
      let field: string | null = null;
      if (s.type === 'expression_statement') {
        const a = kids(s)[0];
        const target = a?.type === 'assignment' ? a.childForFieldName('left') : null;
        if (a?.childForFieldName('type') && target?.type === 'identifier') field = target.text;
      }
      members.push({ s, def: null, decorated: null, field });
    }
  }
  methods.sort((a, b) => Number(b.childForFieldName('name')?.text === '__init__') - Number(a.childForFieldName('name')?.text === '__init__'));
  return { members, methods };
});

/** The decorators of a decorated definition as written, without their `@` (`hydra.main(config_path=…)`). */
const DECORATORS = new TextFact((st) => kids(st).filter((c) => c.type === 'decorator').map((d) => shortText(d).replace(/^@/, '')));

/** The name a function is called by: a class's for its `__init__`. */
function nameOf(p: PendingFunction): string {
  return p.fn.name === '__init__' && p.cls?.k === 'class' ? p.cls.name : p.fn.name;
}

const STATEMENT_TYPES = new Set([
  'expression_statement', 'if_statement', 'for_statement', 'while_statement', 'with_statement', 'try_statement',
  'function_definition', 'class_definition', 'decorated_definition', 'import_statement', 'import_from_statement',
  'return_statement', 'raise_statement', 'delete_statement', 'assert_statement',
]);

function isStatement(n: SyntaxNode): boolean {
  return STATEMENT_TYPES.has(n.type);
}
