import * as assert from 'assert';
import { formatCount } from '../../../src/analysis/run';

describe('analysis/run formatCount (the views\' "25,600", without ICU)', () => {
  it('says every number as toLocaleString(\'en-US\') does', () => {
    const values = [0, -0, 1, -1, 12, 999, 1000, -1000, 25_600, 100_000, 999_999, 1_000_000, -1_234_567,
      Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 0.5, 1234.5678, NaN, Infinity, -Infinity];
    for (let k = 1; k < 16; k++) values.push(10 ** k - 1, 10 ** k, 10 ** k + 1, -(10 ** k));
    for (const n of values) assert.strictEqual(formatCount(n), n.toLocaleString('en-US'), String(n));
  });
});
