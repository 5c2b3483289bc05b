/**
 * Reading the repository around the analysed file: its own modules and config files. Reading goes
 * through a host (`vscode.workspace.fs` in the extension, so it works in the browser and on remote
 * workspaces; `fs` in the CLI); the evaluator is synchronous, so the pipeline reads beforehand:
 * the file's imports (and theirs, bounded) are read and parsed first, the evaluation then runs on
 * a synchronous view, and a file it asks for that was not read yet (a config path computed at run
 * time, a `sys.path` folder) is read before one more evaluation (a few rounds at most). Texts and
 * frozen module trees are cached across analyses (`WorkspaceCache`) until the host says a file
 * changed (`invalidate`). Paths are absolute POSIX paths; only files inside the root are read.
 */
import type { Parser } from '@vscode/tree-sitter-wasm';
import { parseWith } from '../frontends/parser';
import {
  foreignIdBase, importsOf, dirname, LIBRARY_ROOTS, MAX_IMPORT_DEPTH, moduleCandidates, type FileView,
} from '../frontends/python/modules';
import { freeze, type FrozenNode, type SyntaxNode } from '../frontends/python/syntax';

/** What the host provides: reading a file (undefined when it does not exist or cannot be read). */
export interface WorkspaceHost {
  readFile(path: string): Promise<Uint8Array | undefined>;
}

export interface WorkspaceOptions {
  host: WorkspaceHost;
  /** Absolute POSIX path of the folder imports are resolved from (the repository's root). */
  root: string;
  /** Absolute POSIX path of the analysed file. */
  file: string;
  /** Kept across analyses by the caller (the extension: one per session; the CLI: one per run). */
  cache?: WorkspaceCache;
}

/** Files larger than this are not read (a generated module, a data file named like a config). */
export const MAX_FILE_BYTES = 1_000_000;
/** Evaluation rounds at most (each reads the files the previous one asked for). */
export const MAX_ROUNDS = 4;

interface TextEntry { text: string | undefined }
interface TreeEntry { text: string; root: FrozenNode | undefined }

/** Texts and frozen module trees by path, valid until `invalidate(path)`. */
export class WorkspaceCache {
  private readonly texts = new Map<string, TextEntry>();
  private readonly trees = new Map<string, TreeEntry>();
  private readonly reading = new Map<string, Promise<void>>();

  /** Forgets a file (changed, created or deleted). */
  invalidate(path: string): void {
    this.texts.delete(path);
    this.trees.delete(path);
  }

  clear(): void {
    this.texts.clear();
    this.trees.clear();
  }

  has(path: string): boolean {
    return this.texts.has(path);
  }

  text(path: string): string | undefined | null {
    const e = this.texts.get(path);
    return e ? e.text : null;
  }

  /** Reads `path` through the host unless cached (absent files are cached as absent). */
  read(host: WorkspaceHost, path: string): Promise<void> {
    if (this.texts.has(path)) return Promise.resolve();
    let p = this.reading.get(path);
    if (!p) {
      p = (async () => {
        let text: string | undefined;
        try {
          const bytes = await host.readFile(path);
          text = bytes && bytes.byteLength <= MAX_FILE_BYTES ? new TextDecoder('utf-8').decode(bytes) : undefined;
        } catch {
          text = undefined;
        }
        this.texts.set(path, { text });
      })().finally(() => this.reading.delete(path));
      this.reading.set(path, p);
    }
    return p;
  }

  /** A module's frozen tree (parsed once per text), undefined when absent or unparsable, null when not read. */
  tree(path: string, parser: Parser): FrozenNode | undefined | null {
    const text = this.text(path);
    if (text === null || text === undefined) return text;
    const hit = this.trees.get(path);
    if (hit && hit.text === text) return hit.root;
    const tree = parseWith(parser, text);
    let root: FrozenNode | undefined;
    try {
      root = tree ? freeze(tree.rootNode, text, foreignIdBase(path)) : undefined;
    } finally {
      tree?.delete();
    }
    this.trees.set(path, { text, root });
    return root;
  }
}

/** One analysis's view of the workspace: what the evaluator asked for, and what it could not have yet. */
export class WorkspaceSession implements FileView {
  readonly root: string;
  readonly file: string;
  private readonly cache: WorkspaceCache;
  /** Paths asked for and not read yet. */
  readonly wanted = new Set<string>();
  /** Every path the analysis looked at (found or not): the files whose change re-analyses this one. */
  readonly used = new Set<string>();

  constructor(private readonly opts: WorkspaceOptions, private readonly parser: Parser) {
    this.root = opts.root;
    this.file = opts.file;
    this.cache = opts.cache ?? new WorkspaceCache();
  }

  /** Only files inside the root are read: a script naming `/etc/…` or another user's folder gets nothing. */
  private inside(path: string): boolean {
    const r = this.root.endsWith('/') ? this.root : `${this.root}/`;
    return path.startsWith(r) && !path.split('/').includes('..');
  }

  text(path: string): string | undefined | null {
    if (!this.inside(path)) return undefined;
    this.used.add(path);
    const t = this.cache.text(path);
    if (t === null) this.wanted.add(path);
    return t;
  }

  module(path: string): FrozenNode | undefined | null {
    if (!this.inside(path)) return undefined;
    this.used.add(path);
    const t = this.cache.tree(path, this.parser);
    if (t === null) this.wanted.add(path);
    return t;
  }

  /** Reads what the last evaluation asked for; false when there was nothing to read. */
  async readWanted(): Promise<boolean> {
    if (!this.wanted.size) return false;
    const paths = [...this.wanted];
    this.wanted.clear();
    await Promise.all(paths.map((p) => this.cache.read(this.opts.host, p)));
    return true;
  }

  /**
   * Reads the modules `root`'s imports may name, and theirs, MAX_IMPORT_DEPTH deep, before the first
   * evaluation (so that usually one evaluation suffices). Candidates that do not exist are cached as absent.
   */
  async prefetch(start: SyntaxNode): Promise<void> {
    let frontier: { file: string; node: SyntaxNode }[] = [{ file: this.file, node: start }];
    const seen = new Set<string>([this.file]);
    const dirs = [dirname(this.file), this.root];
    for (let depth = 0; depth < MAX_IMPORT_DEPTH && frontier.length; depth++) {
      const paths = new Set<string>();
      const add = (p: string) => { if (this.inside(p)) paths.add(p); };
      for (const { file, node } of frontier) {
        for (const imp of importsOf(node)) {
          if (imp.level === 0 && LIBRARY_ROOTS.has(imp.name.split('.')[0]!)) continue;
          const parts = imp.name ? imp.name.split('.') : [];
          // The module and each parent package; `from . import x`: x is a submodule. (`from m import x` where x is a
          // submodule rather than a name of m is read when the evaluation asks for it: most names are not modules.)
          for (let i = 1; i <= parts.length; i++) moduleCandidates(parts.slice(0, i).join('.'), imp.level, file, dirs).forEach(add);
          if (imp.level > 0 && !parts.length) {
            moduleCandidates('', imp.level, file, dirs).forEach(add);
            for (const n of imp.names) moduleCandidates(n, imp.level, file, dirs).forEach(add);
          }
        }
      }
      await Promise.all([...paths].map((p) => this.cache.read(this.opts.host, p)));
      const next: typeof frontier = [];
      for (const p of paths) {
        if (seen.has(p)) continue;
        seen.add(p);
        const t = this.cache.tree(p, this.parser);
        if (t) next.push({ file: p, node: t });
      }
      frontier = next;
    }
  }
}
