/** The last fallback: no analysis can run here (the reason says why); every job rejects with it. Host-neutral. */
import type { AnalysisResult } from '../analysis/types';
import type { AnalysisRunner } from './analysisRunner';

export class NoRunner implements AnalysisRunner {
  readonly kind = 'none';
  constructor(private readonly reason: string) {}
  run(): Promise<AnalysisResult> {
    return Promise.reject(new Error(`no analysis: ${this.reason}`));
  }
  invalidate(): void {}
  dispose(): void {}
}
