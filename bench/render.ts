/**
 * Chart data speed (moved here from unit tests, which now assert exactness only): min/max decimation of a
 * 10,000,000-value curve to 800 columns (src/render/decimate.ts), and the panel's `curvePoints` on a
 * 10,000,000-step curve (src/extension/panelModel.ts). Goal: decimation well under 2 s (it runs on every redraw of
 * a zoomed-out long run). Printed, not asserted.
 */
import { decimate } from '../src/render/decimate';
import { curvePoints } from '../src/extension/panelModel';

const N = 10_000_000;
const REPEATS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

export function runRenderBench(): string[] {
  const v = new Float64Array(N);
  for (let i = 0; i < N; i++) v[i] = Math.cos(i / 1e5);
  v[7_654_321] = 5;
  time(() => decimate(v, 800)); // warm-up
  const dec = median(Array.from({ length: REPEATS }, () => time(() => decimate(v, 800))));
  // curvePoints caches the overview per array: each run gets a fresh copy (made before the clock starts).
  const pts = median(Array.from({ length: REPEATS }, () => {
    const fresh = v.slice();
    return time(() => curvePoints(fresh, 800, null));
  }));
  return [
    'chart data (10,000,000 values → 800 columns, median of 5):',
    `  decimate     ${dec.toFixed(1).padStart(8)} ms   (goal < 2000 ms)`,
    `  curvePoints  ${pts.toFixed(1).padStart(8)} ms`,
  ];
}
