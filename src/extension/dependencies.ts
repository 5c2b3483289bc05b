/**
 * Which analyses read which other files (a module it imports, a config it loads), so that a change
 * to one of them re-analyses its dependants: each key (a document's URI) has a stamp, bumped when a
 * file it depends on changes, and part of the version its cached analysis is kept under. Pure: no
 * `vscode` (the watcher is in workspaceFiles.ts).
 */
export class DependencyIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byPath = new Map<string, Set<string>>();
  private readonly stamps = new Map<string, number>();

  /** Records the files the latest analysis of `key` looked at (found or not), replacing the previous set. */
  set(key: string, paths: readonly string[]): void {
    this.delete(key, false);
    const set = new Set(paths);
    this.byKey.set(key, set);
    for (const p of set) {
      let keys = this.byPath.get(p);
      if (!keys) this.byPath.set(p, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Forgets `key` (its document closed). */
  delete(key: string, stamp = true): void {
    for (const p of this.byKey.get(key) ?? []) {
      const keys = this.byPath.get(p);
      keys?.delete(key);
      if (keys && !keys.size) this.byPath.delete(p);
    }
    this.byKey.delete(key);
    if (stamp) this.stamps.delete(key);
  }

  /** A file changed: the keys whose analysis read it, each with its stamp bumped (their cached results are stale). */
  changed(path: string): string[] {
    const keys = [...(this.byPath.get(path) ?? [])];
    for (const k of keys) this.stamps.set(k, (this.stamps.get(k) ?? 0) + 1);
    return keys;
  }

  /** Part of `key`'s analysis version: changes when a file it depends on changes. */
  stamp(key: string): number {
    return this.stamps.get(key) ?? 0;
  }

  dependencies(key: string): string[] {
    return [...(this.byKey.get(key) ?? [])];
  }
}
