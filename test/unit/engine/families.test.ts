/**
 * Every case of the golden families.json (transformers, timm, katsura, pl_bolts executed by the
 * libraries; Keras, optax transcribed in float64), fed to the engine through the arguments in
 * test/unit/fixtures/families-args.json (read from each snippet by families-args.py), each at its
 * own tolerance.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeOptimizer, type GroupKwargs } from '../../../src/engine';
import {
  bindFamilyCall, FAMILY_SIGNATURES, isFamilyKind, makeSchedule, simulateFamily, type FamilyConstruction, type TimmGroupInit,
} from '../../../src/engine/families';
import type { Arg, OptimizerInit } from '../../../src/engine/types';
import { goldenFamilies } from '../../golden';

interface GoldenCase {
  id: string;
  family: string;
  kind: string;
  steps: number;
  stepping: 'torch' | 'timm_epoch' | 'timm_update' | 'call' | 'timm';
  tolerance: number;
  abs_tolerance: number;
  lrs: number[][] | null;
  error: { type: string; message: string; phase: 'construct' | 'step'; step: number | null } | null;
}

/** A fixture value: an engine Arg, or a nested family call (optax schedules given to join_schedules). */
type FixtureArg = Arg | { kind: 'call'; callee: string; positional: FixtureArg[]; keywords: [string, FixtureArg][] }
  | { kind: 'list'; items: FixtureArg[]; tuple?: boolean } | { kind: 'dict'; entries: [string, FixtureArg][] };

interface FixtureCase {
  id: string;
  construction: Extract<FixtureArg, { kind: 'call' }>;
  optimizers: { type: string; kwargs: { lr?: number; momentum?: number; betas?: [number, number] }; groups: (GroupKwargs & { lr_scale?: number })[] | null }[];
}

const ROOT = path.resolve(__dirname, '../../../..');

/** The golden file, the repository's copy (test/golden). */
function loadFamiliesGolden(): GoldenCase[] {
  return goldenFamilies().cases as GoldenCase[];
}

function loadFixture(): Map<string, FixtureCase> {
  const p = path.join(ROOT, 'test/unit/fixtures/families-args.json');
  const cases = (JSON.parse(fs.readFileSync(p, 'utf8')) as { cases: FixtureCase[] }).cases;
  return new Map(cases.map((c) => [c.id, c]));
}

/** A fixture value as an Arg; a nested call becomes the schedule function it builds. */
function toArg(a: FixtureArg): Arg {
  if (a.kind === 'call') {
    const c = bind(a, null);
    const f = makeSchedule(c);
    return { kind: 'func', name: 'schedule', call: f };
  }
  if (a.kind === 'list') return { kind: 'list', items: a.items.map(toArg), ...(a.tuple ? { tuple: true } : {}) };
  if (a.kind === 'dict') return { kind: 'dict', entries: a.entries.map(([k, v]) => [k, toArg(v)]) };
  return a;
}

function bind(call: Extract<FixtureArg, { kind: 'call' }>, optimizer: number | null): FamilyConstruction {
  if (!isFamilyKind(call.callee)) throw new Error(`unknown callee ${call.callee}`);
  const b = bindFamilyCall(FAMILY_SIGNATURES[call.callee], call.positional.map(toArg), call.keywords.map(([k, v]) => [k, toArg(v)]));
  if (b.failure) throw new Error(`binding failed: ${b.failure.message}`);
  const opt = b.bound.get('optimizer');
  return { kind: call.callee, args: b.bound, extra: b.extra, optimizer: opt?.kind === 'optimizer' ? opt.index : optimizer };
}

function optimizersOf(c: FixtureCase): OptimizerInit[] {
  return c.optimizers.map((o) => {
    const { optimizer, failure } = makeOptimizer(o.type, o.kwargs, o.groups);
    if (failure) throw new Error(`optimizer fails: ${failure.message}`);
    // timm reads a group's 'lr_scale' key, which makeOptimizer does not model.
    o.groups?.forEach((g, i) => { if (g.lr_scale !== undefined) (optimizer.groups[i] as TimmGroupInit).lr_scale = g.lr_scale; });
    return optimizer;
  });
}

/** The case's own tolerance: |a−b| ≤ tolerance·max(|a|,|b|) + abs_tolerance. */
function assertClose(actual: ArrayLike<number>, expected: number[], tol: number, abs: number, what: string): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k]!;
    const b = expected[k]!;
    if (a === b) continue;
    if (!(Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) + abs)) assert.fail(`${what}[${k}] = ${a}, expected ${b}`);
  }
}

describe('families golden (families.json)', () => {
  const golden = loadFamiliesGolden();
  const fixture = loadFixture();

  it('has the arguments of every golden case', () => {
    assert.strictEqual(golden.length, 65);
    for (const g of golden) assert.ok(fixture.has(g.id), `no arguments for ${g.id}`);
  });

  for (const g of golden) {
    it(`${g.family}: ${g.id}`, () => {
      const fx = fixture.get(g.id)!;
      const c = bind(fx.construction, null);
      const result = simulateFamily(c, optimizersOf(fx), { steps: g.steps });
      if (g.error) {
        assert.deepStrictEqual(result.error && { type: result.error.type, message: result.error.message, phase: result.error.phase, step: result.error.step },
          g.error);
      } else {
        assert.strictEqual(result.error, null, `unexpected ${result.error?.type}: ${result.error?.message}`);
      }
      if (g.lrs === null) {
        assert.strictEqual(result.lrs, null);
        return;
      }
      assert.ok(result.lrs, 'no curve');
      assert.strictEqual(result.lrs.length, g.lrs.length, 'groups');
      g.lrs.forEach((series, i) => assertClose(result.lrs![i]!, series, g.tolerance, g.abs_tolerance, `group ${i}`));
      const unit = g.stepping === 'timm_epoch' ? 'epoch' : g.stepping === 'call' ? 'iteration' : 'optimizer update';
      assert.strictEqual(result.unit, unit);
    });
  }
});
