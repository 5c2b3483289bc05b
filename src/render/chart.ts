/**
 * Builds the chart scene (pixel-space shapes) from curves and markers, for both
 * picture kinds:
 * - sparkline: curve(s), faint baseline, min/max labels, marker ticks, peak dot;
 * - full: nice axes (linear or log), grid, legend, marker lines with labels, title.
 * Long series are min/max-decimated to the plot's pixel width first, so the
 * scene size depends on the picture size, not on the number of steps.
 * Browser-safe, pure; never throws on odd data (NaN, ±Infinity, empty, constant).
 */
import type { Marker, MarkerKind } from '../engine/types';
import { decimate, toPolyline } from './decimate';
import type { MeasureText, Scene, Shape, Stroke } from './scene';
import { palette, type Palette } from './theme';
import { formatStep, formatValue, linearAxis, logAxis, stepAxis, type Axis } from './ticks';
import type { Annotations, ChartInput, ChartOptions, ChartSeries } from './types';

const MIN_SIZE = 16;
const MAX_SIZE = 8192;
const DEFAULT_SIZE = { sparkline: [320, 120], full: [800, 400] } as const;
const MAX_LABEL_CHARS = 40;

/** A series with the numbers every layout needs, gathered in one pass over its values. */
interface Curve extends ChartSeries {
  /** Finite extent; min > max when there is no finite value. */
  min: number;
  max: number;
  /** Smallest finite value > 0 (Infinity when none): the bottom of a log axis. */
  minPositive: number;
  /** First step of the largest finite value (-1 when none). */
  peakAt: number;
}

function measureCurve(s: ChartSeries, label: string): Curve {
  const v = s.values;
  let min = Infinity, max = -Infinity, minPositive = Infinity, peakAt = -1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x - x !== 0) continue; // NaN or ±Infinity
    if (x < min) min = x;
    if (x > max) {
      max = x;
      peakAt = i;
    }
    if (x > 0 && x < minPositive) minPositive = x;
  }
  return { ...s, label, min, max, minPositive, peakAt };
}

/** Input after validation: only usable series, sane sizes, plain strings. */
interface Prepared {
  width: number;
  height: number;
  pal: Palette;
  full: boolean;
  logY: boolean;
  /** Series on the main (lr) axis, and on the secondary (momentum) axis. */
  main: Curve[];
  secondary: Curve[];
  /** Longest series length: the x axis spans steps 0..length-1. */
  length: number;
  markers: Marker[];
  title: string;
  xLabel: string;
  notes: Required<Omit<Annotations, 'cursor'>> & { cursor: number | null };
}

function clampSize(v: unknown, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(v)));
}

function text(v: unknown, max = MAX_LABEL_CHARS): string {
  const s = typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  const oneLine = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function isValues(v: unknown): v is Float64Array {
  return !!v && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number';
}

const MARKER_KINDS: readonly MarkerKind[] = ['warmup-end', 'restart', 'milestone', 'handoff', 'phase', 'peak'];

function prepare(input: ChartInput, opts: ChartOptions): Prepared {
  const full = opts?.mode === 'full';
  const [dw, dh] = full ? DEFAULT_SIZE.full : DEFAULT_SIZE.sparkline;
  const all = (Array.isArray(input?.series) ? input.series : []).filter((s) => s && isValues(s.values));
  let main = all.filter((s) => s.role !== 'momentum');
  let secondary = all.filter((s) => s.role === 'momentum');
  if (main.length === 0) [main, secondary] = [secondary, []];
  const length = all.reduce((m, s) => Math.max(m, s.values.length), 0);
  const markers = (Array.isArray(input?.markers) ? input.markers : []).filter(
    (m) => m && Number.isFinite(m.step) && m.step >= 0 && m.step < length,
  );
  const a = opts?.annotations ?? {};
  return {
    width: clampSize(opts?.width, dw),
    height: clampSize(opts?.height, dh),
    pal: palette(opts?.theme),
    full,
    logY: opts?.logY === true,
    main: main.map((s) => measureCurve(s, text(s.label))),
    secondary: secondary.map((s) => measureCurve(s, text(s.label))),
    length,
    markers,
    title: text(input?.title, 80),
    xLabel: text(input?.xLabel ?? 'step'),
    notes: {
      markers: a.markers !== false,
      markerLabels: a.markerLabels !== false,
      peak: a.peak !== false,
      cursor: typeof a.cursor === 'number' && Number.isFinite(a.cursor) ? a.cursor : null,
    },
  };
}

/** Finite extent of several series; `positive` keeps only values > 0 (log axes). */
function extent(series: Curve[], positive: boolean): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const c of series) {
    if (c.min > c.max || (positive && !(c.max > 0))) continue;
    lo = Math.min(lo, positive ? c.minPositive : c.min);
    hi = Math.max(hi, c.max);
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Maps a domain to a pixel range, clamping out-of-domain values (±Infinity, ≤ 0 on log) to the edges. */
function scale(domain: readonly [number, number], range: readonly [number, number], log: boolean): (v: number) => number {
  const [d0, d1] = log ? [Math.log10(domain[0]), Math.log10(domain[1])] : domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => {
    const t = ((log ? (v > 0 ? Math.log10(v) : -Infinity) : v) - d0) / span;
    return r0 + (r1 - r0) * Math.min(1, Math.max(0, t));
  };
}

function markerColor(pal: Palette, kind: MarkerKind): string {
  return MARKER_KINDS.includes(kind) ? pal.markers[kind] : pal.markers.phase;
}

/** Series colour: main series first, then secondary ones, cycling the palette. */
function seriesStroke(pal: Palette, index: number, secondary: boolean): Stroke {
  const color = pal.series[index % pal.series.length]!;
  return secondary ? { color, width: Math.max(1, pal.lineWidth * 0.75), dash: [5, 3] } : { color, width: pal.lineWidth };
}

interface Plot {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Polyline runs of one series in pixels, decimated to `resolution` points per
 * pixel column of the part of the x axis the series covers.
 */
function seriesRuns(values: Float64Array, p: Prepared, plot: Plot, y: (v: number) => number, resolution: number): Float64Array[] {
  const x = scale([0, Math.max(1, p.length - 1)], [plot.left, plot.right], false);
  const cols = Math.max(1, Math.round((plot.right - plot.left) * resolution * (values.length / Math.max(1, p.length))));
  const runs = toPolyline(decimate(values, cols));
  for (const run of runs) {
    for (let i = 0; i < run.length; i += 2) {
      run[i] = x(run[i]!);
      run[i + 1] = y(run[i + 1]!);
    }
  }
  return runs;
}

/** Step and value of the (first) largest finite value, or null. */
function peakOf(c: Curve): { step: number; value: number } | null {
  return c.peakAt < 0 ? null : { step: c.peakAt, value: c.max };
}

/** One marker per (pixel column, kind), so thousands of milestones cost at most one line per pixel. */
function visibleMarkers(p: Prepared, x: (v: number) => number): { x: number; marker: Marker }[] {
  const seen = new Set<string>();
  const out: { x: number; marker: Marker }[] = [];
  for (const m of [...p.markers].sort((a, b) => a.step - b.step)) {
    if (m.kind === 'peak' && p.notes.peak) continue; // the peak dot shows it
    const px = x(m.step);
    const key = `${Math.round(px)}:${m.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ x: px, marker: m });
  }
  return out;
}

function noData(p: Prepared, message: string): Scene {
  const shapes: Shape[] = [];
  const { width: w, height: h, pal } = p;
  const inset = 0.5 + pal.ruleWidth;
  const border: Stroke = { color: pal.axis, width: pal.ruleWidth, dash: [4, 3], opacity: 0.8 };
  shapes.push(
    { kind: 'line', x1: inset, y1: inset, x2: w - inset, y2: inset, stroke: border },
    { kind: 'line', x1: w - inset, y1: inset, x2: w - inset, y2: h - inset, stroke: border },
    { kind: 'line', x1: w - inset, y1: h - inset, x2: inset, y2: h - inset, stroke: border },
    { kind: 'line', x1: inset, y1: h - inset, x2: inset, y2: inset, stroke: border },
  );
  const size = p.full ? 14 : 11;
  shapes.push({ kind: 'text', x: w / 2, y: h / 2 + size * 0.35, text: message, size, color: pal.mutedText, anchor: 'middle' });
  if (p.full && p.title) {
    shapes.push({ kind: 'text', x: w / 2, y: 22, text: p.title, size: 14, color: pal.text, anchor: 'middle', bold: true });
  }
  return { width: w, height: h, background: p.full ? pal.background : null, description: message, shapes };
}

function describe(p: Prepared, peak: { step: number; value: number } | null): string {
  const what = p.title || p.main.map((s) => s.label).filter(Boolean).join(', ') || 'learning rate';
  const pk = peak ? `, peak ${formatValue(peak.value)} at step ${peak.step}` : '';
  return `${what}: ${p.length} steps${pk}`;
}

/**
 * The y axis of the main series; falls back to a linear axis when a log axis
 * was asked for but no value is positive.
 */
function mainAxis(p: Prepared, target: number, headroom = 0): { axis: Axis; log: boolean } | null {
  if (p.logY) {
    const pos = extent(p.main, true);
    if (pos) return { axis: logAxis(pos[0], pos[1] * (pos[1] / pos[0]) ** headroom, target), log: true };
  }
  const ext = extent(p.main, false);
  return ext ? { axis: linearAxis(ext[0], ext[1] + (ext[1] - ext[0]) * headroom, target), log: false } : null;
}

// ---- sparkline ---------------------------------------------------------------------------

function sparkline(p: Prepared, measure: MeasureText, resolution: number): Scene {
  const ya = mainAxis(p, 2);
  if (!ya) return noData(p, 'no finite values');
  const { pal, width: w, height: h } = p;
  // Exact data range (not nice ticks): a hover wants the shape, and the labels name the extremes.
  const [lo, hi] = (ya.log ? extent(p.main, true) : extent(p.main, false))!;
  const domain: [number, number] = lo === hi ? [ya.axis.domain[0], ya.axis.domain[1]] : [lo, hi];
  const size = 10;
  const hiLabel = formatValue(hi), loLabel = formatValue(lo);
  const gutter = Math.ceil(Math.max(measure(hiLabel, size), measure(loLabel, size)));
  const dot = p.notes.peak ? 3 : 0;
  const plot: Plot = { left: 4 + gutter + 5, top: 6 + dot, right: w - 4 - dot, bottom: h - 11 };
  if (plot.right - plot.left < 8 || plot.bottom - plot.top < 8) return noData(p, 'too small');
  const y = scale(domain, [plot.bottom, plot.top], ya.log);
  const x = scale([0, Math.max(1, p.length - 1)], [plot.left, plot.right], false);
  const shapes: Shape[] = [];
  const faint: Stroke = { color: pal.axis, width: pal.ruleWidth, opacity: 0.6 };

  shapes.push({ kind: 'line', x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: faint });
  shapes.push({ kind: 'line', x1: plot.left, y1: plot.top, x2: plot.right, y2: plot.top, stroke: { ...faint, dash: [2, 3], opacity: 0.45 } });
  if (p.notes.markers) {
    for (const { x: mx, marker } of visibleMarkers(p, x)) {
      const stroke: Stroke = { color: markerColor(pal, marker.kind), width: Math.max(1.5, pal.ruleWidth) };
      shapes.push({ kind: 'line', x1: mx, y1: plot.bottom + 2, x2: mx, y2: plot.bottom + 8, stroke });
    }
  }
  addSeries(shapes, p, plot, y, resolution);
  const peak = peakOf(p.main[0]!);
  addCursor(shapes, p, x, y, plot, false);
  if (p.notes.peak && peak) {
    shapes.push({ kind: 'circle', cx: x(peak.step), cy: y(peak.value), r: dot, fill: pal.markers.peak, stroke: { color: pal.background, width: 1 } });
  }
  shapes.push(
    { kind: 'text', x: plot.left - 5, y: plot.top + size * 0.35, text: hiLabel, size, color: pal.mutedText, anchor: 'end' },
    { kind: 'text', x: plot.left - 5, y: plot.bottom + size * 0.35, text: loLabel, size, color: pal.mutedText, anchor: 'end' },
  );
  return { width: w, height: h, background: null, description: describe(p, peak), shapes };
}

/** Main series over the y scale, secondary (momentum) series over their own range, drawn underneath. */
function addSeries(shapes: Shape[], p: Prepared, plot: Plot, y: (v: number) => number, resolution: number, y2?: (v: number) => number): void {
  const sec = y2 ?? secondaryScale(p, plot);
  p.secondary.forEach((s, i) => {
    if (!sec) return;
    shapes.push({ kind: 'series', runs: seriesRuns(s.values, p, plot, sec, resolution), stroke: seriesStroke(p.pal, p.main.length + i, true), label: s.label });
  });
  // Reverse order: the first series (the one the peak dot and cursor refer to) ends up on top.
  for (let i = p.main.length - 1; i >= 0; i--) {
    const s = p.main[i]!;
    shapes.push({ kind: 'series', runs: seriesRuns(s.values, p, plot, y, resolution), stroke: seriesStroke(p.pal, i, false), label: s.label });
  }
}

function secondaryScale(p: Prepared, plot: Plot): ((v: number) => number) | null {
  const ext = extent(p.secondary, false);
  if (!ext) return null;
  const axis = linearAxis(ext[0], ext[1], 4);
  const domain: [number, number] = ext[0] === ext[1] ? axis.domain : ext;
  return scale(domain, [plot.bottom, plot.top], false);
}

function addCursor(shapes: Shape[], p: Prepared, x: (v: number) => number, y: (v: number) => number, plot: Plot, label: boolean): void {
  const c = p.notes.cursor;
  if (c === null || c < 0 || c > p.length - 1) return;
  const step = Math.round(c);
  const cx = x(step);
  shapes.push({ kind: 'line', x1: cx, y1: plot.top, x2: cx, y2: plot.bottom, stroke: { color: p.pal.text, width: p.pal.ruleWidth, opacity: 0.6 } });
  const v = p.main[0]!.values[step];
  if (v === undefined || v !== v) return;
  shapes.push({ kind: 'circle', cx, cy: y(v), r: 3, fill: p.pal.text });
  if (label) {
    const right = cx < (plot.left + plot.right) / 2;
    shapes.push({
      kind: 'text', x: cx + (right ? 6 : -6), y: Math.max(plot.top + 10, y(v) - 6), size: 10, color: p.pal.text,
      anchor: right ? 'start' : 'end', text: `step ${formatStep(step)}: ${formatValue(v)}`,
    });
  }
}

// ---- full chart --------------------------------------------------------------------------

const TICK = 11;
const TITLE = 14;
const SMALL = 10;

interface LegendItem {
  label: string;
  stroke: Stroke;
}

/** Lays legend items in rows across `width`; returns positioned items (at most `maxRows` rows). */
function layoutLegend(items: LegendItem[], width: number, measure: MeasureText, maxRows: number): { rows: number; placed: { item: LegendItem; x: number; row: number }[] } {
  const placed: { item: LegendItem; x: number; row: number }[] = [];
  const swatch = 18, gap = 14;
  let x = 0, row = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const w = swatch + 5 + measure(item.label, TICK);
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    if (row >= maxRows) {
      // No room left: the last placed item gives way to a count of the hidden ones.
      const last = placed.pop()!;
      const more = `+${items.length - i + 1} more`;
      placed.push({ item: { label: more, stroke: { ...last.item.stroke, width: 0 } }, x: last.x, row: last.row });
      break;
    }
    placed.push({ item, x, row });
    x += w + gap;
  }
  return { rows: Math.min(maxRows, row + 1), placed };
}

function fullChart(p: Prepared, measure: MeasureText, resolution: number): Scene {
  const { pal, width: w, height: h } = p;
  const pad = 12;
  let top = pad;
  const shapes: Shape[] = [];
  const texts: Shape[] = [];
  if (p.title) {
    texts.push({ kind: 'text', x: w / 2, y: top + TITLE * 0.8, text: p.title, size: TITLE, color: pal.text, anchor: 'middle', bold: true });
    top += TITLE + 10;
  }
  const items: LegendItem[] = [
    ...p.main.map((s, i) => ({ label: s.label || `group ${i}`, stroke: seriesStroke(pal, i, false) })),
    ...p.secondary.map((s, i) => ({ label: s.label || 'momentum', stroke: seriesStroke(pal, p.main.length + i, true) })),
  ];
  if (items.length > 1) {
    const legend = layoutLegend(items, w - 2 * pad, measure, 3);
    const legendWidth = legend.placed.reduce((m, e) => Math.max(m, e.x + 23 + measure(e.item.label, TICK)), 0);
    const x0 = Math.max(pad, (w - legendWidth) / 2);
    for (const { item, x, row } of legend.placed) {
      const cy = top + row * 16 + 6;
      if (item.stroke.width > 0) {
        shapes.push({ kind: 'line', x1: x0 + x, y1: cy, x2: x0 + x + 18, y2: cy, stroke: item.stroke });
      }
      texts.push({ kind: 'text', x: x0 + x + 23, y: cy + TICK * 0.35, text: item.label, size: TICK, color: pal.text, anchor: 'start' });
    }
    top += legend.rows * 16 + 6;
  }
  top += 4;
  const bottom = h - pad - (p.xLabel ? TICK + 6 : 0) - TICK - 8;
  // Headroom above the highest value keeps the peak label inside the plot, above the curve.
  const ya = mainAxis(p, Math.max(2, Math.floor((bottom - top) / 45)), p.notes.peak ? 0.1 : 0);
  if (!ya || bottom - top < 20) {
    return noData(p, !ya ? 'no finite values' : 'too small');
  }
  const yCaption = ya.log ? 'learning rate (log)' : 'learning rate';
  const yLabelW = Math.max(...ya.axis.ticks.map((t) => measure(t.label, TICK)));
  const left = pad + TICK + 8 + yLabelW + 6;
  const secExt = extent(p.secondary, false);
  const secAxis = secExt ? linearAxis(secExt[0], secExt[1], Math.max(2, Math.floor((bottom - top) / 45))) : null;
  const rightLabelW = secAxis ? Math.max(...secAxis.ticks.map((t) => measure(t.label, TICK))) + 8 : 0;
  const right = w - pad - Math.max(12, rightLabelW);
  if (right - left < 20) return noData(p, 'too small');
  const plot: Plot = { left, top, right, bottom };
  const y = scale(ya.axis.domain, [bottom, top], ya.log);
  const xa = stepAxis(0, Math.max(1, p.length - 1), Math.max(2, Math.floor((right - left) / 90)));
  const x = scale(xa.domain, [left, right], false);

  const grid: Stroke = { color: pal.grid, width: pal.ruleWidth };
  const minorGrid: Stroke = { ...grid, opacity: 0.5 };
  const axisStroke: Stroke = { color: pal.axis, width: pal.ruleWidth };
  for (const t of ya.axis.ticks) {
    const ty = y(t.value);
    shapes.push({ kind: 'line', x1: left, y1: ty, x2: right, y2: ty, stroke: t.minor ? minorGrid : grid });
    if (t.minor) continue;
    shapes.push({ kind: 'line', x1: left - 4, y1: ty, x2: left, y2: ty, stroke: axisStroke });
    texts.push({ kind: 'text', x: left - 7, y: ty + TICK * 0.35, text: t.label, size: TICK, color: pal.mutedText, anchor: 'end' });
  }
  for (const t of xa.ticks) {
    const tx = x(t.value);
    shapes.push({ kind: 'line', x1: tx, y1: top, x2: tx, y2: bottom, stroke: grid });
    shapes.push({ kind: 'line', x1: tx, y1: bottom, x2: tx, y2: bottom + 4, stroke: axisStroke });
    texts.push({ kind: 'text', x: tx, y: bottom + 6 + TICK * 0.8, text: t.label, size: TICK, color: pal.mutedText, anchor: 'middle' });
  }
  let y2: ((v: number) => number) | undefined;
  if (secAxis) {
    y2 = scale(secAxis.domain, [bottom, top], false);
    for (const t of secAxis.ticks) {
      const ty = y2(t.value);
      shapes.push({ kind: 'line', x1: right, y1: ty, x2: right + 4, y2: ty, stroke: axisStroke });
      texts.push({ kind: 'text', x: right + 7, y: ty + TICK * 0.35, text: t.label, size: TICK, color: pal.mutedText, anchor: 'start' });
    }
    shapes.push({ kind: 'line', x1: right, y1: top, x2: right, y2: bottom, stroke: axisStroke });
  }
  shapes.push(
    { kind: 'line', x1: left, y1: top, x2: left, y2: bottom, stroke: axisStroke },
    { kind: 'line', x1: left, y1: bottom, x2: right, y2: bottom, stroke: axisStroke },
  );
  texts.push({ kind: 'text', x: pad + TICK * 0.8, y: (top + bottom) / 2, text: yCaption, size: TICK, color: pal.mutedText, anchor: 'middle', vertical: true });
  if (p.xLabel) {
    texts.push({ kind: 'text', x: (left + right) / 2, y: h - pad, text: p.xLabel, size: TICK, color: pal.mutedText, anchor: 'middle' });
  }

  if (p.notes.markers) addMarkerLines(shapes, texts, p, plot, x, measure);
  addSeries(shapes, p, plot, y, resolution, y2);
  const peak = peakOf(p.main[0]!);
  if (p.notes.peak && peak) {
    const cx = x(peak.step), cy = y(peak.value);
    shapes.push({ kind: 'circle', cx, cy, r: 3.5, fill: pal.markers.peak, stroke: { color: pal.background, width: 1.25 } });
    const label = `peak ${formatValue(peak.value)} @ ${formatStep(peak.step)}`;
    // Above the dot (nothing of the first series is higher); near an edge it is aligned to that edge.
    const lw = measure(label, SMALL);
    const anchor = cx - lw / 2 < left + 2 ? 'start' : cx + lw / 2 > right ? 'end' : 'middle';
    const lx = anchor === 'start' ? left + 2 : anchor === 'end' ? right : cx;
    const x0 = anchor === 'start' ? lx : anchor === 'end' ? lx - lw : lx - lw / 2;
    const base = Math.max(top + SMALL, cy - 7);
    texts.push(
      { kind: 'rect', x: x0 - 2, y: base - SMALL + 1, w: lw + 4, h: SMALL + 2, fill: pal.background, opacity: 0.85 },
      { kind: 'text', x: lx, y: base, text: label, size: SMALL, color: pal.markers.peak, anchor },
    );
  }
  addCursor(shapes, p, x, y, plot, true);
  return { width: w, height: h, background: pal.background, description: describe(p, peak), shapes: [...shapes, ...texts] };
}

/**
 * Dashed vertical line per marker. Labels sit near the x axis (right after a
 * restart or warm-up the curve is high, so the bottom is usually free), on a
 * background chip, in up to three rows; a label that would overlap is skipped.
 */
function addMarkerLines(shapes: Shape[], texts: Shape[], p: Prepared, plot: Plot, x: (v: number) => number, measure: MeasureText): void {
  const rowsEnd = [-Infinity, -Infinity, -Infinity];
  for (const { x: mx, marker } of visibleMarkers(p, x)) {
    const color = markerColor(p.pal, marker.kind);
    shapes.push({ kind: 'line', x1: mx, y1: plot.top, x2: mx, y2: plot.bottom, stroke: { color, width: p.pal.ruleWidth, dash: [4, 3], opacity: 0.75 } });
    const label = text(marker.label, 28);
    if (!p.notes.markerLabels || !label) continue;
    const lw = measure(label, SMALL);
    const flip = mx + 4 + lw > plot.right;
    const x0 = flip ? mx - 4 - lw : mx + 4;
    const row = rowsEnd.findIndex((end) => end < x0 - 4);
    if (row < 0 || x0 < plot.left) continue;
    rowsEnd[row] = x0 + lw;
    const base = plot.bottom - 5 - row * (SMALL + 5);
    texts.push(
      { kind: 'rect', x: x0 - 2, y: base - SMALL + 1, w: lw + 4, h: SMALL + 3, fill: p.pal.background, opacity: 0.85 },
      { kind: 'text', x: flip ? mx - 4 : mx + 4, y: base, text: label, size: SMALL, color, anchor: flip ? 'end' : 'start' },
    );
  }
}

/**
 * The chart as shapes. `measure` gives text widths for layout (each output has
 * its own font); `resolution` is the number of decimation columns per pixel
 * (the SVG writer lowers it to stay within a size budget).
 */
export function buildScene(input: ChartInput, opts: ChartOptions, measure: MeasureText, resolution = 1): Scene {
  const p = prepare(input, opts);
  if (p.main.length === 0 || p.length === 0) return noData(p, 'no data');
  return p.full ? fullChart(p, measure, resolution) : sparkline(p, measure, resolution);
}
