/**
 * The integration suites' entry point in a Node extension host (code-server's, or desktop VS Code through
 * @vscode/test-electron): VS Code's extension-test protocol loads this module and awaits run(). The web worker
 * host has its own entry, web/index.ts (mocha's browser build, the suites bundled).
 * Env (set on code-server / Electron):
 *   LR_LENS_TEST_RESULTS  write a JSON summary of every test here (the launcher counts and prints it)
 *   LR_LENS_TEST_GREP     only run tests whose full title matches this regular expression
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');
import { record, writeResults } from './results';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.LR_LENS_TEST_GREP) mocha.grep(new RegExp(process.env.LR_LENS_TEST_GREP));
  // The host suite first: when it fails, nothing else is meaningful. The notebook suite (languages) last, as in the
  // web-worker host (scripts/lib/web-suites.mjs says why): in code-server every webview shares one origin, and a panel
  // opened after a notebook's webview now and then never draws (seen in the latency suite here too).
  const rank = (f: string): number => (f === 'host.test.js' ? -1 : f === 'languages.test.js' ? 1 : 0);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    let results: ReturnType<typeof record> = [];
    const runner = mocha.run((failures) => {
      void (async () => {
        const out = process.env.LR_LENS_TEST_RESULTS;
        if (out) await writeResults(out, results);
        console.log(`integration (in extension host): ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      })().catch(reject);
    });
    results = record(runner);
  });
}
