/** The extension activates by itself when a Python document opens (no explicit activate() call first). */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { extension, openFixture, waitFor, WAIT_MS } from './helpers';

suite('activation', () => {
  test('opening a Python file activates LR Lens and its commands exist', async () => {
    const ext = extension();
    const editor = await openFixture('warmup_restarts.py');
    assert.strictEqual(editor.document.languageId, 'python');
    // No activation event to subscribe to: re-check when editors change, and on the helper's poll.
    await waitFor(() => ext.isActive, vscode.window.onDidChangeActiveTextEditor, WAIT_MS, 'LR Lens did not activate on a Python file');
    const api = ext.exports;
    assert.ok(api && typeof api === 'object', 'activate() must return the test API object');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('lrLens.openPreview'), 'command lrLens.openPreview is not registered');
  });
});
