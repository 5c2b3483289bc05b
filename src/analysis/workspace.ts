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
  foreignIdBase, importsOf, dirname, joinPath, LIBRARY_ROOTS, MAX_IMPORT_DEPTH, moduleCandidates, type FileView, type ImportInfo,
} from '../frontends/python/modules';
import { freeze, FREEZE_DEPTH, type FrozenNode, type SyntaxNode } from '../frontends/python/syntax';
import { callableDefs } from '../frontends/python/callers';

/** What the host provides: reading a file (undefined when it does not exist or cannot be read). */
export interface WorkspaceHost {
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * The workspace's Python files under `root` (absolute POSIX paths), at most `limit` of them, skipping
   * `.git`, `node_modules`, virtual environments and caches: where calls of the analysed file's functions are
   * looked for (callers.ts). Optional: without it only the file's own calls are followed.
   */
  listFiles?(root: string, limit: number): Promise<string[]>;
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
/** Python files listed at most when looking for the callers of the analysed file's functions. */
export const MAX_LISTED_FILES = 2000;
/** Files read to look for callers, and their bytes, at most per analysis (cached texts are not read again). */
const MAX_CALLER_SCANS = 400;
const MAX_CALLER_SCAN_BYTES = 16_000_000;
/** Caller files evaluated at most per analysis. */
export const MAX_CALLERS = 8;

/** One decoder for every file read (stateless between calls: `decode` without `stream`). */
const UTF8 = new TextDecoder('utf-8');

/** The number of '/' in `p` (its depth), without making the parts. */
function slashes(p: string): number {
  let n = 0;
  for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) n++;
  return n;
}

interface TextEntry { text: string | undefined }
interface TreeEntry { text: string; root: FrozenNode | undefined }

/** Texts and frozen module trees by path, valid until `invalidate(path)`. */
export class WorkspaceCache {
  private readonly texts = new Map<string, TextEntry>();
  private readonly trees = new Map<string, TreeEntry>();
  private readonly reading = new Map<string, Promise<void>>();
  /** The host's listing of the Python files per root (see `listing`). */
  private readonly listings = new Map<string, Promise<string[]>>();
  private readonly listed = new Map<string, Set<string>>();
  /** The import statements of files whose tree is not kept (see `imports`), per text. */
  private readonly importLists = new Map<string, { text: string; imports: ImportInfo[] | undefined }>();
  /** The callers' prefilter per file: its verdict for one text and one question (module and function names). */
  private readonly scans = new Map<string, { text: string; key: string; hit: boolean }>();

  /**
   * Forgets a file (changed, created or deleted). A created Python file not listed yet drops the listings; an edit
   * never does (typing in a file outside a listing — another root, past the listing's limit — must not re-list).
   */
  invalidate(path: string, created = false): void {
    this.texts.delete(path);
    this.trees.delete(path);
    this.importLists.delete(path);
    this.scans.delete(path);
    if (created && path.endsWith('.py') && [...this.listed.values()].some((l) => !l.has(path))) {
      this.listings.clear();
      this.listed.clear();
    }
  }

  clear(): void {
    this.texts.clear();
    this.trees.clear();
    this.importLists.clear();
    this.scans.clear();
    this.listings.clear();
    this.listed.clear();
  }

  /** `test(text)` for `path`'s text, remembered per text and `key` (the callers' substring prefilter, see `findCallers`). */
  scan(path: string, text: string, key: string, test: (text: string) => boolean): boolean {
    const hit = this.scans.get(path);
    if (hit && hit.key === key && hit.text === text) return hit.hit;
    const verdict = test(text);
    this.scans.set(path, { text, key, hit: verdict });
    return verdict;
  }

  /** The host's Python files under `root`, listed once until a Python file is created (empty without `listFiles`). */
  listing(host: WorkspaceHost, root: string): Promise<string[]> {
    if (!host.listFiles) return Promise.resolve([]);
    let p = this.listings.get(root);
    if (!p) {
      p = host.listFiles(root, MAX_LISTED_FILES).then((l) => l.slice(0, MAX_LISTED_FILES), () => []);
      this.listings.set(root, p);
      void p.then((l) => { if (this.listings.get(root) === p) this.listed.set(root, new Set(l)); });
    }
    return p;
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
          text = bytes && bytes.byteLength <= MAX_FILE_BYTES ? UTF8.decode(bytes) : undefined;
        } catch {
          text = undefined;
        }
        this.texts.set(path, { text });
      })().finally(() => this.reading.delete(path));
      this.reading.set(path, p);
    }
    return p;
  }

  /**
   * A module's import statements (`importsOf`, as read from its frozen tree), undefined when absent or unparsable,
   * null when not read. From the frozen tree when one is kept; else from a parse that is not frozen nor kept, the
   * list kept per text: most modules the prefetch reads are never entered by the evaluation, and most files the
   * callers' prefilter passes import nothing of the analysed file (freezing each, to read its imports, cost as much
   * as parsing it; an entered module is parsed again to be frozen, `tree`).
   */
  imports(path: string, parser: Parser): ImportInfo[] | undefined | null {
    const text = this.text(path);
    if (text === null || text === undefined) return text;
    const hit = this.trees.get(path);
    if (hit && hit.text === text) return hit.root ? importsOf(hit.root) : undefined;
    const listed = this.importLists.get(path);
    if (listed && listed.text === text) return listed.imports;
    const tree = parseWith(parser, text);
    let imports: ImportInfo[] | undefined;
    try {
      // The frozen copy is cut FREEZE_DEPTH deep: the live tree is read no deeper.
      imports = tree ? importsOf(tree.rootNode, FREEZE_DEPTH) : undefined;
    } finally {
      tree?.delete();
    }
    this.importLists.set(path, { text, imports });
    return imports;
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
  /** Files that import this one and may call its functions (`findCallers`), evaluated by callers.ts. */
  callers: string[] = [];

  constructor(private readonly opts: WorkspaceOptions, private readonly parser: Parser) {
    this.root = opts.root;
    this.file = opts.file;
    this.cache = opts.cache ?? new WorkspaceCache();
  }

  /** Only files inside the root are read: a script naming `/etc/…` or another user's folder gets nothing. */
  private inside(path: string): boolean {
    const r = this.root.endsWith('/') ? this.root : `${this.root}/`;
    // No `..` segment (tested without splitting: the prefetch asks this of every candidate path).
    return path.startsWith(r) && !path.includes('/../') && !path.endsWith('/..') && !path.startsWith('../') && path !== '..';
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
    await this.prefetchFrom([{ file: this.file, imports: importsOf(start) }]);
  }

  /**
   * Each level's modules are read and their imports listed (`WorkspaceCache.imports`: parsed, not frozen; the list
   * kept per text); a module is frozen when the evaluation enters it (`module`). A package's `__init__` names most of
   * it, and the evaluation enters few of them: of pytorch_geometric's 562 modules an example's imports reach, 89.
   */
  private async prefetchFrom(start: { file: string; imports: readonly ImportInfo[] }[]): Promise<void> {
    let frontier = start;
    const seen = new Set<string>(start.map((s) => s.file));
    // The folders the loader searches (ModuleLoader.searchDirs, without sys.path additions): the script's, the root and
    // the root's `src/`. Without `src/` here, every import not found elsewhere asked for src/ candidates during the
    // evaluation, and the file was evaluated a second time once they were read.
    const dirs = [...new Set([dirname(this.file), this.root, joinPath(this.root, 'src')])];
    for (let depth = 0; depth < MAX_IMPORT_DEPTH && frontier.length; depth++) {
      const paths = new Set<string>();
      const add = (p: string) => { if (this.inside(p)) paths.add(p); };
      for (const { file, imports } of frontier) {
        for (const imp of imports) {
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
      // `from pkg import x` where `pkg` is neither a module nor a package of the workspace: `pkg` may be a folder without
      // `__init__.py` (a namespace package, flax's `from configs import default`), so its names are read as submodules
      // now, in one more batch, rather than by another evaluation round when the loader asks (modules.ts importBindings).
      const more = new Set<string>();
      for (const { file, imports } of frontier) {
        for (const imp of imports) {
          if (imp.level !== 0 || !imp.name || !imp.names.length || LIBRARY_ROOTS.has(imp.name.split('.')[0]!)) continue;
          if (moduleCandidates(imp.name, 0, file, dirs).some((c) => this.inside(c) && typeof this.cache.text(c) === 'string')) continue;
          for (const n of imp.names) for (const c of moduleCandidates(`${imp.name}.${n}`, 0, file, dirs)) if (this.inside(c) && !paths.has(c)) more.add(c);
        }
      }
      await Promise.all([...more].map((p) => this.cache.read(this.opts.host, p)));
      for (const p of more) paths.add(p);
      // The last level's imports are not followed: its modules are only read.
      if (depth === MAX_IMPORT_DEPTH - 1) break;
      const next: typeof frontier = [];
      for (const p of paths) {
        if (seen.has(p)) continue;
        seen.add(p);
        const imports = this.cache.imports(p, this.parser);
        if (imports) next.push({ file: p, imports });
      }
      frontier = next;
    }
  }

  /**
   * Finds the workspace's files that call this file's functions (`callableDefs`: the module-level
   * functions and classes that may build a scheduler), for callers.ts: the host's listing (nearest
   * folders first), a plain substring test on each text (the module's name and a function's name,
   * a prefilter only), then the candidates' imports resolved to this file. Bounded in files read,
   * bytes and callers; the callers are dependencies of the analysis, and their imports are read too.
   */
  async findCallers(start: SyntaxNode): Promise<void> {
    const host = this.opts.host;
    if (!host.listFiles) return;
    const names = [...new Set([...callableDefs(start).keys()].map((n) => n.split('.')[0]!))];
    if (!names.length) return;
    const base = this.file.slice(this.file.lastIndexOf('/') + 1);
    const stem = base === '__init__.py' ? dirname(this.file).slice(dirname(dirname(this.file)).length + 1) : base.replace(/\.py$/, '');
    const here = dirname(this.file);
    const key = `${stem}\u0000${names.join('\u0000')}`;
    // Nearest first: the file's folder, then shallow paths (scripts at the root, `tools/train.py`). Each path's
    // rank is computed once, not in every comparison.
    const ranked = (await this.cache.listing(host, this.root))
      .filter((p) => p !== this.file && p.endsWith('.py') && this.inside(p))
      .map((p) => ({ p, here: dirname(p) === here ? 0 : 1, depth: slashes(p) }));
    ranked.sort((a, b) => a.here - b.here || a.depth - b.depth || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
    const listing = ranked.map((r) => r.p);
    const found: string[] = [];
    let scanned = 0;
    let bytes = 0;
    const BATCH = 32;
    scan: for (let i = 0; i < listing.length && scanned < MAX_CALLER_SCANS; i += BATCH) {
      const batch = listing.slice(i, Math.min(i + BATCH, i + MAX_CALLER_SCANS - scanned));
      await Promise.all(batch.map((p) => this.cache.read(host, p)));
      for (const p of batch) {
        scanned++;
        const text = this.cache.text(p);
        if (!text) continue;
        bytes += text.length;
        if (bytes > MAX_CALLER_SCAN_BYTES) break scan;
        if (!this.cache.scan(p, text, key, (t) => t.includes(stem) && names.some((n) => t.includes(n)))) continue;
        const imports = this.cache.imports(p, this.parser);
        if (!imports || !this.importsThis(imports, p)) continue;
        // A caller: its edits change this analysis. (Not every file the prefilter passes: `main` and `train` are in
        // many files, and each of their edits would re-analyse this one; a file that starts importing it counts
        // from this file's next analysis.)
        this.used.add(p);
        found.push(p);
        if (found.length >= MAX_CALLERS) break scan;
      }
    }
    this.callers = found;
    await this.prefetchFrom(found.flatMap((p) => {
      const node = this.cache.tree(p, this.parser);
      return node ? [{ file: p, imports: importsOf(node) }] : [];
    }));
  }

  /** Whether one of `file`'s imports (absolute from its folder or the root, or relative) names this file. */
  private importsThis(imports: readonly ImportInfo[], file: string): boolean {
    const dirs = [dirname(file), this.root];
    return imports.some((imp) => {
      if (imp.level === 0 && LIBRARY_ROOTS.has(imp.name.split('.')[0]!)) return false;
      const names = [imp.name, ...imp.names.map((n) => (imp.name ? `${imp.name}.${n}` : n))];
      return names.some((n) => moduleCandidates(n, imp.level, file, dirs).includes(this.file));
    });
  }
}
