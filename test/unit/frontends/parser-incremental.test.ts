import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Tree } from '@vscode/tree-sitter-wasm';
import { editBetween, loadParser, parseIncrementally, parseWith } from '../../../src/frontends/parser';
import { randomEdit } from '../analysis/edits';
import { rng } from '../rng';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

/** Row and column of `index`, counted independently: the lines before it, split at `\n`. */
function point(text: string, index: number) {
  const before = text.slice(0, index).split('\n');
  return { row: before.length - 1, column: before[before.length - 1]!.length };
}

/** Every node of the tree, in order: type, named, indices and positions. */
function nodes(tree: Tree): string[] {
  const out: string[] = [];
  const c = tree.walk();
  for (;;) {
    out.push(`${c.nodeType} ${c.nodeIsNamed} ${c.currentFieldName} ${c.startIndex}-${c.endIndex} ${c.startPosition.row}:${c.startPosition.column}-${c.endPosition.row}:${c.endPosition.column}`);
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) {
        c.delete();
        return out;
      }
    }
  }
}

describe('parser: edits and the incremental parse', () => {
  it('equal texts: no edit', () => {
    assert.strictEqual(editBetween('abc', 'abc'), null);
  });

  it('an insertion, a deletion and a replacement across lines', () => {
    assert.deepStrictEqual(editBetween('a = 1\nb = 2\n', 'a = 1\nb = 22\n'), {
      // The common prefix takes the first 2: the second one is the one typed.
      startIndex: 11, oldEndIndex: 11, newEndIndex: 12,
      startPosition: { row: 1, column: 5 }, oldEndPosition: { row: 1, column: 5 }, newEndPosition: { row: 1, column: 6 },
    });
    assert.deepStrictEqual(editBetween('x\ny\nz\n', 'x\nz\n'), {
      startIndex: 2, oldEndIndex: 4, newEndIndex: 2,
      startPosition: { row: 1, column: 0 }, oldEndPosition: { row: 2, column: 0 }, newEndPosition: { row: 1, column: 0 },
    });
    assert.deepStrictEqual(editBetween('f(a)\n', 'f(\n  bb, c)\n'), {
      startIndex: 2, oldEndIndex: 3, newEndIndex: 10,
      startPosition: { row: 0, column: 2 }, oldEndPosition: { row: 0, column: 3 }, newEndPosition: { row: 1, column: 7 },
    });
  });

  it('never splits a surrogate pair (😀 → 😁 share their first code unit)', () => {
    const e = editBetween('s = "😀"\n', 's = "😁"\n')!;
    assert.strictEqual(e.startIndex, 5);
    assert.strictEqual(e.oldEndIndex, 7);
  });

  it('a tree with a syntax error is not trusted: tree-sitter\'s own incremental parse recovers differently here', async () => {
    const parser = await loadParser('typescript');
    const prev = [
      'export function makeSchedule(params: Float32Array[]) {',
      '  const scheduler = new CosineAnnealingLRoptimizer, { T_max: 104 });',
      '  return { optimizer, scheduler };',
      '}',
      '',
      'export async function train(p#arams: Float32Array[], epoch: (e: number) => Promise<void>): Promise<void> {',
      '  scheduler.step();',
      '}',
      '',
    ].join('\n');
    const next = prev.replace('  return { optimizer, scheduler };\n', '  return { optimizer, scheduler };\n  return { optimizer, scheduler };\n');
    const fresh = parseWith(parser, next)!;
    // The bare incremental parse (the old tree edited, then reused) keeps the old recovery of `p#arams`.
    const old = parseWith(parser, prev)!;
    old.edit(editBetween(prev, next)!);
    const bare = parser.parse(next, old)!;
    assert.notDeepStrictEqual(nodes(bare), nodes(fresh), 'tree-sitter now recovers alike: this case no longer shows the difference');
    const ours = parseIncrementally(parser, next, { text: prev, tree: parseWith(parser, prev)! })!;
    assert.deepStrictEqual(nodes(ours), nodes(fresh));
    for (const t of [fresh, old, bare, ours]) t.delete();
  });

  it('random edits: the edit describes the change, and the incremental tree is the fresh parse\'s, node for node', async () => {
    for (const [file, id] of [['warmup_restarts.py', 'python'], ['schedule.ts', 'typescript']] as const) {
      const parser = await loadParser(id);
      const original = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
      const r = rng(42);
      let text = original;
      let tree = parseWith(parser, text)!;
      for (let i = 0; i < 60; i++) {
        const next = randomEdit(text, original, r);
        const e = editBetween(text, next);
        if (e) {
          // Applying the edit to the old text gives the new one; the points are where those indices are.
          assert.strictEqual(text.slice(0, e.startIndex) + next.slice(e.startIndex, e.newEndIndex) + text.slice(e.oldEndIndex), next);
          assert.deepStrictEqual(e.startPosition, point(next, e.startIndex));
          assert.deepStrictEqual(e.oldEndPosition, point(text, e.oldEndIndex));
          assert.deepStrictEqual(e.newEndPosition, point(next, e.newEndIndex));
        }
        const incremental = parseIncrementally(parser, next, { text, tree })!;
        const fresh = parseWith(parser, next)!;
        assert.deepStrictEqual(nodes(incremental), nodes(fresh), `edit ${i + 1} of ${file}`);
        fresh.delete();
        tree = incremental;
        text = next;
      }
      tree.delete();
    }
  });
});
