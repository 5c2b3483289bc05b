/**
 * ReduceLROnPlateau's honest preview (docs/torch-schedulers.md §2.13 point 2): the fastest
 * decay torch allows, i.e. the staircase when the metric never improves. This is
 * an envelope — the real curve is at or above it — never a prediction.
 */
import { buildProgram } from './build';
import { ReduceLROnPlateau } from './schedulers';
import { NO_RULE, type Program, type TorchFailure } from './types';

/** The fastest-decay staircase of a ReduceLROnPlateau (see plateauEnvelope). */
export interface PlateauEnvelope {
  /** Always 'fastest-decay': the lowest curve torch can produce, not the expected one. */
  kind: 'fastest-decay';
  /** lrs[g][k] after k calls of `step(metric)` with a metric that never improves; null on a construction error. */
  lrs: Float64Array[] | null;
  /** Value indices where a reduction takes effect. */
  cuts: number[];
  /** Per group: the most reductions that can ever take effect, ⌈ln(min_lr/lr)/ln(factor)⌉, or null if unbounded/none. */
  maxReductions: (number | null)[];
  error: TorchFailure | null;
}

/** The fastest-decay staircase of the ReduceLROnPlateau at `program.schedulers[target]`. Never throws. */
export function plateauEnvelope(program: Program, target: number, steps: number): PlateauEnvelope {
  const n = Math.max(1, Math.floor(Number.isFinite(steps) ? steps : 1));
  const built = buildProgram(program, target);
  const s = built.target;
  if (!(s instanceof ReduceLROnPlateau)) {
    const error = built.targetFailure ?? { type: 'TypeError', message: 'not a ReduceLROnPlateau', phase: 'construct' as const, step: null, rule: NO_RULE };
    return { kind: 'fastest-decay', lrs: null, cuts: [], maxReductions: [], error };
  }
  const maxReductions = s.groups.map((g, i) => {
    const min = s.minLrs[i]!;
    if (!(s.factor > 0) || !(min > 0) || !(g.lr > min)) return null;
    return Math.ceil(Math.log(min / g.lr) / Math.log(s.factor));
  });
  const { lrs, cuts } = s.staircase(n);
  return { kind: 'fastest-decay', lrs, cuts, maxReductions, error: null };
}
