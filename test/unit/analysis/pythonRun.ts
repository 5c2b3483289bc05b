/** Shared by the training-loop tests: a Python source analysed in strict mode, a scheduler by its variable, its last lr. */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';

export async function run(src: string): Promise<AnalysisResult> {
  return analyze(src, 'python', { strict: true });
}

export function byVar(r: AnalysisResult, v: string): SchedulerAnalysis {
  const s = r.schedulers.find((x) => x.variable === v);
  assert.ok(s, `no ${v}: ${r.schedulers.map((x) => x.variable).join(', ')}`);
  return s;
}

export const last = (s: SchedulerAnalysis): number => {
  const row = s.curve!.lrs[0]!;
  return row[row.length - 1]!;
};
