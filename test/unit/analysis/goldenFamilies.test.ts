/**
 * The other families' golden curves (test/golden/families.json: transformers, timm, katsura, pl_bolts
 * executed by the libraries; Keras, optax transcribed in float64) through the whole pipeline — source
 * text in, curve out, as the CLI does — each case at its own tolerance. A case whose library raises must
 * give that exception, type and message.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import { goldenFamilies } from '../../golden';

const close = (a: number, b: number, rel: number, abs: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe('golden families (full pipeline)', () => {
  const data = goldenFamilies();
  it('has the 65 cases', () => assert.ok(data.cases.length >= 65, `only ${data.cases.length} cases`));

  for (const c of data.cases) {
    it(`${c.id} [${c.family}.${c.kind}]`, async () => {
      const result = await analyze(c.source, 'python', { steps: c.steps, strict: true });
      const entries = result.schedulers.filter((s) => s.variable === c.variable);
      assert.ok(entries.length, `no construction assigned to ${c.variable} (found ${result.schedulers.map((s) => s.variable).join(', ')})`);
      const s = entries[entries.length - 1]!;
      assert.strictEqual(s.kind, `${c.family}.${c.kind}`);
      // What a step is, as the file's step semantics say for each family.
      const unit = c.stepping === 'call' ? 'iteration' : c.stepping === 'timm_epoch' || c.stepping === 'timm' ? 'epoch' : 'optimizer update';
      assert.strictEqual(s.unit, unit);
      const rel = c.tolerance ?? 1e-9;
      const abs = c.abs_tolerance ?? 1e-15;
      if (c.expect_error) {
        assert.ok(s.failure, `the library raises ${c.error?.type}: ${c.error?.message}, but no failure was reported (${s.error})`);
        assert.strictEqual(s.failure.type, c.error!.type);
        assert.strictEqual(s.failure.message, c.error!.message);
        assert.strictEqual(s.failure.phase, c.error!.phase);
        assert.ok(s.diagnostics.some((d) => d.severity === 'error'), 'an error-severity diagnostic');
        return;
      }
      assert.ok(s.curve, `no curve: ${s.error}`);
      assert.strictEqual(s.error, null);
      const got = s.curve!.lrs;
      assert.strictEqual(got.length, c.lrs!.length, 'param group count');
      c.lrs!.forEach((row, g) => {
        assert.strictEqual(got[g]!.length, row.length, `group ${g}: value count`);
        for (let k = 0; k < row.length; k++) {
          if (!close(row[k]!, got[g]![k]!, rel, abs)) assert.fail(`group ${g} step ${k}: expected ${row[k]}, got ${got[g]![k]}`);
        }
      });
    });
  }
});
