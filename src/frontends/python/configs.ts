/**
 * Hyper-parameter files and the paths that name them: `open(path)`, `with open(p) as f`,
 * `yaml.safe_load` / `yaml.load`, `json.load(s)`, `tomllib.load` / `toml.load`, `OmegaConf.load`
 * (attribute access), Hydra's `@hydra.main(config_path=…, config_name=…)` with its `defaults` list;
 * paths from constants, argparse defaults (the values are then labelled assumed), `__file__`,
 * `os.path.*` and `pathlib.Path`. Files come through the host's view (src/analysis/workspace.ts);
 * the parsers are npm's `yaml` (with PyYAML's YAML 1.1 number rules) and `smol-toml`. Every value
 * read is labelled with its file and key (`hyp.yaml: lr0`).
 */
import { parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { parse as parseToml } from 'smol-toml';
import { PyError } from '../../engine/types';
import type { Interpreter, EvaluatedArgs } from './interp';
import { Indeterminate, type Code, type Stage } from './stage';
import { assignCode } from './statements';
import { dirname, interpContext, joinPath, relativeToRoot, setOrigin, sysPathCall, type ModuleContext } from './modules';
import { kids, shortText, rangeOf, type SyntaxNode } from './syntax';
import { NONE, bool, float, int, str, unknown, varsView, type PyVal, type Scope } from './values';

type Ns = PyVal & { k: 'ns' };

// ---- values of paths and files ----------------------------------------------------------------

/** A `pathlib.Path`: its text, with `parent`, `parents`, `name`, `stem`, `suffix` filled in. */
export function pathValue(p: string, assumed?: string): Ns {
  const attrs = new Map<string, PyVal>();
  const v: Ns = { k: 'ns', typeName: 'PosixPath', attrs, missing: (a) => `\`Path.${a}\` is not evaluated` };
  attrs.set('__fspath__', str(p));
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  attrs.set('name', str(base));
  attrs.set('stem', str(dot > 0 ? base.slice(0, dot) : base));
  attrs.set('suffix', str(dot > 0 ? base.slice(dot) : ''));
  const parents: PyVal[] = [];
  let parentVal: Ns | null = null;
  for (let d = p, i = 0; i < 64; i++) {
    const up = d === '/' || d === '.' || d === '' ? d : dirname(d);
    if (up === d) break;
    const pv: Ns = parentVal === null ? pathValue(up) : (parents[parents.length - 1] as Ns).attrs.get('parent') as Ns;
    parents.push(pv);
    parentVal ??= pv;
    d = up;
  }
  attrs.set('parent', parentVal ?? v);
  attrs.set('parents', { k: 'list', items: parents, tuple: true });
  if (assumed) v.assumed = assumed;
  return v;
}

/** The text of a path-like value (`str`, Path), with its assumption label. */
function pathText(v: PyVal | undefined): { path: string; assumed?: string } | null {
  if (!v) return null;
  if (v.k === 'str') return { path: v.v, assumed: v.assumed };
  if (v.k === 'ns' && v.typeName === 'PosixPath') {
    const s = v.attrs.get('__fspath__');
    if (s?.k === 'str') return { path: s.v, assumed: v.assumed };
  }
  return null;
}

/** An open file (`open(p)`): its absolute path; its own context manager (`with open(p) as f`). */
function fileValue(path: string, assumed: string | undefined): Ns {
  const v: Ns = { k: 'ns', typeName: 'TextIOWrapper', attrs: new Map([['name', str(path)]]), missing: (a) => `\`file.${a}\` is not evaluated` };
  if (assumed) v.assumed = assumed;
  return v;
}

/** What `with X as name` binds when X is a value we model (an open file is its own context manager), else null. */
export function withTarget(v: PyVal): PyVal | null {
  return v.k === 'ns' && v.typeName === 'TextIOWrapper' ? v : null;
}

/**
 * Run mode's `with X as name:` (inside a function the engine or a call runs): binds `name` to an open
 * file, else to an unknown value. Items without `as` are not evaluated (`torch.no_grad()`).
 */
export function withAliasesCode(I: Interpreter, st: SyntaxNode, g: Stage): (s: Scope) => void {
  const items: [Code, (v: PyVal, s: Scope) => void, string][] = [];
  for (const item of kids(st).filter((c) => c.type === 'with_clause').flatMap(kids)) {
    const value = item.childForFieldName('value') ?? kids(item)[0];
    if (value?.type !== 'as_pattern') continue;
    const inner = kids(value)[0];
    const alias = value.childForFieldName('alias');
    if (!inner || !alias) continue;
    items.push([g.expr(inner), assignCode(I, kids(alias)[0] ?? alias, g), shortText(alias)]);
  }
  return (s) => {
    for (const [value, assign, name] of items) {
      let v: PyVal | null = null;
      try {
        v = withTarget(value(s));
      } catch (e) {
        if (!(e instanceof Indeterminate) && !(e instanceof PyError)) throw e;
      }
      assign(v ?? unknown(`\`${name}\` is the value of a \`with\` block`), s);
    }
  };
}

// ---- reading files --------------------------------------------------------------------------------

type Read = { text: string; path: string; assumed?: string } | { reason: string };

/** Reads a data file named by a path-like value: absolute, else the root (working directory assumed) then the file's folder. */
function readData(ctx: ModuleContext, target: PyVal | undefined): Read {
  const p = target?.k === 'ns' && target.typeName === 'TextIOWrapper' ? pathText(target.attrs.get('name')) : pathText(target);
  if (!p) return { reason: 'the file name is not known' };
  const view = ctx.loader.view;
  const candidates = p.path.startsWith('/') ? [p.path] : [joinPath(view.root, p.path), joinPath(dirname(ctx.file), p.path)];
  let pending = false;
  for (const c of candidates) {
    const t = view.text(c);
    if (t === null) pending = true;
    else if (t !== undefined) return { text: t, path: c, assumed: target?.assumed ?? p.assumed };
  }
  if (pending) return { reason: `\`${p.path}\` is being read` };
  return { reason: `\`${p.path}\` is not found in the workspace (only files inside its root folder are read)` };
}

/**
 * `os.path.isfile(p)`, `Path(p).exists()`: true for a file of the workspace (read as configs are: from the root,
 * then the file's folder), labelled like the path; unknown otherwise (data and checkpoints live outside it, and
 * whether they exist is the run's to say). YOLOv7's `check_file(opt.hyp)` then returns its default path.
 */
function exists(ctx: ModuleContext, target: PyVal | undefined, n: SyntaxNode): PyVal {
  const r = readData(ctx, target);
  if ('reason' in r) return unknown(`\`${shortText(n)}\`: ${r.reason === 'the file name is not known' ? r.reason : `whether it exists is known at run time (${r.reason})`}`, rangeOf(n));
  return r.assumed ? { ...bool(true), assumed: r.assumed } : bool(true);
}

type Format = 'yaml' | 'omegaconf' | 'json' | 'toml';

/** Parses a config text into a Python value, each value labelled `file: key` (and assumed when the path was). */
function load(format: Format, r: { text: string; path: string; assumed?: string }, ctx: ModuleContext, n: SyntaxNode | null, attrs: boolean): PyVal {
  const rel = relativeToRoot(ctx.loader.view.root, r.path);
  const assumed = r.assumed ? `read from ${rel}, whose path is assumed (${r.assumed})` : undefined;
  try {
    const js = format === 'toml' ? parseToml(r.text, { integersAsBigInt: true }) : yamlValue(r.text, format);
    return toPy(js, rel, '', assumed, attrs, 0);
  } catch (e) {
    return unknown(`${rel} could not be read as ${format === 'omegaconf' ? 'YAML' : format.toUpperCase()}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, n ? rangeOf(n) : undefined);
  }
}

/** PyYAML's float rule (YAML 1.1: `1e-3` without a dot is a string); OmegaConf's loader also takes `1e-3`. */
const PYYAML_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const OMEGACONF_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PYYAML_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const YAML_INT = /^[-+]?(?:0|[1-9][0-9_]*)$/;

/** A tagged JS tree: ints as bigint, floats as number, mappings as arrays of pairs (Python keeps order and key types). */
type Js = bigint | number | string | boolean | null | Js[] | { pairs: [Js, Js][] } | Date;

function yamlValue(text: string, format: Format): Js {
  const doc = parseDocument(text, format === 'json' ? { schema: 'json', uniqueKeys: false } : { version: '1.1', uniqueKeys: false });
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  const floatRule = format === 'omegaconf' ? OMEGACONF_FLOAT : PYYAML_FLOAT;
  const walk = (node: unknown, depth: number): Js => {
    if (depth > 50) throw new Error('nested too deeply');
    if (isMap(node)) return { pairs: node.items.map((p) => [walk(p.key, depth + 1), walk(p.value, depth + 1)] as [Js, Js]) };
    if (isSeq(node)) return node.items.map((x) => walk(x, depth + 1));
    if (isScalar(node)) {
      const src = (node as YamlNode & { source?: string }).source;
      const plain = node.type === 'PLAIN';
      // PyYAML's booleans are the words only: `y` / `n` stay strings.
      if (format !== 'json' && plain && typeof node.value === 'boolean' && typeof src === 'string' && !PYYAML_BOOL.test(src)) return src;
      // Numbers are re-read from their source text with Python's rules (int vs float, PyYAML's floats).
      if (format !== 'json' && plain && typeof src === 'string' && typeof node.value !== 'boolean' && node.value !== null) {
        const t = src.replace(/_/g, '');
        if (YAML_INT.test(src)) return BigInt(t);
        if (floatRule.test(src)) return /nan/i.test(t) ? NaN : /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
        // Hex, octal and binary ints (both YAML 1.1 readers agree); any other number-looking text is a string to PyYAML.
        if (/^[-+]?0[xob0-7]/.test(t) && (typeof node.value === 'number' || typeof node.value === 'bigint')) return BigInt(node.value);
        if (typeof node.value === 'number' || typeof node.value === 'bigint') return src;
      }
      if (format === 'json' && typeof node.value === 'number' && typeof src === 'string') return /^-?(?:0|[1-9][0-9]*)$/.test(src) ? BigInt(src) : Number(src);
      const v = node.value;
      if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || v === null) return v as Js;
      return String(v);
    }
    if (node === null || node === undefined) return null;
    return String(node);
  };
  return walk(doc.contents, 0);
}

function toPy(js: unknown, rel: string, key: string, assumed: string | undefined, attrs: boolean, depth: number): PyVal {
  if (depth > 50) return unknown(`${rel}: nested too deeply`);
  let v: PyVal;
  if (typeof js === 'bigint') v = Math.abs(Number(js)) <= Number.MAX_SAFE_INTEGER ? int(Number(js)) : unknown(`${rel}: ${key} is too large`);
  else if (typeof js === 'number') v = float(js);
  else if (typeof js === 'string') v = str(js);
  else if (typeof js === 'boolean') v = bool(js);
  else if (js === null || js === undefined) v = NONE;
  else if (Array.isArray(js)) v = { k: 'list', items: js.map((x, i) => toPy(x, rel, `${key}[${i}]`, assumed, attrs, depth + 1)), tuple: false };
  else if (js instanceof Date) v = str(js.toISOString());
  else {
    const pairs: [unknown, unknown][] = 'pairs' in (js as object) ? (js as { pairs: [unknown, unknown][] }).pairs : Object.entries(js as object);
    const entries = pairs.map(([k, x]): [PyVal, PyVal] => {
      const kv = toPy(k, rel, key, undefined, false, depth + 1);
      const name = kv.k === 'str' ? kv.v : String(k);
      return [kv, toPy(x, rel, key ? `${key}.${name}` : name, assumed, attrs, depth + 1)];
    });
    v = attrs ? dictConfig(entries, rel, key) : { k: 'dict', entries };
  }
  if (v.k !== 'none') {
    if (assumed) v = { ...v, assumed } as PyVal;
    setOrigin(v, key ? `${rel}: ${key}` : rel);
  }
  return v;
}

/** OmegaConf's DictConfig: attribute and item access on the same keys. */
function dictConfig(entries: [PyVal, PyVal][], rel: string, key: string): Ns {
  const attrs = new Map<string, PyVal>();
  for (const [k, x] of entries) if (k.k === 'str') attrs.set(k.v, x);
  return { k: 'ns', typeName: 'DictConfig', attrs, missing: (a) => `\`${a}\` is not a key of ${rel}${key ? ` at \`${key}\`` : ''}` };
}

/** A DictConfig's plain dict (`OmegaConf.to_container`). */
function toContainer(v: PyVal): PyVal {
  if (v.k === 'ns' && v.typeName === 'DictConfig') return { k: 'dict', entries: [...v.attrs].map(([k, x]) => [str(k), toContainer(x)]) };
  if (v.k === 'list') return { k: 'list', items: v.items.map(toContainer), tuple: v.tuple };
  return v;
}

/** Deep merge of DictConfigs (OmegaConf.merge; Hydra composition): later values win, mappings merge. */
function merge(a: PyVal, b: PyVal): PyVal {
  if (a.k === 'ns' && a.typeName === 'DictConfig' && b.k === 'ns' && b.typeName === 'DictConfig') {
    const attrs = new Map(a.attrs);
    for (const [k, x] of b.attrs) attrs.set(k, attrs.has(k) ? merge(attrs.get(k)!, x) : x);
    return { ...a, attrs };
  }
  return b;
}

// ---- the calls ----------------------------------------------------------------------------------

const LOADERS: Record<string, Format> = {
  'yaml.safe_load': 'yaml', 'yaml.load': 'yaml', 'yaml.full_load': 'yaml', 'yaml.unsafe_load': 'yaml',
  'json.load': 'json', 'json.loads': 'json',
  'tomllib.load': 'toml', 'tomllib.loads': 'toml', 'toml.load': 'toml', 'toml.loads': 'toml', 'tomli.load': 'toml', 'tomli.loads': 'toml',
  'omegaconf.OmegaConf.load': 'omegaconf',
};

/** Library functions on paths and config files; null when `path` is none of them (the caller goes on). */
export function libraryCall(I: Interpreter, path: string, args: EvaluatedArgs, n: SyntaxNode): PyVal | null {
  const ctx = interpContext(I);
  if (!ctx) return null;
  const pos = args.pos.map((a) => a.val);
  const fail = (reason: string) => unknown(`\`${shortText(n)}\`: ${reason}`, rangeOf(n));
  const texts = () => pos.map(pathText);
  switch (path) {
    case 'sys.path.append': case 'sys.path.insert':
      sysPathCall(path.endsWith('append') ? 'append' : 'insert', pos, ctx);
      return NONE;
    case 'builtins.open': {
      const p = pathText(pos[0]);
      if (!p) return null;
      return fileValue(p.path, p.assumed ?? pos[0]!.assumed);
    }
    case 'os.path.isfile': case 'os.path.exists': return exists(ctx, pos[0], n);
    case 'builtins.vars': {
      // `vars(args)`: the namespace's own attributes, as a mapping sharing them (values.ts varsView).
      const o = pos[0];
      if (o?.k === 'ns' && pos.length === 1) return varsView(o);
      return { k: 'opaque', typeName: 'object', desc: shortText(n, 40) };
    }
    case 'builtins.type': return { k: 'opaque', typeName: 'object', desc: shortText(n, 40) };
    case 'builtins.dir': {
      const o = pos[0];
      if (o?.k !== 'ns' && o?.k !== 'class') return fail('`dir()` of this value is not evaluated');
      return { k: 'list', items: [...o.attrs.keys()].sort().map(str), tuple: false };
    }
    case 'builtins.setattr': {
      const [o, name, v] = pos;
      if ((o?.k === 'ns' || o?.k === 'class') && name?.k === 'str' && v) {
        o.attrs.set(name.v, v);
        return NONE;
      }
      return fail('`setattr()` on this value is not evaluated');
    }
    case 'builtins.hasattr': {
      const [o, name] = pos;
      if ((o?.k === 'ns' || o?.k === 'class') && name?.k === 'str') return bool(o.attrs.has(name.v));
      return fail('`hasattr()` on this value is not evaluated');
    }
    case 'os.path.join': {
      const ps = texts();
      if (!ps.length || ps.some((p) => !p)) return null;
      return labelled(str(joinPath(...ps.map((p) => p!.path))), ps);
    }
    case 'os.path.dirname': case 'os.path.abspath': case 'os.path.realpath': case 'os.path.normpath': case 'os.path.basename': case 'os.fspath': {
      const p = texts()[0];
      if (!p) return null;
      const abs = p.path.startsWith('/') ? p.path : joinPath(ctx.loader.view.root, p.path);
      const r = path === 'os.path.dirname' ? dirname(p.path) : path === 'os.path.basename' ? p.path.slice(p.path.lastIndexOf('/') + 1)
        : path === 'os.fspath' || path === 'os.path.normpath' ? joinPath(p.path) || '.' : abs;
      return labelled(str(r), [p]);
    }
    case 'os.path.relpath': {
      const [p, start] = texts();
      if (!p) return null;
      const from = start?.path ?? ctx.loader.view.root;
      return labelled(str(relPath(joinPath(ctx.loader.view.root, p.path), joinPath(ctx.loader.view.root, from))), [p, start ?? null]);
    }
    case 'os.getcwd': case 'pathlib.Path.cwd':
      // The working directory is assumed to be the root (scripts are run from the repository's top folder).
      return path === 'os.getcwd' ? str(ctx.loader.view.root) : pathValue(ctx.loader.view.root);
    case 'pathlib.Path': case 'pathlib.PurePath': case 'pathlib.PosixPath': {
      const ps = texts();
      if (ps.some((p) => !p)) return null;
      return pathValue(joinPath(...ps.map((p) => p!.path)) || '.', ps.find((p) => p?.assumed)?.assumed);
    }
    case 'omegaconf.OmegaConf.to_container': case 'omegaconf.OmegaConf.to_object':
      return pos[0] ? toContainer(pos[0]) : null;
    case 'omegaconf.OmegaConf.merge': {
      if (!pos.length || pos.some((v) => v.k !== 'ns' || v.typeName !== 'DictConfig')) return null;
      return pos.reduce((a, b) => merge(a, b));
    }
    case 'omegaconf.OmegaConf.create': {
      const v = pos[0];
      if (v?.k !== 'dict') return null;
      return toPyConfig(v);
    }
    case 'hydra.main': return hydraMain(ctx, args, n);
    default: break;
  }
  const format = LOADERS[path];
  if (!format) return null;
  const src = pos[0];
  if (!src) return null;
  // `json.loads(text)`, `yaml.safe_load(text)` on a string: the string itself is the document.
  if (src.k === 'str' && (path.endsWith('loads') || format === 'yaml')) {
    return load(format, { text: src.v, path: ctx.file, assumed: src.assumed }, ctx, n, false);
  }
  const r = readData(ctx, src);
  if ('reason' in r) return fail(r.reason);
  return load(format, r, ctx, n, format === 'omegaconf');
}

function toPyConfig(v: PyVal): PyVal {
  if (v.k === 'dict') {
    const attrs = new Map<string, PyVal>();
    for (const [k, x] of v.entries) if (k.k === 'str') attrs.set(k.v, toPyConfig(x));
    return { k: 'ns', typeName: 'DictConfig', attrs, missing: (a) => `\`${a}\` is not a key of the config` };
  }
  return v;
}

function labelled(v: PyVal, from: ({ assumed?: string } | null)[]): PyVal {
  const a = from.find((p) => p?.assumed)?.assumed;
  return a ? { ...v, assumed: a } : v;
}

function relPath(target: string, from: string): string {
  const t = target.split('/').filter(Boolean);
  const f = from.split('/').filter(Boolean);
  let i = 0;
  while (i < t.length && i < f.length && t[i] === f[i]) i++;
  return [...f.slice(i).map(() => '..'), ...t.slice(i)].join('/') || '.';
}

/** Methods of the values above: `Path.resolve()`, `.joinpath()`, `.read_text()`, `.open()`, `file.read()`, `cfg.get()`. */
export function libraryMethod(I: Interpreter, obj: PyVal, method: string, argsOf: () => EvaluatedArgs, n: SyntaxNode): PyVal | null {
  if (obj.k === 'str' && (method === 'isupper' || method === 'islower')) {
    const cased = /[A-Za-z]/.test(obj.v);
    return bool(cased && (method === 'isupper' ? obj.v === obj.v.toUpperCase() : obj.v === obj.v.toLowerCase()));
  }
  if (obj.k !== 'ns') return null;
  const ctx = interpContext(I);
  if (obj.typeName === 'PosixPath') {
    const p = pathText(obj)!;
    switch (method) {
      case 'resolve': case 'absolute': case 'expanduser':
        return pathValue(p.path.startsWith('/') || !ctx ? p.path : joinPath(ctx.loader.view.root, p.path), obj.assumed);
      case 'joinpath': {
        const args = argsOf();
        const parts = args.pos.map((a) => pathText(a.val));
        if (parts.some((x) => !x)) return unknown(`\`${shortText(n)}\`: a part of the path is not known`, rangeOf(n));
        return pathValue(joinPath(p.path, ...parts.map((x) => x!.path)), obj.assumed);
      }
      case 'open': return fileValue(p.path, obj.assumed);
      case 'is_file': case 'exists': return ctx ? exists(ctx, obj, n) : null;
      case 'read_text': {
        if (!ctx) return null;
        const r = readData(ctx, obj);
        return 'reason' in r ? unknown(`\`${shortText(n)}\`: ${r.reason}`, rangeOf(n)) : { ...str(r.text), ...(r.assumed ? { assumed: r.assumed } : {}) } as PyVal;
      }
      default: return null;
    }
  }
  if (obj.typeName === 'TextIOWrapper' && method === 'read' && ctx) {
    const r = readData(ctx, obj);
    return 'reason' in r ? unknown(`\`${shortText(n)}\`: ${r.reason}`, rangeOf(n)) : { ...str(r.text), ...(r.assumed ? { assumed: r.assumed } : {}) } as PyVal;
  }
  if (obj.typeName === 'TextIOWrapper' && (method === '__enter__' || method === 'close')) return method === 'close' ? NONE : obj;
  if ((obj.typeName === 'DictConfig' || obj.typeName === 'ConfigDict' || obj.typeName === 'EasyDict') && method === 'get') {
    const args = argsOf();
    const key = args.pos[0]?.val;
    if (key?.k !== 'str') return null;
    return obj.attrs.get(key.v) ?? args.pos[1]?.val ?? NONE;
  }
  return null;
}

/** `path / "hyp.yaml"` on a Path; null otherwise. */
export function libraryBinary(op: string, a: PyVal, b: PyVal): PyVal | null {
  if (op !== '/') return null;
  const pa = a.k === 'ns' && a.typeName === 'PosixPath' ? pathText(a) : null;
  const pb = pathText(b);
  if (pa && pb) return pathValue(joinPath(pa.path, pb.path), pa.assumed ?? pb.assumed);
  if (b.k === 'ns' && b.typeName === 'PosixPath' && a.k === 'str') return pathValue(joinPath(a.v, pathText(b)!.path), a.assumed ?? b.assumed);
  return null;
}

/** `str(path)` and `os.fspath(path)` of a Path value. */
export function libraryBuiltin(name: string, pos: PyVal[]): PyVal | null {
  if (name === 'str' && pos.length === 1 && pos[0]!.k === 'ns' && pos[0]!.typeName === 'PosixPath') return labelled(str(pathText(pos[0])!.path), [pos[0]!]);
  return null;
}

// ---- Hydra ----------------------------------------------------------------------------------------

/**
 * `@hydra.main(config_path="conf", config_name="config")`: the config the decorated function receives,
 * composed as Hydra does from `<config_path>/<config_name>.yaml` and its `defaults` list (`group: option`
 * entries load `<group>/<option>.yaml` under `group`; `_self_` places the file's own keys, last when absent).
 */
function hydraMain(ctx: ModuleContext, args: EvaluatedArgs, n: SyntaxNode): PyVal {
  const kw = new Map(args.kw.map(([k, a]) => [k, a.val]));
  const cp = kw.get('config_path') ?? args.pos[0]?.val;
  const cn = kw.get('config_name') ?? args.pos[1]?.val;
  const fail = (reason: string): PyVal => ({ k: 'ns', typeName: 'HydraMain', attrs: new Map([['config', unknown(reason, rangeOf(n))]]) });
  if (cn?.k !== 'str') return fail('the Hydra config name is not known');
  const dir = cp?.k === 'str' ? (cp.v.startsWith('/') ? cp.v : joinPath(dirname(ctx.file), cp.v)) : dirname(ctx.file);
  const cfg = compose(ctx, dir, cn.v, 0);
  return { k: 'ns', typeName: 'HydraMain', attrs: new Map([['config', cfg]]) };
}

function compose(ctx: ModuleContext, dir: string, name: string, depth: number): PyVal {
  const file = joinPath(dir, name.endsWith('.yaml') || name.endsWith('.yml') ? name : `${name}.yaml`);
  if (depth > 8) return unknown(`Hydra's defaults nest more than 8 levels at ${relativeToRoot(ctx.loader.view.root, file)}`);
  const r = readData(ctx, str(file));
  if ('reason' in r) return unknown(`Hydra config: ${r.reason}`);
  const own = load('omegaconf', r, ctx, null, true);
  if (own.k !== 'ns') return own;
  const defaults = own.attrs.get('defaults');
  const body: Ns = { ...own, attrs: new Map([...own.attrs].filter(([k]) => k !== 'defaults')) };
  if (defaults?.k !== 'list') return body;
  let out: PyVal = { k: 'ns', typeName: 'DictConfig', attrs: new Map(), missing: own.missing };
  let selfDone = false;
  for (const d of defaults.items) {
    if (d.k === 'str') {
      if (d.v === '_self_') {
        out = merge(out, body);
        selfDone = true;
      } else {
        out = merge(out, compose(ctx, dir, d.v, depth + 1));
      }
    } else if (d.k === 'ns' && d.typeName === 'DictConfig') {
      for (const [group, option] of d.attrs) {
        if (group.startsWith('override ') || option.k !== 'str') continue;
        const sub = compose(ctx, joinPath(dir, group), option.v, depth + 1);
        // The group's keys go under the group's name (Hydra's default package), nested for `a/b`.
        let wrapped: PyVal = sub;
        for (const part of group.split('/').reverse()) wrapped = { k: 'ns', typeName: 'DictConfig', attrs: new Map([[part, wrapped]]), missing: own.missing };
        out = merge(out, wrapped);
      }
    }
  }
  return selfDone ? out : merge(out, body);
}

/** The config a `@hydra.main` decorator passes to the function it decorates, or null for other decorators. */
export function hydraConfig(decorator: PyVal): PyVal | null {
  return decorator.k === 'ns' && decorator.typeName === 'HydraMain' ? decorator.attrs.get('config') ?? null : null;
}
