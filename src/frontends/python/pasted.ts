/**
 * Classes recognised by name (the blog's, katsura-jp's, pl_bolts'; imports.ts, families.ts) when the file, or a
 * module of the repository, defines one: the definition is checked against the library's `__init__`. Many
 * repositories define their own class under the same name (microsoft/LoRA's `CosineAnnealingWarmupRestarts(optimizer,
 * max_lr, min_lr, warmup_steps, max_steps, alpha)`, a subclass of torch's CosineAnnealingWarmRestarts taking `*args,
 * **kwargs`, a blog copy with extra parameters): binding a call to such a class with the library's signature claims a
 * TypeError Python never raises, or draws another schedule. So:
 * - other parameter names (or order, or `*args` / `**kwargs`): not the library's class — a user class like any other;
 * - the same parameters with other defaults (`min_lr=1e-7`): the library's class with the file's defaults, which
 *   Python uses for an argument the call leaves out.
 */
import { FAMILY_SIGNATURES } from '../../engine/families/signatures';
import { SIGNATURES } from '../../engine/signatures';
import type { Arg, ParamSpec } from '../../engine/types';
import { PASTED_FAMILY_CLASSES } from './families';
import { BLOG_CLASSES } from './imports';
import type { EvaluatedArgs } from './interp';
import { foreignFile } from './modules';
import { kids, lineOf, type SyntaxNode } from './syntax';
import type { PyVal } from './values';

/** What the definition of a recognised class name says: the library's (with the defaults it changes) or not. */
export type PastedCheck =
  | { library: true; defaults: { name: string; node: SyntaxNode; val: PyVal }[] }
  | { library: false; reason: string };

const CHECKS = new WeakMap<object, PastedCheck>();

/** The libraries' own modules (katsura's pip package, pl_bolts): their classes are the libraries'. */
const LIBRARY_MODULES = /^(cosine_annealing_warmup(\.scheduler)?|pl_bolts\.optimizers(\.lr_scheduler)?)\.[A-Za-z_]+$/;

/** Whether `name` is a class recognised by its name (blog, katsura, pl_bolts). */
function isPastedName(name: string): boolean {
  return libraryParams(name) !== null;
}

/** The library parameters a recognised class name stands for, or null for any other name. */
function libraryParams(name: string): ParamSpec[] | null {
  if (BLOG_CLASSES.has(name)) return SIGNATURES[name as keyof typeof SIGNATURES]?.params ?? null;
  const kind = PASTED_FAMILY_CLASSES.get(name);
  return kind ? FAMILY_SIGNATURES[kind].params : null;
}

/** The `__init__` defined directly in a class body (decorated or not), or null. */
function initOf(body: SyntaxNode): SyntaxNode | null {
  for (const st of kids(body)) {
    const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === '__init__') return def;
  }
  return null;
}

/** A parameter's name and default node (null: required; `*` for `*args` / `**kw` / a bare `*`). */
function paramOf(p: SyntaxNode): { name: string; def: SyntaxNode | null } | null {
  switch (p.type) {
    case 'identifier': return { name: p.text, def: null };
    case 'typed_parameter': return { name: kids(p).find((k) => k.type === 'identifier')?.text ?? '*', def: null };
    case 'default_parameter': case 'typed_default_parameter':
      return { name: p.childForFieldName('name')?.text ?? '*', def: p.childForFieldName('value') };
    case 'list_splat_pattern': case 'dictionary_splat_pattern': case 'keyword_separator': return { name: '*', def: null };
    case 'positional_separator': return null;
    default: return { name: '*', def: null };
  }
}

/** The Arg a default's value stands for, when it is a plain constant (else null: compared as different). */
function constantArg(v: PyVal): Arg | null {
  switch (v.k) {
    case 'int': return v.np ? null : { kind: 'int', value: v.v };
    case 'float': return v.np ? null : { kind: 'float', value: v.v };
    case 'bool': return { kind: 'bool', value: v.v };
    case 'str': return { kind: 'str', value: v.v };
    case 'none': return { kind: 'none' };
    default: return null;
  }
}

function sameDefault(lib: Arg | undefined, v: PyVal): boolean {
  const a = constantArg(v);
  if (!lib || !a || lib.kind !== a.kind) return false;
  return 'value' in lib && 'value' in a ? Object.is(lib.value, a.value) : lib.kind === 'none';
}

/**
 * Checks a class definition named like a recognised library class (`classNode`: its class_definition;
 * `evalDefault`: a default's value, evaluated where the class is defined), and remembers the answer for `cls`.
 * Returns null for any other name.
 */
export function checkPastedClass(cls: object, name: string, classNode: SyntaxNode, evalDefault: (n: SyntaxNode) => PyVal): PastedCheck | null {
  const lib = libraryParams(name);
  if (!lib) return null;
  const where = `the class \`${name}\` defined at line ${lineOf(classNode)}`;
  const body = classNode.childForFieldName('body');
  const init = body ? initOf(body) : null;
  let check: PastedCheck;
  if (!init) {
    check = { library: false, reason: `${where} has no \`__init__\` of its own: it is not the library's class` };
  } else {
    const params = kids(init.childForFieldName('parameters')!).map(paramOf).filter((p): p is { name: string; def: SyntaxNode | null } => p !== null);
    const own = params.slice(1); // self
    const names = own.map((p) => p.name);
    const want = lib.map((p) => p.name);
    if (names.length !== want.length || names.some((n, i) => n !== want[i])) {
      check = { library: false, reason: `${where} takes (${names.join(', ')}), not the library's (${want.join(', ')})` };
    } else {
      const defaults: { name: string; node: SyntaxNode; val: PyVal }[] = [];
      let mismatch: string | null = null;
      own.forEach((p, i) => {
        const spec = lib[i]!;
        if ((p.def === null) !== (spec.default === undefined)) mismatch ??= `\`${p.name}\` is ${p.def ? 'optional' : 'required'} there`;
        else if (p.def) {
          const val = evalDefault(p.def);
          if (!sameDefault(spec.default, val)) defaults.push({ name: p.name, node: p.def, val });
        }
      });
      check = mismatch ? { library: false, reason: `${where}: ${mismatch}, unlike the library's` } : { library: true, defaults };
    }
  }
  CHECKS.set(cls, check);
  return check;
}

/** Whether a class value named like a library class is that library's (true for one never checked: not defined in code LR Lens read). */
export function isLibraryClass(cls: PyVal & { k: 'class' }): boolean {
  return CHECKS.get(cls)?.library !== false;
}

/**
 * A reference to a class recognised by its name only (`mylib.sched.CosineAnnealingWarmupRestarts`: not the library's
 * own module, and a module LR Lens did not read, else the value would be its class): the arguments marked with why.
 */
export function withByName(callee: PyVal, args: EvaluatedArgs): EvaluatedArgs {
  if (callee.k !== 'ref' || LIBRARY_MODULES.test(callee.path)) return args;
  const dot = callee.path.lastIndexOf('.');
  const name = callee.path.slice(dot + 1);
  if (dot < 0 || !isPastedName(name)) return args;
  return { ...args, byName: `\`${name}\` is imported from \`${callee.path.slice(0, dot)}\`, which LR Lens did not read: taken as the library's class by its name` };
}

/**
 * The call's arguments with the defaults the file's copy of the class changes, for each parameter the call leaves
 * out (Python uses the class's own default then, not the library's).
 */
export function withPastedDefaults(cls: PyVal & { k: 'class' }, args: EvaluatedArgs, call: SyntaxNode): EvaluatedArgs {
  const check = CHECKS.get(cls);
  if (!check?.library || !check.defaults.length || args.splatReason) return args;
  const lib = libraryParams(cls.name) ?? [];
  const given = new Set([...args.kw.map(([k]) => k), ...lib.slice(0, args.pos.length).map((p) => p.name)]);
  // A default written in another module: its node is that file's, so the value is shown at the call instead.
  const at = (d: SyntaxNode): SyntaxNode => (foreignFile(d) === foreignFile(call) ? d : call.childForFieldName('function') ?? call);
  const extra = check.defaults.filter((d) => !given.has(d.name)).map((d): [string, { node: SyntaxNode; val: PyVal }] => [d.name, { node: at(d.node), val: d.val }]);
  return extra.length ? { ...args, kw: [...args.kw, ...extra] } : args;
}
