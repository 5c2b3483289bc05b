/**
 * The preview webview: receives views from the extension host, draws them, and reports back.
 * Every message received is validated (protocol.ts); a malformed one is reported to the host's
 * log and dropped. UI state (scale, unit, pin, …) is kept with `setState`, so the panel comes
 * back as it was after a reload.
 */
import {
  describeMessage, DrawTiming, FromWebview, isWebviewState, PanelView, parseToWebview, RenderedReport, ToWebview, WebviewState,
} from '../src/protocol/protocol';
import { ChartView } from './chart';
import { readTheme, watchTheme } from './theme';
import { Toolbar } from './toolbar';
import { renderStatus } from './status';

const vscode = acquireVsCodeApi<WebviewState>();

const DEFAULT_STATE: WebviewState = {
  uri: null, selectedId: null, pinned: false, compare: false, horizonOverride: null, yScale: 'linear', xUnit: 'step', showMomentum: true,
};

/** How long zoom/pan/resize must settle before the host is asked for new detail. */
const VIEWPORT_DEBOUNCE_MS = 120;

function post(msg: FromWebview): void {
  vscode.postMessage(msg);
}

class App {
  private state: WebviewState;
  private view: PanelView | null = null;
  private readonly chart: ChartView;
  private readonly toolbar: Toolbar;
  private viewportTimer: ReturnType<typeof setTimeout> | undefined;
  /** The view whose detail was asked for with a `viewport` message and has not arrived yet. */
  private awaitingDetail: number | null = null;
  /** Columns the host last decimated for (its default until told otherwise). */
  private hostColumns = 800;
  private readonly canvas: HTMLCanvasElement;

  constructor() {
    const saved = vscode.getState();
    this.state = isWebviewState(saved) ? saved : DEFAULT_STATE;
    const canvas = document.getElementById('chart') as HTMLCanvasElement;
    this.canvas = canvas;
    this.chart = new ChartView(canvas, readTheme(), this.state, () => this.viewportChanged(), (draw) => this.drawn(draw));
    this.toolbar = new Toolbar({
      select: (id) => post({ type: 'select', id }),
      setHorizon: (steps) => {
        this.save({ horizonOverride: steps });
        post({ type: 'setHorizon', steps });
      },
      toggleLog: () => this.setChart({ yScale: this.state.yScale === 'log' ? 'linear' : 'log' }),
      toggleEpochs: () => this.setChart({ xUnit: this.state.xUnit === 'epoch' ? 'step' : 'epoch' }),
      toggleMomentum: () => this.setChart({ showMomentum: !this.state.showMomentum }),
      toggleCompare: () => post({ type: 'setCompare', compare: !this.state.compare }),
      togglePin: () => post({ type: 'setPinned', pinned: !this.state.pinned }),
      resetZoom: () => {
        this.chart.resetZoom();
        this.viewportChanged();
      },
      png: () => this.sendPng(),
      csv: () => post({ type: 'exportCsv' }),
      reveal: (id) => post({ type: 'reveal', id }),
    });
    this.toolbar.showState(this.state, null);

    canvas.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (this.chart.handleKey(e.key)) {
        e.preventDefault();
        this.viewportChanged();
      }
    });
    watchTheme(() => {
      this.chart.applyTheme(readTheme());
      this.report();
    });
    new ResizeObserver(() => this.viewportChanged()).observe(canvas.parentElement ?? canvas);
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
    this.markIdle();
    post({ type: 'ready' });
  }

  private receive(data: unknown): void {
    const msg = parseToWebview(data);
    if (!msg) {
      post({ type: 'log', level: 'warn', message: `ignored a malformed message from the extension: ${describeMessage(data)}` });
      return;
    }
    try {
      this.handle(msg, Date.now());
    } catch (e) {
      post({ type: 'log', level: 'error', message: `panel failed on "${msg.type}": ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
    }
  }

  /** `receivedAt`: when the message arrived (reported back with the draw, for latency measurements). */
  private handle(msg: ToWebview, receivedAt: number): void {
    switch (msg.type) {
      case 'view':
        this.showView(msg.view, receivedAt);
        return;
      case 'detail':
        if (msg.seq === this.awaitingDetail) this.awaitingDetail = null;
        if (this.chart.setDetail(msg.seq, msg.series)) this.report({ receivedAt, drawnAt: Date.now() });
        this.markIdle();
        return;
      case 'requestPng':
        this.sendPng();
        return;
    }
  }

  private showView(view: PanelView, receivedAt: number): void {
    this.view = view;
    // The host answers a `viewport` only for the view it shows now: a request for an older one is dropped.
    this.awaitingDetail = null;
    this.save({
      uri: view.uri || null, selectedId: view.selectedId, pinned: view.pinned, compare: view.compare,
      horizonOverride: view.horizon?.override ?? this.state.horizonOverride,
      // Epochs need steps_per_epoch; without it the unit falls back to steps.
      xUnit: view.stepsPerEpoch ? this.state.xUnit : 'step',
    });
    this.chart.setView(view, this.state);
    const timing = { receivedAt, drawnAt: Date.now() };
    this.toolbar.showState(this.state, view);
    renderStatus(view, this.state);
    this.report(timing);
    // Zoomed elsewhere than the host's detail, or drawn at another width than it assumed: ask for matching detail.
    const visible = this.chart.visibleRange();
    const detailMatches = !visible || (view.viewport !== null
      && Math.abs(view.viewport.from - visible.from) < 1 && Math.abs(view.viewport.to - visible.to) < 1);
    if (!detailMatches || Math.abs(this.chart.columns() - this.hostColumns) > this.hostColumns * 0.1) this.viewportChanged();
    this.markIdle();
  }

  private setChart(patch: Partial<WebviewState>): void {
    this.save(patch);
    this.chart.setSettings(this.state);
    this.toolbar.showState(this.state, this.view);
    if (this.view) renderStatus(this.view, this.state);
    this.report();
  }

  private save(patch: Partial<WebviewState>): void {
    this.state = { ...this.state, ...patch };
    vscode.setState(this.state);
  }

  private viewportChanged(): void {
    clearTimeout(this.viewportTimer);
    this.viewportTimer = setTimeout(() => {
      this.viewportTimer = undefined;
      if (this.view) {
        this.hostColumns = this.chart.columns();
        post({ type: 'viewport', seq: this.view.seq, viewport: this.chart.visibleRange(), columns: this.hostColumns });
        // A view without curves may have no analysis behind it on the host, which then sends no detail.
        if (this.view.series.length) this.awaitingDetail = this.view.seq;
      }
      this.markIdle();
    }, VIEWPORT_DEBOUNCE_MS);
    this.markIdle();
  }

  /**
   * Every completed draw is numbered on the canvas, for tests that wait on draws instead of on pixels:
   * `data-draw` (its number), `data-view-seq` (the view drawn), `data-drawn-at` (Date.now()).
   */
  private drawn(draw: number): void {
    this.canvas.dataset['draw'] = String(draw);
    this.canvas.dataset['viewSeq'] = String(this.view?.seq ?? 0);
    this.canvas.dataset['drawnAt'] = String(Date.now());
  }

  /** `data-idle` on the canvas: "true" when no detail is being asked for, so the last draw stays until something new arrives. */
  private markIdle(): void {
    this.canvas.dataset['idle'] = String(this.viewportTimer === undefined && this.awaitingDetail === null);
  }

  private sendPng(): void {
    const dataUrl = this.chart.chart.toBase64Image('image/png', 1);
    if (dataUrl.startsWith('data:image/png;base64,')) post({ type: 'png', dataUrl });
    else post({ type: 'log', level: 'error', message: 'the chart could not be converted to PNG' });
  }

  /** Tells the host what is on screen now (tests read it through the extension's API). */
  private report(timing?: DrawTiming): void {
    const view = this.view;
    if (!view) return;
    const report: RenderedReport = {
      seq: view.seq, draw: this.chart.draws, uri: view.uri, selectedId: view.selectedId, compare: view.compare,
      yScale: this.state.yScale, xUnit: this.state.xUnit, xTitle: this.chart.xTitle,
      series: this.chart.drawnSeries(), markers: this.chart.markerCount(),
      clippedMarkerLabels: this.chart.clippedMarkerLabels(), visible: this.chart.visibleRange(), message: view.message,
      ...(timing ? { timing } : {}),
    };
    post({ type: 'rendered', report });
  }
}

try {
  new App();
} catch (e) {
  post({ type: 'log', level: 'error', message: `panel failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
}
