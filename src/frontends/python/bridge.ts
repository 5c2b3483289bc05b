/**
 * The engine bridge: callable values become the engine's `func` Args. Each
 * reachable function is checked (its free names must be known) and frozen
 * first, because the engine calls it after the syntax tree is deleted; then it
 * runs compiled: the same node handlers as the interpreter, staged once into
 * closures cached on the frozen nodes. The compiler takes frozen nodes only.
 */
import { PyError } from '../../engine/types';
import type { Arg } from '../../engine/types';
import type { Interpreter } from './interp';
import { CallBudget } from './budget';
import { BUILTIN_NAMES, callBuiltin } from './builtins';
import { callFunc, functionCode, INTERP_BUILTINS } from './calls';
import { expression } from './expressions';
import { ownFreeNames, params } from './functions';
import { keptState } from './keptState';
import { readsInstanceCounter } from './instanceCounters';
import { blockCode, statement } from './statements';
import { builtinKey, funcKey, funcSnapshot } from './funcKey';
import { Indeterminate, type Code, type Stage, type StmtCode } from './stage';
import { freeze, isFrozen, shortText, type FrozenNode, type SyntaxNode } from './syntax';
import { refReason } from './access';
import { FuncVal, PyVal, Scope, firstUnknown, float, int, ownBehaviour, repr, typeName } from './values';

/**
 * Operations of one engine call of a converted function, and of all its calls together (every expression node
 * counts). The total covers a 30-node function over the engine's 10,000,000 steps, or a 300-node one over a
 * million; it is what bounds the worst file: about 120 ns an operation here, so some 36 s of one core (it was
 * 2,000,000,000, some four minutes, past the editor's 60 s job limit, after which the file had no preview at all).
 * A schedule stopped by it keeps its values up to that step, with the reason (LR000).
 */
const ENGINE_CALL_OPS = 100_000;
export const ENGINE_TOTAL_OPS = 300_000_000;
/** Sub-expressions deeper than this in one compilation are compiled on first use (bounded recursion). */
const EAGER_DEPTH = 64;

/** Exception classes a function may `raise` (read by `raise`, never evaluated as values). */
const EXCEPTION_NAMES = new Set([
  'Exception', 'ValueError', 'TypeError', 'ZeroDivisionError', 'RuntimeError', 'KeyError', 'IndexError', 'AssertionError',
  'ArithmeticError', 'OverflowError', 'AttributeError', 'NotImplementedError',
]);

/** The compiled stage: code built once per frozen node and kept (the engine may call a lambda a million times). */
export class Compiler implements Stage {
  readonly labels = false;
  private readonly exprs = new WeakMap<FrozenNode, Code>();
  private readonly blocks = new WeakMap<FrozenNode, StmtCode>();
  private readonly functions = new WeakMap<FrozenNode, Code>();
  private depth = 0;

  constructor(private readonly I: Interpreter) {}

  /** What a call of the frozen function node computes, in the scope of its parameters. */
  function(fnNode: FrozenNode): Code {
    let c = this.functions.get(fnNode);
    if (!c) {
      c = functionCode(fnNode, this);
      this.functions.set(fnNode, c);
    }
    return c;
  }

  expr(node: SyntaxNode): Code {
    const n = frozen(node);
    let c = this.exprs.get(n);
    if (c) return c;
    if (this.depth >= EAGER_DEPTH) return (s) => this.expr(n)(s);
    this.depth++;
    try {
      const I = this.I;
      const inner = expression(I, n, this);
      c = (s) => I.guarded(n, inner, s);
    } finally {
      this.depth--;
    }
    this.exprs.set(n, c);
    return c;
  }

  stmt(node: SyntaxNode): StmtCode {
    const I = this.I;
    const inner = statement(I, frozen(node), this);
    return (s) => I.stepped(inner, s);
  }

  block(node: SyntaxNode): StmtCode {
    const n = frozen(node);
    let c = this.blocks.get(n);
    if (!c) {
      c = blockCode(n, this);
      this.blocks.set(n, c);
    }
    return c;
  }
}

/** Sub-nodes of frozen nodes are frozen; anything else reaching the compiler is a bug, not a user error. */
function frozen(n: SyntaxNode): FrozenNode {
  if (!isFrozen(n)) throw new Error(`the compiler was given a live \`${n.type}\` node`);
  return n;
}

/**
 * Converts a callable value to the engine's `func` Arg. Free names are checked first (an unknown
 * one makes the whole function unknown, with the reason), and every reachable function is frozen
 * so it keeps working after the syntax tree is deleted.
 */
export function toFuncArg(I: Interpreter, v: PyVal): { arg: Arg } | { reason: string } {
  if (v.k === 'builtin') {
    const name = v.name;
    return { arg: { kind: 'func', name, call: (x: number) => engineCall(I, () => callBuiltin(name, [numArg(x)])), key: builtinKey(name) } };
  }
  if (v.k !== 'func') return { reason: `\`${repr(v)}\` is not a function` };
  const checked = checkFreeNames(I, v, new Set());
  if (typeof checked === 'string') return { reason: checked };
  const arg: Arg & { kind: 'func' } = { kind: 'func', name: repr(checked), call: engineCallable(I, checked) };
  // Keyed once the analysis is over (`keyFuncArgs`): the values it reads may still change until then. What it reads
  // now, at the construction (which calls it at 0), is compared with that.
  let atConstruction: Map<string, string> | null = null;
  try {
    atConstruction = funcSnapshot(I, checked);
  } catch {
    // A bug of ours must not take the analysis down: nothing to compare.
  }
  let list = unkeyed.get(I);
  if (!list) unkeyed.set(I, (list = []));
  list.push([arg, checked, atConstruction]);
  return { arg };
}

/** The func Args made by each interpreter, keyed when its analysis ends, with what their functions read when made. */
const unkeyed = new WeakMap<Interpreter, [Arg & { kind: 'func' }, FuncVal, Map<string, string> | null][]>();

/**
 * Gives each func Arg `I` made a `key` when its function has one (funcKey.ts); called once the analysis is over
 * (Interpreter.finish, the tree not yet deleted), when the values its function reads are those the engine's calls
 * will read. The functions they reach now are frozen first: a name bound again after the construction
 * (`helper = lambda e: 1.0` further down) reaches a function the check at the construction did not see, which the
 * engine's call would otherwise find unprepared (and which a walk of the frozen copy of the file would run).
 */
export function keyFuncArgs(I: Interpreter): void {
  const list = unkeyed.get(I);
  unkeyed.delete(I);
  for (const [arg, fn, atConstruction] of list ?? []) {
    let key: string | null = null;
    let now: Map<string, string> | null = null;
    try {
      // A key means every function it reaches is frozen (funcKey.ts); without one, the check freezes what it reaches.
      key = funcKey(I, fn);
      if (key === null) {
        checkFreeNames(I, fn, new Set());
        key = funcKey(I, fn);
      }
      now = funcSnapshot(I, fn);
    } catch {
      // A bug of ours must not take the analysis down: no key (simulated every time), nothing compared.
    }
    const rebound = atConstruction && now ? [...now].filter(([name, v]) => atConstruction.get(name) !== v).map(([name]) => name) : [];
    if (rebound.length) {
      // Python reads these names when each call runs: at the construction (λ(0)) one value, at the steps maybe
      // another. The engine's calls would all see the last one; that is not what the program does.
      const names = rebound.map((n) => {
        const [reader, name] = [n.slice(0, n.indexOf(': ')), n.slice(n.indexOf(': ') + 2)];
        return reader === fn.name ? `\`${name}\`` : `\`${name}\` (in \`${reader}\`)`;
      }).join(', ');
      const reason = `\`${fn.name}\` reads ${names}, bound again or changed after this construction: which value each of its calls sees depends on when the scheduler steps, which LR Lens does not follow`;
      arg.call = () => {
        throw new PyError('UnknownValue', reason);
      };
      arg.key = `R${JSON.stringify(reason)}`;
      continue;
    }
    if (key !== null) arg.key = key;
  }
}

/** The engine's view of a frozen function: a number in, a number out. */
function engineCallable(I: Interpreter, fn: FuncVal): (x: number) => number {
  return (x) => engineCall(I, () => callFunc(I, fn, [numArg(x)], [], null));
}

function engineCall(I: Interpreter, f: () => PyVal): number {
  const saved = I.callBudget;
  I.callBudget = new CallBudget(ENGINE_CALL_OPS, I.engineShared);
  I.running++;
  const savedExprDepth = I.exprDepth;
  const savedCallDepth = I.callDepth;
  try {
    return toNumber(f());
  } catch (e) {
    if (e instanceof PyError) throw e;
    if (e instanceof Indeterminate) throw new PyError('UnknownValue', e.reason);
    if (e instanceof RangeError) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    throw new PyError('UnknownValue', 'the function could not be evaluated');
  } finally {
    I.running--;
    I.callBudget = saved;
    I.exprDepth = savedExprDepth;
    I.callDepth = savedCallDepth;
  }
}

/**
 * `fn`'s frozen copy (the engine calls it after the tree is gone), made once. While the walk goes on, `fn` keeps its
 * live node and the copy waits in `I.frozenCopies` (Interpreter.finish puts it in place): the walk reads a function
 * where it stands in the file, with its class and module around it, and a copy made alone has no parent.
 */
export function frozenNodeOf(I: Interpreter, fn: FuncVal): FrozenNode {
  if (isFrozen(fn.node)) return fn.node;
  let node = I.frozenCopies.get(fn);
  if (!node) {
    node = freeze(fn.node, I.text);
    if (I.engineTime) fn.node = node;
    else I.frozenCopies.set(fn, node);
  }
  return node;
}

/**
 * `fn` frozen, or the first free name of `fn` (and functions it calls) that is unknown, as a reason;
 * freezes what it visits.
 */
function checkFreeNames(I: Interpreter, fn: FuncVal, seen: Set<object>): FuncVal | string {
  // Frozen first, so that the reads below are plain JS too.
  const frozen = frozenNodeOf(I, fn);
  if (seen.has(fn)) return fn;
  seen.add(fn);
  const kept = keptState(frozen);
  if (kept) return `\`${fn.name}\` keeps state between its calls (\`${kept}\`): what it returns depends on how many times it was called before, and torch calls it once per param group at every step, which LR Lens does not follow`;
  const inner = (v: FuncVal) => {
    const r = checkFreeNames(I, v, seen);
    return typeof r === 'string' ? r : null;
  };
  // A counter of the instance the function reads (`self.num_steps_done`, which a method advances): read when each call runs.
  const boundSelf = fn.bound?.pos[0];
  const selfName = boundSelf ? params(frozen)[0]?.name : undefined;
  const counter = boundSelf && selfName ? readsInstanceCounter(fn, selfName, boundSelf) : null;
  if (counter) return counter;
  // Arguments fixed by functools.partial must be known; a bound `self` is read attribute by attribute.
  for (const v of [...(fn.bound?.pos ?? []), ...(fn.bound?.kw ?? []).map(([, x]) => x)]) {
    const u = v.k === 'ns' ? null : firstUnknown(v);
    if (u) return `\`${fn.name}\` is given an argument that is not known: ${u.reason}`;
    const problem = v.k === 'func' ? inner(v) : (freezeInside(I, v, seen, 0), null);
    if (problem) return problem;
  }
  // Default values may be functions too (`def f(e, g=helper)`).
  for (const d of fn.defaults.values()) {
    if (d.k === 'func') inner(d);
    else freezeInside(I, d, seen, 0);
  }
  // Kept with the frozen node (functions.ts): an unchanged function is not searched again at each edit.
  for (const [name, nodes] of ownFreeNames(frozen)) {
    let v: PyVal | undefined;
    for (let s: Scope | null = fn.closure; s && v === undefined; s = s.parent) v = s.vars.get(name);
    if (v === undefined) {
      if (BUILTIN_NAMES.has(name) || INTERP_BUILTINS.has(name) || EXCEPTION_NAMES.has(name)) continue;
      return `\`${fn.name}\` uses \`${name}\`, which is not defined in this file`;
    }
    const u = firstUnknown(v);
    if (u) return `\`${fn.name}\` uses \`${name}\`: ${u.reason}`;
    const counted = v.k === 'ns' ? readsInstanceCounter(fn, name, v) : null;
    if (counted) return counted;
    // `args.decay`, `cfg["warmup"]`: the part actually used may be unknown even when the object is not.
    for (const ref of nodes) {
      if (ref.type === 'identifier') continue;
      const problem = referenceProblem(I, ref, fn.closure);
      if (problem) return `\`${fn.name}\` uses \`${shortText(ref)}\`: ${problem}`;
    }
    const problem = v.k === 'func' ? inner(v) : (freezeInside(I, v, seen, 0), null);
    if (problem) return problem;
  }
  return fn;
}

/** Why an attribute / constant-subscript reference has no known value, or null. */
function referenceProblem(I: Interpreter, ref: SyntaxNode, scope: Scope): string | null {
  const saved = I.running;
  I.running = 0;
  try {
    const u = firstUnknown(I.expr(ref, scope));
    return u ? u.reason : null;
  } catch (e) {
    if (e instanceof Indeterminate) return e.reason;
    throw e;
  } finally {
    I.running = saved;
  }
}

/** Functions kept in containers (`fns["warmup"]`, `cfg.schedule`) may be called too: freeze them as well. */
function freezeInside(I: Interpreter, v: PyVal, seen: Set<object>, depth: number): void {
  if (depth > 8 || seen.has(v)) return;
  seen.add(v);
  const visit = (x: PyVal) => {
    if (x.k === 'func') checkFreeNames(I, x, seen);
    else freezeInside(I, x, seen, depth + 1);
  };
  if (v.k === 'list') v.items.forEach(visit);
  else if (v.k === 'dict') v.entries.forEach(([, x]) => visit(x));
  else if (v.k === 'class') {
    v.attrs.forEach(visit);
    // The file's own bases: a method may call one it inherits (`self.find_in_interval(n)`, latent-diffusion).
    for (const b of v.bases ?? []) if (b.k === 'class') visit(b);
  }
  else if (v.k === 'ns') {
    v.attrs.forEach(visit);
    // Its methods too: a bound method the engine calls may call the others (`self.helper(step)`).
    if (v.cls) visit(v.cls);
  }
}

function numArg(x: number): PyVal {
  return Number.isInteger(x) ? int(x) : float(x);
}

/** The engine multiplies the result by a float lr: numbers and bools only, else torch's TypeError. */
function toNumber(v: PyVal): number {
  if (v.k === 'int' || v.k === 'float') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  if (v.k === 'unknown') throw new PyError('UnknownValue', v.reason);
  // A run-time object (a tensor), a name from another module, an instance whose class may define `__rmul__`: what
  // torch's `base_lr * λ(e)` makes of it is not known, so no TypeError is claimed.
  if (v.k === 'opaque') throw new PyError('UnknownValue', `the function returns \`${v.desc}\`, a run-time object`);
  if (v.k === 'ref') throw new PyError('UnknownValue', `the function returns a value from another module: ${refReason(v.path)}`);
  const own = ownBehaviour(v);
  if (own) throw new PyError('UnknownValue', `the function returns an instance (${own})`);
  throw new PyError('TypeError', `unsupported operand type(s) for *: 'float' and '${typeName(v)}'`);
}
