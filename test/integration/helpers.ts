/**
 * Helpers shared by the integration suites (they run inside a real VS Code extension host).
 * No fixed sleeps anywhere: every wait is `waitFor` on a condition, re-checked when a VS Code event fires.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { LrLensApi } from '../../src/extension/api';
import { workspaceFsGrammarLoader } from '../../src/extension/grammars';
import { setGrammarLoader } from '../../src/frontends/parser';

/**
 * A test parameter: the environment in a Node extension host (the launcher sets it on code-server), the
 * user setting `lrLensTest.env` in VS Code for the Web's worker host (a worker has no process.env).
 */
export function testEnv(name: string): string | undefined {
  const fromProcess = typeof process !== 'undefined' ? process.env?.[name] : undefined;
  return fromProcess ?? vscode.workspace.getConfiguration('lrLensTest').get<Record<string, string>>('env')?.[name];
}

/** Which extension host the launcher meant this run for: `web` (the web worker) or `node`. */
export const HOST: 'web' | 'node' = testEnv('LR_LENS_TEST_HOST') === 'web' ? 'web' : 'node';

/** The suites that call src/analysis themselves (not through the extension) read the grammars as the extension does. */
export function useExtensionGrammars(): void {
  setGrammarLoader(workspaceFsGrammarLoader(extension().extensionUri));
}

/**
 * Upper bound of a wait for the extension (analysis, providers, panel). Generous: the first analysis on a
 * loaded 2-core machine (grammar wasm loading, JIT) has taken 20+ s; normally it takes well under a second.
 */
export const WAIT_MS = Number(testEnv('LR_LENS_TEST_WAIT_MS')) || 30_000;

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'lr-lens.lr-lens';

/** The extension's test API (what activate() returns), and the panel's report of one draw. */
export type { LrLensApi } from '../../src/extension/api';
export type { RenderedReport } from '../../src/protocol/protocol';

/**
 * Resolves with the first truthy value of `condition`. The condition is evaluated now, whenever `event`
 * fires, and (because some state, e.g. provider results, has no event) on a 100 ms poll.
 * Rejects after `timeoutMs` with `message` and the last value/error seen.
 */
export function waitFor<T>(condition: () => T | Promise<T>, event: vscode.Event<unknown> | undefined,
  timeoutMs: number, message: string): Promise<NonNullable<T>> {
  return new Promise((resolve, reject) => {
    let last: unknown;
    let busy = false;
    let done = false;
    const finish = (fn: () => void): void => { done = true; sub?.dispose(); clearInterval(poll); clearTimeout(timer); fn(); };
    const check = async (): Promise<void> => {
      if (busy || done) return;
      busy = true;
      try {
        const v = await condition();
        last = v;
        if (v && !done) finish(() => resolve(v as NonNullable<T>));
      } catch (e) {
        last = e;
      } finally {
        busy = false;
      }
    };
    const sub = event?.(() => void check());
    const poll = setInterval(() => void check(), 100);
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms: ${message}; last: ${describe(last)}`))), timeoutMs);
    void check();
  });
}

function describe(v: unknown): string {
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try { return JSON.stringify(v)?.slice(0, 400) ?? String(v); } catch { return String(v); }
}

/** The extension under test (fails the test when VS Code does not know it). */
export function extension(): vscode.Extension<LrLensApi | undefined> {
  const ext = vscode.extensions.getExtension<LrLensApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
  return ext;
}

/** Activates the extension (if a document did not already) and returns its test API. */
export async function activate(): Promise<LrLensApi> {
  const ext = extension();
  const api = await ext.activate();
  assert.ok(api && typeof api === 'object', 'activate() must return the test API object');
  return api;
}

/** A file of the test workspace (a per-run copy of test/integration/workspace). */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open: the launcher must open the fixture workspace copy');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * Opens a fixture file in an editor and returns its editor, with the text as written on disk: a
 * document another suite edited may still be open (closing an editor does not drop its model), and a
 * test must not depend on what ran before it.
 */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const uri = fixtureUri(name);
  const pristine = await pristineBytes(name);
  const text = new TextDecoder().decode(pristine);
  // The disk copy too: an edit of an earlier suite that reached the disk must not change what this test reads.
  // Through the editor when the document is open (an outside write under an open model could make a later save
  // conflict), directly otherwise.
  const diskStale = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) !== text;
  const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  if (diskStale && !wasOpen) await vscode.workspace.fs.writeFile(uri, pristine);
  const doc = await vscode.workspace.openTextDocument(uri);
  await setText(doc, text);
  if (diskStale && wasOpen) assert.ok(await doc.save(), `could not write ${name} back as written`);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** A fixture as written in the repository: the runner keeps a copy of the workspace in `.pristine/`. */
async function pristineBytes(name: string): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(fixtureUri(`.pristine/${name}`));
}

/** Range of the first occurrence of `needle` in the document (after `after` when given). */
export function rangeOf(doc: vscode.TextDocument, needle: string, after?: string): vscode.Range {
  const text = doc.getText();
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `fixture ${doc.fileName} does not contain ${JSON.stringify(after)}`);
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `fixture ${doc.fileName} does not contain ${JSON.stringify(needle)}${after ? ` after ${JSON.stringify(after)}: ${JSON.stringify(text.slice(from, from + 120))}` : ''} (version ${doc.version}, dirty ${doc.isDirty})`);
  return new vscode.Range(doc.positionAt(i), doc.positionAt(i + needle.length));
}

/** The diagnostic's rule id (`code` may be a string or `{ value, target }`). */
export function ruleOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return String(typeof c === 'object' && c !== null ? c.value : c ?? '');
}

/** LR Lens's diagnostics on a document. */
export function lrDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => /^LR\d{3}$/.test(ruleOf(d)));
}

/** Waits until LR Lens's diagnostics on `uri` satisfy `pred`. */
export function waitForDiagnostics(uri: vscode.Uri, pred: (ds: vscode.Diagnostic[]) => boolean, message: string,
  timeoutMs = WAIT_MS): Promise<vscode.Diagnostic[]> {
  return waitFor(() => { const ds = lrDiagnostics(uri); return pred(ds) ? ds : undefined; },
    vscode.languages.onDidChangeDiagnostics, timeoutMs, `${message} (diagnostics: ${summarize(lrDiagnostics(uri))})`);
}

/** `LR141@7:33` list, for failure messages. */
export function summarize(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${ruleOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ') || 'none';
}

/** Replaces the whole text of a document (used to restore a fixture between cases). */
export async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  if (doc.getText() === text) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit (restore text) failed');
}

/** Replaces `needle` (first occurrence after `after`) with `replacement`. */
export async function replaceText(doc: vscode.TextDocument, needle: string, replacement: string, after?: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, rangeOf(doc, needle, after), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `applyEdit (${needle} -> ${replacement}) failed`);
}

/** Sets an `lrLens.*` user setting (undefined removes it) and waits for the change event. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('lrLens');
  if (JSON.stringify(config.inspect(key)?.globalValue) === JSON.stringify(value)) return;
  const seen = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`lrLens.${key}`)) { sub.dispose(); resolve(); }
    });
  });
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  await seen;
}

/** Removes every `lrLens.*` user setting the suites may have changed. */
export async function resetConfiguration(): Promise<void> {
  for (const key of ['codeLens.enabled', 'hover.enabled', 'diagnostics.enabled', 'rules', 'defaultHorizon']) await setSetting(key, undefined);
}

/** Plain text of hover contents (MarkdownString or MarkedString). */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** CodeLenses of a document, resolved (titles filled in). */
export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

/** Closes all editors without saving (fixture edits stay in memory only). */
export async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && vscode.workspace.getWorkspaceFolder(doc.uri)) {
      // Put the text on disk back into the document and save it: unlike the revert command, this
      // does not depend on which editor has focus, so the next suite always sees the fixture as written.
      // Never save a text other than the fixture as written (`.pristine/`): an edited fixture once reached the
      // disk (an edit refused under load, or a save mid-edit), and a later suite found `T_0=150` missing.
      const relative = vscode.workspace.asRelativePath(doc.uri, false);
      const onDisk = new TextDecoder().decode(await pristineBytes(relative).catch(() => vscode.workspace.fs.readFile(doc.uri)));
      for (let attempt = 1; doc.getText() !== onDisk; attempt++) {
        assert.ok(attempt <= 5, `could not restore ${doc.fileName} to its text on disk`);
        await setText(doc, onDisk);
      }
      if (doc.isDirty) await doc.save();
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
