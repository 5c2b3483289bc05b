/**
 * Owns the (single) preview panel: creates or reveals it, revives it after a reload
 * (registerWebviewPanelSerializer), routes the panel commands, and keeps what the panel last
 * drew for tests (`rendered` reports, through the test API's `waitForRender`/`getLastRendered`).
 */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import type { ConfigStore } from './configStore';
import { describeError } from './guard';
import { ContextKey, ViewType } from './ids';
import { PanelTarget, PreviewPanel, webviewOptions } from './previewPanel';
import { isWebviewState, RenderedReport, WebviewState } from '../protocol/protocol';

export class PreviewManager implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel: PreviewPanel | undefined;
  private readonly rendered = new Map<string, RenderedReport>();
  private last: RenderedReport | undefined;
  private readonly renderEmitter = new vscode.EventEmitter<RenderedReport>();
  private readonly disposables: vscode.Disposable[] = [this.renderEmitter];

  /** Fires after every draw of the panel. */
  readonly onDidRender = this.renderEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly config: ConfigStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(ViewType.Preview, this));
  }

  /** Opens (or reveals) the panel on `target`, or on the active editor when undefined. */
  open(target: PanelTarget | undefined, beside: boolean): void {
    const column = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (this.panel) {
      this.panel.panel.reveal(column, beside);
    } else {
      const panel = vscode.window.createWebviewPanel(ViewType.Preview, 'LR Lens', { viewColumn: column, preserveFocus: beside },
        webviewOptions(this.extensionUri));
      this.adopt(panel, undefined);
    }
    this.panel!.show(target);
  }

  /** Restores the panel after a window reload, from the state the webview saved. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    try {
      const restored = isWebviewState(state) ? state : undefined;
      if (state !== undefined && !restored) this.log.warn('panel state from the last session is malformed; starting fresh');
      this.panel?.dispose();
      this.adopt(panel, restored);
      this.panel!.show(restored?.uri ? { uri: restored.uri, schedulerId: restored.selectedId } : undefined);
    } catch (e) {
      this.log.error(`restoring the panel failed: ${describeError(e)}`);
    }
  }

  togglePin(): void {
    if (!this.panel) {
      void vscode.window.showInformationMessage('LR Lens: open the preview first (LR Lens: Preview LR Schedule).');
      return;
    }
    this.panel.setPinned(!this.panel.isPinned);
  }

  exportPng(): void {
    if (!this.panel) {
      void vscode.window.showInformationMessage('LR Lens: open the preview first; the PNG is taken from its chart.');
      return;
    }
    this.panel.requestPng();
  }

  async exportCsv(): Promise<void> {
    if (!this.panel) {
      void vscode.window.showInformationMessage('LR Lens: open the preview first; the CSV holds the curves it shows.');
      return;
    }
    await this.panel.exportCsv();
  }

  /** The last `rendered` report, of `uri` when given. */
  lastRendered(uri?: string): RenderedReport | undefined {
    return uri ? this.rendered.get(uri) : this.last;
  }

  /** What the panel shows now, or null without a panel. */
  get target(): PanelTarget | null {
    return this.panel?.target ?? null;
  }

  private adopt(panel: vscode.WebviewPanel, state: WebviewState | undefined): void {
    this.panel = new PreviewPanel(panel, {
      extensionUri: this.extensionUri, analysis: this.analysis, config: this.config, log: this.log,
      onRendered: (report) => this.record(report),
      onPinnedChanged: (pinned) => void vscode.commands.executeCommand('setContext', ContextKey.Pinned, pinned),
    }, state);
    const own = this.panel;
    own.onDidDispose(() => {
      if (this.panel === own) this.panel = undefined;
      void vscode.commands.executeCommand('setContext', ContextKey.Pinned, false);
    });
  }

  private record(report: RenderedReport): void {
    this.last = report;
    this.rendered.set(report.uri, report);
    this.renderEmitter.fire(report);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
