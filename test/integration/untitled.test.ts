/**
 * An untitled (never saved) Python document gets the same features as a file: diagnostics, hover and
 * CodeLens. Expected values come from the rules and formulas in docs/rules.md and docs/torch-schedulers.md: StepLR keeps the optimizer's
 * lr (0.1) until its first step_size boundary, and CosineAnnealingLR with T_max=0 is rule LR070 (§7).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, codeLenses, hoverText, rangeOf, ruleOf, summarize, waitFor, waitForDiagnostics, WAIT_MS } from './helpers';

const SOURCE = [
  'import torch',
  'from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR',
  '',
  'model = torch.nn.Linear(2, 2)',
  'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
  'steps = StepLR(optimizer, step_size=30, gamma=0.5)',
  'broken = CosineAnnealingLR(optimizer, T_max=0)',
  '',
].join('\n');

suite('untitled documents', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('an untitled Python document gets diagnostics, hover and CodeLens', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: SOURCE });
    assert.strictEqual(doc.uri.scheme, 'untitled');
    await vscode.window.showTextDocument(doc, { preview: false });

    const broken = rangeOf(doc, 'CosineAnnealingLR(optimizer');
    const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => ruleOf(x) === 'LR070'), 'no LR070 on the untitled document');
    const lr070 = ds.filter((d) => ruleOf(d) === 'LR070');
    assert.ok(lr070.every((d) => d.range.start.line === broken.start.line), `LR070 on the wrong line: ${summarize(ds)}`);

    const stepLine = rangeOf(doc, 'steps = StepLR').start.line;
    const lenses = await waitFor(async () => {
      const ls = (await codeLenses(doc.uri)).filter((l) => l.command?.title && l.range.start.line === stepLine);
      return ls.length ? ls : undefined;
    }, undefined, WAIT_MS, 'no resolved CodeLens on the StepLR line of the untitled document');
    // StepLR: the lr stays at the optimizer's 0.1 until step 30, so the peak is 0.1.
    assert.ok(lenses.some((l) => /peak 0\.1\b/.test(l.command!.title)), `no "peak 0.1" lens: ${lenses.map((l) => l.command!.title).join(' | ')}`);

    const at = rangeOf(doc, 'StepLR(optimizer').start.translate(0, 2);
    const text = await waitFor(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const t = hoverText(hovers ?? []);
      return /data:image\/svg\+xml/.test(t) ? t : undefined;
    }, undefined, WAIT_MS, 'no hover with a picture on the StepLR call of the untitled document');
    const plain = text.replace(/data:image\/[^)"'\s]+/g, '');
    assert.match(plain, /peak \*\*0\.1\*\*/, `peak 0.1 not in the hover:\n${plain}`);
    // 0.1 · 0.5 = 0.05 after the first boundary; the default horizon covers it.
    assert.match(plain, /min \*\*0\.05\*\*|0\.025|0\.0125/, `the decayed lr (0.05 or lower) is not in the hover:\n${plain}`);
  });
});
