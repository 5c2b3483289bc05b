/**
 * The layer rules of eslint.config.mjs reject what they must and accept what they must: each case lints a
 * one-line source as if it were a file at that path (ESLint's Node API, the repository's own config).
 * `npm run lint` checks the tree itself.
 */
import * as assert from 'assert';
import { ESLint } from 'eslint';
import * as path from 'path';

const ROOT = path.join(__dirname, '../../..');

/** [file the source pretends to be, source, the rule that must fire or null when it must pass]. */
const CASES: [string, string, string | null][] = [
  ['src/engine/simulate.ts', "import { x } from '../extension/extension';", 'no-restricted-imports'],
  ['src/engine/schedulers/step.ts', "import { x } from '../../analysis/types';", 'no-restricted-imports'],
  ['src/engine/schedulers/step.ts', "import { x } from '../types';", null],
  ['src/engine/py.ts', "import * as fs from 'fs';", 'no-restricted-imports'],
  ['src/engine/py.ts', "export { x } from '../lint';", 'no-restricted-imports'],
  ['src/engine/py.ts', "const m = require('../cli/cli');", 'no-restricted-syntax'],
  ['src/frontends/python/interp.ts', "import { analyze } from '../../analysis/analyze';", 'no-restricted-imports'],
  ['src/frontends/python/interp.ts', "import type { Range } from '../../analysis/types';", null],
  ['src/frontends/positions.ts', "import { rules } from '../lint';", 'no-restricted-imports'],
  ['src/frontends/typescript/evaluate.ts', "import { svg } from '../../render/svg';", 'no-restricted-imports'],
  ['src/lint/rules/horizon.ts', "import { x } from '../../extension/hover';", 'no-restricted-imports'],
  ['src/lint/rules/horizon.ts', "import { x } from '../../engine/types';", null],
  ['src/cli/cli.ts', "import * as vscode from 'vscode';", 'no-restricted-imports'],
  ['src/render/svg.ts', "import type { Range } from 'vscode';", 'no-restricted-imports'],
  ['src/extension/hover.ts', "import * as vscode from 'vscode';", null],
  ['test/integration/hover.test.ts', "import * as vscode from 'vscode';", null],
  ['test/unit/cli/cli.test.ts', "import * as vscode from 'vscode';", 'no-restricted-imports'],
  ['webview/chart.ts', "import { simulate } from '../src/engine/simulate';", 'no-restricted-imports'],
  ['webview/chart.ts', "import { panelHtml } from '../src/extension/panelHtml';", 'no-restricted-imports'],
  ['webview/chart.ts', "import { parseToWebview } from '../src/protocol/protocol';", null],
  ['webview/chart.ts', "import { formatStep } from '../src/render/ticks';", null],
  ['webview/chart.ts', "import { Chart } from 'chart.js';", null],
  ['webview/chart.ts', "import { readTheme } from './theme';", null],
];

describe('layer rules (eslint.config.mjs)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });

  for (const [file, source, rule] of CASES) {
    it(`${rule ? 'rejects' : 'accepts'} in ${file}: ${source}`, async () => {
      const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
      const fired = result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
      if (rule === null) assert.deepStrictEqual(fired, []);
      else assert.ok(fired.length === 1 && fired[0]!.includes(rule), `expected ${rule}, got ${JSON.stringify(fired)}`);
    });
  }
});
