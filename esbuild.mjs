// One build script: the extension (node, cjs) and its analysis worker, the extension for VS Code for the Web
// (web worker, cjs: package.json's `browser`) and its analysis worker (iife), the CLI (node, cjs), the webview (browser, iife),
// and the tree-sitter wasm files the language layer loads at run time.
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --production  minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliTargets } from './scripts/lib/cli-build.mjs';
import { emptyNodeBuiltinsForTreeSitter, nodeToWebSiblings, patchTreeSitterScriptUrl, sharedAnalysis, webAnalysisOptions, webBundleProblems, webWorkerOptions } from './scripts/lib/web-bundle.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** The grammars we parse, plus web-tree-sitter's runtime wasm. */
const WASM_DIR = 'node_modules/@vscode/tree-sitter-wasm/wasm';
const WASM_FILES = [
  'tree-sitter.wasm',
  'tree-sitter-python.wasm',
  'tree-sitter-typescript.wasm',
  'tree-sitter-tsx.wasm',
  'tree-sitter-javascript.wasm',
];

function copyWasm() {
  const out = 'dist/grammars';
  mkdirSync(out, { recursive: true });
  for (const f of WASM_FILES) copyFileSync(join(WASM_DIR, f), join(out, f));
}

/** Prints errors in the `problemMatcher` shape that VS Code's esbuild watchers understand. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

/** Fails the web bundle's build when it would pull in a Node built-in or an external other than vscode (metafile). */
const webBundleGuard = {
  name: 'web-bundle-guard',
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) return;
      const problems = webBundleProblems(result.metafile);
      // Returned errors fail the build (pushing into result.errors would not).
      if (problems.length) return { errors: problems.map((text) => ({ text: `web bundle: ${text}` })) };
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The same extension for the web-worker extension host (vscode.dev, github.dev, code-server's web client).
    ...common,
    ...webWorkerOptions,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/web/extension.js',
    plugins: [problemMatcher, nodeToWebSiblings, emptyNodeBuiltinsForTreeSitter, patchTreeSitterScriptUrl, webBundleGuard],
  },
  {
    // The analysis, for both hosts: the browser's Web Worker (or, evaluated in-process, its fallback:
    // src/extension/webWorker.ts), and what the desktop's worker thread requires (sharedAnalysis).
    ...common,
    ...webAnalysisOptions,
    outfile: 'dist/web/analysisWorker.js',
    plugins: [problemMatcher, ...webAnalysisOptions.plugins, webBundleGuard],
  },
  {
    // The desktop's analysis worker thread (src/extension/runners.node.ts starts it): Node's side of the analysis
    // (grammars with fs) around dist/web/analysisWorker.js, required at run time; required on the extension host's
    // thread, it is also the in-process fallback (dist/extension.js has none).
    ...common,
    entryPoints: ['src/extension/analysisWorker.node.ts'],
    outfile: 'dist/analysisWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [problemMatcher, sharedAnalysis],
  },
  // The `lr-lens` command (scripts/lib/cli-build.mjs).
  ...cliTargets(common, 'dist'),
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
].filter((t) => existsSync(t.entryPoints[0]));

copyWasm();
if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
