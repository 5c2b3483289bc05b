/**
 * Bound arguments of a family callable with the library's defaults, and the Python
 * arithmetic helpers the families share.
 */
import { isNumeric, isPyInt, pyFloatRepr, pyTypeName, toNumber } from '../py';
import type { OptState } from '../state';
import { PyError, type Arg } from '../types';
import type { FamilySignature } from './signatures';

/** Arguments after binding, read with the signature's defaults for the ones not given. */
export class FamilyArgs {
  private readonly given: Map<string, Arg>;

  constructor(readonly sig: FamilySignature, given: Map<string, Arg> | Record<string, Arg>) {
    this.given = given instanceof Map ? given : new Map(Object.entries(given));
  }

  /** The value given, else the default (None for an unknown name). */
  get(name: string): Arg {
    const v = this.given.get(name);
    if (v !== undefined) return v;
    return this.sig.params.find((p) => p.name === name)?.default ?? { kind: 'none' };
  }

  /** A numeric argument (TypeError with Python's text otherwise). */
  num(name: string): number {
    return toNumber(this.get(name), name);
  }

  /** `isinstance(x, int)` (bool included), for the int/float split of Python's messages. */
  isInt(name: string): boolean {
    return isPyInt(this.get(name));
  }

  isNone(name: string): boolean {
    return this.get(name).kind === 'none';
  }

  /** `last_epoch` (an int in every sane program). */
  lastEpoch(): number {
    const a = this.get('last_epoch');
    return isNumeric(a) ? toNumber(a) : -1;
  }
}

/** `assert cond` without a message: AssertionError with an empty text, attributed to `param`. */
export function pyAssert(cond: boolean, param?: string, rule?: string): void {
  if (!cond) throw new PyError('AssertionError', '', param, rule);
}

/** CPython's `math.log(x)` / `math.sqrt(x)` domain failure. */
export function mathDomain(): PyError {
  return new PyError('ValueError', 'math domain error');
}

/** `math.log(x, base)`: log(x) / log(base), with Python's failures for x ≤ 0 and base 1. */
export function pyLog(x: number, base: number): number {
  if (!(x > 0) || !(base > 0)) throw mathDomain();
  const den = Math.log(base);
  if (den === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
  return Math.log(x) / den;
}

/** `math.sqrt(x)`: ValueError for negative x. */
export function pySqrt(x: number): number {
  if (x < 0) throw mathDomain();
  return Math.sqrt(x);
}

/** Python's `max(0.0, x)` / `max(0, x)`: the first argument unless x is greater (NaN keeps 0). */
export function maxZero(x: number): number {
  return x > 0 ? x : 0;
}

/** `str()` of a number whose Python type is not tracked (an optimizer's lr): ints without `.0`. */
export function numStr(x: number): string {
  return Number.isInteger(x) ? String(x) : pyFloatRepr(x);
}

/** torch 1.13 `_LRScheduler.__init__`'s check: TypeError "X is not an Optimizer". */
export function requireOpt(opt: OptState | null, a: FamilyArgs): OptState {
  if (opt) return opt;
  throw new PyError('TypeError', `${pyTypeName(a.get('optimizer'))} is not an Optimizer`, 'optimizer');
}
