/**
 * What the panel shows, computed from an analysis result, pure: picks the scheduler(s),
 * decimates every curve to the plot's pixel width (full detail only for the visible x-range),
 * and collects markers and notes. The webview never receives more than a few points per pixel,
 * whatever the horizon (10,000,000 steps stay interactive).
 */
import type { AnalysisResult, SchedulerAnalysis } from '../analysis/types';
import { decimate, toPolyline } from '../render/decimate';
import type { MarkerData, PanelView, SchedulerChoice, SeriesData, Viewport } from '../protocol/protocol';
import { assumptionShort, assumptionText } from '../analysis/assumptions';
import { schedulerTitle } from './summary';
import { describeRun } from '../analysis/run';

/** Most markers drawn (a 10M-step WarmRestarts with T_0 = 10 has a million restarts). */
export const MAX_MARKERS = 200;
/** Plot width assumed before the webview reports its own. */
export const DEFAULT_COLUMNS = 800;
/** Bounds for the reported width: a few columns at least, never absurd. */
const MIN_COLUMNS = 50;
const MAX_COLUMNS = 4000;

export interface ViewInput {
  seq: number;
  uri: string;
  fileName: string;
  result: AnalysisResult;
  /** The scheduler asked for; falls back to the first one with a curve, then the first one. */
  selectedId: string | null;
  pinned: boolean;
  compare: boolean;
  horizonOverride: number | null;
  resetZoom: boolean;
  viewport: Viewport | null;
  columns: number;
  /** Extra notes from the host (e.g. "horizon clamped"). */
  notes?: string[];
}

/** The scheduler to show: `id` if present, else the first with a curve, else the first. */
export function pickScheduler(result: AnalysisResult, id: string | null): SchedulerAnalysis | undefined {
  return result.schedulers.find((s) => s.id === id) ?? result.schedulers.find((s) => s.curve) ?? result.schedulers[0];
}

/**
 * The id of the scheduler that `previous` has become in a new result. Ids embed the call's
 * line, so typing above a call changes its id: the call is then found again by kind and
 * variable, else by kind at the nearest line. Undefined when nothing matches.
 */
export function relocate(result: AnalysisResult, previous: SchedulerAnalysis | undefined): string | undefined {
  if (!previous) return undefined;
  if (result.schedulers.some((s) => s.id === previous.id)) return previous.id;
  const sameKind = result.schedulers.filter((s) => s.kind === previous.kind);
  const named = sameKind.filter((s) => s.variable === previous.variable);
  const pool = named.length ? named : sameKind;
  const line = previous.range.start.line;
  let best: SchedulerAnalysis | undefined;
  for (const s of pool) {
    if (!best || Math.abs(s.range.start.line - line) < Math.abs(best.range.start.line - line)) best = s;
  }
  return best?.id;
}

export function clampColumns(columns: number): number {
  return Number.isFinite(columns) && columns > 0 ? Math.min(MAX_COLUMNS, Math.max(MIN_COLUMNS, Math.round(columns))) : DEFAULT_COLUMNS;
}

/** A decimated polyline as parallel arrays; runs are separated by a null (a gap). */
function polyline(values: Float64Array, columns: number, from?: number, to?: number): { xs: number[]; ys: (number | null)[] } {
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const run of toPolyline(decimate(values, columns, from, to))) {
    if (xs.length) {
      xs.push(run[0]!);
      ys.push(null);
    }
    for (let i = 0; i < run.length; i += 2) {
      xs.push(run[i]!);
      ys.push(Number.isFinite(run[i + 1]!) ? run[i + 1]! : null);
    }
  }
  return { xs, ys };
}

/**
 * Whole-horizon polylines, kept per curve array and width: zooming re-decimates only the
 * visible range. Weak keys: a curve's entry goes with its analysis result.
 */
const overviews = new WeakMap<Float64Array, Map<number, { xs: number[]; ys: (number | null)[] }>>();

function overviewOf(values: Float64Array, columns: number): { xs: number[]; ys: (number | null)[] } {
  let byWidth = overviews.get(values);
  if (!byWidth) overviews.set(values, (byWidth = new Map()));
  let line = byWidth.get(columns);
  if (!line) {
    line = polyline(values, columns);
    // A few widths at most (panel resizes); drop the oldest beyond that.
    if (byWidth.size >= 4) byWidth.delete(byWidth.keys().next().value!);
    byWidth.set(columns, line);
  }
  return line;
}

/**
 * The points of one curve: `columns` columns over the whole horizon, except that the visible
 * `viewport` is replaced by `columns` columns of its own (so zooming in reveals single steps).
 */
export function curvePoints(values: Float64Array, columns: number, viewport: Viewport | null): { xs: number[]; ys: (number | null)[]; exact: boolean } {
  const n = values.length;
  const cols = clampColumns(columns);
  if (!viewport) return { ...overviewOf(values, cols), exact: n <= 2 * cols };
  const from = Math.max(0, Math.min(n, Math.floor(viewport.from)));
  const to = Math.max(from, Math.min(n, Math.ceil(viewport.to) + 1));
  const overview = overviewOf(values, cols);
  const detail = polyline(values, cols, from, to);
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  const copy = (src: { xs: number[]; ys: (number | null)[] }, keep: (x: number) => boolean) => {
    src.xs.forEach((x, i) => {
      if (keep(x)) {
        xs.push(x);
        ys.push(src.ys[i]!);
      }
    });
  };
  copy(overview, (x) => x < from);
  copy(detail, () => true);
  copy(overview, (x) => x >= to);
  return { xs, ys, exact: to - from <= 2 * cols };
}

/** The series of one scheduler: every param group, plus momentum/beta1 when cycled. */
function schedulerSeries(s: SchedulerAnalysis, prefix: string, columns: number, viewport: Viewport | null): SeriesData[] {
  const c = s.curve;
  if (!c) return [];
  const multi = c.lrs.length > 1;
  const out: SeriesData[] = c.lrs.map((values, group) => ({
    label: `${prefix}lr${multi ? ` · group ${group}` : ''}`,
    schedulerId: s.id, group, axis: 'lr', ...curvePoints(values, columns, viewport),
  }));
  if (c.momentum) {
    const label = c.momentum.label;
    c.momentum.values.forEach((values, group) => out.push({
      label: `${prefix}${label}${multi ? ` · group ${group}` : ''}`,
      schedulerId: s.id, group, axis: 'momentum', ...curvePoints(values, columns, viewport),
    }));
  }
  return out;
}

/** Series for the selected scheduler, or for all of them (compare mode, prefixed by their titles). */
export function buildSeries(result: AnalysisResult, selected: SchedulerAnalysis | undefined, compare: boolean, columns: number, viewport: Viewport | null): SeriesData[] {
  if (!compare) return selected ? schedulerSeries(selected, '', columns, viewport) : [];
  return result.schedulers.flatMap((s) => schedulerSeries(s, `${schedulerTitle(s)} · `, columns, viewport));
}

function markersOf(s: SchedulerAnalysis | undefined): MarkerData[] {
  const markers = s?.curve?.markers ?? [];
  return markers.slice(0, MAX_MARKERS).map((m) => ({ step: m.step, kind: m.kind, label: m.label }));
}

/**
 * Steps per epoch when the call states it (OneCycleLR `steps_per_epoch`), else what the training loop shows (its
 * batches per epoch, or the assumed number the preview used, which the notes label; 1 for a scheduler stepped per
 * epoch), else null.
 */
export function stepsPerEpoch(s: SchedulerAnalysis | undefined): number | null {
  const v = s?.args && Object.prototype.hasOwnProperty.call(s.args, 'steps_per_epoch') ? s.args['steps_per_epoch'] : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  const run = s?.run;
  if (run?.unit === 'epoch' && s?.horizon.fromRun) return 1;
  if (run?.unit === 'batch') return run.stepsPerEpoch ?? s?.horizon.assumedStepsPerEpoch ?? null;
  return null;
}

/** Whether `stepsPerEpoch(s)` is LR Lens's assumed number rather than the call's or the loop's own. */
export function stepsPerEpochAssumed(s: SchedulerAnalysis | undefined): boolean {
  const v = s?.args && Object.prototype.hasOwnProperty.call(s.args, 'steps_per_epoch') ? s.args['steps_per_epoch'] : undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return false;
  return s?.run?.unit === 'batch' && s.run.stepsPerEpoch === null && s.horizon.assumedStepsPerEpoch !== undefined;
}

function choices(result: AnalysisResult): SchedulerChoice[] {
  return result.schedulers.map((s) => ({ id: s.id, label: `${schedulerTitle(s)} (line ${s.range.start.line + 1})` }));
}

function messageFor(result: AnalysisResult, s: SchedulerAnalysis | undefined): string | null {
  if (!s) {
    const why = result.diagnostics.find((d) => d.code === 'LR000');
    return why ? why.message : 'No learning-rate scheduler construction in this file.';
  }
  if (s.curve) return null;
  return s.error ?? s.explanation ?? 'No curve: an argument the scheduler needs is not known statically (see the notes).';
}

function notesFor(s: SchedulerAnalysis | undefined, extra: string[]): string[] {
  const notes = [...extra];
  if (!s) return notes;
  if (s.run) notes.push(`${describeRun(s.run, s.horizon.assumedStepsPerEpoch)}.`);
  if (s.error && s.curve) notes.push(`Stops early: ${s.error}`);
  if (s.horizon.clamped) notes.push(`Horizon clamped to ${s.horizon.steps.toLocaleString('en-US')} steps.`);
  // What the curve rests on comes first: each assumed value, with why.
  notes.push(...(s.assumed ?? []).map((a) => `Assumed: ${assumptionText(a)}`));
  notes.push(...s.notes);
  for (const a of s.argInfo) if (!a.known && a.reason) notes.push(`${a.name}: ${a.reason}${a.assumed ? ` (assumed ${a.display})` : ''}`);
  return [...new Set(notes)];
}

/** The whole panel view for one analysis result. */
export function buildView(input: ViewInput): PanelView {
  const s = pickScheduler(input.result, input.selectedId);
  const series = buildSeries(input.result, s, input.compare, input.columns, input.viewport);
  const momentum = s?.curve?.momentum?.label ?? null;
  return {
    seq: input.seq,
    uri: input.uri,
    fileName: input.fileName,
    title: s ? schedulerTitle(s) : input.fileName,
    schedulers: choices(input.result),
    selectedId: s?.id ?? null,
    pinned: input.pinned,
    compare: input.compare,
    horizon: s && s.horizon.steps > 0
      ? { steps: s.horizon.steps, source: s.horizon.source, clamped: !!s.horizon.clamped, override: input.horizonOverride }
      : null,
    stepsPerEpoch: stepsPerEpoch(s),
    stepsPerEpochAssumed: stepsPerEpochAssumed(s),
    stepLabel: s?.unit ?? 'step',
    momentumLabel: series.some((x) => x.axis === 'momentum') ? momentum : null,
    series,
    markers: input.compare ? [] : markersOf(s),
    notes: notesFor(s, input.notes ?? []),
    // In compare mode the status line is about all of them: their assumptions are in the notes of each when selected.
    assumed: (s?.assumed ?? []).map(assumptionShort),
    message: messageFor(input.result, s),
    resetZoom: input.resetZoom,
    viewport: input.viewport,
  };
}
