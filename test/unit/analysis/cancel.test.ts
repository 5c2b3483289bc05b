/**
 * Stopping a superseded analysis (AnalyzeOptions.cancelled): the frontend's budget and the engine's call budgets ask
 * `cancelled` now and then, and once it says yes they stop the work at once. Counted in questions asked, not in time:
 * an analysis that asks thousands of times when let run asks a handful more once told to stop.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import { DocumentSession } from '../../../src/analysis/incremental';
import type { AnalysisResult } from '../../../src/analysis/types';
import { PyError } from '../../../src/engine/types';
import { Budget, BudgetSpent, CallBudget } from '../../../src/frontends/python/budget';

/** A λ of a few hundred operations per call over 20,000 steps: about 12 million operations of the engine. */
const HEAVY = `import torch
from torch.optim.lr_scheduler import LambdaLR
def f(e):
    s = 0
    for i in range(200):
        s += 1
    return 1 / (1 + s + e)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = LambdaLR(opt, lr_lambda=f)
for epoch in range(20000):
    sched.step()
`;

/** A `cancelled` that says yes from its `after`-th question on, and counts the questions. */
function askedAfter(after: number): { cancelled: () => boolean; asked: number } {
  const c = { asked: 0, cancelled: () => ++c.asked > after };
  return c;
}

describe('analysis/cancel: a superseded analysis stops', () => {
  it("the file's budget asks once per 1,024 operations and stops at the first yes", () => {
    const c = askedAfter(2);
    const budget = new Budget({ cancelled: c.cancelled });
    let ticks = 0;
    assert.throws(() => {
      for (; ticks < 1_000_000; ticks++) budget.tick();
    }, (e) => e instanceof BudgetSpent && /superseded/.test(e.message));
    assert.strictEqual(c.asked, 3);
    assert.strictEqual(ticks, 3 * 1024 - 1, 'the tick that asked the third time threw');
  });

  it("the engine's call budgets share the question: once per 65,536 operations of all calls", () => {
    const c = askedAfter(0);
    const shared = { left: 1 << 20, cancelled: c.cancelled };
    let ticks = 0;
    assert.throws(() => {
      for (;;) {
        const call = new CallBudget(100, shared);
        for (let i = 0; i < 50; i++, ticks++) call.tick();
      }
    }, (e) => e instanceof PyError && e.type === 'BudgetExceeded' && /superseded/.test(e.message));
    assert.strictEqual(c.asked, 1);
    assert.strictEqual(ticks, (1 << 16) - 1);
  });

  it('a long simulation stops within a few questions of the yes; let run, it asks some 200 times', async () => {
    const free = askedAfter(Infinity);
    const whole = await analyze(HEAVY, 'python', { cancelled: free.cancelled });
    assert.strictEqual(whole.schedulers[0]!.curve?.lrs[0]?.length, 20001, 'the whole curve when not stopped');
    assert.ok(free.asked > 100, `asked only ${free.asked} times: the check is not reached while the engine computes`);

    const stopped = askedAfter(20);
    await analyze(HEAVY, 'python', { cancelled: stopped.cancelled });
    assert.ok(stopped.asked < 30, `asked ${stopped.asked} times: the analysis went on after the yes`);
  });

  it('told to stop from the start, an analysis does nearly nothing and never throws', async () => {
    const c = askedAfter(0);
    const r = await analyze(HEAVY, 'python', { cancelled: c.cancelled });
    assert.strictEqual(r.schedulers.length, 0);
    assert.ok(c.asked < 10, `asked ${c.asked} times`);
  });

  it("a stopped analysis keeps nothing in the document's session: the next edit reuses the last finished one's work, never the stopped one's", async () => {
    const strip = (r: AnalysisResult) => ({ ...r, timing: null });
    const edited = HEAVY.replace('range(200)', 'range(201)');
    const session = new DocumentSession();
    try {
      await analyze(HEAVY, 'python', {}, session);
      const stopped = askedAfter(3);
      await analyze(edited, 'python', { cancelled: stopped.cancelled }, session);
      assert.ok(stopped.asked > 3, 'the edit was not stopped part-way');

      const hits = session.constructionCounts.hit;
      const commented = `${HEAVY}# a note\n`;
      assert.deepStrictEqual(strip(await analyze(commented, 'python', {}, session)), strip(await analyze(commented, 'python', {})));
      assert.strictEqual(session.constructionCounts.hit, hits + 1, 'the finished analysis before the stopped one was not reused');

      // The edit stopped again, then let run: its curve, not the stopped attempt's.
      await analyze(edited, 'python', { cancelled: askedAfter(3).cancelled }, session);
      const again = await analyze(edited, 'python', {}, session);
      assert.deepStrictEqual(strip(again), strip(await analyze(edited, 'python', {})));
      assert.strictEqual(again.schedulers[0]!.curve?.lrs[0]?.length, 20001);
    } finally {
      session.dispose();
    }
  });

  it("asked whether to stop (the worker's analyses always are), an analysis still reuses the kept ones", async () => {
    const session = new DocumentSession();
    try {
      const never = () => false;
      await analyze(HEAVY, 'python', { cancelled: never }, session);
      await analyze(`${HEAVY}# a note\n`, 'python', { cancelled: never }, session);
      assert.strictEqual(session.constructionCounts.hit, 1, JSON.stringify(session.constructionCounts));
    } finally {
      session.dispose();
    }
  });
});
