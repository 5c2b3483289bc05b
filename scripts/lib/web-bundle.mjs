// esbuild settings for VS Code for the Web's web-worker extension host, shared by esbuild.mjs (the extension's
// `browser` entry) and scripts/run-integration.mjs --web (the integration suite bundled for the same worker).
// What works there and why: the numbered notes below, and test/integration/README.md (the `--web` host).
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const TREE_SITTER_JS = /tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/;

// 1. @vscode/tree-sitter-wasm's tree-sitter.js imports fs/path/url/module only on its Node code path.
//    Exactly those, and only when tree-sitter.js imports them, resolve to an empty module (webpack's
//    `resolve.fallback: { fs: false }`); any other Node built-in still fails the build.
const EMPTY_FOR = /^(fs|fs\/promises|path|url|module)$/;
export const emptyNodeBuiltinsForTreeSitter = {
  name: 'empty-node-builtins-for-tree-sitter',
  setup(b) {
    b.onResolve({ filter: EMPTY_FOR }, (a) => (TREE_SITTER_JS.test(a.importer) ? { path: a.path, namespace: 'empty-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// 2. tree-sitter.js computes its own script URL when evaluated (__filename or document.currentScript); a worker
//    has neither and it throws at load time, so the extension would not activate. We hand it the wasm bytes
//    (wasmBinary), so the URL is never needed. Its Node path is never taken either: `ENVIRONMENT_IS_NODE` is false
//    and `__filename` is not looked at, so the same bundle also runs in Node (the desktop's analysis worker
//    thread loads the browser's analysis bundle, dist/web/analysisWorker.js), where those would reach the empty
//    stand-ins of plugin 1. In a browser both were false anyway. Fails loudly when a text is not found (package update).
export const TREE_SITTER_PATCHES = [
  ["throw new Error('Unable to determine script URL');", 'return undefined; /* patched: web worker host */'],
  ["if (typeof __filename !== 'undefined') {", 'if (false) { /* patched: never the Node path */'],
  ['var ENVIRONMENT_IS_NODE = typeof process == "object" && typeof process.versions == "object" && typeof process.versions.node == "string";',
    'var ENVIRONMENT_IS_NODE = false; /* patched: never the Node path */'],
];
export const patchTreeSitterScriptUrl = {
  name: 'patch-tree-sitter-script-url',
  setup(b) {
    b.onLoad({ filter: TREE_SITTER_JS }, async (a) => {
      let src = await fs.promises.readFile(a.path, 'utf8');
      for (const [from, to] of TREE_SITTER_PATCHES) {
        if (!src.includes(from)) throw new Error(`patch target not found in ${a.path} (@vscode/tree-sitter-wasm changed?): ${from}`);
        src = src.replace(from, to);
      }
      return { contents: src, loader: 'js' };
    });
  },
};

// 3. Node-only by design, with a web twin: in the web bundle an import of `./x.node` resolves to `./x.web` beside
//    it (e.g. a worker_threads runner on the desktop, a Web Worker or in-thread one in the browser). A `.node`
//    import without a `.web` sibling fails the build, with the file named.
export const nodeToWebSiblings = {
  name: 'node-to-web-siblings',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (a) => {
      if (!a.path.startsWith('.')) return undefined;
      const web = path.join(a.resolveDir, `${a.path.slice(0, -'.node'.length)}.web`);
      for (const ext of ['.ts', '.js', '.mjs']) if (fs.existsSync(web + ext)) return { path: web + ext };
      return { errors: [{ text: `${a.path} is Node-only and has no ${path.basename(web)}.ts beside it for the web bundle (imported by ${a.importer})` }] };
    });
  },
};

/** Options for a bundle that runs in the web-worker extension host. */
export const webWorkerOptions = {
  bundle: true,
  platform: 'browser',          // no Node built-ins; dependencies' "browser" fields preferred
  format: 'cjs',                // the host wraps the file in new Function('module', 'exports', 'require', src)
  target: 'es2022',
  external: ['vscode'],         // the only module the worker's require() provides
  mainFields: ['browser', 'module', 'main'],
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
};

/**
 * The analysis's own bundle (dist/web/analysisWorker.js), for both hosts: the browser's Web Worker or, evaluated
 * in the extension's thread, its fallback (src/extension/webWorker.ts); in Node, what the desktop's worker thread
 * (dist/analysisWorker.js) requires. An IIFE defining one global (webWorker.ts `BUNDLE_GLOBAL`), which is also
 * `module.exports` where there is a CommonJS `module` (Node). Paths relative to the repository.
 */
export const webAnalysisOptions = {
  ...webWorkerOptions,
  entryPoints: ['src/extension/analysisWorker.web.ts'],
  format: 'iife',
  globalName: 'lrLensAnalysis',
  footer: { js: 'if (typeof module === "object" && module && typeof module.exports === "object") module.exports = lrLensAnalysis;' },
  plugins: [emptyNodeBuiltinsForTreeSitter, patchTreeSitterScriptUrl],
};

/**
 * The desktop's analysis worker thread (src/extension/analysisWorker.node.ts → dist/analysisWorker.js, Node) runs
 * that same bundle: its './analysisWorker.web' resolves to the external ./web/analysisWorker.js, so the analysis
 * ships once for both hosts.
 */
export const sharedAnalysis = {
  name: 'shared-analysis',
  setup(b) {
    b.onResolve({ filter: /^\.\/analysisWorker\.web$/ }, (a) =>
      /analysisWorker\.node\.ts$/.test(a.importer) ? { path: './web/analysisWorker.js', external: true } : undefined);
  },
};

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * What in an esbuild metafile makes a bundle unfit for the worker: an external other than `vscode`, or a
 * Node built-in among its inputs (other than the empty stand-ins of plugin 1). [] when fit.
 */
export function webBundleProblems(metafile) {
  const problems = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (/^node:|^(zlib|crypto|worker_threads|child_process|os|fs|path)$/.test(file)) problems.push(`input ${file} is a Node built-in`);
    for (const i of input.imports) {
      // esbuild lists an import it elided (type-only specifiers: `import { type A } from './a'`) as external with
      // its relative path; nothing is required at run time for it. Any other external stays a problem.
      if (i.external && i.path !== 'vscode' && !i.path.startsWith('.')) problems.push(`${file} imports the external ${i.path}`);
      if (NODE_BUILTINS.has(i.path) && !(TREE_SITTER_JS.test(file) && EMPTY_FOR.test(i.path))) problems.push(`${file} imports the Node built-in ${i.path}`);
    }
  }
  return problems;
}
