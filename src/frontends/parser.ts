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
import { Language, Parser, Tree } from '@vscode/tree-sitter-wasm';

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

/** Parses `text`; the caller must `tree.delete()` when done. Null if the parse timed out. */
export function parseWith(parser: Parser, text: string, timeoutMs = PARSE_TIMEOUT_MS): Tree | null {
  const deadline = Date.now() + timeoutMs;
  // The callback's `true` cancels the parse (the .d.ts types it as void).
  const progressCallback = (() => Date.now() > deadline) as () => void;
  const tree = parser.parse(text, null, { progressCallback });
  // A cancelled parse is resumed by the next parse() unless the parser is reset: it would
  // return a tree of the old text.
  if (!tree) parser.reset();
  return tree;
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
