/**
 * Arrow functions and function declarations handed to the engine as `func` Args (LambdaLR's
 * lr_lambda): run by the frontend's interpreter after the tree is deleted. The expected values
 * come from running the same JS in this test (the real engine is the oracle); errors are PyErrors.
 */
import * as assert from 'assert';
import { analyzeTs, callOf, HEADER, infoOf } from './typescript-helpers';
import { raises } from './raises';

type Func = (x: number) => number;

async function lambdaOf(prelude: string, expr: string): Promise<Func> {
  const res = await analyzeTs(`${HEADER}${prelude}\nconst s = new LambdaLR(opt, { lr_lambda: ${expr} });\n`);
  const s = callOf(res, 's');
  const arg = s.args['lr_lambda'];
  assert.ok(arg && arg.kind === 'func', `lr_lambda not a func: ${JSON.stringify(infoOf(s, 'lr_lambda'))}`);
  return arg.call;
}

describe('typescript frontend: functions run for the engine', () => {
  it('arrow with ** on a float base', async () => {
    const f = await lambdaOf('', '(epoch) => 0.95 ** epoch');
    assert.strictEqual(f(3), 0.95 ** 3);
    assert.strictEqual(f(0), 1);
  });

  it('function declaration with if/else, const/let, closure over module constants and Math', async () => {
    const body = `{
      if (epoch < WARMUP) {
        return (epoch + 1) / WARMUP;
      } else {
        const progress = (epoch - WARMUP) / Math.max(1, EPOCHS - WARMUP);
        let v = 0.5 * (1.0 + Math.cos(Math.PI * progress));
        return v;
      }
    }`;
    const f = await lambdaOf(`const EPOCHS = 200;\nconst WARMUP = 10;\nfunction warmupCosine(epoch: number): number ${body}`, 'warmupCosine');
    const EPOCHS = 200;
    const WARMUP = 10;
    const oracle = (epoch: number): number => {
      if (epoch < WARMUP) return (epoch + 1) / WARMUP;
      const progress = (epoch - WARMUP) / Math.max(1, EPOCHS - WARMUP);
      return 0.5 * (1.0 + Math.cos(Math.PI * progress));
    };
    for (const e of [0, 5, 9, 10, 11, 100, 199, 250]) assert.strictEqual(f(e), oracle(e), `epoch ${e}`);
  });

  it('calls other functions, default parameters, loops', async () => {
    const f = await lambdaOf('const decay = (e, rate = 0.9) => { let p = 1; for (let i = 0; i < e; i++) p *= rate; return p; };', '(e) => decay(e) * 2');
    let p = 1;
    for (let i = 0; i < 7; i++) p *= 0.9;
    assert.strictEqual(f(7), p * 2);
  });

  it('reads module bindings at call time (late binding, as JS)', async () => {
    const f = await lambdaOf('let K = 1;\nconst g = (e) => K * e;\nK = 2;', 'g');
    assert.strictEqual(f(3), 6);
  });

  it('a boolean result multiplies as 0/1', async () => {
    const f = await lambdaOf('', '(e) => e < 5');
    assert.deepStrictEqual([f(3), f(7)], [1, 0]);
  });

  it('the epoch is an int: / gives the JS quotient', async () => {
    const f = await lambdaOf('', '(e) => Number.isInteger(e) ? e / 2 : -1');
    assert.strictEqual(f(3), 1.5);
  });

  it('a list of functions, one per param group', async () => {
    const res = await analyzeTs(`${HEADER}const s = new LambdaLR(opt, [(e) => 1, function (e) { return 0.5 ** e; }]);`);
    const arg = callOf(res, 's').args['lr_lambda'];
    assert.ok(arg?.kind === 'list' && arg.items.every((a) => a.kind === 'func'));
    const g = arg.items[1]!;
    assert.ok(g.kind === 'func');
    assert.strictEqual(g.call(2), 0.25);
  });

  it('display: the name of a named function, the text of an inline arrow', async () => {
    const res = await analyzeTs(`${HEADER}const warm = (e) => Math.min(1, (e + 1) / 5);\nconst a = new LambdaLR(opt, warm);\nconst b = new LambdaLR(opt, (e) => 0.9 ** e);`);
    assert.strictEqual(infoOf(callOf(res, 'a'), 'lr_lambda').display, 'warm');
    assert.strictEqual(infoOf(callOf(res, 'b'), 'lr_lambda').display, '(e) => 0.9 ** e');
  });

  it('a method of the class through `this`, reading a field', async () => {
    const src = `${HEADER}class T {\n  warm = 4;\n  constructor() {\n    this.s = new LambdaLR(opt, (e) => this.factor(e));\n  }\n  factor(e) { return e < this.warm ? (e + 1) / this.warm : 1; }\n}`;
    const arg = callOf(await analyzeTs(src), 'this.s').args['lr_lambda'];
    assert.ok(arg?.kind === 'func');
    assert.deepStrictEqual([arg.call(0), arg.call(3), arg.call(9)], [0.25, 1, 1]);
  });

  it('serves long horizons: 100,000 calls, each value exact, within the total budget', async () => {
    // Speed is measured by `npm run bench` (bench/frontends.ts); here: every call returns what JS computes.
    const f = await lambdaOf('', '(e) => e < 10 ? (e + 1) / 10 : 0.5 * (1 + Math.cos(Math.PI * (e - 10) / 990))');
    const reference = (e: number) => e < 10 ? (e + 1) / 10 : 0.5 * (1 + Math.cos(Math.PI * (e - 10) / 990));
    for (let e = 0; e < 100_000; e++) {
      const got = f(e);
      if (got !== reference(e)) assert.fail(`call ${e}: ${got} !== ${reference(e)}`);
    }
  });

  describe('errors as PyError', () => {
    it('undefined result is a TypeError', async () => {
      const f = await lambdaOf('', '(e) => { if (e > 100) return 1; }');
      raises(() => f(3), 'TypeError', 'lr_lambda returned undefined, not a number');
    });

    it('reading a property of null is JS\'s TypeError', async () => {
      const f = await lambdaOf('const cfg = { warm: null };', '(e) => e > 2 ? cfg.warm.steps : 1');
      assert.strictEqual(f(0), 1);
      raises(() => f(3), 'TypeError', "Cannot read properties of null (reading 'steps')");
    });

    it('throw', async () => {
      const f = await lambdaOf('', '(e) => { if (e > 5) throw new Error("too far"); return 1; }');
      raises(() => f(6), 'Error', /throws `new Error\("too far"\)`/);
    });

    it('unbounded recursion is a RecursionError', async () => {
      const f = await lambdaOf('function r(e) { return e > 3 ? r(e + 1) : 1; }', 'r');
      assert.strictEqual(f(0), 1);
      raises(() => f(5), 'RecursionError', 'maximum recursion depth exceeded');
    });

    it('an endless loop exceeds the budget', async () => {
      const f = await lambdaOf('', '(e) => { let i = 0; while (e > 0) { i++; } return i; }');
      assert.strictEqual(f(0), 0);
      raises(() => f(1), 'BudgetExceeded', /operations/);
    });

    it('a value known only at run time, reached at some step only', async () => {
      const f = await lambdaOf('', '(e) => e < 5 ? 1 : Number(process.env.DECAY)');
      assert.strictEqual(f(4), 1);
      raises(() => f(5), 'UnknownValue', '`process.env.DECAY` is set at run time');
    });
  });

  it('a function that needs an unknown value at once is an unknown lr_lambda, with the reason', async () => {
    const res = await analyzeTs(`${HEADER}import { schedule } from './sched';\nconst s = new LambdaLR(opt, (e) => schedule(e));`);
    const s = callOf(res, 's');
    assert.strictEqual(s.schedulerIndex, null);
    assert.match(infoOf(s, 'lr_lambda').reason ?? '', /`schedule\(e\)` is computed at run time/);
  });

  it('an imported function is unknown', async () => {
    const res = await analyzeTs(`${HEADER}import { warmup } from './sched';\nconst s = new LambdaLR(opt, warmup);`);
    assert.strictEqual(infoOf(callOf(res, 's'), 'lr_lambda').reason, "`warmup` is imported from './sched'");
  });
});
