/**
 * The extension's side of reading the repository around a Python file (src/analysis/workspace.ts):
 * files through `vscode.workspace.fs`, so it works on remote workspaces and in VS Code for the Web
 * (no Node `fs`/`path` here), the root being the document's workspace folder; a file system watcher
 * (and saves, for file systems without one) invalidates the cached texts and says which files changed.
 */
import * as vscode from 'vscode';
import { WorkspaceCache, type WorkspaceOptions } from '../analysis';

/** The files a module or config can be: a change to one of them may change an analysis. */
const WATCHED = '**/*.{py,yaml,yml,json,toml}';

export class WorkspaceFiles implements vscode.Disposable {
  private readonly cache = new WorkspaceCache();
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Fires with the path (a URI's path) of a file that changed, was created or deleted. */
  readonly onDidChangeFile = this.emitter.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
    const changed = (uri: vscode.Uri) => this.changed(uri);
    this.disposables.push(
      watcher,
      watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed),
      vscode.workspace.onDidSaveTextDocument((d) => this.changed(d.uri)),
    );
  }

  /** The workspace options for a document: none for untitled documents and documents outside a workspace folder. */
  optionsFor(document: vscode.TextDocument): WorkspaceOptions | undefined {
    if (document.isUntitled || document.languageId !== 'python') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return undefined;
    const base = folder.uri;
    return {
      root: base.path,
      file: document.uri.path,
      cache: this.cache,
      host: {
        readFile: async (path: string) => {
          try {
            return await vscode.workspace.fs.readFile(base.with({ path }));
          } catch {
            return undefined;
          }
        },
      },
    };
  }

  private changed(uri: vscode.Uri): void {
    this.cache.invalidate(uri.path);
    this.emitter.fire(uri.path);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
