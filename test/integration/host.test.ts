/**
 * Sanity of the test host itself: the suite runs inside a real VS Code 1.100 extension host — the Node host, or
 * VS Code for the Web's worker host when the launcher says so (LR_LENS_TEST_HOST=web) — with the repository
 * loaded as the development extension and the fixture workspace open. If this fails, every other result of the
 * run is meaningless.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, extension, fixtureUri, HOST } from './helpers';

suite('host', () => {
  test(`runs in the ${HOST === 'web' ? 'web-worker' : 'Node'} extension host of VS Code 1.100`, () => {
    if (HOST === 'web') {
      // A worker: no Node, no DOM; the browser entry (package.json `browser`) is what runs.
      assert.strictEqual(typeof process, 'undefined');
      assert.strictEqual(typeof (globalThis as { document?: unknown }).document, 'undefined');
      assert.strictEqual(typeof (globalThis as { importScripts?: unknown }).importScripts, 'function');
      assert.strictEqual(vscode.env.uiKind, vscode.UIKind.Web);
    } else {
      assert.strictEqual(typeof process.versions.node, 'string');
    }
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.ok(Number(vscode.version.split('.')[1]) >= 100, `VS Code ${vscode.version} is older than the engine 1.100`);
    assert.strictEqual(vscode.env.uiKind === vscode.UIKind.Web || vscode.env.uiKind === vscode.UIKind.Desktop, true);
  });

  test(`the development extension ${EXTENSION_ID} is loaded from the repository`, () => {
    const ext = extension();
    assert.strictEqual(ext.packageJSON.name, 'lr-lens');
    // The worker host runs extensions "locally" (in the browser): ExtensionKind.UI.
    assert.strictEqual(ext.extensionKind, HOST === 'web' ? vscode.ExtensionKind.UI : vscode.ExtensionKind.Workspace);
  });

  test('the fixture workspace is open', async () => {
    const stat = await vscode.workspace.fs.stat(fixtureUri('warmup_restarts.py'));
    assert.strictEqual(stat.type, vscode.FileType.File);
  });
});
