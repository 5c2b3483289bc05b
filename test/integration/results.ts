/**
 * The JSON summary of a run (the launcher counts and prints it), shared by the Node host's runner (index.ts)
 * and the web worker's (web/index.ts). Written with `vscode.workspace.fs` into the workspace folder's file
 * system (a `file:` URI in the Node host, `vscode-remote:` in the worker: the same disk either way).
 */
import * as vscode from 'vscode';

/** One test's outcome in the JSON summary. */
export interface TestResult { title: string; state: 'passed' | 'failed' | 'pending'; ms: number; error?: string }

/** The part of mocha's Runner both builds (npm mocha in Node, mocha's browser bundle in the worker) share. */
interface RunnerEvents {
  on(event: 'pass' | 'pending', fn: (t: { fullTitle(): string; duration?: number }) => void): unknown;
  on(event: 'fail', fn: (t: { fullTitle(): string; duration?: number }, err: Error) => void): unknown;
}

/** Collects every outcome of `runner` into the returned array. */
export function record(runner: RunnerEvents): TestResult[] {
  const results: TestResult[] = [];
  runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration ?? 0 }));
  runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending', ms: 0 }));
  // 'fail' also fires for hooks; record them too, since a failed hook skips its tests.
  runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', ms: t.duration ?? 0, error: String(err?.stack ?? err).slice(0, 2000) }));
  return results;
}

/** Writes the summary to the absolute path `file` on the workspace's disk. */
export async function writeResults(file: string, results: TestResult[]): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = folder ? folder.with({ path: file }) : vscode.Uri.file(file);
  const summary = {
    passed: results.filter((r) => r.state === 'passed').length,
    failed: results.filter((r) => r.state === 'failed').length,
    pending: results.filter((r) => r.state === 'pending').length,
    tests: results,
  };
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(summary, null, 2)));
}
