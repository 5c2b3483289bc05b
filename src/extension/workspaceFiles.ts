/**
 * The extension's side of reading the repository around a Python file (src/analysis/workspace.ts):
 * files through `vscode.workspace.fs`, so it works on remote workspaces and in VS Code for the Web
 * (no Node `fs`/`path` here), the root being the document's workspace folder. A file open in an editor is
 * read from the editor, unsaved edits included, as the importing script would see it once saved. A file system
 * watcher, saves (for file systems without a watcher), edits of open files and closing them (unsaved edits
 * discarded) say which files changed (the runner's worker keeps the texts and drops a changed one).
 */
import * as vscode from 'vscode';
import type { WorkspaceOptions } from '../analysis/workspace';

/** The files a module or config can be: a change to one of them may change an analysis. */
const WATCHED = '**/*.{py,yaml,yml,json,toml}';
const WATCHED_EXTENSION = /\.(py|ya?ml|json|toml)$/i;

/** Folders never searched for the callers of a file's functions: version control, packages, environments, caches. */
const NOT_SEARCHED = '{**/.git/**,**/node_modules/**,**/__pycache__/**,**/site-packages/**,**/.venv/**,**/venv/**,**/.tox/**}';

/** An open editor's document for `uri`, if any (its text is what the user sees, saved or not). */
function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

/** A file that changed: `created` when it is new (the listing of the workspace's Python files is then stale). */
export interface FileChange { path: string; created: boolean }

export class WorkspaceFiles implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<FileChange>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Fires with the path (a URI's path) of a file that changed, was created or deleted. */
  readonly onDidChangeFile = this.emitter.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
    const changed = (uri: vscode.Uri) => this.changed(uri);
    this.disposables.push(
      watcher,
      watcher.onDidChange(changed), watcher.onDidCreate((uri) => this.changed(uri, true)), watcher.onDidDelete(changed),
      vscode.workspace.onDidSaveTextDocument((d) => this.changed(d.uri)),
      // Unsaved edits count: an importer follows the module as it is being typed (debounced by the analysis service).
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.watched(e.document.uri)) this.changed(e.document.uri);
      }),
      // Closed without saving: the file on disk is what counts again.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.watched(d.uri)) this.changed(d.uri);
      }),
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
      host: {
        readFile: async (path: string) => {
          const uri = base.with({ path });
          const open = openDocument(uri);
          if (open) return new TextEncoder().encode(open.getText());
          try {
            return await vscode.workspace.fs.readFile(uri);
          } catch {
            return undefined;
          }
        },
        // The workspace folder's Python files (bounded), where the callers of the file's functions are looked for.
        listFiles: async (root: string, limit: number) => {
          const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(base.with({ path: root }), '**/*.py'), NOT_SEARCHED, limit);
          return uris.filter((u) => u.scheme === base.scheme && u.authority === base.authority).map((u) => u.path);
        },
      },
    };
  }

  /** A file of the kinds an analysis may read (modules, configs), in a file system the workspace can read. */
  private watched(uri: vscode.Uri): boolean {
    return uri.scheme !== 'untitled' && uri.scheme !== 'vscode-notebook-cell' && WATCHED_EXTENSION.test(uri.path);
  }

  private changed(uri: vscode.Uri, created = false): void {
    this.emitter.fire({ path: uri.path, created });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
