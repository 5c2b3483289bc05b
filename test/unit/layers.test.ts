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
  // VS Code for the Web: no Node built-in (module or global) in the code the extension bundles.
  ['src/extension/previewPanel.ts', "import { randomBytes } from 'crypto';", 'no-restricted-imports'],
  ['src/extension/previewManager.ts', "import { appendFile } from 'fs';", 'no-restricted-imports'],
  ['src/frontends/parser.ts', "import * as path from 'path';", 'no-restricted-imports'],
  ['src/frontends/parser.ts', "import { readFile } from 'node:fs/promises';", 'no-restricted-imports'],
  ['src/analysis/analyze.ts', "import { Worker } from 'worker_threads';", 'no-restricted-imports'],
  ['src/lint/index.ts', "import * as os from 'os';", 'no-restricted-imports'],
  ['src/render/svg.ts', "import { deflateSync } from 'zlib';", 'no-restricted-imports'],
  ['src/protocol/protocol.ts', "import { spawn } from 'child_process';", 'no-restricted-imports'],
  ['src/extension/exportFiles.ts', "export const b = Buffer.from('eA==', 'base64');", 'no-restricted-globals'],
  ['src/extension/previewManager.ts', "export const out = process.env.X;", 'no-restricted-globals'],
  ['src/frontends/parser.ts', "export const here = __dirname;", 'no-restricted-globals'],
  ['src/extension/panelHtml.ts', "export const n = crypto.getRandomValues(new Uint8Array(16));", null],
  ['src/extension/exportFiles.ts', "export const b = atob('eA==');", null],
  // Node-only by design: allowed, and kept out of the browser bundle by esbuild.mjs's guard.
  ['src/render/png.ts', "import { deflateSync } from 'zlib';", null],
  ['src/frontends/nodeGrammars.ts', "import * as fs from 'fs';", null],
  ['src/analysis/runner.node.ts', "import { Worker } from 'node:worker_threads';", null],
  ['src/cli/cli.ts', "import * as fs from 'fs';", null],
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
