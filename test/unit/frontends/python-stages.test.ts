/**
 * The two stages of the Python evaluator against each other over the CPython oracle tables: every
 * function run interpreted (the live tree, as during the analysis) and compiled (frozen, after the
 * tree is deleted, as the engine runs it) gives the same value and the same exception, and spends the
 * same number of operations. The interpreted results carry the operands' "assumed" label; the compiled
 * ones do not (they run at engine time, which takes the number alone: access.ts `carry`).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PyError } from '../../../src/engine/types';
import { loadParser, parseWith } from '../../../src/frontends/parser';
import { Budget } from '../../../src/frontends/python/budget';
import { callFunc } from '../../../src/frontends/python/calls';
import { Interpreter, type ConstructionHooks } from '../../../src/frontends/python/interp';
import { kids, type SyntaxNode } from '../../../src/frontends/python/syntax';
import { float, int, type PyVal, type Scope, VarMap } from '../../../src/frontends/python/values';

const FIXTURES = path.resolve(__dirname, '../../../../test/unit/fixtures/python');
const EXPRS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cpython_exprs.json'), 'utf8')) as { expr: string }[];
const DEFS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cpython_defs.json'), 'utf8')) as { source: string; results: unknown[] }[];

const LABEL = 'default of --test';
const NO_CONSTRUCTIONS: ConstructionHooks = {
  scheduler: () => assert.fail('no scheduler here'),
  optimizer: () => assert.fail('no optimizer here'),
  use: () => undefined,
  givenTo: () => undefined,
  dryRun: false,
};

/** What one call gives: the value (with its label) or the exception, and the operations it counted. */
interface Outcome { result: PyVal | string; ops: number }

/** Parses `text`, defines its functions, and runs `calls` on each, interpreted and then compiled. */
async function bothWays(text: string, globals: Map<string, PyVal>, calls: [string, PyVal][]): Promise<[Outcome[], Outcome[]]> {
  const tree = parseWith(await loadParser('python'), text)!;
  const interp = new Interpreter(text, new Budget(), NO_CONSTRUCTIONS);
  const scope: Scope = { vars: new VarMap(globals), parent: null, label: 'module' };
  let deleted = false;
  try {
    for (const st of kids(tree.rootNode as unknown as SyntaxNode)) interp.exec(st, scope);
    const run = (): Outcome[] => calls.map(([name, arg]) => {
      const fn = scope.vars.get(name)!;
      assert.strictEqual(fn.k, 'func');
      const before = interp.ops;
      interp.running++;
      try {
        const result = callFunc(interp, fn as PyVal & { k: 'func' }, [arg], [], null);
        return { result, ops: interp.ops - before };
      } catch (e) {
        return { result: e instanceof PyError ? `${e.type}: ${e.message}` : String(e), ops: interp.ops - before };
      } finally {
        interp.running--;
      }
    });
    const interpreted = run();
    // Hand every function to the engine (checked and frozen), end the analysis, delete the tree.
    for (const [name] of calls) assert.ok('arg' in interp.toFuncArg(scope.vars.get(name)!), name);
    interp.finish();
    tree.delete();
    deleted = true;
    return [interpreted, run()];
  } finally {
    if (!deleted) tree.delete();
  }
}

/**
 * The same outcomes but for the labels: the compiled stage does not copy an operand's label to an operation's result
 * (a value read as it is, `lambda e: K`, keeps its own).
 */
function sameButLabels(compiled: Outcome[], interpreted: Outcome[]): void {
  const strip = (o: Outcome): Outcome => {
    if (typeof o.result === 'string' || !('assumed' in o.result)) return o;
    const { assumed: _label, ...rest } = o.result;
    return { ...o, result: rest as PyVal };
  };
  assert.deepStrictEqual(compiled.map(strip), interpreted.map(strip));
  const labelled = (os: Outcome[]) => os.filter((o) => typeof o.result !== 'string' && o.result.assumed).length;
  assert.ok(labelled(compiled) < labelled(interpreted) / 4, `${labelled(compiled)} compiled results labelled`);
}

/** The first number literal of an expression, to be read from a labelled global instead. */
const NUMBER = /(?<![\w.])(\d[\d_]*(?:\.\d+)?(?:e-?\d+)?)(?![\w.])/;

describe('python frontend: interpreted and compiled functions agree (CPython oracle tables)', () => {
  it('400 expressions: same values, exceptions and operation counts; labels in the interpreted stage only', async () => {
    const globals = new Map<string, PyVal>();
    const lines = EXPRS.map(({ expr }, i) => {
      const m = NUMBER.exec(expr);
      if (!m) return `f${i} = lambda e: ${expr}`;
      const digits = m[1]!.replace(/_/g, '');
      globals.set(`K${i}`, { ...(/[.e]/.test(digits) ? float(Number(digits)) : int(Number(digits))), assumed: LABEL });
      return `f${i} = lambda e: ${expr.slice(0, m.index)}K${i}${expr.slice(m.index + m[0].length)}`;
    });
    const calls = EXPRS.map((_, i): [string, PyVal] => [`f${i}`, int(0)]);
    const [interpreted, compiled] = await bothWays(`import math\n${lines.join('\n')}\n`, globals, calls);
    sameButLabels(compiled, interpreted);
    // Not vacuous: most results carry the label, and some calls raise.
    assert.ok(interpreted.filter((o) => typeof o.result !== 'string' && o.result.assumed === LABEL).length > 200);
    assert.ok(interpreted.filter((o) => typeof o.result === 'string').length > 20);
  });

  it('60 defs at e = 0..11: same values, exceptions and operation counts; labels in the interpreted stage only', async () => {
    const text = `import math\n${DEFS.map((d, i) => d.source.replace(/^def f\(/, `def f${i}(`)).join('\n')}\n`;
    const calls = DEFS.flatMap((d, i) => d.results.map((_, e): [string, PyVal] => [`f${i}`, { ...int(e), assumed: LABEL }]));
    const [interpreted, compiled] = await bothWays(text, new Map(), calls);
    sameButLabels(compiled, interpreted);
    assert.ok(interpreted.filter((o) => typeof o.result !== 'string' && o.result.assumed === LABEL).length > 100);
    assert.ok(interpreted.every((o) => o.ops > 0));
  });
});
