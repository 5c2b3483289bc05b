import * as assert from 'assert';
import { adaptiveDebounceMs, COST_SAMPLES, KeyedDebouncer, recentCost, Timers, withSample } from '../../../src/extension/debounce';

/** Hand-driven clock. */
class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.timers.has(id)) {
        this.timers.delete(id);
        t.fn();
      }
    }
  }
}

describe('extension/debounce', () => {
  it('runs only the last action, delay after the last trigger (trailing edge)', () => {
    const clock = new FakeTimers();
    const d = new KeyedDebouncer(clock);
    const runs: string[] = [];
    d.schedule('a', 250, () => runs.push('v1'));
    clock.advance(200);
    d.schedule('a', 250, () => runs.push('v2'));
    clock.advance(200);
    assert.deepStrictEqual(runs, [], 'nothing before 250 ms of quiet');
    assert.ok(d.isPending('a'));
    clock.advance(50);
    assert.deepStrictEqual(runs, ['v2']);
    assert.ok(!d.isPending('a'));
  });

  it('keeps keys independent', () => {
    const clock = new FakeTimers();
    const d = new KeyedDebouncer(clock);
    const runs: string[] = [];
    d.schedule('a', 100, () => runs.push('a'));
    d.schedule('b', 50, () => runs.push('b'));
    clock.advance(100);
    assert.deepStrictEqual(runs, ['b', 'a']);
  });

  it('cancels and disposes', () => {
    const clock = new FakeTimers();
    const d = new KeyedDebouncer(clock);
    const runs: string[] = [];
    d.schedule('a', 10, () => runs.push('a'));
    d.schedule('b', 10, () => runs.push('b'));
    d.cancel('a');
    d.dispose();
    clock.advance(100);
    assert.deepStrictEqual(runs, []);
  });

  it('treats a negative delay as zero', () => {
    const clock = new FakeTimers();
    const d = new KeyedDebouncer(clock);
    let ran = false;
    d.schedule('a', -5, () => (ran = true));
    clock.advance(0);
    assert.ok(ran);
  });
});

describe('extension/debounce: adaptiveDebounceMs (the policy, no timers)', () => {
  it('a cheap analysis waits only the floor; the delay grows with the cost', () => {
    const p = { factor: 1.5, minMs: 10 };
    assert.strictEqual(adaptiveDebounceMs(1, 250, p), 10);
    assert.strictEqual(adaptiveDebounceMs(5, 250, p), 10);
    assert.strictEqual(adaptiveDebounceMs(20, 250, p), 30);
    assert.strictEqual(adaptiveDebounceMs(100, 250, p), 150);
    const costs = [0, 3, 8, 40, 90, 160, 400, 2000];
    const delays = costs.map((c) => adaptiveDebounceMs(c, 250, p));
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i]! >= delays[i - 1]!, `not monotonic at ${costs[i]} ms: ${delays.join(', ')}`);
  });
  it('lrLens.debounceMs is the upper bound (0 = no debounce)', () => {
    assert.strictEqual(adaptiveDebounceMs(400, 250), 250);
    assert.strictEqual(adaptiveDebounceMs(2000, 1000), 1000);
    assert.strictEqual(adaptiveDebounceMs(5, 0), 0);
    assert.strictEqual(adaptiveDebounceMs(5, 4, { factor: 2, minMs: 10 }), 4);
  });
  it('an unknown cost waits the upper bound', () => {
    assert.strictEqual(adaptiveDebounceMs(undefined, 250), 250);
    assert.strictEqual(adaptiveDebounceMs(Number.NaN, 250), 250);
    assert.strictEqual(adaptiveDebounceMs(-1, 300), 300);
  });
});

describe('extension/debounce: recentCost (a document\'s cost from its last analyses)', () => {
  it('is the cheapest of the last samples, so a one-off cold start does not set the next delays', () => {
    assert.strictEqual(recentCost([]), undefined);
    assert.strictEqual(recentCost([700]), 700);
    assert.strictEqual(recentCost([700, 40]), 40);
    assert.strictEqual(adaptiveDebounceMs(recentCost([700, 6]), 250), 10);
  });
  it('forgets samples older than the last COST_SAMPLES: a file that grew expensive waits longer', () => {
    let samples: number[] = [];
    for (const ms of [5, 5, 5]) samples = withSample(samples, ms);
    for (let i = 0; i < COST_SAMPLES; i++) samples = withSample(samples, 200);
    assert.strictEqual(samples.length, COST_SAMPLES);
    assert.strictEqual(recentCost(samples), 200);
    assert.strictEqual(adaptiveDebounceMs(recentCost(samples), 250), 250);
  });
  it('ignores unusable samples', () => {
    assert.strictEqual(recentCost([Number.NaN, -1, 30]), 30);
    assert.strictEqual(recentCost([Number.NaN]), undefined);
  });
});
