/**
 * Key numbers of a curve for hover, CodeLens and CLI.
 */
import type { CurveSummary, Marker } from './types';

/**
 * start, peak/min (first occurrence) with their indices, final value, the warm-up end
 * (a 'warmup-end' marker, else the end of an initial non-decreasing rise that goes above
 * the start), restarts and milestones (markers 'restart'; 'milestone' and 'handoff').
 * An empty curve summarises as NaN everywhere.
 */
export function summarize(lrs: Float64Array, markers: Marker[]): CurveSummary {
  const n = lrs.length;
  const start = n ? lrs[0]! : NaN;
  let peak = start;
  let peakAt = 0;
  let min = start;
  let minAt = 0;
  for (let k = 1; k < n; k++) {
    const v = lrs[k]!;
    if (v > peak) {
      peak = v;
      peakAt = k;
    }
    if (v < min) {
      min = v;
      minAt = k;
    }
  }
  const steps = (kinds: string[]) => [...new Set(markers.filter((m) => kinds.includes(m.kind)).map((m) => m.step))].sort((a, b) => a - b);
  const marked = markers.filter((m) => m.kind === 'warmup-end' && risesTo(lrs, m.step)).map((m) => m.step).sort((a, b) => a - b)[0];
  return {
    start,
    peak: { value: peak, step: peakAt },
    min: { value: min, step: minAt },
    final: n ? lrs[n - 1]! : NaN,
    warmupEnd: marked ?? riseEnd(lrs),
    restarts: steps(['restart']),
    milestones: steps(['milestone', 'handoff']),
  };
}

/** True when the curve rises (non-decreasing, ending above the start) from 0 to `at`. */
function risesTo(lrs: Float64Array, at: number): boolean {
  if (at <= 0 || at >= lrs.length || !(lrs[at]! > lrs[0]!)) return false;
  for (let k = 1; k <= at; k++) if (lrs[k]! < lrs[k - 1]!) return false;
  return true;
}

/** End of the initial non-decreasing run when it climbs above the start and then falls or flattens; else null. */
function riseEnd(lrs: Float64Array): number | null {
  const n = lrs.length;
  if (n < 3 || !(lrs[1]! > lrs[0]!)) return null;
  let k = 1;
  while (k + 1 < n && lrs[k + 1]! > lrs[k]!) k++;
  return k + 1 < n ? k : null;
}
