/**
 * VS Code for the Web: the extension's web-worker bundle contains no Node built-in (esbuild's metafile,
 * judged by scripts/lib/web-bundle.mjs, the same guard esbuild.mjs applies), the guard catches one when it is
 * there, and the replacements of Node calls (Buffer, crypto.randomBytes) agree with Node's own.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { base64Bytes } from '../../../src/extension/bytes';
import { newNonce } from '../../../src/extension/panelHtml';
import { buildWebAnalysis } from './webAnalysisBundle';

const ROOT = path.join(__dirname, '../../../..');
// tsc (module commonjs) turns import() into require(), which cannot load an ES module on Node 20.
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<typeof import('../../../scripts/lib/web-bundle.mjs')>;

describe('VS Code for the Web', function () {
  this.timeout(60_000);

  /**
   * What only the analysis needs: the extension's bundles must not carry it (the analysis worker bundle does). The
   * views may format values as the engine does (src/engine/py.ts's float repr) and read its constants.
   */
  const ANALYSIS = ['src/frontends/parser.ts', 'src/analysis/analyze.ts', 'src/engine/schedulers/', 'src/engine/families/',
    'src/engine/simulate.ts', 'src/engine/build.ts', 'src/engine/signatures.ts', 'src/engine/optimizers.ts', 'src/lint/',
    'src/frontends/python/', 'src/frontends/typescript/', 'tree-sitter-wasm/', 'node_modules/yaml/', 'node_modules/smol-toml/'];

  it('the browser bundle of the extension pulls in no Node built-in, no external but vscode, and no analysis', async () => {
    const web = await importEsm(path.join(ROOT, 'scripts/lib/web-bundle.mjs'));
    const result = await esbuild.build({
      ...web.webWorkerOptions, entryPoints: [path.join(ROOT, 'src/extension/extension.ts')], write: false, outfile: 'web.js',
      logLevel: 'silent', plugins: [web.nodeToWebSiblings, web.emptyNodeBuiltinsForTreeSitter, web.patchTreeSitterScriptUrl],
    });
    assert.deepStrictEqual(web.webBundleProblems(result.metafile), []);
    const inputs = Object.keys(result.metafile.inputs);
    // The pieces that only the CLI needs stay out, and so does the analysis (dist/web/analysisWorker.js has it).
    for (const other of ['src/render/png.ts', 'src/frontends/nodeGrammars.ts', 'src/cli/', ...ANALYSIS]) {
      assert.ok(!inputs.some((i) => i.includes(other)), `${other} is in the browser bundle of the extension`);
    }
    assert.ok(inputs.some((i) => i.endsWith('src/extension/webWorker.ts')), 'the Web Worker runner is bundled');
    const requires = (js: string): string[] => [...new Set([...js.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!))];
    assert.deepStrictEqual(requires(result.outputFiles[0]!.text), ['vscode']);
  });

  it("the desktop's bundle of the extension carries no analysis either (dist/analysisWorker.js has it)", async () => {
    const result = await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/extension/extension.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'],
      write: false, outfile: 'extension.js', metafile: true, logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    for (const other of ANALYSIS) assert.ok(!inputs.some((i) => i.includes(other)), `${other} is in the desktop bundle of the extension`);
    assert.ok(inputs.some((i) => i.endsWith('src/extension/nodeWorker.node.ts')), 'the worker-thread runner is bundled');
  });

  it("the desktop's analysis worker carries no analysis of its own: it requires the browser's analysis bundle", async () => {
    const web = await importEsm(path.join(ROOT, 'scripts/lib/web-bundle.mjs'));
    const result = await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/extension/analysisWorker.node.ts')], bundle: true, platform: 'node', format: 'cjs',
      write: false, outfile: 'analysisWorker.js', metafile: true, logLevel: 'silent', plugins: [web.sharedAnalysis],
    });
    const inputs = Object.keys(result.metafile.inputs);
    for (const other of ANALYSIS) assert.ok(!inputs.some((i) => i.includes(other)), `${other} is in the desktop's analysis worker`);
    assert.match(result.outputFiles[0]!.text, /require\("\.\/web\/analysisWorker\.js"\)/);
  });

  it('the browser bundle of the analysis (the Web Worker) has the parser with the tree-sitter workarounds, and requires nothing', async () => {
    const text = await buildWebAnalysis();
    // The tree-sitter workarounds applied: the worker has neither __filename nor document.currentScript, and the
    // glue never takes its Node path (the desktop's worker thread runs this bundle in Node).
    assert.doesNotMatch(text, /Unable to determine script URL/);
    assert.match(text, /var ENVIRONMENT_IS_NODE = false;/);
    assert.doesNotMatch(text, /typeof __filename/);
    // Independently of the metafile: the bundle requires no module at run time (a Web Worker has no require).
    // tree-sitter.js's Node branch (`if (ENVIRONMENT_IS_NODE)`, dead in a worker: no process) calls its own local
    // `var require = createRequire(…)`; that module's wrapper is set aside, and must be where those calls live.
    const start = text.indexOf('  var require_tree_sitter = __commonJS({');
    const end = text.indexOf('\n  });\n', start);   // inside the IIFE, one level indented
    assert.ok(start >= 0 && end > start, 'tree-sitter.js module wrapper not found in the bundle');
    const treeSitter = text.slice(start, end);
    assert.match(treeSitter, /var require = createRequire\(/);
    const requires = (js: string): string[] => [...new Set([...js.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!))];
    assert.deepStrictEqual(requires(text.slice(0, start) + text.slice(end)), []);
    assert.match(text, /^var lrLensAnalysis = /m, 'the bundle defines its one global');
  });

  it('the guard reports a Node built-in that reaches the bundle (src/render/png.ts: zlib)', async () => {
    const web = await importEsm(path.join(ROOT, 'scripts/lib/web-bundle.mjs'));
    // platform node lets esbuild resolve zlib at all (platform browser would refuse to build); the guard must still see it.
    const result = await esbuild.build({
      ...web.webWorkerOptions, platform: 'node', entryPoints: [path.join(ROOT, 'src/render/png.ts')], write: false, outfile: 'png.js', logLevel: 'silent',
    });
    const problems = web.webBundleProblems(result.metafile);
    assert.ok(problems.some((p) => /Node built-in zlib/.test(p)), JSON.stringify(problems));
  });

  it('in the web bundle, ./x.node resolves to its ./x.web twin, and a .node import without one fails the build', async () => {
    const web = await importEsm(path.join(ROOT, 'scripts/lib/web-bundle.mjs'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-web-twin-'));
    try {
      fs.writeFileSync(path.join(dir, 'runner.node.ts'), "import { Worker } from 'worker_threads'; export const runner = String(Worker);");
      fs.writeFileSync(path.join(dir, 'runner.web.ts'), "export const runner = 'in the worker host';");
      fs.writeFileSync(path.join(dir, 'lonely.node.ts'), "import * as fs from 'fs'; export const x = fs;");
      const build = (contents: string) => esbuild.build({ ...web.webWorkerOptions, stdin: { contents, resolveDir: dir, loader: 'ts' },
        write: false, outfile: 'x.js', logLevel: 'silent', plugins: [web.nodeToWebSiblings] });
      const ok = await build("import { runner } from './runner.node'; console.log(runner);");
      assert.match(ok.outputFiles[0]!.text, /in the worker host/);
      assert.deepStrictEqual(web.webBundleProblems(ok.metafile), []);
      await assert.rejects(build("import { x } from './lonely.node'; console.log(x);"), /lonely\.node is Node-only and has no lonely\.web\.ts/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('base64Bytes decodes as Node\'s Buffer does', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) % 256);
    for (const n of [0, 1, 2, 3, 100, 256]) {
      const b64 = Buffer.from(bytes.subarray(0, n)).toString('base64');
      assert.deepStrictEqual([...base64Bytes(b64)], [...bytes.subarray(0, n)]);
    }
    assert.throws(() => base64Bytes('not base64!'));
  });

  it('newNonce gives 16 fresh random bytes in base64', () => {
    const a = newNonce();
    const b = newNonce();
    assert.strictEqual(Buffer.from(a, 'base64').length, 16);
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.notStrictEqual(a, b);
  });
});
