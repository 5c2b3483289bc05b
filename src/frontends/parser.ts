/**
 * Tree-sitter through web-tree-sitter's runtime and the grammars shipped in
 * `@vscode/tree-sitter-wasm` (pinned in package.json). The runtime and each
 * grammar load lazily, once; callers `await loadParser(lang)` then parse
 * synchronously.
 */
import * as path from 'path';
import * as fs from 'fs';
import { Language, Parser, Tree } from '@vscode/tree-sitter-wasm';

export type GrammarId = 'python' | 'typescript' | 'tsx' | 'javascript';

let wasmDirOverride: string | undefined;

/** Where the .wasm files are: the extension passes `<extension>/dist/grammars`. */
export function setWasmDir(dir: string): void {
  wasmDirOverride = dir;
}

function wasmDir(): string {
  if (wasmDirOverride) return wasmDirOverride;
  // Bundled (dist/extension.js, dist/cli.js): dist/grammars beside the bundle.
  const bundled = path.join(__dirname, 'grammars');
  if (fs.existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  // Unbundled (tests, bench): the npm package itself, in the nearest node_modules up the tree.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
    if (fs.existsSync(path.join(candidate, 'tree-sitter.wasm'))) return candidate;
    if (path.dirname(dir) === dir) return bundled;
  }
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();

function initRuntime(): Promise<void> {
  if (!runtime) {
    const dir = wasmDir();
    runtime = Parser.init({ locateFile: (file: string) => path.join(dir, file) });
    runtime.catch(() => (runtime = undefined));
  }
  return runtime;
}

export async function loadLanguage(id: GrammarId): Promise<Language> {
  let lang = languages.get(id);
  if (!lang) {
    lang = initRuntime().then(() => Language.load(path.join(wasmDir(), `tree-sitter-${id}.wasm`)));
    languages.set(id, lang);
    lang.catch(() => languages.delete(id));
  }
  return lang;
}

/** Parse budget: tree-sitter gives up (returns null) after this many milliseconds (a 1 MB file takes 1–4 s here). */
const PARSE_TIMEOUT_MS = 5_000;

const parsers = new Map<GrammarId, Parser>();

/** A parser for `id`, ready to use. One per grammar, reused. */
export async function loadParser(id: GrammarId): Promise<Parser> {
  let p = parsers.get(id);
  if (!p) {
    const lang = await loadLanguage(id);
    p = new Parser();
    p.setLanguage(lang);
    parsers.set(id, p);
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
