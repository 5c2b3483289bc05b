/**
 * JS has one number type, but torch's argument checks distinguish Python `int`
 * from `float` (`T_0=2.0` is rejected, `pct_start=1` is rejected). This module
 * is the single place that decides which one a JS number stands for.
 *
 * The rule (also in the frontend's report and README):
 * - A literal is an int when it is written without a decimal point and without
 *   an exponent: `100`, `1_000`, `0x1f`, `0o17`, `0b101`, `100n`. Otherwise it
 *   is a float: `100.0`, `0.1`, `.5`, `1e-3`, `1e3`.
 * - `+ - * %` and unary `- +` keep int when every operand is int; `**` is int
 *   for int ** non-negative int (as Python); `/` always gives float.
 * - `Math.floor/ceil/round/trunc`, `parseInt`, bitwise operators (`x | 0`,
 *   `>>`, …) and `.length` give int; `Math.max/min/abs` keep the kind of the
 *   value they return; other `Math` functions and `parseFloat` give float.
 *   `Number(s)`/`parseFloat`-free string conversion follows the literal rule.
 * - An int result that is not an exact JS integer (beyond 2^53, or infinite)
 *   is reported as unknown rather than silently rounded.
 */

/** A parsed numeric literal. */
export interface NumLit { value: number; isInt: boolean }

/** Parses JS numeric literal text; null when it is not one. */
export function parseNumberLiteral(raw: string): NumLit | null {
  let text = raw.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+n?$/.test(text) || /^0[oO][0-7]+n?$/.test(text) || /^0[bB][01]+n?$/.test(text)) {
    if (text.endsWith('n')) text = text.slice(0, -1);
    return { value: Number(text), isInt: true };
  }
  if (/^[0-9]+n$/.test(text)) return { value: Number(text.slice(0, -1)), isInt: true };
  // Legacy octal (`017`) is a syntax error in modules and strict code; read it as decimal digits.
  if (/^[0-9]+$/.test(text)) return { value: Number(text.replace(/^0+(?=\d)/, '')), isInt: true };
  if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return { value: Number(text), isInt: false };
  return null;
}

/** `Number(s)` for a string, with the literal rule deciding int/float; NaN is a float. */
export function numberFromString(s: string): NumLit {
  const t = s.trim();
  if (t === '') return { value: 0, isInt: true };
  const lit = parseNumberLiteral(t.replace(/^[+-]/, ''));
  if (lit && !t.includes('_') && !t.endsWith('n')) return { value: t.startsWith('-') ? -lit.value : lit.value, isInt: lit.isInt };
  if (/^[+-]?Infinity$/.test(t)) return { value: t.startsWith('-') ? -Infinity : Infinity, isInt: false };
  return { value: NaN, isInt: false };
}

/** Whether an int result is still exact. */
export function isExactInt(v: number): boolean {
  return Number.isSafeInteger(v) || Object.is(v, -0);
}
