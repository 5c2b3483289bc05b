import * as assert from 'assert';
import { Positions } from '../../../src/frontends/positions';
import { rng } from '../rng';

/** Where each line starts, counted independently: after each match of the break pattern. */
function starts(text: string, breaks: RegExp): number[] {
  const out = [0];
  for (const m of text.matchAll(breaks)) out.push(m.index + m[0].length);
  return out;
}

describe('frontends: positions (line starts)', () => {
  it('VS Code\'s breaks (\\n, \\r\\n, a lone \\r) and tree-sitter\'s rows (\\n only), with and without \\r in the text', () => {
    const r = rng(7);
    const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\n\n'];
    for (let k = 0; k < 300; k++) {
      let text = '';
      const n = Math.floor(r() * 60);
      // Every third text without \r (the fast path of both kinds).
      for (let i = 0; i < n; i++) text += pieces[Math.floor(r() * (k % 3 === 0 ? 4 : pieces.length))];
      for (const [breaks, re] of [['vscode', /\r\n|\r|\n/g], ['lf', /\n/g]] as const) {
        const p = new Positions(text, breaks);
        const want = starts(text, re);
        assert.strictEqual(p.lineCount, want.length, `${JSON.stringify(text)} ${breaks}`);
        want.forEach((s, line) => assert.strictEqual(p.startOf(line), s, `${JSON.stringify(text)} ${breaks} line ${line}`));
        for (let o = 0; o <= text.length; o++) {
          const line = want.filter((s) => s <= o).length - 1;
          assert.deepStrictEqual(p.at(o), { line, character: o - want[line]! });
        }
      }
    }
  });
});
