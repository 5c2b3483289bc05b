/** Conversions between the language layer's plain positions and VS Code's classes. */
import * as vscode from 'vscode';
import type { Position, Range, Severity } from '../analysis/types';

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function fromVsPosition(p: vscode.Position): Position {
  return { line: p.line, character: p.character };
}

export function toVsSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'information': return vscode.DiagnosticSeverity.Information;
    case 'hint': return vscode.DiagnosticSeverity.Hint;
  }
}

/** The rule id of a diagnostic whose `code` is a string or a `{ value, target }` object. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  if (code && typeof code === 'object') return String(code.value);
  return undefined;
}
