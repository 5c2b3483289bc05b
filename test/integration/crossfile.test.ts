/**
 * Values from another module of the workspace (read through vscode.workspace.fs), and re-analysis of the
 * importer when the imported module changes on disk (the file system watcher) or in an editor, unsaved.
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

  test('unsaved edits of an imported module count, and closing it without saving returns to the file on disk', async () => {
    const api = await activate();
    const { document: doc } = await openFixture('crossfile_train.py');
    const gamma = async () => {
      const r = await api.analysisFor(doc.uri);
      return r?.schedulers.find((s) => s.variable === 'scheduler')?.args.gamma;
    };
    await waitFor(async () => (await gamma()) === 0.5, api.onDidAnalyze, WAIT_MS, 'gamma = settings.GAMMA = 0.5 from disk');
    const settings = await vscode.workspace.openTextDocument(fixtureUri('crossfile_conf/settings.py'));
    await vscode.window.showTextDocument(settings, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    const line = settings.getText().split('\n').findIndex((l) => l.startsWith('GAMMA'));
    assert.ok(line >= 0, 'the fixture module sets GAMMA');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(settings.uri, settings.lineAt(line).range, 'GAMMA = 0.125');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(settings.isDirty, 'the module is edited, not saved');
    await waitFor(async () => (await gamma()) === 0.125, api.onDidAnalyze, WAIT_MS, 'gamma follows the unsaved edit of the imported module');
    const r = await api.analysisFor(doc.uri);
    assert.strictEqual(r!.schedulers[0]!.argInfo.find((a) => a.name === 'gamma')!.origin, `settings.GAMMA = 0.125 (crossfile_conf/settings.py:${line + 1})`);
    // Discard the edit: the editor closes without saving, and the importer sees the file on disk again.
    await vscode.window.showTextDocument(settings);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(async () => (await gamma()) === 0.5, api.onDidAnalyze, WAIT_MS, 'gamma back to the saved module once the edit is discarded');
  });

  test('a factory module previews with the values another file of the workspace passes, and follows that file\'s changes', async () => {
    const api = await activate();
    const { document: doc } = await openFixture('crossfile_conf/schedules.py');
    const caller = fixtureUri('crossfile_caller.py');
    const original = await vscode.workspace.fs.readFile(caller);
    const tMax = async () => (await api.analysisFor(doc.uri))?.schedulers[0]?.args.T_max;
    try {
      await waitFor(async () => (await tMax()) === 40, api.onDidAnalyze, WAIT_MS, 'T_max = 40 from the call in crossfile_caller.py (found through the workspace\'s file listing)');
      const r = await api.analysisFor(doc.uri);
      assert.deepStrictEqual(r!.schedulers[0]!.assumed.find((a) => a.what === 'T_max')?.why, 'from the call at crossfile_caller.py:6');
      await vscode.workspace.fs.writeFile(caller, new TextEncoder().encode(new TextDecoder().decode(original).replace('epochs=40', 'epochs=70')));
      await waitFor(async () => (await tMax()) === 70, api.onDidAnalyze, WAIT_MS, 'T_max follows the caller changed on disk');
    } finally {
      await vscode.workspace.fs.writeFile(caller, original);
    }
  });
});
