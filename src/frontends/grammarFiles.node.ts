/**
 * Node-only by design: the tree-sitter wasm files read with `fs` (the CLI, the desktop's analysis worker thread,
 * unit tests, bench; never the extension host). Bundled: dist/grammars beside the bundle. Unbundled (tests,
 * bench): the npm package itself, in the nearest node_modules up the tree. Imports nothing of the parser, so the
 * desktop's analysis worker, which runs the browser's analysis bundle (with its own parser), stays small.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { GrammarLoader } from './parser';

/** The folder holding tree-sitter.wasm and the grammars, searched from `from` (default: this file's folder). */
export function findGrammarDir(from: string = __dirname): string {
  const bundled = path.join(from, 'grammars');
  if (fs.existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
    if (fs.existsSync(path.join(candidate, 'tree-sitter.wasm'))) return candidate;
    if (path.dirname(dir) === dir) return bundled;
  }
}

/**
 * `fs.promises.readFile` without `fs.promises`: its first use loads Node's internal fs/promises with readline
 * and the streams (about 3 ms of the CLI's start-up on Node 20, measured with `process.hrtime`).
 */
export function readFileBytes(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => fs.readFile(file, (e, bytes) => (e ? reject(e) : resolve(bytes))));
}

/** A loader reading `<dir>/<file>`. */
export function fsGrammarLoader(dir: string = findGrammarDir()): GrammarLoader {
  return (file) => readFileBytes(path.join(dir, file));
}
