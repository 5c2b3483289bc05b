/**
 * Trailing-edge debouncing per key (one timer per document). Pure: the timer functions are
 * injected, so tests drive time by hand.
 */

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Runs the last action scheduled for a key once no new one arrived for `delayMs`. */
export class KeyedDebouncer {
  private readonly pending = new Map<string, unknown>();

  constructor(private readonly timers: Timers = realTimers) {}

  /** (Re)starts the key's timer; a previously scheduled action of the same key is dropped. */
  schedule(key: string, delayMs: number, action: () => void): void {
    this.cancel(key);
    const handle = this.timers.set(() => {
      this.pending.delete(key);
      action();
    }, Math.max(0, delayMs));
    this.pending.set(key, handle);
  }

  /** Drops the key's pending action, if any. */
  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) {
      this.timers.clear(handle);
      this.pending.delete(key);
    }
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}

/**
 * The adaptive debounce: how long to wait after a keystroke before re-analysing a document, from what its
 * last analysis cost (edit → result, measured per document). A small file (a few ms) redraws almost at once;
 * a huge one waits longer, so typing does not queue analyses that the next keystroke makes stale.
 *   delay = clamp(factor × lastCostMs, minMs, maxMs)
 * `maxMs` is `lrLens.debounceMs` (the upper bound; 0 turns debouncing off). Unknown cost (never analysed) → maxMs.
 */
export interface DebouncePolicy {
  /** Multiple of the document's analysis cost (recentCost). */
  factor: number;
  /** Floor: coalesces the events of one keystroke (auto-close, auto-indent) into one analysis. */
  minMs: number;
}

export const DEFAULT_DEBOUNCE_POLICY: DebouncePolicy = { factor: 1.5, minMs: 10 };

/** How many recent analyses of a document `recentCost` looks at. */
export const COST_SAMPLES = 3;

/**
 * A document's analysis cost for the debounce: the cheapest of its last COST_SAMPLES analyses (edit → result,
 * ms). The cheapest, because the outliers are one-off costs that the next analysis does not pay again: a
 * worker's first job (start-up, grammar compilation, cold JIT), reading the repository's files once.
 * Undefined with no sample.
 */
export function recentCost(samples: readonly number[]): number | undefined {
  const recent = samples.slice(-COST_SAMPLES).filter((x) => Number.isFinite(x) && x >= 0);
  return recent.length ? Math.min(...recent) : undefined;
}

/** Appends a sample, keeping the last COST_SAMPLES (returns a new array). */
export function withSample(samples: readonly number[] | undefined, ms: number): number[] {
  return [...(samples ?? []), ms].slice(-COST_SAMPLES);
}

export function adaptiveDebounceMs(lastCostMs: number | undefined, maxMs: number, policy: DebouncePolicy = DEFAULT_DEBOUNCE_POLICY): number {
  const max = Math.max(0, maxMs);
  if (lastCostMs === undefined || !Number.isFinite(lastCostMs) || lastCostMs < 0) return max;
  const want = Math.max(policy.minMs, policy.factor * lastCostMs);
  return Math.round(Math.min(max, want));
}
