// Types of web-bundle.mjs for the unit test that imports it (test/unit/extension/web.test.ts).
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
export const emptyNodeBuiltinsForTreeSitter: Plugin;
export const patchTreeSitterScriptUrl: Plugin;
export const nodeToWebSiblings: Plugin;
export const webWorkerOptions: BuildOptions & { metafile: true };
export function webBundleProblems(metafile: Metafile): string[];
