/**
 * Hand-made analysis results for the adapter tests (the real analysis is tested in
 * test/unit/language). Curves follow the torch formulas, computed here independently.
 */
import type { AnalysisResult, ArgInfo, Curve, Range, SchedulerAnalysis } from '../../../src/analysis/types';

export function range(line: number, start: number, endLine: number, end: number): Range {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

/** StepLR(lr0, step_size, gamma): lr_k = lr0 · gamma^⌊k / step_size⌋ (torch docs, closed form). */
export function stepLrValues(lr0: number, stepSize: number, gamma: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => lr0 * gamma ** Math.floor(k / stepSize));
}

export function arg(name: string, partial: Partial<ArgInfo> = {}): ArgInfo {
  return { name, range: null, text: '', known: true, display: '', isDefault: false, ...partial };
}

/** `sched = StepLR(opt, step_size=10, gamma=0.1)` on line `line`, 30 values from lr 0.1. */
export function stepScheduler(line = 3, partial: Partial<SchedulerAnalysis> = {}): SchedulerAnalysis {
  const lrs = [stepLrValues(0.1, 10, 0.1, 30)];
  const curve: Curve = {
    lrs,
    momentum: null,
    markers: [{ step: 10, kind: 'milestone', label: 'decay ×0.1' }, { step: 20, kind: 'milestone', label: 'decay ×0.1' }],
    summary: {
      start: 0.1, peak: { value: 0.1, step: 0 }, min: { value: 0.1 * 0.01, step: 20 }, final: 0.1 * 0.01,
      warmupEnd: null, restarts: [], milestones: [10, 20],
    },
  };
  return {
    id: `StepLR:${line}:8`,
    kind: 'StepLR',
    family: 'torch',
    unit: 'step',
    variable: 'sched',
    range: range(line, 8, line, 50),
    calleeRange: range(line, 8, line, 14),
    args: { step_size: 10, gamma: 0.1 },
    argInfo: [
      arg('step_size', { range: range(line, 30, line, 32), fullRange: range(line, 20, line, 32), text: '10', display: '10' }),
      arg('gamma', { range: range(line, 40, line, 43), fullRange: range(line, 34, line, 43), text: 'G', display: '0.1', origin: 'G = 0.1' }),
      arg('last_epoch', { display: '-1', isDefault: true }),
    ],
    optimizer: null,
    horizon: { steps: 30, source: 'step_size × 3' },
    curve,
    error: null,
    failure: null,
    diagnostics: [],
    notes: [],
    assumed: [],
    ...partial,
  };
}

export function result(schedulers: SchedulerAnalysis[], partial: Partial<AnalysisResult> = {}): AnalysisResult {
  return { languageId: 'python', schedulers, diagnostics: [], timing: { parse: 0, evaluate: 0, simulate: 0 }, ...partial };
}
