/** Settings take effect without a reload: `lrLens.codeLens.enabled = false` removes the lenses, `true` brings them back. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, codeLenses, openFixture, resetConfiguration, setSetting, waitFor, WAIT_MS } from './helpers';

suite('settings', () => {
  suiteSetup(async () => { await activate(); await resetConfiguration(); });
  suiteTeardown(async () => { await resetConfiguration(); await closeAll(); });

  test('lrLens.codeLens.enabled=false hides the CodeLens, true restores it', async () => {
    const { document: doc } = await openFixture('warmup_restarts.py');
    const count = async (): Promise<number> => (await codeLenses(doc.uri)).filter((l) => l.command?.command.startsWith('lrLens.')).length;
    await waitFor(count, undefined, WAIT_MS, 'no LR Lens CodeLens before the settings change');
    await setSetting('codeLens.enabled', false);
    await waitFor(async () => (await count()) === 0, vscode.workspace.onDidChangeConfiguration, 10_000,
      'CodeLens still present with lrLens.codeLens.enabled=false');
    await setSetting('codeLens.enabled', true);
    const back = await waitFor(count, undefined, 10_000, 'CodeLens did not come back with lrLens.codeLens.enabled=true');
    assert.ok(back >= 1);
  });
});
