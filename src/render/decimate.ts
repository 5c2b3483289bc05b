/**
 * Min/max decimation of a long series down to one bucket per pixel column.
 *
 * A learning-rate curve can have 10,000,000 values and a one-step event (a warm
 * restart, a step-decay drop) that a naive "every k-th value" sampler would skip.
 * Keeping the minimum, maximum, first and last value of every column keeps every
 * spike visible while the output stays proportional to the pixel width.
 *
 * Browser-safe: no Node APIs (the webview bundles this file too).
 */

/** One bucket per output column; all arrays have the same length. */
export interface Decimated {
  /** Step coordinate of the column: its centre index (the index itself in passthrough). */
  x: Float64Array;
  /** Smallest non-NaN value of the column (NaN when every value is NaN). */
  min: Float64Array;
  /** Largest non-NaN value of the column (NaN when every value is NaN). */
  max: Float64Array;
  /** First non-NaN value of the column. */
  first: Float64Array;
  /** Last non-NaN value of the column. */
  last: Float64Array;
  /** Indices where the column's min, max, first and last values occur (-1 when all NaN). */
  minAt: Float64Array;
  maxAt: Float64Array;
  firstAt: Float64Array;
  lastAt: Float64Array;
}

function alloc(n: number): Decimated {
  return {
    x: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n),
    first: new Float64Array(n), last: new Float64Array(n),
    minAt: new Float64Array(n), maxAt: new Float64Array(n), firstAt: new Float64Array(n), lastAt: new Float64Array(n),
  };
}

function toIndex(v: number, fallback: number, len: number): number {
  if (typeof v !== 'number' || Number.isNaN(v)) return fallback;
  return Math.min(len, Math.max(0, Math.floor(v)));
}

/**
 * Reduces `values[from..to)` to at most `columns` buckets, keeping each bucket's
 * min, max, first and last value; buckets split the range as evenly as integers
 * allow. When the range has at most `2 * columns` values there is nothing to gain,
 * and every value becomes its own bucket (exact passthrough, `x` = index).
 *
 * NaN values are skipped (a bucket of only NaN yields NaN, i.e. a gap); ±Infinity
 * are kept, since they are extremes. O(to - from), no allocation per value.
 * Bad arguments (non-integer, out of range) are clamped; never throws.
 */
export function decimate(values: Float64Array, columns: number, from = 0, to = values.length): Decimated {
  const len = values?.length ?? 0;
  const lo = toIndex(from, 0, len);
  const hi = toIndex(to, len, len);
  const n = hi - lo;
  const cols = Number.isFinite(columns) ? Math.max(1, Math.floor(columns)) : 1;
  if (n <= 0) return alloc(0);

  if (n <= 2 * cols) {
    const out = alloc(n);
    for (let i = 0; i < n; i++) {
      const v = values[lo + i]!;
      const at = v === v ? lo + i : -1;
      out.x[i] = out.minAt[i] = out.maxAt[i] = out.firstAt[i] = out.lastAt[i] = lo + i;
      out.min[i] = out.max[i] = out.first[i] = out.last[i] = v;
      if (at < 0) out.minAt[i] = out.maxAt[i] = out.firstAt[i] = out.lastAt[i] = -1;
    }
    return out;
  }

  const out = alloc(cols);
  for (let c = 0; c < cols; c++) {
    const start = lo + Math.floor((c * n) / cols);
    const end = lo + Math.floor(((c + 1) * n) / cols);
    let mn = NaN, mx = NaN, first = NaN, last = NaN;
    let iMin = -1, iMax = -1, iFirst = -1, iLast = -1;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (v !== v) continue; // NaN
      if (iFirst < 0) {
        mn = mx = first = v;
        iMin = iMax = iFirst = i;
      } else if (v < mn) {
        mn = v;
        iMin = i;
      } else if (v > mx) {
        mx = v;
        iMax = i;
      }
      last = v;
      iLast = i;
    }
    out.x[c] = (start + end - 1) / 2;
    out.min[c] = mn;
    out.max[c] = mx;
    out.first[c] = first;
    out.last[c] = last;
    out.minAt[c] = iMin;
    out.maxAt[c] = iMax;
    out.firstAt[c] = iFirst;
    out.lastAt[c] = iLast;
  }
  return out;
}

/**
 * Turns buckets into polyline runs of interleaved `(x, y)` data coordinates
 * that visit each column's first, min, max and last value at the steps where
 * they occur, in time order (the "M4" reduction: drawn at the column's pixel
 * width it rasterises exactly like the full series). Repeated points are
 * dropped; an all-NaN bucket ends the current run (a gap in the curve).
 */
export function toPolyline(d: Decimated): Float64Array[] {
  const runs: Float64Array[] = [];
  const buf = new Float64Array(d.x.length * 8);
  let len = 0;
  const flush = (): void => {
    if (len > 0) runs.push(buf.slice(0, len));
    len = 0;
  };
  const push = (x: number, y: number): void => {
    if (len >= 2 && buf[len - 2] === x && buf[len - 1] === y) return;
    buf[len++] = x;
    buf[len++] = y;
  };
  for (let c = 0; c < d.x.length; c++) {
    if (d.firstAt[c]! < 0) {
      flush();
      continue;
    }
    const minAt = d.minAt[c]!, maxAt = d.maxAt[c]!;
    push(d.firstAt[c]!, d.first[c]!);
    if (minAt <= maxAt) {
      push(minAt, d.min[c]!);
      push(maxAt, d.max[c]!);
    } else {
      push(maxAt, d.max[c]!);
      push(minAt, d.min[c]!);
    }
    push(d.lastAt[c]!, d.last[c]!);
  }
  flush();
  return runs;
}
