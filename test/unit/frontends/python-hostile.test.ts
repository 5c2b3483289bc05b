/**
 * Hostile input: the work is bounded by operation budgets (never by the clock: every analysis here runs on a frozen
 * clock, so the results are the same on any machine; speed figures are in `npm run bench`), nothing throws, what
 * can be found is found.
 */
import * as assert from 'assert';
import { loadParser, parseWith } from '../../../src/frontends/parser';
import { analyzePython } from '../../../src/frontends/python';
import { Recorder } from '../../../src/analysis/recorder';
import { DEFAULT_ASSUMED_LR } from '../../../src/analysis/analyze';
import type { FrontendResult } from '../../../src/analysis/types';
import { analyze, callOf, HEADER } from './python-helpers';
import { frozenClock, type FrozenClock } from './frozenClock';

/** Operations per clock read (python/budget.ts) and the file's default operation budget. */
const CLOCK_EVERY = 1024;
const MAX_OPS = 5_000_000;
const OPS_SPENT = /operation budget spent/;

/** Analyses on a frozen clock (generous parse timeout: parsing is tree-sitter's, not bounded by our budgets). */
async function bounded(src: string, opts: { maxOps?: number } = {}): Promise<{ value: FrontendResult; clock: FrozenClock }> {
  const clock = frozenClock();
  const value = await analyze(src, { ...opts, now: clock.now }, 60_000);
  assert.ok(!value.diagnostics.some((d) => /timed out/.test(d.message)), 'a frozen clock never times out');
  return { value, clock };
}

/** The LR000 notes saying the file's operation budget was spent. */
const spent = (res: FrontendResult) => res.diagnostics.filter((d) => d.code === 'LR000' && OPS_SPENT.test(d.message));

describe('python frontend: hostile input', () => {
  it('huge exponents are unknown "too large", not computed', async () => {
    const { value: res, clock } = await bounded(`${HEADER}s = ExponentialLR(opt, gamma=10**10**10)\nt = ExponentialLR(opt, gamma=2**100)\n`);
    // Refused up front: a handful of operations (one clock read per 1024), not a computation the budget cut short.
    assert.ok(clock.reads <= 2, `${clock.reads} clock reads`);
    assert.deepStrictEqual(spent(res), []);
    for (const v of ['s', 't']) assert.ok(callOf(res, v).unknownReason?.includes('too large'), callOf(res, v).unknownReason ?? '');
  });

  it('10k nested parentheses and lists', async () => {
    const deep = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    const list = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const { value: res, clock } = await bounded(`${HEADER}x = ${deep}\ny = ${list}\ns = StepLR(opt, 3)\nt = StepLR(opt, x)\n`);
    // Bounded by the nesting limit, far inside the file's operation budget.
    assert.deepStrictEqual(spent(res), []);
    assert.ok(clock.reads * CLOCK_EVERY < MAX_OPS / 10, `${clock.reads} clock reads`);
    assert.deepStrictEqual(callOf(res, 's').args['step_size'], { kind: 'int', value: 3 });
    // The nested value itself is either evaluated or unknown with a reason, never a crash.
    const t = callOf(res, 't');
    assert.ok(t.schedulerIndex !== null || t.unknownReason);
  });

  it('deeply nested calls and binary operators', async () => {
    const calls = `${'f('.repeat(3000)}1${')'.repeat(3000)}`;
    const sum = Array.from({ length: 20_000 }, () => '1').join(' + ');
    const { value: res, clock } = await bounded(`${HEADER}def f(x):\n    return x\na = ${calls}\nb = ${sum}\ns = StepLR(opt, 3)\n`);
    assert.deepStrictEqual(spent(res), []);
    assert.ok(clock.reads * CLOCK_EVERY < MAX_OPS / 10, `${clock.reads} clock reads`);
    assert.notStrictEqual(callOf(res, 's').schedulerIndex, null);
  });

  it('a recursive def called at module level becomes unknown', async () => {
    const { value: res } = await bounded(`${HEADER}def f(n):\n    return f(n + 1)\ndef g(n):\n    while True:\n        n += 1\ns = StepLR(opt, f(1))\nt = StepLR(opt, g(1))\n`);
    assert.ok(callOf(res, 's').unknownReason?.includes('RecursionError'), callOf(res, 's').unknownReason ?? '');
    assert.ok(callOf(res, 't').unknownReason?.includes('operations'), callOf(res, 't').unknownReason ?? '');
  });

  it('a 1 MB file is bounded by the operation budget and keeps what it found', async () => {
    const block = 'x_{i} = {i} * 2 + (3 - 1) // 2\nif x_{i} > 5:\n    y = [x_{i}, {i}]\nelse:\n    y = None\n';
    let body = '';
    for (let i = 0; body.length < 1_000_000; i++) body += block.replace(/\{i\}/g, String(i));
    const src = `${HEADER}s = StepLR(opt, 3)\n${body}t = StepLR(opt, 4)\n`;
    // Parsing 1 MB is tree-sitter's time, not ours: only the analysis is bounded (on a frozen clock).
    const tree = parseWith(await loadParser('python'), src, 60_000)!;
    const clock = frozenClock();
    const res = analyzePython(tree, src, new Recorder(DEFAULT_ASSUMED_LR), { now: clock.now });
    tree.delete();
    // Never more than the budget (plus the last clock period), whatever the machine.
    assert.ok((clock.reads - 1) * CLOCK_EVERY <= MAX_OPS, `${clock.reads} clock reads`);
    assert.ok(!res.diagnostics.some((d) => /timed out/.test(d.message)));
    assert.deepStrictEqual(callOf(res, 's').args['step_size'], { kind: 'int', value: 3 });
    // `t` is found by the walk, or by the sweep when the operation budget ran out first (and then the note says so).
    const t = callOf(res, 't');
    if (t.schedulerIndex === null) {
      assert.ok(t.unknownReason?.includes('not reached'), t.unknownReason ?? '');
      assert.strictEqual(spent(res).length, 1);
    } else assert.deepStrictEqual(t.args['step_size'], { kind: 'int', value: 4 });
  });

  it('a small operation budget stops the same walk with a note and the sweep still finds what follows', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `v${i} = ${i} ** 2 % 7`).join('\n');
    const { value: res, clock } = await bounded(`${HEADER}s = StepLR(opt, 3)\n${body}\nt = StepLR(opt, 4)\n`, { maxOps: 10_000 });
    assert.strictEqual(spent(res).length, 1, JSON.stringify(res.diagnostics));
    assert.ok((clock.reads - 1) * CLOCK_EVERY <= 10_000, `${clock.reads} clock reads`);
    assert.deepStrictEqual(callOf(res, 's').args['step_size'], { kind: 'int', value: 3 });
    assert.ok(callOf(res, 't').unknownReason?.includes('not reached'), callOf(res, 't').unknownReason ?? '');
  });

  it('a tiny time budget stops the walk with a note, never an exception', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `v${i} = ${i} ** 2 % 7`).join('\n');
    // A clock that jumps far past the 1 ms allowance after its first reading (not a race with the real clock).
    let t = 0;
    const now = (): number => { const r = t; t = 1_000_000; return r; };
    const res = await analyze(`${HEADER}${body}\ns = StepLR(opt, 3)\n`, { timeBudgetMs: 1, now });
    assert.ok(res.diagnostics.some((d) => d.code === 'LR000' && d.severity === 'information' && /timed out/.test(d.message)), JSON.stringify(res.diagnostics));
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
