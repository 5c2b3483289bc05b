/**
 * Parity: the same programs written in Python and in TypeScript give the same analysis, since both
 * frontends hand their evaluated calls to one recorder (src/analysis/recorder.ts).
 *
 * Compared: everything language-neutral — per construction its kind, family, variable, bound engine
 * arguments, program index, membership, bind failure, uses; per argument its name, whether it is
 * known / a default / assumed, its display (Python syntax in both); the optimizer's type, variable,
 * group lrs and notes; the curve bit for bit (lrs, momentum, markers, summary), the horizon, the torch
 * failure, the diagnostic codes; the whole engine Program. Legitimately different, so not compared:
 * source positions and texts, `this.x` for `self.x`, the `origin` and `reason` wordings (each frontend says in its own syntax
 * how a value was read or why it is unknown: `int(sys.argv[1])` vs `parseInt(process.argv[2])`; only
 * whether there is one is compared, and reasons inside notes are masked), and the display of
 * callables (`lambda e: …` vs `(e) => …`), and the run (how a loop steps the scheduler: Python only so far, so a case
 * with a loop fixes the horizon).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, AnalyzeOptions, FoundCall, FrontendResult, Range, SchedulerAnalysis } from '../../../src/analysis/types';
import type { Arg, Program } from '../../../src/engine/types';
import { SCHEDULER_KINDS } from '../../../src/engine/signatures';
import { analyze as analyzePy } from '../frontends/python-helpers';
import { analyzeTs } from '../frontends/typescript-helpers';

interface Case {
  name: string;
  py: string;
  ts: string;
  opts?: AnalyzeOptions;
  /** What this case is about, beyond equality (so that equal-but-wrong results fail too). */
  check?: (r: AnalysisResult, fe: FrontendResult) => void;
}

const byVar = (r: AnalysisResult, v: string): SchedulerAnalysis => {
  const s = r.schedulers.find((x) => spell(x.variable) === v);
  if (!s) throw new Error(`no scheduler ${v} in ${JSON.stringify(r.schedulers.map((x) => x.variable))}`);
  return s;
};
const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => d.code);

const CASES: Case[] = [
  {
    name: 'the issue example: SequentialLR on one unresolved optimizer shares one assumed optimizer',
    py: 'optimizer = build(cfg)\na = LinearLR(optimizer, total_iters=5); b = ExponentialLR(optimizer, 0.9)\ns = SequentialLR(optimizer, [a, b], [5])',
    ts: 'const optimizer = build(cfg);\nconst a = new LinearLR(optimizer, { total_iters: 5 }); const b = new ExponentialLR(optimizer, 0.9);\n' +
      'const s = new SequentialLR(optimizer, [a, b], [5]);',
    check: (r, fe) => {
      const s = byVar(r, 's');
      assert.ok(s.curve, s.error ?? '');
      assert.ok(!codes(s).includes('LR121'), JSON.stringify(codes(s)));
      assert.strictEqual(fe.program.optimizers.length, 1);
      assert.strictEqual(s.argInfo[0]!.assumed, true);
    },
  },
  {
    name: 'ChainedScheduler([a, b]) on one unresolved optimizer',
    py: 'optimizer = build(cfg)\na = LinearLR(optimizer, total_iters=5); b = ExponentialLR(optimizer, 0.9)\nc = ChainedScheduler([a, b])',
    ts: 'const optimizer = build(cfg);\nconst a = new LinearLR(optimizer, { total_iters: 5 }); const b = new ExponentialLR(optimizer, 0.9);\n' +
      'const c = new ChainedScheduler([a, b]);',
    check: (r, fe) => {
      const c = byVar(r, 'c');
      assert.ok(c.curve, c.error ?? '');
      assert.strictEqual(fe.program.optimizers.length, 1);
      assert.strictEqual(c.optimizer?.type, 'SGD');
    },
  },
  {
    name: 'two different unresolved optimizers stay two: torch\'s SequentialLR error',
    py: 'o1 = build(cfg)\no2 = build(cfg2)\na = LinearLR(o1, total_iters=5); b = ExponentialLR(o2, 0.9)\ns = SequentialLR(o1, [a, b], [5])',
    ts: 'const o1 = build(cfg);\nconst o2 = build(cfg2);\nconst a = new LinearLR(o1, { total_iters: 5 }); const b = new ExponentialLR(o2, 0.9);\n' +
      'const s = new SequentialLR(o1, [a, b], [5]);',
    check: (r, fe) => {
      assert.strictEqual(fe.program.optimizers.length, 2);
      assert.strictEqual(byVar(r, 's').failure?.type, 'ValueError');
    },
  },
  {
    name: 'an unresolved optimizer read through another variable is the same one',
    py: 'optimizer = build(cfg)\nalias = optimizer\na = StepLR(optimizer, 2); b = ExponentialLR(alias, 0.9)\ns = SequentialLR(optimizer, [a, b], [3])',
    ts: 'const optimizer = build(cfg);\nconst alias = optimizer;\nconst a = new StepLR(optimizer, 2); const b = new ExponentialLR(alias, 0.9);\n' +
      'const s = new SequentialLR(optimizer, [a, b], [3]);',
    check: (r, fe) => {
      assert.strictEqual(fe.program.optimizers.length, 1);
      assert.ok(byVar(r, 's').curve);
    },
  },
  {
    name: 'an optimizer parameter of a function: one assumed optimizer for the schedulers built on it',
    py: 'def make(optimizer):\n    a = StepLR(optimizer, 2)\n    b = ExponentialLR(optimizer, 0.5)\n    s = ChainedScheduler([a, b])\n    return s',
    ts: 'function make(optimizer) {\n  const a = new StepLR(optimizer, 2);\n  const b = new ExponentialLR(optimizer, 0.5);\n' +
      '  const s = new ChainedScheduler([a, b]);\n  return s;\n}',
    check: (r, fe) => {
      assert.strictEqual(fe.program.optimizers.length, 1);
      assert.ok(byVar(r, 's').curve);
    },
  },
  {
    name: 'an unresolved attribute read again in one class is one optimizer; in another class, another',
    py: 'class Trainer:\n    def __init__(self):\n        self.warm = LinearLR(self.optimizer, total_iters=3)\n' +
      '        self.main = ExponentialLR(self.optimizer, 0.9)\n        self.s = SequentialLR(self.optimizer, [self.warm, self.main], [3])\n' +
      'class Other:\n    def setup(self):\n        self.t = StepLR(self.optimizer, 2)',
    ts: 'class Trainer {\n  constructor() {\n    this.warm = new LinearLR(this.optimizer, { total_iters: 3 });\n' +
      '    this.main = new ExponentialLR(this.optimizer, 0.9);\n    this.s = new SequentialLR(this.optimizer, [this.warm, this.main], [3]);\n  }\n}\n' +
      'class Other {\n  setup() {\n    this.t = new StepLR(this.optimizer, 2);\n  }\n}',
    check: (r, fe) => {
      assert.strictEqual(fe.program.optimizers.length, 2);
      assert.ok(byVar(r, 'self.s').curve, byVar(r, 'self.s').error ?? '');
      // LinearLR's constructor scales its optimizer's lr; the other class's optimizer is untouched.
      assert.strictEqual(byVar(r, 'self.t').curve?.lrs[0]![0], 0.1);
    },
  },
  {
    name: 'SequentialLR with keyword arguments on a built optimizer',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\nwarm = LinearLR(opt, start_factor=0.1, total_iters=3)\ncos = CosineAnnealingLR(opt, T_max=10)\n' +
      's = SequentialLR(opt, schedulers=[warm, cos], milestones=[3])',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst warm = new LinearLR(opt, { start_factor: 0.1, total_iters: 3 });\n' +
      'const cos = new CosineAnnealingLR(opt, { T_max: 10 });\nconst s = new SequentialLR(opt, { schedulers: [warm, cos], milestones: [3] });',
    check: (r) => {
      assert.ok(byVar(r, 's').curve);
      assert.strictEqual(byVar(r, 's').argInfo.find((a) => a.name === 'schedulers')!.display, '[warm, cos]');
    },
  },
  {
    name: 'ChainedScheduler on a built optimizer',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = ConstantLR(opt, factor=0.5, total_iters=2)\nb = ExponentialLR(opt, gamma=0.9)\nc = ChainedScheduler([a, b])',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new ConstantLR(opt, { factor: 0.5, total_iters: 2 });\n' +
      'const b = new ExponentialLR(opt, { gamma: 0.9 });\nconst c = new ChainedScheduler([a, b]);',
    check: (r) => assert.strictEqual(byVar(r, 'c').optimizer?.variable, 'opt'),
  },
  {
    name: 'nested: a SequentialLR inside a ChainedScheduler, with a member built in the list',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = LinearLR(opt, total_iters=2)\nb = StepLR(opt, 2)\ninner = SequentialLR(opt, [a, b], [2])\n' +
      'c = ChainedScheduler([inner, ExponentialLR(opt, 0.9)])',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new LinearLR(opt, { total_iters: 2 });\nconst b = new StepLR(opt, 2);\n' +
      'const inner = new SequentialLR(opt, [a, b], [2]);\nconst c = new ChainedScheduler([inner, new ExponentialLR(opt, 0.9)]);',
  },
  {
    name: 'nested: a ChainedScheduler inside a SequentialLR',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = ConstantLR(opt, factor=0.5, total_iters=3)\nb = ExponentialLR(opt, 0.9)\nchain = ChainedScheduler([a, b])\n' +
      'cos = CosineAnnealingLR(opt, T_max=5)\ns = SequentialLR(opt, [chain, cos], milestones=[4])',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new ConstantLR(opt, { factor: 0.5, total_iters: 3 });\nconst b = new ExponentialLR(opt, 0.9);\n' +
      'const chain = new ChainedScheduler([a, b]);\nconst cos = new CosineAnnealingLR(opt, { T_max: 5 });\nconst s = new SequentialLR(opt, [chain, cos], { milestones: [4] });',
  },
  {
    name: 'SequentialLR members on different optimizers: torch\'s ValueError',
    py: 'o1 = torch.optim.SGD(params, lr=0.1)\no2 = torch.optim.SGD(params, lr=0.2)\na = StepLR(o1, 2)\nb = StepLR(o2, 2)\ns = SequentialLR(o1, [a, b], [2])',
    ts: 'const o1 = optim.SGD(params, { lr: 0.1 });\nconst o2 = optim.SGD(params, { lr: 0.2 });\nconst a = new StepLR(o1, 2);\nconst b = new StepLR(o2, 2);\n' +
      'const s = new SequentialLR(o1, [a, b], [2]);',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.type, 'ValueError'),
  },
  {
    name: 'ChainedScheduler members on different optimizers: torch\'s ValueError',
    py: 'o1 = torch.optim.SGD(params, lr=0.1)\no2 = torch.optim.Adam(params)\na = StepLR(o1, 2)\nb = StepLR(o2, 2)\nc = ChainedScheduler([a, b])',
    ts: 'const o1 = optim.SGD(params, { lr: 0.1 });\nconst o2 = optim.Adam(params);\nconst a = new StepLR(o1, 2);\nconst b = new StepLR(o2, 2);\n' +
      'const c = new ChainedScheduler([a, b]);',
    check: (r) => assert.strictEqual(byVar(r, 'c').failure?.type, 'ValueError'),
  },
  {
    name: 'SequentialLR given another optimizer than its members\'',
    py: 'o1 = torch.optim.SGD(params, lr=0.1)\no2 = torch.optim.SGD(params, lr=0.1)\na = StepLR(o1, 2)\nb = StepLR(o1, 3)\ns = SequentialLR(o2, [a, b], [2])',
    ts: 'const o1 = optim.SGD(params, { lr: 0.1 });\nconst o2 = optim.SGD(params, { lr: 0.1 });\nconst a = new StepLR(o1, 2);\nconst b = new StepLR(o1, 3);\n' +
      'const s = new SequentialLR(o2, [a, b], [2]);',
    check: (r) => assert.ok(byVar(r, 's').failure),
  },
  {
    name: 'SequentialLR with the wrong number of milestones',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = StepLR(opt, 2)\nb = StepLR(opt, 3)\ns = SequentialLR(opt, [a, b], [2, 4])',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new StepLR(opt, 2);\nconst b = new StepLR(opt, 3);\nconst s = new SequentialLR(opt, [a, b], [2, 4]);',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.type, 'ValueError'),
  },
  {
    name: 'a composite with a member that cannot be built is not built',
    py: 'import sys\nopt = torch.optim.SGD(params, lr=0.1)\na = StepLR(opt, int(sys.argv[1]))\nb = ExponentialLR(opt, 0.9)\ns = SequentialLR(opt, [a, b], [3])',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new StepLR(opt, parseInt(process.argv[2]));\nconst b = new ExponentialLR(opt, 0.9);\n' +
      'const s = new SequentialLR(opt, [a, b], [3]);',
    check: (r) => {
      assert.strictEqual(byVar(r, 's').curve, null);
      assert.strictEqual(byVar(r, 'a').curve, null);
      assert.ok(byVar(r, 'b').curve);
    },
  },
  {
    name: 'param groups with their own lrs and a top-level momentum',
    py: 'opt = torch.optim.SGD([{"params": params, "lr": 0.1}, {"params": params, "lr": 0.01}], lr=0.05, momentum=0.9)\ns = StepLR(opt, 2, gamma=0.5)',
    ts: 'const opt = optim.SGD([{ params: params, lr: 0.1 }, { params: params, lr: 0.01 }], { lr: 0.05, momentum: 0.9 });\n' +
      'const s = new StepLR(opt, 2, { gamma: 0.5 });',
    check: (r) => {
      assert.deepStrictEqual(byVar(r, 's').optimizer?.groupLrs, [0.1, 0.01]);
      assert.strictEqual(byVar(r, 's').curve?.lrs.length, 2);
    },
  },
  {
    name: 'a param group without lr takes the top-level lr',
    py: 'opt = torch.optim.Adam([{"params": params}, {"params": params, "lr": 0.01}], lr=0.05)\ns = ExponentialLR(opt, 0.5)',
    ts: 'const opt = optim.Adam([{ params: params }, { params: params, lr: 0.01 }], { lr: 0.05 });\nconst s = new ExponentialLR(opt, 0.5);',
    check: (r) => assert.deepStrictEqual(byVar(r, 's').optimizer?.groupLrs, [0.05, 0.01]),
  },
  {
    name: 'a param group whose lr is unknown gets the assumed lr, labelled',
    py: 'import sys\nopt = torch.optim.SGD([{"params": params, "lr": float(sys.argv[1])}, {"params": params, "lr": 0.01}])\ns = StepLR(opt, 2)',
    ts: 'const opt = optim.SGD([{ params: params, lr: Number(process.argv[2]) }, { params: params, lr: 0.01 }]);\nconst s = new StepLR(opt, 2);',
    check: (r) => {
      assert.deepStrictEqual(byVar(r, 's').optimizer?.groupLrs, [0.1, 0.01]);
      assert.match(byVar(r, 's').optimizer!.assumptions[0]!, /^lr of group 0 assumed 0\.1 \(/);
    },
  },
  {
    name: 'group resume: initial_lr in the group and last_epoch',
    py: 'opt = torch.optim.SGD([{"params": params, "lr": 0.1, "initial_lr": 0.2}])\ns = StepLR(opt, 3, last_epoch=4)',
    ts: 'const opt = optim.SGD([{ params: params, lr: 0.1, initial_lr: 0.2 }]);\nconst s = new StepLR(opt, 3, { last_epoch: 4 });',
    check: (r) => assert.ok(byVar(r, 's').curve),
  },
  {
    name: 'resume without initial_lr: torch\'s KeyError',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, 3, last_epoch=5)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt, 3, { last_epoch: 5 });',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.type, 'KeyError'),
  },
  {
    name: 'an unknown optimizer lr is the assumed lr (default 0.1), labelled',
    py: 'import os\nopt = torch.optim.Adam(params, lr=float(os.environ["LR"]))\ns = CosineAnnealingLR(opt, T_max=10)',
    ts: 'const opt = optim.Adam(params, { lr: Number(process.env.LR) });\nconst s = new CosineAnnealingLR(opt, { T_max: 10 });',
    check: (r) => {
      assert.deepStrictEqual(byVar(r, 's').optimizer?.groupLrs, [0.1]);
      assert.strictEqual(byVar(r, 's').argInfo[0]!.assumed, true);
    },
  },
  {
    name: 'the assumed lr follows the option',
    py: 'opt = build()\ns = StepLR(opt, 2)',
    ts: 'const opt = build();\nconst s = new StepLR(opt, 2);',
    opts: { assumedLr: 0.02 },
    check: (r) => {
      assert.strictEqual(byVar(r, 's').curve?.lrs[0]![0], 0.02);
      assert.strictEqual(byVar(r, 's').argInfo[0]!.display, 'SGD(lr=0.02)');
    },
  },
  {
    name: 'SGD without lr: torch\'s ValueError from the optimizer',
    py: 'opt = torch.optim.SGD(params, momentum=0.9)\ns = StepLR(opt, 2)',
    ts: 'const opt = optim.SGD(params, { momentum: 0.9 });\nconst s = new StepLR(opt, 2);',
    check: (r) => assert.match(byVar(r, 's').optimizer!.assumptions.join(' '), /torch would raise ValueError/),
  },
  {
    name: 'a negative lr: torch\'s message prints the value as written',
    py: 'opt = torch.optim.SGD(params, lr=-1)\no2 = torch.optim.Adam(params, lr=-1.0)\ns = StepLR(opt, 2)\nt = StepLR(o2, 2)',
    ts: 'const opt = optim.SGD(params, { lr: -1 });\nconst o2 = optim.Adam(params, { lr: -1.0 });\nconst s = new StepLR(opt, 2);\nconst t = new StepLR(o2, 2);',
    check: (r) => {
      assert.ok(byVar(r, 's').optimizer!.assumptions.includes('torch would raise ValueError: Invalid learning rate: -1'));
      assert.ok(byVar(r, 't').optimizer!.assumptions.includes('torch would raise ValueError: Invalid learning rate: -1.0'));
    },
  },
  {
    name: 'positional optimizer arguments: SGD(params, lr, momentum) and CyclicLR',
    py: 'opt = torch.optim.SGD(params, 0.1, 0.9)\ns = CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=4)',
    ts: 'const opt = optim.SGD(params, 0.1, 0.9);\nconst s = new CyclicLR(opt, { base_lr: 0.01, max_lr: 0.1, step_size_up: 4 });',
    check: (r) => assert.strictEqual(byVar(r, 's').curve?.momentum?.label, 'momentum'),
  },
  {
    name: 'positional optimizer arguments: NAdam(params, lr, betas, eps, weight_decay, momentum_decay)',
    py: 'opt = torch.optim.NAdam(params, 0.01, (0.8, 0.99), 1e-8, 0, 0.004)\ns = OneCycleLR(opt, 0.1, total_steps=10)',
    ts: 'const opt = optim.NAdam(params, 0.01, [0.8, 0.99], 1e-8, 0, 0.004);\nconst s = new OneCycleLR(opt, 0.1, { total_steps: 10 });',
    check: (_r, fe) => assert.deepStrictEqual(fe.program.optimizers[0]!.defaults.betas, [0.8, 0.99]),
  },
  {
    name: 'positional optimizer arguments: RMSprop momentum is the fifth',
    py: 'opt = torch.optim.RMSprop(params, 0.01, 0.99, 1e-8, 0, 0.9)\ns = OneCycleLR(opt, max_lr=0.1, total_steps=10)',
    ts: 'const opt = optim.RMSprop(params, 0.01, 0.99, 1e-8, 0, 0.9);\nconst s = new OneCycleLR(opt, { max_lr: 0.1, total_steps: 10 });',
    check: (_r, fe) => assert.strictEqual(fe.program.optimizers[0]!.defaults.momentum, 0.9),
  },
  {
    name: 'Adam and OneCycleLR: beta1 is cycled',
    py: 'opt = torch.optim.Adam(params, lr=0.001)\ns = OneCycleLR(opt, max_lr=0.1, total_steps=20)',
    ts: 'const opt = optim.Adam(params, { lr: 0.001 });\nconst s = new OneCycleLR(opt, { max_lr: 0.1, total_steps: 20 });',
    check: (r) => assert.strictEqual(byVar(r, 's').curve?.momentum?.label, 'beta1'),
  },
  {
    name: 'OneCycleLR without total_steps nor epochs: torch\'s ValueError',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = OneCycleLR(opt, max_lr=0.1)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new OneCycleLR(opt, { max_lr: 0.1 });',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.type, 'ValueError'),
  },
  {
    name: 'missing argument: Python\'s TypeError',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt);',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.message, "StepLR.__init__() missing 1 required positional argument: 'step_size'"),
  },
  {
    name: 'two missing arguments',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = CyclicLR(opt)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new CyclicLR(opt);',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.message, "CyclicLR.__init__() missing 2 required positional arguments: 'base_lr' and 'max_lr'"),
  },
  {
    name: 'too many positional arguments',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = ExponentialLR(opt, 0.9, -1, False, 5)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new ExponentialLR(opt, 0.9, -1, false, 5);',
    check: (r) => assert.match(byVar(r, 's').failure!.message, /takes from 3 to 5 positional arguments but 6 were given/),
  },
  {
    name: 'an unexpected keyword argument',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, step_size=3, foo=1)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt, { step_size: 3, foo: 1 });',
    check: (r) => assert.match(byVar(r, 's').failure!.message, /unexpected keyword argument 'foo'/),
  },
  {
    name: 'a parameter given twice',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, 3, step_size=4)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt, 3, { step_size: 4 });',
    check: (r) => assert.match(byVar(r, 's').failure!.message, /multiple values for argument 'step_size'/),
  },
  {
    name: 'an unknown argument: no curve, the reason',
    py: 'import sys\nopt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, step_size=int(sys.argv[1]))',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt, { step_size: parseInt(process.argv[2]) });',
    check: (r) => {
      assert.strictEqual(byVar(r, 's').curve, null);
      assert.match(byVar(r, 's').error!, /^`step_size`: /);
    },
  },
  {
    name: 'an unknown verbose does not change the curve',
    py: 'import sys\nopt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, 3, verbose=sys.argv[1] == "v")',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt, { step_size: 3, verbose: process.argv[2] === "v" });',
    check: (r) => {
      assert.ok(byVar(r, 's').curve);
      assert.strictEqual(byVar(r, 's').argInfo.find((a) => a.name === 'verbose')!.known, false);
    },
  },
  {
    name: 'a known non-optimizer: torch\'s TypeError',
    py: 's = StepLR(5, 3)',
    ts: 'const s = new StepLR(5, 3);',
    check: (r) => assert.strictEqual(byVar(r, 's').failure?.type, 'TypeError'),
  },
  {
    name: 'options from a dict / an object variable',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\nkw = {"step_size": 3, "gamma": 0.5}\ns = StepLR(opt, **kw)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst kw = { step_size: 3, gamma: 0.5 };\nconst s = new StepLR(opt, kw);',
    check: (r) => assert.deepStrictEqual(byVar(r, 's').args, { step_size: 3, gamma: 0.5 }),
  },
  {
    name: 'computed arguments',
    py: 'EPOCHS = 30\nopt = torch.optim.SGD(params, lr=0.1)\ns = CosineAnnealingLR(opt, T_max=EPOCHS // 3, eta_min=0.001)',
    ts: 'const EPOCHS = 30;\nconst opt = optim.SGD(params, { lr: 0.1 });\nconst s = new CosineAnnealingLR(opt, { T_max: Math.floor(EPOCHS / 3), eta_min: 0.001 });',
    check: (r) => assert.strictEqual(byVar(r, 's').args['T_max'], 10),
  },
  {
    name: 'uses: step() in a loop, step(epoch), get_last_lr()',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, 3)\nfor epoch in range(10):\n    s.step()\ns.step(3)\nprint(s.get_last_lr())',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new StepLR(opt, 3);\nfor (let epoch = 0; epoch < 10; epoch++) {\n  s.step();\n}\n' +
      's.step(3);\nconsole.log(s.get_last_lr());',
    // The run model (src/analysis/run.ts: the preview follows the loop) is Python-only so far: a fixed horizon compares the rest.
    opts: { steps: 10 },
    check: (_r, fe) => {
      const s = fe.calls.find((c) => c.variable === 's')!;
      assert.deepStrictEqual(s.uses.map((u) => [u.method, u.args]), [['step', []], ['step', [{ kind: 'int', value: 3 }]], ['get_last_lr', []]]);
    },
  },
  {
    name: 'LambdaLR and MultiplicativeLR with functions',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = LambdaLR(opt, lr_lambda=lambda e: 1 / (e + 1))\nb = MultiplicativeLR(opt, lambda e: 0.9)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new LambdaLR(opt, { lr_lambda: (e) => 1 / (e + 1) });\nconst b = new MultiplicativeLR(opt, (e) => 0.9);',
    check: (r) => {
      assert.ok(byVar(r, 'a').curve);
      assert.ok(byVar(r, 'b').curve);
    },
  },
  {
    name: 'MultiStepLR, PolynomialLR, CosineAnnealingWarmRestarts',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = MultiStepLR(opt, milestones=[2, 5], gamma=0.5)\nb = PolynomialLR(opt, total_iters=4, power=2.0)\n' +
      'c = CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.001)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new MultiStepLR(opt, { milestones: [2, 5], gamma: 0.5 });\n' +
      'const b = new PolynomialLR(opt, { total_iters: 4, power: 2.0 });\nconst c = new CosineAnnealingWarmRestarts(opt, { T_0: 3, T_mult: 2, eta_min: 0.001 });',
    check: (r) => assert.ok(byVar(r, 'a').curve && byVar(r, 'b').curve && byVar(r, 'c').curve),
  },
  {
    name: 'a float where torch wants an int, and a start factor above 1: torch\'s ValueErrors',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\na = CosineAnnealingWarmRestarts(opt, T_0=2.0)\nb = LinearLR(opt, start_factor=1.5)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst a = new CosineAnnealingWarmRestarts(opt, { T_0: 2.0 });\nconst b = new LinearLR(opt, { start_factor: 1.5 });',
    check: (r) => {
      assert.strictEqual(byVar(r, 'a').failure?.message, 'Expected positive integer T_0, but got 2.0');
      assert.strictEqual(byVar(r, 'b').failure?.type, 'ValueError');
    },
  },
  {
    name: 'each call of an optimizer factory returns a fresh optimizer: StepLR on the first never sees OneCycleLR on the second',
    py: 'def mk():\n    return torch.optim.Adam(params, lr=0.1)\na = mk()\nb = mk()\no = OneCycleLR(b, max_lr=1.0, total_steps=10)\ns = StepLR(a, step_size=2)',
    ts: 'const mk = () => new optim.Adam(params, { lr: 0.1 });\nconst a = mk();\nconst b = mk();\n' +
      'const o = new OneCycleLR(b, { max_lr: 1.0, total_steps: 10 });\nconst s = new StepLR(a, { step_size: 2 });',
    opts: { steps: 4 },
    check: (r, fe) => {
      // Two optimizers, one per call; `s` starts from a's own lr 0.1 and decays ×0.1 every 2 steps (StepLR's default gamma).
      const [sOpt, oOpt] = [fe.program.schedulers[fe.calls.find((c) => spell(c.variable) === 's')!.schedulerIndex!]!.optimizer,
        fe.program.schedulers[fe.calls.find((c) => spell(c.variable) === 'o')!.schedulerIndex!]!.optimizer];
      assert.notStrictEqual(sOpt, oOpt);
      assert.deepStrictEqual(Array.from(byVar(r, 's').curve!.lrs[0]!), [0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1]);
      // OneCycleLR starts at max_lr / div_factor (25), up to the rounding of its annealing formula.
      assert.ok(Math.abs(byVar(r, 'o').curve!.lrs[0]![0]! - 1.0 / 25) < 1e-12);
    },
  },
  {
    name: 'a scheduler factory called twice: each call\'s scheduler is previewed with its own arguments (the second at its call), and torch\'s error on a SequentialLR of both is claimed',
    py: 'a = torch.optim.SGD(params, lr=0.1)\nb = torch.optim.SGD(params, lr=0.5)\ndef mk(o, g):\n    # one StepLR per call\n    return StepLR(o, step_size=1, gamma=g)\n' +
      's1 = mk(a, 0.5)\ns2 = mk(b, 0.1)\nq = SequentialLR(a, [s1, s2], [2])',
    ts: 'const a = optim.SGD(params, { lr: 0.1 });\nconst b = optim.SGD(params, { lr: 0.5 });\nfunction mk(o, g) {\n  return new StepLR(o, { step_size: 1, gamma: g });\n}\n' +
      'const s1 = mk(a, 0.5);\nconst s2 = mk(b, 0.1);\nconst q = new SequentialLR(a, [s1, s2], [2]);',
    opts: { steps: 3 },
    check: (r) => {
      const [first, second] = r.schedulers.filter((s) => s.kind === 'StepLR');
      // The first call's StepLR, at the construction: lr 0.1 on `a`, ×0.5 every step.
      assert.deepStrictEqual(Array.from(first!.curve!.lrs[0]!), [0.1, 0.1 * 0.5, 0.1 * 0.5 * 0.5]);
      assert.ok(first!.notes.some((n) => /^`mk\(\)` builds another StepLR at its call on line 10, previewed there: this preview is the one built by its call on line 9$/.test(n)), JSON.stringify(first!.notes));
      // The second call's StepLR, at that call (`s2 = mk(b, 0.1)`): lr 0.5 on `b`, ×0.1 every step.
      assert.strictEqual(spell(second!.variable), 's2');
      assert.strictEqual(second!.range.start.line, 9);
      assert.deepStrictEqual(Array.from(second!.curve!.lrs[0]!), [0.5, 0.5 * 0.1, 0.5 * 0.1 * 0.1]);
      assert.ok(second!.notes.includes('the StepLR written in `mk()`, built by this call with its own arguments (its call on line 9 builds the one previewed at the construction)'), JSON.stringify(second!.notes));
      // s2 is on `b`, every value known: torch raises, and LR Lens says so as an error.
      const q = byVar(r, 'q');
      assert.strictEqual(q.curve, null);
      assert.strictEqual(q.failure?.message, 'Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.');
      assert.strictEqual(q.diagnostics.find((d) => d.code === 'LR121')?.severity, 'error');
    },
  },

  {
    name: 'an assumed lr is labelled on the scheduler; T_0 = -1 does not depend on it and stays an error',
    py: 'opt = torch.optim.SGD(params, lr=cfg.lr)\ns = CosineAnnealingWarmRestarts(opt, T_0=-1)',
    ts: 'const opt = optim.SGD(params, { lr: cfg.lr });\nconst s = new CosineAnnealingWarmRestarts(opt, { T_0: -1 });',
    check: (r) => {
      const s = byVar(r, 's');
      assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.value, a.placeholder]), [['lr', 0.1, true]]);
      assert.strictEqual(s.diagnostics.find((x) => x.code === 'LR080')?.severity, 'error');
    },
  },
  {
    name: 'an unresolved optimizer: the failures that read its groups are information naming the assumption; T_0 = -1 stays an error',
    py: 'o = build(cfg)\nl = LambdaLR(o, lr_lambda=[lambda e: 1.0, lambda e: 0.5])\nw = CosineAnnealingWarmRestarts(o, T_0=-1)',
    ts: 'const o = build(cfg);\nconst l = new LambdaLR(o, { lr_lambda: [(e) => 1.0, (e) => 0.5] });\nconst w = new CosineAnnealingWarmRestarts(o, { T_0: -1 });',
    check: (r) => {
      const l = byVar(r, 'l').diagnostics.find((x) => x.code === 'LR010')!;
      assert.deepStrictEqual([l.severity, /would raise if optimizer is SGD\(lr=0\.1\)/.test(l.message)], ['information', true], l.message);
      assert.deepStrictEqual(byVar(r, 'l').assumed.map((a) => [a.what, a.value]), [['optimizer', 'SGD(lr=0.1)']]);
      assert.strictEqual(byVar(r, 'w').diagnostics.find((x) => x.code === 'LR080')?.severity, 'error');
    },
  },
  {
    name: 'a helper function given the optimizer and a config object builds the scheduler',
    py: 'def make(o, cfg):\n    return StepLR(o, step_size=cfg["step"], gamma=cfg["gamma"])\nopt = torch.optim.SGD(params, lr=0.05)\nsched = make(opt, {"step": 3, "gamma": 0.5})',
    ts: 'function make(o: unknown, cfg: { step: number; gamma: number }) {\n  return new StepLR(o, { step_size: cfg.step, gamma: cfg.gamma });\n}\n' +
      'const opt = optim.SGD(params, { lr: 0.05 });\nconst sched = make(opt, { step: 3, gamma: 0.5 });',
    check: (r) => {
      const s = r.schedulers[0]!;
      assert.deepStrictEqual(s.args, { step_size: 3, gamma: 0.5 });
      assert.deepStrictEqual(Array.from(s.curve!.lrs[0]!.slice(0, 7)), [0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]);
    },
  },
  {
    name: 'ReduceLROnPlateau: metric-driven, no curve',
    py: 'opt = torch.optim.SGD(params, lr=0.1)\ns = ReduceLROnPlateau(opt, mode="max", patience=2)',
    ts: 'const opt = optim.SGD(params, { lr: 0.1 });\nconst s = new ReduceLROnPlateau(opt, { mode: "max", patience: 2 });',
    check: (r) => assert.ok(byVar(r, 's').explanation),
  },
];

/** The header importing what a body uses. */
function pyProgram(body: string): string {
  const kinds = SCHEDULER_KINDS.filter((k) => new RegExp(`\\b${k}\\(`).test(body));
  return `import torch\nfrom torch.optim.lr_scheduler import ${kinds.join(', ')}\nparams = []\n${body}\n`;
}
function tsProgram(body: string): string {
  const kinds = SCHEDULER_KINDS.filter((k) => new RegExp(`\\b${k}\\(`).test(body));
  return `import { ${kinds.join(', ')} } from 'torch';\nimport { optim } from 'torch';\nconst params: unknown[] = [];\n${body}\n`;
}

/** Names as Python spells them: `this.s` is `self.s`. */
const spell = <T extends string | null>(name: T): T => (name === null ? name : name.replace(/\bthis\./g, 'self.') as T);

/** Reasons and source wordings inside a note, masked: `lr assumed 0.1 (…)`. */
const mask = (note: string) => note.replace(/\(.*\)/, '(…)');

/** An engine argument without callables' source text and code. */
function neutralArg(a: Arg): unknown {
  switch (a.kind) {
    case 'func': return { kind: 'func' };
    case 'list': return { ...a, items: a.items.map(neutralArg) };
    case 'dict': return { kind: 'dict', entries: a.entries.map(([k, v]) => [k, neutralArg(v)]) };
    default: return a;
  }
}
const hasFunc = (a: Arg | undefined): boolean => a?.kind === 'func' || (a?.kind === 'list' && a.items.some(hasFunc));

function neutralCall(c: FoundCall) {
  return {
    kind: c.kind, family: c.family, variable: spell(c.variable), schedulerIndex: c.schedulerIndex, memberOf: c.memberOf,
    unknown: c.unknownReason !== null, bindFailure: c.bindFailure,
    args: Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, neutralArg(v)])),
    argInfo: c.argInfo.map((a) => ({
      name: a.name, known: a.known, isDefault: a.isDefault, assumed: a.assumed ?? false,
      display: hasFunc(c.args[a.name]) ? '<callable>' : spell(a.display),
      given: a.range !== null, origin: a.origin !== undefined, reason: a.reason !== undefined,
    })),
    optimizer: c.optimizer && {
      type: c.optimizer.type, variable: spell(c.optimizer.variable), groupLrs: c.optimizer.groupLrs, built: c.optimizer.range !== null,
      assumptions: c.optimizer.assumptions.map(mask),
    },
    uses: c.uses.map((u) => ({ method: u.method, args: u.args.map(neutralArg) })),
  };
}

function neutralProgram(p: Program) {
  return { optimizers: p.optimizers, schedulers: p.schedulers.map((s) => ({ ...s, args: Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, neutralArg(v)])) })) };
}

const inOrder = <T extends { range: Range }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);

/** Float64Arrays as their bytes: equal only when bit-equal (NaN payloads and -0 included). */
const bits = (xs: Float64Array[] | undefined) => xs?.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex'));

function neutralAnalysis(s: SchedulerAnalysis) {
  return {
    id: s.kind, variable: spell(s.variable), horizon: s.horizon, failure: s.failure, error: s.error !== null,
    // The run's notes ("run length: …") are the run's, which is Python's only (see above).
    explanation: s.explanation !== undefined, notes: s.notes.filter((n) => !n.startsWith('run length: ')).map(mask),
    // What was assumed and its value; the why is each frontend's wording.
    assumed: s.assumed.map((a) => ({ what: spell(a.what), value: a.value, param: a.param, member: a.member, placeholder: a.placeholder })),
    diagnostics: s.diagnostics.map((d) => [d.code, d.severity]).sort(),
    curve: s.curve && {
      lrs: bits(s.curve.lrs), momentum: s.curve.momentum && { label: s.curve.momentum.label, values: bits(s.curve.momentum.values) },
      markers: s.curve.markers, summary: s.curve.summary,
    },
  };
}

describe('analysis/parity: the same programs in Python and TypeScript', () => {
  it('has at least 30 programs', () => assert.ok(CASES.length >= 30, String(CASES.length)));

  for (const c of CASES) {
    it(c.name, async () => {
      const py = pyProgram(c.py);
      const ts = tsProgram(c.ts);
      const [pyFe, tsFe] = [await analyzePy(py, c.opts), await analyzeTs(ts, 'typescript', c.opts)];
      const [pyRes, tsRes] = [await analyze(py, 'python', c.opts), await analyze(ts, 'typescript', c.opts)];
      assert.ok(pyRes.schedulers.length > 0, 'no scheduler found in the Python program');

      // Python lists calls in evaluation order, TS in source order: compared in source order.
      assert.deepStrictEqual(inOrder(tsFe.calls).map(neutralCall), inOrder(pyFe.calls).map(neutralCall));
      assert.deepStrictEqual(neutralProgram(tsFe.program), neutralProgram(pyFe.program));
      assert.deepStrictEqual(inOrder(tsRes.schedulers).map(neutralAnalysis), inOrder(pyRes.schedulers).map(neutralAnalysis));
      assert.deepStrictEqual(tsRes.diagnostics.map((d) => d.code), pyRes.diagnostics.map((d) => d.code));
      c.check?.(pyRes, pyFe);
      c.check?.(tsRes, tsFe);
    });
  }
});
