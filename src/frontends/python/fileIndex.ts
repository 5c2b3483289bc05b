/**
 * The analysed file's functions and calls for the run model (loops.ts), found from the text on demand rather than by
 * traversing the whole tree (tree-sitter traversals cost): `def`s, calls of a function or method, the calls, returns
 * and assignments a scheduler variable goes on to, `.step()` calls on a variable.
 */
import { Positions } from '../positions';
import { at, descendantForIndex, enclosing, isFrozen, type FrozenNode, type SyntaxNode } from './syntax';

/** Method names too common to follow by attribute (`model.train()` is not the file's `def train`). */
const COMMON_METHODS = new Set(['train', 'eval', 'step', 'forward', 'zero_grad', 'backward', 'to', 'cuda', 'update', 'item', 'append', 'run', 'fit', '__call__']);

/** The common method names that start a training run (`Trainer(cfg).fit()`, `trainer.train()`): see `callersOf`. */
const ENTRY_METHODS = new Set(['train', 'fit', 'run']);

/** What a name goes up through to the place it goes on from (see `goesOnFrom`). */
const PASSED_THROUGH = new Set(['identifier', 'attribute', 'keyword_argument', 'tuple', 'list', 'dictionary', 'pair', 'parenthesized_expression', 'expression_list']);

/**
 * Whether a line of `text` starts with a `for` or `while` keyword (after blanks, and `async`): what
 * `/^[ \t]*(async[ \t]+)?(for|while)\b/m.test(text)` answers, found from the keywords' occurrences (indexOf, a native
 * scan) instead of trying the expression at every line of the file (~0.15 ms → ~0.02 ms on a 5,000-line file, on
 * every edit).
 */
export function hasLoopLine(text: string): boolean {
  for (const keyword of ['for', 'while']) {
    for (let i = text.indexOf(keyword); i !== -1; i = text.indexOf(keyword, i + 1)) {
      if (isWordChar(text.charCodeAt(i + keyword.length))) continue;
      const j = blanksBefore(text, i);
      if (lineStartsAt(text, j)) return true;
      if (j < i && text.startsWith('async', j - 5) && lineStartsAt(text, blanksBefore(text, j - 5))) return true;
    }
  }
  return false;
}
/** `\w` of a regular expression without the `u` flag (NaN, past the end: no). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
/** Where the spaces and tabs right before `i` start. */
function blanksBefore(text: string, i: number): number {
  let j = i;
  while (j > 0 && (text.charCodeAt(j - 1) === 32 || text.charCodeAt(j - 1) === 9)) j--;
  return j;
}
/** Whether `j` is where a line starts for `^` with the `m` flag: the text's start, or after \n, \r, U+2028, U+2029. */
function lineStartsAt(text: string, j: number): boolean {
  if (j === 0) return true;
  const c = text.charCodeAt(j - 1);
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** The file's functions and calls, found from the text on demand (tree-sitter traversals of the whole tree cost). */
export class FileIndex {
  private rows: Positions | null = null;

  constructor(private readonly root: SyntaxNode & TreeQueries, private readonly text: string, private readonly names: ReadonlySet<string>) {}

  /** A `def name(` in the file (a function of the file: a call of it is followed, not "handed to unseen code"). */
  defines(name: string): boolean {
    return new RegExp(`\\bdef\\s+${escapeRe(name)}\\s*\\(`).test(this.text);
  }

  /** The file has a loop statement (else an unstepped scheduler is a snippet's, not `never`). */
  get loops(): boolean {
    this.hasLoops ??= hasLoopLine(this.text);
    return this.hasLoops;
  }
  private hasLoops: boolean | null = null;

  /** Calls `name(…)` / `x.name(…)` in the file, from the name's occurrences in the text. */
  private callsOf(name: string, method: boolean, anyObject = false): readonly SyntaxNode[] {
    // `.step(` calls are asked for once per scheduler variable: found once.
    const key = `${method ? 'm' : 'f'}${anyObject ? 'a' : ''} ${name}`;
    let found = this.calls.get(key);
    if (!found) this.calls.set(key, (found = this.findCallsOf(name, method, anyObject)));
    return found;
  }
  private readonly calls = new Map<string, readonly SyntaxNode[]>();

  private findCallsOf(name: string, method: boolean, anyObject: boolean): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const re = new RegExp(`${method ? '\\.\\s*' : '(?<![\\w.])'}${escapeRe(name)}\\s*\\(`, 'g');
    let hits = 0;
    for (let m = re.exec(this.text); m && hits < 100; m = re.exec(this.text), hits++) {
      const at = m.index + m[0].indexOf(name);
      const n = this.nodeAt(at);
      let call = n?.parent ?? null;
      if (call?.type === 'attribute') call = call.parent;
      if (call?.type !== 'call') continue;
      const f = call.childForFieldName('function');
      if (!f) continue;
      if (!method && f.type === 'identifier' && f.text === name) out.push(call);
      if (method && f.type === 'attribute' && f.childForFieldName('attribute')?.text === name) {
        const obj = f.childForFieldName('object')?.text;
        if (anyObject || obj === 'self' || !COMMON_METHODS.has(name)) out.push(call);
      }
    }
    return out;
  }

  /** Calls whose arguments name `name` (a variable or `self.x`), returns and assignments of it: from its occurrences in the text. */
  callsNaming(name: string): readonly SyntaxNode[] {
    // Asked for each construction's variable twice (handoff.ts: where it steps, where it goes): found once.
    let found = this.naming.get(name);
    if (!found) this.naming.set(name, (found = this.findCallsNaming(name)));
    return found;
  }
  private readonly naming = new Map<string, readonly SyntaxNode[]>();

  private findCallsNaming(name: string): SyntaxNode[] {
    if (!this.names.has(name)) {
      // A parameter's name (a helper's `sched`): its own pass over the text.
      if (!this.others.has(name)) {
        const at: number[] = [];
        const re = new RegExp(`(?<![\\w.])${escapeRe(name)}(?![\\w])`, 'g');
        for (let m = re.exec(this.text); m && at.length < 200; m = re.exec(this.text)) at.push(m.index);
        this.others.set(name, at);
      }
      return this.goesOnFrom(this.others.get(name)!);
    }
    // One pass over the text for every scheduler variable: dotted names are whole tokens (`self.scheduler`).
    this.occurrences ??= isFrozen(this.root) && this.root.parent === null ? tokensOfFile(this.root, this.text, this.names) : tokensIn(this.text, 0, this.text.length, this.names);
    return this.goesOnFrom(this.occurrences.get(name) ?? []);
  }

  private goesOnFrom(occurrences: number[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (const index of occurrences.slice(0, 200)) {
      let n: SyntaxNode | null = this.nodeAt(index);
      let prev: SyntaxNode | null = null;
      // Up through the name, containers and keyword arguments to the argument list of a call, a `return`, or the
      // right side of an assignment (`self.sched = sched`, `return opt, sched`): places it goes on from.
      for (let i = 0; n && i < 8; i++, prev = n, n = n.parent) {
        if (n.type === 'argument_list') {
          if (n.parent?.type === 'call') out.push(n.parent);
          break;
        }
        if (n.type === 'return_statement' || (n.type === 'assignment' && prev !== null && n.childForFieldName('right')?.id === prev.id)) {
          out.push(n);
          break;
        }
        if (!PASSED_THROUGH.has(n.type)) break;
      }
    }
    return out;
  }
  private occurrences: Map<string, number[]> | null = null;
  private readonly others = new Map<string, number[]>();

  /** The one `def name(…)` of the file (null when none or several). */
  defNamed(name: string): SyntaxNode | null {
    // Asked for every call in a loop body by LR174's search (loops.ts): found once per name.
    let found = this.defs.get(name);
    if (found === undefined) this.defs.set(name, (found = this.findDefNamed(name)));
    return found;
  }
  private readonly defs = new Map<string, SyntaxNode | null>();

  private findDefNamed(name: string): SyntaxNode | null {
    const re = new RegExp(`\\bdef\\s+${escapeRe(name)}\\s*\\(`, 'g');
    const found: SyntaxNode[] = [];
    for (let m = re.exec(this.text); m && found.length < 2; m = re.exec(this.text)) {
      const n = this.nodeAt(m.index + m[0].indexOf(name));
      if (n?.parent?.type === 'function_definition') found.push(n.parent);
    }
    return found.length === 1 ? found[0]! : null;
  }

  /** The smallest node at a text offset (tree-sitter's `descendantForPosition`; a frozen file's found by offsets). */
  private nodeAt(index: number): SyntaxNode | null {
    const root = this.root;
    if (isFrozen(root)) return descendantForIndex(root, index);
    return root.descendantForPosition?.(this.point(index)) ?? null;
  }

  /** Row and column (tree-sitter's, in UTF-16 units here) of a text offset. */
  private point(index: number): { row: number; column: number } {
    this.rows ??= Positions.rowsOf(this.text);
    const p = this.rows.at(index);
    return { row: p.line, column: p.character };
  }

  /** `v.step(…)` / `v.step_update(…)` calls in the file, from the text (`v` a name or `self.x`). */
  stepCallsOn(v: string): SyntaxNode[] {
    return [...this.callsOf('step', true, true), ...this.callsOf('step_update', true, true)]
      .filter((c) => c.childForFieldName('function')?.childForFieldName('object')?.text.replace(/\s+/g, '') === v);
  }

  /** `d[k].step(…)` / `d[k].step_update(…)` calls on an entry of the container `d` (a name or `self.x`), from the text. */
  stepCallsThrough(container: string): SyntaxNode[] {
    return [...this.callsOf('step', true, true), ...this.callsOf('step_update', true, true)].filter((c) => {
      const obj = c.childForFieldName('function')?.childForFieldName('object');
      return obj?.type === 'subscript' && obj.childForFieldName('value')?.text.replace(/\s+/g, '') === container;
    });
  }

  /** Calls of function `def` in the file: by name, or `self.name(…)` / `x.name(…)` for a method. */
  callersOf(def: SyntaxNode): SyntaxNode[] {
    const name = def.childForFieldName('name')?.text ?? '';
    const cls = enclosing(def, ['class_definition', 'function_definition']);
    const isMethod = cls?.type === 'class_definition';
    const found = this.callsOf(name, isMethod).filter((c) => !within(c, def));
    // A method of a common name (`train`, `fit`, `run`) on another object than `self` is found only on an instance of
    // its class written so: `Trainer(cfg).fit()`, or `trainer.fit()` with `trainer = Trainer(cfg)` in the file.
    // (Not `step` and the like: a scheduler class's own `step()`, called on its instance, is the scheduler stepping.)
    const clsName = isMethod && ENTRY_METHODS.has(name) ? cls!.childForFieldName('name')?.text : undefined;
    if (!clsName) return found;
    const instances = this.instancesOf(clsName);
    const more = this.callsOf(name, true, true).filter((c) => {
      if (within(c, def) || found.includes(c)) return false;
      const obj = c.childForFieldName('function')?.childForFieldName('object');
      if (obj?.type === 'call') return obj.childForFieldName('function')?.text === clsName;
      return obj?.type === 'identifier' && instances.has(obj.text);
    });
    return more.length ? [...found, ...more] : found;
  }

  /** Names the file assigns an instance of class `name` (`trainer = Trainer(cfg)`), from the text. */
  private instancesOf(name: string): Set<string> {
    const out = new Set<string>();
    const re = new RegExp(`(?<![\\w.])([A-Za-z_]\\w*)\\s*=\\s*${escapeRe(name)}\\s*\\(`, 'g');
    let hits = 0;
    for (let m = re.exec(this.text); m && hits < 100; m = re.exec(this.text), hits++) {
      const a = this.nodeAt(m.index)?.parent;
      const right = a?.type === 'assignment' ? a.childForFieldName('right') : null;
      if (a?.childForFieldName('left')?.text === m[1] && right?.type === 'call' && right.childForFieldName('function')?.text === name) out.add(m[1]!);
    }
    return out;
  }
}

/** A token of the occurrence pass: a name or a dotted name (`self.scheduler`), matched from its first letter on. */
const TOKEN = /[A-Za-z_][\w.]*/g;

/** The offsets of the tokens in `keep` (all tokens when null) that start in text[from, to), by token. */
function tokensIn(text: string, from: number, to: number, keep: ReadonlySet<string> | null, out = new Map<string, number[]>()): Map<string, number[]> {
  TOKEN.lastIndex = from;
  for (let m = TOKEN.exec(text); m && m.index < to; m = TOKEN.exec(text)) {
    if (!keep || keep.has(m[0])) push(out, m[0], m.index);
  }
  return out;
}

/**
 * A frozen top-level statement's tokens, offsets from its start, kept with the statement (its text never changes),
 * and those of them in the last set of names asked (`names`, by its id): most edits leave the set as it was.
 */
const statementTokens = new WeakMap<FrozenNode, { all: Map<string, number[]>; names: number; hits: [string, number][] }>();

/** An id per set of names (by content): a statement's hits are reused while the file's names stay the same. */
const namesIds = new Map<string, number>();
let lastNamesId = 0;
function namesIdOf(names: ReadonlySet<string>): number {
  const key = [...names].join('\n');
  let id = namesIds.get(key);
  if (id === undefined) {
    if (namesIds.size > 100) namesIds.clear();
    namesIds.set(key, (id = ++lastNamesId));
  }
  return id;
}

/** Characters a token may contain: a token never runs across one of the others. */
function inToken(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  // [\w.]: letters, digits, underscore, dot (ASCII, as the regex's \w).
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

/** Whether a token starts in text[from, to): a letter or underscore there (TOKEN's first character). */
function tokenStartsIn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return true;
  }
  return false;
}

/**
 * `tokensIn` over a whole frozen file, the same tokens at the same offsets, each top-level statement's own tokens
 * found once per copy of it: a statement that no token runs into or out of (as a pass over the whole text would see
 * it) is read from its kept tokens; the text between (and any other statement) is passed over.
 */
function tokensOfFile(root: FrozenNode, text: string, names: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const id = namesIdOf(names);
  let done = 0;
  for (const c of root.children) {
    const s = c.startIndex;
    const e = c.endIndex;
    if (s < done || inToken(text, s - 1) || inToken(text, e)) continue;
    // The text between statements (blank lines, comments): its tokens straight into `out`, in order.
    if (tokenStartsIn(text, done, s)) tokensIn(text, done, s, names, out);
    let own = statementTokens.get(c);
    if (!own) statementTokens.set(c, (own = { all: tokensIn(c.text, 0, e - s, null), names: NaN, hits: [] }));
    if (own.names !== id) {
      own.names = id;
      own.hits = [];
      for (const [name, offsets] of own.all) if (names.has(name)) for (const o of offsets) own.hits.push([name, o]);
    }
    for (const [name, o] of own.hits) push(out, name, o + s);
    done = e;
  }
  tokensIn(text, done, text.length, names, out);
  return out;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface TreeQueries {
  descendantsOfType?: (t: string[]) => (SyntaxNode | null)[];
  descendantForPosition?: (p: { row: number; column: number }) => SyntaxNode | null;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

export function within(n: SyntaxNode, outer: SyntaxNode): boolean {
  return at(n) >= at(outer) && at(n, true) <= at(outer, true);
}
