/**
 * The desktop's runner: analyses in a Node worker thread (dist/analysisWorker.js), falling back to the
 * extension host's thread if workers keep dying: then the same bundle is required here and its `workerSide`
 * runs on this thread (nodeWorker.node.ts, inThreadWorker.ts), so dist/extension.js carries no analysis. The web
 * bundle takes runners.web.ts instead (esbuild.mjs `nodeToWebSiblings`).
 */
import * as vscode from 'vscode';
import type { AnalysisRunner } from './analysisRunner';
import { nodeRunner } from './nodeWorker.node';

export function createRunner(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): AnalysisRunner {
  return nodeRunner(vscode.Uri.joinPath(extensionUri, 'dist', 'analysisWorker.js').fsPath, log);
}
