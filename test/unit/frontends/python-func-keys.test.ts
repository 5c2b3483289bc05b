/**
 * The Python frontend's keys of callables (funcKey.ts; engine/types.ts func Arg `key`): a key exactly when every
 * value the function gives is a function of what the key writes down. Checked in both directions: what the
 * function's result depends on changes the key (two texts whose curves differ never share a key), what it does not
 * depend on leaves it; values that a function the engine runs might change, or that cannot be written down, give
 * none. With a document session, the simulations of keyed callables are kept across edits and every result is the
 * from-scratch one.
 */
import * as assert from 'assert';
import { analyze as analyzeDocument } from '../../../src/analysis/analyze';
import { DocumentSession } from '../../../src/analysis/incremental';
import type { AnalyzeOptions } from '../../../src/analysis/types';
import { generateScript } from '../../../bench/analysis';
import { analyze, callOf } from './python-helpers';
import { comparable } from '../analysis/comparable';

const HEAD = 'import math\nimport functools\nimport torch\nfrom torch.optim.lr_scheduler import LambdaLR\nopt = torch.optim.SGD([], lr=0.1)\n';

/** The lr_lambda Arg of `s = LambdaLR(…)` in `body` (after HEAD): its key, or null when it has none; fails when it is not a callable. */
async function keyOf(body: string): Promise<string | null> {
  const res = await analyze(`${HEAD}${body}\n`);
  const arg = callOf(res, 's').args['lr_lambda'];
  assert.ok(arg && arg.kind === 'func', `lr_lambda is a callable: ${JSON.stringify(arg)}`);
  return arg.key ?? null;
}

/** The curve of `s` over 12 steps (its values, or its error). */
async function curveOf(body: string): Promise<string> {
  const r = await analyzeDocument(`${HEAD}${body}\n`, 'python', { steps: 12, strict: true });
  const s = r.schedulers.find((x) => x.variable === 's')!;
  return s.curve ? JSON.stringify(Array.from(s.curve.lrs[0]!)) : `error: ${s.error}`;
}

/** Two texts: both keyed, with different keys, and (what makes the difference matter) different curves. */
async function differ(a: string, b: string): Promise<void> {
  const [ka, kb] = [await keyOf(a), await keyOf(b)];
  assert.ok(ka !== null && kb !== null, `both keyed:\n${a}\n---\n${b}`);
  assert.notStrictEqual(ka, kb, `different keys:\n${a}\n---\n${b}`);
  assert.notStrictEqual(await curveOf(a), await curveOf(b), `the curves differ too:\n${a}\n---\n${b}`);
}

const WARM = (warmup: string) => [
  'EPOCHS = 20',
  `WARMUP = ${warmup}`,
  'def warm(epoch):',
  '    if epoch < WARMUP:',
  '        return (epoch + 1) / WARMUP',
  '    return 0.5 * (1 + math.cos(math.pi * (epoch - WARMUP) / (EPOCHS - WARMUP)))',
].join('\n');

describe('frontends/python: keys of callables (funcKey.ts)', function () {
  this.timeout(60_000);

  it('the same code reading the same values has one key, whatever else the file holds or where it is', async () => {
    const text = `${WARM('5')}\ns = LambdaLR(opt, lr_lambda=warm)`;
    const k = await keyOf(text);
    assert.ok(k !== null);
    assert.strictEqual(await keyOf(text), k, 'the same text again');
    assert.strictEqual(await keyOf(`# a comment\nOTHER = 3\n\n${text}`), k, 'lines above it, a constant it does not read');
    assert.strictEqual(await keyOf(`${text}\nOTHER = [1, 2]\nt = LambdaLR(opt, lr_lambda=lambda e: OTHER[0])`), k, 'another callable below');
  });

  it('a constant the function reads changes the key and the curve (WARMUP 5 → 6); so does a constant of a helper it calls', async () => {
    await differ(`${WARM('5')}\ns = LambdaLR(opt, lr_lambda=warm)`, `${WARM('6')}\ns = LambdaLR(opt, lr_lambda=warm)`);
    const helper = (decay: string, body = 'DECAY ** e') => `DECAY = ${decay}\ndef helper(e):\n    return ${body}\ndef f(e):\n    return 0.5 * helper(e)\ns = LambdaLR(opt, lr_lambda=f)`;
    await differ(helper('0.9'), helper('0.8'));
    await differ(helper('0.9'), helper('0.9', 'DECAY ** (e + 1)'));
  });

  it('int 5 and float 5.0, 0.0 and -0.0, a string and a tuple are told apart', async () => {
    // 5 and 5.0: the same curve here (true division), yet not the same value.
    const [i, f] = [await keyOf(`${WARM('5')}\ns = LambdaLR(opt, lr_lambda=warm)`), await keyOf(`${WARM('5.0')}\ns = LambdaLR(opt, lr_lambda=warm)`)];
    assert.ok(i !== null && f !== null);
    assert.notStrictEqual(i, f);
    // Where the type shows in the result.
    await differ('W = 5\ns = LambdaLR(opt, lr_lambda=lambda e: 1.0 if isinstance(W, int) else 0.5)', 'W = 5.0\ns = LambdaLR(opt, lr_lambda=lambda e: 1.0 if isinstance(W, int) else 0.5)');
    const sign = (v: string) => `OFF = ${v}\ns = LambdaLR(opt, lr_lambda=lambda e: 1.0 if math.copysign(1.0, OFF) > 0 else 0.5)`;
    const [plus, minus] = [await keyOf(sign('0.0')), await keyOf(sign('-0.0'))];
    assert.ok(plus !== null && minus !== null);
    assert.notStrictEqual(plus, minus);
    await differ(`MODE = "a"\ns = LambdaLR(opt, lr_lambda=lambda e: 1.0 if MODE == "a" else 0.5)`, `MODE = "b"\ns = LambdaLR(opt, lr_lambda=lambda e: 1.0 if MODE == "a" else 0.5)`);
    await differ('MS = (3, 6)\ns = LambdaLR(opt, lr_lambda=lambda e: 0.1 ** sum(e >= m for m in MS))', 'MS = (3, 7)\ns = LambdaLR(opt, lr_lambda=lambda e: 0.1 ** sum(e >= m for m in MS))');
  });

  it('a default value, a functools.partial argument, a factory\'s closure cell: each changes the key', async () => {
    const dflt = (w: string) => `W = ${w}\ndef f(e, w=W):\n    return min(1.0, (e + 1) / w)\ns = LambdaLR(opt, lr_lambda=f)`;
    await differ(dflt('4'), dflt('5'));
    const partial = (w: string) => `def f(e, w):\n    return min(1.0, (e + 1) / w)\ns = LambdaLR(opt, lr_lambda=functools.partial(f, w=${w}))`;
    await differ(partial('4'), partial('5'));
    const factory = (w: string) => `def make(w):\n    return lambda e: min(1.0, (e + 1) / w)\ns = LambdaLR(opt, lr_lambda=make(${w}))`;
    await differ(factory('4'), factory('5'));
  });

  it('a constant rebound after the construction: not previewed, with the name and why (Python reads one value at the construction, maybe another at the steps)', async () => {
    const late = `${WARM('5')}\ns = LambdaLR(opt, lr_lambda=warm)\nWARMUP = 6`;
    const got = await curveOf(late);
    assert.match(got, /^error: UnknownValue: `warm` reads `WARMUP`, bound again or changed after this construction/);
    // Neither value stands in for the other: the key is not the one of either text without the rebinding.
    for (const v of ['5', '6']) assert.notStrictEqual(await keyOf(late), await keyOf(`${WARM(v)}\ns = LambdaLR(opt, lr_lambda=warm)`));
    // Rebound to the same value: nothing changed, previewed (and keyed) as without it.
    const same = `${WARM('5')}\ns = LambdaLR(opt, lr_lambda=warm)\nWARMUP = 5`;
    assert.strictEqual(await curveOf(same), await curveOf(`${WARM('5')}\ns = LambdaLR(opt, lr_lambda=warm)`));
  });

  it('a helper bound again after the construction: not previewed, naming it; a constant a nested function reads is keyed', async () => {
    const late = 'def helper(e):\n    return 0.9 ** e\ndef f(e):\n    return helper(e) * 0.5\ns = LambdaLR(opt, lr_lambda=f)\nhelper = lambda e: 1.0';
    assert.match(await curveOf(late), /^error: UnknownValue: `f` reads `helper`, bound again or changed after this construction/);
    // A constant read through the helper, rebound: named with the function that reads it.
    const through = 'W = 4\ndef helper(e):\n    return min(1.0, (e + 1) / W)\ndef f(e):\n    return helper(e) * 0.5\ns = LambdaLR(opt, lr_lambda=f)\nW = 8';
    assert.match(await curveOf(through), /^error: UnknownValue: `f` reads `W` \(in `helper`\), bound again or changed/);
    // A name the function binds itself (here `progress`, as schedules often do), bound at module level by a later
    // loop: not a rebinding of what it reads; previewed.
    const local = 'def f(e):\n    progress = e / 10\n    return max(0.0, 1.0 - progress)\ns = LambdaLR(opt, lr_lambda=f)\nfor progress in range(3):\n    pass';
    assert.doesNotMatch(await curveOf(local), /^error/);
    // A function nested in it reads a constant too.
    await differ('W = 4\ndef f(e):\n    def g():\n        return W\n    return min(1.0, (e + 1) / g())\ns = LambdaLR(opt, lr_lambda=f)',
      'W = 5\ndef f(e):\n    def g():\n        return W\n    return min(1.0, (e + 1) / g())\ns = LambdaLR(opt, lr_lambda=f)');
  });

  it('a list item, a dict entry or an attribute the function reads, changed in place after the construction: not previewed; other attributes, or the same value again, are', async () => {
    // torch 1.13 (checked by hand): steps = [3]; s = LambdaLR(opt, lambda e: … * steps[0]); steps[0] = 1 → the lr after
    // construction uses 3, the steps 1: no single value of `steps` gives the curve.
    const list = (after: string) => `steps = [3]\ns = LambdaLR(opt, lr_lambda=lambda e: min(1.0, (e + 1) / 10) * steps[0])\n${after}`;
    assert.match(await curveOf(list('steps[0] = 1')), /^error: UnknownValue: `<lambda>` reads `steps`, bound again or changed after this construction/);
    assert.strictEqual(await curveOf(list('steps[0] = 3')), await curveOf(list('')));
    const dict = 'cfg = {"w": 5}\ns = LambdaLR(opt, lr_lambda=lambda e: min(1.0, (e + 1) / cfg["w"]))\ncfg["w"] = 2';
    assert.match(await curveOf(dict), /^error: UnknownValue: `<lambda>` reads `cfg`, bound again or changed/);
    // YOLOv5's train.py: lf reads hyp["lrf"]; hyp["box"] and hyp["cls"] are scaled after the scheduler is built.
    const yolo = (after: string, read = 'hyp["lrf"]') => 'hyp = {"lrf": 0.01, "box": 0.05, "cls": 0.5}\nepochs = 300\nnl = 3\n' +
      `lf = lambda x: (1 - x / epochs) * (1.0 - ${read}) + ${read}\ns = LambdaLR(opt, lr_lambda=lf)\n${after}`;
    const scaled = 'hyp["box"] *= 3 / nl\nhyp["cls"] *= 3 / nl';
    assert.doesNotMatch(await curveOf(yolo('')), /^error/);
    assert.strictEqual(await curveOf(yolo(scaled)), await curveOf(yolo('')));
    assert.strictEqual(await curveOf(yolo(scaled, 'hyp.get("lrf", 0.0)')), await curveOf(yolo('')));
    assert.match(await curveOf(yolo('hyp["lrf"] = 0.1')), /^error: UnknownValue: `<lambda>` reads `hyp`, bound again or changed/);
    const ns = (after: string) => 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--warmup", type=int, default=5)\n' +
      `p.add_argument("--start", type=int, default=0)\nargs = p.parse_args()\ns = LambdaLR(opt, lr_lambda=lambda e: min(1.0, (e + 1) / args.warmup))\n${after}`;
    assert.match(await curveOf(ns('args.warmup = 2')), /^error: UnknownValue: `<lambda>` reads `args`, bound again or changed/);
    // An attribute the function does not read: previewed as without the write.
    assert.strictEqual(await curveOf(ns('args.start = 3')), await curveOf(ns('')));
    assert.doesNotMatch(await curveOf(ns('')), /^error/);
  });

  it('a local that is read before the function binds it reads the enclosing scope: that value is in the key', async () => {
    const shadow = (v: string) => `scale = ${v}\ndef f(e):\n    if e > 3:\n        scale = 1.0\n    return scale\ns = LambdaLR(opt, lr_lambda=f)`;
    const [a, b] = [await keyOf(shadow('0.5')), await keyOf(shadow('0.25'))];
    if (await curveOf(shadow('0.5')) !== await curveOf(shadow('0.25'))) assert.notStrictEqual(a, b);
  });

  it('a recursive function, a builtin, a module\'s functions and constants are keyed', async () => {
    assert.ok(await keyOf('def f(e):\n    return 1.0 if e == 0 else 0.9 * f(e - 1)\ns = LambdaLR(opt, lr_lambda=f)'));
    assert.ok(await keyOf('s = LambdaLR(opt, lr_lambda=math.exp)'));
    assert.ok(await keyOf('from math import cos\ns = LambdaLR(opt, lr_lambda=lambda e: 0.5 * (1 + cos(math.pi * e / 10)))'));
    // `from math import pi` binds the number: the same curve as `math.pi` (it was unknown: "comes from another module").
    const bare = await curveOf('from math import cos, pi\ns = LambdaLR(opt, lr_lambda=lambda e: 0.5 * (1 + cos(pi * e / 10)))');
    assert.strictEqual(bare, await curveOf('s = LambdaLR(opt, lr_lambda=lambda e: 0.5 * (1 + math.cos(math.pi * e / 10)))'));
    assert.deepStrictEqual(JSON.parse(bare).slice(0, 2), [0.1, 0.1 * 0.5 * (1 + Math.cos(Math.PI / 10))]);
    assert.ok(await keyOf('from math import pi\nfrom numpy import e\ns = LambdaLR(opt, lr_lambda=lambda k: pi / (k + e))'));
    assert.ok(await keyOf('import numpy as np\ns = LambdaLR(opt, lr_lambda=lambda e: float(np.exp(-0.1 * e)))'));
  });

  it('no key when it reads what a function could change or what cannot be written down', async () => {
    const none = async (body: string, why: string) => assert.strictEqual(await keyOf(body), null, `${why}:\n${body}`);
    await none('MS = [3, 6]\ns = LambdaLR(opt, lr_lambda=lambda e: 0.1 ** sum(e >= m for m in MS))', 'a list');
    await none('CFG = {"w": 5}\ns = LambdaLR(opt, lr_lambda=lambda e: min(1.0, e / CFG["w"]))', 'a dict');
    await none('import types\nargs = types.SimpleNamespace(w=5)\ns = LambdaLR(opt, lr_lambda=lambda e: min(1.0, e / args.w))', 'an object\'s attribute');
    await none('class C:\n    W = 5\ns = LambdaLR(opt, lr_lambda=lambda e: min(1.0, e / C.W))', 'a class attribute');
    // Written, never read back (state read back is no callable at all: keptState.ts, below).
    await none('def f(e, acc=[]):\n    acc.append(e)\n    return 1.0\ns = LambdaLR(opt, lr_lambda=f)', 'a mutable default');
    await none('N = 0\ndef f(e):\n    global N\n    N = e\n    return 1.0\ns = LambdaLR(opt, lr_lambda=f)', 'a global it writes');
    for (const kept of ['def f(e, acc=[]):\n    acc.append(e)\n    return 1.0 / len(acc)', 'N = 0\ndef f(e):\n    global N\n    N = N + 1\n    return 1.0 / N']) {
      assert.match(await curveOf(`${kept}\ns = LambdaLR(opt, lr_lambda=f)`), /^error: .*keeps state between its calls/, kept);
    }
    await none('def f(e):\n    import random\n    return random.random()\ns = LambdaLR(opt, lr_lambda=f)', 'an import in the body');
    await none('import random\ns = LambdaLR(opt, lr_lambda=lambda e: random.random())', 'randomness');
    await none('import time\ns = LambdaLR(opt, lr_lambda=lambda e: time.time() % 1)', 'time');
    await none('def g(m):\n    return 1.0\ns = LambdaLR(opt, lr_lambda=lambda e: g(math))', 'a module passed on as a value');
    await none('FNS = [lambda e: 1.0]\ns = LambdaLR(opt, lr_lambda=lambda e: FNS[0](e))', 'a helper held in a list');
    await none('class S:\n    def __init__(self):\n        self.w = 5\n    def lr(self, e):\n        return min(1.0, e / self.w)\ns = LambdaLR(opt, lr_lambda=S().lr)', 'a bound method (its self)');
    // A helper without a key makes its caller's none either.
    await none('MS = [3]\ndef h(e):\n    return MS[0]\ndef f(e):\n    return 1.0 / h(e)\ns = LambdaLR(opt, lr_lambda=f)', 'a helper reading a list');
  });
});

describe('analysis with a document session: keyed callables\' simulations are kept, and every result is the from-scratch one', function () {
  this.timeout(120_000);

  it('edits that change what a callable reads (a constant, a helper, a default, a partial argument, a late rebinding, a list) give the from-scratch result', async () => {
    const base = [
      'import math',
      'import functools',
      'import torch',
      'from torch.optim.lr_scheduler import LambdaLR, StepLR',
      'EPOCHS = 20',
      'WARMUP = 5',
      'MS = [6, 12]',
      'FLOOR = 0.1',
      'def helper(e):',
      '    return 0.9 ** e',
      'def warm(epoch, floor=0.1):',
      '    if epoch < WARMUP:',
      '        return (epoch + 1) / WARMUP',
      '    return max(floor, 0.5 * (1 + math.cos(math.pi * (epoch - WARMUP) / (EPOCHS - WARMUP))))',
      'def decay(e, rate):',
      '    return helper(e) * rate',
      'opt_1 = torch.optim.SGD([], lr=0.1)',
      's1 = LambdaLR(opt_1, lr_lambda=warm)',
      'opt_2 = torch.optim.SGD([], lr=0.1)',
      's2 = LambdaLR(opt_2, lr_lambda=functools.partial(decay, rate=0.5))',
      'opt_3 = torch.optim.SGD([], lr=0.1)',
      's3 = LambdaLR(opt_3, lr_lambda=lambda e: 0.1 ** sum(e >= m for m in MS))',
      'opt_4 = torch.optim.SGD([], lr=0.1)',
      's4 = StepLR(opt_4, step_size=3)',
      '',
    ].join('\n');
    const edits: [string, string][] = [
      ['WARMUP = 5', 'WARMUP = 6'],
      ['WARMUP = 6', 'WARMUP = 6.0'],
      ['0.9 ** e', '0.8 ** e'],
      ['floor=0.1', 'floor=0.2'],
      ['floor=0.2', 'floor=FLOOR'],
      ['FLOOR = 0.1', 'FLOOR = 0.3'],
      ['rate=0.5', 'rate=0.25'],
      ['s4 = StepLR(opt_4, step_size=3)', 's4 = StepLR(opt_4, step_size=3)\nEPOCHS = 30'],
      ['MS = [6, 12]', 'MS = [6, 9]'],
      ['EPOCHS = 30', 'EPOCHS = 30\nWARMUP = 2'],
      ['WARMUP = 2', 'WARMUP = 2\nhelper = lambda e: 1.0'],
      ['helper = lambda e: 1.0', ''],
      ['s4 = StepLR(opt_4, step_size=3)', 's4 = StepLR(opt_4, step_size=4)'],
    ];
    const options: AnalyzeOptions = { steps: 40, strict: true };
    const session = new DocumentSession();
    let text = base;
    const curves = new Set<string>();
    try {
      await analyzeDocument(text, 'python', options, session);
      for (const [from, to] of edits) {
        assert.ok(text.includes(from), from);
        text = text.replace(from, to);
        const incremental = await analyzeDocument(text, 'python', options, session);
        assert.deepStrictEqual(comparable(incremental), comparable(await analyzeDocument(text, 'python', options)), `after ${from} → ${to}:\n${text}`);
        for (const s of incremental.schedulers) curves.add(`${s.variable}:${s.curve ? Array.from(s.curve.lrs[0]!).join(',') : s.error}`);
      }
    } finally {
      session.dispose();
    }
    // s1: 4 distinct outcomes after the edits (a curve, or why there is none), s2: 3, s3: 2, s4: 2.
    assert.ok(curves.size >= 11, `the edits changed the curves (${curves.size})`);
    assert.ok(session.counts.hit + session.constructionCounts.hit > 0, 'some were kept');
    assert.ok(session.counts.unkeyed > 0, 'the lambda reading a list is simulated every time');
  });

  it('the typing bench\'s edit of the 5,000-line script keeps every LambdaLR(lr_lambda=warmup_N) (none unkeyed, all but the edited construction kept)', async () => {
    const text = generateScript(5000);
    const lambdas = text.match(/= LambdaLR\(/g)!.length;
    assert.ok(lambdas >= 60, `${lambdas} LambdaLR constructions`);
    const edited = (i: number) => text.replace('step_size=30', `step_size=3${i}`);
    const options: AnalyzeOptions = { steps: 200, strict: true };
    const session = new DocumentSession();
    try {
      const first = await analyzeDocument(edited(0), 'python', options, session);
      const n = first.schedulers.length;
      assert.strictEqual(session.counts.unkeyed, 0, 'every simulation has a key');
      assert.strictEqual(session.constructionCounts.unkeyed, 0, 'every construction has a key');
      const sims = { ...session.counts };
      const whole = { ...session.constructionCounts };
      const got = await analyzeDocument(edited(1), 'python', options, session);
      assert.deepStrictEqual(
        { hit: session.constructionCounts.hit - whole.hit, miss: session.constructionCounts.miss - whole.miss, unkeyed: session.constructionCounts.unkeyed - whole.unkeyed },
        { hit: n - 1, miss: 1, unkeyed: 0 }, 'constructions');
      assert.deepStrictEqual({ unkeyed: session.counts.unkeyed - sims.unkeyed, miss: session.counts.miss - sims.miss }, { unkeyed: 0, miss: 1 }, 'simulations: only the edited StepLR');
      const lambdaLRs = got.schedulers.filter((s) => s.kind === 'LambdaLR');
      assert.strictEqual(lambdaLRs.length, lambdas);
      for (const s of lambdaLRs) assert.ok(first.schedulers.includes(s), `${s.variable}: the kept analysis`);
    } finally {
      session.dispose();
    }
  });
});
