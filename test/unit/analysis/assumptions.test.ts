/**
 * How an assumed value reads in every view (src/analysis/assumptions.ts): numbers as Python writes them, since the
 * script is Python (`2e-05`, not JavaScript's `0.00002`), with at most 12 significant digits.
 */
import * as assert from 'assert';
import { assumedValueText, assumptionShort, assume } from '../../../src/analysis/assumptions';

describe('assumed values as the views write them', () => {
  it('floats as Python repr writes them, whole numbers as written', () => {
    // Expected texts are CPython's repr() of the same floats.
    const cases: [number, string][] = [
      [2e-5, '2e-05'], [1e-4, '0.0001'], [3e-4, '0.0003'], [0.1, '0.1'], [0.1 + 0.2, '0.3'],
      [1.5e16, '1.5e+16'], [-2.5e-7, '-2.5e-07'], [100, '100'], [0, '0'], [-3, '-3'],
    ];
    for (const [v, text] of cases) assert.strictEqual(assumedValueText(v), text, String(v));
  });

  it('non-numbers: None, booleans, strings and lists', () => {
    assert.strictEqual(assumedValueText(null), 'None');
    assert.strictEqual(assumedValueText(true), 'True');
    assert.strictEqual(assumedValueText('cosine'), 'cosine');
    assert.strictEqual(assumedValueText([30, 2e-5]), '[30, 2e-05]');
    assert.strictEqual(assumedValueText(Infinity), 'inf');
    assert.strictEqual(assumedValueText(NaN), 'nan');
  });

  it('the short label uses the same text', () => {
    assert.strictEqual(assumptionShort(assume('lr', 2e-5, 'default of --lr')), 'lr assumed 2e-05');
  });
});
