import * as assert from 'assert';
import { commonPrefix, commonSuffix } from '../../../src/frontends/commonEnds';
import { rng } from '../rng';

/** The lengths as a character-by-character scan from each end finds them. */
function scanned(a: string, b: string): [number, number] {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a[p] === b[p]) p++;
  let s = 0;
  while (s < n - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [p, s];
}

describe('frontends: common ends of two texts', () => {
  it('equal, empty and disjoint texts', () => {
    assert.deepStrictEqual([commonPrefix('', ''), commonSuffix('', '', 0)], [0, 0]);
    assert.strictEqual(commonPrefix('abc', 'abc'), 3);
    assert.strictEqual(commonSuffix('abc', 'abc', 0), 0);
    assert.strictEqual(commonSuffix('abc', 'xbc', 3), 2);
    assert.strictEqual(commonPrefix('abc', 'xyz'), 0);
    assert.strictEqual(commonSuffix('abc', 'xyz', 3), 0);
    // The suffix never reaches into the prefix: "aa" → "aaa" is an insertion at the end.
    const p = commonPrefix('aa', 'aaa');
    assert.deepStrictEqual([p, commonSuffix('aa', 'aaa', 2 - p)], [2, 0]);
  });

  it('an edit anywhere in texts longer than the blocks agrees with a scan', () => {
    const r = rng(13);
    const letters = 'ab\n \u00e9\ud83d\ude00';
    for (let k = 0; k < 400; k++) {
      const n = Math.floor(r() * (k % 4 === 0 ? 20_000 : 300));
      let a = '';
      for (let i = 0; i < n; i++) a += letters[Math.floor(r() * (k % 3 === 0 ? 2 : letters.length))];
      const at = Math.floor(r() * (n + 1));
      const cut = Math.floor(r() * Math.min(n - at + 1, k % 5 === 0 ? 5000 : 4));
      const put = ['', 'a', 'b', 'ab', 'x'.repeat(300)][Math.floor(r() * 5)]!;
      const b = a.slice(0, at) + put + a.slice(at + cut);
      const [p, s] = scanned(a, b);
      const got = commonPrefix(a, b);
      assert.deepStrictEqual([got, commonSuffix(a, b, Math.min(a.length, b.length) - got)], [p, s], `text ${k}`);
    }
  });
});
