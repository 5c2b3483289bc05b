/**
 * The evaluator's calls layer: arguments, builtins (the library models of builtins.ts),
 * user functions (run concretely, or analysed in place when they build schedulers),
 * array mutators, and the hand-off of constructions and scheduler uses to the hooks.
 */
import { PyError } from '../../engine/types';
import { callBuiltin, MAX_LENGTH } from './builtins';
import { Bail, type Analysis, type CallExpr } from './core';
import { chainSize, Env, restore, snapshot } from './env';
import { Expressions } from './expressions';
import type { ArgExpr, FnExpr, Param, Pattern, Span } from './ir';
import { asUnknown, firstUnknown, int, sameVal, unknown, UNDEF, type FnVal, type Unknown, type Val } from './values';

/** Calls nest at most this deep (`RecursionError`). */
const MAX_CALL_DEPTH = 100;
/** Array methods that change the array in place (applied to the variable holding it). */
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift']);
/** Operations a call made while analysing the file may use (helpers such as `steps(10)`). */
const ANALYSIS_CALL_OPS = 200_000;

export abstract class Calls extends Expressions {
  private callDepth = 0;

  private evArgs(args: ArgExpr[], env: Env): Val[] | Unknown {
    const out: Val[] = [];
    for (const a of args) {
      if (a.t === 'spread') {
        const v = this.ev(a.arg, env);
        if (v.k === 'arr') out.push(...v.items);
        else return asUnknown(v) ?? unknown(`the spread \`${this.clip(a)}\` is not evaluated`, a);
      } else out.push(this.ev(a, env));
    }
    return out;
  }

  protected override evCall(e: CallExpr, env: Env): Val {
    const a = this.mode;
    a?.hooks.visited(e);
    let callee: Val;
    if (e.callee.t === 'member' || e.callee.t === 'index') {
      const o = this.ev(e.callee.obj, env);
      if (e.callee.optional && (o.k === 'null' || o.k === 'undef')) return UNDEF;
      if (o.k === 'unknown' && o.alts && e.callee.t === 'member' && a) {
        // One of several schedulers (built on different branches): the use counts for each.
        const args = this.evArgs(e.args, env);
        for (const alt of o.alts) a.hooks.use(alt, e.callee.prop, e, Array.isArray(args) ? args : []);
        return { k: 'opaque', desc: this.clip(e) };
      }
      if (o.k === 'sched' || o.k === 'optim') {
        const args = this.evArgs(e.args, env);
        if (a === null) throw new Bail(unknown(`\`${this.clip(e)}\` is not run`, e));
        if (o.k === 'sched' && e.callee.t === 'member') a.hooks.use(o, e.callee.prop, e, Array.isArray(args) ? args : []);
        return { k: 'opaque', desc: this.clip(e) };
      }
      const target = e.callee.obj;
      if (e.callee.t === 'member' && o.k === 'arr' && ARRAY_MUTATORS.has(e.callee.prop) && (target.t === 'ident' || target.t === 'member' || target.t === 'index')) {
        return this.mutateArray(o.items, e.callee.prop, e, target, env);
      }
      callee = this.ev(e.callee, env);
    } else callee = this.ev(e.callee, env);
    if (e.optional && (callee.k === 'null' || callee.k === 'undef')) return UNDEF;

    if (callee.k === 'ext' && a) {
      const built = a.hooks.construct(e, callee, env);
      if (built) return built;
    }
    const args = this.evArgs(e.args, env);
    switch (callee.k) {
      case 'builtin': {
        if (callee.name === 'require') {
          const a0 = Array.isArray(args) ? args[0] : undefined;
          const from = a0?.k === 'str' ? a0.v : '?';
          return { k: 'ext', name: '*', path: this.clip(e), from, s: e.s, e: e.e };
        }
        if (!Array.isArray(args)) return this.unk(args);
        for (const a of args) {
          const u = a.k === 'fn' ? null : firstUnknown(a);
          if (u) return this.unk(u);
        }
        let r: Val | string;
        try {
          r = callBuiltin(callee.name, callee.self, args, (f, xs) => this.callValue(f, xs, e));
        } catch (err) {
          // A callback (`.map(f)`) that cannot be evaluated: in analysis, the result is unknown.
          if (a === null) throw err;
          if (err instanceof Bail) return err.u;
          if (err instanceof PyError) return unknown(`\`${this.clip(e)}\` raises ${err.type}: ${err.message}`, e);
          throw err;
        }
        return this.opResult(r, e);
      }
      case 'fn':
        if (!Array.isArray(args)) return this.unk(args);
        return this.callUser(callee, args, e);
      case 'class': return e.isNew ? { k: 'opaque', desc: this.clip(e) } : this.jsError('TypeError', `Class constructor ${callee.name} cannot be invoked without 'new'`, e);
      case 'ext': {
        const u = unknown(`\`${this.clip(e)}\` is computed at run time`, e, true);
        // Whether it constructs matters to the analysis only (a run nested in it is analysed instead).
        if (a === null) throw new Bail(u, this.session?.hooks.constructs(callee.name) ?? false);
        return u;
      }
      case 'opaque': return { k: 'opaque', desc: this.clip(e) };
      case 'unknown': return this.unk(callee.runtime ? unknown(`\`${this.clip(e)}\` is computed at run time`, e, true) : callee);
      default: return this.jsError('TypeError', `${this.clip(e.callee)} is not a function`, e);
    }
  }

  /** `xs.push(…)` & co. on an array held by a variable or property: the variable gets the new array. */
  private mutateArray(items: Val[], method: string, e: CallExpr, target: Extract<Pattern, { t: 'ident' | 'member' | 'index' }>, env: Env): Val {
    const args = this.evArgs(e.args, env);
    if (!Array.isArray(args)) return this.unk(args);
    this.charge(items.length);
    const next = items.slice();
    let result: Val;
    switch (method) {
      case 'push': next.push(...args); result = int(next.length); break;
      case 'unshift': next.unshift(...args); result = int(next.length); break;
      case 'pop': result = next.pop() ?? UNDEF; break;
      default: result = next.shift() ?? UNDEF; break;
    }
    if (next.length > MAX_LENGTH) return this.unkReason('the array is too long to evaluate', e);
    this.bindPattern(target, { k: 'arr', items: next }, env, 'assign', e);
    return result;
  }

  /** Calls a function value found inside a builtin (`.map(f)`). */
  private callValue(f: Val, args: Val[], at: Span): Val {
    if (f.k === 'fn') {
      const r = this.callUser(f, args, at);
      if (r.k === 'unknown') throw new Bail(r);
      return r;
    }
    if (f.k === 'builtin') {
      const r = callBuiltin(f.name, f.self, args, (g, xs) => this.callValue(g, xs, at));
      if (typeof r === 'string') throw new Bail(unknown(r, at));
      return r;
    }
    throw new Bail(asUnknown(f) ?? unknown(`\`${this.clip(at)}\` calls something that is not a function`, at));
  }

  /** A user function: in run mode directly; from analysis, run concretely and any failure becomes an unknown result. */
  private callUser(f: FnVal, args: Val[], at: Span): Val {
    const a = this.mode;
    if (a === null) return this.invoke(f, args);
    // A factory that builds schedulers (`makeSchedule(params)`) is analysed where it is called,
    // with the call's arguments (each construction is recorded at its first call); other
    // functions are run concretely, and analysed instead if they turn out to call a factory.
    if (a.hasCandidate(f.fn)) return this.inlineCall(a, f, args, at);
    const r = this.runFromAnalysis(f, args, at);
    return r === null ? this.inlineCall(a, f, args, at) : r;
  }

  /** Runs a function concretely from analysis: its result, or null when it reaches a construction. */
  private runFromAnalysis(f: FnVal, args: Val[], at: Span): Val | null {
    // A call that fails half-way must not leave half of its assignments behind.
    this.chargeBindings(chainSize(f.env));
    const start = snapshot(f.env);
    try {
      return this.concretely(ANALYSIS_CALL_OPS, () => this.invoke(f, args));
    } catch (err) {
      if (err instanceof Bail || err instanceof PyError || err instanceof RangeError) restore(start);
      if (err instanceof Bail) return err.construct ? null : err.u;
      if (err instanceof PyError) return unknown(`\`${this.clip(at)}\` raises ${err.type}: ${err.message}`, at);
      if (err instanceof RangeError) return unknown(`\`${this.clip(at)}\` nests calls too deeply to evaluate`, at);
      throw err;
    }
  }

  /** Analyses a function body in place of a call (analysis mode): the value it returns on every path, or unknown. */
  private inlineCall(a: Analysis, f: FnVal, args: Val[], at: Span): Val {
    a.analysed.add(f.fn);
    if (this.callDepth >= MAX_CALL_DEPTH) return unknown(`\`${this.clip(at)}\` nests calls too deeply`, at);
    const saved = a.returns;
    const returns: Val[] = [];
    a.returns = returns;
    this.callDepth++;
    try {
      const env = new Env(f.env, f.name, true);
      env.callSite = at;
      this.bindParams(f.fn.params, args, env);
      let result: Val;
      if (!Array.isArray(f.fn.body)) result = this.ev(f.fn.body, env);
      else {
        this.hoist(f.fn.body, env);
        const c = this.execList(f.fn.body, env);
        result = c.c === 'return' ? c.v : c.c === 'throw' ? unknown(`\`${this.clip(at)}\` throws`, at) : UNDEF;
      }
      const all = [...returns, result];
      if (all.every((v) => sameVal(v, result))) return result;
      return unknown(`\`${this.clip(at)}\` returns different values depending on conditions known only at run time`, at);
    } finally {
      this.callDepth--;
      a.returns = saved;
    }
  }

  protected invoke(f: FnVal, args: Val[]): Val {
    if (this.callDepth >= MAX_CALL_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    this.callDepth++;
    try {
      const env = new Env(f.env, f.name, true);
      this.bindParams(f.fn.params, args, env);
      if (!Array.isArray(f.fn.body)) return this.ev(f.fn.body, env);
      this.hoist(f.fn.body, env);
      const c = this.execList(f.fn.body, env);
      return c.c === 'return' ? c.v : UNDEF;
    } finally {
      this.callDepth--;
    }
  }

  private bindParams(params: Param[], args: Val[], env: Env): void {
    params.forEach((p, i) => {
      if (p.rest) {
        this.bindPattern(p.target, { k: 'arr', items: args.slice(i) }, env, 'let', p.target);
        return;
      }
      let v = args[i] ?? UNDEF;
      if (v.k === 'undef' && p.def) v = this.ev(p.def, env);
      this.bindPattern(p.target, v, env, 'let', p.target);
    });
  }

  protected override makeFn(fn: FnExpr, env: Env, name: string): FnVal {
    const f: FnVal = { k: 'fn', fn, env, name };
    this.defer(fn, (a) => {
      if (!a.analysed.has(fn)) this.analyseFunction(a, f);
    });
    return f;
  }
}
