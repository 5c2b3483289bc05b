/**
 * Beyond plain Python files: a TypeScript training config and a Jupyter notebook whose optimizer and
 * scheduler live in different cells. Expected numbers are read off the fixtures' own arguments:
 * CosineAnnealingLR starts at the optimizer lr (0.001) and decays from there; the notebook's SequentialLR
 * warms AdamW(lr=2e-5) up linearly and peaks at 2e-5.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, codeLenses, fixtureUri, hoverText, rangeOf, waitFor, WAIT_MS } from './helpers';

/** Waits for an LR Lens hover (one with an SVG picture) at `pos` and returns its text without the image data. */
async function lrHover(uri: vscode.Uri, pos: vscode.Position, what: string): Promise<string> {
  const text = await waitFor(async () => {
    const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos) ?? []);
    return /data:image\/svg\+xml/.test(t) ? t : undefined;
  }, vscode.languages.onDidChangeDiagnostics, WAIT_MS, `no LR Lens hover on ${what}`);
  return text.replace(/data:image\/[^)"'\s]+/g, '');
}

suite('TypeScript and notebooks', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('TypeScript: new CosineAnnealingLR(optimizer, { T_max: 100 }) gets a hover and a CodeLens', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri('schedule.ts'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'typescript');
    const call = rangeOf(doc, 'CosineAnnealingLR(optimizer');
    const text = await lrHover(doc.uri, call.start.translate(0, 3), 'the TypeScript CosineAnnealingLR call');
    assert.match(text, /(^|[^\d.])0\.0010*(?!\d)|1(\.0+)?e-0?3/, `the optimizer lr 0.001 (the curve's start and peak) is not in the hover:\n${text}`);
    const lenses = await waitFor(async () => (await codeLenses(doc.uri)).filter((l) => l.range.start.line === call.start.line && l.command),
      undefined, WAIT_MS, 'no CodeLens on the TypeScript scheduler line');
    assert.ok(lenses.length > 0);
  });

  test('notebook: the scheduler cell uses the optimizer from an earlier cell', async () => {
    const nb = await vscode.workspace.openNotebookDocument(fixtureUri('notebook.ipynb'));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.getCells().find((c) => c.document.getText().includes('SequentialLR(optimizer'));
    assert.ok(cell, 'fixture: no cell with the SequentialLR construction');
    assert.ok(!cell.document.getText().includes('AdamW('), 'fixture: the optimizer must live in another cell');
    const doc = cell.document;
    assert.strictEqual(doc.uri.scheme, 'vscode-notebook-cell');
    const call = rangeOf(doc, 'SequentialLR(optimizer');
    const text = await lrHover(doc.uri, call.start.translate(0, 3), 'the notebook SequentialLR call');
    // Peak = the AdamW lr of the other cell (2e-5): proof the cells were read together, top to bottom.
    assert.match(text, /2(\.0+)?e-0?5|0\.000020*(?!\d)/, `the peak 2e-5 (AdamW lr from the earlier cell) is not in the hover:\n${text}`);
  });
});
