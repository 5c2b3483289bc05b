/**
 * Sanity of the test host itself: the suite runs inside a real VS Code 1.100 Node extension host, with the
 * repository loaded as the development extension and the fixture workspace open. If this fails, every other
 * result of the run is meaningless.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, extension, fixtureUri } from './helpers';

suite('host', () => {
  test('runs in a Node extension host of VS Code 1.100', () => {
    assert.strictEqual(typeof process.versions.node, 'string');
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.ok(Number(vscode.version.split('.')[1]) >= 100, `VS Code ${vscode.version} is older than the engine 1.100`);
    assert.strictEqual(vscode.env.uiKind === vscode.UIKind.Web || vscode.env.uiKind === vscode.UIKind.Desktop, true);
  });

  test(`the development extension ${EXTENSION_ID} is loaded from the repository`, () => {
    const ext = extension();
    assert.strictEqual(ext.packageJSON.name, 'lr-lens');
    assert.strictEqual(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });

  test('the fixture workspace is open', async () => {
    const stat = await vscode.workspace.fs.stat(fixtureUri('warmup_restarts.py'));
    assert.strictEqual(stat.type, vscode.FileType.File);
  });
});
