import * as assert from 'assert';
import { loadParser, parseWith, grammarFor } from '../../../src/frontends/parser';

describe('parser', () => {
  for (const id of ['python', 'typescript', 'tsx', 'javascript'] as const) {
    it(`loads the ${id} grammar and parses a call`, async () => {
      const p = await loadParser(id);
      const src = id === 'python' ? 'x = "é"; y = f(a, b=2,)\n' : 'const x = "é"; const y = f(a, {b: 2});\n';
      const tree = parseWith(p, src);
      assert.ok(tree);
      const call = tree!.rootNode.descendantsOfType(id === 'python' ? 'call' : 'call_expression')[0]!;
      // Offsets are UTF-16 code units (JS string indices), not UTF-8 bytes.
      assert.strictEqual(src.slice(call.startIndex, call.endIndex), call.text);
      assert.strictEqual(call.startPosition.column, src.indexOf('f('));
      tree!.delete();
    });
  }
  it('gives up on a parse past its budget, and the next parse starts afresh', async () => {
    const p = await loadParser('python');
    const big = 'x = [' + '1, '.repeat(200_000) + ']\n';
    assert.strictEqual(parseWith(p, big, 0), null);
    const tree = parseWith(p, 'y = 2\n');
    assert.ok(tree);
    assert.strictEqual(tree!.rootNode.text, 'y = 2\n');
    tree!.delete();
  });
  it('maps language ids', () => {
    assert.strictEqual(grammarFor('python'), 'python');
    assert.strictEqual(grammarFor('typescriptreact'), 'tsx');
    assert.strictEqual(grammarFor('markdown'), null);
  });
});
