/** A frozen function is the live tree, copied: same nodes, positions, text, fields; and it outlives the tree. */
import * as assert from 'assert';
import { Positions } from '../../../src/frontends/positions';
import { loadParser, parseWith } from '../../../src/frontends/parser';
import { Budget } from '../../../src/frontends/python/budget';
import { Interpreter } from '../../../src/frontends/python/interp';
import { freeze, type SyntaxNode } from '../../../src/frontends/python/syntax';

/** Every node of a subtree in pre-order, with the fields tree-sitter reports for it. */
function flatten(n: SyntaxNode, out: { node: SyntaxNode; fields: Record<string, number | null> }[] = []) {
  const fields: Record<string, number | null> = {};
  for (const f of ['name', 'parameters', 'body', 'left', 'right', 'operator', 'function', 'arguments', 'condition', 'consequence', 'alternative', 'value', 'object', 'attribute']) {
    fields[f] = n.childForFieldName(f)?.id ?? null;
  }
  out.push({ node: n, fields });
  for (const c of n.children) if (c) flatten(c, out);
  return out;
}

const SOURCE = [
  'import math',
  '# a comment with é and 😀 before the function',
  'def warmup(epoch, *, total=10, **kw):',
  '    """Docstring: ünïcode."""',
  '    if epoch < total:  # inline comment',
  '        return (epoch + 1) / total',
  '    elif epoch == total:\r',
  '        return {"x": [1, 2][0], \'y\': lambda t: t ** 2}["x"]',
  '    else:',
  '\treturn 0.5 * (1 + math.cos(math.pi * epoch / 90))',
  '',
].join('\n');

describe('python frontend: freeze', () => {
  it('copies every node: id, type, named, text, positions, parent and fields', async () => {
    const parser = await loadParser('python');
    const tree = parseWith(parser, SOURCE)!;
    try {
      const def = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition')! as unknown as SyntaxNode;
      const live = flatten(def);
      const frozen = flatten(freeze(def, SOURCE));
      assert.strictEqual(frozen.length, live.length);
      frozen.forEach(({ node: f, fields }, i) => {
        const { node: l, fields: lf } = live[i]!;
        const what = `node ${i} (${l.type} at ${l.startPosition.row}:${l.startPosition.column})`;
        assert.deepStrictEqual(
          [f.id, f.type, f.isNamed, f.text, f.startPosition, f.endPosition, f.parent?.id ?? null, fields],
          [l.id, l.type, l.isNamed, l.text, l.startPosition, l.endPosition, i === 0 ? null : l.parent?.id ?? null, lf], what);
      });
    } finally {
      tree.delete();
    }
  });

  it('is independent of the tree once frozen', async () => {
    const parser = await loadParser('python');
    const tree = parseWith(parser, SOURCE)!;
    const def = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition')! as unknown as SyntaxNode;
    const frozen = freeze(def, SOURCE);
    tree.delete();
    assert.deepStrictEqual(frozen.childForFieldName('name')?.text, 'warmup');
    assert.strictEqual(flatten(frozen).length > 50, true);
  });

  it('is what the compiler takes: a live node is a type error, and refused if forced', async () => {
    const parser = await loadParser('python');
    const tree = parseWith(parser, SOURCE)!;
    try {
      const def = tree.rootNode.namedChildren.find((c) => c?.type === 'function_definition')!;
      const interp = new Interpreter(SOURCE, new Budget(), { scheduler: () => assert.fail(), optimizer: () => assert.fail(), use: () => assert.fail(), givenTo: () => assert.fail(), dryRun: false });
      // @ts-expect-error a live tree-sitter node is not a FrozenNode (the compiled code outlives the tree)
      assert.throws(() => interp.compiler.function(def), /live `block` node/);
      const code = interp.compiler.function(freeze(def as unknown as SyntaxNode, SOURCE));
      assert.strictEqual(typeof code, 'function');
    } finally {
      tree.delete();
    }
  });
});

describe('language: positions', () => {
  it('counts \\n, \\r\\n and lone \\r as VS Code does, or \\n only as tree-sitter rows', () => {
    const text = 'a\nb\r\nc\rd';
    const vs = new Positions(text);
    const lf = new Positions(text, 'lf');
    assert.deepStrictEqual([vs.at(0), vs.at(2), vs.at(5), vs.at(7)], [
      { line: 0, character: 0 }, { line: 1, character: 0 }, { line: 2, character: 0 }, { line: 3, character: 0 }]);
    assert.deepStrictEqual([lf.at(2), lf.at(5), lf.at(7)], [{ line: 1, character: 0 }, { line: 2, character: 0 }, { line: 2, character: 2 }]);
  });
});
