/**
 * What `activate()` returns: hooks for integration tests (and other extensions), so tests can
 * wait on events instead of sleeping.
 */
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import type { AnalysisRunner } from './analysisRunner';
import type { AnalysisService } from './analysisService';
import type { PanelTarget } from './previewPanel';
import type { PreviewManager } from './previewManager';
import type { RenderedReport } from '../protocol/protocol';
import { WorkerRunner } from './workerRunner';

export interface LrLensApi {
  /** The analysis of an open document's current version (waits for a pending debounce). */
  analysisFor(uri: string | vscode.Uri): Promise<AnalysisResult | undefined>;
  /** What the panel drew last (for `uri` when given). */
  getLastRendered(uri?: string): RenderedReport | undefined;
  /** Resolves with the next report that satisfies `predicate` (or rejects after `timeoutMs`). */
  waitForRender(predicate?: (r: RenderedReport) => boolean, timeoutMs?: number): Promise<RenderedReport>;
  /** What the panel shows now, or null without a panel. */
  panelTarget(): PanelTarget | null;
  /** Fires when a document's analysis for its current version is ready (latency measurements). */
  onDidAnalyze: vscode.Event<{ uri: string; version: number }>;
  /**
   * Where the analyses run: `kind` is 'worker thread' (desktop), 'web worker' (VS Code for the Web),
   * 'in-process' (the fallback) or 'none'; `fromWorkers` counts the results its workers answered so far.
   */
  analysisRunner(): { kind: string; fromWorkers: number };
}

export function createApi(analysis: AnalysisService, preview: PreviewManager, runner: AnalysisRunner): LrLensApi {
  return {
    async analysisFor(uri) {
      const key = uri.toString();
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      return document ? analysis.settled(document) : undefined;
    },
    getLastRendered: (uri) => preview.lastRendered(uri),
    waitForRender(predicate = () => true, timeoutMs = 10_000) {
      return new Promise<RenderedReport>((resolve, reject) => {
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`no matching render within ${timeoutMs} ms`));
        }, timeoutMs);
        const sub = preview.onDidRender((r) => {
          if (!predicate(r)) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(r);
        });
      });
    },
    panelTarget: () => preview.target,
    onDidAnalyze: (listener, thisArg, disposables) =>
      analysis.onDidAnalyze(({ document }) => listener.call(thisArg, { uri: document.uri.toString(), version: document.version }), undefined, disposables),
    analysisRunner: () => ({ kind: runner.kind, fromWorkers: runner instanceof WorkerRunner ? runner.answered : 0 }),
  };
}
