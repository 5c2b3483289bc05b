// Types of web-bundle.mjs for the unit tests that import it (test/unit/extension/web.test.ts, webAnalysisBundle.ts).
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
export const emptyNodeBuiltinsForTreeSitter: Plugin;
export const patchTreeSitterScriptUrl: Plugin;
export const TREE_SITTER_PATCHES: [string, string][];
export const nodeToWebSiblings: Plugin;
export const webWorkerOptions: BuildOptions & { metafile: true };
export function webBundleProblems(metafile: Metafile): string[];
export const webAnalysisOptions: BuildOptions & { metafile: true; entryPoints: string[]; plugins: Plugin[] };
export const sharedAnalysis: Plugin;
