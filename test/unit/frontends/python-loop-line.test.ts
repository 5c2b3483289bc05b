import * as assert from 'assert';
import { hasLoopLine } from '../../../src/frontends/python/fileIndex';
import { rng } from '../rng';

/** The definition: a line starting with `for` / `while` (after blanks and `async`), as the regular expression reads it. */
const LOOP_LINE = /^[ \t]*(async[ \t]+)?(for|while)\b/m;

describe('python frontend: whether a file has a loop line', () => {
  it('agrees with the regular expression on texts made of keywords, blanks and line breaks', () => {
    const r = rng(42);
    const parts = ['for', 'while', 'async', ' ', '\t', '\n', '\r', '\u2028', '\u2029', 'x', '_', '1', '(', ':', 'fork', 'whiles',
      'asyncfor', 'async  for', 'é', '#', 'for_', 'a.for'];
    for (let k = 0; k < 50_000; k++) {
      let text = '';
      const n = Math.floor(r() * 9);
      for (let i = 0; i < n; i++) text += parts[Math.floor(r() * parts.length)];
      assert.strictEqual(hasLoopLine(text), LOOP_LINE.test(text), JSON.stringify(text));
    }
  });

  it('real lines', () => {
    assert.strictEqual(hasLoopLine('x = 1\nfor epoch in range(3):\n    pass\n'), true);
    assert.strictEqual(hasLoopLine('def f():\n    async for b in loader:\n        pass\n'), true);
    assert.strictEqual(hasLoopLine('x = [a for a in b]\nwhile_ = 2\n'), false);
    assert.strictEqual(hasLoopLine('# for each epoch\nwhileTrue = 1\n'), false);
  });
});
