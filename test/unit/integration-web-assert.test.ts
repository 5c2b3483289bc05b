/**
 * test/integration/web/assert.ts stands in for Node's assert in VS Code for the Web's worker host: for every
 * case here it must pass or throw exactly when Node's own assert does.
 */
import * as assert from 'assert';
import * as shim from '../integration/web/assert';

type Case = [keyof typeof shim & keyof typeof assert, unknown[]];

const CASES: Case[] = [
  ['ok', [1]], ['ok', [0]], ['ok', ['']], ['ok', [{}]], ['ok', [null]],
  ['strictEqual', [1, 1]], ['strictEqual', [1, '1']], ['strictEqual', [NaN, NaN]], ['strictEqual', [0, -0]], ['strictEqual', [{}, {}]],
  ['notStrictEqual', [1, 2]], ['notStrictEqual', [1, 1]], ['notStrictEqual', ['a', 'a']],
  ['deepStrictEqual', [[1, 2], [1, 2]]], ['deepStrictEqual', [[1, 2], [2, 1]]], ['deepStrictEqual', [{ a: 1, b: [1] }, { b: [1], a: 1 }]],
  ['deepStrictEqual', [{ a: 1 }, { a: 1, b: undefined }]], ['deepStrictEqual', [{ a: 1 }, { a: '1' }]], ['deepStrictEqual', [[], {}]],
  ['deepStrictEqual', [null, null]], ['deepStrictEqual', [null, undefined]], ['deepStrictEqual', [new Date(5), new Date(5)]],
  ['deepStrictEqual', [new Map([[1, 'a']]), new Map([[1, 'a']])]], ['deepStrictEqual', [new Set([1]), new Set([2])]],
  ['match', ['abc', /b/]], ['match', ['abc', /d/]], ['doesNotMatch', ['abc', /d/]], ['doesNotMatch', ['abc', /b/]],
];

describe('integration (web): the assert stand-in', () => {
  for (const [fn, args] of CASES) {
    it(`${fn}(${args.map((a) => (a instanceof Map || a instanceof Set ? a.constructor.name : JSON.stringify(a) ?? String(a))).join(', ')}) as Node's assert`, () => {
      const outcome = (f: (...a: unknown[]) => void): string => { try { f(...args); return 'pass'; } catch { return 'throw'; } };
      const node = outcome(assert[fn] as (...a: unknown[]) => void);
      const ours = outcome(shim[fn] as (...a: unknown[]) => void);
      assert.strictEqual(ours, node);
    });
  }

  it('throws an AssertionError with the given message', () => {
    assert.throws(() => shim.strictEqual(1, 2, 'one is not two'), (e: Error) => e instanceof shim.AssertionError && e.message === 'one is not two');
  });
});
