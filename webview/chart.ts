/**
 * The chart: chart.js with only the pieces we use (line, linear/log scales, tooltip, legend,
 * annotation and zoom plugins). Updates replace the data in place and call `update('none')`:
 * no animation, no flicker, and the user's zoom survives live edits.
 */
import {
  Chart, ChartDataset, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartConfiguration, type ChartOptions, type Plugin, type ScatterDataPoint, type TooltipItem,
} from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { MarkerData, PanelView, SeriesData, Viewport } from '../src/protocol/protocol';
import { formatStep, formatValue } from '../src/render/ticks';
import type { ChartTheme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, annotationPlugin, zoomPlugin);

/** Padding of a marker's label box (px). */
const LABEL_PADDING = 3;
/** Marker labels are drawn only when there are this few markers; otherwise the tooltip names them. */
const MAX_LABELLED_MARKERS = 4;
/** Held values are drawn as steps once a step is at least this many pixels wide (else a plain line reads better). */
const MIN_STEP_PX = 3;

export interface ChartSettings {
  yScale: 'linear' | 'log';
  xUnit: 'step' | 'epoch';
  showMomentum: boolean;
}

type Point = ScatterDataPoint;
/** The fields of a scale's options we change (chart.js' own types are a union per scale type). */
interface MutableScale {
  type?: string;
  display?: boolean;
  title?: { display?: boolean; text?: string; color?: string };
  ticks?: { color?: string; callback?: (value: number | string) => string };
  grid?: { color?: string; drawOnChartArea?: boolean };
}
type LineDataset = ChartDataset<'line', Point[]> & { lrLens: { exact: boolean; axis: SeriesData['axis'] } };

/** The canvas fills with the editor background so exported PNGs look like the panel. */
const backgroundPlugin: Plugin<'line'> = {
  id: 'lrLensBackground',
  beforeDraw(chart, _args, options: { color?: string }) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = options.color ?? 'transparent';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Log-axis labels only at 1, 2 and 5 × 10^k: chart.js puts a tick at every integer mantissa. */
function logTick(v: number): string {
  if (!(v > 0)) return '';
  const mantissa = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
  return mantissa === 1 || mantissa === 2 || mantissa === 5 ? formatValue(v) : '';
}

export class ChartView {
  readonly chart: Chart<'line', Point[]>;
  private view: PanelView | null = null;
  private series: SeriesData[] = [];
  private drawCount = 0;

  /** `onDrawn(n)`: chart.js completed its n-th draw (counted from 1; every draw, resizes included). */
  constructor(canvas: HTMLCanvasElement, private theme: ChartTheme, private settings: ChartSettings, onViewportChange: () => void,
    onDrawn: (draw: number) => void) {
    const drawCounter: Plugin<'line'> = { id: 'lrLensDrawCounter', afterDraw: () => onDrawn(++this.drawCount) };
    const config: ChartConfiguration<'line', Point[]> = {
      type: 'line',
      data: { datasets: [] },
      plugins: [backgroundPlugin, drawCounter],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hoverRadius: 3 }, line: { tension: 0 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { type: 'linear', title: { display: true, text: 'learning rate' } },
          y2: { type: 'linear', position: 'right', display: false, grid: { drawOnChartArea: false }, title: { display: true, text: 'momentum' } },
        },
        plugins: {
          legend: { display: false, labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: { title: (items) => this.tooltipTitle(items), label: (item) => this.tooltipLabel(item), footer: (items) => this.tooltipFooter(items) },
          },
          annotation: { annotations: {} },
          zoom: {
            zoom: { wheel: { enabled: true }, pinch: { enabled: true }, drag: { enabled: true, threshold: 8 }, mode: 'x', onZoomComplete: onViewportChange },
            pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: onViewportChange },
            limits: { x: { min: 0, max: 1, minRange: 2 } },
          },
        },
      },
    };
    this.chart = new Chart(canvas, config);
    this.applyTheme(theme);
  }

  /** Shows a new view with its settings, in one draw; `resetZoom` drops the user's zoom (another scheduler or horizon). */
  setView(view: PanelView, settings: ChartSettings): void {
    if (view.resetZoom) this.chart.resetZoom('none');
    this.view = view;
    this.settings = settings;
    this.series = view.series;
    this.rebuild();
  }

  /** Replaces the series with re-decimated ones for the zoomed range (same view). */
  setDetail(seq: number, series: SeriesData[]): boolean {
    if (!this.view || this.view.seq !== seq) return false;
    this.series = series;
    this.rebuild();
    return true;
  }

  setSettings(settings: ChartSettings): void {
    this.settings = settings;
    this.rebuild();
  }

  applyTheme(theme: ChartTheme): void {
    this.theme = theme;
    const o = this.options();
    Chart.defaults.color = theme.foreground;
    Chart.defaults.font.family = theme.fontFamily;
    Chart.defaults.font.size = Math.max(10, theme.fontSize - 1);
    Chart.defaults.borderColor = theme.grid;
    for (const id of ['x', 'y', 'y2'] as const) {
      const scale = o.scales?.[id] as unknown as MutableScale | undefined;
      if (!scale) continue;
      scale.grid = { ...scale.grid, color: theme.grid };
      scale.ticks = { ...scale.ticks, color: theme.muted };
    }
    if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = theme.foreground;
    (o.plugins as Record<string, unknown>)['lrLensBackground'] = { color: theme.background };
    this.rebuild();
  }

  /**
   * The chart's own (plain) options object. `chart.options` is a resolving proxy: spreading or
   * enumerating it breaks, while writes to this object are what chart.js and the zoom plugin read.
   */
  private options(): ChartOptions<'line'> {
    return this.chart.config.options as ChartOptions<'line'>;
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
  }

  /** The x-range on screen (steps), or null when not zoomed. */
  visibleRange(): Viewport | null {
    if (!this.chart.isZoomedOrPanned()) return null;
    const x = this.chart.scales['x'];
    return x ? { from: Math.max(0, x.min), to: Math.max(x.min, x.max) } : null;
  }

  /** Plot width in device pixels: how many columns the host should decimate to. */
  columns(): number {
    const area = this.chart.chartArea;
    const width = area ? area.right - area.left : this.chart.width;
    return Math.max(50, Math.round(width * Math.min(2, window.devicePixelRatio || 1)));
  }

  /** Keyboard: + / - zoom, arrows pan, 0 resets. Returns true when handled. */
  handleKey(key: string): boolean {
    switch (key) {
      case '+': case '=': this.chart.zoom(1.25); return true;
      case '-': case '_': this.chart.zoom(0.8); return true;
      case 'ArrowLeft': this.chart.pan({ x: this.chart.width * 0.1 }, undefined, 'none'); return true;
      case 'ArrowRight': this.chart.pan({ x: -this.chart.width * 0.1 }, undefined, 'none'); return true;
      case '0': case 'Home': this.chart.resetZoom('none'); return true;
      default: return false;
    }
  }

  /** What is drawn, per dataset: label, axis, point count, first and last y. */
  drawnSeries(): { label: string; axis: SeriesData['axis']; points: number; exact: boolean; firstY: number | null; lastY: number | null }[] {
    return (this.chart.data.datasets as LineDataset[]).map((d) => {
      const ys = d.data.map((p) => p.y).filter((y): y is number => typeof y === 'number' && Number.isFinite(y));
      return { label: String(d.label ?? ''), axis: d.lrLens.axis, points: ys.length, exact: d.lrLens.exact, firstY: ys[0] ?? null, lastY: ys[ys.length - 1] ?? null };
    });
  }

  /** How many draws chart.js completed so far (the number of the last one). */
  get draws(): number {
    return this.drawCount;
  }

  /** The x-axis title drawn last: what one step is (`step`, `optimizer update`, `epoch`, `iteration`). */
  xTitle = 'step';

  markerCount(): number {
    return Object.keys(this.options().plugins?.annotation?.annotations ?? {}).length;
  }

  destroy(): void {
    this.chart.destroy();
  }

  // ---- building -----------------------------------------------------------------------------

  private rebuild(): void {
    const view = this.view;
    const t = this.theme;
    const log = this.settings.yScale === 'log';
    const momentumShown = this.settings.showMomentum && !!view?.momentumLabel;
    // Series the user hid in the legend stay hidden across live updates.
    const hidden = new Set(this.chart.data.datasets.filter((_, i) => !this.chart.isDatasetVisible(i)).map((d) => String(d.label)));
    const stepped = this.stepWidthPx() >= MIN_STEP_PX;
    const datasets: LineDataset[] = this.series
      .filter((s) => s.axis === 'lr' || momentumShown)
      .map((s, i) => {
        const color = t.series[i % t.series.length]!;
        const data: Point[] = s.xs.map((x, k) => {
          const y = s.ys[k] ?? null;
          // A log axis cannot show 0 or negative lrs: they become gaps.
          return { x, y: y === null || (log && s.axis === 'lr' && y <= 0) ? NaN : y };
        });
        return {
          label: s.label, data, borderColor: color, backgroundColor: color,
          borderWidth: s.axis === 'momentum' ? Math.max(1, t.lineWidth - 0.5) : t.lineWidth,
          borderDash: s.axis === 'momentum' ? [5, 3] : undefined,
          yAxisID: s.axis === 'momentum' ? 'y2' : 'y',
          // Value k holds from step k to k+1: horizontal first, then the jump ('before' in chart.js terms).
          stepped: s.exact && stepped ? 'before' : false,
          pointRadius: 0,
          hidden: hidden.has(s.label),
          lrLens: { exact: s.exact, axis: s.axis },
        };
      });
    this.chart.data.datasets = datasets;

    const o = this.options();
    // Scale options are mutated in place: the zoom plugin keeps the zoomed range in them.
    const scale = (id: string) => o.scales![id] as unknown as MutableScale;
    const epochs = this.settings.xUnit === 'epoch' && view?.stepsPerEpoch ? view.stepsPerEpoch : null;
    const x = scale('x');
    this.xTitle = epochs ? 'epoch' : view?.stepLabel ?? 'step';
    x.title = { display: true, text: this.xTitle, color: t.muted };
    x.ticks = { ...x.ticks, color: t.muted, callback: (v) => (epochs ? formatValue(Number(v) / epochs) : formatStep(Number(v))) };
    const y = scale('y');
    y.type = log ? 'logarithmic' : 'linear';
    y.title = { display: true, text: 'learning rate', color: t.muted };
    y.ticks = { ...y.ticks, color: t.muted, callback: (v) => (log ? logTick(Number(v)) : formatValue(Number(v))) };
    const y2 = scale('y2');
    y2.display = momentumShown;
    y2.title = { display: true, text: view?.momentumLabel ?? 'momentum', color: t.muted };
    o.plugins!.legend!.display = datasets.length > 1;
    o.plugins!.annotation!.annotations = this.annotations(view?.markers ?? []);
    const maxX = Math.max(1, ...this.series.map((s) => (s.xs.length ? s.xs[s.xs.length - 1]! : 0)), view?.horizon ? view.horizon.steps - 1 : 0);
    o.plugins!.zoom!.limits = { x: { min: 0, max: maxX, minRange: 2 } };
    this.chart.update('none');
  }

  private annotations(markers: MarkerData[]): Record<string, AnnotationOptions> {
    const t = this.theme;
    const labelled = markers.length <= MAX_LABELLED_MARKERS;
    const font = { size: Math.max(9, t.fontSize - 3), family: t.fontFamily, weight: 'bold' as const };
    const out: Record<string, AnnotationOptions> = {};
    markers.forEach((m, i) => {
      const color = t.markers[m.kind] ?? t.muted;
      out[`m${i}`] = {
        type: 'line', scaleID: 'x', value: m.step, borderColor: color, borderWidth: t.highContrast ? 1.5 : 1, borderDash: [4, 4],
        label: {
          display: labelled, content: () => this.fittedLabel(m.label, font, LABEL_PADDING), position: 'start', yAdjust: (i % 2) * 18,
          color: t.foreground, backgroundColor: t.background, borderColor: color, borderWidth: 1,
          font, padding: LABEL_PADDING,
        },
      };
    });
    return out;
  }

  /**
   * A marker's label as drawn: whole when it fits the chart area's width (the annotation plugin keeps a label
   * near an edge inside the area), else cut with an ellipsis to fit — the tooltip names the marker in full.
   */
  private fittedLabel(text: string, font: { size: number; family: string; weight: string }, padding: number): string {
    const area = this.chart.chartArea;
    if (!area) return text;
    const room = area.right - area.left - 2 * padding - 4;
    const ctx = this.chart.ctx;
    ctx.save();
    ctx.font = `${font.weight} ${font.size}px ${font.family}`;
    const width = (s: string) => ctx.measureText(s).width;
    let fitted = text;
    if (width(text) > room) {
      // The longest prefix that fits with the ellipsis (binary search on the length).
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (width(`${text.slice(0, mid).trimEnd()}…`) <= room) lo = mid;
        else hi = mid - 1;
      }
      fitted = lo > 0 ? `${text.slice(0, lo).trimEnd()}…` : '';
    }
    ctx.restore();
    return fitted;
  }

  /** Marker labels drawn past the chart area's left or right edge (cut off): 0 when every label is whole. */
  clippedMarkerLabels(): number {
    const area = this.chart.chartArea;
    if (!area) return 0;
    let clipped = 0;
    for (const el of annotationPlugin.getAnnotations(this.chart)) {
      const label = el.label;
      if (!label || label.options?.display === false || !(label.width > 0)) continue;
      if (label.x < area.left - 0.5 || label.x2 > area.right + 0.5) clipped++;
    }
    return clipped;
  }

  /** Pixels per step at the current zoom. */
  private stepWidthPx(): number {
    const area = this.chart.chartArea;
    const width = area ? area.right - area.left : this.chart.width;
    const visible = this.visibleRange();
    const lastX = Math.max(1, ...this.series.map((s) => (s.xs.length ? s.xs[s.xs.length - 1]! : 0)));
    const span = visible ? visible.to - visible.from : lastX;
    return width / Math.max(1, span);
  }

  /** Markers within a few pixels of the hovered step, for the tooltip. */
  private tooltipFooter(items: TooltipItem<'line'>[]): string {
    const x = items[0]?.parsed.x;
    const markers = this.view?.markers ?? [];
    if (x === undefined || x === null || !markers.length) return '';
    const tolerance = 4 / Math.max(1e-9, this.stepWidthPx());
    const near = markers.filter((m) => Math.abs(m.step - x) <= Math.max(0.5, tolerance));
    return [...new Set(near.map((m) => `${m.label} at step ${m.step.toLocaleString('en-US')}`))].slice(0, 4).join('\n');
  }

  private tooltipTitle(items: TooltipItem<'line'>[]): string {
    const x = items[0]?.parsed.x;
    if (x === undefined || x === null) return '';
    const spe = this.view?.stepsPerEpoch;
    const step = Number.isInteger(x) ? `step ${x.toLocaleString('en-US')}` : `≈ step ${Math.round(x).toLocaleString('en-US')}`;
    return spe ? `${step} · epoch ${formatValue(x / spe)}` : step;
  }

  private tooltipLabel(item: TooltipItem<'line'>): string {
    const d = item.dataset as LineDataset;
    const y = item.parsed.y;
    // Exact points carry the exact double; decimated ones are an extreme of several steps.
    return `${d.label}: ${y === null ? '—' : String(y)}${d.lrLens.exact ? '' : ' (column extreme)'}`;
  }
}
