/**
 * Two lenses above each scheduler construction: "$(graph) Preview LR schedule" and a one-line
 * summary of the curve; both open the panel on that call. Refreshed whenever an analysis lands.
 */
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import type { AnalysisService } from './analysisService';
import type { ConfigStore } from './configStore';
import { toVsRange } from './convert';
import { guard, guarded } from './guard';
import { CommandId } from './ids';
import { summaryLine } from './summary';
import { assumptionText } from '../analysis/assumptions';
import { describeRun, runBrief } from '../analysis/run';

export class SchedulerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /**
   * Document URI → the analysis VS Code already has lenses for. Compared by identity: the cache
   * hands out one object per version, and a notebook re-analysed because another cell changed
   * gives every cell a new one.
   */
  private readonly served = new Map<string, AnalysisResult>();

  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly analysis: AnalysisService, private readonly config: ConfigStore, private readonly log: vscode.LogOutputChannel) {
    // Each refresh re-renders every lens; skipping the ones VS Code already has keeps them from flickering.
    this.disposables.push(
      analysis.onDidAnalyze(guard(log, 'codelens refresh', ({ document, result }) => {
        // After a macrotask: a lens request waiting for this very analysis records it first.
        setTimeout(() => {
          if (this.served.get(document.uri.toString()) !== result) this.changed.fire();
        }, 0);
      })),
      config.onDidChange(guard(log, 'codelens refresh', () => {
        this.served.clear();
        this.changed.fire();
      })),
      vscode.workspace.onDidCloseTextDocument((d) => this.served.delete(d.uri.toString())),
    );
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    return guarded(this.log, 'codelens', [], async () => {
      if (!this.config.current.codeLensEnabled) return [];
      // VS Code spaces its lens requests by how long the provider took before: answer from the cache
      // at once when this version is analysed; only an edit's request waits for its analysis.
      const result = this.analysis.peek(document) ?? (await this.analysis.settled(document));
      if (!result || token.isCancellationRequested) return [];
      this.served.set(document.uri.toString(), result);
      return result.schedulers.flatMap((s) => {
        // Lenses sit on the line of the callee; a zero-width range there keeps them on that line.
        const range = toVsRange({ start: s.calleeRange.start, end: s.calleeRange.start });
        const args = [document.uri.toString(), s.id];
        return [
          new vscode.CodeLens(range, {
            title: '$(graph) Preview LR schedule', command: CommandId.OpenPreviewToSide, arguments: args,
            tooltip: 'Plot this scheduler in the LR Lens panel',
          }),
          new vscode.CodeLens(range, {
            title: s.run && runBrief(s.run) ? `${summaryLine(s)} · ${runBrief(s.run)}` : summaryLine(s), command: CommandId.OpenPreviewToSide, arguments: args,
            tooltip: [
              s.error ?? `Key numbers of the curve (group 0)${s.run ? `; ${describeRun(s.run, s.horizon.assumedStepsPerEpoch)}` : ''}; click to plot it`,
              ...s.assumed.map((a) => `Assumed: ${assumptionText(a)}`),
            ].join('\n'),
          }),
        ];
      });
    });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
