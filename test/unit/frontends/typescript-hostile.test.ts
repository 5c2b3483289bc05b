/**
 * Hostile and odd input: the frontend's work is bounded by its operation budgets (every analysis here runs on a
 * frozen clock, so the wall-clock safety net never decides anything and results are the same on any machine; speed
 * figures are in `npm run bench`), it never throws, still finds the constructions it can, and never touches real JS
 * objects with user-given names.
 */
import * as assert from 'assert';
import type { FrontendResult } from '../../../src/analysis/types';
import { analyzeTs, callOf, HEADER, type TsGrammar } from './typescript-helpers';
import { frozenClock } from './frozenClock';

/** The note saying the file's operation budget was spent (budget.ts stopNote). */
const spent = (res: FrontendResult) => res.diagnostics.filter((d) => /after its operation budget/.test(d.message));

/** Analyses on a frozen clock: no internal error, and never "timed out" (whatever stops the work is a budget). */
async function bounded(src: string, grammar: TsGrammar = 'typescript', opts: { maxOps?: number; timeBudgetMs?: number } = {}, clock = frozenClock()): Promise<FrontendResult> {
  const res = await analyzeTs(src, grammar, { ...opts, now: clock.now });
  assert.ok(!res.diagnostics.some((d) => /internal error/.test(d.message)), JSON.stringify(res.diagnostics));
  assert.ok(!res.diagnostics.some((d) => /timed out/.test(d.message)), 'a frozen clock never times out');
  return res;
}

const TAIL = '\nconst s = new StepLR(opt, 30);\n';

describe('typescript frontend: hostile input', () => {
  it('a 1 MB file: finishes and finds the call at the end', async () => {
    const unit = 'const cfg_%d = { lr: 0.1 * %d, steps: [1, 2, 3].map((x) => x * %d) };\nif (cfg_%d.lr > 5) { console.log("big"); }\n';
    let src = HEADER;
    for (let i = 0; src.length < 1_000_000; i++) src += unit.replace(/%d/g, String(i));
    const res = await bounded(src + TAIL);
    // 1 MB of code is more than the operation budget: the walk stops on it (not on the clock) and says so, and the
    // call after the point where it stopped is still found.
    assert.strictEqual(spent(res).length, 1, JSON.stringify(res.diagnostics));
    assert.strictEqual(callOf(res, 's').kind, 'StepLR');
  });

  it('a big file that names no scheduler costs nothing and says nothing', async () => {
    let src = '';
    for (let i = 0; src.length < 500_000; i++) src += `while (x${i}) { x${i} = f(x${i}); }\n`;
    const clock = frozenClock();
    const res = await bounded(src, 'javascript', { timeBudgetMs: 50 }, clock);
    // Nothing evaluated: not even the safety net's clock was set up.
    assert.strictEqual(clock.reads, 0);
    assert.deepStrictEqual([res.calls, res.diagnostics, res.program.optimizers], [[], [], []]);
  });

  it('past the time safety net: stops, says it timed out, still reports the call', async () => {
    let src = HEADER;
    for (let i = 0; i < 20_000; i++) src += `let v${i} = ${i} * 2;\n`;
    // A clock that jumps far past 10× the 1 ms allowance after its first reading.
    let t = 0;
    const now = (): number => { const r = t; t = 1_000_000; return r; };
    const res = await analyzeTs(`${src}const s = new StepLR(opt, v19999);\n`, 'typescript', { timeBudgetMs: 1, now });
    assert.ok(res.diagnostics.some((d) => /timed out.*time budget of 1 ms/.test(d.message)), JSON.stringify(res.diagnostics));
    assert.strictEqual(callOf(res, 's').kind, 'StepLR');
  });

  const DEEP = 5_000;
  const deepCases: [string, string][] = [
    ['parentheses', `${'('.repeat(DEEP)}1${')'.repeat(DEEP)}`],
    ['arrays', `${'['.repeat(DEEP)}1${']'.repeat(DEEP)}`],
    ['objects', `${'{a:'.repeat(DEEP)}1${'}'.repeat(DEEP)}`],
    ['unary minus', `${'-'.repeat(DEEP)}1`],
    ['a long + chain', Array.from({ length: DEEP }, () => '1').join(' + ')],
    ['a long member chain', `cfg${'.a'.repeat(DEEP)}`],
    ['nested arrows', `${'() => '.repeat(DEEP)}1`],
    ['nested ternaries', `${'x ? 1 : '.repeat(DEEP)}0`],
  ];
  for (const [name, expr] of deepCases) {
    it(`deep nesting: ${name}`, async () => {
      const res = await bounded(`${HEADER}const x = process.env.X;\nconst cfg = {};\nconst deep = ${expr};${TAIL}`);
      assert.strictEqual(callOf(res, 's').schedulerIndex !== null, true);
    });
  }

  it('deeply nested blocks and ifs, with the call inside', async () => {
    const n = 3_000;
    const src = `${HEADER}${'if (process.env.A) {\n'.repeat(n)}const s = new StepLR(opt, 30);\n${'}\n'.repeat(n)}`;
    const res = await bounded(src);
    const call = callOf(res, 's');
    assert.strictEqual(call.kind, 'StepLR');
  });

  it('a call nested too deeply to evaluate is still found', async () => {
    const n = 2_000;
    const src = `${HEADER}const v = ${'['.repeat(n)}new StepLR(opt, 30)${']'.repeat(n)};\n`;
    const res = await bounded(src);
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['StepLR']);
  });

  it('exponential call trees and recursion exhaust budgets, not the time', async () => {
    let src = `${HEADER}function f0(x) { return x; }\n`;
    for (let i = 1; i <= 40; i++) src += `function f${i}(x) { return f${i - 1}(x) + f${i - 1}(x); }\n`;
    src += 'const g = f40(1);\nfunction r(n) { return r(n + 1) + r(n + 2); }\nconst h = r(0);\nconst s = new StepLR(opt, 30, g);\n';
    const res = await bounded(src);
    const call = callOf(res, 's');
    assert.match(call.unknownReason ?? '', /BudgetExceeded|RecursionError/);
    // The per-call budgets stopped them, long before the file's budget.
    assert.deepStrictEqual(spent(res), []);
  });

  it('huge numbers: exponents, shifts and string growth', async () => {
    const src = `${HEADER}const a = 10 ** 1_000_000_000;\nconst b = 2 ** 2 ** 2 ** 2 ** 2 ** 2;\nconst c = 1e999;\nlet str = "x";\nfor (let i = 0; i < 200; i++) str += str;\nconst arr = [];\nwhile (true) arr.push(1);\nconst s = new StepLR(opt, 30, a);\nconst t = new StepLR(opt, 30, b);\nconst u = new StepLR(opt, 30, c);\nconst w = new StepLR(opt, 30, 10 ** 1e9);\n`;
    const res = await bounded(src);
    assert.match(callOf(res, 's').unknownReason ?? '', /too large/);
    assert.match(callOf(res, 't').unknownReason ?? '', /too large/);
    assert.deepStrictEqual(callOf(res, 'u').args['gamma'], { kind: 'float', value: Infinity });
    // A float exponent makes a float (no exactness to lose).
    assert.deepStrictEqual(callOf(res, 'w').args['gamma'], { kind: 'float', value: Infinity });
  });

  it('many bindings and many run-time conditions: snapshots count against the budget', async () => {
    let src = HEADER;
    for (let i = 0; i < 5_000; i++) src += `let b${i} = ${i};\n`;
    for (let i = 0; i < 5_000; i++) src += `if (process.env.F${i}) { b${i} = 0; }\n`;
    const res = await bounded(`${src}const s = new StepLR(opt, 30);\n`);
    // 5,000 bindings copied at each of 5,000 forks is more than the budget: counted, so the walk stops on operations.
    assert.strictEqual(spent(res).length, 1, JSON.stringify(res.diagnostics));
    assert.strictEqual(callOf(res, 's').kind, 'StepLR');
  });

  it('an endless loop at module level is bounded', async () => {
    const res = await bounded(`${HEADER}let i = 0;\nwhile (true) { i++; }\nconst s = new StepLR(opt, 30, i);\n`);
    assert.match(callOf(res, 's').unknownReason ?? '', /changes in a loop/);
  });

  it('prototype-looking names stay names and pollute nothing', async () => {
    const src = `${HEADER}const o = { __proto__: { polluted: 1 }, constructor: 2, hasOwnProperty: 3, toString: 4 };\nconst p = {};\np["__proto__"] = 0.5;\np.constructor = 0.25;\nconst s = new StepLR(opt, { step_size: o.hasOwnProperty + o.toString, gamma: p.constructor });\nconst t = new StepLR(opt, { __proto__: 1, constructor: 2 });\n`;
    const res = await bounded(src);
    const s = callOf(res, 's');
    assert.deepStrictEqual([s.args['step_size'], s.args['gamma']], [{ kind: 'int', value: 7 }, { kind: 'float', value: 0.25 }]);
    assert.match(callOf(res, 't').bindFailure?.message ?? '', /unexpected keyword argument '__proto__'/);
    assert.strictEqual(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('callbacks of array methods that cannot be evaluated (found by running on real packages)', async () => {
    const src = `${HEADER}const K = process.env.K;\nconst xs = [1, 2].map((x) => x * K);\n[[1, 2]].forEach(function (r) { lib.add(r[0], r[1]); });\nconst ys = [1].filter((x) => x > K);\nconst s = new StepLR(opt, 30);\n`;
    const res = await bounded(src);
    assert.strictEqual(callOf(res, 's').schedulerIndex !== null, true);
  });

  const garbage: [string, string, TsGrammar][] = [
    ['empty', '', 'typescript'],
    ['only `new`', 'new', 'typescript'],
    ['unbalanced', 'const s = new StepLR(opt, { step_size: [30, 60 }', 'typescript'],
    ['binary-ish', String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 65536)), 'javascript'],
    ['JSX soup', '<div>{new StepLR(opt, <b>30</b>)}</div>', 'tsx'],
    ['keywords only', 'if else for while return class function const let var', 'javascript'],
    ['a lone call', 'StepLR()', 'javascript'],
    ['spread everywhere', 'const s = new StepLR(...[...[...opt]]);', 'typescript'],
  ];
  for (const [name, src, grammar] of garbage) {
    it(`never throws: ${name}`, async () => {
      await bounded(src, grammar);
    });
  }
});
