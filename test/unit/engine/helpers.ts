/**
 * Small builders for engine tests: Python values as Args, programs, and the
 * golden tolerance.
 */
import * as assert from 'assert';
import { makeOptimizer, simulate, type GroupKwargs, type OptimizerKwargs } from '../../../src/engine';
import type { Arg, Program, SchedulerConstruction, SchedulerKind, SimulationResult } from '../../../src/engine/types';

export const int = (value: number): Arg => ({ kind: 'int', value });
export const float = (value: number): Arg => ({ kind: 'float', value });
export const bool = (value: boolean): Arg => ({ kind: 'bool', value });
export const str = (value: string): Arg => ({ kind: 'str', value });
export const none: Arg = { kind: 'none' };
export const list = (...items: Arg[]): Arg => ({ kind: 'list', items });
export const tuple = (...items: Arg[]): Arg => ({ kind: 'list', items, tuple: true });
export const fn = (name: string, call: (x: number) => number): Arg => ({ kind: 'func', name, call });
export const sched = (index: number): Arg => ({ kind: 'scheduler', index });

/** Builds a Program the way a script runs: optimizers and schedulers in order. */
export class ProgramBuilder {
  readonly program: Program = { optimizers: [], schedulers: [] };

  /** An optimizer; throws if torch would reject it (tests build valid ones). */
  opt(type: string, kwargs: OptimizerKwargs = {}, groups: GroupKwargs[] | null = null): number {
    const { optimizer, failure } = makeOptimizer(type, kwargs, groups);
    if (failure) throw new Error(`optimizer fails: ${failure.message}`);
    this.program.optimizers.push(optimizer);
    return this.program.optimizers.length - 1;
  }

  add(kind: SchedulerKind, optimizer: number | null, args: Record<string, Arg>): number {
    const c: SchedulerConstruction = { kind, args, optimizer };
    this.program.schedulers.push(c);
    return this.program.schedulers.length - 1;
  }
}

/** One scheduler on a fresh optimizer: the common case. */
export function single(kind: SchedulerKind, args: Record<string, Arg>, opt: { type?: string; kwargs?: OptimizerKwargs; groups?: GroupKwargs[] } = {}): { program: Program; target: number } {
  const b = new ProgramBuilder();
  const o = b.opt(opt.type ?? 'SGD', opt.kwargs ?? { lr: 1 }, opt.groups ?? null);
  return { program: b.program, target: b.add(kind, o, args) };
}

/** Simulates `steps` values of a one-scheduler program. */
export function run(kind: SchedulerKind, args: Record<string, Arg>, steps: number, opt?: Parameters<typeof single>[2]): SimulationResult {
  const { program, target } = single(kind, args, opt);
  return simulate(program, target, { steps });
}

/** The golden tolerance: |a−b| ≤ 1e-9·max(|a|,|b|) + 1e-15. */
export function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15;
}

/** Asserts two series agree within the golden tolerance, naming the first differing index. */
export function assertSeries(actual: ArrayLike<number>, expected: ArrayLike<number>, what = 'lr'): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    if (!close(actual[k]!, expected[k]!)) assert.fail(`${what}[${k}] = ${actual[k]}, expected ${expected[k]}`);
  }
}

/** Asserts a curve's group-0 prefix, e.g. hand-derived values, to 1e-6 absolute (values printed with 6 decimals). */
export function assertApprox(actual: ArrayLike<number>, expected: number[], eps = 1e-6): void {
  for (let k = 0; k < expected.length; k++) {
    if (!(Math.abs(actual[k]! - expected[k]!) <= eps)) assert.fail(`value ${k} = ${actual[k]}, expected ${expected[k]}`);
  }
}
