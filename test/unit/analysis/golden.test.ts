/**
 * The ground truth: curves recorded from real PyTorch 1.13 (test/golden/traces.json).
 * Every case goes through the whole pipeline — source text in, curve out, as the CLI does —
 * and every value must agree within 1e-9 relative (the file's own tolerance rule).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import { goldenTraces } from '../../golden';

const close = (a: number, b: number, rel = 1e-9, abs = 1e-15) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe('golden traces from PyTorch 1.13 (full pipeline)', () => {
  const data = goldenTraces();
  it('has the expected number of cases', () => assert.ok(data.cases.length >= 77, `only ${data.cases.length} cases`));

  for (const c of data.cases) {
    it(`${c.id} [${c.kind}]`, async () => {
      const result = await analyze(c.source, 'python', { steps: c.steps });
      const entries = result.schedulers.filter((s) => s.variable === c.variable);
      assert.ok(entries.length, `no scheduler assigned to ${c.variable} (found ${result.schedulers.map((s) => s.variable).join(', ')})`);
      const s = entries[entries.length - 1]!;
      assert.strictEqual(s.kind, c.kind);
      if (c.expect_error) {
        const hasError = s.curve === null || !!s.error || s.diagnostics.some((d) => d.severity === 'error');
        assert.ok(hasError, `PyTorch raises ${c.error?.type}: ${c.error?.message}, but no error was reported`);
        if (c.error) assert.ok(s.failure, 'expected a torch failure');
        if (c.error && s.failure) {
          assert.strictEqual(s.failure.type, c.error.type);
          assert.strictEqual(s.failure.message, c.error.message);
          assert.strictEqual(s.failure.phase, c.error.phase);
          if (c.error.phase === 'step') assert.strictEqual(s.failure.step, c.error.step);
        }
        if (c.lrs && s.curve) compare(c.lrs, s.curve.lrs, true);
        return;
      }
      assert.ok(s.curve, `no curve: ${s.error}`);
      assert.strictEqual(s.error, null);
      compare(c.lrs!, s.curve!.lrs, false);
    });
  }
});

function compare(expected: number[][], got: Float64Array[], prefixOnly: boolean) {
  assert.strictEqual(got.length, expected.length, 'param group count');
  expected.forEach((row, g) => {
    if (!prefixOnly) assert.strictEqual(got[g]!.length, row.length, `group ${g}: value count`);
    const n = Math.min(row.length, got[g]!.length);
    for (let k = 0; k < n; k++) {
      if (!close(row[k]!, got[g]![k]!)) assert.fail(`group ${g} step ${k}: expected ${row[k]}, got ${got[g]![k]}`);
    }
  });
}
