// VS Code for the Web, for the test launchers (scripts/run-integration.mjs --web, test/e2e/e2e.mjs --web):
// the user settings that make code-server's web client run LR Lens's `browser` entry in its web-worker
// extension host, and the integration suites bundled for that worker.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { emptyNodeBuiltinsForTreeSitter, nodeToWebSiblings, patchTreeSitterScriptUrl, webBundleProblems, webWorkerOptions } from './web-bundle.mjs';

/**
 * With both `main` and `browser`, code-server runs an extension in its Node host; this user setting moves it to
 * the worker (the schema lists only ui/workspace, but `web` is honoured; vsce refuses `web` in package.json).
 */
export const WEB_HOST_SETTINGS = { 'remote.extensionKind': { 'lr-lens.lr-lens': ['web'] } };

/** `assert` → test/integration/web/assert.ts (Node's module does not exist in the worker). */
const assertShim = (root) => ({
  name: 'assert-for-the-worker',
  setup(b) {
    b.onResolve({ filter: /^assert$/ }, () => ({ path: path.join(root, 'test/integration/web/assert.ts') }));
  },
});

/**
 * `lr-lens:integration-suites`: a function that loads every test/integration/*.test.ts, host.test first and
 * languages.test (the notebook) last. Why last: in code-server's web client every webview shares one origin and
 * one service-worker scope; once a notebook editor has created its webview, the next webview of an extension in
 * the worker host never gets its service worker as controller ("Found unexpected service worker controller …
 * Waiting for controllerchange", no controllerchange follows), so our panel stays blank. In the Node host the same
 * sequence fails now and then (the latency suite, 1 run in 5 here); vscode.dev gives each webview its own origin. Seen with code-server 4.100.3; every test
 * still runs, and the panel after a notebook is a known gap of this host (README, "VS Code for the Web").
 */
const rank = (f) => (f === 'host.test.ts' ? -1 : f === 'languages.test.ts' ? 1 : 0);
const suitesModule = (root) => ({
  name: 'integration-suites',
  setup(b) {
    b.onResolve({ filter: /^lr-lens:integration-suites$/ }, () => ({ path: 'suites', namespace: 'lr-lens-suites' }));
    b.onLoad({ filter: /.*/, namespace: 'lr-lens-suites' }, () => {
      const dir = path.join(root, 'test/integration');
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts'))
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      // require(), not import: esbuild evaluates a required module when the call runs, i.e. after mocha.setup.
      const body = files.map((f) => `  require(${JSON.stringify(`./${f}`)});`).join('\n');
      return { contents: `module.exports = () => {\n${body}\n};`, resolveDir: dir, loader: 'js' };
    });
  },
});

/** Bundles test/integration/web/index.ts (+ every suite) to `outfile` for the worker; returns a size line. */
export async function buildWebSuites(root, outfile) {
  const result = await esbuild.build({
    ...webWorkerOptions,
    absWorkingDir: root,
    entryPoints: [path.join(root, 'test/integration/web/index.ts')],
    outfile,
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [assertShim(root), suitesModule(root), nodeToWebSiblings, emptyNodeBuiltinsForTreeSitter, patchTreeSitterScriptUrl],
  });
  const problems = webBundleProblems(result.metafile);
  if (problems.length) throw new Error(`the web suites would not load in the worker: ${problems.join('; ')}`);
  return `${path.relative(root, outfile)} ${(fs.statSync(outfile).size / 1024).toFixed(0)} KiB`;
}
