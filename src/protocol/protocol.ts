/**
 * The messages between the extension host and the preview webview, shared by both sides
 * (webview/ imports this file). Every message received on either side goes through
 * `parseToWebview` / `parseFromWebview`: a wrong shape is reported as null (the receiver logs
 * it and drops it), never an exception. Pure: no `vscode`, no DOM.
 */

// ---- shared data ------------------------------------------------------------------------------

/** One plotted line: parallel x (step index) and y arrays. */
export interface SeriesData {
  /** Legend label, e.g. `scheduler · group 0`. */
  label: string;
  schedulerId: string;
  group: number;
  /** 'lr' is drawn on the left axis; 'momentum' (momentum or beta1) on the right one. */
  axis: 'lr' | 'momentum';
  xs: number[];
  /** null for a gap (a value that is not finite). */
  ys: (number | null)[];
  /** true when every point is one curve value; false when min/max-decimated (several steps per point). */
  exact: boolean;
}

/** A vertical annotation line. */
export interface MarkerData {
  step: number;
  /** Engine marker kind: warmup-end, restart, milestone, handoff, phase, peak. */
  kind: string;
  label: string;
}

/** An entry of the scheduler picker. */
export interface SchedulerChoice {
  id: string;
  /** e.g. `scheduler = StepLR (line 12)`. */
  label: string;
}

/** The horizon shown, and where it came from. */
export interface HorizonInfo {
  /** Values per curve. */
  steps: number;
  /** Plain words: `T_max = 100`, `setting lrLens.defaultHorizon`, `panel`. */
  source: string;
  /** true when the requested horizon exceeded the cap and was clamped. */
  clamped: boolean;
  /** The panel's own horizon (from its input), or null when automatic. */
  override: number | null;
}

/** Everything the panel shows for one document version and target. */
export interface PanelView {
  /** Increases with every view the host sends; `viewport`/`rendered` messages echo it. */
  seq: number;
  uri: string;
  fileName: string;
  /** Headline, e.g. `sched = OneCycleLR`. */
  title: string;
  schedulers: SchedulerChoice[];
  /** The plotted scheduler (in compare mode: the highlighted one); null when none. */
  selectedId: string | null;
  pinned: boolean;
  compare: boolean;
  horizon: HorizonInfo | null;
  /** Known steps per epoch (OneCycleLR `steps_per_epoch`), enabling the epoch x unit. */
  stepsPerEpoch: number | null;
  /** `stepsPerEpoch` is an assumed number (the loop's length is not known): every place showing it says so. */
  stepsPerEpochAssumed: boolean;
  /**
   * What one x value is (the x-axis title): 'step' (one `scheduler.step()` call), 'optimizer update',
   * 'epoch' (timm with `t_in_epochs=True`) or 'iteration' (Keras, optax).
   */
  stepLabel: string;
  /** Label of the second axis when a momentum series is present. */
  momentumLabel: 'momentum' | 'beta1' | null;
  series: SeriesData[];
  markers: MarkerData[];
  /** Assumptions, clamping, unknowns: shown in the status line. */
  notes: string[];
  /** The values assumed for the plotted curve, short (`lr assumed 0.1`): labelled in the status line. */
  assumed: string[];
  /** Why there is no curve (unparsable, error, metric-driven scheduler), or null. */
  message: string | null;
  /** true when the target changed: the webview drops its zoom. */
  resetZoom: boolean;
  /** The x-range the series carry full detail for (null: the whole horizon). */
  viewport: Viewport | null;
}

/** An x-range in steps, both ends inclusive. */
export interface Viewport { from: number; to: number }

/** The webview's persisted UI state (vscode.setState), also handed to the panel serializer. */
export interface WebviewState {
  uri: string | null;
  selectedId: string | null;
  pinned: boolean;
  compare: boolean;
  horizonOverride: number | null;
  yScale: 'linear' | 'log';
  xUnit: 'step' | 'epoch';
  showMomentum: boolean;
}

/** What the webview drew, reported after every draw (for tests and the `lastRendered` hook). */
export interface RenderedReport {
  /** The view drawn ({@link PanelView.seq}). */
  seq: number;
  /**
   * Number of the draw reported: the webview counts every completed chart draw from 1 (resizes included), so
   * a waiter knows a draw is newer than one it saw before an action. Also on the canvas as `data-draw`.
   */
  draw: number;
  uri: string;
  selectedId: string | null;
  compare: boolean;
  yScale: 'linear' | 'log';
  xUnit: 'step' | 'epoch';
  /** The x-axis title drawn: what one step is, or `epoch` in the epoch view. */
  xTitle: string;
  series: { label: string; axis: 'lr' | 'momentum'; points: number; exact: boolean; firstY: number | null; lastY: number | null }[];
  markers: number;
  /** Marker labels that do not fit inside the chart area (drawn cut off): 0 when every label is whole. */
  clippedMarkerLabels: number;
  /** The x-range visible on screen, in steps. */
  visible: Viewport | null;
  message: string | null;
  /** When the draw answered a host message (`view` or `detail`): how long it took (latency measurements). */
  timing?: DrawTiming;
}

/** Times on the webview's clock, `Date.now()` ms (the webview runs on the host's machine, so they compare with the host's). */
export interface DrawTiming {
  /** The host's message arrived. */
  receivedAt: number;
  /** chart.js finished drawing it. */
  drawnAt: number;
}

// ---- messages -----------------------------------------------------------------------------------

/** Host → webview. */
export type ToWebview =
  | { type: 'view'; view: PanelView }
  /** Re-decimated series for a zoomed x-range of view `seq`. */
  | { type: 'detail'; seq: number; viewport: Viewport; series: SeriesData[] }
  /** The host wants the chart as PNG (export command); answered by `png`. */
  | { type: 'requestPng' };

/** Webview → host. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'select'; id: string }
  | { type: 'setPinned'; pinned: boolean }
  | { type: 'setCompare'; compare: boolean }
  /** null: automatic horizon. */
  | { type: 'setHorizon'; steps: number | null }
  /** The visible x-range changed (zoom, pan, reset: null); `columns` = plot width in pixels. */
  | { type: 'viewport'; seq: number; viewport: Viewport | null; columns: number }
  | { type: 'png'; dataUrl: string }
  | { type: 'exportCsv' }
  | { type: 'reveal'; id: string }
  | { type: 'rendered'; report: RenderedReport }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// ---- validation -------------------------------------------------------------------------------

/** A type guard; the building block of the validators below. */
export type Check<T> = (v: unknown) => v is T;

/** Longest string accepted in a message (labels, notes, messages). */
const MAX_TEXT = 10_000;
/** Most points per series (≈ 4 per pixel column of a very wide screen, or an exact short curve). */
export const MAX_POINTS = 200_000;
/** Largest PNG data URL accepted (base64). */
const MAX_DATA_URL = 64 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (max = MAX_TEXT): Check<string> => (v): v is string => typeof v === 'string' && v.length <= max;
const text = str();
const num: Check<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
const int: Check<number> = (v): v is number => Number.isSafeInteger(v);
const nonNegInt: Check<number> = (v): v is number => int(v) && v >= 0;
const bool: Check<boolean> = (v): v is boolean => typeof v === 'boolean';
const lit = <T extends string>(...values: T[]): Check<T> => (v): v is T => typeof v === 'string' && (values as string[]).includes(v);
const nullable = <T>(c: Check<T>): Check<T | null> => (v): v is T | null => v === null || c(v);
const arrayOf = <T>(c: Check<T>, max: number): Check<T[]> => (v): v is T[] =>
  Array.isArray(v) && v.length <= max && v.every((x) => c(x));
/** Numbers, plus null for gaps (JSON turns NaN/±Infinity into null). */
const numOrNull: Check<number | null> = (v): v is number | null => v === null || num(v);

/** An object with exactly these checked fields (extra fields are ignored, missing ones fail). */
function shape<T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
  return (v): v is T => {
    if (!isObject(v)) return false;
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      if (!Object.prototype.hasOwnProperty.call(v, key) || !fields[key](v[key])) return false;
    }
    return true;
  };
}

const viewport: Check<Viewport> = (v): v is Viewport =>
  shape<Viewport>({ from: num, to: num })(v) && v.from <= v.to;

const seriesData: Check<SeriesData> = (v): v is SeriesData =>
  shape<SeriesData>({
    label: text, schedulerId: text, group: nonNegInt, axis: lit('lr', 'momentum'),
    xs: arrayOf(num, MAX_POINTS), ys: arrayOf(numOrNull, MAX_POINTS), exact: bool,
  })(v) && v.xs.length === v.ys.length;

const marker = shape<MarkerData>({ step: num, kind: text, label: text });
const choice = shape<SchedulerChoice>({ id: text, label: text });
const horizon = shape<HorizonInfo>({ steps: nonNegInt, source: text, clamped: bool, override: nullable(nonNegInt) });

const panelView = shape<PanelView>({
  seq: nonNegInt, uri: text, fileName: text, title: text,
  schedulers: arrayOf(choice, 1000), selectedId: nullable(text), pinned: bool, compare: bool,
  horizon: nullable(horizon), stepsPerEpoch: nullable(num), stepsPerEpochAssumed: bool, stepLabel: text, momentumLabel: nullable(lit('momentum', 'beta1')),
  series: arrayOf(seriesData, 500), markers: arrayOf(marker, 10_000), notes: arrayOf(text, 200), assumed: arrayOf(text, 200),
  message: nullable(text), resetZoom: bool, viewport: nullable(viewport),
});

const reportSeries = shape<RenderedReport['series'][number]>({
  label: text, axis: lit('lr', 'momentum'), points: nonNegInt, exact: bool, firstY: numOrNull, lastY: numOrNull,
});

const drawTiming = shape<DrawTiming>({ receivedAt: num, drawnAt: num });

const renderedReport: Check<RenderedReport> = (v): v is RenderedReport => shape<Omit<RenderedReport, 'timing'>>({
  seq: nonNegInt, draw: nonNegInt, uri: text, selectedId: nullable(text), compare: bool, yScale: lit('linear', 'log'),
  xUnit: lit('step', 'epoch'), xTitle: text, series: arrayOf(reportSeries, 500), markers: nonNegInt,
  clippedMarkerLabels: nonNegInt, visible: nullable(viewport), message: nullable(text),
})(v) && (!Object.prototype.hasOwnProperty.call(v, 'timing') || drawTiming((v as { timing?: unknown }).timing));

/** Validates a persisted webview state (from getState or the serializer); null when malformed. */
export const isWebviewState: Check<WebviewState> = shape<WebviewState>({
  uri: nullable(text), selectedId: nullable(text), pinned: bool, compare: bool,
  horizonOverride: nullable(nonNegInt), yScale: lit('linear', 'log'), xUnit: lit('step', 'epoch'), showMomentum: bool,
});

const toWebview: Record<ToWebview['type'], Check<ToWebview>> = {
  view: shape({ type: lit('view'), view: panelView }),
  detail: shape({ type: lit('detail'), seq: nonNegInt, viewport, series: arrayOf(seriesData, 500) }),
  requestPng: shape({ type: lit('requestPng') }),
};

const fromWebview: Record<FromWebview['type'], Check<FromWebview>> = {
  ready: shape({ type: lit('ready') }),
  select: shape({ type: lit('select'), id: text }),
  setPinned: shape({ type: lit('setPinned'), pinned: bool }),
  setCompare: shape({ type: lit('setCompare'), compare: bool }),
  setHorizon: shape({ type: lit('setHorizon'), steps: nullable(nonNegInt) }),
  viewport: shape({ type: lit('viewport'), seq: nonNegInt, viewport: nullable(viewport), columns: nonNegInt }),
  png: (v): v is FromWebview =>
    shape({ type: lit('png'), dataUrl: str(MAX_DATA_URL) })(v) && v.dataUrl.startsWith('data:image/png;base64,'),
  exportCsv: shape({ type: lit('exportCsv') }),
  reveal: shape({ type: lit('reveal'), id: text }),
  rendered: shape({ type: lit('rendered'), report: renderedReport }),
  log: shape({ type: lit('log'), level: lit('info', 'warn', 'error'), message: text }),
};

function parseWith<T extends { type: string }>(table: Record<T['type'], Check<T>>, msg: unknown): T | null {
  if (!isObject(msg) || typeof msg.type !== 'string') return null;
  if (!Object.prototype.hasOwnProperty.call(table, msg.type)) return null;
  const check = table[msg.type as T['type']];
  return check(msg) ? msg : null;
}

/** Validates a message the webview received; null when it is not a well-formed {@link ToWebview}. */
export function parseToWebview(msg: unknown): ToWebview | null {
  return parseWith<ToWebview>(toWebview, msg);
}

/** Validates a message the host received; null when it is not a well-formed {@link FromWebview}. */
export function parseFromWebview(msg: unknown): FromWebview | null {
  return parseWith<FromWebview>(fromWebview, msg);
}

/** A short, safe description of a rejected message for the log (never the whole payload). */
export function describeMessage(msg: unknown): string {
  if (!isObject(msg)) return msg === null ? 'null' : typeof msg;
  const type = typeof msg.type === 'string' ? JSON.stringify(msg.type.slice(0, 40)) : 'no type';
  return `object (${type}; keys: ${Object.keys(msg).slice(0, 8).join(', ')})`;
}
