/** One CodeLens per scheduler construction, titled with the curve's summary, that opens the preview. */
import * as assert from 'assert';
import { activate, closeAll, codeLenses, openFixture, rangeOf, waitFor, WAIT_MS } from './helpers';

suite('CodeLens', () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test('the CosineAnnealingWarmUpRestarts construction has a lens with its summary', async () => {
    const { document: doc } = await openFixture('warmup_restarts.py');
    const line = rangeOf(doc, 'scheduler = ').start.line;
    const lenses = await waitFor(async () => {
      const ls = (await codeLenses(doc.uri)).filter((l) => l.command?.title);
      return ls.length ? ls : undefined;
    }, undefined, WAIT_MS, 'no resolved CodeLens in warmup_restarts.py');
    const mine = lenses.filter((l) => l.range.start.line === line);
    assert.strictEqual(mine.length >= 1, true, `no lens on line ${line + 1}; lenses on ${lenses.map((l) => l.range.start.line + 1).join(', ')}`);
    assert.strictEqual(lenses.filter((l) => l.range.start.line !== line).length, 0, 'lenses on lines without a scheduler');
    for (const l of mine) assert.match(l.command!.command, /^lrLens\.openPreview(ToSide)?$/, `lens "${l.command!.title}" does not open the preview`);
    // Summary: the peak is eta_max 0.1, reached at the end of the 10-step warm-up (the blog example in docs/torch-schedulers.md).
    const titles = mine.map((l) => l.command!.title);
    assert.ok(titles.some((t) => /(^|[^\d.])0\.10*(?!\d)|1(\.0+)?e-0?1/.test(t) && /\b10\b/.test(t)),
      `no lens summary with the peak 0.1 at step 10: ${titles.join(' | ')}`);
  });

  test('a curve on argparse defaults: the summary lens names the assumed values', async () => {
    const { document: doc } = await openFixture('assumed_lr.py');
    const line = rangeOf(doc, 'scheduler = ').start.line;
    const titles = await waitFor(async () => {
      const ts = (await codeLenses(doc.uri)).filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
      return ts.some((t) => /peak/.test(t)) ? ts : undefined;
    }, undefined, WAIT_MS, 'no summary lens in assumed_lr.py');
    assert.ok(titles.some((t) => /peak 3e-3 @ 0 .*· gamma assumed 0\.98 · lr assumed 0\.003$/.test(t)), titles.join(' | '));
  });
});
