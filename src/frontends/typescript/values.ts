/**
 * The evaluator's values: the JS values it can reason about, plus `unknown`
 * (with a reason and the span that causes it) for everything it cannot.
 * Objects are `Map`s, never real JS objects, so user-given keys such as
 * `__proto__` or `constructor` are plain names.
 */
import type { ClassIR, FnExpr } from './ir';
import type { Env } from './env';

export type Val =
  /** `int` follows the literal/arithmetic rule of numbers.ts. */
  | { k: 'num'; v: number; int: boolean }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'undef' }
  | { k: 'arr'; items: Val[] }
  /** `partial`: why keys not listed may exist after all (a spread of an unknown object), or null. */
  | { k: 'obj'; props: Map<string, Val>; partial: Unknown | null }
  | FnVal
  /** `Math.cos`, `parseInt`, `Array.prototype.map` bound to `self`, …: run by builtins.ts. */
  | { k: 'builtin'; name: string; self?: Val }
  /**
   * Something outside the file or the runtime (an import, `require(…)`, a global such as
   * `torch` or `process`). `name` is what recognition matches: the imported (original)
   * name, or the last property of a member chain; `path` is how the source spells it.
   */
  | { k: 'ext'; name: string; path: string; from: string | null; s: number; e: number }
  /** A scheduler construction: `call` indexes the found calls, `index` the program (null when not built). */
  | { k: 'sched'; call: number; index: number | null }
  | { k: 'optim'; index: number }
  | { k: 'class'; name: string; cls: ClassIR }
  /** A real object we do not model (a model, `model.parameters()`): only a description. */
  | { k: 'opaque'; desc: string }
  | Unknown;

export interface FnVal { k: 'fn'; fn: FnExpr; env: Env; name: string }

/**
 * A value that cannot be known statically. `runtime` marks values that come from the
 * running program (`process.env`, a call's result): reading a property of one is
 * described by its own text ("`args.lr` is set at run time").
 */
export interface Unknown {
  k: 'unknown';
  reason: string;
  s: number;
  e: number;
  runtime: boolean;
  /** The schedulers it may be (branches that built different ones): their uses are recorded on each. */
  alts?: Extract<Val, { k: 'sched' }>[];
}

export const UNDEF: Val = { k: 'undef' };
const TRUE: Val = { k: 'bool', v: true };
const FALSE: Val = { k: 'bool', v: false };

export const num = (v: number, int: boolean): Val => ({ k: 'num', v, int });
export const int = (v: number): Val => ({ k: 'num', v, int: true });
export const float = (v: number): Val => ({ k: 'num', v, int: false });
export const str = (v: string): Val => ({ k: 'str', v });
export const bool = (v: boolean): Val => (v ? TRUE : FALSE);
export const obj = (props: Map<string, Val>, partial: Unknown | null = null): Val => ({ k: 'obj', props, partial });

export function unknown(reason: string, span: { s: number; e: number }, runtime = false): Unknown {
  return { k: 'unknown', reason, s: span.s, e: span.e, runtime };
}

/** JS truthiness; null when it cannot be known. */
export function truthy(v: Val): boolean | null {
  switch (v.k) {
    case 'num': return v.v !== 0 && !Number.isNaN(v.v);
    case 'str': return v.v.length > 0;
    case 'bool': return v.v;
    case 'null': case 'undef': return false;
    case 'unknown': case 'ext': return null;
    default: return true;
  }
}

/** The JS `typeof` of a value, for messages; 'unknown' when it cannot be known. */
export function typeOf(v: Val): string {
  switch (v.k) {
    case 'num': return 'number';
    case 'str': return 'string';
    case 'bool': return 'boolean';
    case 'undef': return 'undefined';
    case 'null': case 'arr': case 'obj': case 'sched': case 'optim': case 'opaque': return 'object';
    case 'fn': case 'builtin': case 'class': return 'function';
    case 'ext': case 'unknown': return 'unknown';
  }
}

/** Same value (numbers by value and kind, containers structurally, functions by identity)? For merging branches. */
export function sameVal(a: Val, b: Val, depth = 0): boolean {
  if (a === b) return true;
  if (a.k !== b.k || depth > 20) return false;
  switch (a.k) {
    case 'num': { const o = b as typeof a; return (a.v === o.v || (Number.isNaN(a.v) && Number.isNaN(o.v))) && a.int === o.int; }
    case 'str': case 'bool': return a.v === (b as typeof a).v;
    case 'null': case 'undef': return true;
    case 'arr': {
      const o = b as typeof a;
      return a.items.length === o.items.length && a.items.every((x, i) => sameVal(x, o.items[i]!, depth + 1));
    }
    case 'obj': {
      const o = b as typeof a;
      if (a.props.size !== o.props.size || (a.partial === null) !== (o.partial === null)) return false;
      for (const [key, x] of a.props) {
        const y = o.props.get(key);
        if (y === undefined || !sameVal(x, y, depth + 1)) return false;
      }
      return true;
    }
    case 'fn': return a.fn === (b as typeof a).fn && a.env === (b as typeof a).env;
    case 'builtin': return a.name === (b as typeof a).name && a.self === undefined && (b as typeof a).self === undefined;
    case 'ext': return a.path === (b as typeof a).path && a.from === (b as typeof a).from;
    case 'sched': return a.call === (b as typeof a).call;
    case 'optim': return a.index === (b as typeof a).index;
    case 'class': return a.cls === (b as typeof a).cls;
    case 'opaque': return false;
    case 'unknown': return a.reason === (b as typeof a).reason;
  }
}

/** The first unknown inside a value (containers included), or null when the value is fully known. */
export function firstUnknown(v: Val, depth = 0): Unknown | null {
  if (depth > 20) return null;
  switch (v.k) {
    case 'unknown': case 'ext': return asUnknown(v);
    case 'arr': for (const x of v.items) { const u = firstUnknown(x, depth + 1); if (u) return u; } return null;
    case 'obj': {
      for (const x of v.props.values()) { const u = firstUnknown(x, depth + 1); if (u) return u; }
      return null;
    }
    default: return null;
  }
}

/** Globals whose properties only exist in a running program. */
const RUNTIME_ROOTS = new Set(['process', 'window', 'document', 'globalThis', 'navigator', 'location', 'localStorage',
  'sessionStorage', 'Deno', 'Bun', 'self', 'global']);

/** Why an external reference has no static value ("`EPOCHS` is imported from './config'"). */
function extReason(v: Extract<Val, { k: 'ext' }>): string {
  if (v.from !== null) return `\`${v.path}\` is imported from '${v.from}'`;
  const root = v.path.split(/[.[(]/, 1)[0]!;
  if (RUNTIME_ROOTS.has(root)) return `\`${v.path}\` is set at run time`;
  return `\`${v.path}\` is not defined in this file`;
}

/** Unknowns and external references as one unknown; null for every other value. */
export function asUnknown(v: Val): Unknown | null {
  if (v.k === 'unknown') return v;
  if (v.k === 'ext') return unknown(extReason(v), v, true);
  return null;
}
