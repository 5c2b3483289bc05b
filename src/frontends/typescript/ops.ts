/**
 * JS operators on known values, with JS's results and the int/float rule of
 * numbers.ts for the kind. Operands are never unknown here (the evaluator
 * propagates unknowns first). A string result means "cannot evaluate, because …".
 */
import { isExactInt, numberFromString } from './numbers';
import { bool, float, int, num, str, type Val } from './values';

/** JS ToNumber for primitives, with the kind; null for values we do not convert (objects, functions). */
export function toNum(v: Val): { v: number; int: boolean } | null {
  switch (v.k) {
    case 'num': return { v: v.v, int: v.int };
    case 'bool': return { v: v.v ? 1 : 0, int: true };
    case 'null': return { v: 0, int: true };
    case 'undef': return { v: NaN, int: false };
    case 'str': { const n = numberFromString(v.v); return { v: n.value, int: n.isInt }; }
    case 'arr':
      if (v.items.length === 0) return { v: 0, int: true };
      if (v.items.length === 1 && (v.items[0]!.k === 'num' || v.items[0]!.k === 'str')) return toNum(v.items[0]!);
      return null;
    default: return null;
  }
}

/** JS ToString for the values string concatenation and templates see; null when not modelled. */
export function toStr(v: Val, depth = 0): string | null {
  switch (v.k) {
    case 'num': return String(v.v);
    case 'str': return v.v;
    case 'bool': return v.v ? 'true' : 'false';
    case 'null': return 'null';
    case 'undef': return 'undefined';
    case 'arr': {
      if (depth > 10) return null;
      const parts: string[] = [];
      for (const x of v.items) {
        const s = x.k === 'null' || x.k === 'undef' ? '' : toStr(x, depth + 1);
        if (s === null) return null;
        parts.push(s);
      }
      return parts.join(',');
    }
    case 'obj': return '[object Object]';
    default: return null;
  }
}

/** A number result, checked: an int that is no longer exact is not evaluated. */
export function mkNum(v: number, isInt: boolean): Val | string {
  if (isInt && !isExactInt(v)) return 'the integer result is too large to evaluate exactly';
  return num(isInt && Object.is(v, -0) ? 0 : v, isInt);
}

/** Longer strings are not built (hostile input doubling a string in a loop). */
const MAX_STRING = 1_000_000;

const int32 = (x: number): number => x | 0;

export function binaryOp(op: string, a: Val, b: Val): Val | string {
  switch (op) {
    case '+': {
      if (a.k === 'str' || b.k === 'str' || a.k === 'arr' || b.k === 'arr' || a.k === 'obj' || b.k === 'obj') {
        const x = toStr(a);
        const y = toStr(b);
        if (x === null || y === null) return 'the operands of `+` are not evaluated';
        if (x.length + y.length > MAX_STRING) return 'the string is too long to evaluate';
        return str(x + y);
      }
      return arith(op, a, b);
    }
    case '-': case '*': case '/': case '%': case '**': return arith(op, a, b);
    case '<': case '>': case '<=': case '>=': {
      if (a.k === 'str' && b.k === 'str') return bool(compare(op, a.v, b.v));
      const x = toNum(a);
      const y = toNum(b);
      if (!x || !y) return `the operands of \`${op}\` are not evaluated`;
      return bool(compare(op, x.v, y.v));
    }
    case '===': case '!==': {
      const eq = strictEquals(a, b);
      if (eq === null) return `\`${op}\` on objects is not evaluated`;
      return bool(op === '===' ? eq : !eq);
    }
    case '==': case '!=': {
      const eq = looseEquals(a, b);
      if (eq === null) return `\`${op}\` on objects is not evaluated`;
      return bool(op === '==' ? eq : !eq);
    }
    case '&': case '|': case '^': case '<<': case '>>': case '>>>': {
      const x = toNum(a);
      const y = toNum(b);
      if (!x || !y) return `the operands of \`${op}\` are not evaluated`;
      const l = x.v;
      const r = y.v;
      switch (op) {
        case '&': return int(int32(l) & int32(r));
        case '|': return int(int32(l) | int32(r));
        case '^': return int(int32(l) ^ int32(r));
        case '<<': return int(int32(l) << int32(r));
        case '>>': return int(int32(l) >> int32(r));
        default: return int(l >>> r);
      }
    }
    default: return `the operator \`${op}\` is not evaluated`;
  }
}

function compare(op: string, x: number | string, y: number | string): boolean {
  switch (op) {
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    default: return x >= y;
  }
}

function arith(op: string, a: Val, b: Val): Val | string {
  const x = toNum(a);
  const y = toNum(b);
  if (!x || !y) return `the operands of \`${op}\` are not numbers`;
  const bothInt = x.int && y.int;
  switch (op) {
    case '+': return mkNum(x.v + y.v, bothInt);
    case '-': return mkNum(x.v - y.v, bothInt);
    case '*': return mkNum(x.v * y.v, bothInt);
    case '/': return float(x.v / y.v);
    // JS's remainder (sign of the dividend); NaN for a zero divisor, which is a float.
    case '%': { const r = x.v % y.v; return Number.isNaN(r) ? float(r) : mkNum(r, bothInt); }
    default: {
      // `**`: int ** non-negative int stays int (as Python); the exponent may be huge, Math.pow is O(1).
      const r = Math.pow(x.v, y.v);
      return mkNum(r, bothInt && y.v >= 0);
    }
  }
}

/** `===` on primitives and identical references; null when it would need object identity we do not track. */
export function strictEquals(a: Val, b: Val): boolean | null {
  if (a.k !== b.k) {
    // sched/optim/fn values of different kinds are different objects; primitives of different types differ.
    return isPrimitive(a) || isPrimitive(b) ? false : null;
  }
  switch (a.k) {
    case 'num': return a.v === (b as typeof a).v;
    case 'str': case 'bool': return a.v === (b as typeof a).v;
    case 'null': case 'undef': return true;
    case 'sched': return a.call === (b as typeof a).call;
    case 'optim': return a.index === (b as typeof a).index;
    default: return a === b ? true : null;
  }
}

function isPrimitive(v: Val): boolean {
  return v.k === 'num' || v.k === 'str' || v.k === 'bool' || v.k === 'null' || v.k === 'undef';
}

function looseEquals(a: Val, b: Val): boolean | null {
  const nullish = (v: Val) => v.k === 'null' || v.k === 'undef';
  if (nullish(a) || nullish(b)) return nullish(a) && nullish(b);
  if (a.k === b.k) return strictEquals(a, b);
  if (isPrimitive(a) && isPrimitive(b)) {
    const x = toNum(a)!;
    const y = toNum(b)!;
    return x.v === y.v;
  }
  return null;
}

export function unaryOp(op: string, a: Val): Val | string {
  switch (op) {
    case '!': {
      if (a.k === 'unknown' || a.k === 'ext') return 'the operand of `!` is unknown';
      return bool(!truthyKnown(a));
    }
    case '-': case '+': {
      const x = toNum(a);
      if (!x) return `the operand of unary \`${op}\` is not a number`;
      return op === '-' ? num(-x.v, x.int) : num(x.v, x.int);
    }
    case '~': {
      const x = toNum(a);
      if (!x) return 'the operand of `~` is not a number';
      return int(~int32(x.v));
    }
    case 'typeof': {
      const t = a.k === 'num' ? 'number' : a.k === 'str' ? 'string' : a.k === 'bool' ? 'boolean' : a.k === 'undef' ? 'undefined'
        : a.k === 'fn' || a.k === 'builtin' || a.k === 'class' ? 'function' : a.k === 'null' || a.k === 'arr' || a.k === 'obj' ? 'object' : null;
      return t === null ? 'the operand of `typeof` is not evaluated' : str(t);
    }
    case 'void': return { k: 'undef' };
    default: return `the operator \`${op}\` is not evaluated`;
  }
}

function truthyKnown(v: Val): boolean {
  switch (v.k) {
    case 'num': return v.v !== 0 && !Number.isNaN(v.v);
    case 'str': return v.v.length > 0;
    case 'bool': return v.v;
    case 'null': case 'undef': return false;
    default: return true;
  }
}
