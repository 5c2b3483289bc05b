/**
 * The analysis on the caller's own thread, imported directly: the unit tests' and the bench's runner, and
 * `jobOptions` for workerCore.ts. The extension does not import it (its bundles carry no analysis): its in-process
 * fallback runs the worker bundle on the host's thread instead (inThreadWorker.ts).
 */
import { analyze } from '../analysis/analyze';
import { DocumentSessions } from '../analysis/incremental';
import { WorkspaceCache } from '../analysis/workspace';
import { describeRuleError } from '../lint';
import type { AnalysisResult, AnalyzeOptions } from '../analysis/types';
import type { AnalysisJob, AnalysisRunner, JobHooks } from './analysisRunner';

/** The AnalyzeOptions of a job: its plain options, the hooks as callbacks, the workspace files read through `cache`. */
export function jobOptions(job: AnalysisJob, hooks: JobHooks, cache: WorkspaceCache, cancelled?: () => boolean): AnalyzeOptions {
  const { onRuleError, readFile, listFiles } = hooks;
  const options: AnalyzeOptions = { ...job.options, onRuleError: (e) => onRuleError?.(describeRuleError(e)) };
  if (cancelled) options.cancelled = cancelled;
  if (job.workspace && readFile) options.workspace = { ...job.workspace, cache, host: listFiles ? { readFile, listFiles } : { readFile } };
  return options;
}

export class InProcessRunner implements AnalysisRunner {
  readonly kind = 'in-process';
  private readonly cache = new WorkspaceCache();
  /** Each document's incremental state (its last tree and simulations), for the last few documents. */
  private readonly sessions = new DocumentSessions(() => undefined);

  run(job: AnalysisJob, hooks: JobHooks = {}): Promise<AnalysisResult> {
    return analyze(job.text, job.languageId, jobOptions(job, hooks, this.cache), this.sessions.get(job.key).session);
  }

  invalidate(path: string, created = false): void {
    this.cache.invalidate(path, created);
  }

  forget(key: string): void {
    this.sessions.delete(key);
  }

  dispose(): void {
    this.cache.clear();
    this.sessions.clear();
  }
}
