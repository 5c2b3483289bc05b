/**
 * Expressions: one handler per node kind, written once for both stages (see
 * stage.ts), plus name lookup and attribute access. Static mode turns Python
 * exceptions into unknown values (in `Interpreter.guarded`); run mode lets them
 * propagate. Unknown operands make unknown results, with the operand's reason
 * and its "assumed" label carried along.
 */
import { PyError } from '../../engine/types';
import type { EvaluatedArgs, Interpreter } from './interp';
import { abslFlags } from './absl';
import { MATH_CONSTANTS, BUILTIN_NAMES, isKnownBuiltin, iterate } from './builtins';
import { apply, callMethod, funcCode, INTERP_BUILTINS } from './calls';
import { carry, getItem, hashableEq, isVague, sameKnown, vague, vagueReason } from './access';
import { libraryBinary } from './configs';
import { isLightningModule, lightningTrainer } from './lightningTrainer';
import { binaryOp, compareOp, notOp, unaryOp } from './ops';
import { Indeterminate, type Code, type Stage } from './stage';
import { assignCode } from './statements';
import { kids, rangeOf, readString, shortText, SyntaxNode } from './syntax';
import { FALSE, NONE, PyVal, Scope, TRUE, VarMap, bool, boundMethod, definedIn, numOf, str, truthy, typeName, unknown, varsView } from './values';

/** Functions of numpy that behave as math's for scalars (np.floor & co return floats, so they are left out). */
const constant = (v: PyVal): Code => () => v;

/** The code of expression `n`, without its own budget tick (the stage adds it). */
export function expression(I: Interpreter, n: SyntaxNode, g: Stage): Code {
  const labels = g.labels;
  switch (n.type) {
    case 'integer': case 'float': return constant(I.literal(n));
    case 'true': return constant(TRUE);
    case 'false': return constant(FALSE);
    case 'none': return constant(NONE);
    case 'string': {
      const s = readString(n);
      return constant(s.kind === 'error' ? unknown(s.reason, rangeOf(n)) : str(s.value));
    }
    case 'concatenated_string': {
      let acc = '';
      for (const part of kids(n)) {
        const s = readString(part);
        if (s.kind === 'error') return constant(unknown(s.reason, rangeOf(part)));
        acc += s.value;
      }
      return constant(str(acc));
    }
    case 'identifier': {
      const name = n.text;
      return (s) => lookup(I, name, s, n);
    }
    case 'parenthesized_expression': {
      const inner = kids(n)[0];
      return inner ? g.expr(inner) : () => unknown('empty parentheses', rangeOf(n));
    }
    case 'unary_operator': {
      const op = n.childForFieldName('operator')?.type ?? '-';
      const arg = g.expr(n.childForFieldName('argument')!);
      return (s) => {
        const a = arg(s);
        if (isVague(a)) return vague(a, n);
        const r = unaryOp(op, a);
        return labels ? carry(r, a) : r;
      };
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')!.type;
      const left = g.expr(n.childForFieldName('left')!);
      const right = g.expr(n.childForFieldName('right')!);
      return (s) => {
        const a = left(s);
        const b = right(s);
        if (isVague(a)) return vague(a, n);
        if (isVague(b)) return vague(b, n);
        const lib = libraryBinary(op, a, b);
        if (lib) return lib;
        const r = binaryOp(op, a, b);
        return labels ? carry(r, a, b) : r;
      };
    }
    case 'boolean_operator': return boolOp(I, n, g);
    case 'not_operator': {
      const arg = g.expr(n.childForFieldName('argument')!);
      return (s) => {
        const a = arg(s);
        const t = notOp(a);
        return t === null ? vague(a, n) : labels ? carry(bool(t), a) : bool(t);
      };
    }
    case 'comparison_operator': return compare(n, g);
    case 'conditional_expression': return conditional(I, n, g);
    case 'list': case 'tuple': case 'expression_list': case 'pattern_list': return sequence(n, g, n.type !== 'list');
    case 'dictionary': return dict(n, g);
    case 'subscript': return subscript(n, g);
    case 'attribute': {
      const obj = g.expr(n.childForFieldName('object')!);
      const attr = n.childForFieldName('attribute')!.text;
      return (s) => getAttr(I, obj(s), attr, n);
    }
    case 'call': return call(I, n, g);
    case 'lambda': return funcCode(I, n, '<lambda>', g);
    case 'list_comprehension': case 'generator_expression': return comprehension(I, n, g);
    case 'named_expression': {
      const value = g.expr(n.childForFieldName('value')!);
      const name = n.childForFieldName('name')!.text;
      return (s) => {
        const v = value(s);
        s.vars.set(name, v);
        return v;
      };
    }
    case 'keyword_argument': return g.expr(n.childForFieldName('value')!);
    default: {
      // Still look inside (a call inside an unsupported construct may be a scheduler).
      const inside = kids(n).map((c) => g.expr(c));
      return (s) => {
        for (const c of inside) c(s);
        return unknown(`\`${shortText(n, 40)}\` is not evaluated (${n.type.replace(/_/g, ' ')})`, rangeOf(n));
      };
    }
  }
}

function boolOp(I: Interpreter, n: SyntaxNode, g: Stage): Code {
  const labels = g.labels;
  const isAnd = n.childForFieldName('operator')!.type === 'and';
  const leftNode = n.childForFieldName('left')!;
  const left = g.expr(leftNode);
  const right = g.expr(n.childForFieldName('right')!);
  return (s) => {
    const a = left(s);
    const t = truthy(a);
    if (t === null) {
      if (I.running) throw new Indeterminate(vagueReason(a, leftNode));
      right(s);
      return vague(a, n);
    }
    if (isAnd !== t) return a;
    return labels ? carry(right(s), a) : right(s);
  };
}

function compare(n: SyntaxNode, g: Stage): Code {
  const labels = g.labels;
  const operands: Code[] = [];
  const ops: string[] = [];
  for (const c of n.children) {
    if (!c || c.type === 'comment') continue;
    if (c.isNamed) operands.push(g.expr(c));
    else ops.push(c.type);
  }
  return (s) => {
    let left = operands[0]!(s);
    let result: PyVal = TRUE;
    for (let i = 0; i < ops.length && i + 1 < operands.length; i++) {
      const right = operands[i + 1]!(s);
      if (isVague(left)) return vague(left, n);
      if (isVague(right)) return vague(right, n);
      result = compareOp(ops[i]!, left, right);
      if (labels) result = carry(result, left, right);
      if (!truthy(result)) return result;
      left = right;
    }
    return result;
  };
}

function conditional(I: Interpreter, n: SyntaxNode, g: Stage): Code {
  const labels = g.labels;
  const [a, cond, b] = kids(n);
  if (!a || !cond || !b) return () => unknown('incomplete conditional expression', rangeOf(n));
  const [yes, test, no] = [g.expr(a), g.expr(cond), g.expr(b)];
  return (s) => {
    const c = test(s);
    const t = truthy(c);
    if (t === null) {
      if (I.running) throw new Indeterminate(vagueReason(c, cond));
      // Still evaluate both arms so constructions inside them are found.
      const va = yes(s);
      const vb = no(s);
      return va.k !== 'unknown' && sameKnown(va, vb) ? va : unknown(`\`${shortText(n)}\` depends on \`${shortText(cond)}\`: ${vagueReason(c, cond)}`, rangeOf(n));
    }
    const r = t ? yes(s) : no(s);
    return labels ? carry(r, c) : r;
  };
}

function sequence(n: SyntaxNode, g: Stage, tuple: boolean): Code {
  const parts = kids(n).map((c): [SyntaxNode, Code, boolean] =>
    (c.type === 'list_splat' ? [c, g.expr(kids(c)[0]!), true] : [c, g.expr(c), false]));
  return (s) => {
    const items: PyVal[] = [];
    for (const [c, code, splat] of parts) {
      const v = code(s);
      if (!splat) {
        items.push(v);
        continue;
      }
      if (isVague(v)) return vague(v, c);
      items.push(...iterate(v));
    }
    return { k: 'list', items, tuple };
  };
}

function dict(n: SyntaxNode, g: Stage): Code {
  type Part = { kind: 'pair'; key: Code; value: Code } | { kind: 'splat'; value: Code } | { kind: 'other'; value: Code };
  const parts: Part[] = [];
  for (const c of kids(n)) {
    if (c.type === 'pair') parts.push({ kind: 'pair', key: g.expr(c.childForFieldName('key')!), value: g.expr(c.childForFieldName('value')!) });
    else if (c.type === 'dictionary_splat') parts.push({ kind: 'splat', value: g.expr(kids(c)[0]!) });
    else {
      parts.push({ kind: 'other', value: g.expr(c) });
      break;
    }
  }
  return (s) => {
    const entries: [PyVal, PyVal][] = [];
    const put = (k: PyVal, v: PyVal) => {
      const i = entries.findIndex(([key]) => hashableEq(key, k));
      if (i >= 0) entries[i]![1] = v;
      else entries.push([k, v]);
    };
    let vagueKey: PyVal | null = null;
    for (const p of parts) {
      if (p.kind === 'pair') {
        const k = p.key(s);
        const v = p.value(s);
        if (isVague(k)) vagueKey = k;
        else put(k, v);
      } else if (p.kind === 'splat') {
        const v = p.value(s);
        if (v.k === 'dict') v.entries.forEach(([a, b]) => put(a, b));
        else vagueKey = v;
      } else {
        p.value(s);
        return unknown('dict comprehensions are not evaluated', rangeOf(n));
      }
    }
    if (vagueKey) return vague(vagueKey, n);
    return { k: 'dict', entries };
  };
}

function subscript(n: SyntaxNode, g: Stage): Code {
  const labels = g.labels;
  const obj = g.expr(n.childForFieldName('value')!);
  const idxNode = n.childForFieldName('subscript')!;
  if (idxNode.type === 'slice') {
    const sl = slice(idxNode, g);
    return (s) => {
      const o = obj(s);
      return isVague(o) ? vague(o, n) : sl(o, s);
    };
  }
  const idx = g.expr(idxNode);
  return (s) => {
    const o = obj(s);
    const i = idx(s);
    if (isVague(o)) return vague(o, n);
    if (isVague(i)) return vague(i, n);
    const r = getItem(o, i);
    return labels ? carry(r, o, i) : r;
  };
}

function slice(sl: SyntaxNode, g: Stage): (obj: PyVal, s: Scope) => PyVal {
  // slice children: [start] ':' [stop] [':' [step]]; read them positionally around the colons.
  const nodes: (SyntaxNode | null)[] = [null];
  for (const c of sl.children) {
    if (!c) continue;
    if (c.type === ':') nodes.push(null);
    else if (c.isNamed) nodes[nodes.length - 1] = c;
  }
  const parts = [0, 1, 2].map((i) => (nodes[i] ? g.expr(nodes[i]!) : null));
  return (obj, s) => {
    const num = (p: Code | null): number | null => {
      if (!p) return null;
      const v = p(s);
      if (v.k === 'none') return null;
      if (v.k !== 'int' && v.k !== 'bool') throw new PyError('TypeError', 'slice indices must be integers or None or have an __index__ method');
      return numOf(v);
    };
    const [start, stop, step] = [num(parts[0]!), num(parts[1]!), num(parts[2]!) ?? 1];
    if (step !== 1) throw new PyError('BudgetExceeded', 'slices with a step are not evaluated');
    const seq = obj.k === 'str' ? [...obj.v].map(str) : obj.k === 'list' ? obj.items : null;
    if (!seq) throw new PyError('TypeError', `'${typeName(obj)}' object is not subscriptable`);
    const len = seq.length;
    const clamp = (x: number | null, d: number) => (x === null ? d : x < 0 ? Math.max(0, len + x) : Math.min(len, x));
    const items = seq.slice(clamp(start, 0), clamp(stop, len));
    if (obj.k === 'str') return str(items.map((x) => (x as { v: string }).v).join(''));
    return { k: 'list', items, tuple: obj.k === 'list' && obj.tuple };
  };
}

function comprehension(I: Interpreter, n: SyntaxNode, g: Stage): Code {
  const bodyNode = n.childForFieldName('body');
  const clauseNodes = kids(n).filter((c) => c.id !== bodyNode?.id);
  if (!bodyNode || clauseNodes.length === 0 || clauseNodes[0]!.type !== 'for_in_clause') {
    return () => unknown('this comprehension is not evaluated', rangeOf(n));
  }
  const body = g.expr(bodyNode);
  type Clause = { kind: 'for'; node: SyntaxNode; iter: Code; target: (v: PyVal, s: Scope) => void } | { kind: 'if'; node: SyntaxNode; cond: Code } | null;
  const clauses = clauseNodes.map((c): Clause => {
    if (c.type === 'for_in_clause') return { kind: 'for', node: c, iter: g.expr(c.childForFieldName('right')!), target: assignCode(I, c.childForFieldName('left')!, g) };
    if (c.type === 'if_clause') return { kind: 'if', node: c, cond: g.expr(kids(c)[0]!) };
    return null;
  });
  return (scope) => {
    // Comprehensions have their own scope (Python 3).
    const local: Scope = { vars: new VarMap(), parent: scope, label: scope.label };
    const out: PyVal[] = [];
    // Which items a comprehension keeps rests on its iterable and on its `if` clauses: their first assumption
    // label is the list's (`len([x for x in (args.a, args.b) if x is not None])`); not copied at engine time.
    let label: string | undefined;
    const note = (v: PyVal) => { if (!label && v.assumed && g.labels) label = v.assumed; };
    const run = (i: number): PyVal | null => {
      if (i === clauses.length) {
        out.push(body(local));
        if (out.length > 100_000) throw new PyError('BudgetExceeded', 'the comprehension is too long to evaluate');
        return null;
      }
      const c = clauses[i]!;
      if (c?.kind === 'for') {
        const it = c.iter(i === 0 ? scope : local);
        if (isVague(it)) return vague(it, c.node);
        note(it);
        for (const x of iterate(it)) {
          c.target(x, local);
          const r = run(i + 1);
          if (r) return r;
        }
        return null;
      }
      if (c?.kind === 'if') {
        const cond = c.cond(local);
        note(cond);
        const t = truthy(cond);
        if (t === null) return vague(cond, c.node);
        return t ? run(i + 1) : null;
      }
      return unknown('this comprehension is not evaluated', rangeOf(n));
    };
    const failed = run(0);
    if (failed) {
      if (I.running) throw new Indeterminate(vagueReason(failed, n));
      return failed;
    }
    return label ? { k: 'list', items: out, tuple: false, assumed: label } : { k: 'list', items: out, tuple: false };
  };
}

/** A call expression; its node id is noted once evaluated to the end (see `sweep`). */
function call(I: Interpreter, n: SyntaxNode, g: Stage): Code {
  const fnNode = n.childForFieldName('function')!;
  const args = argsCode(n.childForFieldName('arguments'), g);
  const done = (v: PyVal) => {
    if (!I.engineTime) I.evaluatedCalls.add(n.id);
    return v;
  };
  if (fnNode.type === 'attribute') {
    const obj = g.expr(fnNode.childForFieldName('object')!);
    const method = fnNode.childForFieldName('attribute')!.text;
    return (s) => done(callMethod(I, obj(s), method, fnNode, n, args, s));
  }
  const callee = g.expr(fnNode);
  return (s) => {
    const f = callee(s);
    return done(apply(I, f, n, args(s)));
  };
}

/**
 * An item of a `*list` / `**dict` argument: it keeps the container's assumption label (a dict set on a branch the
 * assumed values decide, lightning-bolts' `self.optimizer_params = {"lr": 0.03, …}` when `optimizer_params` is None),
 * as the item of an argument written out would (objects and unknowns as they are).
 */
function itemOf(container: PyVal, item: PyVal): PyVal {
  return container.assumed && !item.assumed && item.k !== 'ns' && item.k !== 'unknown' ? { ...item, assumed: container.assumed } : item;
}

/** Evaluates call arguments, expanding `*list` and `**dict` when they are known. */
export function argsCode(argsNode: SyntaxNode | null, g: Stage): (s: Scope) => EvaluatedArgs {
  if (!argsNode) return () => ({ pos: [], kw: [], splatReason: null });
  if (argsNode.type === 'generator_expression') {
    const gen = g.expr(argsNode);
    return (s) => ({ pos: [{ node: argsNode, val: gen(s) }], kw: [], splatReason: null });
  }
  const parts = kids(argsNode).map((c): (s: Scope, out: EvaluatedArgs) => void => {
    if (c.type === 'keyword_argument') {
      const name = c.childForFieldName('name')!.text;
      const node = c.childForFieldName('value')!;
      const value = g.expr(node);
      return (s, out) => { out.kw.push([name, { node, val: value(s) }]); };
    }
    if (c.type === 'list_splat') {
      const inner = kids(c)[0]!;
      const value = g.expr(inner);
      return (s, out) => {
        const v = value(s);
        if (v.k === 'list') v.items.forEach((item) => out.pos.push({ node: inner, val: itemOf(v, item) }));
        else out.splatReason = `\`${shortText(c)}\` is not known: ${vagueReason(v, inner)}`;
      };
    }
    if (c.type === 'dictionary_splat') {
      const inner = kids(c)[0]!;
      const value = g.expr(inner);
      return (s, out) => {
        const v = value(s);
        if (v.k === 'dict' && v.entries.every(([k]) => k.k === 'str')) {
          v.entries.forEach(([k, val]) => out.kw.push([(k as { v: string }).v, { node: inner, val: itemOf(v, val) }]));
        } else {
          out.splatReason = `\`${shortText(c)}\` is not known: ${vagueReason(v, inner)}`;
        }
      };
    }
    const value = g.expr(c);
    return (s, out) => { out.pos.push({ node: c, val: value(s) }); };
  });
  return (s) => {
    const out: EvaluatedArgs = { pos: [], kw: [], splatReason: null };
    for (const p of parts) p(s, out);
    return out;
  };
}

// ---- names and attributes --------------------------------------------------------------------

export function lookup(I: Interpreter, name: string, scope: Scope, n: SyntaxNode): PyVal {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const v = s.vars.get(name);
    if (v !== undefined) return v;
  }
  if (BUILTIN_NAMES.has(name) || INTERP_BUILTINS.has(name)) return { k: 'builtin', name };
  if (I.running) throw new PyError('NameError', `name '${name}' is not defined`);
  return unknown(`\`${name}\` is not defined in this file`, rangeOf(n));
}

/**
 * `path.attr` of a reference into a module we do not model (`math.cos`, `torch.optim`), and whether it is a builtin,
 * worked out once per pair: each `math.cos(…)` of a lambda the engine calls a million times otherwise built, and
 * hashed in the builtins' table, a new string. Bounded (a file's distinct references are far fewer).
 */
function dottedName(path: string, attr: string): { path: string; builtin: boolean } {
  let byAttr = DOTTED.get(path);
  if (!byAttr) {
    if (DOTTED.size >= MAX_DOTTED) DOTTED.clear();
    DOTTED.set(path, (byAttr = new Map()));
  }
  let d = byAttr.get(attr);
  if (d === undefined) {
    const dotted = `${path}.${attr}`;
    byAttr.set(attr, (d = { path: dotted, builtin: isKnownBuiltin(dotted) }));
  }
  return d;
}
const DOTTED = new Map<string, Map<string, { path: string; builtin: boolean }>>();
const MAX_DOTTED = 4096;

export function getAttr(I: Interpreter, obj: PyVal, attr: string, n: SyntaxNode): PyVal {
  switch (obj.k) {
    case 'unknown': return carry(unknown(obj.reason, obj.range), obj);
    case 'ref': {
      if (obj.path === 'math' || obj.path === 'numpy') {
        const c = MATH_CONSTANTS.get(attr);
        if (c) return c;
      }
      // absl's FLAGS (`flags.FLAGS`, or `from absl.flags import FLAGS` then `FLAGS.lr`): the flags the files declare.
      if (obj.path === 'absl.flags' && attr === 'FLAGS') return abslFlags(I);
      if (obj.path === 'absl.flags.FLAGS') return getAttr(I, abslFlags(I), attr, n);
      const { path, builtin } = dottedName(obj.path, attr);
      // A new value each time, as before (`is` compares values by reference).
      return builtin ? { k: 'builtin', name: path } : { k: 'ref', path };
    }
    case 'class': {
      const v = obj.attrs.get(attr);
      if (v !== undefined) return v;
      return missingAttr(I, `\`${obj.name}.${attr}\` is not set in the class body`, obj, attr, n);
    }
    case 'ns': {
      const v = obj.attrs.get(attr);
      if (v !== undefined) return v;
      // A method of the instance's class or of a base of the file (Python's lookup order), bound to the instance
      // (`self.lr_lambda`; a subclass's `schedule` calling its base's `self.find_in_interval`, latent-diffusion).
      const owner = obj.cls ? definedIn(obj.cls, attr) : undefined;
      const method = owner?.attrs.get(attr);
      if (method?.k === 'func' && !method.bound && !owner!.decorated.has(attr)) return boundMethod(obj, method, method.name);
      if (attr === 'trainer' && obj.cls && isLightningModule(obj.cls)) return lightningTrainer(I);
      if (attr === '__dict__' && obj.typeName !== 'vars') return varsView(obj);
      return missingAttr(I, obj.missing ? obj.missing(attr) : `\`${shortText(n)}\` is set at run time`, obj, attr, n);
    }
    case 'opaque': return { k: 'opaque', typeName: 'object', desc: `${obj.desc}.${attr}` };
    case 'optimizer': return unknown(`\`${shortText(n)}\`: the optimizer's state is not modelled`, rangeOf(n));
    case 'scheduler': return unknown(`\`${shortText(n)}\`: the scheduler's state is not modelled`, rangeOf(n));
    default:
      if (I.running) throw new PyError('AttributeError', `'${typeName(obj)}' object has no attribute '${attr}'`);
      return unknown(`\`${shortText(n)}\` is not evaluated`, rangeOf(n));
  }
}

function missingAttr(I: Interpreter, reason: string, obj: PyVal, attr: string, n: SyntaxNode): PyVal {
  if (I.running && obj.k === 'class') throw new PyError('AttributeError', `type object '${obj.name}' has no attribute '${attr}'`);
  if (I.running && obj.k === 'ns' && !obj.missing) throw new PyError('AttributeError', `'${obj.typeName}' object has no attribute '${attr}'`);
  return unknown(reason, rangeOf(n));
}
