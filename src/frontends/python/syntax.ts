/**
 * The slice of tree-sitter's node API the interpreter uses, a frozen copy of
 * it (function values outlive the tree, which the caller deletes), and the
 * literal readers (numbers, strings) on top of it.
 */
import { Positions } from '../positions';
import type { Range } from '../../analysis/types';

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
export const FREEZE_DEPTH = 300;

/** A file's text and where its rows start (tree-sitter starts a row after each `\n`), shared by the nodes frozen from it. */
export class Source {
  private readonly rows: Positions;
  constructor(readonly text: string) {
    this.rows = Positions.rowsOf(text);
  }
  /** Row and column of a UTF-16 index (tree-sitter's columns are in the same units as its indices here). */
  point(index: number): Point {
    const p = this.rows.at(index);
    return { row: p.line, column: p.character };
  }
}

/**
 * Where the nodes of one copy are: the file's text, and how far they moved since they were copied (incremental.ts
 * moves a statement's copy into the next version of the file); `moves` counts the moves (cached positions are stale).
 */
export class Loc {
  delta = 0;
  moves = 0;
  constructor(public source: Source) {}
}

/** Children of a leaf: one shared empty array (most nodes are leaves), replaced on the first `adopt`. */
const NO_CHILDREN: FrozenNode[] = [];

/**
 * A plain JS copy of a tree-sitter node: positions and text derived on first use, the field name kept on the child.
 * A distinct type (its private members make it nominal): what runs after the tree is deleted (the engine's calls of
 * user functions) takes a `FrozenNode`, and a live tree-sitter node given there is a compile error.
 */
export class FrozenNode implements SyntaxNode {
  children: FrozenNode[] = NO_CHILDREN;
  parent: FrozenNode | null = null;
  /** The field this node fills in its parent (`function`, `arguments`, …), if any. */
  field: string | null = null;
  constructor(
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    private readonly loc: Loc,
    private readonly start: number,
    private readonly end: number,
  ) {}
  // Frozen nodes are what the engine runs, possibly a million times: derived data is cached.
  private cachedText: string | null = null;
  private cachedStart: Point | null = null;
  private cachedEnd: Point | null = null;
  /** The `loc.moves` the cached positions were derived at. */
  private cachedAt = 0;
  private cachedNamed: FrozenNode[] | null = null;
  /** Named children without comments (see `kids`). */
  cachedKids: FrozenNode[] | null = null;
  /**
   * What the interpreter derived from this node's text alone (a number's or a string's value, never one that
   * depends on where the node is), kept with the node: an edit elsewhere in the file does not read it again.
   */
  literal: unknown = undefined;
  /** `shortText` of this node, for the last `max` asked. */
  cachedShort: { max: number; text: string } | null = null;
  /** What `TextFact`s derived from this node, by the fact's slot. */
  facts: unknown[] | null = null;
  get text(): string {
    // The same wherever the copy moves (incremental.ts moves only unchanged text).
    this.cachedText ??= this.loc.source.text.slice(this.start + this.loc.delta, this.end + this.loc.delta);
    return this.cachedText;
  }
  get startPosition(): Point {
    if (this.cachedAt !== this.loc.moves) this.moved();
    this.cachedStart ??= this.loc.source.point(this.start + this.loc.delta);
    return this.cachedStart;
  }
  get endPosition(): Point {
    if (this.cachedAt !== this.loc.moves) this.moved();
    this.cachedEnd ??= this.loc.source.point(this.end + this.loc.delta);
    return this.cachedEnd;
  }
  private moved(): void {
    this.cachedStart = null;
    this.cachedEnd = null;
    this.cachedAt = this.loc.moves;
  }
  get namedChildren(): FrozenNode[] {
    this.cachedNamed ??= this.children.filter((c) => c.isNamed);
    return this.cachedNamed;
  }
  /** The first child in field `name` (as tree-sitter's own lookup). */
  childForFieldName(name: string): FrozenNode | null {
    // Only the children in a field are searched (punctuation and unnamed children never are), by index: the walk
    // looks fields up some 30,000 times per analysis of a 5,000-line file.
    const f = (this.cachedFielded ??= this.fielded());
    for (let i = 0; i < f.length; i++) if (f[i]!.field === name) return f[i]!;
    return null;
  }
  private cachedFielded: FrozenNode[] | null = null;
  private fielded(): FrozenNode[] {
    let out: FrozenNode[] | null = null;
    for (const c of this.children) if (c.field !== null) (out ??= []).push(c);
    return out ?? NO_CHILDREN;
  }
  /** Appends `child` (building the tree). */
  adopt(child: FrozenNode): void {
    this.cachedFielded = null;
    if (this.children === NO_CHILDREN) this.children = [];
    this.children.push(child);
    child.parent = this;
  }

  /** Start and end offsets in the file's text (UTF-16). */
  get startIndex(): number {
    return this.start + this.loc.delta;
  }
  get endIndex(): number {
    return this.end + this.loc.delta;
  }

  /**
   * Moves this subtree (one copy: all its nodes share their `Loc`) into another version of the file
   * (incremental.ts): its text unchanged, `delta` code units further on. At once, whatever its size: each node
   * derives its rows and columns again when next read, unless `samePlace` (before the changed span: the text
   * before it is the same, and so are its rows and columns).
   */
  move(source: Source, delta: number, samePlace: boolean): void {
    this.loc.source = source;
    this.loc.delta += delta;
    if (!samePlace) this.loc.moves++;
  }

  /** The descendants of one of `types`, in document order (as tree-sitter's `descendantsOfType`, the node itself excluded). */
  descendantsOfType(types: string | string[]): FrozenNode[] {
    const key = typeof types === 'string' ? types : types.join(' ');
    const wanted = new Set(typeof types === 'string' ? [types] : types);
    // A whole file's: its statements' own, each kept with the statement (an edit leaves most of them as they were).
    if (this.parent === null) {
      const out: FrozenNode[] = [];
      for (const c of this.children) {
        if (wanted.has(c.type)) out.push(c);
        for (const d of c.descendantsCached(key, wanted)) out.push(d);
      }
      return out;
    }
    return this.descendantsCached(key, wanted).slice();
  }

  /** Descendants by type, cached per node (a subtree never changes; it only moves). Not to be modified. */
  private descendantsCached(key: string, wanted: ReadonlySet<string>): readonly FrozenNode[] {
    this.cachedDescendants ??= new Map();
    let out = this.cachedDescendants.get(key);
    if (out) return out;
    out = [];
    const stack: FrozenNode[] = [];
    for (let i = this.children.length - 1; i >= 0; i--) stack.push(this.children[i]!);
    while (stack.length) {
      const n = stack.pop()!;
      if (wanted.has(n.type)) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
    this.cachedDescendants.set(key, out);
    return out;
  }
  private cachedDescendants: Map<string, FrozenNode[]> | null = null;

  /**
   * The smallest node (named or not) around `p`, as tree-sitter's `descendantForPosition` finds it
   * (ts_node__descendant_for_point_range with an empty range): descend into the first child that ends after `p`
   * (or at it, for an empty child) and starts at or before it.
   */
  descendantForPosition(p: Point): FrozenNode {
    return descend(this, (c) => before(c.endPosition, p), (c) => !before(p, c.endPosition), (c) => before(p, c.startPosition), (c) => {
      const start = c.startPosition;
      const end = c.endPosition;
      return start.row === end.row && start.column === end.column;
    });
  }
}

/**
 * `descendantForPosition` of the point at offset `index` of the file's text, found by offsets: a file's offsets and
 * its points go together one to one and in order, so the same node, without deriving the points of the nodes on
 * the way (those of the statements an edit moved are derived again).
 */
export function descendantForIndex(root: FrozenNode, index: number): FrozenNode {
  return descend(root, (c) => c.endIndex < index, (c) => index >= c.endIndex, (c) => index < c.startIndex, (c) => c.startIndex === c.endIndex);
}

/**
 * The descent of both: into the first child that ends after the target (or at it, for an empty child) and starts at
 * or before it. The children ending before it are skipped by halving: their ends never decrease (siblings do not
 * overlap), and a file's root has a child per statement (thousands).
 */
function descend(
  root: FrozenNode, endsBefore: (c: FrozenNode) => boolean, atOrAfterEnd: (c: FrozenNode) => boolean,
  startsAfter: (c: FrozenNode) => boolean, empty: (c: FrozenNode) => boolean,
): FrozenNode {
  let node = root;
  for (let descended = true; descended;) {
    descended = false;
    const children = node.children;
    let lo = 0;
    for (let hi = children.length; lo < hi;) {
      const mid = (lo + hi) >>> 1;
      if (endsBefore(children[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < children.length; i++) {
      const c = children[i]!;
      if (endsBefore(c)) continue;
      if (!empty(c) && atOrAfterEnd(c)) continue;
      if (startsAfter(c)) break;
      node = c;
      descended = true;
      break;
    }
  }
  return node;
}

function before(a: Point, b: Point): boolean {
  return a.row < b.row || (a.row === b.row && a.column < b.column);
}

/** What `freeze` reads of a live tree-sitter node: a cursor over its subtree and its grammar. */
interface LiveNode extends SyntaxNode {
  walk(): TreeCursor;
  readonly tree: { readonly language: Language };
}
interface Language {
  readonly types: readonly string[];
  readonly fields: readonly (string | null)[];
  nodeTypeIsNamed(typeId: number): boolean;
}
interface TreeCursor {
  readonly nodeTypeId: number;
  readonly nodeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldId: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

function isLive(n: SyntaxNode): n is LiveNode {
  return !(n instanceof FrozenNode) && typeof (n as Partial<LiveNode>).walk === 'function';
}

/** Whether `n` is a frozen copy (safe to read once its tree is deleted). */
export function isFrozen(n: SyntaxNode): n is FrozenNode {
  return n instanceof FrozenNode;
}

/** The last file frozen from (a function's nodes are frozen one function at a time, from one file). */
let lastSource: Source | null = null;

/**
 * A tree-independent copy of `node`, read with one TreeCursor (each read of a web-tree-sitter node
 * property marshals the node into wasm memory; a cursor walk reads each node a few times only).
 * Ids are tree-sitter's, so maps keyed by node id agree for live and frozen nodes. Deep parts are
 * cut off.
 */
export function freeze(node: SyntaxNode, fileText: string, idBase = 0): FrozenNode {
  if (node instanceof FrozenNode) return node;
  if (!isLive(node)) throw new Error(`cannot freeze a ${node.type} node that is neither live nor frozen`);
  const source = lastSource?.text === fileText ? lastSource : (lastSource = new Source(fileText));
  // Another module's nodes (idBase > 0) get ids below zero, apart from every live tree's.
  return copy(node, source, idBase ? (id) => -(idBase + id) : (id) => id, 0)!;
}

/**
 * As `freeze`, for a whole file's statement (incremental.ts): ids from `nextId` (unique across versions of the
 * file), `depth` the node's own depth; null when the copy would be cut (deeper than a frozen function may be).
 */
export function freezeExactly(node: SyntaxNode, source: Source, nextId: () => number, depth: number): FrozenNode | null {
  if (!isLive(node)) return null;
  return copy(node, source, nextId, depth, true);
}

/**
 * A grammar's node types and field names as internalized strings (V8's, as string literals are). The grammar's own
 * come from wasm memory as plain strings: every `type === 'call'` of the walk would compare their characters;
 * between internalized strings it compares pointers.
 */
const interned = new WeakMap<Language, { types: string[]; fields: (string | null)[]; named: boolean[] }>();
function internedOf(language: Language): { types: string[]; fields: (string | null)[]; named: boolean[] } {
  let names = interned.get(language);
  if (!names) {
    names = {
      types: language.types.map(intern),
      fields: language.fields.map((f) => (f === null ? null : intern(f))),
      // Whether each node type is named, asked of the grammar once (a call into wasm for each node copied otherwise).
      named: language.types.map((_, typeId) => language.nodeTypeIsNamed(typeId)),
    };
    interned.set(language, names);
  }
  return names;
}
/** The same string, internalized (a property key is). */
function intern(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

function copy(node: LiveNode, source: Source, idOf: (cursorId: number) => number, depth0: number, exact = false): FrozenNode | null {
  const language = node.tree.language;
  const names = internedOf(language);
  const loc = new Loc(source);
  const cursor = node.walk();
  let cut = false;
  const make = (depth: number): FrozenNode => {
    const typeId = cursor.nodeTypeId;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const id = idOf(cursor.nodeId);
    if (depth > FREEZE_DEPTH) {
      cut = true;
      return new FrozenNode(id, 'ERROR', true, loc, start, end);
    }
    const type = names.types[typeId] || 'ERROR';
    return new FrozenNode(id, type, type === 'ERROR' || (names.named[typeId] ?? language.nodeTypeIsNamed(typeId)), loc, start, end);
  };
  try {
    const root = make(depth0);
    // The path from the root to the cursor's node; its length − 1 is the cursor's depth below the root.
    const path: FrozenNode[] = [root];
    for (;;) {
      if (exact && cut) return null;
      // Pre-order: the first child while within the depth, else the next sibling of the nearest
      // ancestor that has one.
      if (!(depth0 + path.length - 1 <= FREEZE_DEPTH && cursor.gotoFirstChild())) {
        for (;;) {
          path.pop();
          if (path.length === 0) return exact && cut ? null : root;
          if (cursor.gotoNextSibling()) break;
          cursor.gotoParent();
        }
      }
      const child = make(depth0 + path.length);
      const fieldId = cursor.currentFieldId;
      if (fieldId) child.field = names.fields[fieldId] ?? null;
      path[path.length - 1]!.adopt(child);
      path.push(child);
    }
  } finally {
    cursor.delete();
  }
}

/** LSP range of a node (tree-sitter columns are UTF-16 code units here). */
export function rangeOf(n: SyntaxNode): Range {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

/**
 * Something derived from a node's subtree text alone (never from where it is: no rows, columns, offsets, nothing
 * above it), kept on a frozen node as `literal` is: the frozen copy keeps a statement whose text did not change
 * (incremental.ts), so an edit elsewhere in the file does not derive it again. A live node derives it each time.
 * What it returns is shared: not to be modified.
 */
export class TextFact<T extends object | null> {
  private static slots = 0;
  private readonly slot = TextFact.slots++;
  constructor(private readonly derive: (n: SyntaxNode) => T) {}
  of(n: SyntaxNode): T {
    if (!(n instanceof FrozenNode)) return this.derive(n);
    // Every slot there from the start (a packed array; a fact made later appends its slot).
    const facts = (n.facts ??= new Array<unknown>(TextFact.slots).fill(undefined));
    // Never undefined once derived (T excludes it): a hole is not looked up along the prototype chain (`in` is).
    let v = facts[this.slot] as T | undefined;
    if (v === undefined) facts[this.slot] = v = this.derive(n);
    return v;
  }
}

/** 1-based line for messages. */
export function lineOf(n: SyntaxNode): number {
  return n.startPosition.row + 1;
}

/** Named children without nulls and comments (a frozen node's children are frozen). */
export function kids(n: FrozenNode): FrozenNode[];
export function kids(n: SyntaxNode): SyntaxNode[];
export function kids(n: SyntaxNode): SyntaxNode[] {
  if (n instanceof FrozenNode) {
    n.cachedKids ??= n.namedChildren.filter((c) => c.type !== 'comment');
    return n.cachedKids;
  }
  return n.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/** Source text squeezed to one line and shortened, for messages. */
export function shortText(n: SyntaxNode, max = 60): string {
  // A frozen node keeps its last one (it depends on the text alone): messages and labels ask for it again and again.
  if (n instanceof FrozenNode) {
    if (n.cachedShort?.max !== max) n.cachedShort = { max, text: shortTextOf(n.text, max) };
    return n.cachedShort.text;
  }
  return shortTextOf(n.text, max);
}

function shortTextOf(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
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
  if (!(n instanceof FrozenNode)) return readStringOf(n);
  if (n.literal === undefined) n.literal = readStringOf(n);
  return n.literal as StringLiteral;
}

function readStringOf(n: SyntaxNode): StringLiteral {
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

/** The nearest ancestor of one of `types`, or null. */
export function enclosing(n: SyntaxNode, types: string[]): SyntaxNode | null {
  for (let p = n.parent; p; p = p.parent) if (types.includes(p.type)) return p;
  return null;
}

/** A node's start (or end) as one comparable number: works for live and frozen nodes alike. */
export function at(n: SyntaxNode, end = false): number {
  const p = end ? n.endPosition : n.startPosition;
  return p.row * 1_000_000 + p.column;
}
