/** Keeps `lrLens.hasScheduler` in sync with the active editor (editor/title button's `when`). */
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { guard } from './guard';
import { ContextKey } from './ids';

export class SchedulerContextKey implements vscode.Disposable {
  private value: boolean | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly analysis: AnalysisService, log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(guard(log, 'context key', () => this.update())),
      analysis.onDidAnalyze(guard(log, 'context key', ({ document }) => {
        if (document === vscode.window.activeTextEditor?.document) this.update();
      })),
    );
    this.update();
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const has = !!document && (this.analysis.peek(document)?.schedulers.length ?? 0) > 0;
    if (has !== this.value) {
      this.value = has;
      void vscode.commands.executeCommand('setContext', ContextKey.HasScheduler, has);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
