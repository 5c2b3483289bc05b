/**
 * Finding constructions in TS/TSX/JS: call and import styles, positional and named
 * (object-literal) arguments, variables, optimizers and param groups, uses, members,
 * odd formatting, syntax errors. Expected values are the arguments as written.
 */
import * as assert from 'assert';
import type { Arg } from '../../../src/engine/types';
import type { FrontendResult } from '../../../src/analysis/types';
import { analyzeTs, callOf, infoOf, type TsGrammar } from './typescript-helpers';

const int = (value: number): Arg => ({ kind: 'int', value });
const float = (value: number): Arg => ({ kind: 'float', value });

interface StyleRow {
  title: string;
  src: string;
  grammar?: TsGrammar;
  kind: string;
  variable: string | null;
  args: Record<string, Arg>;
}

const OPT = 'const opt = optim.SGD(model.parameters(), { lr: 0.1 });\n';

const STYLES: StyleRow[] = [
  {
    title: 'new with positional arguments, named import',
    src: `import { CosineAnnealingLR, optim } from 'torch-ts';\n${OPT}const scheduler = new CosineAnnealingLR(opt, 100, 0);`,
    kind: 'CosineAnnealingLR', variable: 'scheduler', args: { T_max: int(100), eta_min: int(0) },
  },
  {
    title: 'called without new, one object of named arguments',
    src: `import { CosineAnnealingLR, optim } from 'torch-ts';\n${OPT}const scheduler = CosineAnnealingLR(opt, { T_max: 100, eta_min: 0 });`,
    kind: 'CosineAnnealingLR', variable: 'scheduler', args: { T_max: int(100), eta_min: int(0) },
  },
  {
    title: 'member of an imported namespace object',
    src: `import { lr_scheduler, optim } from 'torch-ts';\n${OPT}const s = lr_scheduler.StepLR(opt, { step_size: 30, gamma: 0.1 });`,
    kind: 'StepLR', variable: 's', args: { step_size: int(30), gamma: float(0.1) },
  },
  {
    title: 'full dotted path from a namespace import',
    src: "import * as torch from 'torch-ts';\nconst opt = torch.optim.SGD(params, { lr: 0.1 });\nconst s = torch.optim.lr_scheduler.OneCycleLR(opt, {max_lr: 0.1, total_steps: 1000});",
    kind: 'OneCycleLR', variable: 's', args: { max_lr: float(0.1), total_steps: int(1000) },
  },
  {
    title: 'aliased named import',
    src: `import { StepLR as S, optim } from 'torch-ts';\n${OPT}const s = new S(opt, 30);`,
    kind: 'StepLR', variable: 's', args: { step_size: int(30) },
  },
  {
    title: 'namespace import of the scheduler module',
    src: `import * as sched from 'torch-ts/lr_scheduler';\nimport { optim } from 'torch-ts';\n${OPT}const s = new sched.StepLR(opt, 30, 0.5);`,
    kind: 'StepLR', variable: 's', args: { step_size: int(30), gamma: float(0.5) },
  },
  {
    title: 'destructured require',
    src: `const { StepLR, optim } = require('torch-js');\n${OPT}const s = new StepLR(opt, 30);`,
    grammar: 'javascript', kind: 'StepLR', variable: 's', args: { step_size: int(30) },
  },
  {
    title: 'destructured require with rename',
    src: `const { ExponentialLR: Exp, optim } = require('torch-js');\n${OPT}const s = Exp(opt, 0.9);`,
    grammar: 'javascript', kind: 'ExponentialLR', variable: 's', args: { gamma: float(0.9) },
  },
  {
    title: 'member of a required module',
    src: "const torch = require('torch-js');\nconst opt = new torch.optim.Adam(params, { lr: 1e-3 });\nconst s = new torch.optim.lr_scheduler.LinearLR(opt, { start_factor: 0.1, total_iters: 10 });",
    grammar: 'javascript', kind: 'LinearLR', variable: 's', args: { start_factor: float(0.1), total_iters: int(10) },
  },
  {
    title: 'property of require()',
    src: "const sch = require('torch-js').lr_scheduler;\nconst s = sch.MultiStepLR(opt, [30, 60], 0.1);",
    grammar: 'javascript', kind: 'MultiStepLR', variable: 's', args: { milestones: { kind: 'list', items: [int(30), int(60)] }, gamma: float(0.1) },
  },
  {
    title: 'a global (script without imports)',
    src: 'const s = new ConstantLR(opt, { factor: 0.5, total_iters: 4 });',
    kind: 'ConstantLR', variable: 's', args: { factor: float(0.5), total_iters: int(4) },
  },
  {
    title: 'default import named like the class',
    src: "import PolynomialLR from './poly';\nconst s = new PolynomialLR(opt, { total_iters: 10, power: 2 });",
    kind: 'PolynomialLR', variable: 's', args: { total_iters: int(10), power: int(2) },
  },
  {
    title: 'camelCase option names',
    src: 'const s = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2, etaMin: 1e-5 });',
    kind: 'CosineAnnealingWarmRestarts', variable: 's', args: { T_0: int(10), T_mult: int(2), eta_min: float(1e-5) },
  },
  {
    title: 'options object held by a variable',
    src: 'const opts = { step_size: 30, gamma: 0.5 };\nconst s = new StepLR(opt, opts);',
    kind: 'StepLR', variable: 's', args: { step_size: int(30), gamma: float(0.5) },
  },
  {
    title: 'object spread inside the options',
    src: 'const base = { step_size: 30 };\nconst s = new StepLR(opt, { ...base, gamma: 0.5 });',
    kind: 'StepLR', variable: 's', args: { step_size: int(30), gamma: float(0.5) },
  },
  {
    title: 'positional then named',
    src: 'const s = new OneCycleLR(opt, 0.1, { total_steps: 100, anneal_strategy: "linear" });',
    kind: 'OneCycleLR', variable: 's', args: { max_lr: float(0.1), total_steps: int(100), anneal_strategy: { kind: 'str', value: 'linear' } },
  },
  {
    title: 'every argument named, the optimizer too',
    src: `import { optim } from 'torch-ts';\n${OPT}const s = new CosineAnnealingLR({ optimizer: opt, T_max: 50 });`,
    kind: 'CosineAnnealingLR', variable: 's', args: { optimizer: { kind: 'optimizer', index: 0 }, T_max: int(50) },
  },
  {
    title: 'exported const',
    src: 'export const warm = new LinearLR(opt, { start_factor: 0.25, total_iters: 8 });',
    kind: 'LinearLR', variable: 'warm', args: { start_factor: float(0.25), total_iters: int(8) },
  },
  {
    title: 'assignment to this in a constructor',
    src: 'class Trainer {\n  constructor(private model: any) {\n    this.optimizer = new Adam(model.parameters(), { lr: 3e-4 });\n    this.scheduler = new ExponentialLR(this.optimizer, 0.95);\n  }\n}',
    kind: 'ExponentialLR', variable: 'this.scheduler', args: { gamma: float(0.95) },
  },
  {
    title: 'class field initialiser',
    src: 'class T {\n  private optimizer = new SGD(params, { lr: 0.1 });\n  private scheduler = new StepLR(this.optimizer, { step_size: 5 });\n}',
    kind: 'StepLR', variable: 'this.scheduler', args: { step_size: int(5) },
  },
  {
    title: 'awaited and asserted',
    src: 'async function f() { const s = (await new StepLR(opt, 7)) as any; }',
    kind: 'StepLR', variable: 's', args: { step_size: int(7) },
  },
  {
    title: 'multi-line call with comments and a trailing comma',
    src: 'const s = new StepLR(\n  opt, // the optimizer\n  /* every */ 30, /* epochs */\n  {\n    gamma: 0.5, // halve\n  },\n);',
    kind: 'StepLR', variable: 's', args: { step_size: int(30), gamma: float(0.5) },
  },
  {
    title: 'TSX component',
    grammar: 'tsx',
    src: "import { useMemo } from 'react';\nexport function Plot({ opt }: Props) {\n  const sched = useMemo(() => new StepLR(opt, { step_size: 10 }), [opt]);\n  return <div className=\"plot\">{sched ? 'x' : 'y'}</div>;\n}",
    kind: 'StepLR', variable: null, args: { step_size: int(10) },
  },
  {
    title: 'a syntax error elsewhere does not hide the call',
    src: 'const broken = (1 + ;\nfunction oops( { \nconst s = new StepLR(opt, 30);\n',
    kind: 'StepLR', variable: 's', args: { step_size: int(30) },
  },
];

describe('typescript frontend: call and import styles', () => {
  for (const r of STYLES) {
    it(r.title, async () => {
      const res = await analyzeTs(r.src, r.grammar ?? 'typescript');
      const call = callOf(res, r.variable);
      assert.strictEqual(call.kind, r.kind);
      assert.strictEqual(call.bindFailure, null, JSON.stringify(call.bindFailure));
      assert.strictEqual(call.unknownReason, null);
      for (const [k, v] of Object.entries(r.args)) assert.deepStrictEqual(call.args[k], v, `${k}: ${JSON.stringify(infoOf(call, k))}`);
      assert.notStrictEqual(call.schedulerIndex, null);
      assert.strictEqual(res.program.schedulers[call.schedulerIndex!]!.kind, r.kind);
    });
  }
});

describe('typescript frontend: arguments and ranges', () => {
  it('ArgInfo for every parameter; defaults marked, in Python syntax', async () => {
    const res = await analyzeTs('const s = new StepLR(opt, { step_size: 30 });');
    const call = callOf(res, 's');
    assert.deepStrictEqual(call.argInfo.map((a) => a.name), ['optimizer', 'step_size', 'gamma', 'last_epoch', 'verbose']);
    const gamma = infoOf(call, 'gamma');
    assert.deepStrictEqual([gamma.isDefault, gamma.display, gamma.range], [true, '0.1', null]);
    assert.deepStrictEqual([infoOf(call, 'verbose').display, infoOf(call, 'last_epoch').display], ['False', '-1']);
    assert.strictEqual(infoOf(call, 'step_size').isDefault, false);
  });

  it('ranges: the value, the whole `key: value`, the call and the callee (UTF-16 columns)', async () => {
    const src = 'const é = "😀"; const s = lr_scheduler.StepLR(opt, { step_size: 30 });';
    const res = await analyzeTs(src);
    const call = callOf(res, 's');
    const col = (needle: string) => src.indexOf(needle);
    assert.deepStrictEqual(call.range.start, { line: 0, character: col('lr_scheduler.StepLR(') });
    assert.deepStrictEqual(call.range.end, { line: 0, character: src.length - 1 });
    assert.deepStrictEqual(call.calleeRange.end, { line: 0, character: col('(opt') });
    const st = infoOf(call, 'step_size');
    assert.deepStrictEqual(st.range, { start: { line: 0, character: col('30') }, end: { line: 0, character: col('30') + 2 } });
    assert.deepStrictEqual(st.fullRange!.start, { line: 0, character: col('step_size:') });
    assert.strictEqual(st.text, '30');
  });

  it('CRLF and lone CR line endings count as one line break each', async () => {
    const src = 'const a = 1;\r\nconst b = 2;\rconst s = new StepLR(opt, 30);\r\n';
    const call = callOf(await analyzeTs(src), 's');
    assert.deepStrictEqual(call.range.start, { line: 2, character: 10 });
    assert.deepStrictEqual(infoOf(call, 'step_size').range!.start, { line: 2, character: 26 });
  });

  it('origin says how a value was obtained, and which camelCase key was read', async () => {
    const res = await analyzeTs('const EPOCHS = 90;\nconst s = new StepLR(opt, { stepSize: EPOCHS / 3 });');
    const info = infoOf(callOf(res, 's'), 'step_size');
    assert.strictEqual(info.display, '30.0');
    assert.match(info.origin ?? '', /EPOCHS \/ 3/);
    assert.match(info.origin ?? '', /`stepSize` read as `step_size`/);
  });

  it('an undefined option counts as not given', async () => {
    const res = await analyzeTs('const cfg = { step: 30 };\nconst s = new StepLR(opt, { step_size: cfg.step, gamma: cfg.gamma });');
    const call = callOf(res, 's');
    assert.strictEqual(call.args['gamma'], undefined);
    const g = infoOf(call, 'gamma');
    assert.ok(g.isDefault);
    assert.match(g.origin ?? '', /undefined/);
    assert.notStrictEqual(call.schedulerIndex, null);
  });

  it('binding failures carry Python\'s TypeError text', async () => {
    const cases: [string, string][] = [
      ['new StepLR(opt)', "StepLR.__init__() missing 1 required positional argument: 'step_size'"],
      ['new StepLR(opt, { step: 30 })', "StepLR.__init__() got an unexpected keyword argument 'step'"],
      ['new StepLR(opt, 30, { step_size: 30 })', "StepLR.__init__() got multiple values for argument 'step_size'"],
      ['new ExponentialLR(opt, 0.9, -1, false, 1)', 'ExponentialLR.__init__() takes from 3 to 5 positional arguments but 6 were given'],
    ];
    for (const [expr, message] of cases) {
      const call = callOf(await analyzeTs(`const s = ${expr};`), 's');
      assert.deepStrictEqual(call.bindFailure && [call.bindFailure.type, call.bindFailure.message], ['TypeError', message], expr);
      assert.strictEqual(call.schedulerIndex, null);
    }
  });

  it('an unknown argument: no construction, a reason and the argument\'s range', async () => {
    const src = 'const s = new StepLR(opt, { step_size: Number(process.env.STEP) });';
    const call = callOf(await analyzeTs(src), 's');
    assert.strictEqual(call.schedulerIndex, null);
    assert.strictEqual(call.unknownReason, '`step_size`: `process.env.STEP` is set at run time');
    const info = infoOf(call, 'step_size');
    assert.deepStrictEqual([info.known, info.display], [false, '?']);
  });

  it('spread arguments: a known array binds positionally, an unknown one gives a reason', async () => {
    const known = callOf(await analyzeTs('const a = [opt, 30];\nconst s = new StepLR(...a);'), 's');
    assert.deepStrictEqual(known.args['step_size'], int(30));
    const unknown = callOf(await analyzeTs('const s = new StepLR(...process.argv);'), 's');
    assert.match(unknown.unknownReason ?? '', /spread `...process.argv`/);
  });
});

describe('typescript frontend: optimizers', () => {
  const optOf = (res: FrontendResult, v = 's') => callOf(res, v).optimizer!;

  it('options object: lr and momentum', async () => {
    const res = await analyzeTs('const optimizer = optim.SGD(params, { lr: 0.1, momentum: 0.9 });\nconst s = new StepLR(optimizer, 10);');
    const o = optOf(res);
    assert.deepStrictEqual([o.type, o.variable, o.groupLrs, o.assumptions], ['SGD', 'optimizer', [0.1], []]);
    assert.deepStrictEqual(res.program.optimizers[0]!.defaults, { lr: 0.1, momentum: 0.9 });
  });

  it('new Adam with the class default lr; betas from the options', async () => {
    const res = await analyzeTs('const a = new Adam(model.parameters(), { betas: [0.8, 0.99] });\nconst s = new StepLR(a, 10);');
    assert.deepStrictEqual(res.program.optimizers[0]!.groups, [{ lr: 1e-3, betas: [0.8, 0.99] }]);
  });

  it('positional lr', async () => {
    const res = await analyzeTs('const o = SGD(params, 0.05, 0.9);\nconst s = new StepLR(o, 10);');
    assert.deepStrictEqual(res.program.optimizers[0]!.groups, [{ lr: 0.05, momentum: 0.9 }]);
  });

  it('param groups with per-group lr', async () => {
    const res = await analyzeTs('const o = new optim.SGD([{ params: a.parameters(), lr: 0.01 }, { params: b.parameters() }], { lr: 0.1, momentum: 0.9 });\nconst s = new StepLR(o, 10);');
    assert.deepStrictEqual(optOf(res).groupLrs, [0.01, 0.1]);
    assert.strictEqual(res.program.optimizers[0]!.groups.length, 2);
  });

  it('an unknown lr is assumed, with a note', async () => {
    const res = await analyzeTs('const o = new Adam(params, { lr: Number(process.env.LR) });\nconst s = new StepLR(o, 10);', 'typescript', { assumedLr: 0.02 });
    const o = optOf(res);
    assert.deepStrictEqual(o.groupLrs, [0.02]);
    assert.match(o.assumptions.join(' '), /lr assumed 0\.02 \(`process\.env\.LR` is set at run time\)/);
  });

  it('an imported optimizer is one assumed optimizer for all its schedulers', async () => {
    const res = await analyzeTs("import { optimizer } from './setup';\nconst a = new LinearLR(optimizer, { total_iters: 5 });\nconst b = new ExponentialLR(optimizer, 0.9);\nconst s = new SequentialLR(optimizer, [a, b], [5]);");
    assert.strictEqual(res.program.optimizers.length, 1);
    assert.match(infoOf(callOf(res, 's'), 'optimizer').reason ?? '', /`optimizer` is imported from '.\/setup'/);
  });

  it('an optimizer from a parameter is assumed (SGD, assumed lr), shared by the schedulers of that function', async () => {
    const res = await analyzeTs('function setup(optimizer) {\n  const a = new LinearLR(optimizer, { total_iters: 5 });\n  const b = new ExponentialLR(optimizer, 0.9);\n  const s = new SequentialLR(optimizer, [a, b], [5]);\n}');
    const s = callOf(res, 's');
    assert.notStrictEqual(s.schedulerIndex, null);
    assert.match(infoOf(s, 'optimizer').reason ?? '', /`optimizer` is a parameter of `setup`/);
    assert.strictEqual(res.program.optimizers.length, 1);
    assert.ok(res.program.schedulers.every((x) => x.optimizer === 0));
  });
});

describe('typescript frontend: programs, members and uses', () => {
  it('one Program in evaluation order; calls in source order', async () => {
    const res = await analyzeTs('function late() { return new StepLR(opt, 1); }\nconst opt = new SGD(p, { lr: 0.1 });\nconst a = new ExponentialLR(opt, 0.9);');
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['StepLR', 'ExponentialLR']);
    // The module runs first; function bodies are analysed after it.
    assert.deepStrictEqual(res.program.schedulers.map((s) => s.kind), ['ExponentialLR', 'StepLR']);
  });

  it('SequentialLR members point at the container', async () => {
    const res = await analyzeTs('const w = new LinearLR(opt, { start_factor: 0.1, total_iters: 5 });\nconst c = new CosineAnnealingLR(opt, 95);\nconst s = new SequentialLR(opt, { schedulers: [w, c], milestones: [5] });');
    const s = callOf(res, 's');
    assert.deepStrictEqual(s.args['schedulers'], { kind: 'list', items: [{ kind: 'scheduler', index: 0 }, { kind: 'scheduler', index: 1 }] });
    assert.strictEqual(callOf(res, 'w').memberOf, s.schedulerIndex);
    assert.strictEqual(callOf(res, 'c').memberOf, s.schedulerIndex);
    assert.strictEqual(s.memberOf, null);
  });

  it('ChainedScheduler takes its optimizer from the members', async () => {
    const res = await analyzeTs('const o = new SGD(p, { lr: 0.5 });\nconst a = new ConstantLR(o, 0.5, 3);\nconst b = new ExponentialLR(o, 0.9);\nconst s = new ChainedScheduler([a, b]);');
    const s = callOf(res, 's');
    assert.strictEqual(res.program.schedulers[s.schedulerIndex!]!.optimizer, null);
    assert.deepStrictEqual(s.optimizer?.groupLrs, [0.5]);
    assert.strictEqual(callOf(res, 'a').memberOf, s.schedulerIndex);
  });

  it('a member that cannot be built makes the container unknown, saying which', async () => {
    const res = await analyzeTs('const w = new LinearLR(opt, { total_iters: process.env.W });\nconst s = new SequentialLR(opt, [w], []);');
    assert.match(callOf(res, 's').unknownReason ?? '', /LinearLR `w` could not be built/);
  });

  it('uses: step(epoch) and get_last_lr(), in loops and functions', async () => {
    const src = 'const scheduler = new StepLR(opt, 30);\nfor (let e = 0; e < 100; e++) {\n  train(e);\n  scheduler.step();\n}\nfunction log() { return scheduler.get_last_lr(); }\nscheduler.step(5);';
    const call = callOf(await analyzeTs(src), 'scheduler');
    assert.deepStrictEqual(call.uses.map((u) => [u.method, u.range.start.line, u.args]), [
      ['step', 3, []], ['step', 6, [int(5)]], ['get_last_lr', 5, []],
    ]);
  });

  it('uses through `this` in another method of the class', async () => {
    const src = 'class Trainer {\n  constructor() {\n    this.optimizer = new SGD(p, { lr: 0.1 });\n    this.scheduler = new StepLR(this.optimizer, 10);\n  }\n  fit() {\n    for (let e = 0; e < 10; e++) {\n      this.optimizer.step();\n      this.scheduler.step();\n    }\n  }\n}';
    const call = callOf(await analyzeTs(src), 'this.scheduler');
    assert.deepStrictEqual(call.uses.map((u) => [u.method, u.range.start.line]), [['step', 8]]);
    assert.deepStrictEqual(call.optimizer?.groupLrs, [0.1]);
  });

  it('both branches of an unknown condition are found', async () => {
    const res = await analyzeTs('let s;\nif (cfg.cosine) {\n  s = new CosineAnnealingLR(opt, 100);\n} else {\n  s = new StepLR(opt, 30);\n}');
    assert.deepStrictEqual(res.calls.map((c) => [c.kind, c.variable]), [['CosineAnnealingLR', 's'], ['StepLR', 's']]);
  });

  it('uses of a variable that holds one of several schedulers count for each', async () => {
    const src = "let scheduler;\nswitch (cfg.kind) {\n  case 'cos': scheduler = new CosineAnnealingLR(opt, 100); break;\n  default: scheduler = new StepLR(opt, 30);\n}\nfor (let e = 0; e < 10; e++) scheduler.step();";
    const res = await analyzeTs(src);
    assert.deepStrictEqual(res.calls.map((c) => [c.kind, c.uses.map((u) => [u.method, u.range.start.line])]), [
      ['CosineAnnealingLR', [['step', 5]]], ['StepLR', [['step', 5]]],
    ]);
    const one = await analyzeTs('let s = null;\nif (cfg.decay) s = new ExponentialLR(opt, 0.9);\ns?.step();');
    assert.deepStrictEqual(one.calls[0]!.uses.map((u) => u.method), ['step']);
  });

  it('a construction inside a loop is found once', async () => {
    const res = await analyzeTs('for (const fold of folds) {\n  const s = new StepLR(opt, 10);\n  s.step();\n}');
    assert.strictEqual(res.calls.length, 1);
    assert.strictEqual(res.calls[0]!.uses.length, 1);
  });

  it('names that only look like schedulers are not taken', async () => {
    const res = await analyzeTs('const StepLR = (a, b) => a;\nconst x = StepLR(opt, 3);\nconst m = new Map();\nconst y = schedule.step(3);');
    assert.deepStrictEqual(res.calls, []);
  });

  it('a class of the file named like a scheduler is not torch\'s', async () => {
    const res = await analyzeTs('function local() {\n  class StepLR { constructor(o, n) {} }\n  return new StepLR(opt, 3);\n}\nlocal();');
    assert.deepStrictEqual(res.calls, []);
  });

  it('a call inside a syntax error is still reported', async () => {
    const res = await analyzeTs('const s = new StepLR(opt, 30) +* ) ;\nconst t = new ExponentialLR(opt, 0.5);');
    assert.deepStrictEqual(res.calls.map((c) => c.kind).sort(), ['ExponentialLR', 'StepLR']);
    assert.deepStrictEqual(callOf(res, 't').args['gamma'], float(0.5));
  });
});

describe('typescript frontend: factory functions', () => {
  it('a factory is analysed at its call, with the call\'s optimizer', async () => {
    const res = await analyzeTs('function make(opt) {\n  return new StepLR(opt, 30);\n}\nconst optimizer = new SGD(p, { lr: 0.5 });\nconst s = make(optimizer);\ns.step();');
    const call = callOf(res, null);
    assert.deepStrictEqual(call.optimizer?.groupLrs, [0.5]);
    assert.strictEqual(call.optimizer?.assumptions.length, 0);
    assert.deepStrictEqual(call.uses.map((u) => u.method), ['step']);
  });

  it('a function that calls a factory is analysed too', async () => {
    const res = await analyzeTs('function make(opt) { return new StepLR(opt, 30); }\nfunction outer(o) { return make(o); }\nconst optimizer = new SGD(p, { lr: 0.5 });\nconst s = outer(optimizer);\ns.step();');
    const call = callOf(res, null);
    assert.deepStrictEqual([call.optimizer?.groupLrs, call.optimizer?.assumptions], [[0.5], []]);
    assert.deepStrictEqual(call.uses.map((u) => u.method), ['step']);
  });

  it('a factory returning { optimizer, scheduler }, destructured in another function', async () => {
    const src = [
      'export function makeSchedule(params) {',
      '  const optimizer = new Adam(params, { lr: 0.001 });',
      '  const scheduler = new CosineAnnealingLR(optimizer, { T_max: 100 });',
      '  return { optimizer, scheduler };',
      '}',
      'export async function train(params) {',
      '  const { optimizer, scheduler } = makeSchedule(params);',
      '  for (let e = 0; e < 100; e++) { optimizer.step(); scheduler.step(); }',
      '}',
    ].join('\n');
    const res = await analyzeTs(src);
    const call = callOf(res, 'scheduler');
    assert.deepStrictEqual([call.optimizer?.type, call.optimizer?.variable], ['Adam', 'optimizer']);
    assert.deepStrictEqual(call.uses.map((u) => [u.method, u.range.start.line]), [['step', 7]]);
    assert.strictEqual(res.program.schedulers.length, 1);
  });

  it('a factory returning from inside a loop: found, the result not taken for sure', async () => {
    const src = 'function pick(opt, ks) {\n  for (const k of ks) {\n    if (k > 1) return new StepLR(opt, k);\n  }\n}\nconst s = pick(o, [1, 2]);\nconst chain = new ChainedScheduler([s]);';
    const res = await analyzeTs(src);
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['StepLR', 'ChainedScheduler']);
    assert.match(callOf(res, 'chain').unknownReason ?? '', /returns different values/);
  });

  it('a factory whose result depends on a run-time condition: both found, the result unknown', async () => {
    const src = "function make(opt, kind) {\n  if (kind === 'cos') return new CosineAnnealingLR(opt, 10);\n  return new StepLR(opt, 5);\n}\nconst o = new SGD(p, { lr: 0.1 });\nconst s = make(o, process.env.KIND);\nconst chain = new ChainedScheduler([s]);";
    const res = await analyzeTs(src);
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['CosineAnnealingLR', 'StepLR', 'ChainedScheduler']);
    assert.match(callOf(res, 'chain').unknownReason ?? '', /returns different values/);
  });
});
