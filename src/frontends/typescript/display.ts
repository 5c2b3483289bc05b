/**
 * Values shown to the user in Python syntax (the views are shared with the
 * Python frontend): `100`, `0.1`, `1e-05`, `True`, `'cos'`, `[30, 60]`.
 */
import type { Value } from '../contract';
import { pyFloatRepr as floatRepr, pyStrRepr as strRepr } from '../../engine/py';

type Ref = Extract<Value, { kind: 'scheduler' | 'optimizer' }>;

/**
 * An engine argument (or an evaluated value: `?` for its unknown parts) in Python syntax, bounded in
 * length; schedulers and optimizers by `name` when given (their variable).
 */
export function displayArg(a: Value, depth = 0, name?: (ref: Ref) => string): string {
  if (depth > 6) return '…';
  switch (a.kind) {
    case 'int': return Number.isFinite(a.value) ? String(a.value) : floatRepr(a.value);
    case 'float': return floatRepr(a.value);
    case 'bool': return a.value ? 'True' : 'False';
    case 'str': return strRepr(a.value);
    case 'none': return 'None';
    case 'list': {
      const items = a.items.slice(0, 20).map((x) => displayArg(x, depth + 1, name));
      if (a.items.length > 20) items.push('…');
      return a.tuple ? (items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`) : `[${items.join(', ')}]`;
    }
    case 'dict': {
      const items = a.entries.slice(0, 20).map(([k, v]) => `${strRepr(k)}: ${displayArg(v, depth + 1, name)}`);
      if (a.entries.length > 20) items.push('…');
      return `{${items.join(', ')}}`;
    }
    case 'func': return a.name;
    case 'scheduler': return name?.(a) ?? `<scheduler #${a.index}>`;
    case 'optimizer': return name?.(a) ?? `<optimizer #${a.index}>`;
    case 'object': return `<${a.typeName}>`;
    case 'unknown': return '?';
  }
}
