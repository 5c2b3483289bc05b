/**
 * The TS/JS side of construction recording: reads a call's arguments as JS passes them and
 * hands the one recorder (src/frontends/contract.ts) language-neutral calls.
 *
 * JS call shapes: positional arguments, then optionally ONE object of named
 * arguments (`new StepLR(opt, { step_size: 30 })`, or a variable holding such an
 * object). Keys are torch's parameter names; a key that matches a parameter only
 * up to case and underscores (`stepSize`, `tMax`, `etaMin`) is read as that
 * parameter and the ArgInfo's `origin` says so. An argument whose value is
 * `undefined` counts as not given (JS's convention for optional options).
 */
import { OPTIMIZERS } from '../../engine/optimizers';
import { SIGNATURES, isSchedulerKind } from '../../engine/signatures';
import { PyError, type SchedulerKind } from '../../engine/types';
import type { ConstructionRecorder, Slot, Value } from '../contract';
import { displayArg } from './display';
import { Env } from './env';
import { Bail, type CallExpr, type Evaluator, type Hooks } from './evaluate';
import type { Expr, Span } from './ir';
import type { Positions } from '../positions';
import { asUnknown, firstUnknown, num, typeOf, unknown, type FnVal, type Unknown, type Val } from './values';

/** The blog's classes (docs/torch-schedulers.md §6); everything else of SIGNATURES is torch's. */
const BLOG_KINDS = new Set(['CosineAnnealingWarmUpRestarts', 'WarmupConstantSchedule']);

/** One evaluated argument: its value and where it is written. */
interface JsSlot {
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

/** A module named for torch (`torch`, `torch-ts`, `torch-js`, `@scope/torch`): LR Lens's notation for torch's own classes. */
const TORCH_NAMED = /(^|[/@_-])torch([/_.-]|$)/;

/**
 * A torch scheduler name imported from any other module (a JS port's `import { OneCycleLR } from 'deepbox/optim'`, `require('x')`,
 * the workspace's `./optim`): LR Lens does not read that module, so the class behaving as torch's is an assumption,
 * labelled on the curve as LR Lens's stand-in; a failure torch would raise is then information that names it, never an error. Sixth audit:
 * jehaad1/Deepbox's "PyTorch-inspired" schedulers step one value late and its OneCycleLR is another formula.
 */
function byNameReason(kind: SchedulerKind, from: string): string {
  return `\`${kind}\` is imported from \`${from}\`, which LR Lens does not read: computed as torch 1.13's ${kind} by its name`;
}

interface CallArgs { pos: JsSlot[]; kw: [string, JsSlot][]; reason: string | null }

export class Recorder implements Hooks {
  /** Scheduler call spans (`s:e`) already recorded: a call met twice records once (optimizers: see `optimizer`). */
  private readonly byCall = new Map<string, Val>();
  /** The function frame each recorded scheduler call was first evaluated in (its call site, when a followed call). */
  private readonly frames = new Map<string, Env>();
  /** The other schedulers a construction built, by the call site that built each (see `again`). */
  private readonly others = new Map<string, Map<string, Val>>();
  /** Every call the evaluator reached in analysis mode (constructions or not). */
  readonly reached = new Set<string>();
  ev!: Evaluator;
  /** Set while recording a call without evaluating its arguments: the reason. */
  private noEval: string | null = null;
  /** Scheduler calls whose class is imported from a module (`import { StepLR } from 'deepbox/optim'`): why it is taken as torch's. */
  private readonly byName = new Map<string, string>();
  /** Numbers for the frames calls are written in (see `scopeOf`). */
  private readonly scopes = new Map<Env, string>();

  constructor(private readonly src: string, private readonly pos: Positions, private readonly shared: ConstructionRecorder) {}

  constructs(name: string): boolean {
    return isSchedulerKind(name) || OPTIMIZERS.has(name);
  }

  visited(call: CallExpr): void {
    this.reached.add(spanKey(call));
  }

  construct(call: CallExpr, callee: Extract<Val, { k: 'ext' }>, env: Env): Val | undefined {
    if (isSchedulerKind(callee.name)) return this.scheduler(call, callee.name, env, null, callee.from);
    if (OPTIMIZERS.has(callee.name)) return this.optimizer(call, callee.name, env);
    return undefined;
  }

  /**
   * Records a scheduler construction. `forcedReason` is set for calls the evaluator never
   * reached (found by discovery only): their arguments are still shown, but nothing is built.
   */
  scheduler(call: CallExpr, kind: SchedulerKind, env: Env, forcedReason: string | null, from: string | null = null): Val {
    const key = spanKey(call);
    if (from !== null && !TORCH_NAMED.test(from) && !this.byName.has(key)) this.byName.set(key, byNameReason(kind, from));
    this.reached.add(key);
    const prev = this.byCall.get(key);
    const frame = env.functionFrame();
    if (prev) {
      // Reached again through another call of the function it is written in: another scheduler, previewed at that call.
      const first = this.frames.get(key);
      if (prev.k === 'sched' && first && first !== frame && first.callSite && frame.callSite && spanKey(first.callSite) !== spanKey(frame.callSite) && forcedReason === null) {
        return this.again(call, kind, env, prev, first.callSite, frame.callSite, frame.label);
      }
      return prev;
    }
    this.frames.set(key, frame);
    // A call met again while its own arguments are evaluated (recursion) is not built twice.
    this.byCall.set(key, unknown(`the ${kind} is still being constructed`, call));
    let args: CallArgs;
    try {
      args = this.collectArgs(call, env, SIGNATURES[kind].params.map((p) => p.name));
    } catch (e) {
      // Out of budget: not recorded, so the calls never reached are looked at again (see index.ts).
      this.byCall.delete(key);
      this.reached.delete(key);
      throw e;
    }
    const ref = this.shared.scheduler({
      kind, family: BLOG_KINDS.has(kind) ? 'blog' : 'torch', variable: this.ev.varNames.get(call) ?? null,
      range: this.pos.range(call), calleeRange: this.pos.range(call.callee), scope: this.scopeOf(env),
      ...this.slots(args), unreached: forcedReason, ...this.byNameOf(key),
    });
    const value: Val = { k: 'sched', call: ref.call, index: ref.index };
    this.byCall.set(key, value);
    return value;
  }

  private byNameOf(key: string): { byName?: string; byNameStandIn?: boolean } {
    const why = this.byName.get(key);
    return why === undefined ? {} : { byName: why, byNameStandIn: true };
  }

  /**
   * Another scheduler built by the construction `call` through another call site of its function
   * (`const b = mk(o2, 50)` after `const a = mk(o1, 10)`): recorded with this call's arguments and
   * previewed at that call site, once per site, up to MAX_AGAIN per construction (then unknown, said so).
   */
  private again(call: CallExpr, kind: SchedulerKind, env: Env, prev: Extract<Val, { k: 'sched' }>, firstSite: Span, site: Span, label: string): Val {
    const key = spanKey(call);
    let seen = this.others.get(key);
    if (!seen) this.others.set(key, (seen = new Map()));
    const done = seen.get(spanKey(site));
    if (done) return done;
    if (seen.size >= MAX_AGAIN) return unknown(this.shared.builtAgain(prev.call, this.pos.range(firstSite), this.pos.range(site), `${label}()`), call);
    // Recursion through the same site while its arguments are evaluated is not built twice.
    seen.set(spanKey(site), unknown(`the ${kind} is still being constructed`, call));
    const args = this.collectArgs(call, env, SIGNATURES[kind].params.map((p) => p.name));
    const callee = (site as Partial<CallExpr>).callee;
    const ref = this.shared.again(prev.call, {
      kind, family: BLOG_KINDS.has(kind) ? 'blog' : 'torch', variable: this.ev.varNames.get(site) ?? null,
      range: this.pos.range(site), calleeRange: this.pos.range(callee ?? site), scope: this.scopeOf(env),
      ...this.slots(args), unreached: null, ...this.byNameOf(key),
    }, this.pos.range(firstSite), `${label}()`);
    const value: Val = { k: 'sched', call: ref.call, index: ref.index };
    seen.set(spanKey(site), value);
    return value;
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

  /**
   * Records an optimizer construction. Each evaluation is a new optimizer, as each call of
   * `const mk = () => new Adam(…)` returns a fresh object in JS (Python's frontend does the same):
   * two schedulers on `mk()` and `mk()` step different param groups.
   */
  optimizer(call: CallExpr, type: string, env: Env): Val {
    this.reached.add(spanKey(call));
    const args = this.collectArgs(call, env, ['params', ...(OPTIMIZERS.get(type)?.params ?? ['lr'])]);
    const index = this.shared.optimizer({
      type, variable: this.ev.varNames.get(call) ?? null, range: this.pos.range(call), ...this.slots(args),
    });
    return { k: 'optim', index };
  }

  use(target: Extract<Val, { k: 'sched' }>, method: string, call: CallExpr, args: Val[]): void {
    this.shared.use(target.call, method, this.pos.range(call), () => args.map((a) => this.value(a)));
  }

  /** The class (the frame binding `this`) the call is written in, else its function frame; null at module level. */
  private scopeOf(env: Env): string | null {
    const frame = env.find('this') ?? env.functionFrame();
    if (!frame.parent) return null;
    let id = this.scopes.get(frame);
    if (id === undefined) this.scopes.set(frame, id = String(this.scopes.size));
    return id;
  }

  // ---- arguments -----------------------------------------------------------------------------

  private slots(args: CallArgs): { positional: Slot[]; keywords: [string, Slot][]; reason: string | null } {
    return {
      positional: args.pos.map((a) => this.slot(a)),
      keywords: args.kw.map(([k, a]) => [k, this.slot(a, k)]),
      reason: args.reason,
    };
  }

  /** `name`: the parameter a named argument was read as. */
  private slot(a: JsSlot, name?: string): Slot {
    const where = { range: this.pos.range(a.sp), fullRange: this.pos.range(a.full), text: this.text(a.sp) };
    const indirect = a.how !== null ? { indirect: true } : {};
    if (a.v.k === 'undef') {
      return { value: { kind: 'unknown', reason: `\`${a.how ?? this.clip(a.sp)}\` is undefined` }, ...where, display: '?', ...indirect, undefinedValue: true };
    }
    const value = this.value(a.v);
    const display = displayArg(value, 0, (ref) => ref.kind === 'optimizer'
      ? this.shared.optimizerName(ref.index)
      : this.shared.schedulerName(this.shared.calls.findIndex((c) => c.schedulerIndex === ref.index)));
    const origin: string[] = [];
    if (!a.literal || a.how) origin.push(`${a.how ?? this.clip(a.sp)} = ${display}`);
    if (a.alias) origin.push(`\`${a.alias}\` read as \`${name}\``);
    return { value, ...where, display, ...(origin.length ? { origin: origin.join('; ') } : {}), ...indirect };
  }

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
  private pushNamed(out: CallArgs, key: string, params: string[], slot: JsSlot): void {
    const name = matchParam(key, params);
    if (name !== key) slot.alias = key;
    // A later key replaces an earlier one, as in a JS object.
    const i = out.kw.findIndex(([k]) => k === name);
    if (i >= 0) out.kw.splice(i, 1);
    out.kw.push([name, slot]);
  }

  // ---- values ------------------------------------------------------------------------------

  /** A JS value as the recorder's neutral value (`undefined` in an object counts as absent). */
  private value(v: Val, depth = 0): Value {
    if (depth > 30) return { kind: 'unknown', reason: 'the value is nested too deeply' };
    switch (v.k) {
      case 'num': return { kind: v.int ? 'int' : 'float', value: v.v };
      case 'bool': return { kind: 'bool', value: v.v };
      case 'str': return { kind: 'str', value: v.v };
      case 'null': case 'undef': return { kind: 'none' };
      case 'arr': return { kind: 'list', items: v.items.map((x) => this.value(x, depth + 1)) };
      case 'obj': {
        if (v.partial) return { kind: 'unknown', reason: v.partial.reason };
        const entries: [string, Value][] = [];
        for (const [k, x] of v.props) if (x.k !== 'undef') entries.push([k, this.value(x, depth + 1)]);
        return { kind: 'dict', entries };
      }
      case 'fn': return this.funcArg(v);
      case 'sched': return this.shared.schedulerValue(v.call);
      case 'optim': return { kind: 'optimizer', index: v.index };
      case 'builtin': return { kind: 'unknown', reason: `\`${v.name}\` is not supported as a value here` };
      case 'class': return { kind: 'object', typeName: 'type' };
      // An object made by code that is not evaluated (`new Trainer(opt)`, `trainer.sched`): what it is is unknown,
      // never a plain object torch would reject (a false AttributeError / TypeError).
      case 'opaque': return { kind: 'unknown', reason: `\`${v.desc}\` is an object LR Lens does not evaluate` };
      case 'ext': case 'unknown': {
        const u = asUnknown(v)!;
        return { kind: 'unknown', reason: u.reason, source: `${u.s}:${u.e}` };
      }
    }
  }

  /**
   * A user function as the engine's callable. A trial call (epoch 0) finds functions that
   * depend on unknown values before the engine runs them; JS errors are left for the engine
   * to report at the step where they happen.
   */
  private funcArg(f: FnVal): Value {
    const trial = this.ev.tryCall(f, [num(0, true)]);
    if ('bail' in trial) return { kind: 'unknown', reason: trial.bail.reason };
    const ev = this.ev;
    const name = f.name === '<anonymous>' ? this.clip(f.fn, 80) : f.name;
    return {
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
/** Other schedulers built by one construction through other call sites, previewed each (see `Recorder.again`). */
const MAX_AGAIN = 8;

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
