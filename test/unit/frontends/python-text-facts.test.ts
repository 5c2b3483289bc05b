/**
 * What the Python frontend keeps with a frozen node between edits (syntax.ts `TextFact`: parameter lists, a
 * function's free names, a class body's members, decorators, a callee's shape, the numbers of a function's
 * words): kept while the node's text is unchanged, derived again for the new copy when an edit changes it. Each
 * case edits the text a fact was derived from (or what the fact is read with) in one document session, and checks
 * both what Python's semantics give and that the session's result is the from-scratch one.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { DocumentSession } from '../../../src/analysis/incremental';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';
import { loadParser, parseIncrementally, parseWith } from '../../../src/frontends/parser';
import { FrozenFile } from '../../../src/frontends/python/incremental';
import { Positions } from '../../../src/frontends/positions';
import { descendantForIndex, freeze, TextFact, type FrozenNode, type SyntaxNode } from '../../../src/frontends/python/syntax';
import { comparable } from '../analysis/comparable';

/**
 * Analyses `texts` in order in one session (the first text twice: the first analysis walks the live tree, the
 * next ones the kept copy), each compared with a from-scratch analysis; the session's results after the first.
 */
async function session(texts: string[]): Promise<AnalysisResult[]> {
  const s = new DocumentSession();
  const out: AnalysisResult[] = [];
  try {
    for (const text of [texts[0]!, ...texts]) {
      const kept = await analyze(text, 'python', { strict: true }, s);
      assert.deepStrictEqual(comparable(kept), comparable(await analyze(text, 'python', { strict: true })), text);
      out.push(kept);
    }
  } finally {
    s.dispose();
  }
  return out.slice(1);
}

function only(r: AnalysisResult, variable: string): SchedulerAnalysis {
  const found = r.schedulers.filter((x) => x.variable === variable);
  assert.strictEqual(found.length, 1, JSON.stringify(r.schedulers.map((x) => [x.kind, x.variable])));
  return found[0]!;
}

const HEAD = 'import torch\nfrom torch.optim.lr_scheduler import StepLR, LambdaLR\nopt = torch.optim.SGD([], lr=0.1)\n';

describe('python frontend: facts kept with frozen nodes follow edits of their text', () => {
  it('TextFact: derived once per frozen node; the copy of an edited statement derives it again, a kept one does not', async () => {
    const parser = await loadParser('python');
    const a = 'x = 1\ndef f(a, b=2):\n    return a\ny = 2\n';
    const b = 'x = 1\ndef f(a, c=3, *d):\n    return a\ny = 2\n';
    const frozen = new FrozenFile();
    let derived = 0;
    const fact = new TextFact((n: SyntaxNode) => {
      derived++;
      return { text: n.text };
    });
    const treeA = parseWith(parser, a)!;
    const rootA = frozen.root(treeA, a)!;
    const [xA, fA, yA] = rootA.children as FrozenNode[];
    assert.deepStrictEqual([fact.of(xA!).text, fact.of(fA!).text, fact.of(fA!).text], ['x = 1', 'def f(a, b=2):\n    return a', 'def f(a, b=2):\n    return a']);
    assert.strictEqual(derived, 2);
    const treeB = parseIncrementally(parser, b, { text: a, tree: treeA })!;
    const rootB = frozen.root(treeB, b)!;
    const [xB, fB, yB] = rootB.children as FrozenNode[];
    // The statements before and after the edit are the same nodes, their facts kept; the edited def is a new copy.
    assert.strictEqual(xB, xA);
    assert.strictEqual(yB, yA);
    assert.notStrictEqual(fB, fA);
    assert.strictEqual(fact.of(xB!).text, 'x = 1');
    assert.strictEqual(fact.of(fB!).text, 'def f(a, c=3, *d):\n    return a');
    assert.strictEqual(derived, 3);
    treeB.delete();
  });

  it('parameter lists: a default edited, a parameter added, the function called from a kept statement', async () => {
    const call = 's = make(opt)\n';
    const [r1, r2, r3] = await session([
      `${HEAD}def make(o, step=10):\n    return StepLR(o, step_size=step)\n${call}`,
      `${HEAD}def make(o, step=20):\n    return StepLR(o, step_size=step)\n${call}`,
      `${HEAD}def make(o, gamma=0.5, step=30):\n    return StepLR(o, step_size=step, gamma=gamma)\n${call}`,
    ]);
    // Built inside `make`: one construction, its arguments from the defaults as the call leaves them.
    const args = (r: AnalysisResult) => r.schedulers.map((x) => [x.kind, x.args['step_size'], x.args['gamma']]);
    assert.deepStrictEqual(args(r1!), [['StepLR', 10, undefined]]);
    assert.deepStrictEqual(args(r2!), [['StepLR', 20, undefined]]);
    assert.deepStrictEqual(args(r3!), [['StepLR', 30, 0.5]]);
  });

  it("a function's free names: the lambda edited to read another setting; the setting's default edited with the function kept", async () => {
    const parser = 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--decay", type=float, default=0.9)\np.add_argument("--floor", type=float, default=0.25)\nargs = p.parse_args()\n';
    const def = (body: string) => `def f(e):\n    return ${body}\n`;
    const [r1, r2, r3] = await session([
      `${HEAD}${parser}${def('args.decay ** e')}s = LambdaLR(opt, lr_lambda=f)\n`,
      `${HEAD}${parser}${def('args.floor + e')}s = LambdaLR(opt, lr_lambda=f)\n`,
      `${HEAD}${parser.replace('default=0.25', 'default=0.5')}${def('args.floor + e')}s = LambdaLR(opt, lr_lambda=f)\n`,
    ]);
    const origin = (r: AnalysisResult) => only(r, 's').argInfo.find((a) => a.name === 'lr_lambda')!.origin ?? '';
    assert.match(origin(r1!), /args\.decay/);
    assert.doesNotMatch(origin(r1!), /args\.floor/);
    assert.match(origin(r2!), /args\.floor/);
    assert.doesNotMatch(origin(r2!), /args\.decay/);
    // The curve reads the setting: lr = 0.1 × (floor + epoch) at epoch 0.
    assert.strictEqual(only(r2!, 's').curve?.lrs[0]?.[0], 0.1 * 0.25);
    assert.strictEqual(only(r3!, 's').curve?.lrs[0]?.[0], 0.1 * 0.5);
  });

  it("a class body: a method's value edited, a dataclass field's default edited, the decorator removed", async () => {
    const cls = (deco: string, field: string, size: number) =>
      `from dataclasses import dataclass\n${deco}class Cfg:\n    ${field}\n    def size(self):\n        return ${size}\n`;
    const use = 'c = Cfg(step=6)\ns = StepLR(opt, step_size=c.step)\nt = StepLR(opt, step_size=c.size())\n';
    const [r1, r2, r3, r4] = await session([
      `${HEAD}${cls('@dataclass\n', 'step: int = 4', 7)}${use}`,
      `${HEAD}${cls('@dataclass\n', 'step: int = 4', 9)}${use}`,
      `${HEAD}${cls('@dataclass\n', 'step: int = 5', 9)}${use.replace('Cfg(step=6)', 'Cfg()')}`,
      `${HEAD}${cls('', 'step: int = 5', 9)}${use}`,
    ]);
    assert.deepStrictEqual([only(r1!, 's').args['step_size'], only(r1!, 't').args['step_size']], [6, 7]);
    assert.deepStrictEqual(only(r2!, 't').args['step_size'], 9);
    assert.deepStrictEqual(only(r3!, 's').args['step_size'], 5);
    // Without @dataclass, `step` is no field: `Cfg(step=6)` does not set it (Python raises TypeError), never 6.
    assert.notStrictEqual(only(r4!, 's').args['step_size'], 6);
  });

  it("a callee's shape: the import a kept lambda's call resolves through changes, then the call itself", async () => {
    const imp = (name: string) => `import torch\nfrom torch.optim.lr_scheduler import ${name} as S\nopt = torch.optim.SGD([], lr=0.1)\n`;
    const [r1, r2, r3] = await session([
      `${imp('StepLR')}make = lambda o: S(o, 5)\n`,
      `${imp('ExponentialLR')}make = lambda o: S(o, 5)\n`,
      `${imp('ExponentialLR')}make = lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 5)\n`,
    ]);
    // Inside a lambda: built only when it is called; reported, not evaluated, as the class the name holds now.
    assert.deepStrictEqual(r1!.schedulers.map((x) => x.kind), ['StepLR']);
    assert.deepStrictEqual(r2!.schedulers.map((x) => x.kind), ['ExponentialLR']);
    assert.deepStrictEqual(r3!.schedulers.map((x) => x.kind), ['CosineAnnealingLR']);
  });

  it("a function's words: a body edited to name a scheduler is walked; a caller edited to stop calling a helper", async () => {
    const helper = 'def inner(o, n):\n    return StepLR(o, step_size=n)\n';
    const [r1, r2, r3, r4] = await session([
      `${HEAD}def setup():\n    pass\n`,
      `${HEAD}def setup():\n    sched = StepLR(opt, 3)\n`,
      `${HEAD}${helper}def outer():\n    return inner(opt, 4)\n`,
      `${HEAD}${helper}def outer():\n    return None\n`,
    ]);
    assert.deepStrictEqual(r1!.schedulers, []);
    assert.deepStrictEqual(only(r2!, 'sched').args['step_size'], 3);
    // `outer` names `inner`: walked first, its call gives `n` its value.
    assert.deepStrictEqual(r3!.schedulers.map((x) => x.args['step_size']), [4]);
    // Nothing calls `inner` now: `n` is the caller's, not known.
    assert.deepStrictEqual(r4!.schedulers.map((x) => x.args['step_size']), [undefined]);
  });

  it('descendantForIndex: the node tree-sitter finds at the offset\'s point, on a whole copy and on a copy an edit moved', async () => {
    const parser = await loadParser('python');
    const root = path.join(__dirname, '..', '..', '..', '..');
    const texts = ['examples/one_cycle.py', 'examples/train_loop.py', 'test/fixtures/loops/amp_cosine_per_batch.py']
      .filter((f) => fs.existsSync(path.join(root, f)))
      .map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
    texts.push('s = "é😀" ; t = f(1,\r\n  2)\nif x:\n    y = [1, 2\n', `${HEAD}x = (1,\n`);
    assert.strictEqual(texts.length, 5);
    for (const text of texts) {
      for (const edited of [text, `a = 1\n${text}`]) {
        // `edited` is analysed after `text` in one FrozenFile: its statements are the moved copies of the first.
        const frozen = new FrozenFile();
        const first = parseWith(parser, text)!;
        frozen.root(first, text);
        const tree = parseIncrementally(parser, edited, { text, tree: first })!;
        try {
          const copies = [frozen.root(tree, edited)!, freeze(tree.rootNode as unknown as SyntaxNode, edited) as FrozenNode];
          const rows = Positions.rowsOf(edited);
          for (let i = 0; i <= edited.length; i++) {
            const p = rows.at(i);
            const want = tree.rootNode.descendantForPosition({ row: p.line, column: p.character })!;
            for (const copy of copies) {
              const got = descendantForIndex(copy, i);
              assert.deepStrictEqual([got.type, got.startIndex, got.endIndex], [want.type, want.startIndex, want.endIndex], `offset ${i} of:\n${edited}`);
            }
          }
        } finally {
          tree.delete();
        }
      }
    }
  });
});
