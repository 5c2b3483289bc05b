/**
 * Python value semantics the engine needs to reproduce torch's behaviour and texts:
 * `repr`/`str` of arguments, type names, numeric coercion, and the exact
 * ZeroDivisionError wording of CPython 3.11.
 */
import { PyError, type Arg, type Blame } from './types';

/** Python's `repr()` of a float: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument yields the shortest round-trip digits (ECMA-262 Number::toString rules).
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
  if (!m) return String(x);
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const exp = Number(m[4]);
  // CPython's float_repr_style 'short': fixed notation when -4 <= exp < 16.
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp);
  return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

/** Python's `repr()` of an int (JS numbers hold every int torch arguments use exactly). */
function pyIntRepr(x: number): string {
  if (!Number.isFinite(x)) return pyFloatRepr(x);
  if (Math.abs(x) < 1e21) return x.toFixed(0);
  return BigInt(x).toString();
}

/** Python's `repr()` of a str: single quotes unless the text has ' and no ". */
export function pyStrRepr(s: string): string {
  // Python prefers single quotes and switches to double quotes when the text has ' but no ".
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** Python's `repr()` of an argument value, e.g. `5`, `2.0`, `1e-05`, `'cos'`, `[1, 2]`, `(0.9, 0.999)`, `None`. */
export function pyRepr(arg: Arg): string {
  switch (arg.kind) {
    case 'int': return pyIntRepr(arg.value);
    case 'float': return pyFloatRepr(arg.value);
    case 'bool': return arg.value ? 'True' : 'False';
    case 'str': return pyStrRepr(arg.value);
    case 'none': return 'None';
    case 'list': {
      const inner = arg.items.map(pyRepr).join(', ');
      if (!arg.tuple) return `[${inner}]`;
      return arg.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    case 'dict': return `{${arg.entries.map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
    case 'func': return `<function ${arg.name}>`;
    case 'scheduler': return '<scheduler object>';
    case 'optimizer': return '<optimizer object>';
    case 'object': return `<${arg.typeName} object>`;
  }
}

/** Python's `str()`: what `"{}".format(x)` prints (differs from repr only for strings). */
export function pyStr(arg: Arg): string {
  return arg.kind === 'str' ? arg.value : pyRepr(arg);
}

/** `type(x).__name__` for an argument value. */
export function pyTypeName(arg: Arg): string {
  switch (arg.kind) {
    case 'int': return 'int';
    case 'float': return 'float';
    case 'bool': return 'bool';
    case 'str': return 'str';
    case 'none': return 'NoneType';
    case 'list': return arg.tuple ? 'tuple' : 'list';
    case 'dict': return 'dict';
    case 'func': return 'function';
    case 'scheduler': return 'LRScheduler';
    case 'optimizer': return 'Optimizer';
    case 'object': return arg.typeName;
  }
}

/** True for values Python treats as numbers in arithmetic (bool is an int subclass). */
export function isNumeric(a: Arg): a is Extract<Arg, { kind: 'int' | 'float' | 'bool' }> {
  return a.kind === 'int' || a.kind === 'float' || a.kind === 'bool';
}

/** `isinstance(x, int)`: ints and bools. */
/** torch's `isinstance(x, int)`: a Python int or bool; a numpy integer scalar is not one (Python 3). */
export function isInstanceInt(a: Arg): boolean {
  return (a.kind === 'int' && !a.numpy) || a.kind === 'bool';
}

export function isPyInt(a: Arg): boolean {
  return a.kind === 'int' || a.kind === 'bool';
}

/** The numeric value of an argument; TypeError (as math functions word it) for anything else. */
export function toNumber(a: Arg, param?: string): number {
  if (a.kind === 'int' || a.kind === 'float') return a.value;
  if (a.kind === 'bool') return a.value ? 1 : 0;
  throw new PyError('TypeError', `must be real number, not ${pyTypeName(a)}`, param);
}

/** Python's TypeError for an ordering comparison between a non-number and a number (`rule`: the check it is part of). */
export function compareError(op: string, a: Arg, rhsType: string, param?: string, rule?: string): PyError {
  return new PyError('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${rhsType}'`, param, rule);
}

/** Python's AttributeError for `obj.attr` on an object of type `typeName` without it. */
export function noAttribute(typeName: string, attr: string, param?: string, rule?: string): PyError {
  return new PyError('AttributeError', `'${typeName}' object has no attribute '${attr}'`, param, rule);
}

/** Python's TypeError for `'text' + x` with a non-str x. */
export function concatError(a: Arg, param: string, rule?: string): PyError {
  return new PyError('TypeError', `can only concatenate str (not "${pyTypeName(a)}") to str`, param, rule);
}

/** A number argument for a comparison such as `x <= 0`: TypeError with Python's text for non-numbers. */
export function comparable(a: Arg, op: string, rhsType: string, param?: string, rule?: string): number {
  if (isNumeric(a)) return toNumber(a);
  throw compareError(op, a, rhsType, param, rule);
}

/** CPython 3.11's ZeroDivisionError texts for `/` on floats and on two ints, `0.0 ** negative` and `x % 0`. */
export const ZERO_DIV_FLOAT = 'float division by zero';
export const ZERO_DIV_INT = 'division by zero';
export const NEGATIVE_POWER = '0.0 cannot be raised to a negative power';
export function moduloByZero(intOperands: boolean): string {
  return intOperands ? 'integer modulo by zero' : 'float modulo';
}

/** A ZeroDivisionError, with the rule of the check whose arithmetic raises it (`blame`). */
export function zeroDivision(message: string, blame?: Blame): PyError {
  return new PyError('ZeroDivisionError', message, blame?.param, blame?.rule);
}

/** Python's `a / b` on floats: raises instead of producing inf/nan. */
export function pyDiv(a: number, b: number, blame?: Blame): number {
  if (b === 0) throw zeroDivision(ZERO_DIV_FLOAT, blame);
  return a / b;
}

/** Python's `a ** b` on floats for the cases torch reaches (0.0 to a negative power raises). */
export function pyPow(a: number, b: number, blame?: Blame): number {
  if (a === 0 && b < 0) throw zeroDivision(NEGATIVE_POWER, blame);
  return Math.pow(a, b);
}

/** Python's floored modulo; `intOperands` selects the ZeroDivisionError text. */
export function pyMod(a: number, b: number, intOperands: boolean, blame?: Blame): number {
  if (b === 0) throw zeroDivision(moduloByZero(intOperands), blame);
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/** Python's `a // b`; `intOperands` selects the ZeroDivisionError text. */
export function pyFloorDiv(a: number, b: number, intOperands: boolean, blame?: Blame): number {
  if (b === 0) throw zeroDivision(intOperands ? 'integer division or modulo by zero' : 'float floor division by zero', blame);
  return Math.floor(a / b);
}

/** `bisect.bisect_right` on a sorted number array. */
export function bisectRight(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Python truthiness of an argument value (`if cycle_momentum:`). */
export function pyTruthy(a: Arg): boolean {
  switch (a.kind) {
    case 'bool': return a.value;
    case 'int': case 'float': return a.value !== 0;
    case 'str': return a.value.length > 0;
    case 'none': return false;
    case 'list': return a.items.length > 0;
    case 'dict': return a.entries.length > 0;
    default: return true;
  }
}

/** Python's `float(x)`: numbers, numeric strings; TypeError/ValueError with CPython's texts otherwise. */
export function pyFloat(a: Arg, param?: string): number {
  if (isNumeric(a)) return toNumber(a);
  if (a.kind === 'str') {
    const t = a.value.trim().replace(/_/g, '');
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
    if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
    throw new PyError('ValueError', `could not convert string to float: ${pyRepr(a)}`, param);
  }
  throw new PyError('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(a)}'`, param);
}
