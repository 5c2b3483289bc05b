/**
 * Attribute dicts of configs: ml_collections' ConfigDict and, modelled the same way, easydict's EasyDict (below).
 *
 * ml_collections, as JAX/Flax training code holds its settings (google/flax's examples, big_vision-style configs):
 * `config = ml_collections.ConfigDict()` then `config.learning_rate = 0.1` in a `configs/default.py` whose
 * `get_config()` returns it, and `config_flags.DEFINE_config_file('config', 'configs/default.py')` making it
 * `FLAGS.config` once `app.run(main)` has parsed the command line (ml_collections/config_dict/config_dict.py,
 * ml_collections/config_flags/config_flags.py, commit 5f7343a).
 *
 * A ConfigDict is an attribute bag (`config.x`, `config['x']`, `config.get('x', d)`, `config.update(…)`); the dicts
 * given to it become ConfigDicts (`convert_dict=True`, its default). A config flag's value is its default file's
 * `get_config()` (or `get_config('arg')` for `file.py:arg`), every value labelled as a default the command line may
 * change (`--config=other.py`, `--config.learning_rate=…`), as absl's flags are (absl.ts). A flag without a default
 * is set at run time. FieldReferences and placeholders are not evaluated (their reads are unknown).
 */
import { abslFlags } from './absl';
import { callFunc } from './calls';
import type { EvaluatedArgs, Interpreter } from './interp';
import { dirname, interpContext, joinPath, relativeToRoot } from './modules';
import { attrSlot } from './slots';
import { shortText, type SyntaxNode } from './syntax';
import { NONE, repr, str, typeName, unknown, type PyVal } from './values';

const CONFIG_DICT = /^ml_collections(\.config_dict(\.config_dict)?)?\.(Frozen)?ConfigDict$/;
const DEFINE = /^ml_collections\.config_flags(\.config_flags)?\.DEFINE_config_(file|dict)$/;

type ConfigNs = PyVal & { k: 'ns' };

/**
 * The attribute dicts that make every dict stored in them one of their own kind: ml_collections' `ConfigDict`
 * (`convert_dict=True`) and `easydict.EasyDict` (research code's `cfg = edict(yaml.safe_load(f))`, `cfg.TRAIN = edict()`;
 * easydict/__init__.py: `__setattr__` converts a dict value, `__setitem__` is `__setattr__`, `update` sets each key).
 */
export type ConvertingKind = 'ConfigDict' | 'EasyDict';

/** Whether `v` is such an attribute dict. */
export function convertingDict(v: PyVal): v is ConfigNs & { typeName: ConvertingKind } {
  return v.k === 'ns' && (v.typeName === 'ConfigDict' || v.typeName === 'EasyDict');
}

/** A value as such a dict stores it: a dict becomes one of its kind (nested dicts too); anything else as it is. */
export function storedIn(obj: PyVal, v: PyVal): PyVal {
  return convertingDict(obj) && v.k === 'dict' ? fromDict(v, true, obj.typeName) ?? v : v;
}

/** An empty ConfigDict (or EasyDict), or one holding `attrs`. */
export function configDict(attrs: Map<string, PyVal> = new Map(), kind: ConvertingKind = 'ConfigDict'): ConfigNs {
  const what = kind === 'ConfigDict' ? 'a field of the ConfigDict' : 'a key of the EasyDict';
  return { k: 'ns', typeName: kind, attrs, missing: (a) => `\`${a}\` is not ${what} LR Lens built (or it is set at run time)` };
}

/** A dict as ConfigDict's (or EasyDict's) constructor converts it (nested dicts too); null when a key is not a string. */
export function fromDict(v: PyVal & { k: 'dict' }, convert: boolean, kind: ConvertingKind = 'ConfigDict'): ConfigNs | null {
  const attrs = new Map<string, PyVal>();
  for (const [k, x] of v.entries) {
    if (k.k !== 'str') return null;
    const inner = convert && x.k === 'dict' ? fromDict(x, convert, kind) : x;
    if (!inner) return null;
    attrs.set(k.v, inner);
  }
  return configDict(attrs, kind);
}

const EASY_DICT = /^easydict\.EasyDict$/;

/**
 * `EasyDict(d=None, **kwargs)`: the dict's items and the keywords, dicts converted; another EasyDict or ConfigDict copied.
 * Null for another path.
 */
export function easyDictCall(path: string, args: EvaluatedArgs, n: SyntaxNode): PyVal | null {
  if (!EASY_DICT.test(path)) return null;
  const what = `\`${shortText(n, 60)}\``;
  if (args.splatReason) return unknown(`${what}: ${args.splatReason}`);
  const init = args.pos[0]?.val ?? args.kw.find(([k]) => k === 'd')?.[1].val;
  let out: ConfigNs;
  if (!init || init.k === 'none') out = configDict(new Map(), 'EasyDict');
  else if (init.k === 'dict') {
    const d = fromDict(init, true, 'EasyDict');
    if (!d) return unknown(`${what}: a key of the dict is not a string`);
    out = d;
  } else if (convertingDict(init)) out = configDict(new Map([...copyConfig(init).attrs]), 'EasyDict');
  else return unknown(`${what}: an EasyDict of ${init.k === 'unknown' ? `a value that is not known (${init.reason})` : `a ${typeName(init)}`} is not evaluated`);
  for (const [k, a] of args.kw) if (k !== 'd') out.attrs.set(k, storedIn(out, a.val));
  return out;
}

/**
 * A copy of a ConfigDict (nested ones copied too), each value not a ConfigDict passed through `leaf`. With `any`, a
 * config of another kind (a dataclass instance `get_config()` returns) is copied the same way, keeping its type.
 */
function copyConfig(v: ConfigNs, leaf: (x: PyVal) => PyVal = (x) => x, any = false, depth = 0): ConfigNs {
  const attrs = new Map<string, PyVal>();
  const nested = (x: PyVal): x is ConfigNs => convertingDict(x) || (any && x.k === 'ns' && x.cls !== undefined);
  for (const [k, x] of v.attrs) attrs.set(k, nested(x) && depth < 8 ? copyConfig(x, leaf, any, depth + 1) : leaf(x));
  return convertingDict(v) ? configDict(attrs, v.typeName) : { ...v, attrs };
}

/** `ml_collections.ConfigDict(…)`, `config_flags.DEFINE_config_file(…)` / `DEFINE_config_dict(…)`; null for another path. */
export function mlCollectionsCall(I: Interpreter, path: string, args: EvaluatedArgs, n: SyntaxNode): PyVal | null {
  const arg = (i: number, key: string) => args.pos[i]?.val ?? args.kw.find(([k]) => k === key)?.[1].val;
  if (CONFIG_DICT.test(path)) {
    const what = `\`${shortText(n, 60)}\``;
    if (args.splatReason) return unknown(`${what}: ${args.splatReason}`);
    const init = arg(0, 'initial_dictionary');
    const convert = arg(2, 'convert_dict');
    if (convert && convert.k !== 'bool') return unknown(`${what}: convert_dict is not known`);
    if (!init || init.k === 'none') return configDict();
    if (init.k === 'dict') return fromDict(init, convert?.k !== 'bool' || convert.v) ?? unknown(`${what}: a key of the dict is not a string`);
    if (init.k === 'ns' && init.typeName === 'ConfigDict') return copyConfig(init);
    return unknown(`${what}: a ConfigDict of ${init.k === 'unknown' ? `a value that is not known (${init.reason})` : `a ${typeName(init)}`} is not evaluated`);
  }
  const m = DEFINE.exec(path);
  if (!m) return null;
  const name = arg(0, 'name');
  if (name?.k !== 'str') return NONE;
  const flag = `--${name.v}`;
  let value: PyVal;
  if (m[2] === 'dict') {
    const given = arg(1, 'config');
    value = given?.k === 'ns' && given.typeName === 'ConfigDict'
      ? labelled(given, `the ConfigDict given to the config flag ${flag} (config_flags.DEFINE_config_dict); the command line may set its fields (\`${flag}.<field>=…\`)`)
      : unknown(`\`FLAGS.${name.v}\`: the ConfigDict of the config flag \`${flag}\` is not known${given?.k === 'unknown' ? ` (${given.reason})` : ''}`);
  } else {
    const given = arg(1, 'default');
    if (!given || given.k === 'none') value = unknown(`\`FLAGS.${name.v}\`: the config file is given on the command line (\`${flag}=…\`; the flag has no default)`);
    else if (given.k !== 'str') value = unknown(`\`FLAGS.${name.v}\`: the default config file of \`${flag}\` is not known`);
    else value = configFile(I, given.v, name.v, flag, n);
  }
  // Journalled as an attribute write, as absl's DEFINEs are: a branch the walk only previews does not declare it.
  I.slots.write(attrSlot(abslFlags(I).attrs, name.v, `the config flag \`${flag}\``), value, I.undo);
  return { k: 'ns', typeName: 'FlagHolder', attrs: new Map([['value', value]]) };
}

/** Every value of a ConfigDict (a copy) labelled with `why`. */
function labelled(v: ConfigNs, why: string): ConfigNs {
  return copyConfig(v, (x) => (x.k === 'unknown' || x.k === 'func' ? x : { ...x, assumed: why }), true);
}

/**
 * The value of a config flag whose default is `spec` (`configs/default.py`, or `configs/vit.py:b16` passing `'b16'` to
 * `get_config`): the file's `get_config()`, read from the root or the script's folder (the working directory the script
 * is run from), every value labelled.
 */
function configFile(I: Interpreter, spec: string, name: string, flag: string, n: SyntaxNode): PyVal {
  const ctx = interpContext(I);
  const colon = spec.indexOf('.py:');
  const file = colon >= 0 ? spec.slice(0, colon + 3) : spec;
  const param = colon >= 0 ? spec.slice(colon + 4) : null;
  const fail = (why: string) => unknown(`\`FLAGS.${name}\`: the default config file of \`${flag}\` (${spec}) ${why}`);
  if (!ctx) return fail('is not read without a workspace');
  if (!file.endsWith('.py')) return fail('is not a Python file (only `get_config()` files are read)');
  const view = ctx.loader.view;
  const candidates = file.startsWith('/') ? [file] : [joinPath(view.root, file), joinPath(dirname(ctx.file), file)];
  const mod = ctx.loader.loadFile(candidates, ctx.depth + 1);
  if (mod === null) return fail('is not found in the workspace');
  if (mod.k !== 'ns') return fail(mod.k === 'unknown' ? `could not be read: ${mod.reason}` : 'could not be read');
  const fn = mod.attrs.get('get_config');
  if (fn?.k !== 'func') return fail('has no `get_config()` function');
  const rel = relativeToRoot(view.root, candidates.find((c) => ctx.loader.loadedModule(c) === mod) ?? file);
  const config = callFunc(I, fn, param === null ? [] : [str(param)], [], n);
  if (config.k === 'unknown') return unknown(`\`FLAGS.${name}\`: ${rel}'s get_config() (the default of \`${flag}\`) is not known: ${config.reason}`);
  if (config.k !== 'ns') return fail(`gives ${repr(config)} from \`get_config()\`, which is not a config LR Lens reads`);
  return labelled(config, `default of the config flag ${flag} (${rel}'s get_config()${param === null ? '' : ` with ${repr(str(param))}`}); ` +
    `the command line may give another file or set its fields (\`${flag}.<field>=…\`)`);
}
