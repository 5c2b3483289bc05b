import * as assert from 'assert';
import { rng } from '../rng';
import { formatStep, formatValue, linearAxis, logAxis, niceStep, stepAxis } from '../../../src/render/ticks';

const labels = (ticks: { label: string; minor?: boolean }[]): string[] => ticks.filter((t) => !t.minor).map((t) => t.label);

describe('render/ticks', () => {
  it('picks 1-2-5 steps', () => {
    const rand = rng(99);
    for (let i = 0; i < 500; i++) {
      const span = 10 ** (rand() * 20 - 10);
      const target = 2 + Math.floor(rand() * 9);
      const step = niceStep(span, target);
      const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      assert.ok([1, 2, 5].some((k) => Math.abs(m - k) < 1e-9), `step ${step} for span ${span}`);
      assert.ok(step >= span / target * (1 - 1e-9) && step <= (span / target) * 5, `step ${step} too far from ${span / target}`);
    }
  });

  it('labels small learning rates in short scientific notation', () => {
    // 0..1e-3 with about 5 ticks: step 2e-4 (hand-computed).
    const a = linearAxis(0, 1e-3, 5);
    assert.deepStrictEqual(labels(a.ticks), ['0', '2e-4', '4e-4', '6e-4', '8e-4', '1e-3']);
    assert.deepStrictEqual(a.domain, [0, 1e-3]);
    // 1e-3 / 4 = 2.5e-4 rounds up to the next 1-2-5 step, 5e-4.
    assert.deepStrictEqual(labels(linearAxis(0, 1e-3, 4).ticks), ['0', '5e-4', '1e-3']);
    // 5e-5 steps need one mantissa decimal.
    assert.deepStrictEqual(labels(linearAxis(1e-4, 3e-4, 4).ticks), ['1e-4', '1.5e-4', '2e-4', '2.5e-4', '3e-4']);
  });

  it('labels ordinary ranges as decimals with one precision per axis', () => {
    assert.deepStrictEqual(labels(linearAxis(0, 0.1, 5).ticks), ['0', '0.02', '0.04', '0.06', '0.08', '0.10']);
    assert.deepStrictEqual(labels(linearAxis(0.85, 0.95, 4).ticks), ['0.85', '0.90', '0.95']);
    assert.deepStrictEqual(labels(linearAxis(0.85, 0.95, 10).ticks), ['0.85', '0.86', '0.87', '0.88', '0.89', '0.90', '0.91', '0.92', '0.93', '0.94', '0.95']);
    assert.deepStrictEqual(labels(linearAxis(-1, 1, 4).ticks), ['-1.0', '-0.5', '0', '0.5', '1.0']);
  });

  it('widens a constant range so the axis is readable', () => {
    for (const c of [0, 0.1, 3e-5, -2]) {
      const a = linearAxis(c, c, 5);
      assert.ok(a.domain[0] < c && a.domain[1] > c, `constant ${c}: ${a.domain}`);
      assert.ok(a.ticks.length >= 3);
    }
    assert.deepStrictEqual(linearAxis(NaN, Infinity, 5).domain, [0, 1]);
  });

  it('puts log ticks on decades, with 2 and 5 on short ranges', () => {
    const a = logAxis(1e-5, 1e-1, 6);
    assert.deepStrictEqual(labels(a.ticks), ['1e-5', '1e-4', '1e-3', '1e-2', '1e-1']);
    assert.deepStrictEqual(a.domain, [1e-5, 1e-1]);
    assert.ok(a.ticks.some((t) => t.minor && Math.abs(t.value - 3e-4) < 1e-12), 'minor tick 3e-4');
    const short = logAxis(0.02, 0.1, 6);
    assert.deepStrictEqual(labels(short.ticks), ['0.02', '0.05', '0.1']);
    assert.deepStrictEqual(short.domain, [0.02, 0.1]);
    // The top snaps to the next 1-2-5 value, not a whole decade.
    assert.deepStrictEqual(logAxis(1e-3, 0.15, 6).domain, [1e-3, 0.2]);
    assert.deepStrictEqual(logAxis(3e-4, 0.1, 6).domain, [2e-4, 0.1]);
    const wide = logAxis(1e-12, 1, 5);
    const l = labels(wide.ticks);
    assert.ok(l.length <= 7 && l.length >= 4, `wide: ${l}`);
    assert.ok(l.includes('1e-12') && l.every((s) => /^1e-?\d+$|^1$/.test(s)), `wide: ${l}`);
  });

  it('falls back to a default log range on unusable input', () => {
    for (const [lo, hi] of [[0, 1], [-1, 2], [NaN, 1], [1, 0.5]]) {
      const a = logAxis(lo!, hi!, 5);
      assert.ok(a.domain[0] > 0 && a.domain[1] > a.domain[0]);
    }
  });

  it('formats steps and values compactly', () => {
    assert.strictEqual(formatStep(0), '0');
    assert.strictEqual(formatStep(9999), '9999');
    assert.strictEqual(formatStep(12_000), '12k');
    assert.strictEqual(formatStep(2_500_000), '2.5M');
    assert.strictEqual(formatValue(0.001), '1e-3');
    assert.strictEqual(formatValue(3.14159e-4), '3.14e-4');
    assert.strictEqual(formatValue(0.1), '0.1');
    assert.strictEqual(formatValue(0.123456), '0.123');
    assert.strictEqual(formatValue(NaN), 'NaN');
    assert.strictEqual(formatValue(-Infinity), '-inf');
  });

  it('step axes use integer multiples of 1-2-5 steps within the range', () => {
    const a = stepAxis(0, 99_999, 8);
    assert.deepStrictEqual(labels(a.ticks), ['0', '20k', '40k', '60k', '80k']);
    const tiny = stepAxis(0, 3, 8);
    assert.deepStrictEqual(tiny.ticks.map((t) => t.value), [0, 1, 2, 3]);
  });
});
