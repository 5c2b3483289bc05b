/**
 * The repository's own modules: `import conf.settings`, `from .utils import x`,
 * `from configs.base import Config`, packages with `__init__.py`, folders added
 * with `sys.path.append("…")`. A module is read through the host (the pipeline
 * reads files beforehand, see src/analysis/workspace.ts, and hands a
 * synchronous view), evaluated once per analysis on its frozen syntax by an
 * interpreter of its own (module statements and class bodies; function bodies
 * run when called), and bound as a namespace of its values. Its constructions
 * are not recorded (they are not in the file being analysed). Bounded in import
 * depth, number of modules and operations. Values read from another module are
 * labelled with where they are written (`conf/settings.py:12`).
 */
import type { ConstructionRecorder } from '../contract';
import { Budget, BudgetSpent } from './budget';
import { Recorder } from './construct';
import { Interpreter } from './interp';
import { kids, unparen, type FrozenNode, type SyntaxNode } from './syntax';
import { FALSE, NONE, TRUE, VarMap, str, unknown, type PyVal, type Scope } from './values';
import { Walker } from './walker';

/** What the pipeline read beforehand: a file's text, `undefined` when absent, `null` when not read yet (then wanted). */
export interface FileView {
  /** Absolute POSIX path of the workspace root. */
  readonly root: string;
  /** Absolute POSIX path of the file analysed. */
  readonly file: string;
  text(path: string): string | undefined | null;
  /** A Python module's syntax, parsed and frozen (cached by the pipeline); same conventions as `text`. */
  module(path: string): FrozenNode | undefined | null;
  /** Files of the workspace that import the analysed file and may call its functions (read beforehand; see callers.ts). */
  readonly callers?: readonly string[];
}

/** Imports followed this deep (the analysed file is depth 0). */
export const MAX_IMPORT_DEPTH = 4;
/** Modules evaluated in one analysis at most. */
const MAX_MODULES = 64;
/** Operations of one module's evaluation, and of all the modules of one analysis. */
const MODULE_OPS = 400_000;
const ALL_MODULES_OPS = 3_000_000;

/** Top-level packages never looked for in the repository (libraries; a local `torch.py` is not a thing). */
export const LIBRARY_ROOTS = new Set([
  'torch', 'torchvision', 'torchaudio', 'numpy', 'np', 'os', 'sys', 'math', 'typing', 'argparse', 'functools', 'itertools',
  'collections', 'dataclasses', 'pathlib', 'json', 'yaml', 'toml', 'tomllib', 'tomli', 'omegaconf', 'hydra', 'random', 'time',
  'logging', 're', 'copy', 'shutil', 'glob', 'pickle', 'warnings', 'datetime', 'abc', 'enum', 'types', 'inspect', 'subprocess',
  'pytorch_lightning', 'lightning', 'transformers', 'accelerate', 'timm', 'diffusers', 'tqdm', 'wandb', 'tensorboard',
  'tensorboardX', 'matplotlib', 'pandas', 'scipy', 'sklearn', 'PIL', 'cv2', 'apex', 'deepspeed', 'horovod', 'einops',
  'datasets', 'tensorflow', 'keras', 'jax', 'optax', 'flax', 'contextlib', 'io', 'string', 'platform', 'socket', 'threading',
  'multiprocessing', 'queue', 'csv', 'hashlib', 'uuid', 'traceback', 'signal', 'tempfile', 'importlib', 'operator', 'heapq',
  'bisect', 'statistics', 'fractions', 'decimal', 'struct', 'textwrap', 'pprint', 'gc', 'builtins', '__future__',
]);

// ---- paths (POSIX, no Node `path`: the extension runs in the browser too) ----------------------

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (p.startsWith('/') ? '/' : '.') : p.slice(0, i);
}

/** `a/b` + `../c/./d` → `a/c/d`; absolute when the first part is. */
export function joinPath(...parts: string[]): string {
  let out: string[] = [];
  let absolute = false;
  for (const part of parts) {
    if (!part) continue;
    if (part.startsWith('/')) {
      out = [];
      absolute = true;
    }
    for (const seg of part.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        if (out.length && out[out.length - 1] !== '..') out.pop();
        else if (!absolute) out.push('..');
      } else {
        out.push(seg);
      }
    }
  }
  return (absolute ? '/' : '') + out.join('/');
}

/** `p` relative to the root when inside it (for labels), else as it is. */
export function relativeToRoot(root: string, p: string): string {
  const r = root.endsWith('/') ? root : `${root}/`;
  return p.startsWith(r) ? p.slice(r.length) : p;
}

/**
 * The files that may hold module `name` imported from `fromFile` with `level` leading dots: for each
 * search folder (or the package folder for a relative import), `a/b/c.py` then `a/b/c/__init__.py`.
 */
export function moduleCandidates(name: string, level: number, fromFile: string, searchDirs: readonly string[]): readonly string[] {
  let dirs: readonly string[];
  if (level > 0) {
    let base = dirname(fromFile);
    for (let i = 1; i < level; i++) base = dirname(base);
    dirs = [base];
  } else {
    dirs = searchDirs;
  }
  // Remembered by folders and name: the prefetch, the callers' import test and the loader ask the same ones again
  // and again (each a few `joinPath`s; some 7% of the analysis of a file importing seventy of its repository's modules).
  const folders = dirs.join('\u0000');
  let byName = CANDIDATES.get(folders);
  if (!byName) {
    if (CANDIDATES.size >= MAX_CANDIDATE_FOLDERS) CANDIDATES.clear();
    CANDIDATES.set(folders, (byName = new Map()));
  }
  let hit = byName.get(name);
  if (hit) return hit;
  const rel = name ? name.split('.').join('/') : '';
  const out: string[] = [];
  for (const d of dirs) {
    if (rel) out.push(joinPath(d, `${rel}.py`));
    out.push(joinPath(d, rel, '__init__.py'));
  }
  hit = [...new Set(out)];
  if (byName.size >= MAX_CANDIDATE_NAMES) byName.clear();
  byName.set(name, hit);
  return hit;
}
/** moduleCandidates's answers by search folders, then module name (plain data; bounded). */
const CANDIDATES = new Map<string, Map<string, readonly string[]>>();
const MAX_CANDIDATE_FOLDERS = 1024;
const MAX_CANDIDATE_NAMES = 4096;

/**
 * The import statements of a module (anywhere, functions included) as (module, level, names) for prefetching.
 * `maxDepth`: nodes deeper are not read (a live tree read as its frozen copy would be: see FREEZE_DEPTH).
 */
export function importsOf(root: SyntaxNode, maxDepth = Infinity): ImportInfo[] {
  const cached = importCache.get(root);
  if (cached) return cached;
  const out: ImportInfo[] = [];
  const stack: SyntaxNode[] = [root];
  const depths: number[] = [0];
  while (stack.length) {
    const n = stack.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) continue;
    if (!HOLDS_STATEMENTS.has(n.type) && n !== root) continue;
    if (n.type === 'import_statement') {
      for (const item of kids(n)) {
        const dotted = item.type === 'aliased_import' ? item.childForFieldName('name') : item;
        if (dotted?.type === 'dotted_name') out.push({ name: clean(dotted.text), level: 0, names: [] });
      }
    } else if (n.type === 'import_from_statement') {
      const m = n.childForFieldName('module_name');
      if (m) {
        const { name, level } = splitRelative(clean(m.text));
        const names = kids(n).slice(1).map((c) => (c.type === 'aliased_import' ? c.childForFieldName('name')?.text ?? '' : c.text)).filter((x) => /^\w+$/.test(x));
        out.push({ name, level, names });
      }
    } else {
      for (const c of kids(n)) {
        stack.push(c);
        depths.push(depth + 1);
      }
    }
  }
  importCache.set(root, out);
  return out;
}

export interface ImportInfo { name: string; level: number; names: string[] }

/** importsOf per module tree (frozen trees are cached across analyses, and so is this). */
const importCache = new WeakMap<SyntaxNode, ImportInfo[]>();

/** Nodes that may contain statements (imports are statements): the only ones `importsOf` enters. */
const HOLDS_STATEMENTS = new Set([
  'module', 'block', 'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'try_statement',
  'except_clause', 'except_group_clause', 'finally_clause', 'with_statement', 'function_definition', 'class_definition',
  'decorated_definition', 'import_statement', 'import_from_statement', 'match_statement', 'case_clause', 'ERROR',
]);

function clean(t: string): string {
  return t.replace(/\s+/g, '');
}

function splitRelative(mod: string): { name: string; level: number } {
  const m = /^(\.*)(.*)$/.exec(mod)!;
  return { name: m[2]!, level: m[1]!.length };
}

// ---- origins: where a value read from another file is written ---------------------------------

const origins = new WeakMap<object, string>();
const SHARED = new Set<PyVal>([NONE, TRUE, FALSE]);

/** Labels `v` (an object made for that file only) with where it is written; the first label stays. */
export function setOrigin(v: PyVal, where: string): void {
  if (!SHARED.has(v) && !origins.has(v)) origins.set(v, where);
}

/** Where a value read from another file (module or config) is written, e.g. `conf/settings.py:12` or `hyp.yaml: lr0`. */
export function originOf(v: PyVal): string | undefined {
  return origins.get(v);
}

// ---- foreign syntax -----------------------------------------------------------------------------

/** Frozen module trees get ids below zero, one block per file version (see `freeze`'s `idBase`). */
const ID_BLOCK = 2 ** 32;
let nextSerial = 1;
const serialFiles = new Map<number, string>();

/** A fresh id base for freezing `path`'s syntax: its node ids cannot meet another tree's. */
export function foreignIdBase(path: string): number {
  const serial = nextSerial++;
  serialFiles.set(serial, path);
  return serial * ID_BLOCK;
}

/** The file a node of another module comes from, or null for the analysed file's own nodes. */
export function foreignFile(n: SyntaxNode): string | null {
  if (n.id >= 0) return null;
  return serialFiles.get(Math.floor(-n.id / ID_BLOCK)) ?? '';
}

// ---- the loader ---------------------------------------------------------------------------------

type ModuleVal = PyVal & { k: 'ns' };

/** Per analysis: which modules are loaded (by file), sys.path, and the file view. */
export class ModuleLoader {
  private readonly loaded = new Map<string, ModuleVal>();
  /** `sys.path` additions (absolute folders), in order; `insert(0, …)` puts them first. */
  readonly extraPaths: string[] = [];
  private count = 0;
  private opsLeft = ALL_MODULES_OPS;
  /** The analysed file's interpreter's assumed batches per epoch (interp.ts), given to every module's. */
  private assumedStepsPerEpoch: number | null = null;

  constructor(readonly view: FileView) {}

  /**
   * Folders searched for absolute imports: sys.path additions, the script's folder, the root, then the root's `src/`
   * (the "src layout" of a package installed from its checkout, `package-dir = {"": "src"}`: alignment-handbook's
   * `scripts/sft.py` imports `from alignment import SFTConfig`, defined in `src/alignment/`).
   */
  searchDirs(): readonly string[] {
    // Without sys.path additions (most files), the same folders for every import: worked out once.
    this.ownDirs ??= [...new Set([dirname(this.view.file), this.view.root, joinPath(this.view.root, 'src')])];
    return this.extraPaths.length ? [...new Set([...this.extraPaths, ...this.ownDirs])] : this.ownDirs;
  }
  private ownDirs: readonly string[] | null = null;

  /** The module value made for `path` in this analysis, if it was imported. */
  loadedModule(path: string): ModuleVal | undefined {
    return this.loaded.get(path);
  }

  /** Resolves and evaluates module `name` (with `level` dots) imported from `fromFile`; null when not the repository's. */
  load(name: string, level: number, fromFile: string, depth: number): PyVal | null {
    if (level === 0 && LIBRARY_ROOTS.has(name.split('.')[0]!)) return null;
    const candidates = moduleCandidates(name, level, fromFile, this.searchDirs());
    let pending = false;
    for (const path of candidates) {
      const tree = this.view.module(path);
      if (tree === null) pending = true;
      if (!tree) continue;
      return this.evaluate(path, tree, name, depth);
    }
    // A folder without `__init__.py` (a namespace package) holding the submodules imported next.
    if (pending) return unknown(`\`${name || '.'}\` is being read`);
    if (level > 0) return unknown(`the module \`${'.'.repeat(level)}${name}\` is not found next to ${relativeToRoot(this.view.root, fromFile)}`);
    return null;
  }

  /**
   * The module of the first of `paths` (absolute) that is a Python file of the workspace (a config file named by its path,
   * mlCollections.ts); null when none is, an unknown while one is being read.
   */
  loadFile(paths: readonly string[], depth: number): PyVal | null {
    let pending = false;
    for (const path of paths) {
      const tree = this.view.module(path);
      if (tree === null) pending = true;
      if (!tree) continue;
      return this.evaluate(path, tree, path.slice(path.lastIndexOf('/') + 1, -3), depth);
    }
    return pending ? unknown(`\`${paths[0] ?? ''}\` is being read`) : null;
  }

  /** A namespace module value for `path`, evaluated once per analysis (a cycle sees it partly filled, as in Python). */
  private evaluate(path: string, root: FrozenNode, name: string, depth: number): PyVal {
    const done = this.loaded.get(path);
    if (done) return done;
    const rel = relativeToRoot(this.view.root, path);
    if (depth > MAX_IMPORT_DEPTH) return unknown(`\`${name}\` (${rel}) is imported more than ${MAX_IMPORT_DEPTH} levels deep; not followed`);
    if (++this.count > MAX_MODULES) return unknown(`\`${name}\` (${rel}): more than ${MAX_MODULES} modules imported; not followed`);
    if (this.opsLeft <= 0) return unknown(`\`${name}\` (${rel}): the budget for evaluating imported modules is spent; not followed`);
    const vars = new VarMap();
    const mod: ModuleVal = {
      k: 'ns', typeName: 'module', attrs: vars,
      missing: (attr) => `\`${name}.${attr}\` is not defined in ${rel} (or set at run time)`,
    };
    this.loaded.set(path, mod);
    // As Python's import system does, a submodule becomes an attribute of its package once imported.
    const pkgDir = path.endsWith('/__init__.py') ? dirname(dirname(path)) : dirname(path);
    const short = path.endsWith('/__init__.py') ? dirname(path).slice(pkgDir.length + 1) : path.slice(pkgDir.length + 1, -3);
    const parent = this.loaded.get(joinPath(pkgDir, '__init__.py'));
    if (parent && parent !== mod && !parent.attrs.has(short)) parent.attrs.set(short, mod);
    const scope: Scope = { vars, parent: null, label: name };
    vars.set('__name__', str(name));
    const budget = new Budget({ maxOps: Math.min(MODULE_OPS, this.opsLeft) });
    const recorder = new Recorder(NO_RECORDING);
    recorder.frozen = true;
    const interp = new Interpreter(root.text, budget, recorder);
    if (this.assumedStepsPerEpoch !== null) interp.assumedStepsPerEpoch = this.assumedStepsPerEpoch;
    recorder.interp = interp;
    this.enter(scope, path, depth, interp);
    const walker = new Walker(interp, recorder, budget);
    try {
      walker.module(root, scope, true);
    } catch (e) {
      if (!(e instanceof BudgetSpent) && !(e instanceof RangeError)) throw e;
      // Keep what was defined before the budget ran out.
    }
    interp.finish();
    this.opsLeft -= interp.ops;
    labelDefinitions(root, vars, rel);
    return mod;
  }

  /** Registers a module scope (the analysed file's or an imported one's) so its imports resolve from its file. */
  enter(scope: Scope, file: string, depth: number, interp: Interpreter): void {
    const ctx = { loader: this, file, depth };
    if (depth === 0) this.assumedStepsPerEpoch ??= interp.assumedStepsPerEpoch;
    contexts.set(scope, ctx);
    interpContexts.set(interp, ctx);
    for (const [k, v] of moduleGlobals(file)) if (!scope.vars.has(k)) scope.vars.set(k, v);
  }
}

const MODULE_GLOBALS = new Set(['__file__', 'open', 'dir', 'setattr', 'hasattr', 'type', 'vars']);

/** Names every module has that the evaluator otherwise lacks: `__file__`, and builtins modelled in configs.ts. */
function moduleGlobals(file: string): [string, PyVal][] {
  return [
    ['__file__', str(file)],
    ...['open', 'dir', 'setattr', 'hasattr', 'type', 'vars'].map((b): [string, PyVal] => [b, { k: 'ref', path: `builtins.${b}` }]),
  ];
}

/** Never called: module evaluation records nothing (`Recorder.frozen`). */
const NO_RECORDING = new Proxy({}, { get: () => { throw new Error('a module evaluation tried to record a construction'); } }) as ConstructionRecorder;

export interface ModuleContext { loader: ModuleLoader; file: string; depth: number }
const contexts = new WeakMap<Scope, ModuleContext>();
const interpContexts = new WeakMap<Interpreter, ModuleContext>();

/** The context of the interpreter evaluating a module (the analysed file's or an imported one's). */
export function interpContext(I: Interpreter): ModuleContext | null {
  return interpContexts.get(I) ?? null;
}

/** The loader, file and depth of the module `scope` belongs to, or null without a workspace. */
export function moduleContext(scope: Scope): ModuleContext | null {
  let s: Scope | null = scope;
  while (s?.parent) s = s.parent;
  return s ? contexts.get(s) ?? null : null;
}

/** Labels each top-level name (and class attribute) of a module with the line of its first assignment. */
function labelDefinitions(root: FrozenNode, vars: Map<string, PyVal>, rel: string): void {
  for (const st of kids(root)) {
    const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (!def) continue;
    if (def.type === 'expression_statement') {
      const a = kids(def)[0];
      if (a?.type !== 'assignment') continue;
      const left = a.childForFieldName('left');
      const t = left ? unparen(left) : null;
      const v = t?.type === 'identifier' ? vars.get(t.text) : undefined;
      if (v) setOrigin(v, `${rel}:${a.startPosition.row + 1}`);
    } else if (def.type === 'class_definition') {
      const name = def.childForFieldName('name')?.text;
      const cls = name ? vars.get(name) : undefined;
      const body = def.childForFieldName('body');
      if (cls?.k !== 'class' || !body) continue;
      for (const s of kids(body)) {
        const a = s.type === 'expression_statement' ? kids(s)[0] : undefined;
        const left = a?.type === 'assignment' ? a.childForFieldName('left') : null;
        const v = left?.type === 'identifier' ? cls.attrs.get(left.text) : undefined;
        if (v) setOrigin(v, `${rel}:${a!.startPosition.row + 1}`);
      }
    }
  }
}

/**
 * `import a.b.c` / `import a.b as x` / `from .m import y` against the repository. Returns the bindings
 * to make, or null when the module is not the repository's (the caller binds library references).
 */
export function importBindings(stmt: SyntaxNode, scope: Scope): [string, PyVal][] | null {
  const ctx = moduleContext(scope);
  if (!ctx) return null;
  const { loader, file, depth } = ctx;
  const out: [string, PyVal][] = [];
  if (stmt.type === 'import_statement') {
    for (const item of kids(stmt)) {
      const dotted = item.type === 'aliased_import' ? item.childForFieldName('name') : item;
      if (dotted?.type !== 'dotted_name') continue;
      const name = clean(dotted.text);
      const parts = name.split('.');
      // Every prefix is imported (a/__init__.py, then a/b…); each becomes an attribute of its parent.
      let top: PyVal | null = null;
      let prev: PyVal | null = null;
      for (let i = 1; i <= parts.length; i++) {
        const sub = parts.slice(0, i).join('.');
        const loaded = loader.load(sub, 0, file, depth + 1);
        if (loaded === null && i === 1) break;
        let m: PyVal = loaded ?? unknown(`the module \`${sub}\` is not found in the repository`);
        if (m.k === 'unknown' && i < parts.length) m = namespacePackage(sub);
        if (prev?.k === 'ns') prev.attrs.set(parts[i - 1]!, m);
        prev = m;
        top ??= m;
      }
      // A library module: the caller's reference binding stays.
      if (!top || !prev) continue;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : null;
      out.push(alias ? [alias, prev] : [parts[0]!, top]);
    }
    return out;
  }
  const m = stmt.childForFieldName('module_name');
  if (!m) return null;
  const { name, level } = splitRelative(clean(m.text));
  let mod = loader.load(name, level, file, depth + 1);
  // A folder without `__init__.py` (a namespace package: flax's `from configs import default`, configs/default.py):
  // the repository's when one of the names imported from it is a module of it.
  if (mod === null && name && kids(stmt).slice(1).some((item) => {
    const orig = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
    return orig !== undefined && item.type !== 'wildcard_import' && loader.load(`${name}.${orig}`, level, file, depth + 1) !== null;
  })) mod = namespacePackage(name);
  if (mod === null) return null;
  for (const item of kids(stmt).slice(1)) {
    if (item.type === 'wildcard_import') {
      if (mod.k === 'ns') for (const [k, v] of mod.attrs) if (!k.startsWith('_') && !MODULE_GLOBALS.has(k)) out.push([k, v]);
      continue;
    }
    const orig = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
    const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : orig;
    if (!orig || !alias) continue;
    let v: PyVal | undefined = mod.k === 'ns' ? mod.attrs.get(orig) : undefined;
    if (v === undefined) {
      // Not an attribute of the package: a submodule (`from conf import settings` with conf/settings.py).
      const sub = loader.load(name ? `${name}.${orig}` : orig, level, file, depth + 1);
      if (sub && (sub.k === 'ns' || mod.k !== 'ns')) v = sub;
      else v = mod.k === 'ns' && mod.missing ? unknown(mod.missing(orig)) : mod;
    }
    out.push([alias, v]);
  }
  return out;
}

function namespacePackage(name: string): ModuleVal {
  return { k: 'ns', typeName: 'module', attrs: new Map(), missing: (attr) => `\`${name}.${attr}\` is not found in the repository` };
}

/** `sys.path.append(p)` / `sys.path.insert(0, p)` with a known folder: later imports search it. */
export function sysPathCall(method: string, args: PyVal[], ctx: ModuleContext | null): boolean {
  if (!ctx) return false;
  const p = method === 'append' ? args[0] : method === 'insert' ? args[1] : undefined;
  if (p?.k !== 'str') return false;
  // A relative folder is relative to the working directory: the root is assumed, then the file's folder.
  const dirs = p.v.startsWith('/') ? [p.v] : [joinPath(ctx.loader.view.root, p.v), joinPath(dirname(ctx.file), p.v)];
  if (method === 'insert') ctx.loader.extraPaths.unshift(...dirs);
  else ctx.loader.extraPaths.push(...dirs);
  return true;
}
