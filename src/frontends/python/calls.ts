/**
 * Calls: what a callee value does with evaluated arguments (constructions go to
 * the recorder, builtins, classes of the file, user functions with Python's
 * argument binding), and making function values (`lambda`, `def`).
 */
import { OPTIMIZERS } from '../../engine/optimizers';
import { SCHEDULE_WORDS, wordsOfNode } from './relevance';
import { PyError } from '../../engine/types';
import type { ArgSlot, EvaluatedArgs, Interpreter } from './interp';
import { abslDefine } from './absl';
import { easyDictCall, mlCollectionsCall } from './mlCollections';
import { CallBudget } from './budget';
import { callBuiltin, isKnownBuiltin, iterate } from './builtins';
import { getAttr } from './expressions';
import { bindParams } from './functions';
import { BLOG_CLASSES, blogClassOf, torchSchedulerOf } from './imports';
import { isLibraryClass, withByName, withPastedDefaults } from './pasted';
import { libraryBuiltin, libraryCall } from './configs';
import { familyCallee, isNonTorchModule, isTimmSchedulerKwargs, timmSchedulerKwargs } from './families';
import { hfArgumentParser, hfTrainerSettings } from './hf';
import { methodCall } from './models';
import { parserThrough, wrapperCall, wrapperMethod } from './wrappers';
import { joinLabels, labelWithin, vagueReason } from './access';
import { Indeterminate, type Code, type Stage } from './stage';
import { enclosing, isFrozen, kids, lineOf, shortText, rangeOf, SyntaxNode } from './syntax';
import { CallSites } from './callsites';
import { foreignFile, interpContext, relativeToRoot } from './modules';
import { FuncVal, NONE, PyVal, Scope, VarMap, classAttr, firstUnknown, foreignBase, instanceCall, int, isDataLoader, DATA_LOADER_TYPE, lineage, loaderLengthLabel, ownBehaviour, str, typeName, unknown } from './values';


/** Builtins handled by the interpreter itself (they need more than values: attributes, keywords). */
export const INTERP_BUILTINS = new Set(['dict', 'print', 'getattr', 'super', 'map']);

const MAX_CALL_DEPTH = 40;
/** Operations of one user-function call made during the static walk (e.g. `T = steps(EPOCHS)`). */
const STATIC_CALL_OPS = 50_000;

/** `obj.method(…)` once `obj` is evaluated: a method we model, else the attribute called. */
export function callMethod(I: Interpreter, obj: PyVal, method: string, fnNode: SyntaxNode, n: SyntaxNode, args: (s: Scope) => EvaluatedArgs, s: Scope): PyVal {
  // `super().__init__(optimizer, T_max=epochs)` in a class that only passes its arguments on to a torch scheduler:
  // that scheduler's construction, here, with these arguments.
  const sup = I.superInit;
  if (sup && !sup.built && method === '__init__' && obj.k === 'opaque' && obj.typeName === 'super' && enclosing(n, ['function_definition'])?.id === sup.init) {
    I.superInit = null;
    try {
      // Its methods passed on (`self.lr_lambda`, ViT-pytorch's WarmupCosineSchedule) read the attributes `__init__`
      // set before: kept as they are now (the walk's journal of an `if` branch not taken would undo them before the
      // engine calls the method).
      const a = args(s);
      const snap: PyVal = sup.inst.k === 'ns' ? { ...sup.inst, attrs: new Map(sup.inst.attrs) } : sup.inst;
      const rebind = (v: PyVal): PyVal => (v.k === 'func' && v.bound?.pos[0] === sup.inst ? { ...v, bound: { ...v.bound, pos: [snap, ...v.bound.pos.slice(1)] } } : v);
      const slot = (x: ArgSlot): ArgSlot => ({ node: x.node, val: rebind(x.val) });
      sup.built = apply(I, { k: 'ref', path: sup.base }, n, { ...a, pos: a.pos.map(slot), kw: a.kw.map(([k, x]) => [k, slot(x)]) });
    } finally {
      I.superInit = sup;
    }
    return NONE;
  }
  const modelled = methodCall(I, obj, method, n, args, s);
  if (modelled) return modelled;
  const callee = getAttr(I, obj, method, fnNode);
  const evaluated = args(s);
  return wrapperMethod(obj, method, fnNode, n, evaluated) ?? apply(I, callee, n, evaluated);
}

/** Calls a callee value on evaluated arguments: constructions, builtins, user functions, classes. */
export function apply(I: Interpreter, callee: PyVal, n: SyntaxNode, args0: EvaluatedArgs): PyVal {
  // The class itself rests on an assumption (lightning-bolts' MoCo: `lr_scheduler: Type[LRScheduler] =
  // CosineAnnealingLR`, built as `self.lr_scheduler_class(optimizer, …)`): the construction says so.
  const args = callee.assumed && !args0.byName && (callee.k === 'ref' || callee.k === 'class') ? { ...args0, byName: callee.assumed } : args0;
  const schedKind = callee.k === 'ref' ? torchSchedulerOf(callee.path) : null;
  if (schedKind) return I.hooks.scheduler(schedKind, 'torch', n, args);
  const blog = callee.k === 'class' && BLOG_CLASSES.has(callee.name) && isLibraryClass(callee) ? callee.name : callee.k === 'ref' ? blogClassOf(callee.path) : null;
  if (blog) return I.hooks.scheduler(blog, 'blog', n, callee.k === 'class' ? withPastedDefaults(callee, args, n) : withByName(callee, args));
  const family = familyCallee(callee);
  if (family) return I.hooks.scheduler(family.kind, family.family, n, callee.k === 'class' ? withPastedDefaults(callee, args, n) : withByName(callee, args));
  if (callee.k === 'ref' && isTimmSchedulerKwargs(callee.path) && !args.splatReason) {
    const kwargs = timmSchedulerKwargs(args.pos[0]?.val ?? args.kw.find(([k]) => k === 'cfg')?.[1].val);
    if (kwargs) return kwargs;
  }
  if (callee.k === 'ref') {
    const last = callee.path.slice(callee.path.lastIndexOf('.') + 1);
    if (OPTIMIZERS.has(last) && callee.path.includes('.') && !isNonTorchModule(callee.path)) return I.hooks.optimizer(last, n, args);
  }
  if (callee.k === 'class' && callee.bases && !I.running) {
    I.loopFacts?.hf.classCall(I, callee, args, n);
    // (A class that only passes its arguments on to a torch scheduler is that scheduler's construction, previewed.)
    if (!thinTorchScheduler(callee)) I.loopFacts?.schedulerClassCall(callee, n);
  }
  switch (callee.k) {
    case 'builtin': return callBuiltinValue(I, callee.name, args, n);
    case 'func': {
      if (args.splatReason) return vagueCall(I, args.splatReason, n);
      return callFunc(I, callee, args.pos.map((a) => a.val), args.kw.map(([k, a]) => [k, a.val]), n);
    }
    case 'class': return instantiate(I, callee, args, n);
    case 'ref': return callRef(I, callee.path, args, n);
    case 'opaque': return parserThrough(n, args) ?? { k: 'opaque', typeName: 'object', desc: `${callee.desc}(…)` };
    case 'unknown': return parserThrough(n, args) ?? vagueCall(I, callee.reason, n);
    case 'ns': {
      const instanceCall = callee.cls?.k === 'class' ? callInstance(I, callee, callee.cls, n, args) : null;
      if (instanceCall) return instanceCall;
      return notCallable(I, callee, n);
    }
    default: return notCallable(I, callee, n);
  }
}

/**
 * Calling an instance of a class of the file: its `__call__` (through its bases), bound to it; unknown when a base is
 * a library class (`nn.Module`'s instances are callable), not a TypeError LR Lens could stand by. Null: Python raises.
 */
function callInstance(I: Interpreter, inst: PyVal & { k: 'ns' }, cls: PyVal & { k: 'class' }, n: SyntaxNode, args: EvaluatedArgs): PyVal | null {
  const call = instanceCall(inst);
  if (call) return apply(I, call, n, args);
  const base = foreignBase(cls);
  return base ? vagueCall(I, `\`${shortText(n)}\`: calling a \`${inst.typeName}\` instance (its class ${base}) is not evaluated`, n) : null;
}

function notCallable(I: Interpreter, callee: PyVal, n: SyntaxNode): PyVal {
  if (I.running) throw new PyError('TypeError', `'${typeName(callee)}' object is not callable`);
  return unknown(`\`${shortText(n)}\`: '${typeName(callee)}' object is not callable`, rangeOf(n));
}

/** A call whose result depends on something unknown: unknown statically, Indeterminate in run mode. */
export function vagueCall(I: Interpreter, reason: string, n: SyntaxNode): PyVal {
  if (I.running) throw new Indeterminate(reason);
  return unknown(reason, rangeOf(n));
}

/** Builtins whose answer for an instance does not depend on its class's dunder methods. */
const IDENTITY_BUILTINS: ReadonlySet<string> = new Set(['isinstance', 'issubclass', 'type', 'id', 'callable', 'hasattr', 'repr']);

function callBuiltinValue(I: Interpreter, name: string, args: EvaluatedArgs, n: SyntaxNode): PyVal {
  if (args.splatReason) return vagueCall(I, args.splatReason, n);
  if (name === 'dict') {
    const entries: [PyVal, PyVal][] = args.kw.map(([k, a]) => [str(k), a.val]);
    if (args.pos.length) return vagueCall(I, '`dict(…)` with positional arguments is not evaluated', n);
    return { k: 'dict', entries };
  }
  if (name === 'print') return NONE;
  // `map(int, s.split(","))`: the callee on each item (user functions and lambdas too); a list stands for the iterator.
  if (name === 'map' && args.pos.length >= 2 && !args.kw.length) {
    const [callee, ...its] = args.pos.map((a) => a.val);
    for (const v of its) {
      const u = firstUnknown(v);
      if (u) return vagueCall(I, u.reason, n);
    }
    const seqs = its.map((v) => iterate(v));
    const len = Math.min(...seqs.map((q) => q.length));
    const items: PyVal[] = [];
    for (let i = 0; i < len; i++) {
      I.tick();
      items.push(apply(I, callee!, n, { pos: seqs.map((q) => ({ node: n, val: q[i]! })), kw: [], splatReason: null }));
    }
    return { k: 'list', items, tuple: false };
  }
  // `super().__init__(…)` in a class the walk instantiates: a base class we do not model.
  if (name === 'super') return { k: 'opaque', typeName: 'super', desc: 'super()' };
  if (name === 'getattr' && !args.kw.length && (args.pos.length === 2 || args.pos.length === 3)) {
    const [obj, attr, dflt] = args.pos.map((a) => a.val);
    if (attr!.k !== 'str') return vagueCall(I, `\`${shortText(n)}\`: the attribute name is not known`, n);
    const v = getAttr(I, obj!, attr!.v, n);
    return v.k === 'unknown' && dflt && (obj!.k === 'ns' || obj!.k === 'class') && !obj!.attrs.has(attr!.v) ? dflt : v;
  }
  const pos = args.pos.map((a) => a.val);
  // `len(train_loader)` of a DataLoader: its batch count is a run-time value; LR Lens's assumed one, labelled.
  if (name === 'len' && pos.length === 1 && !args.kw.length && isDataLoader(pos[0]!)) {
    const text = shortText(args.pos[0]!.node, 40);
    return I.engineTime ? int(I.assumedStepsPerEpoch) : { ...int(I.assumedStepsPerEpoch), assumed: loaderLengthLabel(text, I.assumedStepsPerEpoch) };
  }
  if (name === 'round' && args.kw.length === 1 && args.kw[0]![0] === 'ndigits') pos.push(args.kw[0]![1].val);
  else if (name === 'enumerate' && args.kw.length === 1 && args.kw[0]![0] === 'start' && pos.length === 1) pos.push(args.kw[0]![1].val);
  else if (args.kw.length) return vagueCall(I, `\`${shortText(n)}\`: keyword arguments of \`${name}()\` are not evaluated`, n);
  // numpy on arrays (or lists standing for them) is not modelled: only its scalar maths is (builtins.ts).
  const array = name.startsWith('numpy.') ? pos.find((v) => v.k !== 'int' && v.k !== 'float' && v.k !== 'bool' && firstUnknown(v) === null && v.k !== 'opaque' && v.k !== 'ref') : undefined;
  if (array) return vagueCall(I, `\`${shortText(n)}\`: numpy on a ${typeName(array)} is not evaluated (scalars only)`, n);
  for (const v of pos) {
    const u = firstUnknown(v);
    if (u) return vagueCall(I, u.reason, n);
    // `float(x)`, `len(x)`, … of an instance whose class may define `__float__`, `__len__`, …: not a TypeError.
    const own = IDENTITY_BUILTINS.has(name) ? null : ownBehaviour(v);
    if (own) return vagueCall(I, `\`${shortText(n)}\`: \`${name}()\` of an instance is not evaluated (${own})`, n);
    if (v.k === 'opaque' || v.k === 'ref') return vagueCall(I, vagueReason(v, n), n);
  }
  const r = libraryBuiltin(name, pos) ?? callBuiltin(name, pos);
  if (I.engineTime) return r; // no labels then, as `carry` says
  // `sum(…)`, `len(…)`, `any(…)` of a list whose items rest on assumptions rest on them too.
  const assumed = pos.reduce<string | undefined>((l, v) => joinLabels(l, labelWithin(v)), undefined);
  return assumed && !r.assumed ? { ...r, assumed } : r;
}

function callRef(I: Interpreter, path: string, args: EvaluatedArgs, n: SyntaxNode): PyVal {
  // A scheduler given to a library callable (`LearningRateScheduler(cdr)`): recorded by the callable's path.
  if (!I.running) for (const a of [...args.pos, ...args.kw.map(([, x]) => x)]) if (a.val.k === 'scheduler') I.hooks.givenTo(a.val, path);
  const lib = libraryCall(I, path, args, n);
  if (lib) return lib;
  const handedBack = wrapperCall(I, path, n, args);
  if (handedBack) return handedBack;
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (path === 'functools.partial' && args.pos[0]?.val.k === 'func' && !args.splatReason) {
    const fn = args.pos[0].val;
    const pos = args.pos.slice(1).map((a) => a.val);
    const kw = args.kw.map(([k, a]) => [k, a.val] as [string, PyVal]);
    const before = fn.bound ?? { pos: [], kw: [] };
    return {
      ...fn, name: `partial(${fn.name})`,
      bound: { pos: [...before.pos, ...pos], kw: [...before.kw.filter(([k]) => !kw.some(([k2]) => k2 === k)), ...kw] },
    };
  }
  const spawned = SPAWNERS.has(path) ? spawnCall(I, path, args, n) : null;
  if (spawned) return spawned;
  // A dataclass field's default (`lr: float = field(default=1e-3)`, `field(default_factory=lambda: [60, 90])`).
  if ((path === 'dataclasses.field' || path === 'field') && !args.pos.length && !args.splatReason) {
    const d = args.kw.find(([k]) => k === 'default')?.[1].val;
    if (d) return d;
    const factory = args.kw.find(([k]) => k === 'default_factory')?.[1].val;
    if (factory) return apply(I, factory, n, { pos: [], kw: [], splatReason: null });
  }
  // tqdm's progress bars iterate over what they wrap: `tqdm(range(n))`, `tqdm(loader, desc=…)`; `trange(…)` is
  // `tqdm(range(…))`. Without an iterable (`tqdm(total=n)`, a bar updated by hand) it is not evaluated.
  const bar = progressBarKind(path);
  if (bar && !args.splatReason) {
    if (bar === 'range') {
      if (args.pos.length >= 1 && args.pos.length <= 3) return callBuiltinValue(I, 'range', { pos: args.pos, kw: [], splatReason: null }, n);
    } else {
      const it = args.pos[0]?.val ?? args.kw.find(([k]) => k === 'iterable')?.[1].val;
      if (it && it.k !== 'none') return it;
    }
  }
  if (path === 'types.SimpleNamespace') {
    return { k: 'ns', typeName: 'SimpleNamespace', attrs: new Map(args.kw.map(([k, a]) => [k, a.val])) };
  }
  const flag = abslDefine(I, path, args) ?? mlCollectionsCall(I, path, args, n) ?? easyDictCall(path, args, n);
  if (flag) return flag;
  if (path === 'argparse.ArgumentParser') {
    // `parents=[get_args_parser()]` (DETR, DeiT): the parents' options first, in order.
    const parents = args.kw.find(([k]) => k === 'parents')?.[1].val;
    const attrs = new Map<string, PyVal>();
    for (const p of parents?.k === 'list' ? parents.items : []) {
      if (p.k === 'ns' && p.typeName === 'ArgumentParser') for (const [k, v] of p.attrs) attrs.set(k, v);
    }
    return { k: 'ns', typeName: 'ArgumentParser', attrs };
  }
  if (isKnownBuiltin(path)) return callBuiltinValue(I, path, args, n);
  const parser = parserThrough(n, args);
  if (parser) return parser;
  if (last === 'Trainer' && /lightning|^pl\./i.test(path) && !I.running) I.loopFacts?.trainer(args);
  if (!I.running) I.loopFacts?.hf.call(path, args, n, hfTrainerSettings(I, path, args, n));
  const hfParser = hfArgumentParser(path, args);
  if (hfParser) return hfParser;
  const made: PyVal = { k: 'opaque', typeName: last, desc: shortText(n, 40) };
  // A data loader's construction changes none of its arguments: one made in a function the walk runs
  // (`def get_loaders(bs): return DataLoader(…), DataLoader(…)`) is a loader too, as at the top level. Not in a function
  // the engine calls (its number would carry no label there).
  if (I.running && (I.engineTime || !isDataLoader(made))) throw new Indeterminate(`\`${shortText(n)}\` calls \`${path}\`, which is not evaluated`);
  return made;
}

/** Library functions that start processes running `fn(index, *args)`: torch's `mp.spawn`, `start_processes`, torch_xla's `xmp.spawn`. */
const SPAWNERS: ReadonlySet<string> = new Set([
  'torch.multiprocessing.spawn', 'torch.multiprocessing.start_processes', 'torch.multiprocessing.spawn.spawn',
  'torch_xla.distributed.xla_multiprocessing.spawn',
]);

/**
 * `mp.spawn(train, args=(a, h), nprocs=n)`: each process runs `train(i, a, h)` with its index `i`, so the walk calls
 * `train` as the script's own `train(…)` call would be, the index unknown. Null (the call stays opaque) when the
 * function or the arguments are not a user function and a tuple LR Lens can see.
 */
function spawnCall(I: Interpreter, path: string, args: EvaluatedArgs, n: SyntaxNode): PyVal | null {
  if (args.splatReason || I.running) return null;
  const fn = (args.pos[0] ?? args.kw.find(([k]) => k === 'fn')?.[1])?.val;
  const passed = (args.pos[1] ?? args.kw.find(([k]) => k === 'args')?.[1])?.val;
  if (fn?.k !== 'func' || (passed !== undefined && passed.k !== 'list')) return null;
  const index = unknown(`the process index \`${path.slice(path.lastIndexOf('.') + 1)}\` passes each process (line ${lineOf(n)})`);
  callFunc(I, fn, [index, ...(passed?.items ?? [])], [], n);
  return NONE;
}

/**
 * Methods torch's schedulers (1.13) define or call, besides `__init__`: a class defining one changes what torch
 * computes (its own `get_lr`, `step`, OneCycleLR's `_annealing_cos`, CyclicLR's `scale_fn`…). Any `_name` counts.
 */
const TORCH_SCHEDULER_METHODS: ReadonlySet<string> = new Set(['get_lr', 'step', 'get_last_lr', 'print_lr', 'scale_fn', 'is_better', 'in_cooldown']);

/**
 * A tqdm progress bar's callable by its path: `tqdm.tqdm` (any of tqdm's submodules: `tqdm.auto`, `tqdm.notebook`…)
 * iterates over what it wraps ('wrap'); `trange` / `tnrange` are `tqdm(range(…))` ('range'). Null for anything else.
 */
export function progressBarKind(path: string): 'wrap' | 'range' | null {
  const m = /^tqdm(?:\.(?:auto|notebook|std|rich|autonotebook|asyncio))?\.(tqdm|tqdm_notebook|trange|tnrange)$/.exec(path);
  return !m ? null : m[1] === 'trange' || m[1] === 'tnrange' ? 'range' : 'wrap';
}

/**
 * A class of the file that only passes its arguments on to the torch scheduler it derives from (`class EpochCosine(
 * CosineAnnealingLR)` whose `__init__` calls `super().__init__(optimizer, T_max=epochs)`): that scheduler's path.
 * Its other methods are its own helpers, which torch never calls, unless named as torch's (TORCH_SCHEDULER_METHODS,
 * `_…`): jeonsworld/ViT-pytorch's `WarmupCosineSchedule(LambdaLR)` hands `self.lr_lambda` to `super().__init__`.
 * Null when it or a class of the file between them defines one of torch's (its own `get_lr`, `step`…), when a class
 * between them defines `__init__` too (its `super()` would not be torch's), or when it derives from anything else.
 */
function thinTorchScheduler(cls: PyVal & { k: 'class' }): string | null {
  const { classes, others, deep } = lineage(cls);
  const foreign = others.filter((x) => !(x.k === 'builtin' && x.name === 'object'));
  const base = foreign.length === 1 && foreign[0]!.k === 'ref' ? foreign[0]!.path : null;
  if (deep || !base || !torchSchedulerOf(base)) return null;
  for (const c of classes) {
    for (const [name, v] of c.attrs) {
      if (v.k !== 'func') continue;
      if (name === '__init__' ? !(c === cls && endsWithSuperInit(v.node))
        : name !== '__repr__' && name !== '__str__' && (name.startsWith('_') || TORCH_SCHEDULER_METHODS.has(name))) return null;
    }
  }
  return base;
}

/**
 * Whether an `__init__`'s last statement is its `super().__init__(…)` (or `super(Cls, self).__init__(…)`): nothing
 * after it changes what torch's constructor set (`self.T_max = T_max - start`, `self.base_lrs = …` would).
 */
function endsWithSuperInit(def: SyntaxNode): boolean {
  const body = def.childForFieldName('body');
  const stmts = body ? kids(body).filter((k) => k.type !== 'comment') : [];
  const last = stmts[stmts.length - 1];
  const call = last?.type === 'expression_statement' ? kids(last)[0] : null;
  const f = call?.type === 'call' ? call.childForFieldName('function') : null;
  const sup = f?.type === 'attribute' && f.childForFieldName('attribute')?.text === '__init__' ? f.childForFieldName('object') : null;
  return sup?.type === 'call' && sup.childForFieldName('function')?.text === 'super';
}

/** A class of the file called: `@dataclass` / config classes become attribute bags. */
function instantiate(I: Interpreter, cls: PyVal & { k: 'class' }, args: EvaluatedArgs, n: SyntaxNode): PyVal {
  const attrs = new Map<string, PyVal>();
  for (const [k, v] of cls.attrs) if (v.k !== 'func') attrs.set(k, v);
  const missing = (attr: string) => `\`${cls.name}().${attr}\` is set at run time`;
  if (cls.dataclass) {
    args.pos.forEach((a, i) => { const f = cls.fields[i]; if (f) attrs.set(f, a.val); });
    for (const [k, a] of args.kw) attrs.set(k, a.val);
    return { k: 'ns', typeName: cls.name, attrs, missing, cls };
  }
  // Its own or a base's (a class of the file), as Python looks it up.
  const init = classAttr(cls, '__init__');
  const inst: PyVal & { k: 'ns' } = { k: 'ns', typeName: cls.name, attrs, missing, cls };
  const thin = thinTorchScheduler(cls);
  // No `__init__` of its own: torch's, with the call's arguments.
  if (thin && init?.k !== 'func') return apply(I, { k: 'ref', path: thin }, n, args);
  if (thin) {
    // The scheduler its `super().__init__(…)` builds is what the call makes (its own attributes are not followed).
    const saved = I.superInit;
    const sup = { base: thin, built: null as PyVal | null, inst: inst as PyVal, init: (init as FuncVal).node.id };
    I.superInit = sup;
    try {
      callFunc(I, init as FuncVal, [inst, ...args.pos.map((a) => a.val)], args.kw.map(([k, a]) => [k, a.val]), n);
    } catch (e) {
      if (I.running || !(e instanceof PyError || e instanceof Indeterminate)) throw e;
    } finally {
      I.superInit = saved;
    }
    if (sup.built) return sup.built;
    return unknown(`\`${cls.name}.__init__\` did not reach its \`super().__init__(…)\` (the ${thin.slice(thin.lastIndexOf('.') + 1)} it derives from)`);
  }
  if (init?.k === 'func') {
    // Keep the attributes set before a failure; the rest stay unknown, with the reason `__init__` stopped
    // (`self.cum_cycles = np.cumsum(…)`: numpy on a list), not "set at run time".
    // Not for a class deriving from a library's (`nn.Module`): its `parameters` comes from there, not from `__init__`.
    const stopped = (why: string) => {
      if (foreignBase(cls)) return;
      inst.missing = (attr) => `\`${cls.name}().${attr}\` is not known: \`${cls.name}.__init__\` was not evaluated to the end (${why})`;
    };
    try {
      const r = callFunc(I, init, [inst, ...args.pos.map((a) => a.val)], args.kw.map(([k, a]) => [k, a.val]), n);
      if (r.k === 'unknown') stopped(r.reason);
    } catch (e) {
      if (I.running || !(e instanceof PyError || e instanceof Indeterminate)) throw e;
      stopped(e instanceof Indeterminate ? e.reason : `${e.type}: ${e.message}`);
    }
  }
  return inst;
}

/** A `lambda` or `def` value; parameter defaults are evaluated when it is made, as Python does. */
export function funcCode(I: Interpreter, node: SyntaxNode, name: string, g: Stage): (s: Scope) => FuncVal {
  const defaults = I.paramsOf(node).flatMap((p) => (p.defaultNode ? [[p.name, g.expr(p.defaultNode)] as const] : []));
  return (s) => ({ k: 'func', name, node, closure: s, defaults: new Map(defaults.map(([k, code]) => [k, code(s)])) });
}

/** What a call of a function node computes, in the scope of its parameters. */
export function functionCode(fnNode: SyntaxNode, g: Stage): Code {
  const body = fnNode.childForFieldName('body')!;
  if (fnNode.type === 'lambda') return g.expr(body);
  const block = g.block(body);
  return (s) => {
    const flow = block(s);
    return flow.kind === 'return' ? flow.value : NONE;
  };
}

/** Calls a user function with Python's argument binding; run mode inside. */
export function callFunc(I: Interpreter, fn: FuncVal, pos: PyVal[], kw: [string, PyVal][], site: SyntaxNode | null): PyVal {
  if (fn.bound) {
    pos = [...fn.bound.pos, ...pos];
    kw = [...fn.bound.kw.filter(([k]) => !kw.some(([k2]) => k2 === k)), ...kw];
  }
  const isStaticEntry = I.running === 0;
  if (isStaticEntry && !I.engineTime && I.hooks.dryRun) {
    return unknown(`\`${site ? shortText(site) : fn.name}\` is evaluated on the loop's real pass only`);
  }
  if (isStaticEntry && !I.engineTime) {
    // A call made by the static walk (`T = steps(EPOCHS)`): its own budget; failures become unknown.
    const saved = I.callBudget;
    I.callBudget = new CallBudget(STATIC_CALL_OPS, I.staticShared);
    I.running++;
    let failed: Indeterminate | PyError;
    try {
      return invoke(I, fn, pos, kw, site);
    } catch (e) {
      if (e instanceof RangeError) return unknown(`\`${fn.name}()\` recurses too deeply`);
      if (!(e instanceof Indeterminate || (e instanceof PyError && e.type !== 'BudgetExceeded' && e.type !== 'RecursionError'))) throw e;
      failed = e;
    } finally {
      I.running--;
      I.callBudget = saved;
    }
    // An argparse helper that could not run to the end (`default="cuda" if torch.cuda.is_available() else "cpu"`,
    // `int(os.environ.get("LOCAL_RANK", -1))`, a check that raises with the defaults): walked instead, so one
    // unknown loses only what depends on it.
    // A builder of another module whose scheduler hangs on a condition it cannot decide (Swin-Transformer's
    // lr_scheduler.py `build_scheduler(config, optimizer, n_iter_per_epoch)`: `if config.TRAIN.LR_SCHEDULER.NAME ==
    // 'cosine': lr_scheduler = CosineLRScheduler(…) elif …`): walked too, so that each branch's construction is recorded
    // at this call, as the module's own `if` is (a function of this file is walked on its own, its constructions found there).
    const builder = failed instanceof Indeterminate && foreignFile(fn.node) !== null && namesSchedule(fn.node);
    const walked = ARGPARSE_HELPER.test(fn.node.text) || buildsOptimizerOrLoaders(fn.node) || builder
      ? walkInstead(I, fn, pos, kw, builder ? site : null) : null;
    if (walked) return walked;
    if (failed instanceof Indeterminate) return unknown(`\`${site ? shortText(site) : fn.name}\`: ${failed.reason}`);
    throw failed;
  }
  return invoke(I, fn, pos, kw, site);
}

/**
 * A helper that builds an optimizer and no schedule (`def get_optimizer(model, lr): … for n, p in
 * model.named_parameters(): …; return AdamW([{"params": decay, …}, {"params": no_decay, …}], lr=lr)`): when it cannot
 * run to the end (the loop over the model's parameters), walked instead, as the module's code would be, so that its
 * groups and lr are known and only what depends on the parameters is not. Not one naming a schedule: a scheduler it
 * builds is recorded where the walk of the file's functions finds it. The same for a helper that builds a library
 * data loader (accelerate's `get_dataloaders(accelerator, batch_size)`: a tokenizer and a dataset LR Lens cannot
 * see, then `return DataLoader(…), DataLoader(…)`): walked, it returns the loaders, whose `len()` is the assumed
 * batches per epoch as at module level.
 */
function buildsOptimizerOrLoaders(def: SyntaxNode): boolean {
  let built = false;
  for (const w of wordsOfNode(def)) {
    if (/sched/i.test(w) || SCHEDULE_WORDS.has(w)) return false;
    if (OPTIMIZERS.has(w) || DATA_LOADER_TYPE.test(w)) built = true;
  }
  return built;
}

/** A function that builds or reads an argparse parser. */
const ARGPARSE_HELPER = /\b(add_argument|parse_args|parse_known_args|ArgumentParser)\b/;

/** A function whose text names a scheduler class or another family's callable (SCHEDULE_WORDS). */
function namesSchedule(def: SyntaxNode): boolean {
  for (const w of wordsOfNode(def)) if (SCHEDULE_WORDS.has(w)) return true;
  return false;
}

function walkInstead(I: Interpreter, fn: FuncVal, pos: PyVal[], kw: [string, PyVal][], site: SyntaxNode | null): PyVal | null {
  if (!I.walkCall) return null;
  let bound: Map<string, PyVal>;
  try {
    bound = bindParams(fn, I.paramsOf(fn.node), pos, kw);
  } catch {
    return null;
  }
  // A builder's call (`site`) stays on the stack while its body is walked: a construction there is recorded at
  // this call, as when the call runs.
  if (!site) return I.walkCall(fn, bound);
  I.callLines.push(lineOf(site));
  I.callStack.push({ fn: fn.name, site });
  try {
    return I.walkCall(fn, bound);
  } finally {
    I.callLines.pop();
    I.callStack.pop();
  }
}

/** Remembers what a call made during the analysis passed to `fn` (see callsites.ts). */
function noteCallSite(I: Interpreter, fn: FuncVal, pos: PyVal[], kw: [string, PyVal][], site: SyntaxNode | null): void {
  if (!site || I.engineTime) return;
  let vars: Map<string, PyVal>;
  try {
    vars = bindParams(fn, I.paramsOf(fn.node), pos, kw);
  } catch {
    return;
  }
  const line = lineOf(site);
  const outer = I.callLines.filter((l) => l !== line);
  // `train.py:42` (relative to the workspace root) when the file is known, else `line 42`.
  const ctx = interpContext(I);
  const at = (l: number) => (ctx ? `${relativeToRoot(ctx.loader.view.root, ctx.file)}:${l}` : `line ${l}`);
  // The outermost call of the walk first (where a value forwarded through `**kwargs` is written), then the calls it runs through.
  const where = outer.length ? `${at(outer[0]!)} (through line ${[...outer.slice(1), line].join(', line ')})` : at(line);
  I.callSites.note(CallSites.keyOf(fn), `${site.id}`, where, vars, I.undo !== null, undefined, I.hooks.branch ?? null);
}

function invoke(I: Interpreter, fn: FuncVal, pos: PyVal[], kw: [string, PyVal][], site: SyntaxNode | null): PyVal {
  // Once the tree is deleted only frozen functions may run (compiled): a live node would read freed memory.
  let code: Code | null = null;
  if (I.engineTime) {
    if (!isFrozen(fn.node)) throw new PyError('UnknownValue', `\`${fn.name}\` is not evaluated here (it was not prepared before the syntax tree was released)`);
    code = I.compiler.function(fn.node);
  }
  I.tick();
  if (I.callDepth >= MAX_CALL_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
  if (!I.engineTime) noteCallSite(I, fn, pos, kw, site);
  const line = site && !I.engineTime ? lineOf(site) : null;
  if (line !== null) {
    I.callLines.push(line);
    I.callStack.push({ fn: fn.name, site: site! });
  }
  I.callDepth++;
  try {
    const vars = new VarMap();
    bindParams(fn, I.paramsOf(fn.node), pos, kw, vars);
    const local: Scope = { vars, parent: fn.closure, label: fn.name };
    return (code ?? functionCode(fn.node, I.interpreted))(local);
  } finally {
    I.callDepth--;
    if (line !== null) {
      I.callLines.pop();
      I.callStack.pop();
    }
  }
}
