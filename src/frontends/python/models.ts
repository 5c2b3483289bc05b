/**
 * Models of library and builtin-type methods: dict / list / str methods, a
 * scheduler's `.step()` & co (recorded as uses), argparse (defaults become
 * labelled assumptions) and Lightning's `save_hyperparameters()`.
 */
import { hfParserMethod } from './hf';
import { PyError } from '../../engine/types';
import type { EvaluatedArgs, Interpreter } from './interp';
import { ATTRIBUTE_DICTS, carryFrom, hashableEq, isVague, vague, vagueReason } from './access';
import { callFunc, vagueCall } from './calls';
import { libraryMethod } from './configs';
import { attrSlot, dictSlot, listItems } from './slots';
import { keyId } from './statements';
import { storedIn } from './mlCollections';
import { shortText, rangeOf, SyntaxNode } from './syntax';
import { NONE, PyVal, Scope, bool, repr, str, typeName, unknown } from './values';

const STR_METHODS = new Set(['lower', 'upper', 'strip', 'startswith', 'endswith', 'replace', 'format', 'split']);

/** Methods of values we model (dict.get, list.append, scheduler.step, argparse); null = not a method we handle. */
export function methodCall(I: Interpreter, obj: PyVal, method: string, n: SyntaxNode, argsOf: (s: Scope) => EvaluatedArgs, s: Scope): PyVal | null {
  const lib = libraryMethod(I, obj, method, () => argsOf(s), n);
  if (lib) return lib;
  if (obj.k === 'scheduler') {
    const args = argsOf(s);
    I.hooks.use(obj, method, n, args.pos.map((a) => a.val));
    return unknown(`\`${shortText(n)}\` is computed at run time`, rangeOf(n));
  }
  if (method === 'update' && (obj.k === 'dict' || (obj.k === 'ns' && DICT_LIKE.has(obj.typeName)))) return updateCall(I, obj, n, argsOf(s));
  if (obj.k === 'dict' && (method === 'get' || method === 'setdefault' || method === 'pop')) {
    const args = argsOf(s);
    const key = args.pos[0]?.val;
    if (!key) throw new PyError('TypeError', `${method} expected at least 1 argument, got 0`);
    const slot = () => dictSlot(obj.entries, key, keyId(key), (k) => hashableEq(k, key), `${receiver(n)}[${repr(key)}]`);
    if (isVague(key)) {
      // Which key `pop` / `setdefault` change is not known: so is every value of the dict from here on.
      if (method !== 'get') forgetEntries(I, obj, `\`${shortText(n)}\` (line ${n.startPosition.row + 1}) changes a key that is not known`);
      return vague(key, n);
    }
    const hit = obj.entries.find(([k]) => hashableEq(k, key));
    // `pop` removes the key, `setdefault` adds it when absent (both journalled, as an assignment is).
    if (hit) {
      if (method === 'pop') I.slots.write(slot(), undefined, I.undo);
      return hit[1];
    }
    const d = args.pos[1]?.val;
    if (d === undefined && method === 'pop') throw new PyError('KeyError', repr(key));
    if (method === 'setdefault') I.slots.write(slot(), d ?? NONE, I.undo);
    return d ?? NONE;
  }
  if (obj.k === 'dict' && (method === 'keys' || method === 'values' || method === 'items')) {
    const items = obj.entries.map(([k, v]) =>
      method === 'keys' ? k : method === 'values' ? v : ({ k: 'list', items: [k, v], tuple: true } as PyVal));
    return { k: 'list', items, tuple: false };
  }
  if (obj.k === 'list' && !obj.tuple && (method === 'append' || method === 'extend')) {
    const v = argsOf(s).pos[0]?.val;
    const added = v && method === 'append' ? [v] : v && v.k === 'list' ? v.items : [];
    const target = n.childForFieldName('function')?.childForFieldName('object');
    const slot = listItems(obj.items, target ? shortText(target, 60) : 'the list');
    I.slots.write(slot, { k: 'list', items: [...obj.items, ...added], tuple: false }, I.undo);
    return NONE;
  }
  if (obj.k === 'str' && STR_METHODS.has(method)) {
    const args = argsOf(s);
    return carryFrom(strMethod(I, obj.v, method, n, args), [obj, ...args.pos.map((a) => a.val)]);
  }
  if (obj.k === 'opaque' && obj.typeName === 'Fabric' && method === 'launch' && !I.running) {
    // Lightning Fabric: `fabric.launch(main, *args)` runs `main(fabric, *args)` in each process.
    const args = argsOf(s);
    const fn = args.pos[0]?.val;
    if (fn?.k === 'func' && !args.splatReason) return callFunc(I, fn, [obj, ...args.pos.slice(1).map((a) => a.val)], args.kw.map(([k, a]) => [k, a.val]), n);
    return null;
  }
  if (obj.k === 'ns' && obj.typeName === 'ArgumentParser') return argparseCall(I, obj, method, argsOf(s), n);
  if (obj.k === 'ns' && (obj.typeName === 'HfArgumentParser' || obj.typeName === 'TrlParser')) return hfParserMethod(obj, method, argsOf(s));
  if (obj.k === 'ns' && method === 'save_hyperparameters') return saveHyperparameters(obj, argsOf(s), s);
  return null;
}

/**
 * Mappings whose `update` writes keys: a dict, `vars(ns)` / `ns.__dict__` (the namespace's own attributes: argparse
 * results updated from a config file, `args.__dict__.update(yaml.safe_load(f))`), OmegaConf's DictConfig and
 * Lightning's AttributeDict (dict subclasses, or MutableMapping).
 */
const DICT_LIKE = ATTRIBUTE_DICTS;

/** The source text of the object a method is called on (`config` in `config.update(…)`). */
function receiver(n: SyntaxNode): string {
  const target = n.childForFieldName('function')?.childForFieldName('object');
  return target ? shortText(target, 60) : 'the dict';
}

/** Every value of `obj` becomes unknown with `why` (journalled): a change LR Lens cannot follow was made to it. */
function forgetEntries(I: Interpreter, obj: PyVal & ({ k: 'dict' } | { k: 'ns' }), why: string): void {
  if (obj.k === 'dict') {
    for (const [k] of [...obj.entries]) I.slots.write(dictSlot(obj.entries, k, keyId(k), (x) => hashableEq(x, k), repr(k)), unknown(why), I.undo);
  } else {
    for (const k of [...obj.attrs.keys()]) I.slots.write(attrSlot(obj.attrs, k, k), unknown(why), I.undo);
  }
}

/**
 * `d.update(other, **kw)` as Python's dict.update: each key of `other` (a dict, a dict-like namespace, pairs), then
 * each keyword, written into `d` (journalled, so a branch's update is undone or merged as an assignment is). A source
 * LR Lens cannot see (an unknown value, an unexpanded `**`) may replace any key: every value of `d` becomes unknown,
 * saying so (the keywords written are still known).
 */
function updateCall(I: Interpreter, obj: PyVal & ({ k: 'dict' } | { k: 'ns' }), n: SyntaxNode, args: EvaluatedArgs): PyVal {
  const where = `\`${shortText(n, 60)}\` (line ${n.startPosition.row + 1})`;
  const pairs: [PyVal, PyVal][] = [];
  let blind: string | null = args.splatReason ? `a \`**\` argument of ${where} is not known: ${args.splatReason}` : null;
  const src = args.pos[0]?.val;
  if (args.pos.length > 1) blind = `${where} is given ${args.pos.length} positional arguments`;
  else if (src?.k === 'dict') pairs.push(...src.entries);
  else if (src?.k === 'ns' && DICT_LIKE.has(src.typeName)) for (const [k, v] of src.attrs) pairs.push([str(k), v]);
  else if (src?.k === 'list' && src.items.every((x) => x.k === 'list' && x.items.length === 2)) {
    for (const x of src.items) if (x.k === 'list') pairs.push([x.items[0]!, x.items[1]!]);
  } else if (src) blind = `${where} may set any key: ${isVague(src) ? vagueReason(src, n) : `its argument (a ${typeName(src)}) is not read`}`;
  for (const [k, a] of args.kw) pairs.push([str(k), a.val]);
  if (blind) forgetEntries(I, obj, blind);
  for (const [k, v] of pairs) {
    if (obj.k === 'dict') {
      if (isVague(k)) {
        forgetEntries(I, obj, `${where} sets a key that is not known`);
        continue;
      }
      I.slots.write(dictSlot(obj.entries, k, keyId(k), (x) => hashableEq(x, k), `${receiver(n)}[${repr(k)}]`), v, I.undo);
    } else if (k.k === 'str') {
      writeField(I, obj, k.v, v, `${receiver(n)}[${repr(k)}]`);
    } else {
      forgetEntries(I, obj, `${where} sets a key that is not a string`);
    }
  }
  return NONE;
}

/**
 * Writes `key` of a dict-like namespace. An ml_collections ConfigDict updates a field that is a ConfigDict with the
 * new mapping's keys (recursively, ConfigDict.update) and turns a dict into a ConfigDict (convert_dict).
 */
function writeField(I: Interpreter, obj: PyVal & { k: 'ns' }, key: string, v: PyVal, label: string): void {
  const old = obj.attrs.get(key);
  if (obj.typeName === 'ConfigDict' && old?.k === 'ns' && old.typeName === 'ConfigDict' && (v.k === 'dict' || (v.k === 'ns' && v.typeName === 'ConfigDict'))) {
    const pairs: [string, PyVal][] = v.k === 'dict' ? v.entries.flatMap(([k, x]) => (k.k === 'str' ? [[k.v, x] as [string, PyVal]] : [])) : [...v.attrs];
    for (const [k, x] of pairs) writeField(I, old, k, x, `${label}[${repr(str(k))}]`);
    return;
  }
  const stored = storedIn(obj, v);
  I.slots.write(attrSlot(obj.attrs, key, label), stored, I.undo);
}

/** The few str methods configs use (`mode.lower() == "cos"`, `"… {}".format(x)` in a raise). */
function strMethod(I: Interpreter, text: string, method: string, n: SyntaxNode, args: EvaluatedArgs): PyVal {
  const vals = args.pos.map((a) => a.val);
  for (const v of [...vals, ...args.kw.map(([, a]) => a.val)]) {
    if (isVague(v)) return vagueCall(I, vagueReason(v, n), n);
  }
  const arg = (i: number) => {
    const v = vals[i];
    if (v?.k !== 'str') throw new PyError('TypeError', `${method}() argument must be str, not ${v ? typeName(v) : 'nothing'}`);
    return v.v;
  };
  switch (method) {
    case 'lower': return str(text.toLowerCase());
    case 'upper': return str(text.toUpperCase());
    case 'strip': return str(text.trim());
    case 'startswith': return bool(text.startsWith(arg(0)));
    case 'endswith': return bool(text.endsWith(arg(0)));
    case 'replace': return str(text.split(arg(0)).join(arg(1)));
    case 'split': {
      // `s.split(",")`, `s.split()` (runs of whitespace); `maxsplit` is not evaluated.
      if (vals.length > 1 || args.kw.length) return vagueCall(I, `\`${shortText(n)}\`: \`split\` with maxsplit is not evaluated`, n);
      if (vals.length === 0 || vals[0]!.k === 'none') {
        const t = text.trim();
        return { k: 'list', items: t ? t.split(/\s+/).map(str) : [], tuple: false };
      }
      const sep = arg(0);
      if (!sep) throw new PyError('ValueError', 'empty separator');
      return { k: 'list', items: text.split(sep).map(str), tuple: false };
    }
    default: {
      const r = formatString(text, vals, new Map(args.kw.map(([k, a]) => [k, a.val])));
      return typeof r === 'string' ? str(r) : vagueCall(I, r.reason, n);
    }
  }
}

/**
 * Lightning's `self.save_hyperparameters()` in `__init__`: `self.hparams` gets the parameters
 * (all of them, the names given, or the one dict / namespace passed).
 */
function saveHyperparameters(self: PyVal & { k: 'ns' }, args: EvaluatedArgs, scope: Scope): PyVal {
  const attrs = new Map<string, PyVal>();
  const names = args.pos.map((a) => a.val).filter((v): v is PyVal & { k: 'str' } => v.k === 'str').map((v) => v.v);
  const only = args.pos.length === 1 ? args.pos[0]!.val : null;
  if (only?.k === 'dict') only.entries.forEach(([k, v]) => { if (k.k === 'str') attrs.set(k.v, v); });
  else if (only?.k === 'ns') only.attrs.forEach((v, k) => attrs.set(k, v));
  else {
    for (const [k, v] of scope.vars) {
      if (k !== 'self' && k !== '__class__' && (names.length === 0 || names.includes(k))) attrs.set(k, v);
    }
  }
  self.attrs.set('hparams', { k: 'ns', typeName: 'AttributeDict', attrs, missing: (a) => `\`self.hparams.${a}\` is not a parameter of \`__init__()\`` });
  return NONE;
}

/** `set_defaults` values by parser (its option table, shared with its groups). */
const PARSER_DEFAULTS = new WeakMap<Map<string, PyVal>, Map<string, PyVal>>();

/**
 * `parser.add_argument('--lr', default=0.1)` records defaults (`set_defaults` replaces them; a group's options are the
 * parser's); `parse_args()` returns a run-time Namespace. Writes are journalled like attributes (a branch the walk
 * only previews does not change the parser).
 */
/**
 * The name the script gives the namespace `parse_args()` returns (`opt = parser.parse_args()`, `args, _ =
 * parser.parse_known_args()`), so that a reason names what the user wrote; `args` when the call is not assigned
 * to a name (`return parser.parse_args()`).
 */
function namespaceName(call: SyntaxNode): string {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const assignment = n.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== n.id) return 'args';
  let left = assignment.childForFieldName('left');
  if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) left = left.namedChildren[0] ?? null;
  return left?.type === 'identifier' ? left.text : 'args';
}

function argparseCall(I: Interpreter, parser: PyVal & { k: 'ns' }, method: string, args: EvaluatedArgs, n: SyntaxNode): PyVal {
  const set = (dest: string, v: PyVal, table = parser.attrs) => I.slots.write(attrSlot(table, dest, `the default of \`${dest}\``), v, I.undo);
  // `set_defaults(x=…)`: also the default of an option added later without its own `default=`.
  let parserDefaults = PARSER_DEFAULTS.get(parser.attrs);
  if (!parserDefaults) PARSER_DEFAULTS.set(parser.attrs, (parserDefaults = new Map()));
  if (method === 'add_argument') {
    const flags = args.pos.map((a) => a.val).filter((v): v is PyVal & { k: 'str' } => v.k === 'str').map((v) => v.v);
    const long = flags.find((f) => f.startsWith('--')) ?? flags[0];
    const destArg = args.kw.find(([k]) => k === 'dest')?.[1].val;
    const dest = destArg?.k === 'str' ? destArg.v : long?.replace(/^-+/, '').replace(/-/g, '_');
    const action = args.kw.find(([k]) => k === 'action')?.[1].val;
    const flagDefault = action?.k === 'str' && (action.v === 'store_true' || action.v === 'store_false') ? bool(action.v === 'store_false') : undefined;
    const def = args.kw.find(([k]) => k === 'default')?.[1].val ?? flagDefault;
    // Without its own `default=`, an option added after `set_defaults(x=…)` takes that value (argparse's add_argument).
    const given = dest && !args.kw.some(([k]) => k === 'default') ? parserDefaults.get(dest) : undefined;
    if (dest && long) set(dest, given ?? (def && def.k !== 'unknown' ? { ...def, assumed: `default of ${long}` } : unknown(`\`${long}\` has no visible default`)));
    return NONE;
  }
  // A group's options are the parser's: the group shares its table.
  if (method === 'add_argument_group' || method === 'add_mutually_exclusive_group') return { k: 'ns', typeName: 'ArgumentParser', attrs: parser.attrs };
  if (method === 'set_defaults') {
    // `parser.set_defaults(lr=0.01)` replaces the defaults; `**cfg` LR Lens cannot see may replace any of them.
    if (args.splatReason) {
      for (const dest of [...parser.attrs.keys()]) set(dest, unknown(`\`parser.set_defaults(…)\` may set its default: ${args.splatReason}`));
    }
    for (const [k, a] of args.kw) {
      const v = a.val.k === 'unknown' ? a.val : { ...a.val, assumed: `default set by \`set_defaults(${k}=…)\`` };
      set(k, v);
      set(k, v, parserDefaults);
    }
    return NONE;
  }
  if (method === 'parse_args' || method === 'parse_known_args') {
    const attrs = new Map<string, PyVal>();
    const name = namespaceName(n);
    for (const [dest, def] of parser.attrs) {
      attrs.set(dest, def.k === 'unknown'
        ? unknown(`\`${name}.${dest}\` is set at run time (command-line argument)${def.reason.endsWith('has no visible default') ? '' : `, and its default is not known: ${def.reason}`}`)
        : { ...def, assumed: `${def.assumed}; \`${name}.${dest}\` is set at run time (command-line argument)` });
    }
    const ns: PyVal = {
      k: 'ns', typeName: 'Namespace', attrs,
      missing: (attr) => `\`${name}.${attr}\` is set at run time (command-line argument)`,
    };
    return method === 'parse_args' ? ns : { k: 'list', items: [ns, { k: 'list', items: [], tuple: false }], tuple: true };
  }
  return NONE;
}

/** `str.format` with `{}`, `{0}` and `{name}` fields; a format spec (`{:.2f}`) is not evaluated. */
function formatString(template: string, pos: PyVal[], kw: Map<string, PyVal>): string | { reason: string } {
  let auto = 0;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) throw new PyError('ValueError', "Single '{' encountered in format string");
    const field = template.slice(i + 1, close);
    i = close;
    if (/[:!.[]/.test(field)) return { reason: `the format field \`{${field}}\` is not evaluated` };
    const v = field === '' ? pos[auto++] : /^\d+$/.test(field) ? pos[Number(field)] : kw.get(field);
    if (!v) throw new PyError(field === '' || /^\d+$/.test(field) ? 'IndexError' : 'KeyError', field === '' || /^\d+$/.test(field) ? 'Replacement index out of range for positional args tuple' : `'${field}'`);
    out += pyStr(v);
  }
  return out;
}

/** `str(v)` for messages: strings as they are, other values as their repr. */
export function pyStr(v: PyVal): string {
  return v.k === 'str' ? v.v : repr(v);
}
