/**
 * The slice of tree-sitter's node API the interpreter uses, a frozen plain-JS
 * copy of the whole module (cheap to read, and function values outlive the
 * tree, which the caller deletes), and the literal readers (numbers, strings)
 * on top of it.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
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

/**
 * Nodes deeper than this are replaced by an ERROR stub (evaluates to unknown), so no walk over the frozen
 * tree can overflow the stack. Well above what the interpreter evaluates anyway (MAX_EXPR_DEPTH nested
 * expressions, each a few syntax levels), so only pathological input is cut.
 */
const FREEZE_DEPTH = 1500;

/** A plain JS copy of one tree-sitter node; the whole module is frozen once (see `freezeTree`). */
class FrozenNode implements SyntaxNode {
  children: FrozenNode[] = [];
  parent: FrozenNode | null = null;
  /** Field name → first child with that field; null while the node has none (most nodes). */
  fields: Map<string, FrozenNode> | null = null;
  constructor(
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startPosition: Point,
    readonly endPosition: Point,
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
  ) {}
  // Frozen nodes are what the engine runs, possibly a million times: derived data is cached.
  private cachedText: string | null = null;
  private cachedNamed: FrozenNode[] | null = null;
  /** Named children without comments (see `kids`). */
  cachedKids: FrozenNode[] | null = null;
  get text(): string {
    this.cachedText ??= this.source.slice(this.start, this.end);
    return this.cachedText;
  }
  get namedChildren(): FrozenNode[] {
    this.cachedNamed ??= this.children.filter((c) => c.isNamed);
    return this.cachedNamed;
  }
  childForFieldName(name: string): FrozenNode | null {
    return this.fields?.get(name) ?? null;
  }
}

/** The module as a plain JS tree, and its `call` nodes in document order (for the sweep). */
export interface FrozenModule { root: SyntaxNode; calls: SyntaxNode[] }

/**
 * Copies the whole tree into plain JS objects in one iterative cursor walk: every later read
 * (children, fields, parent, text) is a JS property instead of a call across the wasm boundary
 * that allocates a fresh Node. Text is sliced lazily from `fileText`; positions come from the
 * indices and a line table (tree-sitter starts a row after each `\n` and counts columns in the
 * same UTF-16 units as the indices), which saves two wasm calls per node.
 */
export function freezeTree(tree: Tree, fileText: string): FrozenModule {
  const lines = lineStarts(fileText);
  const at = (index: number): Point => {
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]! <= index) lo = mid; else hi = mid - 1;
    }
    return { row: lo, column: index - lines[lo]! };
  };
  const language = tree.language;
  const types: string[] = [];
  const named: boolean[] = [];
  const calls: FrozenNode[] = [];
  const cursor = tree.walk();
  const make = (depth: number): FrozenNode => {
    const typeId = cursor.nodeTypeId;
    let type = types[typeId];
    if (type === undefined) {
      type = language.types[typeId] || 'ERROR';
      types[typeId] = type;
      named[typeId] = type === 'ERROR' || language.nodeTypeIsNamed(typeId);
    }
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    if (depth > FREEZE_DEPTH) return new FrozenNode(cursor.nodeId, 'ERROR', true, at(start), at(end), fileText, start, end);
    const node = new FrozenNode(cursor.nodeId, type, named[typeId]!, at(start), at(end), fileText, start, end);
    if (type === 'call') calls.push(node);
    return node;
  };
  try {
    const root = make(0);
    // The path from the root to the cursor's node; its length - 1 is the cursor's depth.
    const path: FrozenNode[] = [root];
    for (;;) {
      // Pre-order: first child if the current node may have children kept, else the next sibling of the
      // nearest unfinished ancestor.
      if (!(path.length - 1 <= FREEZE_DEPTH && cursor.gotoFirstChild())) {
        for (;;) {
          path.pop();
          if (path.length === 0) return { root, calls };
          if (cursor.gotoNextSibling()) break;
          cursor.gotoParent();
        }
      }
      const parent = path[path.length - 1]!;
      const node = make(path.length);
      node.parent = parent;
      parent.children.push(node);
      const field = cursor.currentFieldId ? language.fields[cursor.currentFieldId] : null;
      if (field) {
        parent.fields ??= new Map();
        if (!parent.fields.has(field)) parent.fields.set(field, node);
      }
      path.push(node);
    }
  } finally {
    cursor.delete();
  }
}

/** Index of the first character of each line (a line starts after each `\n`). */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
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
  // Every node the frontend sees comes from `freezeTree`.
  const f = n as FrozenNode;
  f.cachedKids ??= f.namedChildren.filter((c) => c.type !== 'comment');
  return f.cachedKids;
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
