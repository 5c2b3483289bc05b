/**
 * Values shown to the user in Python syntax (the views are shared with the
 * Python frontend): `100`, `0.1`, `1e-05`, `True`, `'cos'`, `[30, 60]`.
 */
import type { Arg } from '../../engine/types';

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/** Python's `repr(str)`. */
function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return q + out + q;
}

/** An engine argument in Python syntax, bounded in length. */
export function displayArg(a: Arg, depth = 0): string {
  if (depth > 6) return '…';
  switch (a.kind) {
    case 'int': return Number.isFinite(a.value) ? String(a.value) : floatRepr(a.value);
    case 'float': return floatRepr(a.value);
    case 'bool': return a.value ? 'True' : 'False';
    case 'str': return strRepr(a.value);
    case 'none': return 'None';
    case 'list': {
      const items = a.items.slice(0, 20).map((x) => displayArg(x, depth + 1));
      if (a.items.length > 20) items.push('…');
      return a.tuple ? (items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`) : `[${items.join(', ')}]`;
    }
    case 'dict': {
      const items = a.entries.slice(0, 20).map(([k, v]) => `${strRepr(k)}: ${displayArg(v, depth + 1)}`);
      if (a.entries.length > 20) items.push('…');
      return `{${items.join(', ')}}`;
    }
    case 'func': return a.name;
    case 'scheduler': return `<scheduler #${a.index}>`;
    case 'optimizer': return `<optimizer #${a.index}>`;
    case 'object': return `<${a.typeName}>`;
  }
}
