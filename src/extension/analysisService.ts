/**
 * One analysis per document version, shared by hover, CodeLens, diagnostics and the panel.
 * Edits are debounced (trailing edge) by a delay that follows the document's recent analysis times
 * (debounce.ts `adaptiveDebounceMs`, `lrLens.debounceMs` the upper bound); the analysis itself runs
 * in an AnalysisRunner (a worker thread on the desktop, analysisRunner.ts); results of versions that were
 * superseded while they computed are dropped. A notebook's Python cells are analysed together
 * and the result is split back per cell (notebook.ts).
 */
import * as vscode from 'vscode';
import { concatCells } from '../frontends/notebook';
import type { AnalysisResult } from '../analysis/types';
import { isSuperseded, type AnalysisJob, type AnalysisRunner, type JobOptions } from './analysisRunner';
import { analysisSettingsChanged, analyzeOptions } from './config';
import type { ConfigStore } from './configStore';
import { adaptiveDebounceMs, KeyedDebouncer, recentCost, withSample } from './debounce';
import { guard, describeError } from './guard';
import { LANGUAGE_IDS } from './ids';
import { splitByCell } from './notebook';
import { VersionedCache } from './versionedCache';
import { DependencyIndex } from './dependencies';
import type { FileChange, WorkspaceFiles } from './workspaceFiles';

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
  /** Per unit key: what its last analyses cost, edit → result (ms); sets the next debounce (debounce.ts). */
  private readonly costs = new Map<string, number[]>();

  /** Fires when a document's analysis for its current version is ready. */
  readonly onDidAnalyze = this.emitter.event;

  constructor(
    private readonly config: ConfigStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly files: WorkspaceFiles | undefined,
    private readonly runner: AnalysisRunner,
  ) {
    const on = <A extends unknown[]>(what: string, fn: (...args: A) => unknown) => guard(log, what, fn);
    if (files) {
      this.disposables.push(files.onDidChangeFile(on('file change', ({ path, created }: FileChange) => {
        // The runner keeps the files it read (in the worker): forget this one there too.
        this.runner.invalidate(path, created);
        for (const key of this.dependencies.changed(path)) {
          const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
          if (document) this.schedule(document);
        }
      })));
    }
    this.disposables.push(
      this.emitter,
      runner,
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
        if (analysisSettingsChanged(previous, current)) this.reanalyseAll();
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
    try {
      const results = await this.run(unit);
      return results.get(document.uri.toString());
    } catch (e) {
      // A newer edit replaced this version's analysis before it started: that one will be announced.
      if (isSuperseded(e)) return undefined;
      throw e;
    }
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
  async analyzeWith(document: vscode.TextDocument, extra: JobOptions): Promise<AnalysisResult | undefined> {
    const unit = this.unitOf(document);
    if (!unit) return undefined;
    try {
      return (await this.compute(unit, extra, withLane(unit.key))).get(document.uri.toString());
    } catch (e) {
      if (isSuperseded(e)) return undefined;
      throw e;
    }
  }

  /** Schedules (debounced) analyses of every open document we handle, e.g. at start-up. */
  scheduleOpenDocuments(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  // ---- internals --------------------------------------------------------------------------

  private schedule(document: vscode.TextDocument, delay?: number): void {
    const unit = this.unitOf(document);
    if (!unit) return;
    const wait = delay ?? adaptiveDebounceMs(recentCost(this.costs.get(unit.key) ?? []), this.config.current.debounceMs);
    this.debouncer.schedule(unit.key, wait, () => {
      const current = this.unitOf(document) ?? unit;
      void this.run(current)
        .catch((e) => {
          if (!isSuperseded(e)) this.log.error(`analysis of ${unit.key} failed: ${describeError(e)}`);
        })
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
    this.costs.delete(key);
    this.release(key);
    // Its lanes' incremental state (the last tree and curves kept for the next edit).
    this.runner.forget?.(key);
    this.runner.forget?.(withLane(key));
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

  /** Analyses the unit in the runner; `lane` is the runner's supersession key (the unit's own for the main analysis). */
  private async compute(unit: Unit, extra: JobOptions = {}, lane = unit.key): Promise<UnitResult> {
    const options: JobOptions = { ...analyzeOptions(this.config.current), ...extra };
    // A lint rule that throws is skipped so the others still report; the output channel says which and why.
    const onRuleError = (message: string) => this.log.error(message);
    const started = performance.now();
    const measured = (what: string, result: AnalysisResult) => {
      const ms = performance.now() - started;
      if (lane === unit.key) this.costs.set(unit.key, withSample(this.costs.get(unit.key), ms));
      this.log.debug(`analysed ${what}: ${result.schedulers.length} scheduler(s) in ${ms.toFixed(1)} ms (${this.runner.kind})`);
    };
    if (unit.kind === 'document') {
      const workspace = this.files?.optionsFor(unit.document);
      const job: AnalysisJob = { key: lane, text: unit.document.getText(), languageId: unit.document.languageId, options };
      // The repository's other files are read on the host (vscode.workspace.fs), asked for by the runner.
      if (workspace) job.workspace = { root: workspace.root, file: workspace.file };
      const result = await this.runner.run(job, { onRuleError, readFile: workspace?.host.readFile, listFiles: workspace?.host.listFiles });
      if (workspace && !extra.curvesFor) this.dependencies.set(unit.key, result.dependencies ?? []);
      measured(`${unit.key} v${unit.document.version}`, result);
      return new Map([[unit.key, result]]);
    }
    const keys = unit.cells.map((d) => d.uri.toString());
    const joined = concatCells(unit.cells.map((d, i) => ({ key: keys[i]!, text: d.getText() })));
    const result = await this.runner.run({ key: lane, text: joined.text, languageId: 'python', options }, { onRuleError });
    measured(`notebook ${unit.key} (${unit.cells.length} cells)`, result);
    return splitByCell(joined, keys, result);
  }

  dispose(): void {
    for (const key of [...this.waiters.keys()]) this.release(key);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The runner lane of a document's analyses with other options (the panel's steps, one curve). */
function withLane(key: string): string {
  return `${key}#with`;
}
