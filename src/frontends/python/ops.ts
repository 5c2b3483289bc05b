/**
 * Python operators on known values, with CPython 3.11's semantics and error
 * texts: floor division and modulo follow the divisor's sign, `/` always gives a
 * float, `int ** negative` gives a float, bool is an int. Unknown operands are
 * handled by the caller (they never reach here).
 */
import { PyError } from '../../engine/types';
import { PyVal, bool, float, mkInt, npInt, numOf, ownBehaviour, sameValue, str, typeName, tooLarge, truthy, unknown, type NumpyInt } from './values';

const typeErr = (msg: string) => new PyError('TypeError', msg);
const zeroDiv = (msg: string) => new PyError('ZeroDivisionError', msg);

function isIntLike(v: PyVal): boolean {
  return v.k === 'int' || v.k === 'bool';
}

function unsupported(op: string, a: PyVal, b: PyVal): PyError {
  return typeErr(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** CPython's float_divmod: (floor quotient, modulo with the divisor's sign). */
function floatDivmod(a: number, b: number): [number, number] {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod) {
    if ((b < 0) !== (mod < 0)) {
      mod += b;
      div -= 1;
    }
  } else {
    mod = b < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    // copysign(0.0, a / b)
    const q = a / b;
    floordiv = q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

function floatResult(x: number): PyVal {
  return float(x);
}

function power(a: PyVal, b: PyVal, x: number, y: number): PyVal {
  if (isIntLike(a) && isIntLike(b) && y >= 0) {
    // Exact int power: reject before computing when the result cannot be exact.
    if (x !== 0 && Math.abs(x) !== 1 && y * Math.log2(Math.abs(x)) > 53) throw tooLarge();
    return mkInt(Math.pow(x, y));
  }
  if (x === 0 && y < 0) throw zeroDiv('0.0 cannot be raised to a negative power');
  if (x < 0 && !Number.isInteger(y)) {
    throw new PyError('BudgetExceeded', 'the result is a complex number');
  }
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new PyError('OverflowError', "(34, 'Numerical result out of range')");
  }
  return floatResult(r);
}

/** float32 arithmetic rounds to float32, or not, depending on numpy's version (NEP 50): not evaluated. */
const float32Maths = (): PyError => new PyError('BudgetExceeded', 'arithmetic on a numpy float32 (its precision depends on the numpy version) is not evaluated');

/** The numpy integer type of an operation on `vals` (int64 wins over int32), or null when none is a numpy int. */
function numpyOf(a: PyVal, b?: PyVal): NumpyInt | null {
  const x = a.k === 'int' ? a.np : undefined;
  const y = b?.k === 'int' ? b.np : undefined;
  return x === 'int64' || y === 'int64' ? 'int64' : x ?? y ?? null;
}

/**
 * `a op b` for a binary operator token (`+`, `-`, `*`, `/`, `//`, `%`, `**`, `&`, `|`, `^`, `<<`, `>>`). With a numpy
 * integer operand an int result is numpy's (values.ts npInt); numpy's integer division by zero (a RuntimeWarning, no
 * exception) is not evaluated, and an integer to a negative integer power raises numpy's ValueError.
 */
export function binaryOp(op: string, a: PyVal, b: PyVal): PyVal {
  const own = ownBehaviour(a) ?? ownBehaviour(b);
  if (own) return notEvaluated(op, own);
  if ((a.k === 'float' && a.np) || (b.k === 'float' && b.np)) throw float32Maths();
  const np = numpyOf(a, b);
  if (!np) return pythonBinary(op, a, b);
  const x = numOf(a);
  const y = numOf(b);
  if (x !== null && y === 0 && (op === '/' || op === '//' || op === '%')) {
    throw new PyError('BudgetExceeded', 'numpy\'s division by zero (a RuntimeWarning and inf / nan / 0, no ZeroDivisionError) is not evaluated');
  }
  if (op === '**' && isIntLike(a) && isIntLike(b) && y !== null && y < 0) throw new PyError('ValueError', 'Integers to negative integer powers are not allowed.');
  const r = pythonBinary(op, a, b);
  return r.k === 'int' ? npInt(r.v, np) : r;
}

function pythonBinary(op: string, a: PyVal, b: PyVal): PyVal {
  const x = numOf(a);
  const y = numOf(b);
  if (x !== null && y !== null) {
    const ints = isIntLike(a) && isIntLike(b);
    switch (op) {
      case '+': return ints ? mkInt(x + y) : floatResult(x + y);
      case '-': return ints ? mkInt(x - y) : floatResult(x - y);
      case '*': return ints ? mkInt(x * y) : floatResult(x * y);
      case '/':
        if (y === 0) throw zeroDiv(ints ? 'division by zero' : 'float division by zero');
        return floatResult(x / y);
      case '//':
        if (y === 0) throw zeroDiv(ints ? 'integer division or modulo by zero' : 'float floor division by zero');
        return ints ? mkInt(Math.floor(x / y)) : floatResult(floatDivmod(x, y)[0]);
      case '%':
        if (y === 0) throw zeroDiv(ints ? 'integer modulo by zero' : 'float modulo');
        if (ints) return mkInt(((x % y) + y) % y);
        return floatResult(floatDivmod(x, y)[1]);
      case '**': return power(a, b, x, y);
      case '&': case '|': case '^': case '<<': case '>>':
        if (!ints) throw unsupported(op, a, b);
        return bitOp(op, x, y);
      default: throw unsupported(op, a, b);
    }
  }
  // Sequences and strings.
  if (op === '+') {
    if (a.k === 'str' && b.k === 'str') return str(a.v + b.v);
    if (a.k === 'str') throw typeErr(`can only concatenate str (not "${typeName(b)}") to str`);
    if (a.k === 'list' && b.k === 'list' && a.tuple === b.tuple) {
      if (a.items.length + b.items.length > 100_000) throw tooLarge();
      return { k: 'list', items: [...a.items, ...b.items], tuple: a.tuple };
    }
    if (a.k === 'list' && !a.tuple) throw typeErr(`can only concatenate list (not "${typeName(b)}") to list`);
  }
  if (op === '*') {
    const [seq, n] = a.k === 'list' || a.k === 'str' ? [a, b] : [b, a];
    if (seq.k === 'list' || seq.k === 'str') {
      if (!isIntLike(n)) throw typeErr(`can't multiply sequence by non-int of type '${typeName(n)}'`);
      const count = Math.max(0, numOf(n)!);
      const len = seq.k === 'str' ? seq.v.length : seq.items.length;
      if (len * count > 100_000) throw tooLarge();
      if (seq.k === 'str') return str(seq.v.repeat(count));
      const items: PyVal[] = [];
      for (let i = 0; i < count; i++) items.push(...seq.items);
      return { k: 'list', items, tuple: seq.tuple };
    }
  }
  throw unsupported(op, a, b);
}

function bitOp(op: string, x: number, y: number): PyVal {
  if ((op === '<<' || op === '>>') && y < 0) throw new PyError('ValueError', 'negative shift count');
  const bx = BigInt(x);
  const by = BigInt(y);
  let r: bigint;
  switch (op) {
    case '&': r = bx & by; break;
    case '|': r = bx | by; break;
    case '^': r = bx ^ by; break;
    case '<<': if (y > 64) throw tooLarge(); r = bx << by; break;
    default: r = bx >> by; break;
  }
  return mkInt(Number(r));
}

/** An operator on an instance whose class may define it (see `ownBehaviour`): not evaluated, never a TypeError. */
function notEvaluated(op: string, why: string): PyVal {
  return unknown(`\`${op}\` on an instance is not evaluated (${why})`);
}

/** Unary `-`, `+`, `~`. */
export function unaryOp(op: string, a: PyVal): PyVal {
  const own = ownBehaviour(a);
  if (own) return notEvaluated(`unary ${op}`, own);
  if (a.k === 'float' && a.np) throw float32Maths();
  const r = pythonUnary(op, a);
  const np = numpyOf(a);
  return np && r.k === 'int' ? npInt(r.v, np) : r;
}

function pythonUnary(op: string, a: PyVal): PyVal {
  const x = numOf(a);
  if (x === null) throw typeErr(`bad operand type for unary ${op}: '${typeName(a)}'`);
  const isInt = isIntLike(a);
  switch (op) {
    case '-': return isInt ? mkInt(-x) : float(-x);
    case '+': return isInt ? mkInt(x) : float(x);
    case '~':
      if (!isInt) throw typeErr(`bad operand type for unary ~: '${typeName(a)}'`);
      return mkInt(-x - 1);
    default: throw typeErr(`bad operand type for unary ${op}: '${typeName(a)}'`);
  }
}

/** Python `==` on known values (numbers across int/float/bool, sequences element-wise). */
export function pyEquals(a: PyVal, b: PyVal): boolean {
  const x = numOf(a);
  const y = numOf(b);
  if (x !== null && y !== null) return x === y;
  if (a.k === 'list' && b.k === 'list') {
    return a.tuple === b.tuple && a.items.length === b.items.length && a.items.every((v, i) => pyEquals(v, b.items[i]!));
  }
  return sameValue(a, b);
}

function order(op: string, a: PyVal, b: PyVal): number {
  const x = numOf(a);
  const y = numOf(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  if (a.k === 'str' && b.k === 'str') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.k === 'list' && b.k === 'list' && a.tuple === b.tuple) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a.items[i]!, b.items[i]!)) return order(op, a.items[i]!, b.items[i]!);
    }
    return a.items.length - b.items.length;
  }
  throw typeErr(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

function contains(container: PyVal, item: PyVal): boolean {
  switch (container.k) {
    case 'list': return container.items.some((x) => pyEquals(x, item));
    case 'dict': return container.entries.some(([key]) => pyEquals(key, item));
    case 'str':
      if (item.k !== 'str') throw typeErr(`'in <string>' requires string as left operand, not ${typeName(item)}`);
      return container.v.includes(item.v);
    default: throw typeErr(`argument of type '${typeName(container)}' is not iterable`);
  }
}

/** One comparison `a op b` (`<`, `<=`, `==`, `!=`, `>`, `>=`, `in`, `not in`, `is`, `is not`). */
export function compareOp(op: string, a: PyVal, b: PyVal): PyVal {
  const own = op === 'is' || op === 'is not' ? null : ownBehaviour(a) ?? ownBehaviour(b);
  if (own) return notEvaluated(op, own);
  switch (op) {
    case '==': return bool(pyEquals(a, b));
    case '!=': case '<>': return bool(!pyEquals(a, b));
    case '<': return bool(order(op, a, b) < 0);
    case '<=': return bool(order(op, a, b) <= 0);
    case '>': return bool(order(op, a, b) > 0);
    case '>=': return bool(order(op, a, b) >= 0);
    case 'in': return bool(contains(b, a));
    case 'not in': return bool(!contains(b, a));
    case 'is': return bool(identical(a, b));
    case 'is not': return bool(!identical(a, b));
    default: throw typeErr(`unsupported comparison ${op}`);
  }
}

/** `is`: singletons compare by kind/value; other objects only when they are the same reference. */
function identical(a: PyVal, b: PyVal): boolean {
  if (a.k === 'none' || b.k === 'none') return a.k === b.k;
  if (a.k === 'bool' && b.k === 'bool') return a.v === b.v;
  return a === b || (a.k === 'optimizer' && b.k === 'optimizer' && a.index === b.index);
}

/** `not x`, or null when the truth value is unknown. */
export function notOp(a: PyVal): boolean | null {
  const t = truthy(a);
  return t === null ? null : !t;
}
