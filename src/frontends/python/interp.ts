/**
 * The abstract interpreter: evaluates expressions over PyVal without executing
 * anything, and runs small user functions (lambdas, defs) on known values.
 *
 * Two modes share the expression code:
 * - static (`running === 0`): the module / function-body walk. A Python
 *   exception becomes an `unknown` value with the reason; unknowns propagate.
 * - run (`running > 0`): inside a user function call. Exceptions propagate as
 *   PyError (CPython's type and text), which is what the engine needs.
 * Every step ticks a budget; expression depth and call depth are bounded.
 */
import { PyError } from '../../engine/types';
import type { Arg } from '../../engine/types';
import { Budget, CallBudget } from './budget';
import { Compiler } from './compile';
import { BUILTIN_NAMES, MATH_CONSTANTS, callBuiltin, isKnownBuiltin, iterate } from './builtins';
import { bindImport, BLOG_CLASSES, blogClassOf, torchSchedulerOf } from './imports';
import { binaryOp, compareOp, notOp, unaryOp } from './ops';
import { carry, getItem, hashableEq, isVague, reasonFor, sameKnown, vague, vagueReason } from './access';
import { bindParams, collectLocals, freeNames, params, type Param } from './functions';
import { freeze, isFrozen, kids, rangeOf, readNumber, readString, shortText, SyntaxNode, unparen } from './syntax';
import {
  FALSE, FuncVal, NONE, PyVal, Scope, TRUE, VarMap, bool, firstUnknown, sameValue, float, int, numOf, repr, str, truthy, typeName, unknown,
} from './values';

/**
 * Thrown in run mode when control flow depends on a value we do not know. Not an Error: it is
 * thrown and caught inside the interpreter, often (every user class's `__init__` that calls into
 * a library), and capturing a stack trace each time was a tenth of a long file's analysis.
 */
export class Indeterminate {
  constructor(readonly reason: string) {}
  toString(): string {
    return this.reason;
  }
}

/** What a call to a scheduler or optimizer class builds; implemented by the construction recorder. */
export interface ConstructionHooks {
  scheduler(kind: string, family: string, call: SyntaxNode, args: EvaluatedArgs): PyVal;
  optimizer(type: string, call: SyntaxNode, args: EvaluatedArgs): PyVal;
  /** `.step()`, `.get_last_lr()`, … on a scheduler object. */
  use(target: PyVal & { k: 'scheduler' }, method: string, call: SyntaxNode, args: PyVal[]): void;
  /** True during a loop's dry pass: nothing is recorded, so user functions need not run either. */
  readonly dryRun: boolean;
}

export interface ArgSlot { node: SyntaxNode; val: PyVal }
export interface EvaluatedArgs {
  pos: ArgSlot[];
  kw: [string, ArgSlot][];
  /** Set when a `*x` / `**x` argument could not be expanded. */
  splatReason: string | null;
}

/** Optimizer classes we recognise by their last name segment, whatever the module. */
export const OPTIMIZER_CLASSES = new Set([
  'SGD', 'Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'RMSprop', 'Adagrad', 'Adadelta', 'ASGD', 'Rprop', 'LBFGS', 'SparseAdam',
]);

const MAX_EXPR_DEPTH = 400;
const MAX_CALL_DEPTH = 40;
/** Operations of one user-function call made during the static walk (e.g. `T = steps(EPOCHS)`). */
const STATIC_CALL_OPS = 50_000;
/** Operations of one engine call of a converted function, and of all its calls together. */
const ENGINE_CALL_OPS = 100_000;
const ENGINE_TOTAL_OPS = 200_000_000;

export type Flow = { kind: 'normal' } | { kind: 'return'; value: PyVal } | { kind: 'break' } | { kind: 'continue' };
export const NORMAL: Flow = { kind: 'normal' };

/** Builtins handled by the interpreter itself (they need more than values: attributes, keywords). */
const INTERP_BUILTINS = new Set(['dict', 'print', 'getattr', 'super']);

/** Exception classes a function may `raise` (read by `raised`, never evaluated as values). */
const EXCEPTION_NAMES = new Set([
  'Exception', 'ValueError', 'TypeError', 'ZeroDivisionError', 'RuntimeError', 'KeyError', 'IndexError', 'AssertionError',
  'ArithmeticError', 'OverflowError', 'AttributeError', 'NotImplementedError',
]);

/** Functions of numpy that behave as math's for scalars (np.floor & co return floats, so they are left out). */
const NUMPY_AS_MATH = new Set(['cos', 'sin', 'tan', 'exp', 'log', 'log2', 'log10', 'sqrt', 'tanh', 'arccos', 'arcsin', 'arctan']);

export class Interpreter {
  /** > 0 while a user function runs (run mode). */
  running = 0;
  private exprDepth = 0;
  private callDepth = 0;
  private callBudget: CallBudget | null = null;
  /** Set once the analysis is over: later calls come from the engine and only use call budgets. */
  private engineTime = false;
  private readonly engineShared = { left: ENGINE_TOTAL_OPS };
  private readonly staticShared = { left: 1_000_000 };
  /** Per-node caches (literal values, parameter lists), keyed by node id; cleared when the tree goes away. */
  private readonly literals = new Map<number, PyVal>();
  /** Ids of the call nodes evaluated to the end (whatever their callee turned out to be); see `sweep`. */
  readonly evaluatedCalls = new Set<number>();
  private readonly paramCache = new Map<number, Param[]>();
  private readonly compiler = new Compiler(this);
  /** Function node id → parameters as passed by the walk's calls (see `noteCallSite`). */
  private readonly callSites = new Map<number, Map<string, PyVal>>();

  constructor(
    readonly text: string,
    readonly budget: Budget,
    private readonly hooks: ConstructionHooks,
  ) {}

  /** Ends the analysis phase: function values may now be called by the engine at any time. */
  finish(): void {
    this.engineTime = true;
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

  /** One unit of work: counted against the file's budget during the analysis and the current call's budget. */
  tick(): void {
    if (!this.engineTime) this.budget.tick();
    this.callBudget?.tick();
  }

  // ---- expressions ---------------------------------------------------------------------------

  /** Evaluates an expression. Static mode never throws PyError (they become unknown); BudgetSpent propagates. */
  expr(n: SyntaxNode, scope: Scope): PyVal {
    this.tick();
    if (this.exprDepth >= MAX_EXPR_DEPTH) {
      if (this.running) throw new PyError('BudgetExceeded', 'expression nested too deeply');
      return unknown('the expression is nested too deeply to evaluate', rangeOf(n));
    }
    this.exprDepth++;
    try {
      return this.evalNode(n, scope);
    } catch (e) {
      if (e instanceof PyError && !this.running) return unknown(reasonFor(e, n), rangeOf(n));
      if (e instanceof RangeError && !this.running) return unknown('the expression is nested too deeply to evaluate', rangeOf(n));
      throw e;
    } finally {
      this.exprDepth--;
    }
  }

  private evalNode(n: SyntaxNode, scope: Scope): PyVal {
    switch (n.type) {
      case 'integer': case 'float': {
        const cached = this.literals.get(n.id);
        if (cached) return cached;
        const lit = readNumber(n.text, n.type);
        const v = lit.kind === 'error' ? unknown(lit.reason, rangeOf(n)) : lit.kind === 'int' ? int(lit.value) : float(lit.value);
        this.literals.set(n.id, v);
        return v;
      }
      case 'true': return TRUE;
      case 'false': return FALSE;
      case 'none': return NONE;
      case 'string': {
        const s = readString(n);
        return s.kind === 'error' ? unknown(s.reason, rangeOf(n)) : str(s.value);
      }
      case 'concatenated_string': {
        let acc = '';
        for (const part of kids(n)) {
          const s = readString(part);
          if (s.kind === 'error') return unknown(s.reason, rangeOf(part));
          acc += s.value;
        }
        return str(acc);
      }
      case 'identifier': return this.lookup(n.text, scope, n);
      case 'parenthesized_expression': {
        const inner = kids(n)[0];
        return inner ? this.expr(inner, scope) : unknown('empty parentheses', rangeOf(n));
      }
      case 'unary_operator': {
        const op = n.childForFieldName('operator')?.type ?? '-';
        const a = this.expr(n.childForFieldName('argument')!, scope);
        if (isVague(a)) return vague(a, n);
        return carry(unaryOp(op, a), a);
      }
      case 'binary_operator': {
        const a = this.expr(n.childForFieldName('left')!, scope);
        const b = this.expr(n.childForFieldName('right')!, scope);
        if (isVague(a)) return vague(a, n);
        if (isVague(b)) return vague(b, n);
        return carry(binaryOp(n.childForFieldName('operator')!.type, a, b), a, b);
      }
      case 'boolean_operator': return this.boolOp(n, scope);
      case 'not_operator': {
        const a = this.expr(n.childForFieldName('argument')!, scope);
        const t = notOp(a);
        return t === null ? vague(a, n) : carry(bool(t), a);
      }
      case 'comparison_operator': return this.compare(n, scope);
      case 'conditional_expression': {
        const [a, cond, b] = kids(n);
        if (!a || !cond || !b) return unknown('incomplete conditional expression', rangeOf(n));
        const c = this.expr(cond, scope);
        const t = truthy(c);
        if (t === null) {
          if (this.running) throw new Indeterminate(vagueReason(c, cond));
          // Still evaluate both arms so constructions inside them are found.
          const va = this.expr(a, scope);
          const vb = this.expr(b, scope);
          return va.k !== 'unknown' && sameKnown(va, vb) ? va : unknown(`\`${shortText(n)}\` depends on \`${shortText(cond)}\`: ${vagueReason(c, cond)}`, rangeOf(n));
        }
        return carry(this.expr(t ? a : b, scope), c);
      }
      case 'list': case 'tuple': case 'expression_list': case 'pattern_list': return this.sequence(n, scope, n.type !== 'list');
      case 'dictionary': return this.dict(n, scope);
      case 'subscript': return this.subscript(n, scope);
      case 'attribute': {
        const obj = this.expr(n.childForFieldName('object')!, scope);
        return this.getAttr(obj, n.childForFieldName('attribute')!.text, n);
      }
      case 'call': return this.call(n, scope);
      case 'lambda': return this.makeFunc(n, scope, '<lambda>');
      case 'list_comprehension': case 'generator_expression': return this.comprehension(n, scope);
      case 'named_expression': {
        const v = this.expr(n.childForFieldName('value')!, scope);
        scope.vars.set(n.childForFieldName('name')!.text, v);
        return v;
      }
      case 'keyword_argument': return this.expr(n.childForFieldName('value')!, scope);
      default:
        // Still look inside (a call inside an unsupported construct may be a scheduler).
        for (const c of kids(n)) this.expr(c, scope);
        return unknown(`\`${shortText(n, 40)}\` is not evaluated (${n.type.replace(/_/g, ' ')})`, rangeOf(n));
    }
  }

  private boolOp(n: SyntaxNode, scope: Scope): PyVal {
    const op = n.childForFieldName('operator')!.type;
    const a = this.expr(n.childForFieldName('left')!, scope);
    const t = truthy(a);
    const rightNode = n.childForFieldName('right')!;
    if (t === null) {
      if (this.running) throw new Indeterminate(vagueReason(a, n.childForFieldName('left')!));
      this.expr(rightNode, scope);
      return vague(a, n);
    }
    if ((op === 'and' && !t) || (op === 'or' && t)) return a;
    return carry(this.expr(rightNode, scope), a);
  }

  private compare(n: SyntaxNode, scope: Scope): PyVal {
    const operands: SyntaxNode[] = [];
    const ops: string[] = [];
    for (const c of n.children) {
      if (!c || c.type === 'comment') continue;
      if (c.isNamed) operands.push(c);
      else ops.push(c.type);
    }
    let left = this.expr(operands[0]!, scope);
    let result: PyVal = TRUE;
    for (let i = 0; i < ops.length && i + 1 < operands.length; i++) {
      const right = this.expr(operands[i + 1]!, scope);
      if (isVague(left)) return vague(left, n);
      if (isVague(right)) return vague(right, n);
      result = carry(compareOp(ops[i]!, left, right), left, right);
      if (!truthy(result)) return result;
      left = right;
    }
    return result;
  }

  private sequence(n: SyntaxNode, scope: Scope, tuple: boolean): PyVal {
    const items: PyVal[] = [];
    for (const c of kids(n)) {
      if (c.type === 'list_splat') {
        const v = this.expr(kids(c)[0]!, scope);
        if (isVague(v)) return vague(v, c);
        items.push(...iterate(v));
      } else {
        items.push(this.expr(c, scope));
      }
    }
    return { k: 'list', items, tuple };
  }

  private dict(n: SyntaxNode, scope: Scope): PyVal {
    const entries: [PyVal, PyVal][] = [];
    const put = (k: PyVal, v: PyVal) => {
      const i = entries.findIndex(([key]) => hashableEq(key, k));
      if (i >= 0) entries[i]![1] = v;
      else entries.push([k, v]);
    };
    let vagueKey: PyVal | null = null;
    for (const c of kids(n)) {
      if (c.type === 'pair') {
        const k = this.expr(c.childForFieldName('key')!, scope);
        const v = this.expr(c.childForFieldName('value')!, scope);
        if (isVague(k)) vagueKey = k;
        else put(k, v);
      } else if (c.type === 'dictionary_splat') {
        const v = this.expr(kids(c)[0]!, scope);
        if (v.k === 'dict') v.entries.forEach(([a, b]) => put(a, b));
        else vagueKey = v;
      } else {
        this.expr(c, scope);
        return unknown('dict comprehensions are not evaluated', rangeOf(n));
      }
    }
    if (vagueKey) return vague(vagueKey, n);
    return { k: 'dict', entries };
  }

  private subscript(n: SyntaxNode, scope: Scope): PyVal {
    const obj = this.expr(n.childForFieldName('value')!, scope);
    const idxNode = n.childForFieldName('subscript')!;
    if (idxNode.type === 'slice') {
      if (isVague(obj)) return vague(obj, n);
      return this.slice(obj, idxNode, scope);
    }
    const idx = this.expr(idxNode, scope);
    if (isVague(obj)) return vague(obj, n);
    if (isVague(idx)) return vague(idx, n);
    return carry(getItem(obj, idx), obj, idx);
  }

  private slice(obj: PyVal, sl: SyntaxNode, scope: Scope): PyVal {
    // slice children: [start] ':' [stop] [':' [step]]; read them positionally around the colons.
    const parts: (SyntaxNode | null)[] = [null];
    for (const c of sl.children) {
      if (!c) continue;
      if (c.type === ':') parts.push(null);
      else if (c.isNamed) parts[parts.length - 1] = c;
    }
    const num = (p: SyntaxNode | null | undefined): number | null => {
      if (!p) return null;
      const v = this.expr(p, scope);
      if (v.k === 'none') return null;
      if (v.k !== 'int' && v.k !== 'bool') throw new PyError('TypeError', 'slice indices must be integers or None or have an __index__ method');
      return numOf(v);
    };
    const [start, stop, step] = [num(parts[0]), num(parts[1]), num(parts[2]) ?? 1];
    if (step !== 1) throw new PyError('BudgetExceeded', 'slices with a step are not evaluated');
    const seq = obj.k === 'str' ? [...obj.v].map(str) : obj.k === 'list' ? obj.items : null;
    if (!seq) throw new PyError('TypeError', `'${typeName(obj)}' object is not subscriptable`);
    const len = seq.length;
    const clamp = (x: number | null, d: number) => (x === null ? d : x < 0 ? Math.max(0, len + x) : Math.min(len, x));
    const items = seq.slice(clamp(start, 0), clamp(stop, len));
    if (obj.k === 'str') return str(items.map((x) => (x as { v: string }).v).join(''));
    return { k: 'list', items, tuple: obj.k === 'list' && obj.tuple };
  }

  private comprehension(n: SyntaxNode, scope: Scope): PyVal {
    const body = n.childForFieldName('body');
    const clauses = kids(n).filter((c) => c.id !== body?.id);
    if (!body || clauses.length === 0 || clauses[0]!.type !== 'for_in_clause') {
      return unknown('this comprehension is not evaluated', rangeOf(n));
    }
    // Comprehensions have their own scope (Python 3).
    const local: Scope = { vars: new VarMap(), parent: scope, label: scope.label };
    const out: PyVal[] = [];
    const run = (i: number): PyVal | null => {
      if (i === clauses.length) {
        out.push(this.expr(body, local));
        if (out.length > 100_000) throw new PyError('BudgetExceeded', 'the comprehension is too long to evaluate');
        return null;
      }
      const c = clauses[i]!;
      if (c.type === 'for_in_clause') {
        const it = this.expr(c.childForFieldName('right')!, i === 0 ? scope : local);
        if (isVague(it)) return vague(it, c);
        for (const x of iterate(it)) {
          this.assign(c.childForFieldName('left')!, x, local);
          const r = run(i + 1);
          if (r) return r;
        }
        return null;
      }
      if (c.type === 'if_clause') {
        const cond = this.expr(kids(c)[0]!, local);
        const t = truthy(cond);
        if (t === null) return vague(cond, c);
        return t ? run(i + 1) : null;
      }
      return unknown('this comprehension is not evaluated', rangeOf(n));
    };
    const failed = run(0);
    if (failed) {
      if (this.running) throw new Indeterminate(vagueReason(failed, n));
      return failed;
    }
    return { k: 'list', items: out, tuple: false };
  }

  // ---- names and attributes ------------------------------------------------------------------

  lookup(name: string, scope: Scope, n: SyntaxNode): PyVal {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    if (BUILTIN_NAMES.has(name) || INTERP_BUILTINS.has(name)) return { k: 'builtin', name };
    if (this.running) throw new PyError('NameError', `name '${name}' is not defined`);
    return unknown(`\`${name}\` is not defined in this file`, rangeOf(n));
  }

  getAttr(obj: PyVal, attr: string, n: SyntaxNode): PyVal {
    switch (obj.k) {
      case 'unknown': return carry(unknown(obj.reason, obj.range), obj);
      case 'ref': {
        if (obj.path === 'math' || obj.path === 'numpy') {
          const c = MATH_CONSTANTS.get(attr);
          if (c) return c;
          if (obj.path === 'numpy' && NUMPY_AS_MATH.has(attr)) return { k: 'builtin', name: `math.${attr.replace(/^arc/, 'a')}` };
        }
        if (isKnownBuiltin(`${obj.path}.${attr}`)) return { k: 'builtin', name: `${obj.path}.${attr}` };
        return { k: 'ref', path: `${obj.path}.${attr}` };
      }
      case 'class': {
        const v = obj.attrs.get(attr);
        if (v !== undefined) return v;
        return this.missingAttr(`\`${obj.name}.${attr}\` is not set in the class body`, obj, attr, n);
      }
      case 'ns': {
        const v = obj.attrs.get(attr);
        if (v !== undefined) return v;
        // A method of the instance's class, bound to the instance (`self.lr_lambda`).
        const method = obj.cls?.attrs.get(attr);
        if (method?.k === 'func' && !method.bound && !obj.cls!.decorated.has(attr)) return { ...method, name: `${obj.typeName}.${method.name}`, bound: { pos: [obj], kw: [] } };
        return this.missingAttr(obj.missing ? obj.missing(attr) : `\`${shortText(n)}\` is set at run time`, obj, attr, n);
      }
      case 'opaque': return { k: 'opaque', typeName: 'object', desc: `${obj.desc}.${attr}` };
      case 'optimizer': return unknown(`\`${shortText(n)}\`: the optimizer's state is not modelled`, rangeOf(n));
      case 'scheduler': return unknown(`\`${shortText(n)}\`: the scheduler's state is not modelled`, rangeOf(n));
      default:
        if (this.running) throw new PyError('AttributeError', `'${typeName(obj)}' object has no attribute '${attr}'`);
        return unknown(`\`${shortText(n)}\` is not evaluated`, rangeOf(n));
    }
  }

  private missingAttr(reason: string, obj: PyVal, attr: string, n: SyntaxNode): PyVal {
    if (this.running && obj.k === 'class') throw new PyError('AttributeError', `type object '${obj.name}' has no attribute '${attr}'`);
    if (this.running && obj.k === 'ns' && !obj.missing) throw new PyError('AttributeError', `'${obj.typeName}' object has no attribute '${attr}'`);
    return unknown(reason, rangeOf(n));
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Evaluates call arguments, expanding `*list` and `**dict` when they are known. */
  evalArgs(argsNode: SyntaxNode | null, scope: Scope): EvaluatedArgs {
    const out: EvaluatedArgs = { pos: [], kw: [], splatReason: null };
    if (!argsNode) return out;
    if (argsNode.type === 'generator_expression') {
      out.pos.push({ node: argsNode, val: this.expr(argsNode, scope) });
      return out;
    }
    for (const c of kids(argsNode)) {
      if (c.type === 'keyword_argument') {
        const name = c.childForFieldName('name')!.text;
        const valueNode = c.childForFieldName('value')!;
        out.kw.push([name, { node: valueNode, val: this.expr(valueNode, scope) }]);
      } else if (c.type === 'list_splat') {
        const inner = kids(c)[0]!;
        const v = this.expr(inner, scope);
        if (v.k === 'list') v.items.forEach((item) => out.pos.push({ node: inner, val: item }));
        else out.splatReason = `\`${shortText(c)}\` is not known: ${vagueReason(v, inner)}`;
      } else if (c.type === 'dictionary_splat') {
        const inner = kids(c)[0]!;
        const v = this.expr(inner, scope);
        if (v.k === 'dict' && v.entries.every(([k]) => k.k === 'str')) {
          v.entries.forEach(([k, val]) => out.kw.push([(k as { v: string }).v, { node: inner, val }]));
        } else {
          out.splatReason = `\`${shortText(c)}\` is not known: ${vagueReason(v, inner)}`;
        }
      } else {
        out.pos.push({ node: c, val: this.expr(c, scope) });
      }
    }
    return out;
  }

  private call(n: SyntaxNode, scope: Scope): PyVal {
    const fnNode = n.childForFieldName('function')!;
    const argsNode = n.childForFieldName('arguments');
    let v: PyVal;
    if (fnNode.type === 'attribute') {
      const obj = this.expr(fnNode.childForFieldName('object')!, scope);
      v = this.callMethod(obj, fnNode, n, argsNode, scope);
    } else {
      v = this.callValue(this.expr(fnNode, scope), n, argsNode, scope);
    }
    this.evaluatedCalls.add(n.id);
    return v;
  }

  /** `obj.method(…)` once `obj` is evaluated: a method we model, else the attribute called. */
  callMethod(obj: PyVal, fnNode: SyntaxNode, n: SyntaxNode, argsNode: SyntaxNode | null, scope: Scope): PyVal {
    const method = fnNode.childForFieldName('attribute')!.text;
    return this.methodCall(obj, method, n, argsNode, scope) ?? this.callValue(this.getAttr(obj, method, fnNode), n, argsNode, scope);
  }

  /** Methods of values we model (dict.get, list.append, scheduler.step, argparse); null = not a method we handle. */
  private methodCall(obj: PyVal, method: string, n: SyntaxNode, argsNode: SyntaxNode | null, scope: Scope): PyVal | null {
    if (obj.k === 'scheduler') {
      const args = this.evalArgs(argsNode, scope);
      this.hooks.use(obj, method, n, args.pos.map((a) => a.val));
      return unknown(`\`${shortText(n)}\` is computed at run time`, rangeOf(n));
    }
    if (obj.k === 'dict' && (method === 'get' || method === 'setdefault' || method === 'pop')) {
      const args = this.evalArgs(argsNode, scope);
      const key = args.pos[0]?.val;
      if (!key) throw new PyError('TypeError', `${method} expected at least 1 argument, got 0`);
      if (isVague(key)) return vague(key, n);
      const hit = obj.entries.find(([k]) => hashableEq(k, key));
      if (hit) return hit[1];
      const d = args.pos[1]?.val;
      if (d === undefined && method === 'pop') throw new PyError('KeyError', repr(key));
      return d ?? NONE;
    }
    if (obj.k === 'dict' && (method === 'keys' || method === 'values' || method === 'items')) {
      const items = obj.entries.map(([k, v]) =>
        method === 'keys' ? k : method === 'values' ? v : ({ k: 'list', items: [k, v], tuple: true } as PyVal));
      return { k: 'list', items, tuple: false };
    }
    if (obj.k === 'list' && !obj.tuple && (method === 'append' || method === 'extend')) {
      const args = this.evalArgs(argsNode, scope);
      const v = args.pos[0]?.val;
      if (v && method === 'append') obj.items.push(v);
      else if (v && v.k === 'list') obj.items.push(...v.items);
      return NONE;
    }
    if (obj.k === 'str' && STR_METHODS.has(method)) return this.strMethod(obj.v, method, n, this.evalArgs(argsNode, scope));
    if (obj.k === 'ns' && obj.typeName === 'ArgumentParser') return this.argparseCall(obj, method, argsNode, scope);
    if (obj.k === 'ns' && method === 'save_hyperparameters') return this.saveHyperparameters(obj, argsNode, scope);
    return null;
  }

  /** The few str methods configs use (`mode.lower() == "cos"`, `"… {}".format(x)` in a raise). */
  private strMethod(text: string, method: string, n: SyntaxNode, args: EvaluatedArgs): PyVal {
    const vals = args.pos.map((a) => a.val);
    for (const v of [...vals, ...args.kw.map(([, a]) => a.val)]) {
      if (isVague(v)) return this.vagueCall(vagueReason(v, n), n);
    }
    const arg = (i: number) => {
      const v = vals[i];
      if (v?.k !== 'str') throw new PyError('TypeError', `${method}() argument must be str, not ${v ? typeName(v) : 'nothing'}`);
      return v.v;
    };
    switch (method) {
      case 'lower': return str(text.toLowerCase());
      case 'upper': return str(text.toUpperCase());
      case 'strip': return str(text.trim());
      case 'startswith': return bool(text.startsWith(arg(0)));
      case 'endswith': return bool(text.endsWith(arg(0)));
      case 'replace': return str(text.split(arg(0)).join(arg(1)));
      default: {
        const r = formatString(text, vals, new Map(args.kw.map(([k, a]) => [k, a.val])));
        return typeof r === 'string' ? str(r) : this.vagueCall(r.reason, n);
      }
    }
  }

  /**
   * Lightning's `self.save_hyperparameters()` in `__init__`: `self.hparams` gets the parameters
   * (all of them, the names given, or the one dict / namespace passed).
   */
  private saveHyperparameters(self: PyVal & { k: 'ns' }, argsNode: SyntaxNode | null, scope: Scope): PyVal {
    const args = this.evalArgs(argsNode, scope);
    const attrs = new Map<string, PyVal>();
    const names = args.pos.map((a) => a.val).filter((v): v is PyVal & { k: 'str' } => v.k === 'str').map((v) => v.v);
    const only = args.pos.length === 1 ? args.pos[0]!.val : null;
    if (only?.k === 'dict') only.entries.forEach(([k, v]) => { if (k.k === 'str') attrs.set(k.v, v); });
    else if (only?.k === 'ns') only.attrs.forEach((v, k) => attrs.set(k, v));
    else {
      for (const [k, v] of scope.vars) {
        if (k !== 'self' && k !== '__class__' && (names.length === 0 || names.includes(k))) attrs.set(k, v);
      }
    }
    self.attrs.set('hparams', { k: 'ns', typeName: 'AttributeDict', attrs, missing: (a) => `\`self.hparams.${a}\` is not a parameter of \`__init__()\`` });
    return NONE;
  }

  /** `parser.add_argument('--lr', default=0.1)` records defaults; `parse_args()` returns a run-time Namespace. */
  private argparseCall(parser: PyVal & { k: 'ns' }, method: string, argsNode: SyntaxNode | null, scope: Scope): PyVal {
    const args = this.evalArgs(argsNode, scope);
    if (method === 'add_argument') {
      const flags = args.pos.map((a) => a.val).filter((v): v is PyVal & { k: 'str' } => v.k === 'str').map((v) => v.v);
      const long = flags.find((f) => f.startsWith('--')) ?? flags[0];
      const destArg = args.kw.find(([k]) => k === 'dest')?.[1].val;
      const dest = destArg?.k === 'str' ? destArg.v : long?.replace(/^-+/, '').replace(/-/g, '_');
      const action = args.kw.find(([k]) => k === 'action')?.[1].val;
      const flagDefault = action?.k === 'str' && (action.v === 'store_true' || action.v === 'store_false') ? bool(action.v === 'store_false') : undefined;
      const def = args.kw.find(([k]) => k === 'default')?.[1].val ?? flagDefault;
      if (dest && long) parser.attrs.set(dest, def && def.k !== 'unknown' ? { ...def, assumed: `default of ${long}` } : unknown(`\`${long}\` has no visible default`));
      return NONE;
    }
    if (method === 'parse_args' || method === 'parse_known_args') {
      const attrs = new Map<string, PyVal>();
      for (const [dest, def] of parser.attrs) {
        attrs.set(dest, def.k === 'unknown'
          ? unknown(`\`args.${dest}\` is set at run time (command-line argument)`)
          : { ...def, assumed: `${def.assumed}; \`args.${dest}\` is set at run time (command-line argument)` });
      }
      const ns: PyVal = {
        k: 'ns', typeName: 'Namespace', attrs,
        missing: (attr) => `\`args.${attr}\` is set at run time (command-line argument)`,
      };
      return method === 'parse_args' ? ns : { k: 'list', items: [ns, { k: 'list', items: [], tuple: false }], tuple: true };
    }
    return NONE;
  }

  private callValue(callee: PyVal, n: SyntaxNode, argsNode: SyntaxNode | null, scope: Scope): PyVal {
    return this.apply(callee, n, this.evalArgs(argsNode, scope));
  }

  /** Calls a callee value on evaluated arguments: constructions, builtins, user functions, classes. */
  apply(callee: PyVal, n: SyntaxNode, args: EvaluatedArgs): PyVal {
    const schedKind = callee.k === 'ref' ? torchSchedulerOf(callee.path) : null;
    if (schedKind) return this.hooks.scheduler(schedKind, 'torch', n, args);
    const blog = callee.k === 'class' && BLOG_CLASSES.has(callee.name) ? callee.name : callee.k === 'ref' ? blogClassOf(callee.path) : null;
    if (blog) return this.hooks.scheduler(blog, 'blog', n, args);
    if (callee.k === 'ref') {
      const last = callee.path.slice(callee.path.lastIndexOf('.') + 1);
      if (OPTIMIZER_CLASSES.has(last) && callee.path.includes('.')) return this.hooks.optimizer(last, n, args);
    }
    switch (callee.k) {
      case 'builtin': return this.callBuiltinValue(callee.name, args, n);
      case 'func': {
        if (args.splatReason) return this.vagueCall(args.splatReason, n);
        return this.callFunc(callee, args.pos.map((a) => a.val), args.kw.map(([k, a]) => [k, a.val]), n);
      }
      case 'class': return this.instantiate(callee, args, n);
      case 'ref': return this.callRef(callee.path, args, n);
      case 'opaque': return { k: 'opaque', typeName: 'object', desc: `${callee.desc}(…)` };
      case 'unknown': return this.vagueCall(callee.reason, n);
      default:
        if (this.running) throw new PyError('TypeError', `'${typeName(callee)}' object is not callable`);
        return unknown(`\`${shortText(n)}\`: '${typeName(callee)}' object is not callable`, rangeOf(n));
    }
  }

  private vagueCall(reason: string, n: SyntaxNode): PyVal {
    if (this.running) throw new Indeterminate(reason);
    return unknown(reason, rangeOf(n));
  }

  private callBuiltinValue(name: string, args: EvaluatedArgs, n: SyntaxNode): PyVal {
    if (args.splatReason) return this.vagueCall(args.splatReason, n);
    if (name === 'dict') {
      const entries: [PyVal, PyVal][] = args.kw.map(([k, a]) => [str(k), a.val]);
      if (args.pos.length) return this.vagueCall('`dict(…)` with positional arguments is not evaluated', n);
      return { k: 'dict', entries };
    }
    if (name === 'print') return NONE;
    // `super().__init__(…)` in a class the walk instantiates: a base class we do not model.
    if (name === 'super') return { k: 'opaque', typeName: 'super', desc: 'super()' };
    if (name === 'getattr' && !args.kw.length && (args.pos.length === 2 || args.pos.length === 3)) {
      const [obj, attr, dflt] = args.pos.map((a) => a.val);
      if (attr!.k !== 'str') return this.vagueCall(`\`${shortText(n)}\`: the attribute name is not known`, n);
      const v = this.getAttr(obj!, attr!.v, n);
      return v.k === 'unknown' && dflt && (obj!.k === 'ns' || obj!.k === 'class') && !obj!.attrs.has(attr!.v) ? dflt : v;
    }
    const pos = args.pos.map((a) => a.val);
    if (name === 'round' && args.kw.length === 1 && args.kw[0]![0] === 'ndigits') pos.push(args.kw[0]![1].val);
    else if (args.kw.length) return this.vagueCall(`\`${shortText(n)}\`: keyword arguments of \`${name}()\` are not evaluated`, n);
    for (const v of pos) {
      const u = firstUnknown(v);
      if (u) return this.vagueCall(u.reason, n);
      if (v.k === 'opaque' || v.k === 'ref') return this.vagueCall(vagueReason(v, n), n);
    }
    const r = callBuiltin(name, pos);
    const assumed = pos.find((v) => v.assumed)?.assumed;
    return assumed ? { ...r, assumed } : r;
  }

  private callRef(path: string, args: EvaluatedArgs, n: SyntaxNode): PyVal {
    const last = path.slice(path.lastIndexOf('.') + 1);
    if (path === 'functools.partial' && args.pos[0]?.val.k === 'func' && !args.splatReason) {
      const fn = args.pos[0].val;
      const pos = args.pos.slice(1).map((a) => a.val);
      const kw = args.kw.map(([k, a]) => [k, a.val] as [string, PyVal]);
      const before = fn.bound ?? { pos: [], kw: [] };
      return {
        ...fn, name: `partial(${fn.name})`,
        bound: { pos: [...before.pos, ...pos], kw: [...before.kw.filter(([k]) => !kw.some(([k2]) => k2 === k)), ...kw] },
      };
    }
    if (path === 'types.SimpleNamespace') {
      return { k: 'ns', typeName: 'SimpleNamespace', attrs: new Map(args.kw.map(([k, a]) => [k, a.val])) };
    }
    if (path === 'argparse.ArgumentParser') return { k: 'ns', typeName: 'ArgumentParser', attrs: new Map() };
    if (isKnownBuiltin(path)) return this.callBuiltinValue(path, args, n);
    if (this.running) throw new Indeterminate(`\`${shortText(n)}\` calls \`${path}\`, which is not evaluated`);
    return { k: 'opaque', typeName: last, desc: shortText(n, 40) };
  }

  /** A class of the file called: `@dataclass` / config classes become attribute bags. */
  private instantiate(cls: PyVal & { k: 'class' }, args: EvaluatedArgs, n: SyntaxNode): PyVal {
    const attrs = new Map<string, PyVal>();
    for (const [k, v] of cls.attrs) if (v.k !== 'func') attrs.set(k, v);
    const missing = (attr: string) => `\`${cls.name}().${attr}\` is set at run time`;
    if (cls.dataclass) {
      args.pos.forEach((a, i) => { const f = cls.fields[i]; if (f) attrs.set(f, a.val); });
      for (const [k, a] of args.kw) attrs.set(k, a.val);
      return { k: 'ns', typeName: cls.name, attrs, missing, cls };
    }
    const init = cls.attrs.get('__init__');
    const inst: PyVal & { k: 'ns' } = { k: 'ns', typeName: cls.name, attrs, missing, cls };
    if (init?.k === 'func') {
      try {
        this.callFunc(init, [inst, ...args.pos.map((a) => a.val)], args.kw.map(([k, a]) => [k, a.val]), n);
      } catch (e) {
        if (this.running || !(e instanceof PyError || e instanceof Indeterminate)) throw e;
        // Keep the attributes set before the failure; the rest stay unknown.
      }
    }
    return inst;
  }

  /** A `lambda` or `def` value; parameter defaults are evaluated now, as Python does. */
  makeFunc(node: SyntaxNode, scope: Scope, name: string): FuncVal {
    const defaults = new Map<string, PyVal>();
    for (const p of this.paramsOf(node)) {
      if (p.defaultNode) defaults.set(p.name, this.expr(p.defaultNode, scope));
    }
    return { k: 'func', name, node, closure: scope, defaults };
  }

  /** Calls a user function with Python's argument binding; run mode inside. */
  callFunc(fn: FuncVal, pos: PyVal[], kw: [string, PyVal][], site: SyntaxNode | null): PyVal {
    if (fn.bound) {
      pos = [...fn.bound.pos, ...pos];
      kw = [...fn.bound.kw.filter(([k]) => !kw.some(([k2]) => k2 === k)), ...kw];
    }
    const isStaticEntry = this.running === 0;
    if (isStaticEntry && !this.engineTime && this.hooks.dryRun) {
      return unknown(`\`${site ? shortText(site) : fn.name}\` is evaluated on the loop's real pass only`);
    }
    if (isStaticEntry && !this.engineTime) {
      // A call made by the static walk (`T = steps(EPOCHS)`): its own budget; failures become unknown.
      const saved = this.callBudget;
      this.callBudget = new CallBudget(STATIC_CALL_OPS, this.staticShared);
      this.noteCallSite(fn, pos, kw);
      this.running++;
      try {
        return this.invoke(fn, pos, kw);
      } catch (e) {
        if (e instanceof Indeterminate) return unknown(`\`${site ? shortText(site) : fn.name}\`: ${e.reason}`);
        if (e instanceof RangeError) return unknown(`\`${fn.name}()\` recurses too deeply`);
        throw e;
      } finally {
        this.running--;
        this.callBudget = saved;
      }
    }
    return this.invoke(fn, pos, kw);
  }

  /** Remembers what the walk passed to `fn`; different values at different calls become unknown. */
  private noteCallSite(fn: FuncVal, pos: PyVal[], kw: [string, PyVal][]): void {
    let vars: Map<string, PyVal>;
    try {
      vars = bindParams(fn, this.paramsOf(fn.node), pos, kw);
    } catch {
      return;
    }
    const prev = this.callSites.get(fn.node.id);
    if (!prev) {
      this.callSites.set(fn.node.id, vars);
      return;
    }
    for (const [k, v] of prev) {
      const w = vars.get(k);
      if (!w || !sameValue(v, w)) prev.set(k, unknown(`parameter \`${k}\` of \`${fn.name}()\` differs between its calls`));
    }
  }

  /** The parameters as the walk's calls of `fn` passed them, or null when the walk never called it. */
  callSiteParams(fn: FuncVal): Map<string, PyVal> | null {
    return this.callSites.get(fn.node.id) ?? null;
  }

  private invoke(fn: FuncVal, pos: PyVal[], kw: [string, PyVal][]): PyVal {
    // Once the tree is deleted only frozen functions may run: a live node would read freed memory.
    if (this.engineTime && !isFrozen(fn.node)) throw new PyError('UnknownValue', `\`${fn.name}\` is not evaluated here (it was not prepared before the syntax tree was released)`);
    // Compiled expressions do not tick: counting calls is what bounds exponential recursion.
    this.tick();
    if (this.callDepth >= MAX_CALL_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    this.callDepth++;
    try {
      const local: Scope = { vars: new VarMap(bindParams(fn, this.paramsOf(fn.node), pos, kw)), parent: fn.closure, label: fn.name };
      const body = fn.node.childForFieldName('body')!;
      // Engine calls run on frozen nodes, compiled to closures (the same semantics, much faster).
      if (this.engineTime) {
        if (fn.node.type === 'lambda') return this.compiler.expr(body)(local);
        const r = this.compiler.block(body)(local);
        return r.kind === 'return' ? r.value : NONE;
      }
      if (fn.node.type === 'lambda') return this.expr(body, local);
      const flow = this.execBlock(body, local);
      return flow.kind === 'return' ? flow.value : NONE;
    } finally {
      this.callDepth--;
    }
  }

  // ---- run-mode statements -------------------------------------------------------------------

  private execBlock(block: SyntaxNode, scope: Scope): Flow {
    for (const st of kids(block)) {
      const f = this.exec(st, scope);
      if (f.kind !== 'normal') return f;
    }
    return NORMAL;
  }

  exec(st: SyntaxNode, scope: Scope): Flow {
    this.tick();
    switch (st.type) {
      case 'expression_statement':
        for (const c of kids(st)) this.statementExpr(c, scope);
        return NORMAL;
      case 'return_statement': {
        const v = kids(st)[0];
        return { kind: 'return', value: v ? this.expr(v, scope) : NONE };
      }
      case 'if_statement': return this.execIf(st, scope);
      case 'for_statement': return this.execFor(st, scope);
      case 'while_statement': return this.execWhile(st, scope);
      case 'pass_statement': return NORMAL;
      case 'break_statement': return { kind: 'break' };
      case 'continue_statement': return { kind: 'continue' };
      case 'function_definition': {
        const name = st.childForFieldName('name')!.text;
        scope.vars.set(name, this.makeFunc(st, scope, name));
        return NORMAL;
      }
      case 'decorated_definition': {
        const def = st.childForFieldName('definition');
        return def ? this.exec(def, scope) : NORMAL;
      }
      case 'import_statement': case 'import_from_statement':
        bindImport(st, scope);
        return NORMAL;
      case 'global_statement': case 'nonlocal_statement': return NORMAL;
      case 'assert_statement': {
        const [cond, msg] = kids(st);
        const c = this.expr(cond!, scope);
        const t = truthy(c);
        if (t === null) throw new Indeterminate(vagueReason(c, cond!));
        if (!t) throw new PyError('AssertionError', msg ? pyStr(this.expr(msg, scope)) : '');
        return NORMAL;
      }
      case 'raise_statement': throw this.raised(st, scope);
      case 'try_statement': return this.execTry(st, scope);
      case 'with_statement': {
        const body = st.childForFieldName('body');
        return body ? this.execBlock(body, scope) : NORMAL;
      }
      default: throw new Indeterminate(`a \`${st.type.replace(/_/g, ' ')}\` in a function is not evaluated`);
    }
  }

  /** Assignment, augmented assignment or a bare expression, in either mode. */
  statementExpr(c: SyntaxNode, scope: Scope): void {
    if (c.type === 'assignment') {
      this.assignment(c, scope);
    } else if (c.type === 'augmented_assignment') {
      const target = c.childForFieldName('left')!;
      const op = c.childForFieldName('operator')!.type.replace(/=$/, '');
      const cur = this.expr(target, scope);
      const rhs = this.expr(c.childForFieldName('right')!, scope);
      let v: PyVal;
      if (isVague(cur)) v = vague(cur, c);
      else if (isVague(rhs)) v = vague(rhs, c);
      else {
        try {
          v = carry(binaryOp(op, cur, rhs), cur, rhs);
        } catch (e) {
          if (!(e instanceof PyError) || this.running) throw e;
          v = unknown(reasonFor(e, c), rangeOf(c));
        }
      }
      this.assign(target, v, scope);
    } else {
      this.expr(c, scope);
    }
  }

  /** `a = b = value`, annotated assignments; returns the assigned value. */
  assignment(c: SyntaxNode, scope: Scope): PyVal | null {
    const right = c.childForFieldName('right');
    if (!right) return null;
    const v = right.type === 'assignment' ? this.assignment(right, scope) : this.expr(right, scope);
    if (v === null) return null;
    this.assign(c.childForFieldName('left')!, v, scope);
    return v;
  }

  /** Binds a value to an assignment target (name, attribute, subscript, tuple pattern). */
  assign(target: SyntaxNode, v: PyVal, scope: Scope): void {
    const t = unparen(target);
    switch (t.type) {
      case 'identifier': scope.vars.set(t.text, v); return;
      case 'attribute': {
        const obj = this.expr(t.childForFieldName('object')!, scope);
        if (obj.k === 'ns' || obj.k === 'class') obj.attrs.set(t.childForFieldName('attribute')!.text, v);
        return;
      }
      case 'subscript': {
        const obj = this.expr(t.childForFieldName('value')!, scope);
        const idxNode = t.childForFieldName('subscript')!;
        const idx = this.expr(idxNode, scope);
        if (isVague(idx)) return;
        if (obj.k === 'dict') {
          const i = obj.entries.findIndex(([k]) => hashableEq(k, idx));
          if (i >= 0) obj.entries[i]![1] = v;
          else obj.entries.push([idx, v]);
        } else if (obj.k === 'list' && !obj.tuple && idx.k === 'int') {
          const i = idx.v < 0 ? obj.items.length + idx.v : idx.v;
          if (i >= 0 && i < obj.items.length) obj.items[i] = v;
          else if (this.running) throw new PyError('IndexError', 'list assignment index out of range');
        }
        return;
      }
      case 'pattern_list': case 'tuple_pattern': case 'list_pattern': case 'tuple': case 'list': case 'expression_list': {
        const targets = kids(t);
        if (targets.some((x) => x.type === 'list_splat_pattern' || x.type === 'list_splat')) {
          if (this.running) throw new Indeterminate('starred unpacking is not evaluated');
          for (const x of targets) this.assign(x.type.startsWith('list_splat') ? kids(x)[0]! : x, unknown('starred unpacking is not evaluated'), scope);
          return;
        }
        let items: PyVal[] | null = null;
        if (v.k === 'list' || v.k === 'dict' || v.k === 'str') items = iterate(v);
        if (items && items.length !== targets.length) {
          const msg = items.length > targets.length
            ? `too many values to unpack (expected ${targets.length})`
            : `not enough values to unpack (expected ${targets.length}, got ${items.length})`;
          if (this.running) throw new PyError('ValueError', msg);
          items = null;
        }
        targets.forEach((x, i) => this.assign(x, items ? items[i]! : carry(unknown(vagueReason(v, t)), v), scope));
        return;
      }
      default:
        if (this.running) throw new Indeterminate(`assignment to \`${shortText(t)}\` is not evaluated`);
    }
  }

  private execIf(st: SyntaxNode, scope: Scope): Flow {
    const clauses: [SyntaxNode | null, SyntaxNode | null][] = [[st.childForFieldName('condition'), st.childForFieldName('consequence')]];
    for (const c of kids(st)) {
      if (c.type === 'elif_clause') clauses.push([c.childForFieldName('condition'), c.childForFieldName('consequence')]);
      else if (c.type === 'else_clause') clauses.push([null, c.childForFieldName('body')]);
    }
    for (const [cond, body] of clauses) {
      if (cond) {
        const v = this.expr(cond, scope);
        const t = truthy(v);
        if (t === null) throw new Indeterminate(vagueReason(v, cond));
        if (!t) continue;
      }
      return body ? this.execBlock(body, scope) : NORMAL;
    }
    return NORMAL;
  }

  private execFor(st: SyntaxNode, scope: Scope): Flow {
    const it = this.expr(st.childForFieldName('right')!, scope);
    if (isVague(it)) throw new Indeterminate(vagueReason(it, st.childForFieldName('right')!));
    const body = st.childForFieldName('body')!;
    for (const x of iterate(it)) {
      this.assign(st.childForFieldName('left')!, x, scope);
      const f = this.execBlock(body, scope);
      if (f.kind === 'break') return NORMAL;
      if (f.kind === 'return') return f;
    }
    const alt = kids(st).find((c) => c.type === 'else_clause');
    return alt ? this.execBlock(alt.childForFieldName('body')!, scope) : NORMAL;
  }

  private execWhile(st: SyntaxNode, scope: Scope): Flow {
    const condNode = st.childForFieldName('condition')!;
    const body = st.childForFieldName('body')!;
    for (;;) {
      this.tick();
      const c = this.expr(condNode, scope);
      const t = truthy(c);
      if (t === null) throw new Indeterminate(vagueReason(c, condNode));
      if (!t) break;
      const f = this.execBlock(body, scope);
      if (f.kind === 'break') return NORMAL;
      if (f.kind === 'return') return f;
    }
    const alt = kids(st).find((c) => c.type === 'else_clause');
    return alt ? this.execBlock(alt.childForFieldName('body')!, scope) : NORMAL;
  }

  private execTry(st: SyntaxNode, scope: Scope): Flow {
    const body = st.childForFieldName('body')!;
    const handlers = kids(st).filter((c) => c.type === 'except_clause');
    const fin = kids(st).find((c) => c.type === 'finally_clause');
    try {
      return this.execBlock(body, scope);
    } catch (e) {
      if (!(e instanceof PyError) || e.type === 'BudgetExceeded' || handlers.length === 0) throw e;
      // Any handler: we do not match exception classes, so only a lone bare/generic handler is faithful.
      if (handlers.length > 1) throw new Indeterminate('which `except` clause handles the error is not evaluated');
      const block = kids(handlers[0]!).find((c) => c.type === 'block');
      return block ? this.execBlock(block, scope) : NORMAL;
    } finally {
      const fb = fin && kids(fin).find((c) => c.type === 'block');
      if (fb) this.execBlock(fb, scope);
    }
  }

  private raised(st: SyntaxNode, scope: Scope): Error {
    const ex = kids(st)[0];
    if (!ex) return new PyError('RuntimeError', 'No active exception to reraise');
    if (ex.type === 'call') {
      const fnNode = ex.childForFieldName('function')!;
      const args = this.evalArgs(ex.childForFieldName('arguments'), scope);
      const first = args.pos[0]?.val;
      return new PyError(fnNode.text.slice(fnNode.text.lastIndexOf('.') + 1), first ? pyStr(first) : '');
    }
    return new PyError(ex.text.slice(ex.text.lastIndexOf('.') + 1), '');
  }

  // ---- functions handed to the engine --------------------------------------------------------

  /**
   * Converts a callable value to the engine's `func` Arg. Free names are checked first (an unknown
   * one makes the whole function unknown, with the reason), and every reachable function is frozen
   * so it keeps working after the syntax tree is deleted.
   */
  toFuncArg(v: PyVal): { arg: Arg } | { reason: string } {
    if (v.k === 'builtin') {
      const name = v.name;
      return { arg: { kind: 'func', name, call: (x: number) => this.engineCall(() => callBuiltin(name, [numArg(x)])) } };
    }
    if (v.k !== 'func') return { reason: `\`${repr(v)}\` is not a function` };
    const problem = this.checkFreeNames(v, new Set());
    if (problem) return { reason: problem };
    const fn = v;
    return {
      arg: {
        kind: 'func',
        name: repr(fn),
        call: (x: number) => this.engineCall(() => this.callFunc(fn, [numArg(x)], [], null)),
      },
    };
  }

  private engineCall(f: () => PyVal): number {
    const saved = this.callBudget;
    this.callBudget = new CallBudget(ENGINE_CALL_OPS, this.engineShared);
    this.running++;
    const savedDepth = [this.exprDepth, this.callDepth];
    try {
      return toNumber(f());
    } catch (e) {
      if (e instanceof PyError) throw e;
      if (e instanceof Indeterminate) throw new PyError('UnknownValue', e.reason);
      if (e instanceof RangeError) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
      throw new PyError('UnknownValue', 'the function could not be evaluated');
    } finally {
      this.running--;
      this.callBudget = saved;
      [this.exprDepth, this.callDepth] = savedDepth as [number, number];
    }
  }

  /** The first free name of `fn` (and functions it calls) that is unknown, as a reason; freezes what it visits. */
  private checkFreeNames(fn: FuncVal, seen: Set<object>): string | null {
    if (seen.has(fn)) return null;
    seen.add(fn);
    // The engine calls it after the tree is gone: frozen first, so that the reads below are plain JS too.
    fn.node = freeze(fn.node, this.text);
    // Arguments fixed by functools.partial must be known; a bound `self` is read attribute by attribute.
    for (const v of [...(fn.bound?.pos ?? []), ...(fn.bound?.kw ?? []).map(([, x]) => x)]) {
      const u = v.k === 'ns' ? null : firstUnknown(v);
      if (u) return `\`${fn.name}\` is given an argument that is not known: ${u.reason}`;
      if (v.k === 'func') {
        const inner = this.checkFreeNames(v, seen);
        if (inner) return inner;
      } else {
        this.freezeInside(v, seen, 0);
      }
    }
    // Default values may be functions too (`def f(e, g=helper)`).
    for (const d of fn.defaults.values()) {
      if (d.k === 'func') this.checkFreeNames(d, seen);
      else this.freezeInside(d, seen, 0);
    }
    const locals = new Set(this.paramsOf(fn.node).map((p) => p.name));
    collectLocals(fn.node.childForFieldName('body'), locals);
    const refs = freeNames(fn.node, locals);
    for (const [name, nodes] of refs) {
      let v: PyVal | undefined;
      for (let s: Scope | null = fn.closure; s && v === undefined; s = s.parent) v = s.vars.get(name);
      if (v === undefined) {
        if (BUILTIN_NAMES.has(name) || INTERP_BUILTINS.has(name) || EXCEPTION_NAMES.has(name)) continue;
        return `\`${fn.name}\` uses \`${name}\`, which is not defined in this file`;
      }
      const u = firstUnknown(v);
      if (u) return `\`${fn.name}\` uses \`${name}\`: ${u.reason}`;
      // `args.decay`, `cfg["warmup"]`: the part actually used may be unknown even when the object is not.
      for (const ref of nodes) {
        if (ref.type === 'identifier') continue;
        const problem = this.referenceProblem(ref, fn.closure);
        if (problem) return `\`${fn.name}\` uses \`${shortText(ref)}\`: ${problem}`;
      }
      if (v.k === 'func') {
        const inner = this.checkFreeNames(v, seen);
        if (inner) return inner;
      } else {
        this.freezeInside(v, seen, 0);
      }
    }
    return null;
  }

  /** Why an attribute / constant-subscript reference has no known value, or null. */
  private referenceProblem(ref: SyntaxNode, scope: Scope): string | null {
    const saved = this.running;
    this.running = 0;
    try {
      const u = firstUnknown(this.expr(ref, scope));
      return u ? u.reason : null;
    } catch (e) {
      if (e instanceof Indeterminate) return e.reason;
      throw e;
    } finally {
      this.running = saved;
    }
  }

  /** Functions kept in containers (`fns["warmup"]`, `cfg.schedule`) may be called too: freeze them as well. */
  private freezeInside(v: PyVal, seen: Set<object>, depth: number): void {
    if (depth > 8 || seen.has(v)) return;
    seen.add(v);
    const visit = (x: PyVal) => {
      if (x.k === 'func') this.checkFreeNames(x, seen);
      else this.freezeInside(x, seen, depth + 1);
    };
    if (v.k === 'list') v.items.forEach(visit);
    else if (v.k === 'dict') v.entries.forEach(([, x]) => visit(x));
    else if (v.k === 'class') v.attrs.forEach(visit);
    else if (v.k === 'ns') {
      v.attrs.forEach(visit);
      // Its methods too: a bound method the engine calls may call the others (`self.helper(step)`).
      if (v.cls) visit(v.cls);
    }
  }
}

// ---- helpers ---------------------------------------------------------------------------------

const STR_METHODS = new Set(['lower', 'upper', 'strip', 'startswith', 'endswith', 'replace', 'format']);

/** `str.format` with `{}`, `{0}` and `{name}` fields; a format spec (`{:.2f}`) is not evaluated. */
function formatString(template: string, pos: PyVal[], kw: Map<string, PyVal>): string | { reason: string } {
  let auto = 0;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) throw new PyError('ValueError', "Single '{' encountered in format string");
    const field = template.slice(i + 1, close);
    i = close;
    if (/[:!.[]/.test(field)) return { reason: `the format field \`{${field}}\` is not evaluated` };
    const v = field === '' ? pos[auto++] : /^\d+$/.test(field) ? pos[Number(field)] : kw.get(field);
    if (!v) throw new PyError(field === '' || /^\d+$/.test(field) ? 'IndexError' : 'KeyError', field === '' || /^\d+$/.test(field) ? 'Replacement index out of range for positional args tuple' : `'${field}'`);
    out += pyStr(v);
  }
  return out;
}

function numArg(x: number): PyVal {
  return Number.isInteger(x) ? int(x) : float(x);
}

/** The engine multiplies the result by a float lr: numbers and bools only, else torch's TypeError. */
function toNumber(v: PyVal): number {
  if (v.k === 'int' || v.k === 'float') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  if (v.k === 'unknown') throw new PyError('UnknownValue', v.reason);
  throw new PyError('TypeError', `unsupported operand type(s) for *: 'float' and '${typeName(v)}'`);
}

function pyStr(v: PyVal): string {
  return v.k === 'str' ? v.v : repr(v);
}
