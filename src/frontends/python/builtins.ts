/**
 * The builtins and `math` functions the evaluator knows, on known values, with
 * CPython 3.11 results and error texts. Names are looked up in a Map (never as
 * JS properties), so user-chosen names cannot reach anything else.
 */
import { PyError } from '../../engine/types';
import { compareOp, binaryOp } from './ops';
import { PyVal, FALSE, bool, float, int, mkInt, npInt as makeNpInt, numOf, str, strRepr, floatRepr, truthy, typeName, type NumpyInt } from './values';

const typeErr = (msg: string) => new PyError('TypeError', msg);
const valueErr = (msg: string) => new PyError('ValueError', msg);
const domain = () => valueErr('math domain error');

/** Longest list `range()`/`list()` may build before the value is reported as too large. */
const MAX_SEQ = 100_000;

function realArg(v: PyVal): number {
  const n = numOf(v);
  if (n === null) throw typeErr(`must be real number, not ${typeName(v)}`);
  return n;
}

function toIntFromFloat(x: number): PyVal {
  if (Number.isNaN(x)) throw valueErr('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
  return mkInt(Math.trunc(x));
}

function mathFloat(x: number): PyVal {
  if (!Number.isFinite(x)) throw new PyError('OverflowError', 'math range error');
  return float(x);
}

/** math.f(x) for functions whose domain errors are simple bounds. */
function unary(f: (x: number) => number, ok: (x: number) => boolean = () => true, overflowCheck = false) {
  return (args: PyVal[]) => {
    const x = realArg(args[0]!);
    if (Number.isNaN(x)) return float(NaN);
    if (!ok(x)) throw domain();
    const r = f(x);
    if (Number.isNaN(r) && !Number.isNaN(x)) throw domain();
    return overflowCheck && Number.isFinite(x) ? mathFloat(r) : float(r);
  };
}

function mathLog(args: PyVal[]): PyVal {
  const x = realArg(args[0]!);
  if (x <= 0) throw domain();
  if (args.length < 2) return float(Math.log(x));
  const b = realArg(args[1]!);
  if (b <= 0) throw domain();
  const den = Math.log(b);
  if (den === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
  return float(Math.log(x) / den);
}

interface BuiltinDef {
  /** Allowed positional argument counts [min, max]. */
  arity: [number, number];
  fn: (args: PyVal[]) => PyVal;
}

const MATH: [string, BuiltinDef][] = [
  ['cos', { arity: [1, 1], fn: unary(Math.cos, Number.isFinite) }],
  ['sin', { arity: [1, 1], fn: unary(Math.sin, Number.isFinite) }],
  ['tan', { arity: [1, 1], fn: unary(Math.tan, Number.isFinite) }],
  ['acos', { arity: [1, 1], fn: unary(Math.acos, (x) => x >= -1 && x <= 1) }],
  ['asin', { arity: [1, 1], fn: unary(Math.asin, (x) => x >= -1 && x <= 1) }],
  ['atan', { arity: [1, 1], fn: unary(Math.atan) }],
  ['atan2', { arity: [2, 2], fn: (a) => float(Math.atan2(realArg(a[0]!), realArg(a[1]!))) }],
  ['cosh', { arity: [1, 1], fn: unary(Math.cosh, () => true, true) }],
  ['sinh', { arity: [1, 1], fn: unary(Math.sinh, () => true, true) }],
  ['tanh', { arity: [1, 1], fn: unary(Math.tanh) }],
  ['exp', { arity: [1, 1], fn: unary(Math.exp, () => true, true) }],
  ['expm1', { arity: [1, 1], fn: unary(Math.expm1, () => true, true) }],
  ['log', { arity: [1, 2], fn: mathLog }],
  ['log2', { arity: [1, 1], fn: unary(Math.log2, (x) => x > 0) }],
  ['log10', { arity: [1, 1], fn: unary(Math.log10, (x) => x > 0) }],
  ['log1p', { arity: [1, 1], fn: unary(Math.log1p, (x) => x > -1) }],
  ['sqrt', { arity: [1, 1], fn: unary(Math.sqrt, (x) => x >= 0) }],
  ['fabs', { arity: [1, 1], fn: unary(Math.abs) }],
  ['degrees', { arity: [1, 1], fn: unary((x) => x * (180 / Math.PI)) }],
  ['radians', { arity: [1, 1], fn: unary((x) => x * (Math.PI / 180)) }],
  ['floor', { arity: [1, 1], fn: (a) => (a[0]!.k === 'int' || a[0]!.k === 'bool' ? mkInt(numOf(a[0]!)!) : toIntFromFloat(Math.floor(realArg(a[0]!)))) }],
  ['ceil', { arity: [1, 1], fn: (a) => (a[0]!.k === 'int' || a[0]!.k === 'bool' ? mkInt(numOf(a[0]!)!) : toIntFromFloat(Math.ceil(realArg(a[0]!)))) }],
  ['trunc', { arity: [1, 1], fn: (a) => toIntFromFloat(Math.trunc(realArg(a[0]!))) }],
  ['pow', { arity: [2, 2], fn: mathPow }],
  ['hypot', { arity: [0, 16], fn: (a) => mathFloat(Math.hypot(...a.map(realArg))) }],
  ['copysign', { arity: [2, 2], fn: (a) => { const x = Math.abs(realArg(a[0]!)); const y = realArg(a[1]!); return float(y < 0 || Object.is(y, -0) ? -x : x); } }],
  ['fmod', { arity: [2, 2], fn: (a) => { const y = realArg(a[1]!); if (y === 0) throw domain(); return float(realArg(a[0]!) % y); } }],
  ['isnan', { arity: [1, 1], fn: (a) => bool(Number.isNaN(realArg(a[0]!))) }],
  ['isinf', { arity: [1, 1], fn: (a) => { const x = realArg(a[0]!); return bool(!Number.isFinite(x) && !Number.isNaN(x)); } }],
  ['isfinite', { arity: [1, 1], fn: (a) => bool(Number.isFinite(realArg(a[0]!))) }],
];

function mathPow(a: PyVal[]): PyVal {
  const x = realArg(a[0]!);
  const y = realArg(a[1]!);
  if (x === 0 && y < 0) throw domain();
  if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) throw domain();
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new PyError('OverflowError', 'math range error');
  return float(r);
}

/** Constants of `math` (and the same names under numpy, which users mix in). */
export const MATH_CONSTANTS = new Map<string, PyVal>([
  ['pi', float(Math.PI)], ['e', float(Math.E)], ['tau', float(2 * Math.PI)], ['inf', float(Infinity)], ['nan', float(NaN)],
]);

/** Elements of an iterable value (list, tuple, dict keys, str characters). */
export function iterate(v: PyVal): PyVal[] {
  switch (v.k) {
    case 'list': return v.items;
    case 'dict': return v.entries.map(([k]) => k);
    case 'str': return [...v.v].map(str);
    default: throw typeErr(`'${typeName(v)}' object is not iterable`);
  }
}

function minMax(name: 'min' | 'max', args: PyVal[]): PyVal {
  if (args.length === 0) throw typeErr(`${name} expected at least 1 argument, got 0`);
  const items = args.length === 1 ? iterate(args[0]!) : args;
  if (items.length === 0) throw valueErr(`${name}() arg is an empty sequence`);
  let best = items[0]!;
  for (let i = 1; i < items.length; i++) {
    const x = items[i]!;
    // Python keeps the first of equal items: replace only on a strict improvement.
    if (truthy(compareOp(name === 'min' ? '<' : '>', x, best))) best = x;
  }
  return best;
}

/** Python's round-half-even `round(x, n)`, using the exact decimal value of the double. */
function roundFloat(x: number, n: number): number {
  if (!Number.isFinite(x)) return x;
  if (n > 300) return x;
  if (n < -300) return 0 * x;
  if (Math.abs(x) >= 1e21) return x;
  // toFixed(100) gives the exact decimal expansion for |x| < 1e21 (the spec requires exactness).
  const exact = Math.abs(x).toFixed(100);
  const [ip, fp] = exact.split('.') as [string, string];
  const digits = ip + fp;
  const pointPos = ip.length + n; // number of digits kept
  if (pointPos < 0) return 0 * x;
  const kept = digits.slice(0, pointPos) || '0';
  const rest = digits.slice(pointPos);
  let k = BigInt(kept);
  const first = rest[0] ?? '0';
  const tail = rest.slice(1);
  if (first > '5' || (first === '5' && /[1-9]/.test(tail)) || (first === '5' && !/[1-9]/.test(tail) && (k % 2n === 1n))) k += 1n;
  const s = k.toString();
  const scaled = n >= 0 ? Number(`${s}e-${n}`) : Number(`${s}e${-n}`);
  return x < 0 ? -scaled : scaled;
}

function roundBuiltin(args: PyVal[]): PyVal {
  const v = args[0]!;
  const nd = args[1];
  if (v.k === 'int' || v.k === 'bool') {
    const x = numOf(v)!;
    if (!nd || nd.k === 'none') return mkInt(x);
    const n = numOf(nd);
    if (n === null || nd.k === 'float') throw typeErr(`'${typeName(nd)}' object cannot be interpreted as an integer`);
    if (n >= 0) return mkInt(x);
    const m = Math.pow(10, -n);
    const q = Math.floor(x / m);
    const r = x - q * m;
    const up = r * 2 > m || (r * 2 === m && q % 2 !== 0);
    return mkInt((up ? q + 1 : q) * m);
  }
  if (v.k !== 'float') throw typeErr(`type ${typeName(v)} doesn't define __round__ method`);
  if (!nd || nd.k === 'none') {
    if (Number.isNaN(v.v)) throw valueErr('cannot convert float NaN to integer');
    if (!Number.isFinite(v.v)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return mkInt(roundFloat(v.v, 0));
  }
  const n = numOf(nd);
  if (n === null || nd.k === 'float') throw typeErr(`'${typeName(nd)}' object cannot be interpreted as an integer`);
  return float(roundFloat(v.v, n));
}

function intBuiltin(args: PyVal[]): PyVal {
  if (args.length === 0) return int(0);
  const v = args[0]!;
  if (v.k === 'int' || v.k === 'bool') return mkInt(numOf(v)!);
  if (v.k === 'float') return toIntFromFloat(v.v);
  if (v.k === 'str') {
    const t = v.v.trim().replace(/_/g, '');
    if (/^[+-]?\d+$/.test(t)) return mkInt(Number(t));
    throw valueErr(`invalid literal for int() with base 10: ${strRepr(v.v)}`);
  }
  throw typeErr(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
}

function floatBuiltin(args: PyVal[]): PyVal {
  if (args.length === 0) return float(0);
  const v = args[0]!;
  const n = numOf(v);
  if (n !== null) return float(n);
  if (v.k === 'str') {
    const t = v.v.trim().toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(t)) return float(t.startsWith('-') ? -Infinity : Infinity);
    if (/^[+-]?nan$/.test(t)) return float(NaN);
    if (/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(t)) return float(Number(t.replace(/_/g, '')));
    throw valueErr(`could not convert string to float: ${strRepr(v.v)}`);
  }
  throw typeErr(`float() argument must be a string or a real number, not '${typeName(v)}'`);
}

function sumBuiltin(args: PyVal[]): PyVal {
  let acc: PyVal = args[1] ?? int(0);
  for (const x of iterate(args[0]!)) acc = binaryOp('+', acc, x);
  return acc;
}

function rangeBuiltin(args: PyVal[]): PyVal {
  const ns = args.map((a) => {
    if (a.k !== 'int' && a.k !== 'bool') throw typeErr(`'${typeName(a)}' object cannot be interpreted as an integer`);
    return numOf(a)!;
  });
  const [start, stop, step] = ns.length === 1 ? [0, ns[0]!, 1] : [ns[0]!, ns[1]!, ns[2] ?? 1];
  if (step === 0) throw valueErr('range() arg 3 must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > MAX_SEQ) throw new PyError('BudgetExceeded', `range of ${n} items is too long to evaluate`);
  const items: PyVal[] = [];
  for (let i = 0; i < n; i++) items.push(int(start + i * step));
  return { k: 'list', items, tuple: false };
}

function strBuiltin(args: PyVal[]): PyVal {
  const v = args[0];
  if (!v) return str('');
  switch (v.k) {
    case 'str': return v;
    case 'int': return str(String(v.v));
    case 'float': return str(floatRepr(v.v));
    case 'bool': return str(v.v ? 'True' : 'False');
    case 'none': return str('None');
    default: throw new PyError('BudgetExceeded', `str() of a ${typeName(v)} is not evaluated`);
  }
}

/** `bisect.bisect_right(a, x)` / `bisect_left`: common in step-wise lr lambdas. */
function bisect(right: boolean) {
  return (args: PyVal[]): PyVal => {
    const items = iterate(args[0]!);
    const x = args[1]!;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const goRight = right ? !truthy(compareOp('<', x, items[mid]!)) : truthy(compareOp('<', items[mid]!, x));
      if (goRight) lo = mid + 1;
      else hi = mid;
    }
    return int(lo);
  };
}

const TYPE_NAMES = new Set(['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict']);

/** `isinstance(x, T)` for the builtin types (bool is an int, as in Python). */
function isInstance(args: PyVal[]): PyVal {
  const [v, t] = args as [PyVal, PyVal];
  const types = t.k === 'list' && t.tuple ? t.items : [t];
  return bool(types.some((ty) => {
    if (ty.k !== 'builtin' || !TYPE_NAMES.has(ty.name)) throw typeErr('isinstance() arg 2 must be a type, a tuple of types, or a union');
    const actual = typeName(v);
    return actual === ty.name || (ty.name === 'int' && actual === 'bool');
  }));
}

function zip(args: PyVal[]): PyVal {
  const seqs = args.map(iterate);
  const n = seqs.length ? Math.min(...seqs.map((x) => x.length)) : 0;
  const items: PyVal[] = [];
  for (let i = 0; i < n; i++) items.push({ k: 'list', items: seqs.map((x) => x[i]!), tuple: true });
  return { k: 'list', items, tuple: false };
}

function sorted(args: PyVal[]): PyVal {
  const items = [...iterate(args[0]!)];
  // Stable merge order as Python's sort; comparisons raise Python's TypeError on mixed types.
  items.sort((a, b) => (truthy(compareOp('<', a, b)) ? -1 : truthy(compareOp('<', b, a)) ? 1 : 0));
  return { k: 'list', items, tuple: false };
}

const BUILTINS: [string, BuiltinDef][] = [
  ['isinstance', { arity: [2, 2], fn: isInstance }],
  ['enumerate', { arity: [1, 2], fn: (a) => {
    const start = a[1] ? numOf(a[1]) ?? 0 : 0;
    return { k: 'list', items: iterate(a[0]!).map((x, i) => ({ k: 'list', items: [int(start + i), x], tuple: true })), tuple: false };
  } }],
  ['zip', { arity: [0, 16], fn: zip }],
  ['sorted', { arity: [1, 1], fn: sorted }],
  ['reversed', { arity: [1, 1], fn: (a) => ({ k: 'list', items: [...iterate(a[0]!)].reverse(), tuple: false }) }],
  ['any', { arity: [1, 1], fn: (a) => bool(iterate(a[0]!).some((x) => truthy(x) === true)) }],
  ['all', { arity: [1, 1], fn: (a) => bool(iterate(a[0]!).every((x) => truthy(x) === true)) }],
  ['min', { arity: [1, 1000], fn: (a) => minMax('min', a) }],
  ['max', { arity: [1, 1000], fn: (a) => minMax('max', a) }],
  ['abs', { arity: [1, 1], fn: (a) => {
    const v = a[0]!;
    const n = numOf(v);
    if (n === null) throw typeErr(`bad operand type for abs(): '${typeName(v)}'`);
    return v.k === 'float' ? float(Math.abs(n)) : v.k === 'int' && v.np ? makeNpInt(Math.abs(n), v.np) : mkInt(Math.abs(n));
  } }],
  ['round', { arity: [1, 2], fn: roundBuiltin }],
  ['int', { arity: [0, 1], fn: intBuiltin }],
  ['float', { arity: [0, 1], fn: floatBuiltin }],
  ['bool', { arity: [0, 1], fn: (a) => (a.length ? bool(truthy(a[0]!) ?? false) : FALSE) }],
  ['str', { arity: [0, 1], fn: strBuiltin }],
  ['len', { arity: [1, 1], fn: (a) => {
    const v = a[0]!;
    if (v.k === 'list') return int(v.items.length);
    if (v.k === 'dict') return int(v.entries.length);
    if (v.k === 'str') return int([...v.v].length);
    throw typeErr(`object of type '${typeName(v)}' has no len()`);
  } }],
  ['sum', { arity: [1, 2], fn: sumBuiltin }],
  ['range', { arity: [1, 3], fn: rangeBuiltin }],
  ['list', { arity: [0, 1], fn: (a) => ({ k: 'list', items: a.length ? [...iterate(a[0]!)] : [], tuple: false }) }],
  ['tuple', { arity: [0, 1], fn: (a) => ({ k: 'list', items: a.length ? [...iterate(a[0]!)] : [], tuple: true }) }],
  ['pow', { arity: [2, 2], fn: (a) => binaryOp('**', a[0]!, a[1]!) }],
  ['divmod', { arity: [2, 2], fn: (a) => ({ k: 'list', items: [binaryOp('//', a[0]!, a[1]!), binaryOp('%', a[0]!, a[1]!)], tuple: true }) }],
];

const BISECT: [string, BuiltinDef][] = [
  ['bisect.bisect_right', { arity: [2, 2], fn: bisect(true) }],
  ['bisect.bisect', { arity: [2, 2], fn: bisect(true) }],
  ['bisect.bisect_left', { arity: [2, 2], fn: bisect(false) }],
];

/**
 * numpy's functions on Python scalars (`np.ceil(steps / per_collect) * epochs`), as numpy computes them:
 * IEEE results instead of math's domain errors (`np.sqrt(-1)` is nan, `np.log(0)` -inf), floats from
 * the rounding functions (`np.ceil(2.5)` is 3.0, a float64), `np.round` rounding half to even by
 * numpy's own algorithm (multiply by 10**decimals, rint, divide), `np.minimum`/`np.maximum` keeping ints
 * for ints and propagating nan, and the scalar types as casts where the value is exact (`np.int64(3.7)`
 * is 3; `np.float32(x)` only when x is a float32 already). Arrays are not evaluated (calls.ts).
 */
const npFloat = (f: (x: number) => number): BuiltinDef => ({ arity: [1, 1], fn: (a) => float(f(realArg(a[0]!))) });
/** rint: round half to even. */
function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
function npRound(a: PyVal[]): PyVal {
  const x = a[0]!;
  const d = a.length > 1 ? a[1]! : int(0);
  if (d.k !== 'int') throw typeErr(`'${typeName(d)}' object cannot be interpreted as an integer`);
  if (x.k === 'int' || x.k === 'bool') {
    if (d.v >= 0) return makeNpInt(numOf(x)!, 'int64');
    const f = 10 ** -d.v;
    return makeNpInt(rint(numOf(x)! / f) * f, 'int64');
  }
  const v = realArg(x);
  if (d.v >= 0) {
    const f = 10 ** d.v;
    return float(rint(v * f) / f);
  }
  const f = 10 ** -d.v;
  return float(rint(v / f) * f);
}
function npMinMax(max: boolean): BuiltinDef {
  return {
    arity: [2, 2], fn: (a) => {
      const [x, y] = [realArg(a[0]!), realArg(a[1]!)];
      const r = Number.isNaN(x) || Number.isNaN(y) ? NaN : max ? Math.max(x, y) : Math.min(x, y);
      return a.every((v) => v.k === 'int' || v.k === 'bool') ? makeNpInt(r, 'int64') : float(r);
    },
  };
}
/** `np.int64(x)` / `np.int32(x)`: a numpy integer scalar (values.ts npInt), not a Python int. */
const npIntOf = (np: NumpyInt): BuiltinDef => ({
  arity: [0, 1], fn: (a) => {
    if (!a.length) return makeNpInt(0, np);
    if (a[0]!.k === 'str') throw new PyError('BudgetExceeded', 'numpy integer from a string is not evaluated');
    const i = toIntFromFloat(Math.trunc(realArg(a[0]!))) as PyVal & { k: 'int' };
    return makeNpInt(i.v, np);
  },
});
const npFloat64: BuiltinDef = { arity: [0, 1], fn: (a) => (a.length ? float(realArg(a[0]!)) : float(0)) };
const npFloat32: BuiltinDef = {
  arity: [0, 1], fn: (a) => {
    const x = a.length ? realArg(a[0]!) : 0;
    if (Math.fround(x) !== x && !Number.isNaN(x)) throw new PyError('BudgetExceeded', `np.float32(${floatRepr(x)}) rounds to float32 precision, which is not evaluated`);
    return { k: 'float', v: x, np: 'float32' };
  },
};
const NUMPY: [string, BuiltinDef][] = [
  ...(['cos', 'sin', 'tan', 'arccos', 'arcsin', 'arctan', 'cosh', 'sinh', 'tanh', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt'] as const)
    .map((n): [string, BuiltinDef] => [n, npFloat(Math[n.replace(/^arc/, 'a') as 'cos'])]),
  ['exp2', npFloat((x) => 2 ** x)],
  ['deg2rad', npFloat((x) => x * (Math.PI / 180))], ['rad2deg', npFloat((x) => x * (180 / Math.PI))],
  ['floor', npFloat(Math.floor)], ['ceil', npFloat(Math.ceil)], ['trunc', npFloat(Math.trunc)], ['rint', npFloat(rint)],
  ['round', { arity: [1, 2], fn: npRound }], ['around', { arity: [1, 2], fn: npRound }],
  ['minimum', npMinMax(false)], ['maximum', npMinMax(true)],
  ['int64', npIntOf('int64')], ['int32', npIntOf('int32')], ['int_', npIntOf('int64')],
  ['float64', npFloat64], ['float_', npFloat64], ['double', npFloat64], ['float32', npFloat32],
];

const TABLE = new Map<string, BuiltinDef>([
  ...BUILTINS, ...BISECT,
  ...MATH.map(([n, d]) => [`math.${n}`, d] as [string, BuiltinDef]),
  ...NUMPY.map(([n, d]) => [`numpy.${n}`, d] as [string, BuiltinDef]),
]);

/** Builtin names that resolve without an import. */
export const BUILTIN_NAMES = new Set(BUILTINS.map(([n]) => n));

/** Is `name` (e.g. `max`, `math.cos`) a function we can evaluate? */
export function isKnownBuiltin(name: string): boolean {
  return TABLE.has(name);
}

/** Calls a known builtin on known positional arguments; Python exceptions are thrown as PyError. */
export function callBuiltin(name: string, args: PyVal[]): PyVal {
  const def = TABLE.get(name);
  if (!def) throw new PyError('BudgetExceeded', `\`${name}()\` is not evaluated`);
  const short = name.slice(name.lastIndexOf('.') + 1);
  const [lo, hi] = def.arity;
  if (args.length < lo || args.length > hi) {
    if (lo === hi) throw typeErr(`${short}() takes exactly ${lo === 1 ? 'one argument' : `${lo} arguments`} (${args.length} given)`);
    throw typeErr(`${short} expected at ${args.length < lo ? 'least' : 'most'} ${args.length < lo ? lo : hi} argument${(args.length < lo ? lo : hi) === 1 ? '' : 's'}, got ${args.length}`);
  }
  return def.fn(args);
}

