/**
 * The abstract interpreter's value set: a closed set of Python values the
 * frontend can reason about, plus `unknown` (with a reason) for everything it
 * cannot. Plain data except for function values, which keep their syntax node
 * and closure scope so they can be run later by the function interpreter.
 */
import { pyFloatRepr as floatRepr, pyStrRepr as strRepr } from '../../engine/py';
import { PyError } from '../../engine/types';
import type { Range } from '../../analysis/types';
import type { FrozenNode, SyntaxNode } from './syntax';

/**
 * Variables of a scope that can journal writes: while a journal is open, the first write to each name
 * records its previous value, so the walker can fork at a branch and undo or merge it in time
 * proportional to what the branch changed (not to the size of the scope).
 */
export class VarMap extends Map<string, PyVal> {
  private readonly journals: Map<string, PyVal | undefined>[] = [];
  override set(k: string, v: PyVal): this {
    this.note(k);
    return super.set(k, v);
  }
  override delete(k: string): boolean {
    this.note(k);
    return super.delete(k);
  }
  private note(k: string): void {
    // Map's constructor calls set() before this class's fields exist.
    const journals = this.journals as Map<string, PyVal | undefined>[] | undefined;
    if (journals) for (const j of journals) if (!j.has(k)) j.set(k, super.get(k));
  }
  /** Starts recording previous values of the names written from now on. */
  open(): void {
    this.journals.push(new Map());
  }
  /** Stops recording; returns name → value before the first write since `open()`. */
  close(): Map<string, PyVal | undefined> {
    return this.journals.pop() ?? new Map();
  }
  /** Sets without journaling (undoing a branch: outer journals already hold the older values). */
  restore(k: string, v: PyVal | undefined): void {
    if (v === undefined) super.delete(k);
    else super.set(k, v);
  }
}

/** A variable scope: module, function call frame or class body. Closures keep the Scope object (late binding). */
export interface Scope {
  readonly vars: VarMap;
  /** Enclosing scope for name lookup (function → defining scope → … → module). */
  parent: Scope | null;
  /** For messages: 'module' or the function's name. */
  label: string;
}

/** A `lambda` or `def`, with the scope it closes over. */
export interface FuncVal {
  k: 'func';
  name: string;
  /** The lambda / function_definition node (replaced by a frozen copy once the function is handed to the engine). */
  node: SyntaxNode;
  closure: Scope;
  /** Evaluated parameter defaults, by parameter name (evaluated at definition time, as Python does). */
  defaults: Map<string, PyVal>;
  /**
   * Arguments fixed in advance: `functools.partial(f, …)`'s, or a bound method's `self`. A call puts
   * `pos` first and lets its own keywords override `kw`, as Python does.
   */
  bound?: { pos: PyVal[]; kw: [string, PyVal][] };
}

/** A function whose syntax is frozen: the only kind the engine may call once the tree is deleted. */
export type FrozenFunc = FuncVal & { node: FrozenNode };

/** `assumed`: the value rests on an assumption (a default of --lr, a parameter default), with its label. */
export type PyVal = PyValBase & { assumed?: string };

type PyValBase =
  /**
   * `np`: a numpy integer scalar (`np.int64(5)`, numpy's results on them): arithmetic as Python's, but
   * `isinstance(x, int)` is False in Python 3, which torch's OneCycleLR / CosineAnnealingWarmRestarts checks use.
   */
  | { k: 'int'; v: number; np?: NumpyInt }
  /** `np`: a numpy float32 scalar (`np.float32(0.5)`): not a float to `isinstance(x, float)` (float64 is one). */
  | { k: 'float'; v: number; np?: 'float32' }
  | { k: 'bool'; v: boolean }
  | { k: 'str'; v: string }
  | { k: 'none' }
  | { k: 'list'; items: PyVal[]; tuple: boolean }
  /** Keys kept as values (str/int/float/bool/None keys only); insertion order as Python. */
  | { k: 'dict'; entries: [PyVal, PyVal][] }
  | FuncVal
  /** A builtin or math function, called by name (`min`, `math.cos`, …). */
  | { k: 'builtin'; name: string }
  /**
   * A dotted reference into a module we do not model (`torch.optim.lr_scheduler.StepLR`, `nn.Linear`):
   * the qualified name is what we match scheduler/optimizer classes against.
   */
  | { k: 'ref'; path: string }
  /** A class defined in the file (namespace of class-level constants; `@dataclass` fields). */
  /** `decorated`: methods with a decorator (static, class, property…), which are not bound to instances. */
  /** `bases`: its base classes as evaluated (`transformers.TrainingArguments` is a ref), when written. */
  | { k: 'class'; name: string; attrs: Map<string, PyVal>; dataclass: boolean; fields: string[]; line: number; decorated: Set<string>; bases?: PyVal[] }
  /** An instance / SimpleNamespace / argparse result: attribute bag. `missing` explains absent attributes. */
  | { k: 'ns'; typeName: string; attrs: Map<string, PyVal>; missing?: (attr: string) => string; cls?: PyVal & { k: 'class' } }
  | { k: 'optimizer'; index: number }
  /** A scheduler construction: `index` into program.schedulers (null when not built), `call` into the found calls. */
  | { k: 'scheduler'; index: number | null; call: number }
  /** A real object we do not model (a model, `model.parameters()`, a tensor): only its type name matters. */
  | { k: 'opaque'; typeName: string; desc: string }
  | { k: 'unknown'; reason: string; range?: Range };

/** The numpy integer scalar types evaluated (their type names). */
export type NumpyInt = 'int64' | 'int32';

/** A numpy integer scalar, checked to stay in its type's range (numpy wraps around; not evaluated). */
export function npInt(v: number, np: NumpyInt): PyVal {
  const r = mkInt(v) as PyVal & { k: 'int' };
  if (np === 'int32' && (r.v > 2147483647 || r.v < -2147483648)) throw new PyError('BudgetExceeded', 'an int32 result that wraps around is not evaluated');
  return { k: 'int', v: r.v, np };
}

export const NONE: PyVal = { k: 'none' };
export const TRUE: PyVal = { k: 'bool', v: true };
export const FALSE: PyVal = { k: 'bool', v: false };
export const int = (v: number): PyVal => ({ k: 'int', v });
export const float = (v: number): PyVal => ({ k: 'float', v });
export const bool = (v: boolean): PyVal => (v ? TRUE : FALSE);
export const str = (v: string): PyVal => ({ k: 'str', v });
export const unknown = (reason: string, range?: Range): PyVal => ({ k: 'unknown', reason, range });

/** Largest int we keep exact (JS numbers); beyond this a result is "too large" rather than silently rounded. */
export const MAX_INT = Number.MAX_SAFE_INTEGER;

/** Thrown (as a PyError subtype name) when an int result leaves the exact range; callers turn it into unknown. */
export function tooLarge(): PyError {
  return new PyError('BudgetExceeded', 'number too large to evaluate exactly');
}

/** An int value, checked to stay exact. */
export function mkInt(v: number): PyVal {
  if (!Number.isFinite(v) || Math.abs(v) > MAX_INT) throw tooLarge();
  return { k: 'int', v: v === 0 ? 0 : v };
}

/** Python's type name, as used in TypeError texts. */
export function typeName(v: PyVal): string {
  switch (v.k) {
    case 'int': return v.np ? `numpy.${v.np}` : 'int';
    case 'float': return v.np ? `numpy.${v.np}` : 'float';
    case 'bool': return 'bool';
    case 'str': return 'str';
    case 'none': return 'NoneType';
    case 'list': return v.tuple ? 'tuple' : 'list';
    case 'dict': return 'dict';
    case 'func': return 'function';
    case 'builtin': return 'builtin_function_or_method';
    case 'ref': return 'type';
    case 'class': return 'type';
    case 'ns': return v.typeName;
    case 'optimizer': return 'Optimizer';
    case 'scheduler': return 'LRScheduler';
    case 'opaque': return v.typeName;
    case 'unknown': return 'object';
  }
}

/** Is this a number Python-wise (bool counts, as in arithmetic)? Returns the JS number or null. */
export function numOf(v: PyVal): number | null {
  if (v.k === 'int' || v.k === 'float') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return null;
}

/** Python truthiness; null for values whose truth we cannot know. */
export function truthy(v: PyVal): boolean | null {
  switch (v.k) {
    case 'int': case 'float': return v.v !== 0;
    case 'bool': return v.v;
    case 'str': return v.v.length > 0;
    case 'none': return false;
    case 'list': return v.items.length > 0;
    case 'dict': return v.entries.length > 0;
    case 'unknown': return null;
    case 'opaque': return null;
    // An instance whose class may define `__bool__` / `__len__` (or derive from `dict`): not known.
    case 'ns': return ownBehaviour(v) ? null : true;
    default: return true;
  }
}

/**
 * A class's lineage as far as the file shows it: the class and its bases that are classes of the file, depth first as
 * Python's lookup meets them (each once, 8 levels at most), and the other bases they name (`dict`, `torch.nn.Module`,
 * `_LRScheduler`), in order. `deep`: the bases went further than followed.
 */
export function lineage(cls: PyVal & { k: 'class' }): { classes: (PyVal & { k: 'class' })[]; others: PyVal[]; deep: boolean } {
  const out = { classes: [] as (PyVal & { k: 'class' })[], others: [] as PyVal[], deep: false };
  const visit = (c: PyVal & { k: 'class' }, depth: number): void => {
    if (out.classes.includes(c)) return;
    out.classes.push(c);
    for (const b of c.bases ?? []) {
      if (b.k !== 'class') out.others.push(b);
      else if (depth >= 8) out.deep = true;
      else visit(b, depth + 1);
    }
  };
  visit(cls, 0);
  return out;
}

/**
 * A base of the class (through its bases) that is not a class of the file nor `object` (`dict`, `torch.nn.Module`, a
 * library class), said as "derives from `dict`": what LR Lens knows of its instances is not all there is. Null when
 * every base is the file's own.
 */
export function foreignBase(cls: PyVal & { k: 'class' }): string | null {
  const { others, deep } = lineage(cls);
  const b = others.find((x) => !(x.k === 'builtin' && x.name === 'object'));
  if (b) return `derives from \`${b.k === 'builtin' ? b.name : b.k === 'ref' ? b.path : b.k === 'opaque' ? b.desc : 'a base LR Lens cannot see'}\``;
  return deep ? 'derives from classes too deep to follow' : null;
}

/** A class attribute looked up as Python does for an instance: the class, then its bases (the file's own, depth first). */
export function classAttr(cls: PyVal & { k: 'class' }, name: string): PyVal | undefined {
  return definedIn(cls, name)?.attrs.get(name);
}

/** The class (this one or a base of the file) whose body sets `name`, first found as Python's lookup would. */
export function definedIn(cls: PyVal & { k: 'class' }, name: string): (PyVal & { k: 'class' }) | undefined {
  return lineage(cls).classes.find((c) => c.attrs.has(name));
}

/** A function of a class bound to an instance (`obj.method`, `obj(…)` through `__call__`): called with the instance first. */
export function boundMethod(inst: PyVal & { k: 'ns' }, fn: FuncVal, name: string): FuncVal {
  return { ...fn, name: `${inst.typeName}.${name}`, bound: { pos: [inst], kw: [] } };
}

/** An instance whose class (or a base of the file) defines `__call__`, as that method bound to it; null otherwise. */
export function instanceCall(v: PyVal): FuncVal | null {
  if (v.k !== 'ns' || v.cls?.k !== 'class') return null;
  const call = classAttr(v.cls, '__call__');
  return call?.k === 'func' && !call.bound ? boundMethod(v, call, '__call__') : null;
}

/** Dunder methods that do not change what operators, `bool()`, `len()` or `float()` do with an instance. */
const PLAIN_DUNDERS: ReadonlySet<string> = new Set(['__init__', '__repr__', '__str__', '__post_init__', '__call__', '__getattr__', '__setattr__', '__hash__', '__format__']);

/**
 * Why an instance may answer operators, truth tests and conversions its own way (a dunder of its class or a base
 * of the file, `__mul__`, `__bool__`, `__len__`, `__float__`, …, or a library base: `dict`, `nn.Module`): null for
 * an instance of plain classes, and for every value that is not an instance.
 */
export function ownBehaviour(v: PyVal): string | null {
  if (v.k !== 'ns' || v.cls?.k !== 'class') return null;
  const base = foreignBase(v.cls);
  if (base) return `\`${v.typeName}\` ${base}`;
  const dunders: string[] = [];
  for (const c of lineage(v.cls).classes) {
    for (const [name, m] of c.attrs) if (m.k === 'func' && /^__\w+__$/.test(name) && !PLAIN_DUNDERS.has(name) && !dunders.includes(name)) dunders.push(name);
  }
  if (!dunders.length) return null;
  const listed = dunders.slice(0, 3).map((d) => `\`${d}\``).join(', ');
  return `\`${v.typeName}\` defines ${listed}${dunders.length > 3 ? ', …' : ''}`;
}

/** Python's reprs are the engine's (one implementation for torch's messages and every view). */
export { floatRepr, strRepr };

/** Names for objects that have no literal form (the variable a scheduler / optimizer is bound to). */
export type ObjectNamer = (v: PyVal & { k: 'scheduler' | 'optimizer' }) => string;

const defaultNamer: ObjectNamer = (v) => (v.k === 'scheduler' ? 'scheduler' : 'optimizer');

/** Display in Python syntax (repr), bounded in length. */
export function repr(v: PyVal, depth = 0, name: ObjectNamer = defaultNamer): string {
  if (depth > 6) return '…';
  switch (v.k) {
    case 'int': return String(v.v);
    case 'float': return floatRepr(v.v);
    case 'bool': return v.v ? 'True' : 'False';
    case 'str': return strRepr(v.v);
    case 'none': return 'None';
    case 'list': {
      const items = v.items.slice(0, 20).map((x) => repr(x, depth + 1, name));
      if (v.items.length > 20) items.push('…');
      if (v.tuple) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
      return `[${items.join(', ')}]`;
    }
    case 'dict': {
      const items = v.entries.slice(0, 20).map(([a, b]) => `${repr(a, depth + 1, name)}: ${repr(b, depth + 1, name)}`);
      if (v.entries.length > 20) items.push('…');
      return `{${items.join(', ')}}`;
    }
    case 'func': return v.name === '<lambda>' ? lambdaText(v.node) : v.name;
    case 'builtin': return v.name;
    case 'ref': return v.path;
    case 'class': return v.name;
    case 'ns': return `${v.typeName}(…)`;
    case 'optimizer': case 'scheduler': return name(v);
    case 'opaque': return v.desc;
    case 'unknown': return '?';
  }
}

function lambdaText(node: SyntaxNode): string {
  const t = node.text.replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

/** Structural equality, used to merge branches ("bound the same way on both paths?"). */
export function sameValue(a: PyVal, b: PyVal, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 20 || a.k !== b.k) return false;
  switch (a.k) {
    // A numpy scalar and a Python number of one value are not the same value (isinstance tells them apart).
    case 'int': case 'float': return a.np === (b as typeof a).np && (Object.is(a.v, (b as typeof a).v) || a.v === (b as typeof a).v);
    case 'bool': case 'str': return a.v === (b as typeof a).v;
    case 'none': return true;
    case 'list': {
      const bb = b as typeof a;
      return a.tuple === bb.tuple && a.items.length === bb.items.length && a.items.every((x, i) => sameValue(x, bb.items[i]!, depth + 1));
    }
    case 'dict': {
      const bb = b as typeof a;
      return a.entries.length === bb.entries.length &&
        a.entries.every(([k, v], i) => sameValue(k, bb.entries[i]![0], depth + 1) && sameValue(v, bb.entries[i]![1], depth + 1));
    }
    case 'func': return a.node.id === (b as typeof a).node.id && a.closure === (b as typeof a).closure;
    case 'builtin': return a.name === (b as typeof a).name;
    case 'ref': return a.path === (b as typeof a).path;
    case 'optimizer': return a.index === (b as typeof a).index;
    case 'scheduler': return a.call === (b as typeof a).call;
    case 'unknown': return a.reason === (b as typeof a).reason;
    // Two data loaders (built on two branches, passed by two calls) are alike to LR Lens: all it reads of one is that its
    // length is the assumed batches per epoch. Other run-time objects are not compared.
    case 'opaque': return isDataLoader(a) && isDataLoader(b);
    default: return false;
  }
}

/** The first unknown inside a value (lists/dicts included), or null when fully known. */
export function firstUnknown(v: PyVal, depth = 0): (PyVal & { k: 'unknown' }) | null {
  if (v.k === 'unknown') return v;
  if (depth > 20) return null;
  if (v.k === 'list') {
    for (const x of v.items) {
      const u = firstUnknown(x, depth + 1);
      if (u) return u;
    }
  } else if (v.k === 'dict') {
    for (const [a, b] of v.entries) {
      const u = firstUnknown(a, depth + 1) ?? firstUnknown(b, depth + 1);
      if (u) return u;
    }
  }
  return null;
}

/** A finite number (bool, int or float) as a loop count or a Trainer setting reads it, else null. */
export function intOf(v: PyVal | null | undefined): number | null {
  if (!v || (v.k !== 'int' && v.k !== 'bool' && v.k !== 'float')) return null;
  const x = numOf(v);
  return x !== null && Number.isFinite(x) ? x : null;
}

/**
 * `vars(ns)` / `ns.__dict__`: the namespace's own attributes as a mapping. It shares the attribute map, so
 * `args.__dict__.update(cfg)` or `vars(args)["lr"] = 0.5` write the namespace's attributes (journalled as they are).
 */
export function varsView(ns: PyVal & { k: 'ns' }): PyVal & { k: 'ns' } {
  return { k: 'ns', typeName: 'vars', attrs: ns.attrs, ...(ns.missing ? { missing: ns.missing } : {}) };
}

/**
 * A data loader built by a library class (`torch.utils.data.DataLoader(…)`, timm's `MultiEpochsDataLoader(…)`):
 * `len()` of it is its batches per epoch, which only the run knows. Not a loader a helper returned (`build_loader(…)`:
 * code LR Lens does not see may return anything) nor a class of the file (it may define its own `__len__`).
 */
export function isDataLoader(v: PyVal): boolean {
  return v.k === 'opaque' && DATA_LOADER_TYPE.test(v.typeName);
}

/** A library data loader class's name (`DataLoader`, `MultiEpochsDataLoader`): the type `isDataLoader` reads. */
export const DATA_LOADER_TYPE = /^[A-Z]\w*DataLoader$|^DataLoader$/;

/** The words every loader-length label holds (`isStandInLabel` finds them in a joined label). */
const LOADER_LENGTH = 'batches per epoch: a data loader\'s length is known only at run time';

/** The label of `len(loader)` taken as the assumed batches per epoch (the loops' and a Trainer's setting too). */
export function loaderLengthLabel(loader: string, perEpoch: number): string {
  return batchesAssumedLabel(`\`len(${loader})\``, perEpoch);
}

/** The label of a value that counts a loader's batches (`what`), taken as the assumed batches per epoch. */
export function batchesAssumedLabel(what: string, perEpoch: number): string {
  return `${what} taken as ${perEpoch} ${LOADER_LENGTH} (setting lrLens.assumedStepsPerEpoch, CLI --steps-per-epoch)`;
}

/**
 * Whether an assumption label (perhaps several joined, access.ts `joinLabels`) includes a stand-in of LR Lens's own
 * (a loader's length), which lint weighs as it does the assumed lr: a torch error resting on it is information.
 */
export function isStandInLabel(label: string): boolean {
  return label.includes(LOADER_LENGTH);
}
