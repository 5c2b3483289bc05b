/**
 * The preview panel: one WebviewPanel beside the editor plotting the scheduler under the
 * cursor (or a pinned one). Owns the webview's HTML (strict CSP), the `ready` handshake with a
 * queue, validation of every message received, the panel's own horizon, and the full-
 * resolution curves from which it sends decimated series (re-decimated on zoom).
 */
import * as vscode from 'vscode';
import type { AnalysisResult, SchedulerAnalysis } from '../analysis/types';
import { AnalysisService } from './analysisService';
import { MAX_HORIZON } from './config';
import type { ConfigStore } from './configStore';
import { fromVsPosition, toVsRange } from './convert';
import type { CsvColumn } from './csv';
import { describeError, guard } from './guard';
import { buildSeries, buildView, clampColumns, DEFAULT_COLUMNS, pickScheduler, relocate, stepsPerEpoch } from './panelModel';
import { newNonce, panelHtml } from './panelHtml';
import {
  describeMessage, FromWebview, parseFromWebview, PanelView, RenderedReport, ToWebview, Viewport, WebviewState,
} from '../protocol/protocol';
import { savePng, saveCsv } from './exportFiles';
import { schedulerAt, schedulerTitle } from './summary';

/** What the panel is asked to show. */
export interface PanelTarget {
  uri: string;
  schedulerId: string | null;
}

/** Services the panel uses. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  analysis: AnalysisService;
  config: ConfigStore;
  log: vscode.LogOutputChannel;
  onRendered(report: RenderedReport): void;
  onPinnedChanged(pinned: boolean): void;
}

/** What was last sent, kept for zoom detail and exports. */
interface Shown {
  document: vscode.TextDocument;
  result: AnalysisResult;
  selected: SchedulerAnalysis | undefined;
  view: PanelView;
}

/** Webview options: scripts on, resources only from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class PreviewPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Messages posted before the webview said `ready` (and after it reloaded). */
  private queue: ToWebview[] = [];
  private ready = false;
  private seq = 0;
  /** Increases with every refresh; an older refresh finishing late is dropped. */
  private refreshId = 0;
  private shown: Shown | undefined;
  private uri: string | null;
  private selectedId: string | null;
  private pinned: boolean;
  private compare: boolean;
  private horizonOverride: number | null;
  private viewport: Viewport | null = null;
  private columns = DEFAULT_COLUMNS;
  private disposed = false;

  readonly onDidDispose = this.disposeEmitter.event;

  constructor(readonly panel: vscode.WebviewPanel, private readonly deps: PanelDeps, state?: Partial<WebviewState>) {
    this.uri = state?.uri ?? null;
    this.selectedId = state?.selectedId ?? null;
    this.pinned = state?.pinned ?? false;
    this.compare = state?.compare ?? false;
    this.horizonOverride = state?.horizonOverride ?? null;

    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'lr-lens.svg');
    panel.webview.html = this.html();

    const on = <A extends unknown[]>(what: string, fn: (...args: A) => unknown) => guard(deps.log, what, fn);
    this.disposables.push(
      this.disposeEmitter,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage(on('panel message', (msg: unknown) => this.receive(msg))),
      panel.onDidChangeViewState(on('panel visibility', () => {
        // A hidden webview receives nothing and is rebuilt when shown; it then says `ready` again.
        if (!panel.visible) this.ready = false;
      })),
      deps.analysis.onDidAnalyze(on('panel analysis', ({ document }) => {
        if (document.uri.toString() !== this.uri) return;
        // The cursor may have moved into a call before its analysis existed: follow it now.
        const editor = vscode.window.activeTextEditor;
        const id = !this.pinned && this.deps.config.current.followCursor && editor?.document === document ? this.idAtCursor(editor) : undefined;
        const moved = id !== undefined && id !== this.selectedId;
        if (moved) this.selectedId = id;
        void this.refresh(moved);
      })),
      vscode.window.onDidChangeActiveTextEditor(on('panel editor', (editor?: vscode.TextEditor) => {
        if (editor) this.followEditor(editor);
      })),
      vscode.window.onDidChangeTextEditorSelection(on('panel cursor', (e: vscode.TextEditorSelectionChangeEvent) => this.followCursor(e.textEditor))),
      deps.config.onDidChange(on('panel settings', () => void this.refresh(false))),
    );
    deps.onPinnedChanged(this.pinned);
  }

  /** The scheduler shown now (URI and id), for tests and commands. */
  get target(): PanelTarget | null {
    return this.uri ? { uri: this.uri, schedulerId: this.shown?.selected?.id ?? this.selectedId } : null;
  }

  get isPinned(): boolean {
    return this.pinned;
  }

  /** Shows `target` (or follows the active editor when undefined). */
  show(target: PanelTarget | undefined): void {
    if (target) {
      const changed = target.uri !== this.uri || (target.schedulerId !== null && target.schedulerId !== this.selectedId);
      this.uri = target.uri;
      if (target.schedulerId !== null) this.selectedId = target.schedulerId;
      // On a pinned panel this moves the pin to the asked-for call.
      void this.refresh(changed);
    } else {
      const editor = vscode.window.activeTextEditor;
      if (editor && !this.pinned) this.followEditor(editor, true);
      else void this.refresh(false);
    }
  }

  setPinned(pinned: boolean): void {
    this.pinned = pinned;
    this.deps.onPinnedChanged(pinned);
    void this.refresh(false);
  }

  /** Asks the webview for its canvas as PNG; the answer arrives as a `png` message. */
  requestPng(): void {
    this.post({ type: 'requestPng' });
  }

  /** Saves the shown curves at full resolution as CSV. */
  async exportCsv(): Promise<void> {
    const shown = this.shown;
    const schedulers = shown ? (shown.view.compare ? shown.result.schedulers : shown.selected ? [shown.selected] : []) : [];
    const columns: CsvColumn[] = [];
    for (const s of schedulers) {
      const c = s.curve;
      if (!c) continue;
      const prefix = shown!.view.compare ? `${schedulerTitle(s)} ` : '';
      c.lrs.forEach((values, g) => columns.push({ header: `${prefix}lr${c.lrs.length > 1 ? ` group ${g}` : ''}`, values }));
      c.momentum?.values.forEach((values, g) => columns.push({ header: `${prefix}${c.momentum!.label}${c.lrs.length > 1 ? ` group ${g}` : ''}`, values }));
    }
    if (!shown || !columns.length) {
      void vscode.window.showInformationMessage('LR Lens: there is no curve to export.');
      return;
    }
    const saved = await saveCsv({ columns, stepsPerEpoch: stepsPerEpoch(shown.selected) }, shown.document.uri, this.stem());
    if (saved) void vscode.window.showInformationMessage(`LR Lens: saved ${vscode.workspace.asRelativePath(saved)}.`);
  }

  // ---- following the editor ---------------------------------------------------------------

  private followEditor(editor: vscode.TextEditor, force = false): void {
    if (this.pinned || !AnalysisService.accepts(editor.document)) return;
    const uri = editor.document.uri.toString();
    if (uri === this.uri && !force) return;
    this.uri = uri;
    this.selectedId = this.idAtCursor(editor) ?? null;
    void this.refresh(true);
  }

  private followCursor(editor: vscode.TextEditor): void {
    if (this.pinned || !this.deps.config.current.followCursor || editor.document.uri.toString() !== this.uri) return;
    const id = this.idAtCursor(editor);
    // Outside every call the panel keeps what it shows.
    if (id && id !== this.selectedId) {
      this.selectedId = id;
      void this.refresh(true);
    }
  }

  private idAtCursor(editor: vscode.TextEditor): string | undefined {
    const result = this.deps.analysis.peek(editor.document);
    return result ? schedulerAt(result.schedulers, fromVsPosition(editor.selection.active))?.id : undefined;
  }

  // ---- refresh ------------------------------------------------------------------------------

  private async document(): Promise<vscode.TextDocument | undefined> {
    if (!this.uri) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri);
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(vscode.Uri.parse(this.uri));
    } catch {
      return undefined;
    }
  }

  /** Re-analyses if needed and sends a new view; `resetZoom` when the target changed. */
  private async refresh(resetZoom: boolean): Promise<void> {
    if (this.disposed) return;
    const id = ++this.refreshId;
    const document = await this.document();
    if (id !== this.refreshId || this.disposed) return;
    if (!document) {
      this.shown = undefined;
      this.postView(this.emptyView(this.uri ? 'The document is closed or cannot be read.' : 'Open a Python, TypeScript or JavaScript file with a learning-rate scheduler.'));
      return;
    }
    const version = document.version;
    const notes: string[] = [];
    let steps = this.horizonOverride;
    if (steps !== null && steps > MAX_HORIZON) {
      notes.push(`Horizon ${steps.toLocaleString('en-US')} is above the limit; clamped to ${MAX_HORIZON.toLocaleString('en-US')} steps.`);
      steps = MAX_HORIZON;
    }
    const result = steps !== null
      ? await this.deps.analysis.analyzeWith(document, { steps, curvesFor: this.compare || !this.selectedId ? undefined : [this.selectedId] })
      : await this.deps.analysis.get(document);
    // Dropped when a newer refresh started or the text changed meanwhile (its analysis will trigger one).
    if (id !== this.refreshId || this.disposed || document.version !== version) return;
    if (!result) {
      this.shown = undefined;
      this.postView(this.emptyView(`LR Lens does not analyse ${document.languageId} documents.`));
      return;
    }
    // Lines typed above the shown call change its id: keep showing the same call.
    if (this.selectedId && !result.schedulers.some((s) => s.id === this.selectedId) && this.shown?.selected?.id === this.selectedId) {
      this.selectedId = relocate(result, this.shown.selected) ?? this.selectedId;
    }
    if (resetZoom) this.viewport = null;
    const view = buildView({
      seq: ++this.seq, uri: document.uri.toString(), fileName: fileNameOf(document.uri), result,
      selectedId: this.selectedId, pinned: this.pinned, compare: this.compare, horizonOverride: this.horizonOverride,
      resetZoom, viewport: this.viewport, columns: this.columns, notes,
    });
    this.shown = { document, result, selected: pickScheduler(result, view.selectedId), view };
    this.panel.title = view.selectedId ? `LR Lens: ${view.title}` : 'LR Lens';
    this.post({ type: 'view', view });
  }

  private emptyView(message: string): PanelView {
    return {
      seq: ++this.seq, uri: this.uri ?? '', fileName: this.uri ? fileNameOf(vscode.Uri.parse(this.uri)) : '', title: 'LR Lens',
      schedulers: [], selectedId: null, pinned: this.pinned, compare: this.compare, horizon: null, stepsPerEpoch: null, stepsPerEpochAssumed: false, stepLabel: 'step',
      momentumLabel: null, series: [], markers: [], notes: [], assumed: [], message, resetZoom: true, viewport: null,
    };
  }

  private postView(view: PanelView): void {
    this.panel.title = 'LR Lens';
    this.post({ type: 'view', view });
  }

  // ---- messaging ----------------------------------------------------------------------------

  private post(msg: ToWebview): void {
    if (!this.ready) {
      // Only the newest view matters; detail and PNG requests for an old view are dropped.
      this.queue = msg.type === 'view' ? [msg] : [...this.queue.filter((m) => m.type === 'view'), msg];
      return;
    }
    void this.panel.webview.postMessage(msg).then(undefined, (e: unknown) => this.deps.log.warn(`postMessage failed: ${describeError(e)}`));
  }

  private receive(raw: unknown): void {
    const msg = parseFromWebview(raw);
    if (!msg) {
      this.deps.log.warn(`ignored a malformed message from the panel: ${describeMessage(raw)}`);
      return;
    }
    this.handle(msg);
  }

  private handle(msg: FromWebview): void {
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        if (queued.length) for (const m of queued) this.post(m);
        else void this.refresh(false);
        return;
      }
      case 'select':
        this.selectedId = msg.id;
        void this.refresh(true);
        return;
      case 'setPinned':
        this.setPinned(msg.pinned);
        return;
      case 'setCompare':
        this.compare = msg.compare;
        void this.refresh(true);
        return;
      case 'setHorizon':
        this.horizonOverride = msg.steps === null || msg.steps <= 0 ? null : msg.steps;
        void this.refresh(true);
        return;
      case 'viewport':
        this.onViewport(msg.seq, msg.viewport, msg.columns);
        return;
      case 'png':
        void savePng(msg.dataUrl, this.shown?.document.uri, this.stem()).then(
          (saved) => saved && vscode.window.showInformationMessage(`LR Lens: saved ${vscode.workspace.asRelativePath(saved)}.`),
          (e: unknown) => {
            this.deps.log.error(`PNG export failed: ${describeError(e)}`);
            void vscode.window.showErrorMessage(`LR Lens: could not save the PNG (${e instanceof Error ? e.message : String(e)}).`);
          });
        return;
      case 'exportCsv':
        void this.exportCsv().catch((e: unknown) => {
          this.deps.log.error(`CSV export failed: ${describeError(e)}`);
          void vscode.window.showErrorMessage(`LR Lens: could not save the CSV (${e instanceof Error ? e.message : String(e)}).`);
        });
        return;
      case 'reveal':
        void this.reveal(msg.id);
        return;
      case 'rendered':
        this.deps.onRendered(msg.report);
        return;
      case 'log':
        this.deps.log[msg.level === 'warn' ? 'warn' : msg.level](`panel: ${msg.message}`);
        return;
    }
  }

  /** Zoom/pan/resize: re-decimates for the visible range of the current view. */
  private onViewport(seq: number, viewport: Viewport | null, columns: number): void {
    this.columns = clampColumns(columns);
    const shown = this.shown;
    if (!shown || seq !== shown.view.seq) return;
    this.viewport = viewport;
    const series = buildSeries(shown.result, shown.selected, shown.view.compare, this.columns, viewport);
    this.post({ type: 'detail', seq, viewport: viewport ?? { from: 0, to: Math.max(0, (shown.selected?.horizon.steps ?? 1) - 1) }, series });
  }

  private async reveal(id: string): Promise<void> {
    const shown = this.shown;
    const s = shown?.result.schedulers.find((x) => x.id === id);
    if (!shown || !s) return;
    const editor = await vscode.window.showTextDocument(shown.document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    editor.selection = new vscode.Selection(toVsRange(s.calleeRange).start, toVsRange(s.calleeRange).end);
    editor.revealRange(toVsRange(s.range), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private stem(): string {
    const s = this.shown?.selected;
    const base = this.shown ? fileNameOf(this.shown.document.uri).replace(/\.[^.]*$/, '') : 'lr';
    return s && !this.shown?.view.compare ? `${base}-${s.variable ?? s.kind}-lr` : `${base}-lr`;
  }

  private html(): string {
    const webview = this.panel.webview;
    const asUri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...path)).toString();
    return panelHtml({
      cspSource: webview.cspSource, nonce: newNonce(),
      scriptUri: asUri('dist', 'webview.js'), styleUri: asUri('media', 'panel.css'),
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function fileNameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
