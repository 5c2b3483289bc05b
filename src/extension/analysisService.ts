/**
 * One analysis per document version, shared by hover, CodeLens, diagnostics and the panel.
 * Edits are debounced (trailing edge, `lrLens.debounceMs`); results of versions that were
 * superseded while they computed are dropped. A notebook's Python cells are analysed together
 * and the result is split back per cell (notebook.ts).
 */
import * as vscode from 'vscode';
import { analyze } from '../analysis';
import { concatCells } from '../frontends/notebook';
import { describeRuleError } from '../lint';
import type { AnalysisResult, AnalyzeOptions } from '../analysis/types';
import { analyzeOptions } from './config';
import type { ConfigStore } from './configStore';
import { KeyedDebouncer } from './debounce';
import { guard, describeError } from './guard';
import { LANGUAGE_IDS } from './ids';
import { splitByCell } from './notebook';
import { VersionedCache } from './versionedCache';
import { DependencyIndex } from './dependencies';
import type { WorkspaceFiles } from './workspaceFiles';

/** Every language we analyse, any scheme (files, untitled, virtual file systems, notebook cells). */
export const DOCUMENT_SELECTOR: vscode.DocumentFilter[] = LANGUAGE_IDS.map((language) => ({ language }));

/** A unit of analysis: one document, or all Python code cells of one notebook. */
type Unit =
  | { kind: 'document'; key: string; document: vscode.TextDocument }
  | { kind: 'notebook'; key: string; notebook: vscode.NotebookDocument; cells: vscode.TextDocument[] };

/** Result per document URI (one entry for a document, one per code cell for a notebook). */
type UnitResult = Map<string, AnalysisResult>;

export interface AnalyzedEvent {
  document: vscode.TextDocument;
  result: AnalysisResult;
}

export class AnalysisService implements vscode.Disposable {
  private readonly cache = new VersionedCache<UnitResult>();
  private readonly debouncer = new KeyedDebouncer();
  /** Resolvers waiting for a key's debounced run (see `settled`). */
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly emitter = new vscode.EventEmitter<AnalyzedEvent>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Bumped when settings that change results change: every cached version becomes stale. */
  private generation = 0;
  /** The other files each analysis read (imported modules, configs): their changes re-analyse it. */
  private readonly dependencies = new DependencyIndex();

  /** Fires when a document's analysis for its current version is ready. */
  readonly onDidAnalyze = this.emitter.event;

  constructor(private readonly config: ConfigStore, private readonly log: vscode.LogOutputChannel, private readonly files?: WorkspaceFiles) {
    const on = <A extends unknown[]>(what: string, fn: (...args: A) => unknown) => guard(log, what, fn);
    if (files) {
      this.disposables.push(files.onDidChangeFile(on('file change', (path: string) => {
        for (const key of this.dependencies.changed(path)) {
          const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
          if (document) this.schedule(document);
        }
      })));
    }
    this.disposables.push(
      this.emitter,
      { dispose: () => this.debouncer.dispose() },
      vscode.workspace.onDidOpenTextDocument(on('open', (d: vscode.TextDocument) => this.schedule(d, 0))),
      vscode.workspace.onDidChangeTextDocument(on('change', (e: vscode.TextDocumentChangeEvent) => {
        if (e.contentChanges.length) this.schedule(e.document);
      })),
      vscode.workspace.onDidCloseTextDocument(on('close', (d: vscode.TextDocument) => this.forget(d.uri.toString()))),
      vscode.workspace.onDidChangeNotebookDocument(on('notebook change', (e: vscode.NotebookDocumentChangeEvent) => {
        // Cells added, removed or re-languaged change the joined program; text edits arrive as document changes.
        if (e.contentChanges.length || e.cellChanges.some((c) => c.document)) this.scheduleNotebook(e.notebook);
      })),
      vscode.workspace.onDidCloseNotebookDocument(on('notebook close', (nb: vscode.NotebookDocument) => this.forget(nb.uri.toString()))),
      config.onDidChange(on('settings', ({ previous, current }) => {
        const relevant = previous.defaultHorizon !== current.defaultHorizon || previous.assumedLr !== current.assumedLr
          || JSON.stringify([...previous.rules]) !== JSON.stringify([...current.rules]);
        if (relevant) this.reanalyseAll();
      })),
    );
  }

  /** true for documents LR Lens analyses. */
  static accepts(document: vscode.TextDocument): boolean {
    return vscode.languages.match(DOCUMENT_SELECTOR, document) > 0;
  }

  /** The analysis of the document's current version, computed now if needed; undefined for other languages. */
  async get(document: vscode.TextDocument): Promise<AnalysisResult | undefined> {
    const unit = this.unitOf(document);
    if (!unit) return undefined;
    const results = await this.run(unit);
    return results.get(document.uri.toString());
  }

  /**
   * Like `get`, but while an edit's debounce is pending it waits for that run first, so that
   * providers VS Code asks on every keystroke (CodeLens) do not analyse every keystroke.
   */
  async settled(document: vscode.TextDocument): Promise<AnalysisResult | undefined> {
    const unit = this.unitOf(document);
    if (unit && this.debouncer.isPending(unit.key)) {
      await new Promise<void>((resolve) => this.waiters.set(unit.key, [...(this.waiters.get(unit.key) ?? []), resolve]));
    }
    return this.get(document);
  }

  /** The finished analysis of the document's current version, if any (no computation). */
  peek(document: vscode.TextDocument): AnalysisResult | undefined {
    const unit = this.unitOf(document);
    return unit ? this.cache.peek(unit.key, this.versionOf(unit))?.get(document.uri.toString()) : undefined;
  }

  /** A one-off analysis with other options (the panel's own horizon); not cached, not announced. */
  async analyzeWith(document: vscode.TextDocument, extra: AnalyzeOptions): Promise<AnalysisResult | undefined> {
    const unit = this.unitOf(document);
    if (!unit) return undefined;
    return (await this.compute(unit, extra)).get(document.uri.toString());
  }

  /** Schedules (debounced) analyses of every open document we handle, e.g. at start-up. */
  scheduleOpenDocuments(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  // ---- internals --------------------------------------------------------------------------

  private schedule(document: vscode.TextDocument, delay = this.config.current.debounceMs): void {
    const unit = this.unitOf(document);
    if (!unit) return;
    this.debouncer.schedule(unit.key, delay, () => {
      const current = this.unitOf(document) ?? unit;
      void this.run(current)
        .catch((e) => this.log.error(`analysis of ${unit.key} failed: ${describeError(e)}`))
        .finally(() => this.release(unit.key));
    });
  }

  private scheduleNotebook(notebook: vscode.NotebookDocument): void {
    const first = this.notebookCells(notebook)[0];
    if (first) this.schedule(first);
    else this.forget(notebook.uri.toString());
  }

  private release(key: string): void {
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    for (const resolve of waiting) resolve();
  }

  private forget(key: string): void {
    this.dependencies.delete(key);
    this.debouncer.cancel(key);
    this.cache.delete(key);
    this.release(key);
  }

  private reanalyseAll(): void {
    this.generation++;
    this.cache.clear();
    this.scheduleOpenDocuments();
  }

  private notebookCells(notebook: vscode.NotebookDocument): vscode.TextDocument[] {
    return notebook.getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python')
      .map((c) => c.document);
  }

  private unitOf(document: vscode.TextDocument): Unit | undefined {
    if (!AnalysisService.accepts(document)) return undefined;
    if (document.uri.scheme === 'vscode-notebook-cell' && document.languageId === 'python') {
      const uri = document.uri.toString();
      const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === uri));
      if (notebook) return { kind: 'notebook', key: notebook.uri.toString(), notebook, cells: this.notebookCells(notebook) };
    }
    return { kind: 'document', key: document.uri.toString(), document };
  }

  private versionOf(unit: Unit): string {
    if (unit.kind === 'document') return `${this.generation}:${unit.document.version}:${this.dependencies.stamp(unit.key)}`;
    return `${this.generation}:${unit.cells.map((d) => `${d.uri.toString()}@${d.version}`).join('|')}`;
  }

  private run(unit: Unit): Promise<UnitResult> {
    const version = this.versionOf(unit);
    return this.cache.get(unit.key, version, () => this.compute(unit), (results) => {
      // Dropped when the text moved on while we computed: a newer run is already scheduled.
      const now = this.unitOf(unit.kind === 'document' ? unit.document : unit.cells[0]!);
      if (!now || this.versionOf(now) !== version) return;
      const docs = unit.kind === 'document' ? [unit.document] : unit.cells;
      for (const document of docs) {
        const result = results.get(document.uri.toString());
        if (result) this.emitter.fire({ document, result });
      }
    });
  }

  private async compute(unit: Unit, extra: AnalyzeOptions = {}): Promise<UnitResult> {
    // A lint rule that throws is skipped so the others still report; the output channel says which and why.
    const options: AnalyzeOptions = { ...analyzeOptions(this.config.current), onRuleError: (e) => this.log.error(describeRuleError(e)), ...extra };
    const started = Date.now();
    if (unit.kind === 'document') {
      const workspace = this.files?.optionsFor(unit.document);
      const result = await analyze(unit.document.getText(), unit.document.languageId, workspace ? { ...options, workspace } : options);
      if (workspace && !extra.curvesFor) this.dependencies.set(unit.key, result.dependencies ?? []);
      this.log.debug(`analysed ${unit.key} v${unit.document.version}: ${result.schedulers.length} scheduler(s) in ${Date.now() - started} ms`);
      return new Map([[unit.key, result]]);
    }
    const keys = unit.cells.map((d) => d.uri.toString());
    const joined = concatCells(unit.cells.map((d, i) => ({ key: keys[i]!, text: d.getText() })));
    const result = await analyze(joined.text, 'python', options);
    this.log.debug(`analysed notebook ${unit.key} (${unit.cells.length} cells): ${result.schedulers.length} scheduler(s) in ${Date.now() - started} ms`);
    return splitByCell(joined, keys, result);
  }

  dispose(): void {
    for (const key of [...this.waiters.keys()]) this.release(key);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
