/**
 * The analysis budget counts operations, not milliseconds: a slow machine finds what a fast one finds.
 * The wall clock is only a far safety net, and when it fires the note says "timed out". The clock is
 * injected (fake), so nothing here depends on this machine's speed.
 */
import * as assert from 'assert';
import type { FrontendResult } from '../../../src/analysis/types';
import { analyze, HEADER } from './python-helpers';

/** 4,000 assignments with a construction every 100 lines: a small operation budget runs out midway. */
const SOURCE = HEADER + Array.from({ length: 4000 }, (_, i) =>
  i % 100 === 0 ? `s${i} = StepLR(opt, ${i} % 7 + 1)` : `v${i} = ${i} ** 2 % 7`).join('\n') + '\n';
const MAX_OPS = 20_000;

/** A clock that advances `stepMs` each time it is read (read once per 1,024 operations). */
function clock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

/** What a user sees of a result (function values have no identity worth comparing). */
const seen = (res: FrontendResult) => JSON.parse(JSON.stringify(res)) as unknown;

describe('python frontend: results depend on operation counts only', () => {
  it('a tiny or a huge time allowance, a fast or a slow clock: identical results for the same operation budget', async () => {
    const frozen = await analyze(SOURCE, { maxOps: MAX_OPS, timeBudgetMs: 1, now: () => 0 });
    const huge = await analyze(SOURCE, { maxOps: MAX_OPS, timeBudgetMs: 1e12, now: clock(500) });
    // 500 ms per 1,024 operations: ten seconds in all, five times the old 2 s budget, inside the default safety net.
    const slow = await analyze(SOURCE, { maxOps: MAX_OPS, now: clock(500) });
    assert.deepStrictEqual(seen(huge), seen(frozen));
    assert.deepStrictEqual(seen(slow), seen(frozen));
    // The budget did run out midway: early constructions are evaluated, later ones are reported unreached.
    assert.ok(frozen.diagnostics.some((d) => d.message.includes('operation budget spent')), JSON.stringify(frozen.diagnostics));
    assert.ok(frozen.calls.some((c) => c.schedulerIndex !== null));
    assert.ok(frozen.calls.some((c) => c.unknownReason?.includes('not reached')));
  });

  it('the safety net says "timed out", not that the operation budget was spent', async () => {
    const res = await analyze(SOURCE, { maxOps: MAX_OPS, timeBudgetMs: 1000, now: clock(600) });
    const notes = res.diagnostics.filter((d) => d.code === 'LR000').map((d) => d.message);
    assert.strictEqual(notes.length, 1, JSON.stringify(notes));
    assert.match(notes[0]!, /timed out/);
    assert.doesNotMatch(notes[0]!, /operation budget/);
    // What the walk found before the net fired is kept.
    assert.ok(res.calls.some((c) => c.schedulerIndex !== null));
  });
});
