/**
 * Entry point: builds the services and registers the providers. No logic here; every
 * disposable goes to `context.subscriptions`. Activation stays cheap: the analysis worker and the
 * tree-sitter wasm load on the first analysis, not now.
 */
import * as vscode from 'vscode';
import { AnalysisService, DOCUMENT_SELECTOR } from './analysisService';
import { createApi, LrLensApi } from './api';
import { QuickFixProvider } from './codeActions';
import { SchedulerCodeLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { ConfigStore } from './configStore';
import { SchedulerContextKey } from './contextKeys';
import { DiagnosticsPublisher } from './diagnostics';
import { SchedulerHoverProvider } from './hover';
import { DISPLAY_NAME } from './ids';
import { PreviewManager } from './previewManager';
import { createRunner } from './runners.node';
import { WorkspaceFiles } from './workspaceFiles';

export function activate(context: vscode.ExtensionContext): LrLensApi {
  const log = vscode.window.createOutputChannel(DISPLAY_NAME, { log: true });

  const config = new ConfigStore();
  const files = new WorkspaceFiles();
  // The analysis runs in the runner's worker (its bundle loads the grammars), never in this bundle.
  const runner = createRunner(context.extensionUri, log);
  const analysis = new AnalysisService(config, log, files, runner);
  const preview = new PreviewManager(context.extensionUri, analysis, config, log);
  const codeLens = new SchedulerCodeLensProvider(analysis, config, log);
  const hover = new SchedulerHoverProvider(analysis, config, log);
  const repository = (context.extension.packageJSON as { repository?: { url?: string } }).repository?.url;

  context.subscriptions.push(
    log, config, files, analysis, preview, codeLens, hover,
    new DiagnosticsPublisher(analysis, config, repository, log),
    new SchedulerContextKey(analysis, log),
    vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, hover),
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, codeLens),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, new QuickFixProvider(analysis, log), QuickFixProvider.metadata),
    ...registerCommands(preview, log),
  );
  analysis.scheduleOpenDocuments();
  log.info(`activated (${context.extension.id} ${String((context.extension.packageJSON as { version?: string }).version ?? '')})`);
  return createApi(analysis, preview, runner);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
