/**
 * Records constructions as the walk meets them: optimizers and schedulers go
 * into ONE Program in evaluation order; each scheduler call becomes a
 * FoundCall with its bound, evaluated arguments (ArgInfo for every parameter
 * of the signature), its resolved optimizer and its later uses.
 */
import { SIGNATURES, bindArgs } from '../../engine/signatures';
import type { Arg, Program, SchedulerKind } from '../../engine/types';
import type { ArgInfo, FoundCall, OptimizerInfo } from '../../analysis/types';
import { refReason } from './access';
import type { ArgSlot, ConstructionHooks, EvaluatedArgs, Interpreter } from './interp';
import { makeOptimizer, type GroupKwargs, type OptimizerKwargs } from '../../engine/optimizers';
import { OPTIMIZER_PARAMS, isTorchOptimizer } from './optimizers';
import { SyntaxNode, kids, rangeOf, shortText, unparen } from './syntax';
import { PyVal, firstUnknown, float, numOf, repr, unknown } from './values';
import { addConstruction } from '../../analysis/program';

/** Scheduler methods whose calls are reported as `uses`. */
const USE_METHODS = new Set(['step', 'get_last_lr', 'get_lr']);

type Converted = { arg: Arg } | { reason: string };

export class Recorder implements ConstructionHooks {
  readonly program: Program = { optimizers: [], schedulers: [] };
  readonly calls: FoundCall[] = [];
  readonly optimizerInfos: OptimizerInfo[] = [];
  /** Construction already recorded for a call node (a function called twice records once). */
  readonly byNode = new Map<number, PyVal>();
  /** > 0 during a dry pass over a loop body: nothing is recorded. */
  suppressed = 0;
  /** After the analysis: constructions in functions run by the engine are not ours to record. */
  frozen = false;

  get dryRun(): boolean {
    return this.suppressed > 0;
  }
  interp!: Interpreter;

  constructor(private readonly assumedLr: number) {}

  // ---- schedulers ----------------------------------------------------------------------------

  /** Records a scheduler construction; `forcedReason` marks one the walk never reached (found by the sweep). */
  scheduler(kindName: string, family: string, call: SyntaxNode, args: EvaluatedArgs, forcedReason: string | null = null): PyVal {
    const prev = this.byNode.get(call.id);
    if (prev) return prev;
    if ((this.frozen && !forcedReason) || this.suppressed) return unknown('the scheduler is constructed at run time');
    const kind = kindName as SchedulerKind;
    const callee = call.childForFieldName('function') ?? call;
    const found: FoundCall = {
      kind, family, variable: variableOf(call), range: rangeOf(call), calleeRange: rangeOf(callee),
      schedulerIndex: null, argInfo: [], args: {}, optimizer: null, unknownReason: null, bindFailure: null, uses: [], memberOf: null,
    };
    const callId = this.calls.push(found) - 1;
    const value: PyVal & { k: 'scheduler' } = { k: 'scheduler', index: null, call: callId };
    this.byNode.set(call.id, value);

    const bound = bindArgs<ArgSlot>(kind, args.pos, args.kw);
    if (forcedReason) found.unknownReason = forcedReason;
    else if (args.splatReason) found.unknownReason = args.splatReason;
    else if (bound.failure) found.bindFailure = bound.failure;

    const given: Record<string, Arg> = {};
    const members: number[] = [];
    let optimizer: number | null = null;
    let firstUnknownReason: string | null = null;
    for (const p of SIGNATURES[kind].params) {
      const slot = bound.bound.get(p.name);
      if (!slot) {
        found.argInfo.push(p.default !== undefined
          ? { name: p.name, range: null, text: '', known: true, display: argRepr(p.default), isDefault: true }
          : { name: p.name, range: null, text: '', known: false, display: '?', reason: 'not given', isDefault: false });
        continue;
      }
      const info: ArgInfo = { name: p.name, range: rangeOf(slot.node), text: slot.node.text, known: true, display: this.display(slot.val), isDefault: false };
      found.argInfo.push(info);
      if (p.name === 'optimizer' && forcedReason) {
        info.known = false;
        info.display = '?';
        info.reason = forcedReason;
        continue;
      }
      if (p.name === 'optimizer') {
        optimizer = this.resolveOptimizerArg(slot, info, given);
        continue;
      }
      const conv = CALLED_PARAMS.has(p.name) ? this.calledArg(slot.val) : this.toArg(slot.val);
      if ('reason' in conv) {
        info.known = false;
        info.reason = conv.reason;
        info.display = '?';
        if (p.name === 'verbose') continue; // does not change the curve
        firstUnknownReason ??= `\`${p.name}\`: ${conv.reason}`;
        continue;
      }
      given[p.name] = conv.arg;
      describe(info, slot);
      if (p.name === 'schedulers' && conv.arg.kind === 'list') {
        conv.arg.items.forEach((a) => { if (a.kind === 'scheduler') members.push(a.index); });
      }
    }
    found.args = given;
    if (optimizer !== null) found.optimizer = this.optimizerInfos[optimizer] ?? null;
    // ChainedScheduler has no optimizer argument: show its members' (torch requires them to share one).
    if (kind === 'ChainedScheduler' && members.length) found.optimizer = this.calls.find((c) => c.schedulerIndex === members[0])?.optimizer ?? null;
    if (!found.unknownReason && firstUnknownReason) found.unknownReason = firstUnknownReason;
    if (found.unknownReason || found.bindFailure) return value;

    value.index = addConstruction(this, found, { kind, args: given, optimizer }, members);
    return value;
  }

  /** The `optimizer` argument: a constructed optimizer, else an assumed one (labelled), else torch's TypeError object. */
  private resolveOptimizerArg(slot: ArgSlot, info: ArgInfo, given: Record<string, Arg>): number | null {
    const v = slot.val;
    if (v.k === 'optimizer') {
      given['optimizer'] = { kind: 'optimizer', index: v.index };
      const oi = this.optimizerInfos[v.index];
      if (oi && oi.assumptions.length) {
        info.assumed = true;
        info.reason = oi.assumptions.join('; ');
      }
      return v.index;
    }
    if (v.k === 'unknown' || v.k === 'opaque' || v.k === 'ns' || v.k === 'ref') {
      const why = v.k === 'unknown' ? v.reason : `\`${shortText(slot.node)}\` is not an optimizer built in this file`;
      const note = `optimizer not resolved (${why}); assumed SGD with one param group, lr ${this.assumedLr}`;
      const index = this.addOptimizer('SGD', { lr: this.assumedLr }, null, {
        type: 'SGD', variable: null, range: null, groupLrs: [], assumptions: [note],
      });
      given['optimizer'] = { kind: 'optimizer', index };
      info.assumed = true;
      info.reason = note;
      info.display = `SGD(lr=${repr(float(this.assumedLr))})`;
      return index;
    }
    // A known non-optimizer (a string, a model…): let the engine raise torch's TypeError.
    const conv = this.toArg(v);
    given['optimizer'] = 'arg' in conv ? conv.arg : { kind: 'object', typeName: 'object' };
    return null;
  }

  /** Python-syntax display; schedulers and optimizers by the name they are bound to (`[warmup, cosine]`). */
  private display(v: PyVal): string {
    return repr(v, 0, (o) => {
      if (o.k === 'scheduler') {
        const c = this.calls[o.call];
        return c?.variable ?? `${c?.kind ?? 'Scheduler'}(…)`;
      }
      const info = this.optimizerInfos[o.index];
      return info?.variable ?? `${info?.type ?? 'Optimizer'}(…)`;
    });
  }

  // ---- optimizers ----------------------------------------------------------------------------

  optimizer(type: string, call: SyntaxNode, args: EvaluatedArgs): PyVal {
    const prev = this.byNode.get(call.id);
    if (prev) return prev;
    if (this.frozen || this.suppressed) return unknown('the optimizer is constructed at run time');
    const names = ['params', ...(OPTIMIZER_PARAMS.get(type) ?? ['lr'])];
    const slots = new Map<string, PyVal>();
    args.pos.forEach((a, i) => { if (names[i]) slots.set(names[i]!, a.val); });
    for (const [k, a] of args.kw) slots.set(k, a.val);

    const assumptions: string[] = [];
    const ints = new Set<'lr' | 'momentum' | 'beta0' | 'beta1'>();
    const kwargs: OptimizerKwargs = { ints };
    const isInt = (v: PyVal | undefined) => v?.k === 'int' || v?.k === 'bool';
    if (isInt(slots.get('lr'))) ints.add('lr');
    if (isInt(slots.get('momentum'))) ints.add('momentum');
    const betasVal = slots.get('betas');
    if (betasVal?.k === 'list') {
      if (isInt(betasVal.items[0])) ints.add('beta0');
      if (isInt(betasVal.items[1])) ints.add('beta1');
    }
    const lr = slots.get('lr');
    if (lr !== undefined) {
      const n = numberOf(lr);
      kwargs.lr = typeof n === 'number' ? n : this.assumedLr;
      if (typeof n !== 'number') assumptions.push(`lr assumed ${repr(float(this.assumedLr))} (${n.reason})`);
      else if (lr.assumed) assumptions.push(`lr = ${repr(lr)} is an assumption: ${lr.assumed}`);
    }
    const momentum = slots.get('momentum');
    if (momentum !== undefined) {
      const n = numberOf(momentum);
      if (typeof n === 'number') kwargs.momentum = n;
      else assumptions.push(`momentum left at torch's default (${n.reason})`);
    }
    const betas = slots.get('betas');
    if (betas !== undefined) {
      const p = pairOf(betas);
      if (Array.isArray(p)) kwargs.betas = p;
      else assumptions.push(`betas left at torch's default (${p.reason})`);
    }
    const groups = this.paramGroups(slots.get('params'), assumptions);
    const everyGroupHasLr = groups !== null && groups.every((g) => g.lr !== undefined);
    if (kwargs.lr === undefined && !isTorchOptimizer(type) && !everyGroupHasLr) {
      kwargs.lr = this.assumedLr;
      assumptions.push(`lr assumed ${repr(float(this.assumedLr))} (\`${type}\` is given no lr and is not a torch optimizer)`);
    }
    const index = this.addOptimizer(type, kwargs, groups, {
      type, variable: variableOf(call), range: rangeOf(call), groupLrs: [], assumptions,
    });
    return { k: 'optimizer', index };
  }

  /** `[{"params": …, "lr": …}, …]` → per-group keys; anything else → null (one group). */
  private paramGroups(v: PyVal | undefined, assumptions: string[]): GroupKwargs[] | null {
    if (!v || v.k !== 'list' || v.items.length === 0 || !v.items.every((g) => g.k === 'dict')) return null;
    return v.items.map((g, i) => {
      const out: GroupKwargs = {};
      for (const [k, val] of (g as PyVal & { k: 'dict' }).entries) {
        if (k.k !== 'str') continue;
        if (k.v === 'lr' || k.v === 'momentum' || k.v === 'initial_lr') {
          const n = numberOf(val);
          if (typeof n === 'number') out[k.v] = n;
          else if (k.v === 'lr') {
            out.lr = this.assumedLr;
            assumptions.push(`lr of group ${i} assumed ${repr(float(this.assumedLr))} (${n.reason})`);
          }
        } else if (k.v === 'betas') {
          const p = pairOf(val);
          if (Array.isArray(p)) out.betas = p;
        }
      }
      return out;
    });
  }

  private addOptimizer(type: string, kwargs: OptimizerKwargs, groups: GroupKwargs[] | null, info: OptimizerInfo): number {
    const { optimizer, failure } = makeOptimizer(type, kwargs, groups);
    if (failure) info.assumptions.push(`torch would raise ${failure.type}: ${failure.message}`);
    info.groupLrs = optimizer.groups.map((g) => g.lr);
    this.optimizerInfos.push(info);
    return this.program.optimizers.push(optimizer) - 1;
  }

  // ---- uses ----------------------------------------------------------------------------------

  use(target: PyVal & { k: 'scheduler' }, method: string, call: SyntaxNode, args: PyVal[]): void {
    if (this.frozen || this.suppressed || !USE_METHODS.has(method)) return;
    const found = this.calls[target.call];
    if (!found) return;
    const range = rangeOf(call);
    if (found.uses.some((u) => u.range.start.line === range.start.line && u.range.start.character === range.start.character)) return;
    found.uses.push({
      method, range,
      args: args.map((a) => { const c = this.toArg(a); return 'arg' in c ? c.arg : { kind: 'object', typeName: 'unknown' }; }),
    });
  }

  // ---- values → engine args ------------------------------------------------------------------

  /** Converts a value to the engine's Arg, or says why it cannot be known. */
  /**
   * A value torch will call (`lr_lambda`, `scale_fn`, or a list of them). An object made by code we do
   * not evaluate (`functools.partial(…)`, a library's factory, an instance with `__call__`) may well be
   * callable: it is unknown, not the "object is not callable" TypeError a plain object gets.
   */
  private calledArg(v: PyVal): Converted {
    const mayCall = (x: PyVal): x is PyVal & ({ k: 'opaque' } | { k: 'ns' }) =>
      x.k === 'opaque' || (x.k === 'ns' && x.typeName !== 'SimpleNamespace' && x.typeName !== 'ArgumentParser');
    const hit = mayCall(v) ? v : v.k === 'list' ? v.items.find(mayCall) : undefined;
    if (hit?.k === 'opaque') return { reason: `\`${hit.desc}\` is a ${hit.typeName} object made by code LR Lens does not evaluate; what calling it returns is not known` };
    if (hit?.k === 'ns') return { reason: `calling a \`${hit.typeName}\` instance (its \`__call__\`) is not evaluated` };
    return this.toArg(v);
  }

  toArg(v: PyVal, depth = 0): Converted {
    if (depth > 30) return { reason: 'the value is nested too deeply' };
    switch (v.k) {
      case 'int': return { arg: { kind: 'int', value: v.v } };
      case 'float': return { arg: { kind: 'float', value: v.v } };
      case 'bool': return { arg: { kind: 'bool', value: v.v } };
      case 'str': return { arg: { kind: 'str', value: v.v } };
      case 'none': return { arg: { kind: 'none' } };
      case 'list': {
        const items: Arg[] = [];
        for (const x of v.items) {
          const c = this.toArg(x, depth + 1);
          if ('reason' in c) return c;
          items.push(c.arg);
        }
        return { arg: v.tuple ? { kind: 'list', items, tuple: true } : { kind: 'list', items } };
      }
      case 'dict': {
        const entries: [string, Arg][] = [];
        for (const [k, x] of v.entries) {
          const c = this.toArg(x, depth + 1);
          if ('reason' in c) return c;
          entries.push([k.k === 'str' ? k.v : repr(k), c.arg]);
        }
        return { arg: { kind: 'dict', entries } };
      }
      case 'func': case 'builtin': return this.interp.toFuncArg(v);
      case 'scheduler':
        if (v.index === null) {
          const c = this.calls[v.call];
          return { reason: `the ${c?.kind ?? 'scheduler'}${c?.variable ? ` \`${c.variable}\`` : ''} could not be built (${c?.unknownReason ?? c?.bindFailure?.message ?? 'unknown'})` };
        }
        return { arg: { kind: 'scheduler', index: v.index } };
      case 'optimizer': return { arg: { kind: 'optimizer', index: v.index } };
      case 'opaque': return { arg: { kind: 'object', typeName: v.typeName } };
      case 'ref': return { reason: refReason(v.path) };
      case 'class': return { arg: { kind: 'object', typeName: 'type' } };
      case 'ns': return { arg: { kind: 'object', typeName: v.typeName } };
      case 'unknown': return { reason: v.reason };
    }
  }
}

/** The parameters torch calls with the epoch. */
const CALLED_PARAMS = new Set(['lr_lambda', 'scale_fn']);

/** A number as an optimizer reads it (bool is an int), or why not. */
function numberOf(v: PyVal): number | { reason: string } {
  const n = numOf(v);
  if (n !== null) return n;
  const u = firstUnknown(v);
  return { reason: u ? u.reason : `\`${repr(v)}\` is not a number` };
}

function pairOf(v: PyVal): [number, number] | { reason: string } {
  if (v.k !== 'list' || v.items.length !== 2) {
    const u = firstUnknown(v);
    return { reason: u ? u.reason : `\`${repr(v)}\` is not a pair of numbers` };
  }
  const a = numberOf(v.items[0]!);
  const b = numberOf(v.items[1]!);
  if (typeof a !== 'number') return a;
  if (typeof b !== 'number') return b;
  return [a, b];
}

/** Name the construction is assigned to (`scheduler`, `self.scheduler`), or null. */
export function variableOf(call: SyntaxNode): string | null {
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
  const t = unparen(left);
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

function describe(info: ArgInfo, slot: ArgSlot): void {
  const u = firstUnknown(slot.val);
  if (u) return;
  if (!isLiteral(slot.node)) info.origin = `${shortText(slot.node)} = ${info.display}`;
  const assumed = assumedIn(slot.val, 0);
  if (assumed) {
    info.assumed = true;
    info.origin = `${info.origin ?? shortText(slot.node)} (assumed: ${assumed})`;
  }
}

/** The first assumption label in a value (list items and dict values included). */
function assumedIn(v: PyVal, depth: number): string | undefined {
  if (v.assumed || depth > 20) return v.assumed;
  if (v.k === 'list') for (const x of v.items) { const a = assumedIn(x, depth + 1); if (a) return a; }
  if (v.k === 'dict') for (const [, x] of v.entries) { const a = assumedIn(x, depth + 1); if (a) return a; }
  return undefined;
}

function argRepr(a: Arg): string {
  switch (a.kind) {
    case 'int': return String(a.value);
    case 'float': return repr(float(a.value));
    case 'bool': return a.value ? 'True' : 'False';
    case 'str': return repr({ k: 'str', v: a.value });
    case 'none': return 'None';
    default: return a.kind;
  }
}
