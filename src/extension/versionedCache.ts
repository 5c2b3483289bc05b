/**
 * One computation per (key, version): the analysis cache behind hover, CodeLens, diagnostics
 * and the panel. Only the newest version of a key is kept; a result that finishes after a newer
 * version was requested is still returned to whoever asked for it, but never cached and never
 * announced (stale results are dropped). Pure: no `vscode`.
 */

interface Entry<T> {
  version: string;
  promise: Promise<T>;
  value?: { ok: T };
}

export class VersionedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * The value for `key` at `version`, computing it at most once. `onFresh` runs when a
   * computation finishes and its version is still the newest requested for the key.
   */
  get(key: string, version: string, compute: () => Promise<T>, onFresh?: (value: T) => void): Promise<T> {
    const existing = this.entries.get(key);
    if (existing && existing.version === version) return existing.promise;
    const entry: Entry<T> = { version, promise: Promise.resolve() as Promise<unknown> as Promise<T> };
    entry.promise = compute().then(
      (value) => {
        if (this.entries.get(key) === entry) {
          entry.value = { ok: value };
          onFresh?.(value);
        }
        return value;
      },
      (err: unknown) => {
        // A failed computation is not cached: the next request retries.
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw err;
      },
    );
    this.entries.set(key, entry);
    return entry.promise;
  }

  /** The finished value for `key` at exactly `version`, or undefined. */
  peek(key: string, version: string): T | undefined {
    const e = this.entries.get(key);
    return e && e.version === version ? e.value?.ok : undefined;
  }

  /** true when `version` is the newest requested for `key`. */
  isCurrent(key: string, version: string): boolean {
    return this.entries.get(key)?.version === version;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
  }
}
