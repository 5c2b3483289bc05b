/**
 * VS Code for the Web's runner (the web bundle's sibling of runners.node.ts): the analysis runs in the
 * extension's own web worker, in-process. A Web Worker of its own could be added behind WorkerLike
 * (workerRunner.ts, workerCore.ts are host-neutral).
 */
import type * as vscode from 'vscode';
import type { AnalysisRunner } from './analysisRunner';
import { InProcessRunner } from './inProcessRunner';

export function createRunner(_extensionUri: vscode.Uri, _log: vscode.LogOutputChannel): AnalysisRunner {
  return new InProcessRunner();
}
