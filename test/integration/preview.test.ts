/**
 * The preview command opens the panel, and the panel reports back what it actually drew (through the
 * extension's test API, fed by the webview's `rendered` message): the scheduler and its series.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, openFixture, rangeOf, RenderedReport, replaceText, waitFor, WAIT_MS } from './helpers';

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
    const { document: doc } = await openFixture('warmup_restarts.py');
    const call = rangeOf(doc, 'CosineAnnealingWarmUpRestarts(optimizer', 'scheduler =');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(call.start, call.start);
    const analysis = await api.analysisFor(doc.uri);
    const scheduler = analysis?.schedulers.find((s) => s.range.start.line === call.start.line);
    assert.ok(scheduler, `analysisFor() has no scheduler on line ${call.start.line + 1}`);

    const rendered = api.waitForRender((r) => r.uri === doc.uri.toString() && r.series.length > 0, WAIT_MS);
    await vscode.commands.executeCommand('lrLens.openPreview', doc.uri.toString(), scheduler.id);
    await waitFor(() => previewTabs().length > 0, vscode.window.tabGroups.onDidChangeTabs, WAIT_MS, 'no lrLens.preview webview tab opened');
    const report = await rendered;
    assert.deepStrictEqual(api.getLastRendered(doc.uri.toString()), report, 'getLastRendered() is not the last report');
    checkReport(report, scheduler.id);
  });

  test('a hidden panel catches up when shown again: an edit made while it was hidden is drawn', async () => {
    const api = await activate();
    const editor = await openFixture('warmup_restarts.py');
    const doc = editor.document;
    const uri = doc.uri.toString();
    const shown = api.waitForRender((r) => r.uri === uri && r.series.length > 0, WAIT_MS);
    await vscode.commands.executeCommand('lrLens.openPreviewToSide', uri);
    const beforeReport = await shown;
    const panelTab = (): vscode.Tab | undefined => previewTabs()[0];
    const group = vscode.window.tabGroups.all.find((g) => g.tabs.includes(panelTab()!));
    assert.ok(group, 'no group holds the panel');
    // Another editor over the panel in its group: the webview is hidden (and VS Code may discard it).
    const other = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'cover' });
    await vscode.window.showTextDocument(other, { viewColumn: group.viewColumn, preview: false });
    await waitFor(() => !panelTab()?.isActive, vscode.window.tabGroups.onDidChangeTabs, WAIT_MS, 'the panel tab is still active');
    const seqBefore = api.getLastRendered(uri)?.seq ?? -1;
    // T_0 150 → 40: the first restart moves to step 40 (the horizon stays the loop's 300 epochs).
    await replaceText(doc, 'T_0=150', 'T_0=40', 'scheduler =');
    await api.analysisFor(doc.uri);
    const redrawn = api.waitForRender((r) => r.uri === uri && r.seq > seqBefore, WAIT_MS);
    await vscode.commands.executeCommand('lrLens.openPreview', uri);
    const report = await redrawn;
    const lr = report.series.find((x) => x.axis === 'lr');
    assert.ok(lr && lr.points >= 2, 'the shown panel drew no lr series');
    // 300 epochs (the loop's run) either way: restarts at 150 and 300 before, every 40 epochs after.
    assert.notStrictEqual(report.markers, beforeReport.markers, `the panel still draws ${report.markers} markers, as before the edit`);
  });
});

/** The blog example (docs/torch-schedulers.md): one param group, T_up 10 > 0 and optimizer lr 0, so lr[0] = 0. */
function checkReport(report: RenderedReport, schedulerId: string): void {
  assert.strictEqual(report.selectedId, schedulerId, 'the panel drew another scheduler');
  assert.strictEqual(report.message, null, `the panel shows a message instead of a curve: ${report.message}`);
  const lr = report.series.filter((s) => s.axis === 'lr');
  assert.strictEqual(lr.length, 1, `expected one lr series (one param group), got ${lr.map((s) => s.label).join(', ')}`);
  assert.ok(lr[0].points >= 2, `series "${lr[0].label}" has ${lr[0].points} points`);
  assert.strictEqual(lr[0].firstY, 0, 'the warm-up starts at the optimizer lr, 0');
  assert.ok(report.markers > 0, 'no restart/warm-up markers drawn');
}
