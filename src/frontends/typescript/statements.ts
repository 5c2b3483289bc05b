/**
 * The evaluator's statements layer: declarations and hoisting, blocks, `if`, `switch`,
 * `try`, loops (run concretely when they can be, else once with changed bindings
 * unknown) and the fork that runs both sides of an unknown condition and merges them.
 */
import { PyError } from '../../engine/types';
import { Calls } from './calls';
import { Bail, NORMAL, type Analysis, type Completion } from './core';
import { chainSize, Env, mergeInto, restore, snapshot, type Snapshot } from './env';
import type { Stmt } from './ir';
import { binaryOp } from './ops';
import { patternNames } from './names';
import { asUnknown, int, obj, sameVal, str, truthy, unknown, UNDEF, type Unknown, type Val } from './values';

/** Operations a loop may use when analysis tries to run it concretely. */
const LOOP_TRY_OPS = 200_000;

export abstract class Statements extends Calls {
  /** Function declarations are hoisted, `var`s exist (undefined) from the start of their function. */
  protected override hoist(body: Stmt[], env: Env): void {
    for (const s of body) {
      if (s.t === 'fndecl' && s.fn.name) env.vars.set(s.fn.name, this.makeFn(s.fn, env, s.fn.name));
      else if (s.t === 'decl' && s.kind === 'var') {
        const frame = env.functionFrame();
        for (const d of s.decls) for (const [n] of patternNames(d.target)) if (!frame.vars.has(n)) frame.vars.set(n, UNDEF);
      }
    }
  }

  protected override execList(body: Stmt[], env: Env): Completion {
    for (const s of body) {
      const c = this.exec(s, env);
      if (c.c !== 'normal') return c;
    }
    return NORMAL;
  }

  private block(body: Stmt[], env: Env, label = 'block'): Completion {
    // A block without declarations needs no frame of its own (loop bodies run often).
    if (!body.some(declares)) return this.execList(body, env);
    const inner = new Env(env, label, false);
    this.hoist(body, inner);
    return this.execList(body, inner);
  }

  exec(s: Stmt, env: Env): Completion {
    this.tick();
    switch (s.t) {
      case 'decl':
        for (const d of s.decls) {
          if (d.init && d.target.t === 'ident') this.nameValue(d.init, d.target.name);
          const v = d.init ? this.ev(d.init, env) : UNDEF;
          this.bindPattern(d.target, v, env, s.kind, d.init ?? d.target);
        }
        return NORMAL;
      case 'expr': this.ev(s.expr, env); return NORMAL;
      case 'if': return this.execIf(s, env);
      case 'block': return this.block(s.body, env);
      case 'return': return { c: 'return', v: s.arg ? this.ev(s.arg, env) : UNDEF };
      case 'fndecl': return NORMAL;
      case 'classdecl':
        if (s.cls.name) env.vars.set(s.cls.name, { k: 'class', name: s.cls.name, cls: s.cls });
        this.defer(s.cls, (a) => this.analyseClass(a, s.cls, env));
        return NORMAL;
      case 'for': case 'forof': case 'while': return this.execLoop(s, env);
      case 'break': return { c: 'break' };
      case 'continue': return { c: 'continue' };
      case 'throw':
        // The thrown value is not evaluated: `new Error(…)` is an object we do not model.
        if (this.mode === null) throw new PyError('Error', `the function throws \`${this.clip(s.arg)}\``);
        return { c: 'throw' };
      case 'try': return this.execTry(s, env);
      case 'switch': return this.execSwitch(s, env);
      case 'enum': env.vars.set(s.name, this.enumValue(s, env)); return NORMAL;
      case 'import': case 'skip': return NORMAL;
      case 'unsupported':
        if (this.mode === null) throw new Bail(unknown(s.why, s));
        return NORMAL;
    }
  }

  private execIf(s: Extract<Stmt, { t: 'if' }>, env: Env): Completion {
    const test = this.ev(s.test, env);
    const t = truthy(test);
    if (t === true) return this.exec(s.then, env);
    if (t === false) return s.else ? this.exec(s.else, env) : NORMAL;
    if (this.mode === null) throw new Bail(asUnknown(test) ?? unknown(`\`${this.clip(s.test)}\` is unknown`, s.test));
    const why = (name: string) => unknown(
      `\`${name}\` depends on a condition known only at run time (\`${this.clip(s.test)}\`)`, s.test);
    return this.fork([(e) => this.exec(s.then, e), (e) => (s.else ? this.exec(s.else, e) : NORMAL)], env, why);
  }

  /**
   * Runs each path from the same state and merges the states of the paths that complete
   * normally (paths that return or throw do not reach the code after).
   */
  private fork(paths: ((env: Env) => Completion)[], env: Env, why: (name: string) => Unknown): Completion {
    // Copying and merging the visible bindings costs work in proportion to their number.
    this.chargeBindings(chainSize(env) * (paths.length + 1));
    const start = snapshot(env);
    const outcomes: Snapshot[] = [];
    let abrupt: Completion | null = null;
    for (const p of paths) {
      restore(start);
      const c = p(env);
      if (c.c === 'normal' || c.c === 'break' || c.c === 'continue') outcomes.push(snapshot(env));
      else {
        abrupt = c;
        // A function analysed inline returns this value on this path.
        if (c.c === 'return') this.mode?.returns?.push(c.v);
      }
    }
    if (outcomes.length === 0) {
      restore(start);
      return abrupt ?? NORMAL;
    }
    restore(outcomes[0]!);
    for (const o of outcomes.slice(1)) mergeInto(snapshot(env), o, why);
    return NORMAL;
  }

  private execLoop(s: Extract<Stmt, { t: 'for' | 'forof' | 'while' }>, env: Env): Completion {
    const a = this.mode;
    if (a === null) return this.runLoop(s, env);
    if (!a.hasCandidate(s)) {
      // Small loops that build a list (`for (…) ms.push(…)`) are run for real, within a budget.
      this.chargeBindings(chainSize(env));
      const start = snapshot(env);
      try {
        return this.concretely(LOOP_TRY_OPS, () => this.runLoop(s, env));
      } catch (e) {
        if (!(e instanceof Bail || e instanceof PyError)) throw e;
        restore(start);
      }
    }
    return this.abstractLoop(a, s, env);
  }

  /** The body once, with loop variables unknown; bindings it changes become unknown afterwards. */
  private abstractLoop(a: Analysis, s: Extract<Stmt, { t: 'for' | 'forof' | 'while' }>, env: Env): Completion {
    this.chargeBindings(chainSize(env) * 2);
    const before = snapshot(env);
    const loopEnv = new Env(env, 'loop', false);
    const changes = (name: string) => unknown(`\`${name}\` changes in a loop (\`${this.clip(s, 40)}\`)`, s);
    if (s.t === 'for') {
      if (s.init) this.exec(s.init, loopEnv);
      for (const name of loopEnv.vars.keys()) loopEnv.vars.set(name, changes(name));
      if (s.test) this.ev(s.test, loopEnv);
    } else if (s.t === 'forof') {
      this.ev(s.iter, env);
      const v = unknown(`\`${this.clip(s.target)}\` takes each value of \`${this.clip(s.iter)}\``, s.target);
      this.bindPattern(s.target, v, loopEnv, s.kind ?? 'assign', s.target);
    } else this.ev(s.test, env);
    const c = this.exec(s.body, loopEnv);
    // The body may return on some iteration (seen by a function analysed inline).
    if (c.c === 'return') a.returns?.push(c.v);
    if (s.t === 'for' && s.update) this.ev(s.update, loopEnv);
    // Any binding the body changed may hold any iteration's value.
    for (const [frame, vars] of before) {
      for (const [name, v] of frame.vars) {
        const old = vars.get(name);
        if (old === undefined || !sameVal(old, v)) frame.vars.set(name, changes(name));
      }
    }
    return NORMAL;
  }

  /** Concrete loop (run mode). */
  private runLoop(s: Extract<Stmt, { t: 'for' | 'forof' | 'while' }>, env: Env): Completion {
    const loopEnv = new Env(env, 'loop', false);
    const body = (): Completion | null => {
      const c = this.exec(s.body, loopEnv);
      if (c.c === 'break') return NORMAL;
      if (c.c === 'return' || c.c === 'throw') return c;
      return null;
    };
    if (s.t === 'forof') {
      const it = this.ev(s.iter, env);
      let items: Val[];
      if (s.of && it.k === 'arr') items = it.items;
      else if (s.of && it.k === 'str') items = [...it.v].map(str);
      else if (!s.of && it.k === 'obj' && !it.partial) items = [...it.props.keys()].map(str);
      else if (!s.of && it.k === 'arr') items = it.items.map((_, i) => str(String(i)));
      else throw new Bail(asUnknown(it) ?? unknown(`iterating \`${this.clip(s.iter)}\` is not evaluated`, s.iter));
      for (const x of items) {
        this.tick();
        this.bindPattern(s.target, x, loopEnv, s.kind ?? 'assign', s.target);
        const c = body();
        if (c) return c;
      }
      return NORMAL;
    }
    if (s.t === 'for' && s.init) this.exec(s.init, loopEnv);
    for (let first = true; ; first = false) {
      this.tick();
      if (s.t === 'for' && !first && s.update) this.ev(s.update, loopEnv);
      const test = s.t === 'for' ? s.test : s.doWhile && first ? null : s.test;
      if (test) {
        const t = truthy(this.ev(test, loopEnv));
        if (t === null) throw new Bail(unknown(`the loop condition \`${this.clip(test)}\` is unknown`, test));
        if (!t) return NORMAL;
      }
      const c = body();
      if (c) return c;
    }
  }

  private execTry(s: Extract<Stmt, { t: 'try' }>, env: Env): Completion {
    let c = this.block(s.block, env);
    if (this.mode && s.handler) {
      // The handler may or may not run.
      const handler = s.handler;
      const why = (name: string) => unknown(`\`${name}\` depends on whether \`try\` fails`, s);
      this.fork([
        () => NORMAL,
        (e) => {
          const inner = new Env(e, 'catch', false);
          if (s.param) this.bindPattern(s.param, unknown('the caught error is known only at run time', s.param), inner, 'let', s.param);
          return this.block(handler, inner);
        },
      ], env, why);
    }
    if (s.finalizer) {
      const f = this.block(s.finalizer, env);
      if (f.c !== 'normal') c = f;
    }
    return c;
  }

  private execSwitch(s: Extract<Stmt, { t: 'switch' }>, env: Env): Completion {
    const d = this.ev(s.disc, env);
    const inner = new Env(env, 'switch', false);
    for (const cs of s.cases) this.hoist(cs.body, inner);
    // From case i on, falling through until `break`.
    const runFrom = (i: number, e: Env): Completion => {
      for (let j = i; j < s.cases.length; j++) {
        const c = this.execList(s.cases[j]!.body, e);
        if (c.c === 'break') return NORMAL;
        if (c.c !== 'normal') return c;
      }
      return NORMAL;
    };
    let matched: number | null = null;
    let unsure = asUnknown(d) !== null;
    if (!unsure) {
      for (let i = 0; i < s.cases.length && matched === null; i++) {
        const t = s.cases[i]!.test;
        if (!t) continue;
        const v = this.ev(t, inner);
        const eq = binaryOp('===', d, v);
        if (typeof eq === 'string' || asUnknown(v)) unsure = true;
        else if (eq.k === 'bool' && eq.v) matched = i;
        if (unsure) break;
      }
    }
    if (!unsure) {
      const start = matched ?? s.cases.findIndex((c) => c.test === null);
      return start < 0 ? NORMAL : runFrom(start, inner);
    }
    if (this.mode === null) throw new Bail(asUnknown(d) ?? unknown(`\`${this.clip(s.disc)}\` is unknown`, s.disc));
    const why = (name: string) => unknown(`\`${name}\` depends on \`switch (${this.clip(s.disc)})\``, s.disc);
    const paths = s.cases.map((_, i) => (e: Env) => runFrom(i, e));
    if (!s.cases.some((c) => c.test === null)) paths.push(() => NORMAL);
    return this.fork(paths, inner, why);
  }

  private enumValue(s: Extract<Stmt, { t: 'enum' }>, env: Env): Val {
    const props = new Map<string, Val>();
    let next: Val = int(0);
    for (const m of s.members) {
      const v = m.value ? this.ev(m.value, env) : next;
      props.set(m.name, v);
      next = v.k === 'num' ? { k: 'num', v: v.v + 1, int: v.int } : unknown(`enum member after \`${m.name}\` has no value`, s);
    }
    return obj(props);
  }
}

function declares(s: Stmt): boolean {
  return s.t === 'decl' || s.t === 'fndecl' || s.t === 'classdecl' || s.t === 'enum';
}
