import * as assert from 'assert';
import { loadParser, parseWith, grammarFor } from '../../../src/language/parser';

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
  it('maps language ids', () => {
    assert.strictEqual(grammarFor('python'), 'python');
    assert.strictEqual(grammarFor('typescriptreact'), 'tsx');
    assert.strictEqual(grammarFor('markdown'), null);
  });
});
