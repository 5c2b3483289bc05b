/**
 * Analysis diagnostics → the "LR Lens" DiagnosticCollection. Ranges sit on the offending
 * argument; `code` links to the rule's documentation. Cleared when a document closes or the
 * setting turns diagnostics off.
 */
import * as vscode from 'vscode';
import type { AnalysisResult, Diagnostic } from '../analysis/types';
import type { AnalysisService } from './analysisService';
import { effectiveSeverity, LrLensConfig } from './config';
import type { ConfigStore } from './configStore';
import { toVsRange, toVsSeverity } from './convert';
import { guard } from './guard';
import { DISPLAY_NAME, RULES_DOC_PATH } from './ids';

/**
 * The documentation link of a rule: `<repository>/blob/main/docs/rules.md#lr141`, from the
 * manifest's repository URL (`git+https://…/x.git` forms included). Undefined without one.
 */
export function ruleDocUri(repositoryUrl: string | undefined, code: string): vscode.Uri | undefined {
  if (!repositoryUrl || !/^(git\+)?https?:\/\//.test(repositoryUrl)) return undefined;
  const base = repositoryUrl.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/$/, '');
  try {
    return vscode.Uri.parse(`${base}/blob/main/${RULES_DOC_PATH}`).with({ fragment: code.toLowerCase() });
  } catch {
    return undefined;
  }
}

/** All diagnostics of a result: file-level ones and every scheduler's, without duplicates. */
export function allDiagnostics(result: AnalysisResult): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...result.diagnostics, ...result.schedulers.flatMap((s) => s.diagnostics)]) {
    const key = `${d.code}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/**
 * Schemes of read-only views of other documents (diff sides, SCM, output): their problems would
 * duplicate the real file's in the Problems view. Virtual file systems are not in the list.
 */
const SHADOW_SCHEMES = new Set(['git', 'gitfs', 'output', 'vscode-scm', 'comment', 'vscode-chat-code-block', 'merge-conflict.conflict-diff']);

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lrLens');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly analysis: AnalysisService,
    private readonly config: ConfigStore,
    private readonly repositoryUrl: string | undefined,
    log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      analysis.onDidAnalyze(guard(log, 'diagnostics', ({ document, result }) => this.publish(document.uri, result))),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      config.onDidChange(guard(log, 'diagnostics settings', ({ current }) => {
        if (!current.diagnosticsEnabled) this.collection.clear();
        else this.republishOpen();
      })),
    );
  }

  private republishOpen(): void {
    for (const d of vscode.workspace.textDocuments) {
      const result = this.analysis.peek(d);
      if (result) this.publish(d.uri, result);
    }
  }

  private publish(uri: vscode.Uri, result: AnalysisResult): void {
    const config = this.config.current;
    if (!config.diagnosticsEnabled || SHADOW_SCHEMES.has(uri.scheme)) {
      this.collection.delete(uri);
      return;
    }
    this.collection.set(uri, allDiagnostics(result).flatMap((d) => this.convert(d, config)));
  }

  private convert(d: Diagnostic, config: LrLensConfig): vscode.Diagnostic[] {
    const severity = effectiveSeverity(d.code, d.severity, config);
    if (!severity) return [];
    const out = new vscode.Diagnostic(toVsRange(d.range), d.message, toVsSeverity(severity));
    out.source = DISPLAY_NAME;
    const target = ruleDocUri(this.repositoryUrl, d.code);
    out.code = target ? { value: d.code, target } : d.code;
    return [out];
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
