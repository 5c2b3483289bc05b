/**
 * Values from another module of the workspace (read through vscode.workspace.fs), and re-analysis of the
 * importer when the imported module changes on disk (the file system watcher).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, fixtureUri, openFixture, waitFor, WAIT_MS } from './helpers';

suite('across files', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('a constant of an imported module is used, and a change to that module re-analyses the importer', async () => {
    const api = await activate();
    const { document: doc } = await openFixture('crossfile_train.py');
    const settings = fixtureUri('crossfile_conf/settings.py');
    const original = await vscode.workspace.fs.readFile(settings);
    const gamma = async () => {
      const r = await api.analysisFor(doc.uri);
      return r?.schedulers.find((s) => s.variable === 'scheduler')?.args.gamma;
    };
    try {
      await waitFor(async () => (await gamma()) === 0.5, api.onDidAnalyze, WAIT_MS, 'gamma = settings.GAMMA = 0.5 from crossfile_conf/settings.py');
      const r = await api.analysisFor(doc.uri);
      const arg = r!.schedulers[0]!.argInfo.find((a) => a.name === 'gamma')!;
      assert.strictEqual(arg.origin, 'settings.GAMMA = 0.5 (crossfile_conf/settings.py:3)');
      await vscode.workspace.fs.writeFile(settings, new TextEncoder().encode('STEP_SIZE = 3\nGAMMA = 0.25\n'));
      await waitFor(async () => (await gamma()) === 0.25, api.onDidAnalyze, WAIT_MS, 'gamma follows the module changed on disk');
    } finally {
      await vscode.workspace.fs.writeFile(settings, original);
    }
  });
});
