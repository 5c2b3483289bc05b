/**
 * Quick fixes for LR Lens diagnostics, keyed by rule id: the analysis' own fixes (with
 * `isPreferred` for safe ones) and "Ignore LRxxx on this line". Nothing is edited until the
 * user picks an action.
 */
import * as vscode from 'vscode';
import type { Diagnostic as LangDiagnostic, TextEdit } from '../analysis/types';
import type { AnalysisService } from './analysisService';
import { ruleIdOf, toVsRange } from './convert';
import { allDiagnostics } from './diagnostics';
import { guarded } from './guard';
import { DISPLAY_NAME } from './ids';
import { ignoreEdit } from './suppress';

function sameStart(a: vscode.Range, b: LangDiagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analysis: AnalysisService, private readonly log: vscode.LogOutputChannel) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    return guarded(this.log, 'code actions', [], async () => {
      const ours = context.diagnostics.filter((d) => d.source === DISPLAY_NAME && ruleIdOf(d));
      if (!ours.length) return [];
      const result = await this.analysis.settled(document);
      const known = result ? allDiagnostics(result) : [];
      const actions: vscode.CodeAction[] = [];
      for (const diag of ours) {
        const rule = ruleIdOf(diag)!;
        // The diagnostic VS Code hands back is a copy: find ours by rule id and position.
        const source = known.find((k) => k.code === rule && sameStart(diag.range, k.range) && k.message === diag.message)
          ?? known.find((k) => k.code === rule && sameStart(diag.range, k.range));
        for (const fix of source?.fixes ?? []) actions.push(this.fixAction(document, diag, fix.title, fix.edits, fix.preferred));
        const ignore = this.ignoreAction(document, diag, rule);
        if (ignore) actions.push(ignore);
      }
      return actions;
    });
  }

  private fixAction(document: vscode.TextDocument, diag: vscode.Diagnostic, title: string, edits: TextEdit[], preferred: boolean): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diag];
    action.isPreferred = preferred;
    action.edit = new vscode.WorkspaceEdit();
    for (const e of edits) action.edit.replace(document.uri, toVsRange(e.range), e.newText);
    return action;
  }

  private ignoreAction(document: vscode.TextDocument, diag: vscode.Diagnostic, rule: string): vscode.CodeAction | undefined {
    const line = diag.range.start.line;
    if (line >= document.lineCount) return undefined;
    const edit = ignoreEdit(document.lineAt(line).text, line, rule, document.languageId);
    if (!edit) return undefined;
    const action = new vscode.CodeAction(`Ignore ${rule} on this line`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diag];
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(document.uri, toVsRange(edit.range), edit.newText);
    return action;
  }
}
