/**
 * The standard-library functions the evaluator knows: `Math.*`, `Number(…)`,
 * `parseInt`, `Array.from`, `Object.freeze`, and the non-mutating array and
 * string methods. Kinds follow the rule of numbers.ts. Results of user callbacks
 * (`.map(e => …)`) come from the evaluator through `callFn`.
 */
import { mkNum, strictEquals, toNum, toStr } from './ops';
import { bool, float, int, num, obj, str, truthy, UNDEF, type Val } from './values';

/** Calls a function value (user function or builtin); throws as the evaluator does. */
export type CallFn = (f: Val, args: Val[]) => Val;

/** Arrays and strings longer than this are not built (hostile input). */
export const MAX_LENGTH = 100_000;

const MATH_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['PI', Math.PI], ['E', Math.E], ['LN2', Math.LN2], ['LN10', Math.LN10], ['LOG2E', Math.LOG2E],
  ['LOG10E', Math.LOG10E], ['SQRT2', Math.SQRT2], ['SQRT1_2', Math.SQRT1_2],
]);

/** Math functions that return a float whatever their arguments. */
const MATH_FLOAT: ReadonlyMap<string, (...x: number[]) => number> = new Map<string, (...x: number[]) => number>([
  ['sqrt', Math.sqrt], ['cbrt', Math.cbrt], ['exp', Math.exp], ['expm1', Math.expm1], ['log', Math.log],
  ['log2', Math.log2], ['log10', Math.log10], ['log1p', Math.log1p], ['sin', Math.sin], ['cos', Math.cos],
  ['tan', Math.tan], ['asin', Math.asin], ['acos', Math.acos], ['atan', Math.atan], ['atan2', Math.atan2],
  ['sinh', Math.sinh], ['cosh', Math.cosh], ['tanh', Math.tanh], ['asinh', Math.asinh], ['acosh', Math.acosh],
  ['atanh', Math.atanh], ['pow', Math.pow], ['hypot', Math.hypot], ['fround', Math.fround],
]);

/** Math functions whose result is an integer value (Python's math.floor & co. return int). */
const MATH_INT: ReadonlyMap<string, (x: number) => number> = new Map<string, (x: number) => number>([
  ['floor', Math.floor], ['ceil', Math.ceil], ['round', Math.round], ['trunc', Math.trunc], ['clz32', Math.clz32],
]);

const NUMBER_CONSTANTS: ReadonlyMap<string, Val> = new Map<string, Val>([
  ['MAX_SAFE_INTEGER', int(Number.MAX_SAFE_INTEGER)], ['MIN_SAFE_INTEGER', int(Number.MIN_SAFE_INTEGER)],
  ['EPSILON', float(Number.EPSILON)], ['MAX_VALUE', float(Number.MAX_VALUE)], ['MIN_VALUE', float(Number.MIN_VALUE)],
  ['POSITIVE_INFINITY', float(Infinity)], ['NEGATIVE_INFINITY', float(-Infinity)], ['NaN', float(NaN)],
]);

const GLOBAL_FUNCS = new Set(['parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Number', 'String', 'Boolean', 'require']);
const NAMESPACES = new Set(['Math', 'Number', 'Array', 'Object']);
const NAMESPACE_FUNCS = new Set(['Number.isInteger', 'Number.isFinite', 'Number.isNaN', 'Number.isSafeInteger',
  'Number.parseInt', 'Number.parseFloat', 'Array.from', 'Array.of', 'Array.isArray', 'Object.freeze', 'Object.assign',
  'Object.keys', 'Object.values', 'Object.entries', 'Object.fromEntries']);

const ARRAY_METHODS = new Set(['map', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'indexOf', 'includes',
  'slice', 'concat', 'join', 'at', 'forEach']);
const STRING_METHODS = new Set(['toUpperCase', 'toLowerCase', 'trim', 'startsWith', 'endsWith', 'includes', 'indexOf',
  'slice', 'at', 'padStart', 'padEnd']);

/** Global identifiers we model, as shared (immutable) values. */
const GLOBALS: ReadonlyMap<string, Val> = new Map<string, Val>([
  ['undefined', UNDEF], ['NaN', float(NaN)], ['Infinity', float(Infinity)],
  ...[...NAMESPACES, ...GLOBAL_FUNCS].map((name): [string, Val] => [name, { k: 'builtin', name }]),
]);

/** `Math.PI`, `Math.cos`, `Number.EPSILON`, `Array.from`, …, as shared values. */
const MEMBERS: ReadonlyMap<string, Val> = new Map<string, Val>([
  ...[...MATH_CONSTANTS].map(([k, v]): [string, Val] => [`Math.${k}`, float(v)]),
  ...[...MATH_FLOAT.keys(), ...MATH_INT.keys(), 'abs', 'max', 'min', 'sign', 'random']
    .map((k): [string, Val] => [`Math.${k}`, { k: 'builtin', name: `Math.${k}` }]),
  ...[...NUMBER_CONSTANTS].map(([k, v]): [string, Val] => [`Number.${k}`, v]),
  ...[...NAMESPACE_FUNCS].map((name): [string, Val] => [name, { k: 'builtin', name }]),
]);

/** The value of a global identifier we model, or undefined. */
export function globalValue(name: string): Val | undefined {
  return GLOBALS.get(name);
}

/** `Math.PI`, `Math.cos`, `Number.EPSILON`, …; undefined when not modelled. */
export function namespaceMember(ns: string, prop: string): Val | undefined {
  return MEMBERS.get(`${ns}.${prop}`);
}

/** A method of an array, string or number value, bound to it; undefined when not modelled. */
export function methodOf(self: Val, prop: string): Val | undefined {
  if (self.k === 'arr' && ARRAY_METHODS.has(prop)) return { k: 'builtin', name: `Array#${prop}`, self };
  if (self.k === 'str' && STRING_METHODS.has(prop)) return { k: 'builtin', name: `String#${prop}`, self };
  if (self.k === 'num' && prop === 'toFixed') return { k: 'builtin', name: 'Number#toFixed', self };
  return undefined;
}

/** Runs a builtin on known arguments. A string result is the reason it cannot be evaluated. */
export function callBuiltin(name: string, self: Val | undefined, args: Val[], callFn: CallFn): Val | string {
  if (name.startsWith('Math.')) return callMath(name.slice(5), args);
  if (self?.k === 'arr') return callArray(name.slice(6), self.items, args, callFn);
  if (self?.k === 'str') return callString(name.slice(7), self.v, args);
  if (self?.k === 'num' && name === 'Number#toFixed') {
    const d = args[0] ? toNum(args[0]) : { v: 0, int: true };
    if (!d || d.v < 0 || d.v > 100) return '`toFixed` with these digits is not evaluated';
    return str(self.v.toFixed(Math.trunc(d.v)));
  }
  const a0 = args[0] ?? UNDEF;
  switch (name) {
    case 'Number': case 'Number.parseFloat': case 'parseFloat': {
      if (name !== 'Number') {
        const s = toStr(a0);
        return s === null ? 'the argument of `parseFloat` is not a string' : float(parseFloat(s));
      }
      const n = args.length === 0 ? { v: 0, int: true } : toNum(a0);
      return n ? num(n.v, n.int && !Number.isNaN(n.v)) : 'the argument of `Number` is not evaluated';
    }
    case 'parseInt': case 'Number.parseInt': {
      const s = toStr(a0);
      const radix = args[1] ? toNum(args[1]) : null;
      if (s === null) return 'the argument of `parseInt` is not a string';
      const r = parseInt(s, radix ? radix.v : undefined);
      return Number.isNaN(r) ? float(r) : mkNum(r, true);
    }
    case 'isNaN': case 'isFinite': {
      const n = toNum(a0);
      if (!n) return `the argument of \`${name}\` is not evaluated`;
      return bool(name === 'isNaN' ? Number.isNaN(n.v) : Number.isFinite(n.v));
    }
    case 'Number.isInteger': case 'Number.isFinite': case 'Number.isNaN': case 'Number.isSafeInteger': {
      if (a0.k !== 'num') return bool(false);
      const f = name === 'Number.isInteger' ? Number.isInteger : name === 'Number.isFinite' ? Number.isFinite
        : name === 'Number.isNaN' ? Number.isNaN : Number.isSafeInteger;
      return bool(f(a0.v));
    }
    case 'String': {
      const s = args.length === 0 ? '' : toStr(a0);
      return s === null ? 'the argument of `String` is not evaluated' : str(s);
    }
    case 'Boolean': {
      const t = truthy(a0);
      return t === null ? 'the argument of `Boolean` is unknown' : bool(t);
    }
    case 'Array.isArray': return bool(a0.k === 'arr');
    case 'Array.of': return { k: 'arr', items: args.slice() };
    case 'Array.from': return arrayFrom(a0, args[1], callFn);
    case 'Object.freeze': return a0;
    case 'Object.assign': {
      const props = new Map<string, Val>();
      for (const a of args) {
        if (a.k === 'null' || a.k === 'undef') continue;
        if (a.k !== 'obj' || a.partial) return 'the arguments of `Object.assign` are not all known objects';
        for (const [k, v] of a.props) props.set(k, v);
      }
      return obj(props);
    }
    case 'Object.keys': case 'Object.values': case 'Object.entries': {
      if (a0.k !== 'obj' || a0.partial) return `the argument of \`${name}\` is not a known object`;
      const entries = [...a0.props];
      const items = name === 'Object.keys' ? entries.map(([k]) => str(k)) : name === 'Object.values' ? entries.map(([, v]) => v)
        : entries.map(([k, v]): Val => ({ k: 'arr', items: [str(k), v] }));
      return { k: 'arr', items };
    }
    case 'Object.fromEntries': {
      if (a0.k !== 'arr') return 'the argument of `Object.fromEntries` is not a known array';
      const props = new Map<string, Val>();
      for (const e of a0.items) {
        if (e.k !== 'arr' || e.items.length < 2) return 'the entries of `Object.fromEntries` are not pairs';
        const key = toStr(e.items[0]!);
        if (key === null) return 'a key of `Object.fromEntries` is not evaluated';
        props.set(key, e.items[1]!);
      }
      return obj(props);
    }
    default: return `\`${name}\` is not evaluated`;
  }
}

function callMath(fn: string, args: Val[]): Val | string {
  // Fast path for the common one- and two-number calls (an lr_lambda may run millions of times).
  const f = MATH_FLOAT.get(fn);
  if (f && args.length <= 2 && args.every((a) => a.k === 'num')) {
    return float(args.length === 1 ? f((args[0] as { v: number }).v) : f((args[0] as { v: number }).v, (args[1] as { v: number } | undefined)?.v as number));
  }
  const nums: { v: number; int: boolean }[] = [];
  for (const a of args) {
    const n = toNum(a);
    if (!n) return `the arguments of \`Math.${fn}\` are not numbers`;
    nums.push(n);
  }
  const x = nums[0] ?? { v: NaN, int: false };
  if (f) return float(f(...nums.map((n) => n.v)));
  const g = MATH_INT.get(fn);
  if (g) {
    const r = g(x.v);
    return Number.isFinite(r) ? mkNum(r, true) : float(r);
  }
  switch (fn) {
    case 'abs': return num(Math.abs(x.v), x.int);
    case 'sign': return num(Math.sign(x.v), x.int);
    case 'max': case 'min': {
      // Returns the winning operand itself (Python's max/min), so its kind is kept.
      if (nums.length === 0) return float(fn === 'max' ? -Infinity : Infinity);
      let best = nums[0]!;
      for (const n of nums.slice(1)) {
        if (Number.isNaN(n.v) || Number.isNaN(best.v)) return float(NaN);
        if (fn === 'max' ? n.v > best.v : n.v < best.v) best = n;
      }
      return num(best.v, best.int);
    }
    case 'random': return '`Math.random()` is random';
    default: return `\`Math.${fn}\` is not evaluated`;
  }
}

function arrayFrom(src: Val, fn: Val | undefined, callFn: CallFn): Val | string {
  let items: Val[];
  if (src.k === 'arr') items = src.items.slice();
  else if (src.k === 'str') items = [...src.v].map(str);
  else if (src.k === 'obj' && !src.partial) {
    const len = src.props.get('length');
    const n = len ? toNum(len) : null;
    if (!n || !Number.isInteger(n.v) || n.v < 0) return 'the `length` of `Array.from`\'s argument is not a known integer';
    if (n.v > MAX_LENGTH) return 'the array is too long to evaluate';
    items = Array.from({ length: n.v }, () => UNDEF);
  } else return 'the argument of `Array.from` is not evaluated';
  if (!fn || fn.k === 'undef') return { k: 'arr', items };
  return { k: 'arr', items: items.map((x, i) => callFn(fn, [x, int(i)])) };
}

function callArray(m: string, items: Val[], args: Val[], callFn: CallFn): Val | string {
  const f = args[0] ?? UNDEF;
  const each = (x: Val, i: number) => callFn(f, [x, int(i)]);
  const test = (x: Val, i: number): boolean => {
    const t = truthy(each(x, i));
    if (t === null) throw new UnknownTruth();
    return t;
  };
  try {
    switch (m) {
      case 'map': return { k: 'arr', items: items.map(each) };
      case 'forEach': items.forEach(each); return UNDEF;
      case 'filter': return { k: 'arr', items: items.filter(test) };
      case 'some': return bool(items.some(test));
      case 'every': return bool(items.every(test));
      case 'find': return items.find(test) ?? UNDEF;
      case 'findIndex': return int(items.findIndex(test));
      case 'reduce': {
        if (items.length === 0 && args.length < 2) return 'reduce of an empty array with no initial value';
        let acc = args.length >= 2 ? args[1]! : items[0]!;
        for (let i = args.length >= 2 ? 0 : 1; i < items.length; i++) acc = callFn(f, [acc, items[i]!, int(i)]);
        return acc;
      }
      case 'indexOf': case 'includes': {
        const i = items.findIndex((x) => strictEquals(x, f) === true);
        return m === 'indexOf' ? int(i) : bool(i >= 0);
      }
      case 'slice': {
        const a = args[0] ? toNum(args[0]) : null;
        const b = args[1] ? toNum(args[1]) : null;
        return { k: 'arr', items: items.slice(a?.v, b?.v) };
      }
      case 'concat': {
        const out = items.slice();
        for (const a of args) {
          if (a.k === 'arr') out.push(...a.items);
          else out.push(a);
          if (out.length > MAX_LENGTH) return 'the array is too long to evaluate';
        }
        return { k: 'arr', items: out };
      }
      case 'join': {
        const sep = args[0] && args[0].k !== 'undef' ? toStr(args[0]) : ',';
        const parts = items.map((x) => (x.k === 'null' || x.k === 'undef' ? '' : toStr(x)));
        if (sep === null || parts.some((p) => p === null)) return 'the items of `join` are not evaluated';
        return str(parts.join(sep));
      }
      case 'at': {
        const i = toNum(f);
        if (!i) return 'the index of `at` is not a number';
        return items.at(Math.trunc(i.v)) ?? UNDEF;
      }
      default: return `\`Array.prototype.${m}\` is not evaluated`;
    }
  } catch (e) {
    if (e instanceof UnknownTruth) return `the callback of \`${m}\` returns an unknown value`;
    throw e;
  }
}

/** A callback's truth value was unknown (internal to callArray). */
class UnknownTruth extends Error {}

function callString(m: string, s: string, args: Val[]): Val | string {
  const a = args.map((x) => toStr(x));
  if (a.some((x) => x === null)) return `the arguments of \`String.prototype.${m}\` are not evaluated`;
  const n = (i: number) => (args[i] ? toNum(args[i]!)?.v : undefined);
  switch (m) {
    case 'toUpperCase': return str(s.toUpperCase());
    case 'toLowerCase': return str(s.toLowerCase());
    case 'trim': return str(s.trim());
    case 'startsWith': return bool(s.startsWith(a[0] ?? 'undefined'));
    case 'endsWith': return bool(s.endsWith(a[0] ?? 'undefined'));
    case 'includes': return bool(s.includes(a[0] ?? 'undefined'));
    case 'indexOf': return int(s.indexOf(a[0] ?? 'undefined'));
    case 'slice': return str(s.slice(n(0), n(1)));
    case 'at': { const c = s.at(Math.trunc(n(0) ?? 0)); return c === undefined ? UNDEF : str(c); }
    case 'padStart': case 'padEnd': {
      const len = n(0) ?? 0;
      if (len > MAX_LENGTH) return 'the string is too long to evaluate';
      return str(m === 'padStart' ? s.padStart(len, a[1] ?? ' ') : s.padEnd(len, a[1] ?? ' '));
    }
    default: return `\`String.prototype.${m}\` is not evaluated`;
  }
}
