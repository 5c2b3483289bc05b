/**
 * Entry point of VS Code's extension-test protocol: the workbench `require()`s this module inside the
 * extension host (code-server's Node host via scripts/run-integration.mjs, or Electron via runTest.ts)
 * and awaits `run()`. A rejection means failure.
 *
 * Env (read in the extension host, which inherits it from code-server / Electron):
 *   LR_LENS_TEST_RESULTS  write a JSON summary of every test here (the launcher counts and prints it)
 *   LR_LENS_TEST_GREP     only run tests whose full title matches this regular expression
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

/** One test's outcome in the JSON summary. */
interface TestResult { title: string; state: 'passed' | 'failed' | 'pending'; ms: number; error?: string }

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.LR_LENS_TEST_GREP) mocha.grep(new RegExp(process.env.LR_LENS_TEST_GREP));
  // The host suite first: when it fails, nothing else is meaningful.
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => (a === 'host.test.js' ? -1 : b === 'host.test.js' ? 1 : a.localeCompare(b)));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.LR_LENS_TEST_RESULTS;
      if (out) {
        fs.writeFileSync(out, JSON.stringify({
          passed: results.filter((r) => r.state === 'passed').length,
          failed: results.filter((r) => r.state === 'failed').length,
          pending: results.filter((r) => r.state === 'pending').length,
          tests: results,
        }, null, 2));
      }
      console.log(`integration (in extension host): ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration ?? 0 }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending', ms: 0 }));
    // 'fail' also fires for hooks; record them too, since a failed hook skips its tests.
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', ms: t.duration ?? 0, error: String(err?.stack ?? err).slice(0, 2000) }));
  });
}
