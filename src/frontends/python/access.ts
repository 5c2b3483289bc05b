/**
 * Reading values: subscripts, dict keys, and what happens when an operand is
 * unknown ("vague"): the result is unknown with the operand's reason.
 */
import { PyError } from '../../engine/types';
import { shortText, SyntaxNode, rangeOf } from './syntax';
import { PyVal, definedIn, foreignBase, numOf, repr, str, typeName, unknown } from './values';

/** Unknown, an unmodelled object, or a name from another module: operations on it cannot be evaluated. */
export function isVague(v: PyVal): boolean {
  return v.k === 'unknown' || v.k === 'opaque' || v.k === 'ref';
}

export function vagueReason(v: PyVal, n: SyntaxNode): string {
  if (v.k === 'unknown') return v.reason;
  if (v.k === 'opaque') return `\`${v.desc}\` is a run-time object`;
  if (v.k === 'ref') return refReason(v.path);
  return `\`${shortText(n)}\` is not evaluated`;
}

/** The unknown result of an operation on a vague operand; in run mode, control cannot continue. */
export function vague(v: PyVal, n: SyntaxNode): PyVal {
  return carry(unknown(vagueReason(v, n), v.k === 'unknown' ? v.range : rangeOf(n)), v);
}

/**
 * Copies the assumption labels of the operands to a result: `epochs * len(loader)` rests on both its operands'
 * assumptions, and says both (`joinLabels`). Not done by the compiled stage (`Stage.labels`), which runs at engine
 * time only: the engine takes the number alone, and copying each result of a lambda the engine calls a million times
 * was two thirds of its time.
 */
export function carry(r: PyVal, a: PyVal, b?: PyVal): PyVal {
  const label = joinLabels(a.assumed, b?.assumed);
  return label && !r.assumed ? { ...r, assumed: label } : r;
}

/** Past this many characters a joined label names no more assumptions (`; and more`). */
const MAX_LABEL = 600;

/**
 * Two assumption labels as one: each said once (a label already within the other is not repeated), `; ` between them,
 * at most MAX_LABEL characters of them.
 */
export function joinLabels(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b || a === b || a.includes(b)) return a ?? b;
  if (b.includes(a)) return b;
  if (a.endsWith('; and more')) return a;
  return a.length + b.length > MAX_LABEL ? `${a}; and more` : `${a}; ${b}`;
}

/** `carry` from any number of operands. */
export function carryFrom(r: PyVal, from: readonly PyVal[]): PyVal {
  const label = from.reduce<string | undefined>((l, x) => joinLabels(l, x.assumed), undefined);
  return label && !r.assumed ? { ...r, assumed: label } : r;
}

/**
 * The first assumption label of a value or of the items it holds (a list's items, a dict's values), a few levels
 * deep: `sum([x is not None for x in [args.a, args.b]])` rests on the argparse defaults its items came from.
 */
export function labelWithin(v: PyVal, depth = 3, budget = { left: 1000 }): string | undefined {
  if (v.assumed) return v.assumed;
  if (depth <= 0) return undefined;
  const inner = v.k === 'list' ? v.items : v.k === 'dict' ? v.entries.map(([, x]) => x) : [];
  for (const x of inner) {
    if (--budget.left < 0) return undefined;
    const label = labelWithin(x, depth - 1, budget);
    if (label) return label;
  }
  return undefined;
}

export function sameKnown(a: PyVal, b: PyVal): boolean {
  if ((a.k === 'int' || a.k === 'float') && a.np !== (b as typeof a).np) return false;
  return (a.k === 'int' || a.k === 'float' || a.k === 'str' || a.k === 'bool') && a.k === b.k && a.v === (b as typeof a).v;
}

export function hashableEq(a: PyVal, b: PyVal): boolean {
  const x = numOf(a);
  const y = numOf(b);
  if (x !== null && y !== null) return x === y;
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  return a.k === 'none' && b.k === 'none';
}

/**
 * Namespaces whose keys are their attributes (`cfg["lr"]` is `cfg.lr`): `vars(ns)`, OmegaConf's DictConfig, Lightning's
 * AttributeDict, ml_collections' ConfigDict, EasyDict.
 */
export const ATTRIBUTE_DICTS: ReadonlySet<string> = new Set(['vars', 'DictConfig', 'AttributeDict', 'ConfigDict', 'EasyDict']);

export function getItem(obj: PyVal, idx: PyVal): PyVal {
  if (obj.k === 'ns' && ATTRIBUTE_DICTS.has(obj.typeName) && idx.k === 'str') {
    const v = obj.attrs.get(idx.v);
    // `vars(args)["lr"]` of an attribute set at run time (an argparse option no file declares) is unknown, as `args.lr` is.
    if (v === undefined && (obj.typeName === 'vars' || obj.typeName === 'ConfigDict' || obj.typeName === 'EasyDict') && obj.missing) return unknown(obj.missing(idx.v));
    if (v === undefined) throw new PyError('KeyError', repr(idx));
    return v;
  }
  if (obj.k === 'dict') {
    const hit = obj.entries.find(([k]) => hashableEq(k, idx));
    if (!hit) throw new PyError('KeyError', repr(idx));
    return hit[1];
  }
  if (obj.k === 'list' || obj.k === 'str') {
    if (idx.k !== 'int' && idx.k !== 'bool') {
      throw new PyError('TypeError', `${obj.k === 'str' ? 'string' : typeName(obj)} indices must be integers${obj.k === 'str' ? '' : ' or slices'}, not ${typeName(idx)}`);
    }
    const len = obj.k === 'str' ? [...obj.v].length : obj.items.length;
    const raw = numOf(idx)!;
    const i = raw < 0 ? len + raw : raw;
    if (i < 0 || i >= len) throw new PyError('IndexError', `${obj.k === 'str' ? 'string' : typeName(obj)} index out of range`);
    return obj.k === 'str' ? str([...obj.v][i]!) : obj.items[i]!;
  }
  // An instance of a class LR Lens does not see all of (a `dict` subclass such as HiFi-GAN's `AttrDict`, one defining
  // `__getitem__`, a library base) may well be subscriptable: its items are not known, Python does not raise.
  const open = obj.k === 'ns' && obj.cls ? subscriptableBy(obj.cls) : null;
  if (open) return unknown(`\`${obj.k === 'ns' ? obj.typeName : ''}[…]\`: the items of an instance of a class that ${open} are not evaluated`);
  throw new PyError('TypeError', `'${typeName(obj)}' object is not subscriptable`);
}

/** Why a class's instances may be subscriptable (its or a base's `__getitem__`, a base that is not a class of the file), or null. */
function subscriptableBy(cls: PyVal): string | null {
  if (cls.k !== 'class') return null;
  const by = definedIn(cls, '__getitem__');
  return by ? `defines \`__getitem__\` (\`${by.name}\`)` : foreignBase(cls);
}

/** Why a name from another module has no value here. */
export function refReason(path: string): string {
  return `\`${path}\` comes from another module (not evaluated)`;
}

/** Reason text for a Python exception raised while evaluating `n` statically. */
export function reasonFor(e: PyError, n: SyntaxNode): string {
  if (e.type === 'BudgetExceeded') return `\`${shortText(n)}\`: ${e.message}`;
  return `\`${shortText(n)}\` raises ${e.type}: ${e.message}`;
}
