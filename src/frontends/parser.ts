/**
 * Tree-sitter through web-tree-sitter's runtime and the grammars shipped in
 * `@vscode/tree-sitter-wasm` (pinned in package.json). The runtime and each
 * grammar load lazily, once; callers `await loadParser(lang)` then parse
 * synchronously.
 *
 * This module touches no file system: its host hands it the wasm files' bytes through
 * `setGrammarLoader` — the extension reads `dist/grammars` with `vscode.workspace.fs` (so it runs in
 * VS Code for the Web's worker too), the CLI, tests and bench with Node's `fs` (./nodeGrammars).
 */
import { Language, Parser, Tree, type Edit } from '@vscode/tree-sitter-wasm';
import { commonPrefix, commonSuffix } from './commonEnds';

export type GrammarId = 'python' | 'typescript' | 'tsx' | 'javascript';

/** The bytes of one wasm file by name: `tree-sitter.wasm` (the runtime) or `tree-sitter-<grammar>.wasm`. */
export type GrammarLoader = (file: string) => Promise<Uint8Array>;

let loader: GrammarLoader | undefined;
let runtime: Promise<void> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();
const parsers = new Map<GrammarId, Parser>();

/**
 * Where the wasm bytes come from. Must be called before the first parse; calling it again with
 * another loader forgets what was loaded through the previous one (grammars load again on demand).
 */
export function setGrammarLoader(load: GrammarLoader): void {
  if (loader === load) return;
  loader = load;
  languages.clear();
  for (const p of parsers.values()) p.delete();
  parsers.clear();
}

function load(file: string): Promise<Uint8Array> {
  if (!loader) {
    return Promise.reject(new Error(`no grammar loader: the host must call setGrammarLoader() before parsing (wanted ${file})`));
  }
  return loader(file);
}

function initRuntime(): Promise<void> {
  if (!runtime) {
    // The bytes in, nothing located or fetched: in a web worker the runtime cannot find its own URL.
    runtime = load('tree-sitter.wasm').then((wasmBinary) =>
      Parser.init({ wasmBinary, locateFile: (file: string) => file } as Parameters<typeof Parser.init>[0]));
    runtime.catch(() => (runtime = undefined));
  }
  return runtime;
}

export async function loadLanguage(id: GrammarId): Promise<Language> {
  let lang = languages.get(id);
  if (!lang) {
    lang = initRuntime().then(() => load(`tree-sitter-${id}.wasm`)).then((bytes) => Language.load(bytes));
    languages.set(id, lang);
    lang.catch(() => languages.delete(id));
  }
  return lang;
}

/** Parse budget: tree-sitter gives up (returns null) after this many milliseconds (a 1 MB file takes 1–4 s here). */
const PARSE_TIMEOUT_MS = 5_000;

/** A parser for `id`, ready to use. One per grammar, reused. */
export async function loadParser(id: GrammarId): Promise<Parser> {
  let p = parsers.get(id);
  if (!p) {
    const lang = await loadLanguage(id);
    p = parsers.get(id);   // another caller may have finished first
    if (!p) {
      p = new Parser();
      p.setLanguage(lang);
      parsers.set(id, p);
    }
  }
  return p;
}

/** Parses `text` (with `oldTree`: an edited tree of the previous text, reused); the caller must `tree.delete()` when done. Null if the parse timed out. */
export function parseWith(parser: Parser, text: string, timeoutMs = PARSE_TIMEOUT_MS, oldTree: Tree | null = null): Tree | null {
  const deadline = Date.now() + timeoutMs;
  // The callback's `true` cancels the parse (the .d.ts types it as void).
  const progressCallback = (() => Date.now() > deadline) as () => void;
  const tree = parser.parse(text, oldTree, { progressCallback });
  // A cancelled parse is resumed by the next parse() unless the parser is reset: it would
  // return a tree of the old text.
  if (!tree) parser.reset();
  return tree;
}

/**
 * The edit that turns `oldText` into `newText`, as tree-sitter's `Tree.edit` takes it: the one changed span
 * between their common prefix and common suffix (indices and columns in UTF-16 code units, rows after each `\n`,
 * as web-tree-sitter reports them for a JS string). Null when the texts are equal. A boundary never splits a
 * surrogate pair.
 */
export function editBetween(oldText: string, newText: string): Edit | null {
  if (oldText === newText) return null;
  const min = Math.min(oldText.length, newText.length);
  let start = commonPrefix(oldText, newText);
  if (start > 0 && isHighSurrogate(oldText.charCodeAt(start - 1))) start--;
  let suffix = commonSuffix(oldText, newText, min - start);
  if (suffix > 0 && isLowSurrogate(oldText.charCodeAt(oldText.length - suffix))) suffix--;
  const oldEndIndex = oldText.length - suffix;
  const newEndIndex = newText.length - suffix;
  const startPosition = pointAt(newText, start);
  return {
    startIndex: start,
    oldEndIndex,
    newEndIndex,
    startPosition,
    oldEndPosition: pointAt(oldText, oldEndIndex, start, startPosition),
    newEndPosition: pointAt(newText, newEndIndex, start, startPosition),
  };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Row (count of `\n` before `index`) and column (code units since the last one); counted on from a known point. */
function pointAt(text: string, index: number, from = 0, at = { row: 0, column: 0 }): { row: number; column: number } {
  let row = at.row;
  let lineStart = from - at.column;
  for (let i = from; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      lineStart = i + 1;
    }
  }
  return { row, column: index - lineStart };
}

/**
 * Parses `text` reusing the tree of the document's previous text (tree-sitter's incremental parse: the old tree
 * is edited to the new text's coordinates, then only the changed region is parsed again). `previous.tree` is
 * consumed: it is edited, then deleted, whatever the outcome. The caller must `delete()` the tree returned.
 * Null if the parse timed out.
 *
 * The tree is always the one a fresh parse gives. Tree-sitter's error recovery is not: an old subtree holding an
 * ERROR may be reused where a fresh parse recovers differently (seen with TypeScript), and the recovery in the
 * re-parsed region can depend on what is reused. So a tree with a syntax error on either side is not trusted: an
 * old tree with one is not reused, and a new tree with one is parsed again from scratch (typing through broken
 * syntax costs a full parse, nothing more).
 */
export function parseIncrementally(parser: Parser, text: string, previous: { text: string; tree: Tree } | null, timeoutMs = PARSE_TIMEOUT_MS): Tree | null {
  if (!previous) return parseWith(parser, text, timeoutMs);
  let tree: Tree | null;
  try {
    // A tree of another language object (the grammars were loaded again) is not reused.
    if (previous.tree.language !== parser.language || previous.tree.rootNode.hasError) return parseWith(parser, text, timeoutMs);
    const edit = editBetween(previous.text, text);
    if (!edit) return previous.tree.copy();
    previous.tree.edit(edit);
    tree = parseWith(parser, text, timeoutMs, previous.tree);
  } finally {
    previous.tree.delete();
  }
  if (!tree?.rootNode.hasError) return tree;
  tree.delete();
  return parseWith(parser, text, timeoutMs);
}

/** The grammar for a VS Code language id / file extension. */
export function grammarFor(languageId: string): GrammarId | null {
  switch (languageId) {
    case 'python': case 'py': return 'python';
    case 'typescript': case 'ts': case 'mts': case 'cts': return 'typescript';
    case 'typescriptreact': case 'tsx': return 'tsx';
    case 'javascript': case 'js': case 'mjs': case 'cjs': case 'javascriptreact': case 'jsx': return 'javascript';
    default: return null;
  }
}
