/**
 * The key of a callable handed to the engine (engine/types.ts: a `func` Arg's `key`), so that an edit's analysis
 * keeps the simulations that call it (analysis/incremental.ts). A key is set only when everything the engine's calls
 * of the function return (or raise) is a function of it. Correctness first: a wrong key is a stale curve shown as
 * current, so when in doubt there is none.
 *
 * What a call of a frozen function reads: its code (the frozen node's text: parameters, default expressions,
 * body), its name (in messages), the values of its defaults and of the arguments bound in advance
 * (`functools.partial`), and every name its code reads from the scopes it closes over, looked up as the
 * interpreter does (calls.ts `lookup`) — recursively the same for the functions among them (helpers, itself).
 * The key writes all of these down exactly:
 *   - numbers with their type (int / float, numpy's) and exact value (-0, NaN, ±inf apart), bools, None, strings,
 *     tuples of such values; a builtin by its name (builtins.ts: pure, deterministic);
 *   - a module reference (`math`, `numpy`, `torch`) by its path, only when every use of the name in the code is an
 *     attribute chain ending in a builtin (`math.cos`) or a constant (`math.pi`), or the call of a math / numpy
 *     builtin imported by name (`from math import cos`);
 *   - every identifier the code holds but the function's own parameters and name (a local too: the interpreter
 *     reads the enclosing scope when a local is not yet bound), with its value or its absence.
 * No key when the function reads a value that can change during or between the engine's calls or that cannot be
 * written down: a list, dict, object, class, an optimizer or scheduler, an unknown, a module reference used
 * otherwise (called, passed on), an unfrozen helper; nor when the code has `global` / `nonlocal` (state it would
 * write) or an `import` (a module's functions may read files). Values are read once the analysis is over
 * (Interpreter.finish): the state the engine's calls see, which no keyed function can change (it reaches no
 * mutable value, and no function rebinds a scope's names at engine time).
 */
import type { Interpreter } from './interp';
import { isKnownBuiltin } from './builtins';
import { getAttr } from './expressions';
import { collectLocals, params } from './functions';
import { isFrozen, TextFact, type SyntaxNode } from './syntax';
import type { FuncVal, PyVal, Scope } from './values';

/** Statements whose presence means no key: state written outside the call, or modules imported at run time. */
const NO_KEY_STATEMENTS = ['global_statement', 'nonlocal_statement', 'import_statement', 'import_from_statement', 'future_import_statement'];

/**
 * What a function's key reads of its code, from its text alone (kept with a frozen node: an edit elsewhere does not
 * derive it again; the key asks for it at each construction and again at the end): each identifier it holds but its
 * own parameters, its name and names of something else (an attribute, a keyword), with its uses, and those names
 * sorted; the names it binds itself (assigned, loop or comprehension variables, nested defs): in the key (read before
 * bound, they come from outside), but not among the `reads` that tell a rebinding after a construction.
 * Shared: not to be modified.
 */
const NAMES = new TextFact((node): { names: Map<string, SyntaxNode[]>; sorted: string[]; locals: Set<string> } => {
  // Parameters are always bound in the call's own scope; any other name may be read from the enclosing ones.
  const own = new Set(params(node).map((p) => p.name));
  const names = new Map<string, SyntaxNode[]>();
  const self = node.childForFieldName('name');
  // Asked for frozen functions only (`func`): a live node has no kept facts and no `descendantsOfType` here.
  for (const id of isFrozen(node) ? node.descendantsOfType('identifier') : []) {
    if (own.has(id.text) || id === self || isNameOfSomethingElse(id)) continue;
    const uses = names.get(id.text);
    if (uses) uses.push(id);
    else names.set(id.text, [id]);
  }
  const locals = new Set<string>();
  collectLocals(node.childForFieldName('body'), locals);
  return { names, sorted: [...names.keys()].sort(), locals };
});

/** The key of a builtin callable (`lr_lambda=math.exp`): its name says all it does. */
export function builtinKey(name: string): string {
  return `B${JSON.stringify(name)}`;
}

/** The key of `fn` (see the file's comment), or null when it has none. */
export function funcKey(I: Interpreter, fn: FuncVal): string | null {
  const w = new KeyWriter(I);
  return w.func(fn) ? w.out.join('') : null;
}

/**
 * What each function reached reads, by name (`helper: W` → its value written down), taken now: two of these taken at
 * different times (the construction, the end of the walk) tell which names were bound again or changed in place in
 * between. Unlike a key it writes mutable values too (a list's items, a dict's entries, the attributes the code reads
 * of a namespace or class: their contents now), and an optimizer or scheduler as itself; what it cannot write
 * down (an unknown, a run-time object) is written as its kind, the same each time. Null when a function it reaches
 * is not frozen.
 */
export function funcSnapshot(I: Interpreter, fn: FuncVal): Map<string, string> | null {
  const w = new KeyWriter(I, true);
  return w.func(fn) ? w.reads : null;
}

class KeyWriter {
  readonly out: string[] = [];
  /** What each name a function reads was written as (`fn: name` → its part of the key). */
  readonly reads = new Map<string, string>();
  /** Functions already written, by their order: a second reach (recursion, a shared helper) is written as that index. */
  private readonly seen = new Map<FuncVal, number>();

  /** `snapshot`: the contents of mutable values are written too, and nothing makes the writing fail (funcSnapshot). */
  constructor(private readonly I: Interpreter, private readonly snapshot = false) {}
  /** Containers being written (snapshot): a value that holds itself is written as a back-reference. */
  private readonly open = new Set<PyVal>();

  func(fn: FuncVal): boolean {
    const at = this.seen.get(fn);
    if (at !== undefined) {
      this.out.push(`@${at};`);
      return true;
    }
    // The engine runs frozen functions only (a live one raises at engine time, and may be frozen later by another's
    // check); one frozen while the walk goes on takes its copy at its end (bridge.ts `frozenNodeOf`).
    const node = this.I.frozenOf(fn);
    if (!node) return false;
    this.seen.set(fn, this.seen.size);
    if (!this.snapshot && node.descendantsOfType(NO_KEY_STATEMENTS).length) return false;
    const text = node.text;
    this.out.push(`F${JSON.stringify(fn.name)}${node.type}:${text.length}:${text}`);
    this.out.push(`D${fn.defaults.size}`);
    for (const [k, v] of fn.defaults) {
      this.out.push(`,${k}=`);
      if (!this.value(v)) return false;
    }
    if (fn.bound) {
      this.out.push(`P${fn.bound.pos.length}`);
      for (const v of fn.bound.pos) if (!this.value(v)) return false;
      this.out.push(`K${fn.bound.kw.length}`);
      for (const [k, v] of fn.bound.kw) {
        this.out.push(`,${k}=`);
        if (!this.value(v)) return false;
      }
    } else {
      this.out.push('P-');
    }
    const { names, sorted, locals } = NAMES.of(node);
    for (const name of sorted) {
      this.out.push(`|${name}=`);
      const from = this.out.length;
      const v = lookup(fn.closure, name);
      if (v === undefined) {
        // A builtin (by the name the code holds) or a local only (or a NameError): the same each time.
        this.out.push('-');
      } else if (v.k === 'ref') {
        if (!this.snapshot && !this.pureModuleUses(v, names.get(name)!)) return false;
        this.out.push(`r${JSON.stringify(v.path)};`);
      } else if (!this.value(v, 0, this.snapshot ? partsRead(v, names.get(name)!) : null)) {
        return false;
      }
      // A function read is itself (its code); what it reads in turn has entries of its own.
      if (!locals.has(name)) this.reads.set(`${fn.name}: ${name}`, v?.k === 'func' ? `F${v.node.text}` : this.out.slice(from).join(''));
    }
    this.out.push('.');
    return true;
  }

  /** Writes a value the function reads; false when it cannot be written down exactly or may change. */
  private value(v: PyVal, depth = 0, attrs: Set<string> | null = null): boolean {
    if (this.snapshot) return this.contents(v, depth, attrs);
    if (depth > 20) return false;
    if (v.assumed !== undefined) this.out.push(`a${JSON.stringify(v.assumed)}`);
    if (this.scalar(v)) return true;
    switch (v.k) {
      case 'list': {
        // A list may be changed by any function the engine runs; a tuple may not (its items are checked too).
        if (!v.tuple) return false;
        this.out.push(`(${v.items.length}`);
        for (const x of v.items) if (!this.value(x, depth + 1)) return false;
        this.out.push(')');
        return true;
      }
      case 'func': return this.func(v);
      // A module reference held in a value (not read through a name whose uses are checked), dicts, objects,
      // classes, unknowns: not written down.
      default: return false;
    }
  }

  /** Writes a number (with its type and exact value), bool, None, string or builtin; false for any other value. */
  private scalar(v: PyVal): boolean {
    switch (v.k) {
      case 'int': case 'float':
        this.out.push(`${v.k === 'int' ? 'i' : 'f'}${v.np ?? ''}:${Object.is(v.v, -0) ? '-0' : String(v.v)};`);
        return true;
      case 'bool': this.out.push(v.v ? 'T' : 'F'); return true;
      case 'none': this.out.push('N'); return true;
      case 'str': this.out.push(`s${JSON.stringify(v.v)}`); return true;
      case 'builtin': this.out.push(`b${JSON.stringify(v.name)}`); return true;
      default: return false;
    }
  }

  /**
   * `v` as it is now, for funcSnapshot: immutable values as a key writes them, mutable ones by their contents (of a
   * namespace or class only the attributes `attrs` the code reads, when it reads only attributes), objects of the
   * program by identity, the rest by kind. Never fails.
   */
  private contents(v: PyVal, depth: number, attrs: Set<string> | null): true {
    if (depth > 20 || this.open.has(v)) {
      this.out.push('^');
      return true;
    }
    if (v.assumed !== undefined) this.out.push(`a${JSON.stringify(v.assumed)}`);
    if (this.scalar(v)) return true;
    this.open.add(v);
    try {
      switch (v.k) {
        case 'ref': this.out.push(`r${JSON.stringify(v.path)};`); break;
        case 'list':
          this.out.push(`${v.tuple ? '(' : '['}${v.items.length}`);
          for (const x of v.items) this.contents(x, depth + 1, null);
          this.out.push(')');
          break;
        case 'dict':
          if (attrs) {
            // Only the keys the code reads (`hyp["lrf"]`): another entry written later (`hyp["box"] *= …`) is no change.
            const keys = [...attrs].sort();
            this.out.push(`{k${keys.length}`);
            for (const key of keys) {
              this.out.push(`,${JSON.stringify(key)}=`);
              const e = v.entries.find(([k]) => k.k === 'str' && k.v === key);
              if (e) this.contents(e[1], depth + 1, null);
              else this.out.push('-');
            }
            this.out.push('}');
            break;
          }
          this.out.push(`{${v.entries.length}`);
          for (const [k, x] of v.entries) {
            this.contents(k, depth + 1, null);
            this.contents(x, depth + 1, null);
          }
          this.out.push('}');
          break;
        case 'ns': case 'class': {
          const names = attrs ? [...attrs].sort() : [...v.attrs.keys()].sort();
          this.out.push(`<${names.length}`);
          for (const a of names) {
            this.out.push(`,${a}=`);
            const x = v.attrs.get(a);
            if (x === undefined) this.out.push('-');
            else this.contents(x, depth + 1, null);
          }
          this.out.push('>');
          break;
        }
        case 'func':
          // The function itself, and (its entries) what it reads.
          this.func(v);
          break;
        case 'optimizer': this.out.push(`o${v.index}`); break;
        case 'scheduler': this.out.push(`c${v.index}:${v.call}`); break;
        default: this.out.push(`?${v.k}`);
      }
    } finally {
      this.open.delete(v);
    }
    return true;
  }

  /**
   * Every use of a module reference in the code is `name.attr…` ending in a builtin or a number constant, or the
   * name of a math / numpy builtin called (`from math import cos`: `cos(x)`, called by its qualified name).
   */
  private pureModuleUses(ref: PyVal & { k: 'ref' }, uses: SyntaxNode[]): boolean {
    for (const id of uses) {
      if (isCallee(id)) {
        if (/^(math|numpy)\.[A-Za-z_]\w*$/.test(ref.path) && isKnownBuiltin(ref.path)) continue;
        return false;
      }
      let v: PyVal = ref;
      let cur = id;
      while (v.k === 'ref') {
        const p = cur.parent;
        if (p?.type !== 'attribute' || p.childForFieldName('object')?.id !== cur.id) return false;
        const attr = p.childForFieldName('attribute');
        if (!attr) return false;
        v = getAttr(this.I, v, attr.text, p);
        cur = p;
      }
      if (v.k !== 'builtin' && v.k !== 'int' && v.k !== 'float') return false;
    }
    return true;
  }
}

/**
 * The parts of a name's value the code reads, when it reads only parts: of a namespace or class the attributes
 * (every use `name.attr`: `args.warmup`), of a dict the keys (every use `name["k"]` or `name.get("k", …)`: `hyp["lrf"]`);
 * else null (the whole value).
 */
function partsRead(v: PyVal, uses: SyntaxNode[]): Set<string> | null {
  const out = new Set<string>();
  for (const id of uses) {
    const p = id.parent;
    if (v.k === 'dict') {
      const key = p?.type === 'subscript' && p.childForFieldName('value')?.id === id.id ? p.childForFieldName('subscript')
        : p?.type === 'attribute' && p.childForFieldName('object')?.id === id.id && p.childForFieldName('attribute')?.text === 'get'
          && p.parent?.type === 'call' ? p.parent.childForFieldName('arguments')?.namedChildren[0] ?? null : null;
      const text = key?.type === 'string' ? stringValue(key) : null;
      if (text === null) return null;
      out.add(text);
      continue;
    }
    if (p?.type !== 'attribute' || p.childForFieldName('object')?.id !== id.id) return null;
    const attr = p.childForFieldName('attribute');
    if (!attr) return null;
    out.add(attr.text);
  }
  return out;
}

/** A plain string literal's value (`"lrf"`, `'lrf'`), or null (f-strings, escapes, concatenations). */
function stringValue(n: SyntaxNode): string | null {
  const m = /^(['"])([A-Za-z0-9_ .\-]*)\1$/.exec(n.text);
  return m ? m[2]! : null;
}

/** The function of a call (`cos` in `cos(x)`). */
function isCallee(id: SyntaxNode): boolean {
  const p = id.parent;
  return p?.type === 'call' && p.childForFieldName('function')?.id === id.id;
}

/** An identifier that names no variable: an attribute's name (`math.cos`'s `cos`) or a keyword argument's name. */
function isNameOfSomethingElse(id: SyntaxNode): boolean {
  const p = id.parent;
  if (p?.type === 'attribute') return p.childForFieldName('attribute')?.id === id.id;
  if (p?.type === 'keyword_argument') return p.childForFieldName('name')?.id === id.id;
  return false;
}

/** A name in the scopes a function closes over, as the interpreter looks it up when its own scope lacks it. */
function lookup(scope: Scope | null, name: string): PyVal | undefined {
  for (let s = scope; s; s = s.parent) {
    const v = s.vars.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}
