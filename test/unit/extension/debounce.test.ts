import * as assert from 'assert';
import { KeyedDebouncer, Timers } from '../../../src/extension/debounce';

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
