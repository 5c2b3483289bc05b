/**
 * Determinism: where the analysis stops depends on operation counts only. The clock is a
 * far safety net (10× the time allowance), injected here as a fake; nothing sleeps.
 */
import * as assert from 'assert';
import type { TypeScriptOptions } from '../../../src/frontends/typescript';
import { analyzeTs, callOf, HEADER } from './typescript-helpers';

/** A machine slower than expected: every reading after the first says 5 ms have passed. */
function slowClock(): () => number {
  let t = 0;
  return () => {
    const r = t;
    t = 5;
    return r;
  };
}

/** The whole result as data (func Args carry closures, which JSON drops). */
async function run(src: string, opts: TypeScriptOptions): Promise<string> {
  return JSON.stringify(await analyzeTs(src, 'typescript', opts));
}

/** `lines` bindings, with a construction reading the last one every 100 lines. */
function longFile(lines: number): string {
  let src = `${HEADER}const early = new StepLR(opt, 30);\n`;
  for (let i = 0; i < lines; i++) {
    src += `let v${i} = ${i} * 2;\n`;
    if (i % 100 === 99) src += `const s${i} = new ExponentialLR(opt, v${i} / ${lines * 4});\n`;
  }
  return src;
}

/** How many constructions were built (evaluated before the analysis stopped). */
function built(json: string): number {
  return (JSON.parse(json) as { calls: { schedulerIndex: number | null }[] }).calls.filter((c) => c.schedulerIndex !== null).length;
}

describe('typescript frontend: budgets are operation counts', () => {
  it('a tiny and a huge time allowance give identical results when the operation budget cuts', async () => {
    const src = longFile(3_000);
    const maxOps = 5_000;
    // 5 ms pass: past the tiny allowance of 1 ms, not past its safety net (10 ms).
    const tiny = await run(src, { maxOps, timeBudgetMs: 1, now: slowClock() });
    const huge = await run(src, { maxOps, timeBudgetMs: 1e9, now: slowClock() });
    assert.strictEqual(tiny, huge);
    const res = await analyzeTs(src, 'typescript', { maxOps, timeBudgetMs: 1, now: slowClock() });
    assert.deepStrictEqual(res.diagnostics.map((d) => d.message), [
      'LR Lens stopped evaluating this file after its operation budget (5,000 operations); some values are shown as unknown.',
    ]);
    assert.deepStrictEqual(callOf(res, 'early').args['step_size'], { kind: 'int', value: 30 });
    // Constructions after the cut are still reported, with the reason.
    const last = callOf(res, 's2999');
    assert.strictEqual(last.schedulerIndex, null);
    assert.strictEqual(last.unknownReason, 'LR Lens stopped evaluating this file (operation budget)');
    assert.ok(built(tiny) > 1 && built(tiny) < 31, `built ${built(tiny)}`);
  });

  it('a tiny and a huge time allowance give identical results when the file fits its budget', async () => {
    const src = longFile(300);
    const tiny = await run(src, { timeBudgetMs: 1, now: slowClock() });
    const huge = await run(src, { timeBudgetMs: 1e9, now: slowClock() });
    assert.strictEqual(tiny, huge);
    const res = await analyzeTs(src, 'typescript', { timeBudgetMs: 1, now: slowClock() });
    assert.deepStrictEqual(res.diagnostics, []);
    assert.deepStrictEqual(callOf(res, 's299').args['gamma'], { kind: 'float', value: 598 / 1200 });
    assert.strictEqual(built(tiny), 4);
  });

  it('the same operation budget cuts at the same place whatever the clock says below the net', async () => {
    const src = longFile(3_000);
    let t = 0;
    // A clock that advances 1 µs per reading: never near the net of 10 s.
    const creeping = (): number => (t += 0.001);
    const a = await run(src, { maxOps: 8_000, now: creeping });
    const b = await run(src, { maxOps: 8_000, now: slowClock() });
    const c = await run(src, { maxOps: 9_000, now: slowClock() });
    assert.strictEqual(a, b);
    // A larger operation budget gets further (so the comparison above can fail).
    assert.ok(built(c) > built(b), `${built(b)} then ${built(c)}`);
  });
});
