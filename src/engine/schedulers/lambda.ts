/**
 * LambdaLR and MultiplicativeLR (docs/torch-schedulers.md §2.1, §2.2): user callables per group.
 * Callables come as Arg `func`; anything else fails where torch calls it.
 */
import { lambdaCount, notCallable, UNCLAIMED } from '../errors';
import { pyTypeName } from '../py';
import { blamed, type Arg, type Blame, type SchedulerConstruction, type SchedulerKind } from '../types';
import { Args, LRScheduler, requireParamGroups, StepFailure, type BuildContext } from './base';

/** Calls a Python callable argument: TypeError "'float' object is not callable" for non-callables. */
export function callArg(f: Arg, x: number, rule: string): number {
  if (f.kind === 'func') return f.call(x);
  throw notCallable(pyTypeName(f), 'lr_lambda', rule);
}

/** The JS function behind a callable argument; a non-callable one raises torch's TypeError when called. */
function funcOf(f: Arg, rule: string): (x: number) => number {
  if (f.kind === 'func') return f.call;
  return (x: number) => callArg(f, x, rule);
}

/** `lr_lambda`: one callable replicated, or a list/tuple with exactly one per group. */
function lambdasFor(arg: Arg, nGroups: number): Arg[] {
  if (arg.kind === 'list') {
    if (arg.items.length !== nGroups) {
      throw lambdaCount(nGroups, arg.items.length);
    }
    return arg.items.slice();
  }
  return new Array<Arg>(nGroups).fill(arg);
}

/**
 * One callable given for every group (`LambdaLR(opt, f)` on two param groups, the usual weight-decay split) is called
 * once per step, not once per group: the kernels run group after group and already take λ(e) to depend on e alone
 * (base.ts `hasKernel`), so the later groups read the first one's answers. A λ the engine interprets costs a few
 * microseconds a call, and a run of a million steps calls it that many times per group.
 */
class SharedLambdas {
  private arg: Arg | null = null;
  /** The answers kept: λ(e0), λ(e0 + 1), … (`count` of them; the first group's kernel may stop early: a λ that raises). */
  private e0 = NaN;
  private values = new Float64Array(0);
  private count = 0;

  /**
   * The function group g's kernel calls for the `n` steps from epoch e0 on: λ itself, λ keeping its answers (for the
   * later groups that share it), or the kept answers.
   */
  of(lambdas: readonly Arg[], g: number, e0: number, n: number, fn: (f: Arg) => (x: number) => number): (x: number) => number {
    const f = lambdas[g]!;
    const call = fn(f);
    if (lambdas.indexOf(f) < g) {
      if (this.arg !== f || this.e0 !== e0) return call;
      const { values, count } = this;
      return (x) => {
        const i = x - e0;
        return i >= 0 && i < count ? values[i]! : call(x);
      };
    }
    if (lambdas.indexOf(f, g + 1) < 0) return call;
    if (this.values.length < n) this.values = new Float64Array(n);
    this.arg = f;
    this.e0 = e0;
    this.count = 0;
    const values = this.values;
    return (x) => {
      const v = call(x);
      if (x - e0 === this.count) values[this.count++] = v;
      return v;
    };
  }
}

/** `lr = base · λ(e)` (absolute). */
export class LambdaLR extends LRScheduler {
  readonly kind: SchedulerKind;
  protected readonly lambdas: Arg[];
  /** What a raising λ is filed under (LambdaLR: LR013; the blog's subclass: no rule). */
  private readonly raises: Blame | undefined;
  private readonly shared = new SharedLambdas();

  constructor(c: SchedulerConstruction, ctx: BuildContext, lrLambda?: Arg) {
    const args = new Args(c.kind, c.args);
    super(requireParamGroups(c, ctx, args));
    this.kind = c.kind;
    this.raises = UNCLAIMED[c.kind];
    this.lambdas = lambdasFor(lrLambda ?? args.get('lr_lambda'), this.groups.length);
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    const groups = this.groups;
    const e = this.lastEpoch;
    // torch builds the whole list before writing, so a raising λ leaves every group untouched.
    let values: number[];
    try {
      values = this.baseLrs.map((base, i) => base * callArg(this.lambdas[i]!, e, 'LR011'));
    } catch (err) {
      throw blamed(err, this.raises);
    }
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    // Construction already called every λ (at 0), so each one is a func here.
    const call = this.shared.of(this.lambdas, g, this.lastEpoch + 1, to - from, (f) => funcOf(f, 'LR011'));
    const base = this.baseLrs[g]!;
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to; k++) {
        e++;
        lr = base * call(e);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, blamed(err, this.raises));
    }
    return lr;
  }

}

/** `e > 0: lr ← lr · λ(e)`; no closed form. */
export class MultiplicativeLR extends LRScheduler {
  readonly kind = 'MultiplicativeLR' as const;
  private readonly lambdas: Arg[];
  private readonly shared = new SharedLambdas();

  constructor(c: SchedulerConstruction, ctx: BuildContext) {
    const args = new Args(c.kind, c.args);
    super(requireParamGroups(c, ctx, args));
    this.lambdas = lambdasFor(args.get('lr_lambda'), this.groups.length);
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    const e = this.lastEpoch;
    if (e <= 0) return;
    const groups = this.groups;
    const values = groups.map((g, i) => g.lr * callArg(this.lambdas[i]!, e, 'LR012'));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }

  protected override hasKernel(): boolean {
    return true;
  }

  protected override kernel(g: number, o: Float64Array, _m: Float64Array | null, _b: boolean, from: number, to: number): number {
    const call = this.shared.of(this.lambdas, g, this.lastEpoch + 1, to - from, (f) => funcOf(f, 'LR012'));
    let lr = this.groups[g]!.lr;
    let e = this.lastEpoch;
    let k = from;
    try {
      for (; k < to; k++) {
        e++; // e ≥ 1 here: kernels start from last_epoch ≥ 0
        lr = lr * call(e);
        o[k] = lr;
      }
    } catch (err) {
      throw new StepFailure(k, err);
    }
    return lr;
  }

}
