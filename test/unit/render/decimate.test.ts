import * as assert from 'assert';
import { decimate, toPolyline, type Decimated } from '../../../src/render/decimate';
import { rng } from '../rng';

/** Column c covers [from + floor(c·n/cols), from + floor((c+1)·n/cols)) — the split the doc comment promises. */
function bounds(c: number, n: number, cols: number, from: number): [number, number] {
  return [from + Math.floor((c * n) / cols), from + Math.floor(((c + 1) * n) / cols)];
}

/** Brute force: each column's extremes straight from a slice, with NaN removed. */
function reference(values: Float64Array, cols: number, from: number, to: number): { min: number; max: number; first: number; last: number }[] {
  const n = to - from;
  const out = [];
  for (let c = 0; c < cols; c++) {
    const [s, e] = bounds(c, n, cols, from);
    const xs = Array.from(values.subarray(s, e)).filter((v) => !Number.isNaN(v));
    out.push(xs.length
      ? { min: Math.min(...xs), max: Math.max(...xs), first: xs[0]!, last: xs[xs.length - 1]! }
      : { min: NaN, max: NaN, first: NaN, last: NaN });
  }
  return out;
}

function sameNum(a: number, b: number, what: string): void {
  assert.ok(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: ${a} !== ${b}`);
}

function polylinePoints(d: Decimated): [number, number][] {
  const pts: [number, number][] = [];
  for (const run of toPolyline(d)) for (let i = 0; i < run.length; i += 2) pts.push([run[i]!, run[i + 1]!]);
  return pts;
}

describe('render/decimate', () => {
  it('keeps every column extreme and a random one-step spike (random data, many N and column counts)', () => {
    const rand = rng(12345);
    let cases = 0;
    for (const n of [5, 17, 100, 101, 999, 4096, 10_007, 65_537]) {
      for (const cols of [1, 2, 3, 7, 50, 320, 1000]) {
        if (n <= 2 * cols) continue;
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = rand();
        const spikeAt = Math.floor(rand() * n);
        const up = rand() < 0.5;
        v[spikeAt] = up ? 1e6 : -1e6;
        const d = decimate(v, cols);
        assert.strictEqual(d.x.length, cols);
        const ref = reference(v, cols, 0, n);
        for (let c = 0; c < cols; c++) {
          sameNum(d.min[c]!, ref[c]!.min, `n=${n} cols=${cols} min[${c}]`);
          sameNum(d.max[c]!, ref[c]!.max, `n=${n} cols=${cols} max[${c}]`);
          sameNum(d.first[c]!, ref[c]!.first, `first[${c}]`);
          sameNum(d.last[c]!, ref[c]!.last, `last[${c}]`);
          assert.strictEqual(v[d.minAt[c]!], d.min[c]);
          assert.strictEqual(v[d.maxAt[c]!], d.max[c]);
        }
        const c = up ? d.maxAt.indexOf(spikeAt) : d.minAt.indexOf(spikeAt);
        assert.ok(c >= 0, `spike at ${spikeAt} lost (n=${n}, cols=${cols})`);
        assert.ok(polylinePoints(d).some(([x, y]) => x === spikeAt && y === v[spikeAt]), 'spike not on the polyline');
        cases++;
      }
    }
    assert.ok(cases > 40);
  });

  it('splits the range into columns whose sizes differ by at most one', () => {
    for (const [n, cols] of [[1000, 7], [10_001, 300], [5, 2]] as const) {
      const v = Float64Array.from({ length: n }, (_, i) => i);
      const d = decimate(v, cols);
      // With values = indices, first/last are the column bounds.
      const sizes = Array.from(d.last, (l, c) => l - d.first[c]! + 1);
      assert.strictEqual(sizes.reduce((a, b) => a + b, 0), n);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`);
      for (let c = 1; c < cols; c++) assert.strictEqual(d.first[c], d.last[c - 1]! + 1);
      for (let c = 0; c < cols; c++) assert.strictEqual(d.x[c], (d.first[c]! + d.last[c]!) / 2);
    }
  });

  it('passes values through unchanged when N <= 2·columns', () => {
    const v = Float64Array.from([3, 1, NaN, 4, 1, 5]);
    for (const cols of [3, 4, 100]) {
      const d = decimate(v, cols);
      assert.strictEqual(d.x.length, 6);
      assert.deepStrictEqual(Array.from(d.x), [0, 1, 2, 3, 4, 5]);
      for (const arr of [d.min, d.max, d.first, d.last]) {
        assert.deepStrictEqual(Array.from(arr), [3, 1, NaN, 4, 1, 5]);
      }
    }
    const pts = polylinePoints(decimate(v, 3));
    assert.deepStrictEqual(pts, [[0, 3], [1, 1], [3, 4], [4, 1], [5, 5]]);
  });

  it('visits min and max in time order and never goes back in time', () => {
    const rand = rng(7);
    const v = Float64Array.from({ length: 50_000 }, () => rand());
    const d = decimate(v, 123);
    const runs = toPolyline(d);
    assert.strictEqual(runs.length, 1);
    const r = runs[0]!;
    for (let i = 2; i < r.length; i += 2) assert.ok(r[i]! >= r[i - 2]!, `x goes back at point ${i / 2}`);
    // Every point is a real sample.
    for (let i = 0; i < r.length; i += 2) assert.strictEqual(v[r[i]!], r[i + 1]);
  });

  it('decimates a sub-range [from, to)', () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => (i === 10 || i === 900 ? 99 : i % 7));
    const d = decimate(v, 10, 100, 800);
    const ref = reference(v, 10, 100, 800);
    assert.deepStrictEqual(Array.from(d.max), ref.map((r) => r.max));
    assert.ok(!d.max.includes(99), 'spikes outside the range must not appear');
    assert.strictEqual(d.firstAt[0], 100);
    assert.strictEqual(d.lastAt[9], 799);
  });

  it('treats NaN as missing and all-NaN columns as gaps; keeps ±Infinity as extremes', () => {
    const v = new Float64Array(100).fill(1);
    for (let i = 40; i < 60; i++) v[i] = NaN;
    v[5] = Infinity;
    v[95] = -Infinity;
    const d = decimate(v, 10);
    assert.strictEqual(d.max[0], Infinity);
    assert.strictEqual(d.min[9], -Infinity);
    assert.ok(Number.isNaN(d.min[4]!) && Number.isNaN(d.max[5]!));
    assert.strictEqual(toPolyline(d).length, 2, 'the NaN stretch splits the polyline');
  });

  it('handles degenerate arguments without throwing', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.strictEqual(decimate(new Float64Array(0), 10).x.length, 0);
    assert.strictEqual(decimate(v, 0).x.length, 1);
    assert.strictEqual(decimate(v, NaN).max[0], 8);
    assert.strictEqual(decimate(v, -3).min[0], 1);
    assert.strictEqual(decimate(v, 2.9).x.length, 2);
    assert.strictEqual(decimate(v, 4, 6, 2).x.length, 0);
    assert.strictEqual(decimate(v, 4, -5, 1e9).x.length, 8);
    assert.deepStrictEqual(toPolyline(decimate(new Float64Array(0), 3)), []);
  });

  it('reduces 10,000,000 values exactly: the one-step spike kept, sampled columns equal to brute force', function () {
    // Speed is measured by `npm run bench` (bench/render.ts), not asserted here.
    this.timeout(60_000);
    const n = 10_000_000;
    const cols = 800;
    const v = new Float64Array(n);
    for (let i = 0; i < v.length; i++) v[i] = Math.cos(i / 1e5);
    const spike = 7_654_321;
    v[spike] = 5;
    const d = decimate(v, cols);
    assert.strictEqual(d.x.length, cols);
    const spikeCol = Math.floor((spike * cols) / n);
    assert.strictEqual(d.max[spikeCol], 5);
    assert.strictEqual(d.maxAt[spikeCol], spike);
    assert.strictEqual(Math.max(...d.max), 5);
    // Brute force on a sample of columns (first, last, the spike's, and random ones): every extreme exact.
    const r = rng(10_000_000);
    const sample = new Set([0, cols - 1, spikeCol, ...Array.from({ length: 20 }, () => Math.floor(r() * cols))]);
    for (const c of sample) {
      const [s, e] = bounds(c, n, cols, 0);
      let min = Infinity, max = -Infinity;
      for (let i = s; i < e; i++) {
        if (v[i]! < min) min = v[i]!;
        if (v[i]! > max) max = v[i]!;
      }
      sameNum(d.min[c]!, min, `min of column ${c}`);
      sameNum(d.max[c]!, max, `max of column ${c}`);
      sameNum(d.first[c]!, v[s]!, `first of column ${c}`);
      sameNum(d.last[c]!, v[e - 1]!, `last of column ${c}`);
    }
  });
});
