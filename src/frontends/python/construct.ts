/**
 * The Python side of construction recording: turns the interpreter's evaluated calls into the
 * language-neutral calls of the one recorder (src/frontends/contract.ts), and keeps what only
 * Python's walk needs: nothing is recorded during a loop's dry pass (`suppressed`) or once the
 * analysis is over (`frozen`), and a call node met twice (a function called twice) records once.
 */
import { resolveTimmFactory, TIMM_CONFIG_KWARGS } from '../../engine/families/timmFactory';
import type { ConstructionKind } from '../../engine/types';
import type { Branch, ConstructionRecorder, Slot, Value } from '../contract';
import type { LastEpochWrite } from '../../analysis/types';
import { refReason } from './access';
import { foreignFile, interpContext, originOf, relativeToRoot } from './modules';
import { schedulerTypeValue } from './families';
import { applyHfTrainers, type HfFacts } from './hf';
import { torchSchedulerBase, type LoopFacts } from './loopFacts';
import type { ArgSlot, ConstructionHooks, EvaluatedArgs, Interpreter } from './interp';
import { SyntaxNode, at, enclosing, kids, lineOf, rangeOf, shortText, unparen } from './syntax';
import { within } from './fileIndex';
import { ownFreeNames, params } from './functions';
import { FuncVal, PyVal, Scope, instanceCall, isDataLoader, isStandInLabel, loaderLengthLabel, repr, unknown } from './values';

export class Recorder implements ConstructionHooks {
  /** Construction already recorded for a call node (a function called twice records once). */
  readonly byNode = new Map<number, PyVal>();
  /**
   * The schedulers each construction node built, by the chain of calls that reached it (call-site node ids,
   * outermost first; see Interpreter.callStack): `a = mk(o1, 10)` and `b = mk(o2, 50)` build two.
   */
  private readonly instances = new Map<number, { chain: number[]; sites: { fn: string; site: SyntaxNode }[]; value: PyVal }[]>();
  /** > 0 during a dry pass over a loop body: nothing is recorded. */
  suppressed = 0;
  /** The branch the walk is in when the assumed values decide it (see Walker.speculate), for the constructions' notes. */
  branch: Branch | null = null;
  /** After the analysis: constructions in functions run by the engine are not ours to record. */
  frozen = false;

  get dryRun(): boolean {
    return this.suppressed > 0;
  }
  interp!: Interpreter;
  /** The run model's records (loops.ts): the `.step()` call nodes. */
  loops: LoopFacts | null = null;

  constructor(protected readonly shared: ConstructionRecorder) {}

  /** Records a scheduler construction; `forcedReason` marks one the walk never reached (found by the sweep). */
  scheduler(kindName: string, family: string, call: SyntaxNode, args: EvaluatedArgs, forcedReason: string | null = null): PyVal {
    const prev = this.byNode.get(call.id);
    const sites = [...this.interp.callStack];
    const chain = sites.map((s) => s.site.id);
    if (prev) {
      const seen = this.instances.get(call.id) ?? [];
      // The same chain of calls, or one ending like it (a walk of the function's body replays what a call ran): the same scheduler.
      const same = seen.find((x) => endsWith(x.chain, chain) || endsWith(chain, x.chain));
      if (same || prev.k !== 'scheduler' || !chain.length || this.frozen || this.suppressed || forcedReason) return same?.value ?? prev;
      return this.again(kindName, family, args, prev, seen, sites);
    }
    if ((this.frozen && !forcedReason) || this.suppressed) return unknown('the scheduler is constructed at run time');
    const foreign = foreignFile(call);
    if (foreign !== null) {
      // Built by a function of another file this one calls (`scheduler = build_scheduler(optimizer, args.epochs)`):
      // previewed at this file's outermost call of the chain, with the values it passes.
      const local = sites.find((x) => foreignFile(x.site) === null);
      if (!local) return unknown(`the scheduler is built in ${this.fileName(foreign)} (constructions in other files are not shown here)`);
      // Recorded at that call (its range, variable and scope; its diagnostics shown there, without quick fixes,
      // which would edit the other file), saying where it is built.
      const r = this.record(kindName, family, args, call, local.site, chain, sites, null, returnedAt(call, local.site));
      this.shared.builtElsewhere(r.call, `${local.fn}()`, `${this.fileName(foreign)}:${lineOf(call)}`);
      return r.value;
    }
    return this.record(kindName, family, args, call, call, chain, sites, forcedReason).value;
  }

  /**
   * Records construction `call` at `site`: the call itself, or the call of this file that builds it in another file
   * (its range, variable, scope and branches are the construction's then). Its value: the scheduler, or timm's
   * factories' `(scheduler, num_epochs)`, and its index among the recorded calls.
   */
  private record(
    kindName: string, family: string, args: EvaluatedArgs, call: SyntaxNode, site: SyntaxNode,
    chain: number[], sites: { fn: string; site: SyntaxNode }[], forcedReason: string | null, position: number | null = null,
  ): { value: PyVal; call: number } {
    const factory = kindName === 'timm.create_scheduler_v2' || kindName === 'timm.create_scheduler';
    const ref = this.shared.scheduler({
      kind: kindName as ConstructionKind, family, variable: variableOf(site, factory ? 0 : position), range: rangeOf(site),
      calleeRange: rangeOf(site.childForFieldName('function') ?? site), scope: scopeOf(site),
      ...this.slots(kindName === 'timm.create_scheduler' ? withTimmConfig(args) : args), unreached: forcedReason,
      ...(this.branch && !forcedReason ? { branch: this.branch } : {}),
      ...this.exclusiveWith(site),
      ...(args.byName ? { byName: args.byName } : {}),
    });
    let value: PyVal = { k: 'scheduler', index: ref.index, call: ref.call };
    if (factory) value = { k: 'list', items: [value, this.timmEpochs(ref.index)], tuple: true };
    this.byNode.set(call.id, value);
    this.instances.set(call.id, [{ chain, sites, value }]);
    this.constructed(ref.call, site);
    // sentence-transformers' `learning_rate_mapping` (its Trainer's get_optimizer_cls_and_kwargs): the parameters matching
    // a pattern get groups of their own at that lr, under the same schedule; the curve is the groups at `learning_rate`.
    const mapping = family === 'trainer' ? args.kw.find(([k]) => k === 'learning_rate_mapping')?.[1].val : undefined;
    if (mapping && mapping.k !== 'none' && !(mapping.k === 'dict' && !mapping.entries.length)) {
      this.shared.trainerGiven(ref.call, {
        note: 'learning_rate_mapping: the parameters it matches get param groups with lrs of their own (sentence-transformers\' ' +
          'get_optimizer_cls_and_kwargs), scaled by the same schedule; the curve shows the groups at learning_rate',
      });
    }
    return { value, call: ref.call };
  }

  /** A file of the workspace as the labels name it (relative to the root), or as given. */
  private fileName(path: string): string {
    const ctx = interpContext(this.interp);
    return ctx && path ? relativeToRoot(ctx.loader.view.root, path) : path || 'another file';
  }

  /**
   * A construction reached through another chain of calls than the one that built its first scheduler
   * (`b = mk(o2, 50)` after `a = mk(o1, 10)`): another scheduler, with this call's arguments, recorded
   * and previewed at the call that makes the difference (the innermost call site not shared with the
   * first chain), up to MAX_AGAIN per construction; beyond, unknown and said so.
   */
  private again(
    kindName: string, family: string, args: EvaluatedArgs, prev: PyVal & { k: 'scheduler' },
    seen: { chain: number[]; sites: { fn: string; site: SyntaxNode }[]; value: PyVal }[], sites: { fn: string; site: SyntaxNode }[],
  ): PyVal {
    const first = seen[0]!;
    // The innermost call of this chain that the first one does not end with.
    let i = sites.length - 1;
    let j = first.sites.length - 1;
    while (i > 0 && j >= 0 && sites[i]!.site.id === first.sites[j]!.site.id) { i--; j--; }
    const at = sites[i]!;
    const firstAt = first.sites[Math.max(0, Math.min(j, first.sites.length - 1))];
    if (seen.length > MAX_AGAIN || foreignFile(at.site) !== null) {
      return unknown(this.shared.builtAgain(prev.call, firstAt ? rangeOf(firstAt.site) : null, rangeOf(at.site), `${at.fn}()`));
    }
    const factory = kindName === 'timm.create_scheduler_v2' || kindName === 'timm.create_scheduler';
    const ref = this.shared.again(prev.call, {
      kind: kindName as ConstructionKind, family, variable: variableOf(at.site, factory), range: rangeOf(at.site),
      calleeRange: rangeOf(at.site.childForFieldName('function') ?? at.site), scope: scopeOf(at.site),
      ...this.slots(kindName === 'timm.create_scheduler' ? withTimmConfig(args) : args), unreached: null,
      ...(this.branch ? { branch: this.branch } : {}),
    }, firstAt ? rangeOf(firstAt.site) : null, `${at.fn}()`);
    let value: PyVal = { k: 'scheduler', index: ref.index, call: ref.call };
    if (factory) value = { k: 'list', items: [value, this.timmEpochs(ref.index)], tuple: true };
    seen.push({ chain: sites.map((s) => s.site.id), sites, value });
    this.constructed(ref.call, at.site);
    return value;
  }

  /** The constructions recorded so far on another branch of an `if` this call is on (see SchedulerCall.exclusiveWith). */
  private exclusiveWith(call: SyntaxNode): { exclusiveWith?: number[] } {
    const registry = this.loops?.constructionBranches;
    if (!registry?.size) return {};
    const out: number[] = [];
    for (const { ifId, child } of branchesOf(call)) {
      for (const [i, other] of registry.get(ifId) ?? []) if (other !== child) out.push(i);
    }
    return out.length ? { exclusiveWith: out } : {};
  }

  /** Records construction `index` at `node`: by call index, and under each `if` it is on a branch of. */
  private constructed(index: number, node: SyntaxNode): void {
    if (!this.loops) return;
    this.loops.constructions.set(index, node);
    for (const { ifId, child } of branchesOf(node)) {
      let m = this.loops.constructionBranches.get(ifId);
      if (!m) this.loops.constructionBranches.set(ifId, m = new Map());
      m.set(index, child);
    }
  }

  /** The `num_epochs` a timm factory returns, from the construction as recorded. */
  private timmEpochs(index: number | null): PyVal {
    const c = index === null ? undefined : this.shared.program.schedulers[index];
    if (c && (c.kind === 'timm.create_scheduler_v2' || c.kind === 'timm.create_scheduler')) {
      try {
        return { k: 'int', v: resolveTimmFactory(c.kind, c.args).numEpochs };
      } catch {
        // timm raises: the scheduler's own entry reports it.
      }
    }
    return unknown('the number of epochs the timm factory returns is not known');
  }

  optimizer(type: string, call: SyntaxNode, args: EvaluatedArgs): PyVal {
    const prev = this.byNode.get(call.id);
    if (prev) return prev;
    if (this.frozen || this.suppressed) return unknown('the optimizer is constructed at run time');
    const foreign = foreignFile(call);
    if (foreign !== null) return unknown(`the optimizer is built in ${foreign}, which is not followed for optimizers`);
    const index = this.shared.optimizer({ type, variable: variableOf(call), range: rangeOf(call), ...this.slots(args) });
    return { k: 'optimizer', index };
  }

  givenTo(target: PyVal & { k: 'scheduler' }, path: string): void {
    if (this.frozen || this.suppressed) return;
    this.shared.givenTo(target.call, path);
  }

  use(target: PyVal & { k: 'scheduler' }, method: string, call: SyntaxNode, args: PyVal[]): void {
    if (this.frozen || this.suppressed) return;
    this.loops?.useNode(call);
    // `scheduler.load_state_dict(ckpt[…])`: restored from a checkpoint (see analyze.ts); the branch when the assumed values skip it.
    const write = method === 'last_epoch' ? lastEpochWrite(call, this.loops?.constructions.get(target.call) ?? null, args[0])
      : method === 'load_state_dict' ? { ...lastEpochWrite(call, this.loops?.constructions.get(target.call) ?? null, undefined), ...(this.branch && !this.branch.taken ? { offPath: this.branch.note } : {}) } : undefined;
    this.shared.use(target.call, method, rangeOf(call), () => args.map((a) => this.value(a)), write);
  }

  /** transformers' `Trainer(…)` calls the walk met (hf.ts): what each does with its TrainingArguments' schedule. */
  hfTrainers(facts: HfFacts): void {
    applyHfTrainers(facts, this.shared, (val, node) => this.slot({ val, node }));
  }

  protected slots(args: EvaluatedArgs): { positional: Slot[]; keywords: [string, Slot][]; reason: string | null } {
    return {
      positional: args.pos.map((a) => this.slot(a)),
      keywords: args.kw.map(([k, a]) => [k, this.slot(a)]),
      reason: args.splatReason,
    };
  }

  private slot(a: ArgSlot): Slot {
    const display = this.display(a.val);
    const slot: Slot = { value: this.value(a.val), range: rangeOf(a.node), text: a.node.text, display };
    const from = originOf(a.val);
    if (!isLiteral(a.node)) slot.origin = `${shortText(a.node)} = ${display}${from ? ` (${from})` : ''}`;
    if (from) slot.source = from;
    const fn = a.val.k === 'func' ? a.val : instanceCall(a.val);
    const assumed = assumedIn(a.val, 0) ?? (fn ? assumedInFunc(this.interp, fn, 0) : undefined);
    if (assumed) slot.assumed = assumed;
    if (assumed && isStandInLabel(assumed)) slot.standIn = true;
    // An item of `*xs` / `**kw`: the node is the splatted expression.
    const parent = a.node.parent?.type;
    if (parent === 'list_splat' || parent === 'dictionary_splat') slot.indirect = true;
    return slot;
  }

  /** Python-syntax display; schedulers and optimizers by the name they are bound to (`[warmup, cosine]`). */
  private display(v: PyVal): string {
    return repr(v, 0, (o) => (o.k === 'scheduler' ? this.shared.schedulerName(o.call) : this.shared.optimizerName(o.index)));
  }

  /** A Python value as the recorder's neutral value. */
  private value(v: PyVal, depth = 0): Value {
    if (depth > 30) return { kind: 'unknown', reason: 'the value is nested too deeply' };
    switch (v.k) {
      case 'int': return v.np ? { kind: 'int', value: v.v, numpy: v.np } : { kind: 'int', value: v.v };
      case 'float': return v.np ? { kind: 'float', value: v.v, numpy: v.np } : { kind: 'float', value: v.v };
      case 'bool': return { kind: 'bool', value: v.v };
      case 'str': return { kind: 'str', value: v.v };
      case 'none': return { kind: 'none' };
      case 'list': {
        const items = v.items.map((x) => this.value(x, depth + 1));
        return v.tuple ? { kind: 'list', items, tuple: true } : { kind: 'list', items };
      }
      case 'dict': return { kind: 'dict', entries: v.entries.map(([k, x]) => [k.k === 'str' ? k.v : repr(k), this.value(x, depth + 1)]) };
      case 'func': case 'builtin': {
        const c = this.interp.toFuncArg(v);
        return 'arg' in c ? c.arg : { kind: 'unknown', reason: c.reason };
      }
      case 'scheduler': return this.shared.schedulerValue(v.call);
      case 'optimizer': return { kind: 'optimizer', index: v.index };
      // Made by code LR Lens does not evaluate: its type is not known either (it may be a number, a callable…).
      case 'opaque': return { kind: 'unknown', reason: `\`${v.desc}\` is ${v.typeName === 'object' ? 'an' : `a ${v.typeName}`} object made by code LR Lens does not evaluate; its value (a number? a callable?) is not known` };
      case 'ref': {
        // `SchedulerType.COSINE` given to get_scheduler / TrainingArguments: its string value.
        const member = schedulerTypeValue(v.path);
        return member !== null ? { kind: 'str', value: member } : { kind: 'unknown', reason: refReason(v.path) };
      }
      case 'class': return { kind: 'object', typeName: 'type' };
      case 'ns': {
        // An instance of a class of the file with `__call__` (`lr_lambda=WarmupCosine(10, 100)`): its bound method.
        const call = instanceCall(v);
        if (call) {
          const c = this.interp.toFuncArg(call);
          return 'arg' in c ? c.arg : { kind: 'unknown', reason: c.reason };
        }
        // An instance of the repository's own scheduler class (`WarmUpLR(_LRScheduler)` handed to SequentialLR):
        // torch's base gives it `optimizer`, `last_epoch`…; its curve is the class's own code, which LR Lens does not compute.
        const base = v.cls ? torchSchedulerBase(v.cls) : null;
        if (base) {
          return { kind: 'unknown', reason: `\`${v.typeName}\` is the repository's own scheduler class (a subclass of torch's \`${base}\`); LR Lens does not compute its lr` };
        }
        return v.typeName === 'SimpleNamespace' || v.typeName === 'ArgumentParser'
        ? { kind: 'object', typeName: v.typeName }
          : { kind: 'object', typeName: v.typeName, mayCall: `calling a \`${v.typeName}\` instance (its \`__call__\`) is not evaluated` };
      }
      case 'unknown': {
        const r = v.range;
        return r ? { kind: 'unknown', reason: v.reason, source: `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` } : { kind: 'unknown', reason: v.reason };
      }
    }
  }
}

/** Other schedulers built by one construction through other calls, previewed each (see `Recorder.again`). */
const MAX_AGAIN = 8;

/** Whether `a` ends with the ids of `b`. */
function endsWith(a: readonly number[], b: readonly number[]): boolean {
  if (b.length > a.length) return false;
  for (let k = 1; k <= b.length; k++) if (a[a.length - k] !== b[b.length - k]) return false;
  return true;
}

/** The class the call is written in, else its function, as a node id (see SchedulerCall.scope); null at module level. */
function scopeOf(call: SyntaxNode): string | null {
  let def: SyntaxNode | null = null;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'class_definition') return `class ${p.id}`;
    if (p.type === 'function_definition') def ??= p;
  }
  return def ? `def ${def.id}` : null;
}

/**
 * The settings timm's `create_scheduler(args, optimizer)` reads from its namespace (`scheduler_kwargs`), as a
 * dict of the known ones: an argparse Namespace or SimpleNamespace becomes what the engine reads.
 */
const TIMM_CONFIG = TIMM_CONFIG_KWARGS.map(([, attr]) => attr);
/** The settings timm reads without a fallback (`args.sched`, `args.epochs`…). */
const TIMM_REQUIRED = new Set(TIMM_CONFIG_KWARGS.filter(([, , fallback]) => fallback === null).map(([, attr]) => attr));

function withTimmConfig(args: EvaluatedArgs): EvaluatedArgs {
  const asDict = (a: ArgSlot): ArgSlot => {
    const v = a.val;
    if (v.k !== 'ns') return a;
    const entries: [PyVal, PyVal][] = [];
    for (const name of TIMM_CONFIG) {
      const x = v.attrs.get(name);
      if (x !== undefined) entries.push([{ k: 'str', v: name }, x]);
      // A required setting an argparse Namespace lacks may be an option LR Lens did not see (a parent parser,
      // a helper of another package): unknown, not a claim that timm raises AttributeError.
      else if (TIMM_REQUIRED.has(name) && v.typeName === 'Namespace' && v.missing) entries.push([{ k: 'str', v: name }, unknown(v.missing(name))]);
    }
    return { node: a.node, val: { k: 'dict', entries } };
  };
  return {
    ...args,
    pos: args.pos.map((a, i) => (i === 0 ? asDict(a) : a)),
    kw: args.kw.map(([k, a]) => [k, k === 'args' ? asDict(a) : a]),
  };
}

/** Name the construction is assigned to (`scheduler`, `self.scheduler`; the first name of `a, b = …` for a tuple result), or null. */
export function variableOf(call: SyntaxNode, tupleResult: boolean | number | null = false): string | null {
  let child = call;
  let p = call.parent;
  while (p && p.type === 'parenthesized_expression') {
    child = p;
    p = p.parent;
  }
  if (p?.type === 'ERROR') return variableBeforeInError(child);
  if (!p || p.type !== 'assignment' || p.childForFieldName('right')?.id !== child.id) return null;
  const left = p.childForFieldName('left');
  if (!left) return null;
  let t = unparen(left);
  const at = tupleResult === true ? 0 : typeof tupleResult === 'number' ? tupleResult : null;
  if (at !== null && (t.type === 'pattern_list' || t.type === 'tuple_pattern')) t = kids(t)[at] ?? t;
  return t.type === 'identifier' || t.type === 'attribute' ? t.text.replace(/\s+/g, '') : null;
}

/** Inside a syntax error the assignment is lost; the tokens `name =` just before the call still tell it. */
function variableBeforeInError(node: SyntaxNode): string | null {
  const eq = previousLeaf(node);
  if (eq?.type !== '=') return null;
  const name = previousLeaf(eq);
  return name?.type === 'identifier' && name.endPosition.row === node.startPosition.row ? name.text : null;
}

function lastChild(n: SyntaxNode): SyntaxNode | null {
  return n.children.length ? n.children[n.children.length - 1] ?? null : null;
}

function previousLeaf(node: SyntaxNode): SyntaxNode | null {
  let cur: SyntaxNode | null = node;
  while (cur) {
    const parent: SyntaxNode | null = cur.parent;
    if (!parent) return null;
    const siblings = parent.children.filter((c): c is SyntaxNode => c !== null);
    const i = siblings.findIndex((c) => c.id === cur!.id);
    if (i > 0) {
      let leaf = siblings[i - 1]!;
      for (let last = lastChild(leaf); last; last = lastChild(leaf)) leaf = last;
      return leaf;
    }
    cur = parent;
  }
  return null;
}

/** Literal argument (no `origin` needed): numbers, strings, constants, signed numbers, lists of literals, lambdas. */
function isLiteral(n: SyntaxNode): boolean {
  const t = unparen(n);
  switch (t.type) {
    case 'integer': case 'float': case 'string': case 'concatenated_string': case 'true': case 'false': case 'none': case 'lambda':
      return true;
    case 'unary_operator': return isLiteral(t.childForFieldName('argument')!);
    case 'list': case 'tuple': return kids(t).every(isLiteral);
    default: return false;
  }
}

/**
 * The assumptions a function's free names rest on, each with the name that reads it: `lambda e: 1 - e / max_update_num`
 * where `max_update_num` comes from `--epoch`'s default, `lambda e: args.decay ** e` (the attribute it reads); every
 * one is named (`t_ref` and `sigma_ref` of a factory's defaults), up to MAX_NAMED, then how many more.
 */
function assumedInFunc(I: Interpreter, fn: FuncVal, depth: number): string | undefined {
  const found: string[] = [];
  collectAssumedInFunc(I, fn, depth, found);
  const all = [...new Set(found)];
  if (!all.length) return undefined;
  const more = all.length - MAX_NAMED;
  return all.slice(0, MAX_NAMED).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

const MAX_NAMED = 4;

function collectAssumedInFunc(I: Interpreter, fn: FuncVal, depth: number, out: string[]): void {
  if (depth > 3 || out.length > MAX_NAMED * 2) return;
  // What is read here is the function's text: its frozen copy, when one waits for the walk's end (bridge.ts
  // `frozenNodeOf`), keeps what it derives (the live node's would be derived again at every construction).
  const node = I.frozenOf(fn) ?? fn.node;
  // Arguments bound in advance: a bound method's instance (`LambdaLR(opt.n_epochs, …).step` reads `self.n_epochs`), a partial's.
  if (fn.bound) {
    const names = params(node).map((p) => p.name);
    const bound: [string | undefined, PyVal][] = [...fn.bound.pos.map((v, i) => [names[i], v] as [string | undefined, PyVal]), ...fn.bound.kw];
    for (const [name, v] of bound) {
      if (v.k !== 'ns') {
        const a = assumedIn(v, depth + 1);
        if (a) out.push(`\`${name ?? fn.name}\`: ${a}`);
        continue;
      }
      if (!name) continue;
      // The attributes the body reads on it (`self.decay_start_epoch`).
      for (const ref of attributesOf(node, name, [], 0)) {
        const x = v.attrs.get(ref.childForFieldName('attribute')?.text ?? '');
        const a = x && assumedIn(x, depth + 1);
        if (a) out.push(`\`${shortText(ref)}\`: ${a}`);
      }
    }
  }
  for (const [name, refs] of ownFreeNames(node)) {
    let v: PyVal | undefined;
    for (let sc: Scope | null = fn.closure; sc && v === undefined; sc = sc.parent) v = sc.vars.get(name);
    if (v === undefined) continue;
    if (v.k === 'func') {
      collectAssumedInFunc(I, v, depth + 1, out);
    } else if (v.k === 'ns' && !v.assumed) {
      for (const ref of refs) {
        const x = ref.type === 'attribute' ? v.attrs.get(ref.childForFieldName('attribute')?.text ?? '') : undefined;
        const a = x && assumedIn(x, depth + 1);
        if (a) out.push(`\`${shortText(ref)}\`: ${a}`);
      }
    } else if (isDataLoader(v)) {
      // `len(train_loader)` in the body: the engine's calls take LR Lens's assumed length (calls.ts), said here.
      const len = refs.find((r) => r.parent?.type === 'argument_list' && r.parent.parent?.childForFieldName('function')?.text === 'len');
      if (len) out.push(loaderLengthLabel(name, I.assumedStepsPerEpoch));
    } else {
      const a = assumedIn(v, depth + 1);
      if (a) out.push(`\`${name}\`: ${a}`);
    }
  }
}

/** The attribute reads `name.x` in a subtree (at most 64). */
function attributesOf(n: SyntaxNode, name: string, out: SyntaxNode[], depth: number): SyntaxNode[] {
  if (depth > 60 || out.length >= 64) return out;
  if (n.type === 'attribute') {
    const obj = n.childForFieldName('object');
    if (obj?.type === 'identifier' && obj.text === name) out.push(n);
  }
  for (const k of kids(n)) attributesOf(k, name, out, depth + 1);
  return out;
}

/**
 * The `if` statements of `n`'s function (or module) that `n` is on a branch of (its body, an `elif`, the `else`; not
 * the condition) and that no loop encloses there: each `if`'s id with the id of its child `n` is under. Two nodes under
 * one such `if` through different children are on two branches of it (it is their lowest common ancestor), so never
 * both run. In a loop, one pass may take one branch and a later pass the other.
 */
function branchesOf(n: SyntaxNode): { ifId: number; child: number }[] {
  let out: { ifId: number; child: number }[] = [];
  for (let c = n, p = n.parent; p && p.type !== 'function_definition'; c = p, p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') out = [];
    else if (p.type === 'if_statement' && c.id !== p.childForFieldName('condition')?.id) out.push({ ifId: p.id, child: c.id });
  }
  return out;
}

/** Statements whose body runs conditionally or repeatedly, between a `last_epoch` write and its function. */
const NOT_STRAIGHT: Record<string, string> = {
  if_statement: 'under an `if`', elif_clause: 'under an `elif`', else_clause: 'under an `else`', for_statement: 'inside a loop',
  while_statement: 'inside a loop', except_clause: 'in an `except` clause', finally_clause: 'in a `finally` clause',
  match_statement: 'under a `match`', lambda: 'in a lambda',
};

/**
 * `scheduler.last_epoch = value` (the assignment `stmt`): what the engine needs to apply it, or why it cannot be taken as
 * run once after the construction `home` and before the first `step()`: it must be written after it, in the same function
 * (or both at module level), and not under a condition or in a loop.
 */
function lastEpochWrite(stmt: SyntaxNode, home: SyntaxNode | null, value: PyVal | undefined): LastEpochWrite {
  const write: LastEpochWrite = { text: shortText(stmt, 60) };
  const assumed = value ? assumedIn(value, 0) : undefined;
  if (assumed) write.assumed = assumed;
  const fnOf = (n: SyntaxNode): SyntaxNode | null => enclosing(n, ['function_definition']);
  let why: string | undefined;
  if (!home) why = 'its construction is not in this file';
  else if (fnOf(stmt)?.id !== fnOf(home)?.id) why = 'it is written in another function than the construction';
  else if (at(stmt) < at(home, true)) why = 'it is written before the construction';
  else {
    const stop = fnOf(stmt);
    for (let p = stmt.parent; p && p.id !== stop?.id; p = p.parent) {
      const where = NOT_STRAIGHT[p.type];
      if (where && !(p.type === 'if_statement' || p.type === 'for_statement' || p.type === 'while_statement' ? within(home, p) : false)) { why = where; break; }
    }
  }
  if (why) write.notApplied = why;
  return write;
}

/** The first assumption label in a value (list items and dict values included). */
function assumedIn(v: PyVal, depth: number): string | undefined {
  if (v.assumed || depth > 20) return v.assumed;
  if (v.k === 'list') for (const x of v.items) { const a = assumedIn(x, depth + 1); if (a) return a; }
  if (v.k === 'dict') for (const [, x] of v.entries) { const a = assumedIn(x, depth + 1); if (a) return a; }
  return undefined;
}

/**
 * Where in the tuple a builder of another file returns the scheduler built at `call` (YOLOv6 yolov6/solver/build.py:
 * `scheduler = LambdaLR(…); return scheduler, lf`, unpacked by engine.py as `lr_scheduler, lf = build_lr_scheduler(…)`):
 * its position when `call` is in the function called at `site` and every `return` of it puts the scheduler (its name or
 * the call itself) at the same place of a tuple; else null.
 */
function returnedAt(call: SyntaxNode, site: SyntaxNode): number | null {
  const fn = enclosing(call, ['function_definition']);
  const callee = site.childForFieldName('function');
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !name || !callee || (callee.text !== name && !callee.text.endsWith(`.${name}`))) return null;
  const inner = variableOf(call);
  let at: number | null = null;
  const visit = (n: SyntaxNode): boolean => {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return n.id === fn.id ? kids(n).every(visit) : true;
    if (n.type === 'return_statement') {
      const e = kids(n)[0];
      const items = e && (e.type === 'expression_list' || e.type === 'tuple') ? kids(e) : null;
      const i = items ? items.findIndex((x) => x.id === call.id || (inner !== null && x.text.replace(/\s+/g, '') === inner)) : -1;
      if (i < 0 || (at !== null && at !== i)) return false;
      at = i;
      return true;
    }
    return kids(n).every(visit);
  };
  return visit(fn) ? at : null;
}
