/**
 * Node-only by design (the CLI, unit tests, bench; never the extension): installs the grammar loader that reads the
 * wasm files with `fs`. Bundled (dist/cli.js): dist/grammars beside the bundle. Unbundled (tests, bench):
 * the npm package itself, in the nearest node_modules up the tree.
 */
import { fsGrammarLoader } from './grammarFiles.node';
import { setGrammarLoader, type GrammarLoader } from './parser';

export { findGrammarDir, fsGrammarLoader, readFileBytes } from './grammarFiles.node';

let installed: GrammarLoader | undefined;

/** Installs the fs loader (once per process; later calls keep the first). */
export function useNodeGrammars(dir?: string): void {
  installed ??= fsGrammarLoader(dir);
  setGrammarLoader(installed);
}
