/**
 * Lint diagnostics in the editor: the right rule ids (docs/rules.md), located on the offending argument,
 * and gone once the argument is fixed.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activate, closeAll, codeLenses, lrDiagnostics, openFixture, rangeOf, replaceText, ruleOf, setText, summarize, waitFor,
  waitForDiagnostics, WAIT_MS,
} from './helpers';

suite('diagnostics', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('LR141 warns about a nonzero optimizer lr under CosineAnnealingWarmUpRestarts (T_up > 0)', async () => {
    const { document: doc } = await openFixture('warmup_restarts_nonzero.py');
    const original = doc.getText();
    try {
      const ds = await waitForDiagnostics(doc.uri, (d) => d.some((x) => ruleOf(x) === 'LR141'), 'LR141 expected');
      const d = ds.find((x) => ruleOf(x) === 'LR141')!;
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, 'LR141 is a warning');
      assert.match(d.message, /0\.01/, 'the message names the optimizer lr');
      // Located either on the optimizer's lr value (what the fix changes) or on the scheduler call.
      const lrValue = rangeOf(doc, '0.01', 'optimizer = ');
      const call = rangeOf(doc, 'CosineAnnealingWarmUpRestarts(optimizer', 'scheduler =');
      assert.ok(d.range.isEqual(lrValue) || (d.range.start.line === call.start.line && d.range.intersection(call)),
        `LR141 range ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} is neither the lr value nor the call`);
      // The unchanged clean fixture has no LR141.
      const other = await openFixture('warmup_restarts.py');
      await waitForDiagnostics(other.document.uri, (x) => !x.some((y) => ruleOf(y) === 'LR141'), 'optimizer lr=0 must not get LR141');

      await vscode.window.showTextDocument(doc);
      await replaceText(doc, 'lr=0.01', 'lr=0', 'optimizer = ');
      await waitForDiagnostics(doc.uri, (x) => !x.some((y) => ruleOf(y) === 'LR141'), 'LR141 should go away after lr=0');
    } finally {
      await setText(doc, original);
    }
  });

  test('each lint case gets its rule id on the offending argument', async () => {
    const { document: doc } = await openFixture('lint_cases.py');
    // rule -> the line's unique start, and the argument its diagnostic must cover (located after that start)
    const expected: Array<[string, string, string]> = [
      ['LR102', 'one_cycle = OneCycleLR(', 'pct_start=1'],
      ['LR070', 'cosine = CosineAnnealingLR(', 'T_max=0'],
      ['LR095', 'cyclic = CyclicLR(', 'base_lr=0.1'],
      ['LR142', 'warm = CosineAnnealingWarmUpRestarts(', 'T_up=10'],
    ];
    const ds = await waitForDiagnostics(doc.uri, (d) => expected.every(([code]) => d.some((x) => ruleOf(x) === code)),
      `expected ${expected.map((e) => e[0]).join(', ')}`);
    for (const [code, anchor, arg] of expected) {
      const line = rangeOf(doc, anchor).start.line;
      const onLine = ds.filter((x) => ruleOf(x) === code && x.range.start.line === line);
      assert.ok(onLine.length > 0, `${code} is not on line ${line + 1} (${summarize(ds)})`);
      const argRange = rangeOf(doc, arg, anchor);
      assert.ok(onLine.some((x) => x.range.intersection(argRange) !== undefined),
        `${code} does not cover the argument ${JSON.stringify(arg)} (${summarize(onLine)})`);
    }
    const severities = new Map(ds.map((x) => [ruleOf(x), x.severity]));
    assert.strictEqual(severities.get('LR102'), vscode.DiagnosticSeverity.Error, 'LR102 raises in torch: error');
    assert.strictEqual(severities.get('LR070'), vscode.DiagnosticSeverity.Error, 'LR070 raises in torch: error');
    assert.strictEqual(severities.get('LR095'), vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(severities.get('LR142'), vscode.DiagnosticSeverity.Warning);
  });

  test('a clean OneCycleLR script has no LR Lens diagnostics', async () => {
    const { document: doc } = await openFixture('onecycle.py');
    // Wait for proof that the file was analysed (its CodeLens), so "no diagnostics" is not just "not yet".
    await waitFor(async () => (await codeLenses(doc.uri)).length,
      undefined, WAIT_MS, 'onecycle.py was never analysed (no CodeLens)');
    assert.deepStrictEqual(lrDiagnostics(doc.uri).map(ruleOf), [], 'onecycle.py should be clean');
  });
});
