/** Words for what one value index of a curve is (SchedulerAnalysis.unit), shared by the views and the CLI. */
import type { StepUnitName } from './types';

/** `steps`, `optimizer updates`, `epochs`, `iterations`. */
export function unitPlural(unit: StepUnitName | undefined): string {
  return `${unit ?? 'step'}s`;
}

/** `step`, `optimizer update`, `epoch`, `iteration` (the x-axis title). */
export function unitSingular(unit: StepUnitName | undefined): string {
  return unit ?? 'step';
}
