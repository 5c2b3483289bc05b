/**
 * The slice of tree-sitter's node API the interpreter uses, a frozen copy of
 * it (function values outlive the tree, which the caller deletes), and the
 * literal readers (numbers, strings) on top of it.
 */
import type { Range } from '../types';

export interface Point { row: number; column: number }

/** Structural subset of tree-sitter's `Node`; tree-sitter nodes and frozen copies both satisfy it. */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly children: readonly (SyntaxNode | null)[];
  readonly namedChildren: readonly (SyntaxNode | null)[];
  readonly parent: SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
}

/** Nodes deeper than this inside a frozen function are replaced by an ERROR stub (evaluates to unknown). */
const FREEZE_DEPTH = 300;

class FrozenNode implements SyntaxNode {
  children: FrozenNode[] = [];
  parent: FrozenNode | null = null;
  fields = new Map<string, FrozenNode>();
  constructor(
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startPosition: Point,
    readonly endPosition: Point,
    private readonly source: { text: string },
    private readonly start: number,
    private readonly end: number,
  ) {}
  // Frozen nodes are what the engine runs, possibly a million times: derived data is cached.
  private cachedText: string | null = null;
  private cachedNamed: FrozenNode[] | null = null;
  /** Named children without comments (see `kids`). */
  cachedKids: FrozenNode[] | null = null;
  get text(): string {
    this.cachedText ??= this.source.text.slice(this.start, this.end);
    return this.cachedText;
  }
  get namedChildren(): FrozenNode[] {
    this.cachedNamed ??= this.children.filter((c) => c.isNamed);
    return this.cachedNamed;
  }
  childForFieldName(name: string): FrozenNode | null {
    return this.fields.get(name) ?? null;
  }
}

/** Minimal extra API needed to freeze a live tree-sitter node. */
interface LiveNode extends SyntaxNode {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly childCount: number;
  child(i: number): LiveNode | null;
  fieldNameForChild(i: number): string | null;
}

function isLive(n: SyntaxNode): n is LiveNode {
  return !(n instanceof FrozenNode) && typeof (n as Partial<LiveNode>).fieldNameForChild === 'function';
}

/** A tree-independent copy of `node` (iterative; deep parts are cut off). */
export function freeze(node: SyntaxNode, fileText: string): SyntaxNode {
  if (!isLive(node)) return node;
  const source = { text: fileText };
  const mk = (n: LiveNode, depth: number): FrozenNode =>
    depth > FREEZE_DEPTH
      ? new FrozenNode(n.id, 'ERROR', true, n.startPosition, n.endPosition, source, n.startIndex, n.endIndex)
      : new FrozenNode(n.id, n.type, n.isNamed, n.startPosition, n.endPosition, source, n.startIndex, n.endIndex);
  const root = mk(node, 0);
  const stack: [LiveNode, FrozenNode, number][] = [[node, root, 0]];
  while (stack.length) {
    const [live, frozen, depth] = stack.pop()!;
    if (frozen.type === 'ERROR' && depth > FREEZE_DEPTH) continue;
    for (let i = 0; i < live.childCount; i++) {
      const c = live.child(i);
      if (!c) continue;
      const fc = mk(c, depth + 1);
      fc.parent = frozen;
      frozen.children.push(fc);
      const field = live.fieldNameForChild(i);
      if (field && !frozen.fields.has(field)) frozen.fields.set(field, fc);
      stack.push([c, fc, depth + 1]);
    }
  }
  return root;
}

/** LSP range of a node (tree-sitter columns are UTF-16 code units here). */
export function rangeOf(n: SyntaxNode): Range {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

/** 1-based line for messages. */
export function lineOf(n: SyntaxNode): number {
  return n.startPosition.row + 1;
}

/** Named children without nulls and comments. */
export function kids(n: SyntaxNode): SyntaxNode[] {
  if (n instanceof FrozenNode) {
    n.cachedKids ??= n.namedChildren.filter((c) => c.type !== 'comment');
    return n.cachedKids;
  }
  return n.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/** Source text squeezed to one line and shortened, for messages. */
export function shortText(n: SyntaxNode, max = 60): string {
  const t = n.text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Unwraps `( … )`. */
export function unparen(n: SyntaxNode): SyntaxNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression') {
    const inner = kids(cur)[0];
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

export type NumberLiteral = { kind: 'int' | 'float'; value: number } | { kind: 'error'; reason: string };

/** Reads an `integer` / `float` literal: underscores, hex/octal/binary, exponents; complex → error. */
export function readNumber(text: string, type: 'integer' | 'float'): NumberLiteral {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return { kind: 'error', reason: `complex literal \`${text}\`` };
  if (type === 'integer') {
    const lower = t.toLowerCase().replace(/l$/, '');
    let value: number;
    if (/^0x[0-9a-f]+$/.test(lower)) value = parseInt(lower.slice(2), 16);
    else if (/^0o[0-7]+$/.test(lower)) value = parseInt(lower.slice(2), 8);
    else if (/^0b[01]+$/.test(lower)) value = parseInt(lower.slice(2), 2);
    else if (/^\d+$/.test(lower)) value = Number(lower);
    else return { kind: 'error', reason: `unreadable number \`${text}\`` };
    if (!Number.isSafeInteger(value)) return { kind: 'error', reason: `\`${text}\` is too large to evaluate exactly` };
    return { kind: 'int', value };
  }
  const value = Number(t);
  if (Number.isNaN(value)) return { kind: 'error', reason: `unreadable number \`${text}\`` };
  return { kind: 'float', value };
}

const SIMPLE_ESCAPES = new Map<string, string>([
  ['\n', ''], ['\\', '\\'], ["'", "'"], ['"', '"'], ['a', '\x07'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'],
  ['t', '\t'], ['v', '\v'],
]);

function unescape(seq: string): string | null {
  const body = seq.slice(1);
  const simple = SIMPLE_ESCAPES.get(body);
  if (simple !== undefined) return simple;
  if (/^x[0-9a-fA-F]{2}$/.test(body) || /^u[0-9a-fA-F]{4}$/.test(body) || /^U[0-9a-fA-F]{8}$/.test(body)) {
    const cp = parseInt(body.slice(1), 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : null;
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCodePoint(parseInt(body, 8));
  return null;
}

export type StringLiteral = { kind: 'str'; value: string } | { kind: 'error'; reason: string };

/** Reads a `string` node: prefixes (r, f, b, u), escapes; an f-string with `{…}` or bytes → error with a reason. */
export function readString(n: SyntaxNode): StringLiteral {
  const parts = n.children.filter((c): c is SyntaxNode => c !== null);
  const start = parts.find((c) => c.type === 'string_start');
  const prefix = (start?.text ?? '').replace(/['"]/g, '').toLowerCase();
  if (prefix.includes('b')) return { kind: 'error', reason: 'bytes literals are not evaluated' };
  const raw = prefix.includes('r');
  let value = '';
  for (const c of parts) {
    switch (c.type) {
      case 'string_content': value += c.text; break;
      case 'escape_sequence': {
        if (raw) { value += c.text; break; }
        const u = unescape(c.text);
        if (u === null) return { kind: 'error', reason: `escape \`${c.text}\` is not evaluated` };
        value += u;
        break;
      }
      case 'interpolation': return { kind: 'error', reason: 'f-strings are not evaluated' };
      default: break;
    }
  }
  // tree-sitter keeps escapes inside string_content for raw strings and for some grammars; handle leftover escapes.
  if (!raw && /\\/.test(value) && !parts.some((c) => c.type === 'escape_sequence')) {
    value = value.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\\'"abfnrtv\n])/g, (m) => unescape(m) ?? m);
  }
  return { kind: 'str', value };
}
