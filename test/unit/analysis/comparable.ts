import type { AnalysisResult } from '../../../src/analysis/types';

/** A result without its timings (the only part that may differ between two analyses of one text). */
export function comparable(r: AnalysisResult): Omit<AnalysisResult, 'timing'> {
  const { timing: _timing, ...rest } = r;
  return rest;
}
