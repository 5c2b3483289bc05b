/**
 * LambdaLR and MultiplicativeLR (semantics.md §2.1, §2.2): user callables per group.
 * Callables come as Arg `func`; anything else fails where torch calls it.
 */
import { comparable, pyTypeName } from '../py';
import { PyError, type Arg, type SchedulerConstruction, type SchedulerKind } from '../types';
import { Args, LRScheduler, requireParamGroups, type BuildContext } from './base';

/** Calls a Python callable argument: TypeError "'float' object is not callable" for non-callables. */
export function callArg(f: Arg, x: number): number {
  if (f.kind === 'func') return f.call(x);
  throw new PyError('TypeError', `'${pyTypeName(f)}' object is not callable`, 'lr_lambda');
}

/** `lr_lambda`: one callable replicated, or a list/tuple with exactly one per group. */
function lambdasFor(arg: Arg, nGroups: number): Arg[] {
  if (arg.kind === 'list') {
    if (arg.items.length !== nGroups) {
      throw new PyError('ValueError', `Expected ${nGroups} lr_lambdas, but got ${arg.items.length}`, 'lr_lambda');
    }
    return arg.items.slice();
  }
  return new Array<Arg>(nGroups).fill(arg);
}

/** `lr = base · λ(e)` (absolute). */
export class LambdaLR extends LRScheduler {
  readonly kind: SchedulerKind;
  protected readonly lambdas: Arg[];

  constructor(c: SchedulerConstruction, ctx: BuildContext, lrLambda?: Arg) {
    const args = new Args(c.kind, c.args);
    super(requireParamGroups(c, ctx, args));
    this.kind = c.kind;
    this.lambdas = lambdasFor(lrLambda ?? args.get('lr_lambda'), this.groups.length);
    this.init(args.lastEpoch());
  }

  protected applyLr(): void {
    const groups = this.groups;
    const e = this.lastEpoch;
    // torch builds the whole list before writing, so a raising λ leaves every group untouched.
    const values = this.baseLrs.map((base, i) => base * callArg(this.lambdas[i]!, e));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }
}

/** `e > 0: lr ← lr · λ(e)`; no closed form. */
export class MultiplicativeLR extends LRScheduler {
  readonly kind = 'MultiplicativeLR' as const;
  private readonly lambdas: Arg[];

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
    const values = groups.map((g, i) => g.lr * callArg(this.lambdas[i]!, e));
    for (let i = 0; i < values.length; i++) groups[i]!.lr = values[i]!;
  }
}

/**
 * The blog's WarmupConstantSchedule (a LambdaLR, semantics.md §6.2):
 * `k < W → float(k) / float(max(1.0, W))`, else `1.0`.
 */
export function warmupConstantLambda(warmup: Arg): Arg {
  return {
    kind: 'func',
    name: 'lr_lambda',
    call: (k: number) => {
      const w = comparable(warmup, '<', 'int', 'warmup_steps');
      return k < w ? k / Math.max(1.0, w) : 1.0;
    },
  };
}
