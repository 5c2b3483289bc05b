/**
 * The preview command opens the panel, and the panel reports back what it actually drew (through the
 * extension's test API, fed by the webview's `rendered` message): the scheduler and its series.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, openFixture, rangeOf, RenderedReport, waitFor } from './helpers';

/** Tabs showing an LR Lens webview panel. */
function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && /lrLens\.preview/.test(t.input.viewType));
}

suite('preview panel', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('lrLens.openPreview opens the panel and it reports the series it drew', async () => {
    const api = await activate();
    assert.strictEqual(typeof api.getLastRendered, 'function', 'the test API must expose getLastRendered()');
    const { document: doc } = await openFixture('warmup_restarts.py');
    const call = rangeOf(doc, 'CosineAnnealingWarmUpRestarts(optimizer', 'scheduler =');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(call.start, call.start);
    const before = api.getLastRendered!();

    await vscode.commands.executeCommand('lrLens.openPreview', doc.uri.toString());
    await waitFor(() => previewTabs().length > 0, vscode.window.tabGroups.onDidChangeTabs, 15_000, 'no lrLens.preview webview tab opened');

    const report = await waitFor(() => {
      const r = api.getLastRendered!();
      return r && r !== before && Array.isArray(r.series) && r.series.length > 0 ? r : undefined;
    }, undefined, 20_000, 'the panel never reported a render with series');
    checkReport(report);
  });
});

/** The blog example (semantics.md §6.1): one param group, lr 0 → peak 0.1. */
function checkReport(report: RenderedReport): void {
  assert.match(String(report.schedulerId ?? ''), /CosineAnnealingWarmUpRestarts/, `report is for ${String(report.schedulerId)}`);
  const series = report.series!;
  assert.ok(series.length >= 1, 'no series drawn');
  const lr = series[0];
  const points = lr.points ?? lr.values?.length ?? 0;
  assert.ok(points >= 2, `series "${lr.label}" has ${points} points`);
  const max = lr.max ?? (lr.values ? Math.max(...lr.values) : undefined);
  if (max !== undefined) assert.ok(Math.abs(max - 0.1) < 1e-9, `series max ${max}, expected the peak 0.1`);
  const min = lr.min ?? (lr.values ? Math.min(...lr.values) : undefined);
  if (min !== undefined) assert.ok(Math.abs(min) < 1e-9, `series min ${min}, expected 0 (optimizer lr=0)`);
}
