/**
 * Functions as syntax: parameter lists, Python's argument binding (with
 * CPython's TypeError texts), and the free names a function reads, which are
 * checked before a function is handed to the engine.
 */
import { PyError } from '../../engine/types';
import { kids, SyntaxNode, TextFact, unparen } from './syntax';
import { FuncVal, PyVal, str } from './values';

/** One parameter of a lambda / def. */
export interface Param { name: string; defaultNode: SyntaxNode | null; kind: 'normal' | 'star' | 'kwstar' | 'kwonly' }

/** Parameters of a lambda / def, in order (kept with a frozen node: its text alone decides them). Not to be modified. */
export function params(fnNode: SyntaxNode): Param[] {
  return PARAMS.of(fnNode);
}
const PARAMS = new TextFact(paramsOf);

function paramsOf(fnNode: SyntaxNode): Param[] {
  const ps = fnNode.childForFieldName('parameters');
  if (!ps) return [];
  const out: Param[] = [];
  let kwonly = false;
  for (const p of kids(ps)) {
    switch (p.type) {
      case 'identifier': out.push({ name: p.text, defaultNode: null, kind: kwonly ? 'kwonly' : 'normal' }); break;
      case 'typed_parameter': {
        const id = kids(p).find((c) => c.type === 'identifier');
        const splat = kids(p).find((c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern');
        if (splat) out.push({ name: kids(splat)[0]?.text ?? '_', defaultNode: null, kind: splat.type === 'list_splat_pattern' ? 'star' : 'kwstar' });
        else if (id) out.push({ name: id.text, defaultNode: null, kind: kwonly ? 'kwonly' : 'normal' });
        break;
      }
      case 'default_parameter': case 'typed_default_parameter':
        out.push({ name: p.childForFieldName('name')!.text, defaultNode: p.childForFieldName('value'), kind: kwonly ? 'kwonly' : 'normal' });
        break;
      case 'list_splat_pattern': out.push({ name: kids(p)[0]?.text ?? '_', defaultNode: null, kind: 'star' }); kwonly = true; break;
      case 'dictionary_splat_pattern': out.push({ name: kids(p)[0]?.text ?? '_', defaultNode: null, kind: 'kwstar' }); break;
      case 'keyword_separator': kwonly = true; break;
      default: break;
    }
  }
  return out;
}

/** A parameter list's kinds, worked out once per list (`params` keeps one list per function node). */
interface Shape { positional: Param[]; star: Param | undefined; kwstar: Param | undefined }
const SHAPES = new WeakMap<Param[], Shape>();
function shapeOf(ps: Param[]): Shape {
  let shape = SHAPES.get(ps);
  if (!shape) {
    shape = { positional: ps.filter((p) => p.kind === 'normal'), star: ps.find((p) => p.kind === 'star'), kwstar: ps.find((p) => p.kind === 'kwstar') };
    SHAPES.set(ps, shape);
  }
  return shape;
}

/**
 * Python's argument binding for a user function, with CPython's TypeError texts; into `vars` when given (a call's
 * own scope: the engine calls a lambda once per step, and a copy of the bound names cost as much as the binding).
 */
export function bindParams(fn: FuncVal, ps: Param[], pos: PyVal[], kw: [string, PyVal][], vars: Map<string, PyVal> = new Map()): Map<string, PyVal> {
  const name = () => `${fn.name}()`;
  const { positional, star, kwstar } = shapeOf(ps);
  if (pos.length > positional.length && !star) {
    const n = positional.length;
    const req = positional.filter((p) => !p.defaultNode && !fn.defaults.has(p.name)).length;
    const takes = req === n ? `${n}` : `from ${req} to ${n}`;
    throw new PyError('TypeError', `${name()} takes ${takes} positional argument${n === 1 && req === n ? '' : 's'} but ${pos.length} ${pos.length === 1 ? 'was' : 'were'} given`);
  }
  const bound = Math.min(pos.length, positional.length);
  for (let i = 0; i < bound; i++) vars.set(positional[i]!.name, pos[i]!);
  if (star) vars.set(star.name, { k: 'list', items: pos.slice(positional.length), tuple: true });
  const extra: [PyVal, PyVal][] = [];
  for (const [k, v] of kw) {
    const p = ps.find((q) => q.name === k && (q.kind === 'normal' || q.kind === 'kwonly'));
    if (!p) {
      if (kwstar) { extra.push([str(k), v]); continue; }
      throw new PyError('TypeError', `${name()} got an unexpected keyword argument '${k}'`);
    }
    if (vars.has(k)) throw new PyError('TypeError', `${name()} got multiple values for argument '${k}'`);
    vars.set(k, v);
  }
  if (kwstar) vars.set(kwstar.name, { k: 'dict', entries: extra });
  let missing: string[] | null = null;
  for (const p of ps) {
    if (p.kind === 'star' || p.kind === 'kwstar' || vars.has(p.name)) continue;
    const d = fn.defaults.get(p.name);
    if (d !== undefined) vars.set(p.name, d);
    else (missing ??= []).push(p.name);
  }
  if (missing) {
    const list = missing.map((m) => `'${m}'`);
    const text = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
    throw new PyError('TypeError', `${name()} missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${text}`);
  }
  return vars;
}

/** Names assigned in a function body (they are local, not free). */
export function collectLocals(body: SyntaxNode | null, out: Set<string>): void {
  if (!body) return;
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'for_in_clause') {
      const left = n.childForFieldName('left');
      if (left) namesIn(left, out);
    } else if (n.type === 'function_definition' || n.type === 'class_definition') {
      const nm = n.childForFieldName('name');
      if (nm) out.add(nm.text);
      continue;
    } else if (n.type === 'lambda') {
      continue;
    } else if (n.type === 'import_statement' || n.type === 'import_from_statement') {
      for (const c of kids(n)) {
        const alias = c.childForFieldName('alias');
        out.add(alias ? alias.text : (kids(c)[0]?.text ?? c.text));
      }
    }
    stack.push(...kids(n));
  }
}

function namesIn(target: SyntaxNode, out: Set<string>): void {
  const t = unparen(target);
  if (t.type === 'identifier') out.add(t.text);
  else if (t.type !== 'attribute' && t.type !== 'subscript') kids(t).forEach((c) => namesIn(c, out));
}

/**
 * Free names read in a function (not its locals; attribute and keyword names excluded), each with
 * the reference expressions that read it: the name itself, or the longest `a.b` / `a["k"]` chain on it.
 */
export function freeNames(fnNode: SyntaxNode, locals: Set<string>): Map<string, SyntaxNode[]> {
  const out = new Map<string, SyntaxNode[]>();
  const add = (name: string, ref: SyntaxNode) => {
    const list = out.get(name);
    if (list) list.push(ref);
    else out.set(name, [ref]);
  };
  const start = fnNode.childForFieldName('body');
  const stack: SyntaxNode[] = start ? [start] : [];
  for (const p of params(fnNode)) if (p.defaultNode) stack.push(p.defaultNode);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      const parent = n.parent;
      const isAttrName = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id;
      const isKwName = parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === n.id;
      if (!isAttrName && !isKwName && !locals.has(n.text)) add(n.text, referenceAround(n));
      continue;
    }
    if (n.type === 'lambda' || n.type === 'function_definition') {
      // Nested functions: their own parameters are local to them.
      const inner = new Set(locals);
      params(n).forEach((p) => inner.add(p.name));
      collectLocals(n.childForFieldName('body'), inner);
      freeNames(n, inner).forEach((refs, name) => refs.forEach((r) => add(name, r)));
      continue;
    }
    if (n.type === 'list_comprehension' || n.type === 'generator_expression') {
      const inner = new Set(locals);
      collectLocals(n, inner);
      kids(n).forEach((c) => { if (c.type !== 'identifier' || !inner.has(c.text)) stack.push(c); });
      for (const c of kids(n)) if (c.type === 'for_in_clause') namesIn(c.childForFieldName('left')!, locals);
      continue;
    }
    stack.push(...kids(n));
  }
  return out;
}

/**
 * The free names of a function read with its own locals (its parameters and the names its body assigns), as
 * `freeNames` gives them; kept with a frozen node (its text alone decides them). Not to be modified.
 */
export function ownFreeNames(fnNode: SyntaxNode): ReadonlyMap<string, readonly SyntaxNode[]> {
  return OWN_FREE_NAMES.of(fnNode);
}
const OWN_FREE_NAMES = new TextFact((fnNode) => {
  const locals = new Set(params(fnNode).map((p) => p.name));
  collectLocals(fnNode.childForFieldName('body'), locals);
  return freeNames(fnNode, locals);
});

/** The longest attribute / constant-subscript chain rooted at identifier `id` (`args.decay`, `cfg["a"]["b"]`). */
function referenceAround(id: SyntaxNode): SyntaxNode {
  let cur = id;
  for (let p = cur.parent; p; p = cur.parent) {
    if (p.type === 'attribute' && p.childForFieldName('object')?.id === cur.id) {
      // A method call (`cfg.get(…)`) is not a value reference.
      if (p.parent?.type === 'call' && p.parent.childForFieldName('function')?.id === p.id) break;
      cur = p;
    } else if (p.type === 'subscript' && p.childForFieldName('value')?.id === cur.id && isConstantIndex(p.childForFieldName('subscript'))) {
      cur = p;
    } else {
      break;
    }
  }
  return cur;
}

function isConstantIndex(n: SyntaxNode | null): boolean {
  if (!n) return false;
  if (n.type === 'string' || n.type === 'integer') return true;
  return n.type === 'unary_operator' && n.childForFieldName('argument')?.type === 'integer';
}
