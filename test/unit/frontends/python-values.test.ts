/**
 * Issue 10, the Python evaluator's part: values followed the way real code passes them
 * (wrappers that hand back the optimizer, a parser through a helper, call sites, constructors,
 * Lightning hparams, dataclasses, branches the default arguments do not take). Fixtures in
 * test/fixtures/repo/values; the expected curves are torch's formulas, computed here.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze as analyzeFile } from '../../../src/analysis/analyze';
import type { AnalysisResult, FoundCall, SchedulerAnalysis } from '../../../src/analysis/types';
import { analyze, callOf } from './python-helpers';
import { CallSites } from '../../../src/frontends/python/callsites';
import { float, unknown, type PyVal } from '../../../src/frontends/python/values';

// out/test/unit/frontends → test/fixtures/repo/values in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/repo/values');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const info = (call: FoundCall, name: string) => call.argInfo.find((a) => a.name === name)!;
const byVar = (r: AnalysisResult, v: string): SchedulerAnalysis => {
  const found = r.schedulers.filter((s) => s.variable === v);
  assert.strictEqual(found.length, 1, `one scheduler bound to ${v}: ${JSON.stringify(r.schedulers.map((s) => s.variable))}`);
  return found[0]!;
};
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => d.code);
/** torch's CosineAnnealingLR closed form (eta_min 0). */
const cosine = (base: number, t: number, tMax: number) => (base * (1 + Math.cos((Math.PI * t) / tMax))) / 2;

describe('python values: wrappers that hand back the optimizer', () => {
  it('the issue\'s example 1: accelerator.prepare keeps lr 3e-3; the SequentialLR has its exact curve and no LR121', async () => {
    const r = await analyzeFile(read('accelerate_sequential.py'), 'python', { steps: 400 });
    const s = byVar(r, 'scheduler');
    assert.ok(s.curve, s.error ?? '');
    assert.ok(!codes(s).includes('LR121'), JSON.stringify(codes(s)));
    assert.deepStrictEqual(s.optimizer?.groupLrs, [3e-3]);
    assert.deepStrictEqual(s.assumed, []);
    const lrs = s.curve.lrs[0]!;
    // LambdaLR(step / 100) for 100 steps, then CosineAnnealingLR(T_max=500) from its start.
    for (const k of [0, 1, 50, 99]) close(lrs[k]!, 3e-3 * (k / 100), `warm-up step ${k}`);
    for (const k of [100, 101, 250, 399]) close(lrs[k]!, cosine(3e-3, k - 100, 500), `cosine step ${k}`);
  });

  it('prepare of several objects in any order: each comes back in its place, the rest is unknown', async () => {
    const res = await analyze(read('accelerate_sequential.py'));
    const step = callOf(res, 'step');
    const after = callOf(res, 'after');
    // `step, model, opt2, train_dl = accelerator.prepare(step, model, opt2, train_dl)`: opt2 is still SGD(lr=0.05).
    assert.deepStrictEqual(after.optimizer?.groupLrs, [0.05]);
    assert.strictEqual(after.optimizer?.type, 'SGD');
    assert.strictEqual(after.optimizer, step.optimizer);
    assert.strictEqual(after.optimizer?.assumptions.length, 0);
  });

  it('Fabric setup / setup_optimizers, horovod, apex amp, deepspeed and ZeroRedundancyOptimizer', async () => {
    const r = await analyzeFile(read('distributed_wrappers.py'), 'python', { steps: 6 });
    const lrs = (v: string) => Array.from(byVar(r, v).curve?.lrs[0] ?? []);
    const expect = (v: string, f: (k: number) => number) => lrs(v).forEach((x, k) => close(x, f(k), `${v} step ${k}`));
    expect('fab_sched', (k) => 2e-3 * 0.5 ** Math.floor(k / 2));
    expect('fab_sched2', (k) => 0.3 * 0.5 ** k);
    expect('hvd_sched', (k) => 0.01 * 4 * 0.1 ** k);
    expect('amp_sched', (k) => 0.02 * 0.8 ** k);
    expect('ds_after', (k) => 1e-4 * 0.5 ** k);
    expect('zero_sched', (k) => 5e-4 * 0.5 ** k);
    for (const v of ['fab_sched', 'fab_sched2', 'hvd_sched', 'amp_sched', 'ds_after', 'zero_sched']) {
      assert.strictEqual(lrs(v).length, 6, v);
      assert.deepStrictEqual(byVar(r, v).assumed, [], v);
    }
    assert.strictEqual(byVar(r, 'zero_sched').optimizer?.type, 'Adam');
    // DeepSpeed without an optimizer builds one from its config: not read, so assumed and said so.
    const own = byVar(r, 'ds_unknown');
    assert.deepStrictEqual(own.assumed.map((a) => [a.what, a.value, a.placeholder]), [['optimizer', 'SGD(lr=0.1)', true]]);
    assert.match(own.assumed[0]!.why, /DeepSpeed builds the optimizer from its config, which is not read/);
  });
});

describe('python values: never confidently wrong about code it cannot see', () => {
  it('an instance with `__call__` given as lr_lambda is its bound method (torch 1.13: 0.020000000000000004, 0.1, 0.07500000000000001, 0.0 at steps 0, 5, 20, 50)', async () => {
    const src = 'import math, torch\nfrom torch.optim.lr_scheduler import LambdaLR\n' +
      'class WarmupCosine:\n    def __init__(self, warmup, total):\n        self.warmup = warmup\n        self.total = total\n' +
      '    def __call__(self, step):\n        if step < self.warmup:\n            return (step + 1) / self.warmup\n' +
      '        p = (step - self.warmup) / max(1, self.total - self.warmup)\n        return 0.5 * (1 + math.cos(math.pi * p))\n' +
      'opt = torch.optim.SGD(params, lr=0.1)\ns = LambdaLR(opt, lr_lambda=WarmupCosine(5, 50))\n';
    const r = await analyzeFile(src, 'python', { steps: 51 });
    const lrs = byVar(r, 's').curve!.lrs[0]!;
    assert.deepStrictEqual([lrs[0], lrs[5], lrs[20], lrs[50]], [0.020000000000000004, 0.1, 0.07500000000000001, 0]);
  });

  it('operators, truth tests and conversions on an instance whose class defines them (or derives from a library class) are unknown, never a TypeError or a guess', async () => {
    const head = 'import torch\nfrom torch.optim.lr_scheduler import ExponentialLR\nopt = torch.optim.SGD(p, lr=0.1)\n' +
      'class V:\n    def __init__(self, x):\n        self.x = x\n    def __mul__(self, o):\n        return 0.5\n    def __float__(self):\n        return 0.5\n' +
      'class Empty(dict):\n    pass\nclass P:\n    pass\n';
    const reason = async (expr: string) => callOf(await analyze(`${head}s = ExponentialLR(opt, gamma=${expr})\n`), 's').unknownReason;
    assert.strictEqual(await reason('V(1) * 2'), '`gamma`: `*` on an instance is not evaluated (`V` defines `__mul__`, `__float__`)');
    assert.strictEqual(await reason('float(V(1))'), '`gamma`: `float(V(1))`: `float()` of an instance is not evaluated (`V` defines `__mul__`, `__float__`)');
    // An empty dict subclass is falsy in Python: `0.5 if Empty() else 0.9` is not guessed.
    assert.match(await reason('0.5 if Empty() else 0.9') ?? '', /Empty/);
    // A plain class: Python's own errors, and truthy.
    assert.strictEqual(await reason('P() * 2'), "`gamma`: `P() * 2` raises TypeError: unsupported operand type(s) for *: 'P' and 'int'");
    assert.strictEqual(await reason('0.5 if P() else 0.9'), null);
    // `is` compares identity whatever the class defines.
    assert.strictEqual(await reason('0.5 if V(1) is None else 0.9'), null);
  });

  it('calling an instance: its class\'s `__call__` runs (through a base); an nn.Module subclass\'s is unknown, never "not callable"; a plain class\'s raises', async () => {
    const head = 'import torch\nfrom torch.optim.lr_scheduler import ExponentialLR\nopt = torch.optim.SGD(p, lr=0.1)\n' +
      'class Decay:\n    def __init__(self, g):\n        self.g = g\n    def __call__(self, e):\n        return self.g\nclass Sub(Decay):\n    pass\n' +
      'class Net(torch.nn.Module):\n    pass\nclass Plain:\n    pass\n';
    const called = callOf(await analyze(`${head}s = ExponentialLR(opt, gamma=Sub(0.7)(3))\n`), 's');
    assert.deepStrictEqual(called.args['gamma'], { kind: 'float', value: 0.7 });
    const net = callOf(await analyze(`${head}s = ExponentialLR(opt, gamma=Net()(3))\n`), 's');
    assert.strictEqual(net.unknownReason, '`gamma`: `Net()(3)`: calling a `Net` instance (its class derives from `torch.nn.Module`) is not evaluated');
    const plain = callOf(await analyze(`${head}s = ExponentialLR(opt, gamma=Plain()(3))\n`), 's');
    assert.strictEqual(plain.unknownReason, "`gamma`: `Plain()(3)`: 'Plain' object is not callable");
  });

  it('subscripting an instance of a dict subclass (HiFi-GAN\'s AttrDict) or of a class with `__getitem__` is unknown, never a TypeError; a plain class\'s instance still raises', async () => {
    const head = 'import torch\nfrom torch.optim.lr_scheduler import ExponentialLR\nopt = torch.optim.SGD(p, lr=0.1)\n' +
      'class AttrDict(dict):\n    def __init__(self, *args, **kwargs):\n        super(AttrDict, self).__init__(*args, **kwargs)\n        self.__dict__ = self\n' +
      'class Cfg:\n    def __getitem__(self, k):\n        return 0.5\nclass Sub(Cfg):\n    pass\nclass Plain:\n    pass\n';
    for (const [value, reason] of [
      ['AttrDict({"d": 0.9})', '`gamma`: `AttrDict[…]`: the items of an instance of a class that derives from `dict` are not evaluated'],
      ['Sub()', '`gamma`: `Sub[…]`: the items of an instance of a class that defines `__getitem__` (`Cfg`) are not evaluated'],
    ]) {
      const s = callOf(await analyze(`${head}h = ${value}\ns = ExponentialLR(opt, gamma=h["d"])\n`), 's');
      assert.strictEqual(s.unknownReason, reason);
    }
    const plain = callOf(await analyze(`${head}h = Plain()\ns = ExponentialLR(opt, gamma=h["d"])\n`), 's');
    assert.match(plain.unknownReason ?? '', /TypeError: 'Plain' object is not subscriptable/);
  });

  it('the issue\'s example 2: a parser through wrap_arg_parser keeps its options, labelled; no false TypeError', async () => {
    const r = await analyzeFile(read('parser_wrapped.py'), 'python', { steps: 5 });
    const s = byVar(r, 'sched');
    assert.strictEqual(s.failure, null);
    assert.ok(!s.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(s.diagnostics));
    Array.from(s.curve!.lrs[0]!).forEach((x, k) => close(x, 3e-4 * 0.98 ** k, `step ${k}`));
    const gamma = s.argInfo.find((a) => a.name === 'gamma')!;
    assert.strictEqual(gamma.assumed, true);
    assert.ok(gamma.origin?.includes('default of --lr_decay_rate'), gamma.origin);
    assert.ok(gamma.origin?.includes('`wrap_arg_parser` may change the options'), gamma.origin);
    // Labelled in the structured assumptions every view shows (and the JSON's "assumed").
    assert.deepStrictEqual(s.assumed.map((a) => [a.what, a.value]), [['gamma', 0.98], ['lr', 3e-4]]);
    for (const a of s.assumed) assert.ok(a.why.includes('`wrap_arg_parser` may change the options'), a.why);
  });

  it('a value from an unseen function is unknown with a reason, never an object that fails arithmetic', async () => {
    const r = await analyzeFile(read('parser_wrapped.py'), 'python', { steps: 5 });
    for (const v of ['bad', 'worse']) {
      const s = byVar(r, v);
      assert.strictEqual(s.curve, null, v);
      assert.strictEqual(s.failure, null, v);
      assert.ok(!s.diagnostics.some((d) => d.severity === 'error'), `${v}: ${JSON.stringify(s.diagnostics)}`);
      assert.ok(/distributed_utils\.load_config\(\)\.gamma/.test(s.error ?? ''), `${v}: ${s.error}`);
      assert.ok(!/TypeError|must be real number/.test(s.error ?? ''), `${v}: ${s.error}`);
    }
  });

  it('an unseen object as gamma, lr_lambda or T_max: unknown, never a type error', async () => {
    const src = 'import torch, mylib\nfrom torch.optim.lr_scheduler import ExponentialLR, LambdaLR, CosineAnnealingLR\n' +
      'opt = torch.optim.SGD(p, lr=0.1)\nh = mylib.Helper()\n' +
      'a = ExponentialLR(opt, gamma=h.gamma)\nb = LambdaLR(opt, lr_lambda=h.schedule)\nc = CosineAnnealingLR(opt, T_max=h.steps())\n';
    const r = await analyzeFile(src, 'python');
    for (const v of ['a', 'b', 'c']) {
      const s = byVar(r, v);
      assert.strictEqual(s.failure, null, v);
      assert.ok(s.error && !/TypeError/.test(s.error), `${v}: ${s.error}`);
      assert.ok(/mylib\.Helper\(\)/.test(s.error!), `${v}: ${s.error}`);
    }
  });
});

describe('python values: through calls', () => {
  it('the issue\'s example 3: lr through **kwargs into a constructor, max_epochs from its default', async () => {
    const res = await analyze(read('kwargs_model.py'));
    const m = res.calls.find((c) => c.kind === 'MultiStepLR')!;
    assert.deepStrictEqual(m.optimizer?.groupLrs, [1e-3]);
    // int(100 * 0.6)
    assert.deepStrictEqual(m.args['milestones'], { kind: 'list', items: [{ kind: 'int', value: 60 }] });
    assert.ok(m.optimizer?.assumptions.some((a) => a.includes('from the call at line 20')), JSON.stringify(m.optimizer?.assumptions));
  });

  it('Lightning: save_hyperparameters() and self.hparams.x / self.hparams["x"] take the values of the call', async () => {
    const r = await analyzeFile(read('lightning_hparams.py'), 'python');
    const one = byVar(r, 'onecycle');
    assert.deepStrictEqual(one.args, { max_lr: 2e-4 * 10, total_steps: 500 });
    assert.deepStrictEqual(one.optimizer?.groupLrs, [2e-4]);
    assert.strictEqual(one.curve?.lrs[0]!.length, 500);
    assert.ok(info(one as unknown as FoundCall, 'max_lr').origin?.includes('from the call at line 20'));
    // step_size and gamma are not passed: __init__'s defaults.
    const step = byVar(r, 'step');
    assert.deepStrictEqual(step.args, { step_size: 30, gamma: 0.5 });
  });

  it('a dataclass and its defaults (field(default=…)) through calls', async () => {
    const res = await analyze(read('dataclass_cfg.py'));
    const cos = callOf(res, 'cosine');
    assert.deepStrictEqual(cos.args['T_max'], { kind: 'int', value: 30 });
    assert.deepStrictEqual(cos.optimizer?.groupLrs, [1e-3]);
    const step = res.calls.find((c) => c.kind === 'StepLR')!;
    assert.deepStrictEqual(step.args['step_size'], { kind: 'int', value: 30 });
    assert.deepStrictEqual(step.args['gamma'], { kind: 'float', value: 0.5 });
  });

  it('opt = parse_opt(); main(opt) → train(hyp, opt, device) with tuple unpacking', async () => {
    const r = await analyzeFile(read('yolo_style.py'), 'python', { steps: 300 });
    const s = byVar(r, 'scheduler');
    assert.deepStrictEqual(s.optimizer?.groupLrs, [0.01]);
    // --cos-lr is off by default: the linear lambda, (1 - x / 300) * (1 - 0.01) + 0.01.
    const lrs = s.curve!.lrs[0]!;
    for (const k of [0, 1, 150, 299]) close(lrs[k]!, 0.01 * ((1 - k / 300) * (1 - 0.01) + 0.01), `step ${k}`);
    const lam = s.argInfo.find((a) => a.name === 'lr_lambda')!;
    assert.strictEqual(lam.assumed, true);
    assert.ok(lam.origin?.includes('`opt.cos_lr` is false with the default arguments'), lam.origin);
  });

  it('a scheduler factory called twice: each call previewed with its own arguments, the second at its call', async () => {
    const src = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\n' +
      'def make(opt, T):\n    return CosineAnnealingLR(opt, T_max=T)\n' +
      'o1 = torch.optim.SGD(params, lr=0.1)\no2 = torch.optim.SGD(params, lr=0.2)\na = make(o1, 10)\nb = make(o2, 50)\nb.step()\n';
    const r = await analyzeFile(src, 'python');
    assert.strictEqual(r.schedulers.length, 2);
    const [first, second] = r.schedulers as [SchedulerAnalysis, SchedulerAnalysis];
    // The first call's scheduler at the construction (line 4), the second's at its call `make(o2, 50)` (line 8), bound to b.
    assert.deepStrictEqual([first.range.start, first.args], [{ line: 3, character: 11 }, { T_max: 10 }]);
    assert.deepStrictEqual([second.range.start, second.variable, second.args], [{ line: 7, character: 4 }, 'b', { T_max: 50 }]);
    assert.strictEqual(first.curve!.lrs[0]!.length, 11);
    assert.strictEqual(second.curve!.lrs[0]!.length, 51);
    Array.from(first.curve!.lrs[0]!).forEach((x, k) => close(x, cosine(0.1, k, 10), `first step ${k}`));
    Array.from(second.curve!.lrs[0]!).forEach((x, k) => close(x, cosine(0.2, k, 50), `second step ${k}`));
    assert.deepStrictEqual(first.notes, ['`make()` builds another CosineAnnealingLR at its call on line 8, previewed there: this preview is the one built by its call on line 7']);
    assert.deepStrictEqual(second.notes, ['the CosineAnnealingLR written in `make()`, built by this call with its own arguments (its call on line 7 builds the one previewed at the construction)']);
    // `b.step()` steps the second one.
    assert.strictEqual(second.run?.stepSites.length, 1);
    assert.strictEqual(first.run?.stepSites.length ?? 0, 0);
  });

  it('what torch raises for the values of another call of a factory is shown at that call, without the factory\'s quick fixes', async () => {
    const src = 'import torch\nfrom torch.optim.lr_scheduler import StepLR\ndef make(o, s):\n    return StepLR(o, step_size=s)\n' +
      'o = torch.optim.SGD(p, lr=0.1)\na = make(o, 10)\nb = make(o, 0)\n';
    const r = await analyzeFile(src, 'python', { steps: 3 });
    const [first, second] = r.schedulers as [SchedulerAnalysis, SchedulerAnalysis];
    assert.ok(!first.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(first.diagnostics));
    // step_size 0: torch's `self.last_epoch % self.step_size` at the first step() (ZeroDivisionError), at `make(o, 0)`.
    const err = second.diagnostics.find((d) => d.severity === 'error');
    assert.ok(err, JSON.stringify(second.diagnostics));
    assert.match(err.message, /^ZeroDivisionError: integer modulo by zero/);
    assert.deepStrictEqual([err.range, err.fixes], [second.range, undefined]);
    assert.deepStrictEqual(second.range.start, { line: 6, character: 4 });
  });

  it('a factory reached through a helper called twice: one preview per call of the helper; a body walked again is not another', async () => {
    const head = 'import torch\nfrom torch.optim.lr_scheduler import StepLR\np = [1]\n' +
      'def make(o, g):\n    return StepLR(o, step_size=1, gamma=g)\n';
    const twice = await analyzeFile(`${head}def build(o, g):\n    return make(o, g)\nx = build(torch.optim.SGD(p, lr=0.1), 0.5)\ny = build(torch.optim.SGD(p, lr=0.3), 0.1)\n`, 'python', { steps: 3 });
    assert.deepStrictEqual(twice.schedulers.map((s) => [s.variable, s.range.start.line, Array.from(s.curve!.lrs[0]!)]),
      [[null, 4, [0.1, 0.1 * 0.5, 0.1 * 0.5 * 0.5]], ['y', 8, [0.3, 0.3 * 0.1, 0.3 * 0.1 * 0.1]]]);
    // main() runs make() once; the walk of main's body meets the same call again: the same scheduler, no note.
    const once = await analyzeFile(`${head}def main():\n    o = torch.optim.SGD(p, lr=0.1)\n    s = make(o, 0.5)\n    s.step()\nmain()\n`, 'python', { steps: 3 });
    assert.strictEqual(once.schedulers.length, 1);
    assert.deepStrictEqual(once.schedulers[0]!.notes, []);
  });

  it('an instance that reaches itself (`self.__dict__ = self`), passed again by a second walk of its caller, is the same value, not one that "changes between runs"', async () => {
    // hifi-gan's AttrDict: main() runs when called, and its body is walked again; each builds a new `h`.
    const src = 'import torch\nfrom torch.optim.lr_scheduler import ExponentialLR\n' +
      'class AttrDict(dict):\n    def __init__(self, *args, **kwargs):\n        super(AttrDict, self).__init__(*args, **kwargs)\n        self.__dict__ = self\n        self.decay = 0.5\n' +
      'def train(rank, h):\n    opt = torch.optim.SGD(p, lr=0.1)\n    s = ExponentialLR(opt, gamma=h.decay)\n' +
      'def main():\n    h = AttrDict({})\n    train(0, h)\nif __name__ == "__main__":\n    main()\n';
    const s = callOf(await analyze(src), 's');
    assert.deepStrictEqual(s.args['gamma'], { kind: 'float', value: 0.5 }, s.unknownReason ?? '');
  });

  it('a call site met again: unknown in one run keeps that run\'s reason; only two known values that differ "change between runs"', () => {
    const sites = new CallSites();
    const params = (g: PyVal) => new Map<string, PyVal>([['g', g]]);
    const again = (first: PyVal, second: PyVal) => {
      sites.note('f', 'site', 'line 7', params(first));
      sites.note('f', 'site', 'line 7', params(second));
      const v = sites.sitesOf('f').get('site')!.params.get('g')!;
      sites.note('other', 'x', 'x', new Map());
      return v;
    };
    const fresh = () => { (sites as unknown as { byFn: Map<string, unknown> }).byFn.clear(); };
    fresh();
    assert.deepStrictEqual(again(unknown('`cfg` is read from a file'), unknown('`cfg` is read from a file, walked')), unknown('`cfg` is read from a file'));
    fresh();
    assert.deepStrictEqual(again(float(0.5), unknown('`json.load(f)`: the file name is not known')),
      unknown('`g` is not known at every run of the call at line 7: `json.load(f)`: the file name is not known'));
    fresh();
    assert.deepStrictEqual(again(unknown('`x` is set at run time'), float(0.5)), unknown('`x` is set at run time'));
    fresh();
    assert.deepStrictEqual(again(float(0.5), float(0.9)), unknown('`g` changes between runs of the call at line 7'));
    fresh();
    assert.deepStrictEqual(again(float(0.5), float(0.5)), float(0.5));
  });

  it('two calls passing different argparse namespaces (DETR\'s main.py and run_with_submitit.py): what they agree on is known, the rest names both', async () => {
    const src = 'import argparse, torch\nfrom torch.optim.lr_scheduler import StepLR\n' +
      'def get_args_parser():\n    p = argparse.ArgumentParser(add_help=False)\n    p.add_argument("--lr", default=1e-4, type=float)\n    p.add_argument("--lr_drop", default=200, type=int)\n    return p\n' +
      'def main(args):\n    opt = torch.optim.AdamW(params, lr=args.lr)\n    s = StepLR(opt, args.lr_drop, gamma=args.gamma)\n' +
      'def submit():\n    p = argparse.ArgumentParser(parents=[get_args_parser()])\n    p.add_argument("--ngpus", default=8, type=int)\n    p.add_argument("--gamma", default=0.5, type=float)\n    main(p.parse_args())\n' +
      'if __name__ == "__main__":\n    p = argparse.ArgumentParser(parents=[get_args_parser()])\n    p.add_argument("--gamma", default=0.1, type=float)\n    main(p.parse_args())\n    submit()\n';
    const s = callOf(await analyze(src), 's');
    assert.deepStrictEqual(s.optimizer?.groupLrs, [1e-4]);
    assert.deepStrictEqual(s.args['step_size'], { kind: 'int', value: 200 });
    const step = info(s, 'step_size');
    assert.ok(step.origin?.includes('from the calls at line 19, line 20 (through line 15)'), step.origin);
    // gamma: 0.1 from one parser, 0.5 from the other.
    assert.strictEqual(s.schedulerIndex, null);
    assert.strictEqual(s.unknownReason, '`gamma`: `args.gamma` (parameter `args` of `main()`): 2 call sites disagree: line 19 passes 0.1, line 20 (through line 15) passes 0.5');
  });

  it('Lightning Fabric: fabric.launch(main, *args) calls `main(fabric, *args)` (litgpt\'s finetune scripts)', async () => {
    const src = 'import torch\nimport lightning as L\nfrom torch.optim.lr_scheduler import LambdaLR\n' +
      'def main(fabric, warmup_steps):\n    opt = torch.optim.AdamW(p, lr=3e-4)\n    s = LambdaLR(opt, lambda step: min(1.0, step / warmup_steps))\n' +
      'def setup(devices=1):\n    fabric = L.Fabric(devices=devices)\n    fabric.launch(main, 100)\nsetup()\n';
    const s = callOf(await analyze(src), 's');
    assert.notStrictEqual(s.schedulerIndex, null, s.unknownReason ?? '');
    const f = (s.args['lr_lambda'] as { kind: 'func'; call: (x: number) => number }).call;
    assert.deepStrictEqual([f(0), f(50), f(100), f(200)], [0, 0.5, 1, 1]);
  });

  it('torch.multiprocessing.spawn(train, args=(…)) calls `train(index, …)`: the function\'s parameters take those values', async () => {
    const src = 'import torch\nimport torch.multiprocessing as mp\nfrom torch.optim.lr_scheduler import ExponentialLR\n' +
      'def run(rank, n_gpus, decay):\n    torch.cuda.set_device(rank)\n    opt = torch.optim.SGD(p, lr=0.1)\n    s = ExponentialLR(opt, gamma=decay)\n' +
      'def main():\n    mp.spawn(run, nprocs=2, args=(2, 0.9))\nmain()\n';
    const s = callOf(await analyze(src), 's');
    assert.deepStrictEqual(s.args['gamma'], { kind: 'float', value: 0.9 }, s.unknownReason ?? '');
    // The process index stays unknown; a function spawned with arguments LR Lens cannot see keeps its parameters unknown.
    const vague = callOf(await analyze(src.replace('args=(2, 0.9)', 'args=extra')), 's');
    assert.strictEqual(vague.schedulerIndex, null);
  });

  it('parameters of a function walked on its own: one value when the calls agree, the calls listed when not', async () => {
    // Running a call stops at the unknown condition, so the body is walked with the call sites' values.
    const body = 'def build(optimizer, epochs):\n    if mylib.ready():\n        print("ready")\n    return CosineAnnealingLR(optimizer, T_max=epochs)\n';
    const head = 'import torch, mylib\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nopt = torch.optim.SGD(p, lr=0.1)\n';
    const agree = await analyze(`${head}${body}build(opt, epochs=40)\nbuild(opt, 40)\n`);
    const s1 = agree.calls.find((c) => c.kind === 'CosineAnnealingLR')!;
    assert.deepStrictEqual(s1.args['T_max'], { kind: 'int', value: 40 });
    const t1 = s1.argInfo.find((a) => a.name === 'T_max')!;
    assert.strictEqual(t1.assumed, true);
    assert.ok(t1.origin?.includes('from the calls at line 8, line 9'), t1.origin);
    const disagree = await analyze(`${head}${body}build(opt, epochs=40)\nbuild(opt, 50)\n`);
    const s2 = disagree.calls.find((c) => c.kind === 'CosineAnnealingLR')!;
    assert.strictEqual(s2.schedulerIndex, null);
    assert.strictEqual(s2.unknownReason, '`T_max`: parameter `epochs` of `build()`: 2 call sites disagree: line 8 passes 40, line 9 passes 50');
  });
});

describe('python values: every construction is previewed, on every branch', () => {
  it('torchvision\'s lr_scheduler switch: each branch built with its own arguments and labelled', async () => {
    const r = await analyzeFile(read('torchvision_branches.py'), 'python', { steps: 90 });
    const at = (kind: string) => {
      const s = r.schedulers.find((x) => x.kind === kind);
      assert.ok(s, kind);
      return s;
    };
    const step = at('StepLR');
    const cos = at('CosineAnnealingLR');
    const exp = at('ExponentialLR');
    assert.ok(step.notes.includes('on the branch `args.lr_scheduler == "steplr"`, taken with the default arguments'), JSON.stringify(step.notes));
    assert.ok(cos.notes.includes('on the branch `args.lr_scheduler == "cosineannealinglr"`, not taken with the default arguments'), JSON.stringify(cos.notes));
    assert.ok(exp.notes.includes('on the branch `args.lr_scheduler == "exponentiallr"`, not taken with the default arguments'), JSON.stringify(exp.notes));
    assert.deepStrictEqual(step.args, { step_size: 30, gamma: 0.1 });
    // T_max = epochs - warm-up epochs = 90 - 0; the optimizer's lr is --lr's default.
    assert.deepStrictEqual(cos.args, { T_max: 90, eta_min: 0 });
    Array.from(cos.curve!.lrs[0]!).forEach((x, k) => close(x, cosine(0.1, k, 90), `cosine step ${k}`));
    Array.from(exp.curve!.lrs[0]!).slice(0, 5).forEach((x, k) => close(x, 0.1 * 0.1 ** k, `exponential step ${k}`));
    // The construction after the switch (SequentialLR with the warm-up) still sees the taken branch's scheduler.
    const seq = r.schedulers.find((x) => x.kind === 'SequentialLR');
    assert.ok(!seq || seq.error === null || !/unknown|differ/.test(seq.error), seq?.error ?? '');
  });

  it('what a branch not taken sets on shared objects (self.x, a list) is undone after its preview', async () => {
    const src = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR, StepLR\n' +
      'class M:\n    def __init__(self, kind="step"):\n        self.kind = kind\n        self.opt = torch.optim.SGD(p, lr=0.1)\n' +
      '        self.all = []\n        if self.kind == "step":\n            self.sched = StepLR(self.opt, step_size=2)\n' +
      '        else:\n            self.sched = CosineAnnealingLR(self.opt, T_max=10)\n            self.all.append(self.sched)\n' +
      '    def fit(self, n):\n        self.sched.step()\n        self.all[0].step()\n' +
      'm = M()\n';
    const res = await analyze(src);
    const step = res.calls.find((c) => c.kind === 'StepLR')!;
    const cos = res.calls.find((c) => c.kind === 'CosineAnnealingLR')!;
    assert.strictEqual(cos.branch?.taken, false);
    assert.deepStrictEqual(cos.args['T_max'], { kind: 'int', value: 10 });
    assert.deepStrictEqual(step.uses.map((u) => u.method), ['step']);
    assert.deepStrictEqual(cos.uses, []);
  });

  it('a helper called on a branch not taken does not make the default path\'s construction ambiguous', async () => {
    const src = 'import argparse, torch\nfrom torch.optim.lr_scheduler import StepLR\ndef build(opt, step):\n    return StepLR(opt, step_size=step)\n' +
      'parser = argparse.ArgumentParser()\nparser.add_argument("--sched", default="step")\nargs = parser.parse_args()\n' +
      'opt = torch.optim.SGD(params, lr=0.1)\nif args.sched == "fast":\n    s = build(opt, 2)\nelse:\n    s = build(opt, 30)\n';
    const res = await analyze(src);
    const s = res.calls.find((c) => c.kind === 'StepLR')!;
    assert.notStrictEqual(s.schedulerIndex, null, s.unknownReason ?? '');
    assert.deepStrictEqual(s.args['step_size'], { kind: 'int', value: 30 });
    assert.deepStrictEqual(s.branch, { note: 'on the `else` branch of `args.sched == "fast"`, taken with the default arguments', taken: true });
  });

  it('a helper called only on a branch the defaults do not take: its construction previewed with that call\'s values, labelled as on that branch', async () => {
    const text = read('helper_branches.py');
    const line = (t: string) => text.split('\n').findIndex((l) => l.includes(t)) + 1;
    const r = await analyzeFile(text, 'python', { steps: 80 });
    const cos = r.schedulers.find((s) => s.kind === 'LambdaLR')!;
    const multi = r.schedulers.find((s) => s.kind === 'MultiStepLR')!;
    assert.deepStrictEqual(cos.notes, [`on the branch \`args.scheduler == "cosine"\`, not taken with the default arguments (\`build_warmup_cosine()\` is called there, at line ${line('scheduler = build_warmup_cosine(')})`]);
    assert.ok(multi.notes.includes(`on the \`else\` branch of \`args.scheduler == "cosine"\`, taken with the default arguments (\`build_multistep()\` is called there, at line ${line('scheduler = build_multistep(')})`), JSON.stringify(multi.notes));
    // --lr 0.05, --epochs 80, --warmup-epochs 5: (epoch + 1) / 5 for 5 epochs, then a half cosine over 75.
    const lam = (e: number) => (e < 5 ? (e + 1) / 5 : 0.5 * (1.0 + Math.cos(Math.PI * (e - 5) / 75)));
    Array.from(cos.curve!.lrs[0]!).forEach((x, k) => close(x, 0.05 * lam(k), `cosine step ${k}`));
    Array.from(multi.curve!.lrs[0]!).forEach((x, k) => close(x, 0.05 * 0.1 ** ((k >= 30 ? 1 : 0) + (k >= 60 ? 1 : 0)), `multistep step ${k}`));
  });

  it('a branch on a known constant is not previewed (it never runs, whatever the arguments)', async () => {
    const src = 'import torch\nfrom torch.optim.lr_scheduler import StepLR\nopt = torch.optim.SGD(p, lr=0.1)\nDEBUG = False\n' +
      'if DEBUG:\n    s = StepLR(opt, 3)\n';
    const res = await analyze(src);
    const s = res.calls.find((c) => c.kind === 'StepLR')!;
    assert.strictEqual(s.schedulerIndex, null);
    assert.ok(/always false/.test(s.unknownReason ?? ''), s.unknownReason ?? '');
  });
});
