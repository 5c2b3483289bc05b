/**
 * The desktop's runner: analyses in a Node worker thread (dist/analysisWorker.js), falling back to the
 * extension host's thread if workers keep dying. The web bundle takes runners.web.ts instead (esbuild.mjs
 * `nodeToWebSiblings`), where a Web Worker can be added behind the same WorkerLike.
 */
import * as vscode from 'vscode';
import type { AnalysisRunner } from './analysisRunner';
import { InProcessRunner } from './inProcessRunner';
import { nodeWorker } from './nodeWorker.node';
import { WorkerRunner } from './workerRunner';

export function createRunner(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): AnalysisRunner {
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'analysisWorker.js').fsPath;
  return new WorkerRunner(() => nodeWorker(script), new InProcessRunner(), log);
}
