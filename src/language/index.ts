/**
 * The language layer's entry point: source text in, schedulers with curves and
 * diagnostics out. Used by the VS Code adapters, the CLI and the tests.
 */
import type { AnalysisResult, AnalyzeOptions } from './types';

export * from './types';

/**
 * Analyses one document. Never throws: every problem is reported in the result.
 * TEMPORARY STUB (returns nothing) until the frontends land; the signature is final.
 */
export async function analyze(_text: string, languageId: string, _options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  return { languageId, schedulers: [], diagnostics: [], timing: { parse: 0, evaluate: 0, simulate: 0 } };
}
