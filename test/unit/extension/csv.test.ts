import * as assert from 'assert';
import { csvChunks, csvRowCount } from '../../../src/extension/csv';

describe('extension/csv', () => {
  it('writes a header, one row per step, exact values and empty cells past a short column', () => {
    const text = [...csvChunks({
      columns: [
        { header: 'lr', values: Float64Array.from([0.1, 0.1 * 0.1 ** 1, 1 / 3]) },
        { header: 'momentum, group 0', values: Float64Array.from([0.9, NaN]) },
      ],
      stepsPerEpoch: null,
    })].join('');
    assert.strictEqual(text, 'step,lr,"momentum, group 0"\n0,0.1,0.9\n1,0.010000000000000002,\n2,0.3333333333333333,\n');
    // Every number reads back as the same double.
    assert.strictEqual(Number(text.split('\n')[3]!.split(',')[1]), 1 / 3);
  });

  it('adds an epoch column when steps per epoch are known', () => {
    const text = [...csvChunks({ columns: [{ header: 'lr', values: Float64Array.from([1, 2, 3, 4, 5]) }], stepsPerEpoch: 2 })].join('');
    assert.strictEqual(text.split('\n')[0], 'step,epoch,lr');
    assert.strictEqual(text.split('\n')[4], '3,1.5,4');
  });

  it('streams large curves in chunks of rows', () => {
    const values = new Float64Array(120_001).fill(0.5);
    const chunks = [...csvChunks({ columns: [{ header: 'lr', values }], stepsPerEpoch: null }, 50_000)];
    assert.strictEqual(chunks.length, 1 + 3);
    assert.strictEqual(csvRowCount({ columns: [{ header: 'lr', values }], stepsPerEpoch: null }), 120_001);
    assert.strictEqual(chunks.join('').split('\n').length - 2, 120_001);
  });
});
