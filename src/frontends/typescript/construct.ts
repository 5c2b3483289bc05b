/**
 * Records constructions as the evaluator meets them: optimizers and schedulers go
 * into ONE Program in evaluation order; each scheduler call becomes a FoundCall
 * with its bound, evaluated arguments (ArgInfo for every parameter of the
 * signature), its resolved optimizer and its later uses.
 *
 * JS call shapes: positional arguments, then optionally ONE object of named
 * arguments (`new StepLR(opt, { step_size: 30 })`, or a variable holding such an
 * object). Keys are torch's parameter names; a key that matches a parameter only
 * up to case and underscores (`stepSize`, `tMax`, `etaMin`) is read as that
 * parameter and the ArgInfo's `origin` says so. An argument whose value is
 * `undefined` counts as not given (JS's convention for optional options).
 */
import { OPTIMIZERS, makeOptimizer, type GroupKwargs, type OptimizerKwargs } from '../../engine/optimizers';
import { SIGNATURES, bindArgs, isSchedulerKind } from '../../engine/signatures';
import { PyError, type Arg, type Program, type SchedulerKind } from '../../engine/types';
import type { ArgInfo, FoundCall, OptimizerInfo } from '../../analysis/types';
import { displayArg } from './display';
import { Env } from './env';
import { Bail, type CallExpr, type Evaluator, type Hooks } from './evaluate';
import type { Expr, Span } from './ir';
import type { Positions } from '../positions';
import { asUnknown, firstUnknown, num, typeOf, unknown, type FnVal, type Unknown, type Val } from './values';
import { addConstruction } from '../../analysis/program';

/** Scheduler methods whose calls are reported as `uses` (as the Python frontend). */
const USE_METHODS = new Set(['step', 'get_last_lr', 'get_lr']);

/** The blog's classes (semantics.md §6); everything else of SIGNATURES is torch's. */
const BLOG_KINDS = new Set(['CosineAnnealingWarmUpRestarts', 'WarmupConstantSchedule']);

const ADAM_ARGS = ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'];
/** Positional parameter names after `params`, per optimizer class (torch 1.13 order). */
const OPTIMIZER_PARAMS: ReadonlyMap<string, string[]> = new Map([
  ['SGD', ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov']],
  ['Adam', ADAM_ARGS], ['AdamW', ADAM_ARGS], ['Adamax', ADAM_ARGS.slice(0, 4)], ['NAdam', ADAM_ARGS.slice(0, 4)],
  ['RAdam', ADAM_ARGS.slice(0, 4)], ['SparseAdam', ['lr', 'betas', 'eps']],
  ['RMSprop', ['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered']],
  ['Adagrad', ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps']],
  ['Adadelta', ['lr', 'rho', 'eps', 'weight_decay']], ['ASGD', ['lr', 'lambd', 'alpha', 't0', 'weight_decay']],
  ['Rprop', ['lr', 'etas', 'step_sizes']], ['LBFGS', ['lr', 'max_iter']],
]);

/** One evaluated argument: its value and where it is written. */
interface Slot {
  v: Val;
  /** The value expression (or the object / spread it was read from). */
  sp: Span;
  /** The whole argument, `key: value` for named ones. */
  full: Span;
  /** Where the value was read from when it is not the expression at `sp` itself (`cfg.lr`, `xs[0]`). */
  how: string | null;
  /** The option key when it was read as a differently spelled parameter (`tMax` for `T_max`). */
  alias?: string;
  literal: boolean;
}

interface CallArgs { pos: Slot[]; kw: [string, Slot][]; reason: string | null }

type Converted = { arg: Arg } | { reason: string };

export class Recorder implements Hooks {
  readonly program: Program = { optimizers: [], schedulers: [] };
  /** In the order met; the entry point sorts them by position. */
  readonly calls: FoundCall[] = [];
  readonly optimizerInfos: OptimizerInfo[] = [];
  /** Call spans (`s:e`) already recorded: a call met twice records once. */
  private readonly byCall = new Map<string, Val>();
  /** Every call the evaluator reached in analysis mode (constructions or not). */
  readonly reached = new Set<string>();
  /** Assumed optimizers, one per unknown optimizer value, so members of one SequentialLR share it. */
  private readonly assumed = new Map<string, number>();
  ev!: Evaluator;
  /** Set while recording a call without evaluating its arguments: the reason. */
  private noEval: string | null = null;

  constructor(private readonly src: string, private readonly pos: Positions, private readonly assumedLr: number) {}

  constructs(name: string): boolean {
    return isSchedulerKind(name) || OPTIMIZERS.has(name);
  }

  visited(call: CallExpr): void {
    this.reached.add(spanKey(call));
  }

  construct(call: CallExpr, callee: Extract<Val, { k: 'ext' }>, env: Env): Val | undefined {
    if (isSchedulerKind(callee.name)) return this.scheduler(call, callee.name, env, null);
    if (OPTIMIZERS.has(callee.name)) return this.optimizer(call, callee.name, env);
    return undefined;
  }

  // ---- schedulers ----------------------------------------------------------------------------

  /**
   * Records a scheduler construction. `forcedReason` is set for calls the evaluator never
   * reached (found by discovery only): their arguments are still shown, but nothing is built.
   */
  scheduler(call: CallExpr, kind: SchedulerKind, env: Env, forcedReason: string | null): Val {
    const key = spanKey(call);
    this.reached.add(key);
    const prev = this.byCall.get(key);
    if (prev) return prev;
    const found: FoundCall = {
      kind, family: BLOG_KINDS.has(kind) ? 'blog' : 'torch', variable: this.ev.varNames.get(call) ?? null,
      range: this.pos.range(call), calleeRange: this.pos.range(call.callee), schedulerIndex: null, argInfo: [], args: {},
      optimizer: null, unknownReason: null, bindFailure: null, uses: [], memberOf: null,
    };
    const callId = this.calls.push(found) - 1;
    const value: Extract<Val, { k: 'sched' }> = { k: 'sched', call: callId, index: null };
    this.byCall.set(key, value);

    const params = SIGNATURES[kind].params.map((p) => p.name);
    const args = this.collectArgs(call, env, params);
    const bound = bindArgs<Slot>(kind, args.pos, args.kw);
    if (forcedReason) found.unknownReason = forcedReason;
    else if (args.reason) found.unknownReason = args.reason;
    else if (bound.failure) found.bindFailure = bound.failure;

    const given: Record<string, Arg> = {};
    const members: number[] = [];
    let optimizer: number | null = null;
    let firstReason: string | null = null;
    for (const p of SIGNATURES[kind].params) {
      const slot = bound.bound.get(p.name);
      if (!slot || (slot.v.k === 'undef' && p.default !== undefined)) {
        if (p.default !== undefined) {
          const info: ArgInfo = { name: p.name, range: null, fullRange: null, text: '', known: true, display: displayArg(p.default), isDefault: true };
          if (slot) {
            info.range = this.pos.range(slot.sp);
            info.text = this.text(slot.sp);
            info.origin = `\`${slot.how ?? this.clip(slot.sp)}\` is undefined: the default is used`;
          }
          found.argInfo.push(info);
        }
        continue;
      }
      const info: ArgInfo = {
        name: p.name, range: this.pos.range(slot.sp), fullRange: this.pos.range(slot.full), text: this.text(slot.sp),
        known: true, display: '?', isDefault: false,
      };
      found.argInfo.push(info);
      if (p.name === 'optimizer') {
        optimizer = this.resolveOptimizerArg(slot, info, given);
        continue;
      }
      const conv = slot.v.k === 'undef' ? { reason: `\`${slot.how ?? this.clip(slot.sp)}\` is undefined` } : this.toArg(slot.v);
      if ('reason' in conv) {
        info.known = false;
        info.reason = conv.reason;
        if (p.name !== 'verbose') firstReason ??= `\`${p.name}\`: ${conv.reason}`;
        continue;
      }
      given[p.name] = conv.arg;
      info.display = displayArg(conv.arg);
      const origin: string[] = [];
      if (!slot.literal || slot.how) origin.push(`${slot.how ?? this.clip(slot.sp)} = ${info.display}`);
      if (slot.alias) origin.push(`\`${slot.alias}\` read as \`${p.name}\``);
      if (origin.length) info.origin = origin.join('; ');
      if (p.name === 'schedulers' && conv.arg.kind === 'list') {
        for (const a of conv.arg.items) if (a.kind === 'scheduler') members.push(a.index);
      }
    }
    found.args = given;
    if (optimizer !== null) found.optimizer = this.optimizerInfos[optimizer] ?? null;
    else if (kind === 'ChainedScheduler' && members.length) {
      const first = this.program.schedulers[members[0]!];
      if (first?.optimizer != null) found.optimizer = this.optimizerInfos[first.optimizer] ?? null;
    }
    if (!found.unknownReason && !found.bindFailure && firstReason) found.unknownReason = firstReason;
    if (found.unknownReason || found.bindFailure) return value;

    value.index = addConstruction(this, found, { kind, args: given, optimizer: kind === 'ChainedScheduler' ? null : optimizer }, members);
    return value;
  }

  /** The `optimizer` argument: a constructed optimizer, else an assumed SGD (labelled), else the value as torch would see it. */
  private resolveOptimizerArg(slot: Slot, info: ArgInfo, given: Record<string, Arg>): number | null {
    const v = slot.v;
    if (v.k === 'optim') {
      given['optimizer'] = { kind: 'optimizer', index: v.index };
      const oi = this.optimizerInfos[v.index];
      info.display = oi?.variable ?? `${oi?.type ?? 'Optimizer'}(…)`;
      if (oi && oi.assumptions.length) {
        info.assumed = true;
        info.reason = oi.assumptions.join('; ');
      }
      return v.index;
    }
    const u = asUnknown(v);
    if (u || v.k === 'opaque' || v.k === 'undef') {
      const why = u ? u.reason : `\`${this.clip(slot.sp)}\` is not an optimizer built in this file`;
      const note = `optimizer not resolved (${why}); assumed SGD with one param group, lr ${displayArg({ kind: 'float', value: this.assumedLr })}`;
      // The same unknown optimizer (same name, same reason) is one assumed optimizer, wherever it is used.
      const key = u ? u.reason : `${slot.sp.s}`;
      let index = this.assumed.get(key);
      if (index === undefined) {
        index = this.addOptimizer('SGD', { lr: this.assumedLr }, null, {
          type: 'SGD', variable: null, range: null, groupLrs: [], assumptions: [note],
        });
        this.assumed.set(key, index);
      }
      given['optimizer'] = { kind: 'optimizer', index };
      info.assumed = true;
      info.reason = note;
      info.display = `SGD(lr=${displayArg({ kind: 'float', value: this.assumedLr })})`;
      return index;
    }
    // A known non-optimizer (a number, an array…): the engine raises torch's TypeError.
    const conv = this.toArg(v);
    given['optimizer'] = 'arg' in conv ? conv.arg : { kind: 'object', typeName: 'object' };
    info.display = 'arg' in conv ? displayArg(conv.arg) : '?';
    return null;
  }

  /** Records a call whose arguments cannot be evaluated at all (the analysis ran out of budget). */
  unevaluated(call: CallExpr, kind: SchedulerKind, reason: string): void {
    this.noEval = reason;
    try {
      this.scheduler(call, kind, new Env(null, 'module', true), reason);
    } finally {
      this.noEval = null;
    }
  }

  // ---- arguments -----------------------------------------------------------------------------

  /** An argument's value (unknown, without evaluating, while `noEval` is set). */
  private evalArg(e: Expr, env: Env): Val {
    return this.noEval ? unknown(this.noEval, e) : this.ev.ev(e, env);
  }

  /** Positional arguments, then the named ones of a trailing object. */
  private collectArgs(call: CallExpr, env: Env, params: string[]): CallArgs {
    const out: CallArgs = { pos: [], kw: [], reason: null };
    const last = call.args.length - 1;
    call.args.forEach((a, i) => {
      if (a.t === 'spread') {
        const v = this.evalArg(a.arg, env);
        if (v.k === 'arr') {
          v.items.forEach((x, j) => out.pos.push({ v: x, sp: a, full: a, how: `${this.clip(a.arg)}[${j}]`, literal: false }));
        } else out.reason ??= `the spread \`${this.clip(a)}\` is not evaluated${reasonSuffix(v)}`;
        return;
      }
      if (i === last && a.t === 'obj') {
        this.namedFromLiteral(a, env, params, out);
        return;
      }
      const v = this.evalArg(a, env);
      if (i === last && v.k === 'obj') {
        if (v.partial) out.reason ??= `the options \`${this.clip(a)}\` are not all known: ${v.partial.reason}`;
        for (const [k, x] of v.props) this.pushNamed(out, k, params, { v: x, sp: a, full: a, how: `${this.clip(a)}.${k}`, literal: false });
        return;
      }
      out.pos.push({ v, sp: a, full: a, how: null, literal: isLiteral(a) });
    });
    return out;
  }

  private namedFromLiteral(o: Extract<Expr, { t: 'obj' }>, env: Env, params: string[], out: CallArgs): void {
    for (const p of o.props) {
      if (p.t === 'spread') {
        const v = this.evalArg(p.arg, env);
        if (v.k === 'obj') {
          if (v.partial) out.reason ??= `the spread \`${this.clip(p)}\` is not all known: ${v.partial.reason}`;
          for (const [k, x] of v.props) this.pushNamed(out, k, params, { v: x, sp: p, full: p, how: `${this.clip(p.arg)}.${k}`, literal: false });
        } else if (v.k !== 'null' && v.k !== 'undef') out.reason ??= `the spread \`${this.clip(p)}\` is not evaluated${reasonSuffix(v)}`;
        continue;
      }
      let key: string;
      if (typeof p.key === 'string') key = p.key;
      else {
        const k = this.evalArg(p.key, env);
        if (k.k !== 'str' && k.k !== 'num') {
          out.reason ??= `the computed key \`${this.clip(p.key)}\` is not evaluated${reasonSuffix(k)}`;
          continue;
        }
        key = String(k.v);
      }
      if (p.value.t === 'fn' && !this.ev.varNames.has(p.value)) this.ev.varNames.set(p.value, key);
      const v = this.evalArg(p.value, env);
      this.pushNamed(out, key, params, { v, sp: p.value, full: p, how: null, literal: isLiteral(p.value) });
    }
  }

  /** Adds a named argument, reading a camelCase/differently-cased key as the parameter it matches. */
  private pushNamed(out: CallArgs, key: string, params: string[], slot: Slot): void {
    const name = matchParam(key, params);
    if (name !== key) slot.alias = key;
    // A later key replaces an earlier one, as in a JS object.
    const i = out.kw.findIndex(([k]) => k === name);
    if (i >= 0) out.kw.splice(i, 1);
    out.kw.push([name, slot]);
  }

  // ---- optimizers ----------------------------------------------------------------------------

  optimizer(call: CallExpr, type: string, env: Env): Val {
    const key = spanKey(call);
    this.reached.add(key);
    const prev = this.byCall.get(key);
    if (prev) return prev;
    const names = ['params', ...(OPTIMIZER_PARAMS.get(type) ?? ['lr'])];
    const args = this.collectArgs(call, env, names);
    const slots = new Map<string, Slot>();
    args.pos.forEach((a, i) => { if (names[i]) slots.set(names[i]!, a); });
    for (const [k, a] of args.kw) slots.set(k, a);

    const assumptions: string[] = [];
    if (args.reason) assumptions.push(`arguments not all known (${args.reason})`);
    const kwargs: OptimizerKwargs = {};
    const lr = slots.get('lr');
    if (lr && lr.v.k !== 'undef') {
      const n = this.number(lr.v);
      if (typeof n === 'number') kwargs.lr = n;
      else {
        kwargs.lr = this.assumedLr;
        assumptions.push(`lr assumed ${displayArg({ kind: 'float', value: this.assumedLr })} (${n.reason})`);
      }
    }
    const momentum = slots.get('momentum');
    if (momentum && momentum.v.k !== 'undef') {
      const n = this.number(momentum.v);
      if (typeof n === 'number') kwargs.momentum = n;
      else assumptions.push(`momentum left at torch's default (${n.reason})`);
    }
    const betas = slots.get('betas');
    if (betas && betas.v.k !== 'undef') {
      const b = this.pair(betas.v);
      if (Array.isArray(b)) kwargs.betas = b;
      else assumptions.push(`betas left at torch's default (${b.reason})`);
    }
    const groups = this.paramGroups(slots.get('params')?.v, assumptions);
    const spec = OPTIMIZERS.get(type);
    if (kwargs.lr === undefined && spec?.lr == null && !(groups && groups.every((g) => g.lr !== undefined))) {
      kwargs.lr = this.assumedLr;
      assumptions.push(`lr assumed ${displayArg({ kind: 'float', value: this.assumedLr })} (\`${type}\` is given no lr)`);
    }
    const lrSlot = lr && lr.v.k !== 'undef' ? lr : null;
    const index = this.addOptimizer(type, kwargs, groups, {
      type, variable: this.ev.varNames.get(call) ?? null, range: this.pos.range(call), groupLrs: [],
      callRange: this.pos.range(call), lrRange: lrSlot ? this.pos.range(lrSlot.sp) : null,
      assumptions,
    });
    const value: Val = { k: 'optim', index };
    this.byCall.set(key, value);
    return value;
  }

  /** `[{ params: …, lr: … }, …]` → per-group keys; anything else → null (one group). */
  private paramGroups(v: Val | undefined, assumptions: string[]): GroupKwargs[] | null {
    if (!v || v.k !== 'arr' || v.items.length === 0 || !v.items.every((g) => g.k === 'obj')) return null;
    return v.items.map((g, i) => {
      const out: GroupKwargs = {};
      const props = (g as Extract<Val, { k: 'obj' }>).props;
      for (const key of ['lr', 'momentum', 'initial_lr'] as const) {
        const x = props.get(key);
        if (!x || x.k === 'undef') continue;
        const n = this.number(x);
        if (typeof n === 'number') out[key] = n;
        else if (key === 'lr') {
          out.lr = this.assumedLr;
          assumptions.push(`lr of group ${i} assumed ${displayArg({ kind: 'float', value: this.assumedLr })} (${n.reason})`);
        }
      }
      const b = props.get('betas');
      if (b) {
        const p = this.pair(b);
        if (Array.isArray(p)) out.betas = p;
      }
      return out;
    });
  }

  private number(v: Val): number | { reason: string } {
    if (v.k === 'num') return v.v;
    if (v.k === 'bool') return v.v ? 1 : 0;
    const u = asUnknown(v);
    return { reason: u ? u.reason : `a ${typeOf(v)} is not a number` };
  }

  private pair(v: Val): [number, number] | { reason: string } {
    const u = asUnknown(v);
    if (u) return { reason: u.reason };
    if (v.k !== 'arr' || v.items.length !== 2) return { reason: 'not a pair of numbers' };
    const a = this.number(v.items[0]!);
    const b = this.number(v.items[1]!);
    if (typeof a !== 'number') return a;
    if (typeof b !== 'number') return b;
    return [a, b];
  }

  private addOptimizer(type: string, kwargs: OptimizerKwargs, groups: GroupKwargs[] | null, info: OptimizerInfo): number {
    const { optimizer, failure } = makeOptimizer(type, kwargs, groups);
    if (failure) info.assumptions.push(`torch would raise ${failure.type}: ${failure.message}`);
    info.groupLrs = optimizer.groups.map((g) => g.lr);
    this.optimizerInfos.push(info);
    return this.program.optimizers.push(optimizer) - 1;
  }

  // ---- uses ----------------------------------------------------------------------------------

  use(target: Extract<Val, { k: 'sched' }>, method: string, call: CallExpr, args: Val[]): void {
    if (!USE_METHODS.has(method)) return;
    const found = this.calls[target.call];
    if (!found) return;
    const range = this.pos.range(call);
    if (found.uses.some((u) => u.range.start.line === range.start.line && u.range.start.character === range.start.character)) return;
    found.uses.push({
      method, range,
      args: args.map((a) => { const c = this.toArg(a); return 'arg' in c ? c.arg : { kind: 'object', typeName: 'unknown' }; }),
    });
  }

  // ---- values → engine args ------------------------------------------------------------------

  /** Converts a value to the engine's Arg, or says why it cannot be known. */
  toArg(v: Val, depth = 0): Converted {
    if (depth > 30) return { reason: 'the value is nested too deeply' };
    switch (v.k) {
      case 'num': return { arg: v.int ? { kind: 'int', value: v.v } : { kind: 'float', value: v.v } };
      case 'bool': return { arg: { kind: 'bool', value: v.v } };
      case 'str': return { arg: { kind: 'str', value: v.v } };
      case 'null': case 'undef': return { arg: { kind: 'none' } };
      case 'arr': {
        const items: Arg[] = [];
        for (const x of v.items) {
          const c = this.toArg(x, depth + 1);
          if ('reason' in c) return c;
          items.push(c.arg);
        }
        return { arg: { kind: 'list', items } };
      }
      case 'obj': {
        if (v.partial) return { reason: v.partial.reason };
        const entries: [string, Arg][] = [];
        for (const [k, x] of v.props) {
          const c = this.toArg(x, depth + 1);
          if ('reason' in c) return c;
          entries.push([k, c.arg]);
        }
        return { arg: { kind: 'dict', entries } };
      }
      case 'fn': return this.funcArg(v);
      case 'sched':
        if (v.index === null) {
          const c = this.calls[v.call];
          return { reason: `the ${c?.kind ?? 'scheduler'}${c?.variable ? ` \`${c.variable}\`` : ''} could not be built (${c?.unknownReason ?? c?.bindFailure?.message ?? 'unknown'})` };
        }
        return { arg: { kind: 'scheduler', index: v.index } };
      case 'optim': return { arg: { kind: 'optimizer', index: v.index } };
      case 'builtin': return { reason: `\`${v.name}\` is not supported as a value here` };
      case 'class': return { arg: { kind: 'object', typeName: 'type' } };
      case 'opaque': return { arg: { kind: 'object', typeName: 'object' } };
      case 'ext': case 'unknown': return { reason: asUnknown(v)!.reason };
    }
  }

  /**
   * A user function as the engine's callable. A trial call (epoch 0) finds functions that
   * depend on unknown values before the engine runs them; JS errors are left for the engine
   * to report at the step where they happen.
   */
  private funcArg(f: FnVal): Converted {
    const trial = this.ev.tryCall(f, [num(0, true)]);
    if ('bail' in trial) return { reason: trial.bail.reason };
    const ev = this.ev;
    const name = f.name === '<anonymous>' ? this.clip(f.fn, 80) : f.name;
    return {
      arg: {
        kind: 'func',
        name,
        call: (x: number) => {
          let r: Val;
          try {
            r = ev.callFromEngine(f, [num(x, Number.isInteger(x))]);
          } catch (e) {
            if (e instanceof PyError) throw e;
            if (e instanceof Bail) throw new PyError('UnknownValue', e.u.reason);
            if (e instanceof RangeError) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
            throw new PyError('UnknownValue', 'the function could not be evaluated');
          }
          if (r.k === 'num') return r.v;
          if (r.k === 'bool') return r.v ? 1 : 0;
          throw new PyError('TypeError', `lr_lambda returned ${r.k === 'undef' ? 'undefined' : `a ${typeOf(r)}`}, not a number`);
        },
      },
    };
  }

  private text(sp: Span): string {
    return this.src.slice(sp.s, sp.e);
  }

  private clip(sp: Span, max = 60): string {
    return this.ev.clip(sp, max);
  }
}

/** A call's identity within one analysis. */
export function spanKey(sp: Span): string {
  return `${sp.s}:${sp.e}`;
}

/** `key` as a parameter name: exact, else the one parameter equal up to case and underscores, else unchanged. */
function matchParam(key: string, params: string[]): string {
  if (params.includes(key)) return key;
  const norm = (s: string) => s.replace(/_/g, '').toLowerCase();
  const hits = params.filter((p) => norm(p) === norm(key));
  return hits.length === 1 ? hits[0]! : key;
}

/** Literal arguments need no `origin`: numbers, strings, signed numbers, arrays of literals, functions. */
function isLiteral(e: Expr): boolean {
  switch (e.t) {
    case 'num': case 'str': case 'bool': case 'null': case 'fn': return true;
    case 'tmpl': return e.exprs.length === 0;
    case 'unary': return (e.op === '-' || e.op === '+') && e.arg.t === 'num';
    case 'arr': return e.items.every((x) => x !== null && x.t !== 'spread' && isLiteral(x));
    default: return false;
  }
}

function reasonSuffix(v: Val): string {
  const u: Unknown | null = asUnknown(v) ?? firstUnknown(v);
  return u ? `: ${u.reason}` : '';
}
