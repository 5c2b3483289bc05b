// Runs the integration suite (test/integration, compiled to out/test/integration) inside a real VS Code:
// code-server 4.100.3's Node extension host, through VS Code's extension-test protocol. code-server's CLI
// has no --extensionTestsPath, but the browser workbench reads `extensionDevelopmentPath` and
// `extensionTestsPath` from the URL payload, runs the tests' run(), and calls window.codeAutomationExit(code).
//
//   node scripts/run-integration.mjs          (after: node esbuild.mjs && npx tsc -p .)
//   node scripts/run-integration.mjs --web    the same suites in VS Code for the Web's web-worker extension host:
//     the user settings set `remote.extensionKind` to ["web"] for LR Lens (so code-server's web client runs its
//     `browser` entry, dist/web/extension.js, in the worker), and the suites are bundled for the worker
//     (test/integration/web/index.ts → out/test/integration-web/index.js, mocha's browser build). Parameters
//     reach the worker as the user setting `lrLensTest.env` (no process.env there).
// Env: LR_LENS_TEST_GREP (regexp on test titles), LR_LENS_TEST_TIMEOUT_MS (default 300000),
//      LR_LENS_RESULTS_DIR (default test-results/), LR_LENS_EXT_DEV_PATH (the extension folder to test; default the repository, e.g. an unpacked .vsix instead)
// Prints `integration: N passed, M failed` (`integration-web: …` with --web) last; exits non-zero on any failure or when it cannot run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { startCodeServer } from './code-server.mjs';
import { buildWebSuites, WEB_HOST_SETTINGS } from './lib/web-suites.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { sampleMemory } from './lib/proc.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = path.resolve(process.env.LR_LENS_RESULTS_DIR || path.join(ROOT, 'test-results'));
const WEB = process.argv.includes('--web');
const NAME = WEB ? 'integration-web' : 'integration';
const TESTS = WEB ? path.join(ROOT, 'out', 'test', 'integration-web', 'index.js') : path.join(ROOT, 'out', 'test', 'integration', 'index.js');
const EXT = path.resolve(process.env.LR_LENS_EXT_DEV_PATH || ROOT);
const T0 = Date.now();
const log = (s) => console.log(`[${NAME} ${((Date.now() - T0) / 1000).toFixed(1)}s] ${s}`);

/** Extension-host console lines that are noise in every run (marketplace lookups without network, etc.). */
const NOISE = /open-vsx|ENOTFOUND|Creating a socket|connection token|Service Worker|ChatSession|builtin extensions|vsda|^\s+at /;

function fail(reason) {
  console.error(`${NAME}: cannot run: ${reason}`);
  console.log(`${NAME}: 0 passed, 1 failed`);
  process.exit(1);
}

if (WEB) {
  try {
    log(`bundled the suites for the web worker: ${await buildWebSuites(ROOT, TESTS)}`);
  } catch (e) {
    fail(`bundling the suites for the web worker failed: ${e.message}`);
  }
}
for (const [file, hint] of [[path.join(EXT, 'package.json'), 'LR_LENS_EXT_DEV_PATH wrong?'], [TESTS, 'run npx tsc -p . first']]) {
  if (!fs.existsSync(file)) fail(`${path.relative(ROOT, file)} missing (${hint})`);
}
const manifest = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
const main = WEB ? manifest.browser : manifest.main;
// Not fatal: the suites then fail on activation, with the reason, instead of the whole run saying nothing.
if (main && !fs.existsSync(path.join(EXT, main))) log(`WARNING: the extension's ${WEB ? 'browser' : 'main'} ${main} is missing (node esbuild.mjs not run, or no src/extension/extension.ts yet)`);

fs.mkdirSync(RESULTS_DIR, { recursive: true });
// A fresh copy of the fixture workspace per run: tests edit documents (in memory) and must never touch the repo.
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-it-ws-'));
fs.cpSync(path.join(ROOT, 'test', 'integration', 'workspace'), ws, { recursive: true });
// Fixtures that are also examples are copied from examples/, not kept twice.
for (const f of JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'integration', 'workspace-from-examples.json'), 'utf8'))) {
  fs.copyFileSync(path.join(ROOT, 'examples', f), path.join(ws, f));
}
// The fixtures as written, which every test starts from (helpers.ts openFixture/closeAll): a suite's edit that
// reached the disk copy must not change what a later suite sees.
const pristine = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-it-pristine-'));
fs.cpSync(ws, pristine, { recursive: true });
fs.renameSync(pristine, path.join(ws, '.pristine'));
const resultsFile = path.join(RESULTS_DIR, `${NAME}.json`);
fs.rmSync(resultsFile, { force: true });

let cs, browser, mem, code = 'not started';
try {
  const testEnv = {
    LR_LENS_TEST_RESULTS: resultsFile,
    ...(process.env.LR_LENS_TEST_GREP ? { LR_LENS_TEST_GREP: process.env.LR_LENS_TEST_GREP } : {}),
    ...(process.env.LR_LENS_TEST_WAIT_MS ? { LR_LENS_TEST_WAIT_MS: process.env.LR_LENS_TEST_WAIT_MS } : {}),
  };
  // The Node host reads the environment; the worker host reads the same values from the user settings.
  cs = await startCodeServer({ folder: ws, log, env: testEnv,
    settings: WEB ? { ...WEB_HOST_SETTINGS, 'lrLensTest.env': { ...testEnv, LR_LENS_TEST_HOST: 'web' } } : undefined });
  browser = await launchBrowser();
  mem = sampleMemory({ 'code-server tree': cs.pid });
  const page = await browser.newPage();
  let exit;
  const exited = new Promise((r) => { exit = r; });
  // Both must exist before the workbench loads: it checks for them to decide it runs in automation mode.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The host forwards console.* arguments unformatted (mocha's reporter passes '%s' templates).
    const line = format(...(args ?? [])).replace(/\s+$/, '');
    if (!NOISE.test(line)) for (const l of line.split('\n')) if (!NOISE.test(l)) console.log(`  | ${l}`);
  });
  await page.exposeFunction('codeAutomationExit', (c) => exit(c));
  page.on('pageerror', (e) => log(`workbench page error: ${e.message}`));
  const payload = [['extensionDevelopmentPath', cs.remoteUri(EXT)], ['extensionTestsPath', cs.remoteUri(TESTS)]];
  const url = `${cs.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  log(`opening the workbench with extensionDevelopmentPath=${EXT}`);
  await page.goto(url);
  const timeoutMs = Number(process.env.LR_LENS_TEST_TIMEOUT_MS || 300_000);
  let timer;
  code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
  clearTimeout(timer);
  log(`codeAutomationExit(${code})`);
  if (code !== 0) await page.screenshot({ path: path.join(RESULTS_DIR, `${NAME}-exit.png`) }).catch((e) => log(`screenshot failed: ${e.message}`));
} catch (e) {
  log(`ERROR: ${e.stack || e}`);
} finally {
  await browser?.close().catch((e) => log(`closing chromium failed: ${e.message}`));
  const peaks = mem?.stop();
  if (cs) {
    fs.copyFileSync(cs.run.log, path.join(RESULTS_DIR, `${NAME}-code-server.log`));
    const leftovers = await cs.stop();
    log(`code-server stopped${leftovers.length ? ` (killed leftover pids ${leftovers.join(' ')})` : ''}`);
  }
  fs.rmSync(ws, { recursive: true, force: true });
  if (peaks) log(`memory peak: code-server tree ${peaks['code-server tree'].pssMb} MB PSS (${peaks['code-server tree'].rssMb} MB RSS); system +${peaks.systemUsedAboveStartMb} MB`);
}

// Count tests from the runner's summary; without one (crash, timeout, no results) the run counts as one failure.
let passed = 0, failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  passed = r.passed; failed = r.failed;
  for (const t of r.tests.filter((x) => x.state === 'failed')) console.log(`  FAILED: ${t.title}\n    ${t.error.split('\n')[0]}`);
} catch {
  failed = 1;
  console.log(`${NAME}: no results file (exit ${code}): the suite did not run to the end`);
}
if (code !== 0 && failed === 0) failed = 1;   // e.g. run() rejected outside a test
log(`done in ${((Date.now() - T0) / 1000).toFixed(1)} s`);
console.log(`${NAME}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
