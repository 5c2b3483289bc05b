/**
 * VS Code for the Web's runner (the web bundle's sibling of runners.node.ts): the analysis in a Web Worker of its
 * own (dist/web/analysisWorker.js, webWorker.ts), in-process when the host has no Worker or workers keep failing.
 * The bundle and the grammars are read with `vscode.workspace.fs` from the extension itself.
 */
import * as vscode from 'vscode';
import type { AnalysisRunner } from './analysisRunner';
import { workspaceFsGrammarLoader } from './grammars';
import { browserWorker, createWebRunner } from './webWorker';

export function createRunner(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): AnalysisRunner {
  const bundle = vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'analysisWorker.js');
  return createWebRunner({
    source: async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(bundle)),
    grammars: workspaceFsGrammarLoader(extensionUri),
    log,
    Worker: browserWorker(),
  });
}
