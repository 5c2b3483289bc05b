/**
 * The static evaluator: walks the IR in statement order, never executing user code for
 * real (modes and budgets: core.ts). This top layer analyses a program (its statements,
 * then every function and class body found) and is the engine's bridge: after the
 * analysis, the engine calls user functions (`lr_lambda`) through `callFromEngine`, in
 * run mode, where the analysis (and the Recorder) is out of reach.
 */
import { PyError } from '../../engine/types';
import { Bail, type Analysis } from './core';
import { Env } from './env';
import type { ClassIR, Stmt } from './ir';
import { patternNames, setProp } from './names';
import { Statements } from './statements';
import { obj, unknown, type FnVal, type Unknown, type Val } from './values';

export { Stop } from './budget';
export { Bail, type AnalysisLimits, type CallExpr, type Hooks } from './core';

/** Operations one call by the engine (and everything it calls) may use (as the Python frontend). */
const ENGINE_CALL_OPS = 100_000;
/** Operations all calls by the engine of one file's functions may use together. */
const ENGINE_TOTAL_OPS = 50_000_000;
/** Operations of a trial call while analysing. */
const TRIAL_CALL_OPS = 100_000;

export class Evaluator extends Statements {
  private engineOpsLeft = ENGINE_TOTAL_OPS;

  /** Analyses a program: its statements, then every function and class body found (breadth first). */
  analyseProgram(body: Stmt[], env: Env): void {
    const a = this.mode;
    if (!a) throw new Error('the analysis is over');
    this.hoist(body, env);
    this.execList(body, env);
    while (a.deferred.length) a.deferred.shift()!(a);
  }

  /** Analyses a function body with unknown parameters (it is never called from analysed code we can follow). */
  protected override analyseFunction(a: Analysis, f: FnVal): void {
    a.analysed.add(f.fn);
    const env = new Env(f.env, f.name, true);
    for (const p of f.fn.params) {
      for (const [name, sp] of patternNames(p.target)) {
        env.vars.set(name, unknown(`\`${name}\` is a parameter of \`${f.name}\``, sp));
      }
    }
    if (Array.isArray(f.fn.body)) {
      this.hoist(f.fn.body, env);
      this.execList(f.fn.body, env);
    } else {
      this.ev(f.fn.body, env);
    }
  }

  /** Class fields, then the constructor, then the other methods, sharing one `this`. */
  protected override analyseClass(a: Analysis, cls: ClassIR, env: Env): void {
    const name = cls.name ?? '<class>';
    const classEnv = new Env(env, name, false);
    // Methods are properties of `this` (`(e) => this.warmup(e)` as an lr_lambda).
    const methods = new Map<string, Val>();
    for (const m of cls.methods) {
      if (m.name && m.name !== 'constructor') methods.set(m.name, { k: 'fn', fn: m, env: classEnv, name: `${name}.${m.name}` });
    }
    classEnv.vars.set('this', obj(methods));
    for (const f of cls.fields) {
      if (!f.value) continue;
      const target = `this.${f.name}`;
      this.nameValue(f.value, target);
      const v = this.ev(f.value, classEnv);
      const self = classEnv.vars.get('this')!;
      if (self.k === 'obj') classEnv.vars.set('this', setProp(self, f.name, v));
    }
    const order = [...cls.methods].sort((a, b) => Number(b.name === 'constructor') - Number(a.name === 'constructor'));
    for (const m of order) {
      a.queued.add(m);
      this.analyseFunction(a, { k: 'fn', fn: m, env: classEnv, name: `${name}.${m.name ?? '<method>'}` });
    }
  }

  /**
   * Calls a function value from outside (the engine's `lr_lambda` calls): run mode with
   * a fresh per-call budget. Throws PyError for JS errors and budget; Bail when a value is unknown.
   */
  callFromEngine(f: FnVal, args: Val[]): Val {
    if (this.engineOpsLeft <= 0) throw new PyError('BudgetExceeded', 'the functions of this file used up their total operation budget');
    const saved = this.mode;
    this.mode = null;
    this.runOps = 0;
    this.runLimit = Math.min(ENGINE_CALL_OPS, this.engineOpsLeft);
    try {
      return this.invoke(f, args);
    } finally {
      this.mode = saved;
      this.engineOpsLeft -= this.runOps;
    }
  }

  /** A trial call from analysis: the result, the unknown it needs, or the error it raises. */
  tryCall(f: FnVal, args: Val[]): { v: Val } | { bail: Unknown } | { error: PyError } {
    try {
      return { v: this.concretely(TRIAL_CALL_OPS, () => this.invoke(f, args)) };
    } catch (e) {
      if (e instanceof Bail) return { bail: e.u };
      if (e instanceof PyError) return { error: e };
      if (e instanceof RangeError) return { error: new PyError('RecursionError', 'maximum recursion depth exceeded') };
      throw e;
    }
  }
}
