/**
 * Every provider and handler runs through these wrappers: an exception becomes a log line in
 * the "LR Lens" output channel and a neutral result, never an error in the extension host.
 */
import type * as vscode from 'vscode';

/** Message of an unknown thrown value, with its stack when there is one. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

/** Runs `fn`; on exception or rejection logs it under `what` and returns `fallback`. */
export async function guarded<T>(log: vscode.LogOutputChannel, what: string, fallback: T, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    log.error(`${what} failed: ${describeError(e)}`);
    return fallback;
  }
}

/** Wraps an event handler: errors are logged, never rethrown into VS Code's event loop. */
export function guard<A extends unknown[]>(log: vscode.LogOutputChannel, what: string, fn: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => {
    void guarded(log, what, undefined, () => fn(...args));
  };
}
