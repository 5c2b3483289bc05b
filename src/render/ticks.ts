/**
 * Axis ticks and number labels: "nice" 1-2-5 steps on linear axes, decades
 * (with 2 and 5 in between when the range is short) on log axes, and compact
 * labels such as `1e-4`, `2.5e-4`, `0.05`, `12k`, `2.5M`.
 * Browser-safe, pure.
 */

export interface Tick {
  value: number;
  label: string;
  /** Minor ticks get a grid line but no label. */
  minor?: boolean;
}

export interface Axis {
  /** The drawn range; contains every tick. */
  domain: [number, number];
  ticks: Tick[];
  log: boolean;
}

/** The 1-2-5 step closest to `span / target` from above. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, target);
  const exp = Math.floor(Math.log10(raw));
  const base = 10 ** exp;
  const m = raw / base;
  const eps = 1e-9; // 2e-4 / 1e-4 is 2.0000000000000004
  const nice = m <= 1 + eps ? 1 : m <= 2 + eps ? 2 : m <= 5 + eps ? 5 : 10;
  return nice * base;
}

/** Removes binary noise: 0.30000000000000004 → 0.3. */
function clean(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(12));
}

/**
 * A value in short scientific form: mantissa with at most `digits` decimals,
 * trailing zeros dropped, exponent without padding (`2.5e-4`, `1e-3`).
 */
export function formatScientific(v: number, digits = 2): string {
  if (v === 0) return '0';
  let exp = Math.floor(Math.log10(Math.abs(v)));
  let mant = Number((v / 10 ** exp).toFixed(digits));
  if (Math.abs(mant) >= 10) {
    mant /= 10;
    exp += 1;
  }
  return exp === 0 ? String(clean(mant)) : `${clean(mant)}e${exp}`;
}

/** Whether values of this magnitude read better in scientific notation. */
function wantsScientific(maxAbs: number): boolean {
  return maxAbs > 0 && (maxAbs < 1e-2 || maxAbs >= 1e6);
}

/** Decimal places needed to show multiples of a 1-2-5 step exactly. */
function decimalsFor(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Label for a tick on a linear axis whose ticks are multiples of `step` and
 * whose largest magnitude is `maxAbs` (all labels of an axis share one style).
 */
export function formatTick(v: number, step: number, maxAbs: number): string {
  if (Math.abs(v) < step * 1e-6) return '0';
  if (wantsScientific(maxAbs)) {
    const exp = Math.floor(Math.log10(Math.abs(v)) + 1e-9);
    const digits = Math.min(6, Math.max(0, exp - Math.floor(Math.log10(step) + 1e-9)));
    return formatScientific(v, digits);
  }
  return clean(v).toFixed(Math.min(12, decimalsFor(step)));
}

/** A value on its own (sparkline extremes, peak label): 3 significant digits, scientific when tiny or huge. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return '0';
  if (wantsScientific(Math.abs(v))) return formatScientific(v, 2);
  return String(clean(Number(v.toPrecision(3))));
}

/** A step count: `950`, `12k`, `2.5M` (plain up to 9999). */
export function formatStep(v: number): string {
  const a = Math.abs(v);
  if (a < 10_000) return String(clean(Math.round(v * 100) / 100));
  if (a < 1e6) return `${clean(Number((v / 1e3).toPrecision(4)))}k`;
  if (a < 1e9) return `${clean(Number((v / 1e6).toPrecision(4)))}M`;
  return `${clean(Number((v / 1e9).toPrecision(4)))}G`;
}

/**
 * Linear axis over [min, max] with about `target` ticks at multiples of a 1-2-5
 * step; the domain is widened to the enclosing ticks. A zero-width range is
 * widened around the value so that a constant series gets a readable axis.
 */
export function linearAxis(min: number, max: number, target: number): Axis {
  let lo = min, hi = max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    lo = 0;
    hi = 1;
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, target);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const maxAbs = Math.max(Math.abs(first * step), Math.abs(last * step));
  const ticks: Tick[] = [];
  for (let i = first; i <= last; i++) {
    const value = clean(i * step);
    ticks.push({ value, label: formatTick(value, step, maxAbs) });
  }
  return { domain: [clean(first * step), clean(last * step)], ticks, log: false };
}

/** Integer step axis (x): like `linearAxis` but never below step 1 and labelled with `formatStep`. */
export function stepAxis(min: number, max: number, target: number): Axis {
  const lo = Number.isFinite(min) ? min : 0;
  const hi = Number.isFinite(max) && max > lo ? max : lo + 1;
  const step = Math.max(1, niceStep(hi - lo, target));
  const ticks: Tick[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + 1e-9; i++) {
    ticks.push({ value: clean(i * step), label: formatStep(clean(i * step)) });
  }
  return { domain: [lo, hi], ticks, log: false };
}

/**
 * Log axis over positive [min, max]: labelled decades (every k-th decade when
 * there are many), plus labelled 2 and 5 ticks when the range spans less than
 * about two decades, and unlabelled minor ticks 2..9 when it spans few decades.
 * The domain is widened to the enclosing 1-2-5 values.
 */
export function logAxis(min: number, max: number, target: number): Axis {
  let lo = min, hi = max;
  if (!(lo > 0) || !Number.isFinite(lo) || !(hi > 0) || !Number.isFinite(hi) || lo > hi) {
    lo = 1e-4;
    hi = 1;
  }
  if (lo === hi) {
    lo /= 2;
    hi *= 2;
  }
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = Math.max(1, e1 - e0);
  // One label style per axis: scientific for all ticks as soon as one needs it.
  const sci = wantsScientific(10 ** e0) || wantsScientific(10 ** e1);
  const label = (v: number): string => (sci ? formatScientific(v, 0) : String(v));
  // The domain snaps outwards to 1-2-5 values (not whole decades: a peak at 0.15 should not cost a decade).
  const seq: number[] = [];
  for (let e = e0; e <= e1; e++) for (const m of [1, 2, 5]) seq.push(clean(m * 10 ** e));
  const below = seq.filter((v) => v <= lo * (1 + 1e-9));
  const above = seq.filter((v) => v >= hi * (1 - 1e-9));
  const dLo = below.length ? below[below.length - 1]! : seq[0]!;
  const dHi = above.length ? above[0]! : seq[seq.length - 1]!;
  // Short ranges label 1, 2 and 5; longer ones label every `every`-th decade.
  const short = decades <= 2;
  const every = Math.max(1, Math.ceil(decades / Math.max(2, target)));
  const ticks: Tick[] = [];
  for (let e = e0; e <= e1; e++) {
    for (let m = 1; m <= 9; m++) {
      const v = clean(m * 10 ** e);
      if (v < dLo * (1 - 1e-9) || v > dHi * (1 + 1e-9)) continue;
      const labelled = short ? m === 1 || m === 2 || m === 5 : m === 1 && (e - e0) % every === 0;
      if (labelled) ticks.push({ value: v, label: label(v) });
      else if (m === 1 || decades <= 6) ticks.push({ value: v, label: '', minor: true });
    }
  }
  return { domain: [dLo, dHi], ticks, log: true };
}
