/**
 * The tree-sitter wasm files, read as bytes with `vscode.workspace.fs` from the extension's own
 * `dist/grammars`: no Node `fs`, so the same code runs in the desktop's Node host, in a remote host and in
 * VS Code for the Web's worker host (where `extensionUri` is `vscode-remote:`/`https:`, not a file path).
 */
import * as vscode from 'vscode';
import type { GrammarLoader } from '../frontends/parser';

export function workspaceFsGrammarLoader(extensionUri: vscode.Uri): GrammarLoader {
  const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'grammars');
  return (file) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, file)));
}
