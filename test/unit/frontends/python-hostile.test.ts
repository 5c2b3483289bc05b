/** Hostile input: everything finishes quickly, nothing throws, what can be found is found. */
import * as assert from 'assert';
import { loadParser, parseWith } from '../../../src/frontends/parser';
import { analyzePython } from '../../../src/frontends/python';
import { Recorder } from '../../../src/analysis/recorder';
import { DEFAULT_ASSUMED_LR } from '../../../src/analysis/analyze';
import { analyze, callOf, HEADER } from './python-helpers';

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  const value = await f();
  return { value, ms: Date.now() - t0 };
}

describe('python frontend: hostile input', () => {
  it('huge exponents are unknown "too large", not computed', async () => {
    const { value: res, ms } = await timed(() => analyze(`${HEADER}s = ExponentialLR(opt, gamma=10**10**10)\nt = ExponentialLR(opt, gamma=2**100)\n`));
    assert.ok(ms < 1000, `${ms} ms`);
    for (const v of ['s', 't']) assert.ok(callOf(res, v).unknownReason?.includes('too large'), callOf(res, v).unknownReason ?? '');
  });

  it('10k nested parentheses and lists', async () => {
    const deep = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    const list = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const { value: res, ms } = await timed(() => analyze(`${HEADER}x = ${deep}\ny = ${list}\ns = StepLR(opt, 3)\nt = StepLR(opt, x)\n`));
    assert.ok(ms < 3000, `${ms} ms`);
    assert.deepStrictEqual(callOf(res, 's').args['step_size'], { kind: 'int', value: 3 });
    // The nested value itself is either evaluated or unknown with a reason, never a crash.
    const t = callOf(res, 't');
    assert.ok(t.schedulerIndex !== null || t.unknownReason);
  });

  it('deeply nested calls and binary operators', async () => {
    const calls = `${'f('.repeat(3000)}1${')'.repeat(3000)}`;
    const sum = Array.from({ length: 20_000 }, () => '1').join(' + ');
    const { value: res, ms } = await timed(() => analyze(`${HEADER}def f(x):\n    return x\na = ${calls}\nb = ${sum}\ns = StepLR(opt, 3)\n`));
    assert.ok(ms < 3000, `${ms} ms`);
    assert.notStrictEqual(callOf(res, 's').schedulerIndex, null);
  });

  it('a recursive def called at module level becomes unknown', async () => {
    const { value: res, ms } = await timed(() => analyze(`${HEADER}def f(n):\n    return f(n + 1)\ndef g(n):\n    while True:\n        n += 1\ns = StepLR(opt, f(1))\nt = StepLR(opt, g(1))\n`));
    assert.ok(ms < 4000, `${ms} ms`);
    assert.ok(callOf(res, 's').unknownReason?.includes('RecursionError'), callOf(res, 's').unknownReason ?? '');
    assert.ok(callOf(res, 't').unknownReason?.includes('operations'), callOf(res, 't').unknownReason ?? '');
  });

  it('a 1 MB file finishes within the budget and keeps what it found', async () => {
    const block = 'x_{i} = {i} * 2 + (3 - 1) // 2\nif x_{i} > 5:\n    y = [x_{i}, {i}]\nelse:\n    y = None\n';
    let body = '';
    for (let i = 0; body.length < 1_000_000; i++) body += block.replace(/\{i\}/g, String(i));
    const src = `${HEADER}s = StepLR(opt, 3)\n${body}t = StepLR(opt, 4)\n`;
    // Parsing 1 MB is tree-sitter's time, not ours: only the analysis is timed.
    const tree = parseWith(await loadParser('python'), src, 60_000)!;
    const t0 = Date.now();
    const res = analyzePython(tree, src, new Recorder(DEFAULT_ASSUMED_LR), { timeBudgetMs: 2000 });
    const ms = Date.now() - t0;
    tree.delete();
    assert.ok(ms < 4000, `${ms} ms`);
    assert.deepStrictEqual(callOf(res, 's').args['step_size'], { kind: 'int', value: 3 });
    // `t` is found either by the walk or by the sweep (when the budget ran out first).
    const t = callOf(res, 't');
    assert.ok(t.schedulerIndex !== null || t.unknownReason?.includes('not reached'));
  });

  it('a tiny time budget stops the walk with a note, never an exception', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `v${i} = ${i} ** 2 % 7`).join('\n');
    const res = await analyze(`${HEADER}${body}\ns = StepLR(opt, 3)\n`, { timeBudgetMs: 1 });
    assert.ok(res.diagnostics.some((d) => d.code === 'LR000' && d.severity === 'information'));
    assert.strictEqual(res.calls.length, 1);
  });

  it('names that are JS object properties are just names', async () => {
    const res = await analyze(`${HEADER}__proto__ = 0.5\nconstructor = {"toString": 0.5}\ns = ExponentialLR(opt, __proto__)\nt = ExponentialLR(opt, constructor["toString"])\nu = ExponentialLR(opt, hasOwnProperty)\n`);
    assert.deepStrictEqual(callOf(res, 's').args['gamma'], { kind: 'float', value: 0.5 });
    assert.deepStrictEqual(callOf(res, 't').args['gamma'], { kind: 'float', value: 0.5 });
    assert.ok(callOf(res, 'u').unknownReason?.includes('not defined'));
  });

  it('garbage and empty input', async () => {
    for (const src of ['', '\u0000\u0001', ')))(((', 'def', 'lambda', 'x = StepLR(', 'from torch.optim.lr_scheduler import StepLR\nStepLR(']) {
      const res = await analyze(src);
      assert.ok(Array.isArray(res.calls));
    }
  });
});
