/** One CodeLens per scheduler construction, titled with the curve's summary, that opens the preview. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, closeAll, codeLenses, openFixture, rangeOf, waitFor } from './helpers';

suite('CodeLens', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('the CosineAnnealingWarmUpRestarts construction has a lens with its summary', async () => {
    const { document: doc } = await openFixture('warmup_restarts.py');
    const line = rangeOf(doc, 'scheduler = ').start.line;
    const lenses = await waitFor(async () => {
      const ls = (await codeLenses(doc.uri)).filter((l) => l.command?.title);
      return ls.length ? ls : undefined;
    }, undefined, 20_000, 'no resolved CodeLens in warmup_restarts.py');
    const mine = lenses.filter((l) => l.range.start.line === line);
    assert.strictEqual(mine.length >= 1, true, `no lens on line ${line + 1}; lenses on ${lenses.map((l) => l.range.start.line + 1).join(', ')}`);
    assert.strictEqual(lenses.filter((l) => l.range.start.line !== line).length, 0, 'lenses on lines without a scheduler');
    const lens = mine.find((l) => /lrLens\.openPreview/.test(l.command!.command)) ?? mine[0];
    assert.match(lens.command!.command, /^lrLens\.openPreview(ToSide)?$/, 'the lens opens the preview');
    // Summary: the peak (eta_max 0.1) must be part of it (semantics.md §6.1 blog example).
    assert.match(lens.command!.title, /(^|[^\d.])0\.10*(?!\d)|1(\.0+)?e-0?1/, `lens title lacks the peak 0.1: ${lens.command!.title}`);
  });
});
