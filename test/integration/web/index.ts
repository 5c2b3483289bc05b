/**
 * The integration suites' entry point in VS Code for the Web's web-worker extension host. VS Code loads this
 * module like the extension (fetch + `new Function`), so it is one bundle whose only require is `vscode`
 * (scripts/run-integration.mjs --web builds it: the suites, mocha's browser build, ./assert for Node's assert).
 * Parameters come from the user setting `lrLensTest.env` (a worker has no process.env).
 */
import 'mocha/mocha.js';   // mocha's prebuilt browser bundle: defines the global `mocha`
import loadSuites from 'lr-lens:integration-suites';
import { testEnv } from '../helpers';
import { record, writeResults } from '../results';

export function run(): Promise<void> {
  // The browser build defaults to the html reporter; the worker has no DOM. spec prints with console.log,
  // which the workbench forwards to the launcher (window.codeAutomationLog).
  mocha.setup({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000 });
  const grep = testEnv('LR_LENS_TEST_GREP');
  if (grep) mocha.grep(new RegExp(grep));
  loadSuites();   // after setup: the tdd globals (suite, test, …) exist only now
  return new Promise((resolve, reject) => {
    let results: ReturnType<typeof record> = [];
    const runner = mocha.run((failures) => {
      void (async () => {
        const out = testEnv('LR_LENS_TEST_RESULTS');
        if (out) await writeResults(out, results);
        console.log(`integration (in the web worker extension host): ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      })().catch(reject);
    });
    results = record(runner);
  });
}
