/** A problem with the command line or its input file: reported in one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * By name, not `instanceof`: `plot` runs from its own bundle (dist/cli-plot.js, plotLoader.ts), which has
 * its own copy of the class.
 */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}
