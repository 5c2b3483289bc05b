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

/** The file's one scheduler (asserted), analysed in strict mode with the given assumed batches per epoch. */
export async function onlyScheduler(src: string, assumedStepsPerEpoch: number): Promise<SchedulerAnalysis> {
  const r = await analyze(src, 'python', { strict: true, assumedStepsPerEpoch });
  assert.strictEqual(r.schedulers.length, 1, r.schedulers.map((s) => s.kind).join(', '));
  return r.schedulers[0]!;
}

/** Group 0's curve has `n` values and, at each step k of `expected`, the value v (to 1e-12 relative). */
export function valuesAt(s: SchedulerAnalysis, expected: [number, number][], n: number): void {
  assert.ok(s.curve, s.error ?? '');
  const row = s.curve.lrs[0]!;
  assert.strictEqual(row.length, n);
  for (const [k, v] of expected) assert.ok(Math.abs(row[k]! - v) <= 1e-12 * Math.abs(v) + 1e-300, `${k}: ${row[k]} vs ${v}`);
}
