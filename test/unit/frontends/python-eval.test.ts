/**
 * The evaluator, through the public entry point: each expression is ExponentialLR's `gamma`.
 * Expected values are CPython 3.11's (`repr(eval(expr))`), checked by running CPython.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PyError } from '../../../src/engine/types';
import { analyze, callOf, evalGamma, HEADER } from './python-helpers';

const CPYTHON: [string, string][] = [
  ['-7 // 2', '-4'], ['-7 % 3', '2'], ['7 % -3', '-2'], ['2 ** -1', '0.5'], ['round(2.5)', '2'], ['round(3.5)', '4'],
  ['round(-2.5)', '-2'], ['round(0.125, 2)', '0.12'], ['round(2.675, 2)', '2.67'], ['True + 1', '2'], ['1_000', '1000'],
  ['0x1F', '31'], ['0o17', '15'], ['0b101', '5'], ['1e-3', '0.001'], ['1E-5', '1e-05'], ['7.5 // 2', '3.0'], ['-7.5 // 2', '-4.0'],
  ['-7.5 % 2', '0.5'], ['7 / 2', '3.5'], ['4 / 2', '2.0'], ['2 ** 10', '1024'], ['2.0 ** 3', '8.0'], ['abs(-3)', '3'],
  ['abs(-3.5)', '3.5'], ['int(3.9)', '3'], ['int(-3.9)', '-3'], ['float(3)', '3.0'], ['min(3, 1.5)', '1.5'],
  ['max([1, 5, 2])', '5'], ['sum([1, 2, 3])', '6'], ['sum([0.5, 0.25], 1)', '1.75'], ['len([1, 2, 3])', '3'],
  ['math.floor(2.5)', '2'], ['math.ceil(2.1)', '3'], ['math.log(8, 2)', '3.0'], ['math.log2(8)', '3.0'],
  ['math.log10(1000)', '3.0'], ['math.sqrt(2)', '1.4142135623730951'], ['math.cos(math.pi)', '-1.0'],
  ['math.exp(1)', '2.718281828459045'], ['math.pow(2, 3)', '8.0'], ['math.fabs(-2)', '2.0'], ['1 if 2 > 1 else 2', '1'],
  ['0 or 3', '3'], ['2 and 0', '0'], ['not 0', 'True'], ['1 < 2 < 3', 'True'], ['3 > 2 > 2', 'False'], ['(1, 2)[-1]', '2'],
  ['[10, 20, 30][-2]', '20'], ['{"a": {"b": 0.5}}["a"]["b"]', '0.5'], ['True * 0.5', '0.5'], ['-(-3)', '3'], ['+2.5', '2.5'],
  ['2 ** 0.5', '1.4142135623730951'], ['10 // 3 * 3 + 10 % 3', '10'], ['1 / 3', '0.3333333333333333'],
  ['0.1 + 0.2', '0.30000000000000004'], ['5 // 0.5', '10.0'], ['int("12")', '12'], ['float("1e-3")', '0.001'],
  ['bool(0.0)', 'False'], ['~5', '-6'], ['1 << 4', '16'], ['round(7, -1)', '10'], ['round(15, -1)', '20'],
  ['round(25, -1)', '20'], ['divmod(7, -2)', '(-4, -1)'], ['min(2, 2.0)', '2'], ['3 == 3.0', 'True'], ['[1,2] == [1,2]', 'True'],
  ['"a" in ["a"]', 'True'], ['None is None', 'True'], ['len("héllo")', '5'], ['"ab" + "cd"', "'abcd'"], ['[1] * 3', '[1, 1, 1]'],
  ['(1,) + (2,)', '(1, 2)'], ['abs(True)', '1'], ['1e16', '1e+16'], ['123456789.0 * 10', '1234567890.0'], ['0.0001', '0.0001'],
  ['bisect.bisect_right([30, 60], 45)', '1'], ['bisect.bisect_left([30, 60], 30)', '0'], ['bisect.bisect_right([30, 60], 30)', '1'],
  ['isinstance(True, int)', 'True'], ['isinstance(2.0, (int, str))', 'False'], ['sorted([3, 1, 2])[0]', '1'],
  ['list(zip([1, 2], [3, 4]))[1][0]', '2'], ['getattr(math, "pi")', '3.141592653589793'], ['any([0, 1])', 'True'],
  ['all([1, 0])', 'False'], ['[i * x for i, x in enumerate([1, 2, 3])][2]', '6'], ['list(reversed([1, 2, 3]))[0]', '3'],
  ['"Cos".lower()', "'cos'"], ['"a-b".replace("-", "_")', "'a_b'"], ['"lr={} e={x}".format(0.1, x=3)', "'lr=0.1 e=3'"],
  ['"{0}{0}".format(1)', "'11'"], ['" x ".strip()', "'x'"], ['"step".startswith("st")', 'True'],
  ['math.inf', 'inf'], ['-math.inf', '-inf'], ["'it''s'", "'its'"], ['"a" "b"', "'ab'"], ['(\n  1 +  # comment\n  2\n)', '3'],
];

describe('python frontend: expression evaluation (CPython semantics)', () => {
  for (const [expr, expected] of CPYTHON) {
    it(`${expr.replace(/\n/g, '\\n')} == ${expected}`, async () => {
      const { arg, reason, call } = await evalGamma(expr, 'import math, bisect');
      assert.strictEqual(reason, undefined, `unexpected unknown: ${reason}`);
      assert.ok(arg, 'gamma not bound');
      assert.strictEqual(call.argInfo.find((a) => a.name === 'gamma')!.display, expected);
      if (/^-?\d+$/.test(expected)) assert.deepStrictEqual(arg, { kind: 'int', value: Number(expected) });
      else if (/^-?[\d.e+-]+$/.test(expected) || /^-?inf$/.test(expected)) {
        assert.deepStrictEqual(arg, { kind: 'float', value: Number(expected.replace('inf', 'Infinity')) });
      } else if (expected === 'True' || expected === 'False') assert.deepStrictEqual(arg, { kind: 'bool', value: expected === 'True' });
    });
  }
});

/** Python exceptions while evaluating statically: the value is unknown and the reason quotes CPython. */
const RAISES: [string, string][] = [
  ['1 / 0', 'ZeroDivisionError: division by zero'],
  ['1.0 / 0', 'ZeroDivisionError: float division by zero'],
  ['1 // 0', 'ZeroDivisionError: integer division or modulo by zero'],
  ['1 % 0', 'ZeroDivisionError: integer modulo by zero'],
  ['0 ** -1', 'ZeroDivisionError: 0.0 cannot be raised to a negative power'],
  ['"a" + 1', 'TypeError: can only concatenate str (not "int") to str'],
  ['1 < "a"', "TypeError: '<' not supported between instances of 'int' and 'str'"],
  ['[1][3]', 'IndexError: list index out of range'],
  ['{"a": 1}["b"]', "KeyError: 'b'"],
  ['math.log(0)', 'ValueError: math domain error'],
  ['math.exp(1000)', 'OverflowError: math range error'],
  ['int(float("nan"))', 'ValueError: cannot convert float NaN to integer'],
  ['max([])', 'ValueError: max() arg is an empty sequence'],
  ['10.0 ** 400', "OverflowError: (34, 'Numerical result out of range')"],
];

describe('python frontend: exceptions become unknown values with the reason', () => {
  for (const [expr, text] of RAISES) {
    it(`${expr} → ${text}`, async () => {
      const { arg, reason, call } = await evalGamma(expr, 'import math');
      assert.strictEqual(arg, undefined);
      assert.ok(reason?.includes(text), reason);
      assert.strictEqual(call.schedulerIndex, null);
      assert.ok(call.unknownReason?.startsWith('`gamma`'), call.unknownReason ?? '');
    });
  }
});

describe('python frontend: names, scopes and control flow', () => {
  const known: [string, string, string][] = [
    ['module constant', 'G = 0.5', 'G'],
    ['constant arithmetic', 'EPOCHS = 300\nG = EPOCHS // 3 / 200', 'G'],
    ['augmented assignment', 'G = 0.25\nG *= 2', 'G'],
    ['chained assignment', 'A = G = 0.5', 'G'],
    ['tuple unpacking', 'A, (G, C) = 1, (0.5, 3)', 'G'],
    ['annotated assignment', 'G: float = 0.5', 'G'],
    ['nested dict', 'cfg = {"opt": {"gamma": 0.5}}', 'cfg["opt"]["gamma"]'],
    ['dict.get with default', 'cfg = {}', 'cfg.get("gamma", 0.5)'],
    ['dict(k=v)', 'cfg = dict(gamma=0.5)', 'cfg["gamma"]'],
    ['dict subscript assignment', 'cfg = {}\ncfg["gamma"] = 0.5', 'cfg["gamma"]'],
    ['SimpleNamespace', 'from types import SimpleNamespace\nhp = SimpleNamespace(gamma=0.5)', 'hp.gamma'],
    ['class constants', 'class Config:\n    GAMMA = 0.5\n', 'Config.GAMMA'],
    ['dataclass instance', 'from dataclasses import dataclass\n@dataclass\nclass Cfg:\n    lr: float = 0.1\n    gamma: float = 0.5\ncfg = Cfg()', 'cfg.gamma'],
    ['dataclass with override', 'from dataclasses import dataclass\n@dataclass\nclass Cfg:\n    gamma: float = 0.9\ncfg = Cfg(gamma=0.5)', 'cfg.gamma'],
    ['class calling super().__init__()', 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.gamma = 0.5\nnet = Net()', 'net.gamma'],
    ['plain class with __init__', 'class Cfg:\n    def __init__(self, g=0.5):\n        self.gamma = g\ncfg = Cfg()', 'cfg.gamma'],
    ['known if condition', 'DEBUG = False\nif DEBUG:\n    G = 0.9\nelse:\n    G = 0.5', 'G'],
    ['elif chain', 'MODE = "b"\nif MODE == "a":\n    G = 0.9\nelif MODE == "b":\n    G = 0.5\nelse:\n    G = 0.1', 'G'],
    ['same value on both branches', 'import sys\nif sys.argv:\n    G = 0.5\nelse:\n    G = 0.5', 'G'],
    ['unchanged in a loop', 'G = 0.5\nfor i in range(3):\n    x = i', 'G'],
    ['list comprehension', 'gs = [g / 10 for g in range(1, 8) if g % 5 == 0]', 'gs[0]'],
    ['call of a small def', 'def half(x):\n    return x / 2\nG = half(1)', 'G'],
    ['def with if/else and closure', 'BASE = 1.0\ndef g(k):\n    if k > 1:\n        return BASE / k\n    return BASE\nG = g(2)', 'G'],
    ['string constant compared', 'MODE = "cos"\nG = 0.5 if MODE == "cos" else 0.9', 'G'],
    ['parenthesised multi-line', 'G = (\n    0.25  # quarter\n    * 2\n)', 'G'],
  ];
  for (const [title, prelude, expr] of known) {
    it(`${title}: ${expr} == 0.5`, async () => {
      const { arg, reason } = await evalGamma(expr, prelude);
      assert.strictEqual(reason, undefined);
      assert.deepStrictEqual(arg, { kind: 'float', value: 0.5 });
    });
  }

  const unknowns: [string, string, string, string][] = [
    ['argparse without default', 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--gamma", type=float)\nargs = p.parse_args()', 'args.gamma', '`args.gamma` is set at run time (command-line argument)'],
    // The reason names the namespace as the script does (YOLOv5's `opt`), else `args`.
    ['argparse namespace named opt', 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--gamma", type=float)\nopt = p.parse_args()', 'opt.gamma', '`opt.gamma` is set at run time (command-line argument)'],
    ['parse_known_args into a tuple', 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--gamma", type=float)\n(cfg, rest) = (p.parse_known_args())', 'cfg.gamma', '`cfg.gamma` is set at run time (command-line argument)'],
    ['a namespace returned by a helper', 'import argparse\ndef get():\n    p = argparse.ArgumentParser()\n    p.add_argument("--gamma", type=float)\n    return p.parse_args()\nhp = get()', 'hp.gamma', '`args.gamma` is set at run time (command-line argument)'],
    ['unknown condition', 'import sys\nif len(sys.argv) > 1:\n    G = 0.5\nelse:\n    G = 0.9', 'G', '`G` depends on a condition at line 5'],
    ['changed in a loop', 'G = 0.9\nfor i in range(3):\n    G = G * 0.5', 'G', '`G` changes in the loop at line 5'],
    ['f-string', 'NAME = "x"', 'float(f"{NAME}")', 'f-strings are not evaluated'],
    ['undefined name', '', 'GAMMA', '`GAMMA` is not defined in this file'],
    ['huge exponent', '', '10**10**10', 'too large'],
    ['run-time object', 'import torch\nt = torch.tensor(0.5)', 't * 1', 'run-time object'],
    ['imported from another module', 'from config import GAMMA', 'GAMMA * 1', 'config.GAMMA'],
  ];
  for (const [title, prelude, expr, reasonPart] of unknowns) {
    it(`${title}: ${expr} is unknown`, async () => {
      const { arg, reason, call } = await evalGamma(expr, prelude);
      assert.strictEqual(arg, undefined);
      assert.ok(reason?.includes(reasonPart), `reason: ${reason}`);
      assert.strictEqual(call.schedulerIndex, null);
      assert.ok(call.unknownReason?.includes(reasonPart), call.unknownReason ?? '');
    });
  }

  it('argparse default is used as a labelled assumption', async () => {
    const { arg, call } = await evalGamma('args.gamma', 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--gamma", default=0.5, type=float)\nargs = p.parse_args()');
    assert.deepStrictEqual(arg, { kind: 'float', value: 0.5 });
    const info = call.argInfo.find((a) => a.name === 'gamma')!;
    assert.strictEqual(info.assumed, true);
    assert.ok(info.origin?.includes('default of --gamma'), info.origin);
    assert.notStrictEqual(call.schedulerIndex, null);
  });

  it('argparse: options added through a group are the parser\'s; set_defaults replaces a default; a branch the defaults do not take changes nothing', async () => {
    const parser = 'import argparse\np = argparse.ArgumentParser()\ng = p.add_argument_group("Scheduler")\ng.add_argument("--gamma", default=0.5, type=float)\n';
    // timm's train.py: every option in a group.
    assert.deepStrictEqual((await evalGamma('args.gamma', `${parser}args = p.parse_args()`)).arg, { kind: 'float', value: 0.5 });
    const replaced = await evalGamma('args.gamma', `${parser}p.set_defaults(gamma=0.9)\nargs = p.parse_args()`);
    assert.deepStrictEqual(replaced.arg, { kind: 'float', value: 0.9 });
    assert.ok(replaced.call.argInfo.find((a) => a.name === 'gamma')!.origin?.includes('default set by `set_defaults(gamma=…)`'));
    // `set_defaults(**cfg)` with a config LR Lens cannot read may set any default.
    const unread = await evalGamma('args.gamma', `${parser}import yaml\np.set_defaults(**yaml.safe_load(open(path)))\nargs = p.parse_args()`);
    assert.strictEqual(unread.arg, undefined);
    assert.match(unread.reason ?? '', /set_defaults/);
    // timm: `if args_config.config:` (default '') → the config's defaults are not read with the default arguments.
    const untaken = await evalGamma('args.gamma', `${parser}p.add_argument("--config", default="")\nc = p.parse_args()\nif c.config:\n    p.set_defaults(gamma=0.9)\nargs = p.parse_args()`);
    assert.deepStrictEqual(untaken.arg, { kind: 'float', value: 0.5 });
    // Python 3 (checked): an option added after set_defaults takes that value only without its own `default=`.
    const before = 'import argparse\np = argparse.ArgumentParser()\np.set_defaults(gamma=0.9)\n';
    assert.deepStrictEqual((await evalGamma('args.gamma', `${before}p.add_argument("--gamma", type=float)\nargs = p.parse_args()`)).arg, { kind: 'float', value: 0.9 });
    assert.deepStrictEqual((await evalGamma('args.gamma', `${before}p.add_argument("--gamma", default=0.5, type=float)\nargs = p.parse_args()`)).arg, { kind: 'float', value: 0.5 });
  });

  it('a parameter default inside a function is a labelled assumption; a bare parameter is unknown', async () => {
    const res = await analyze(`${HEADER}def build(opt, gamma=0.5, step=None):\n    a = ExponentialLR(opt, gamma)\n    b = StepLR(opt, step)\n    return a, b\n`);
    const a = callOf(res, 'a');
    assert.deepStrictEqual(a.args['gamma'], { kind: 'float', value: 0.5 });
    assert.ok(a.argInfo.find((x) => x.name === 'gamma')!.origin?.includes('default of parameter `gamma` of `build()`'));
    // `opt` is a parameter: an assumed optimizer, labelled.
    const optInfo = a.argInfo.find((x) => x.name === 'optimizer')!;
    assert.strictEqual(optInfo.assumed, true);
    assert.ok(optInfo.reason?.includes('parameter `opt` of `build()`, set by the caller'), optInfo.reason);
    const b = callOf(res, 'b');
    assert.deepStrictEqual(b.args['step_size'], { kind: 'none' });
  });

  it('a parameter without default makes the construction unknown with the reason', async () => {
    const res = await analyze(`${HEADER}def build(opt, epochs):\n    s = StepLR(opt, step_size=epochs // 3)\n    return s\n`);
    const s = callOf(res, 's');
    assert.strictEqual(s.schedulerIndex, null);
    assert.strictEqual(s.unknownReason, '`step_size`: parameter `epochs` of `build()`, set by the caller');
  });

  it('origin shows how a non-literal value was obtained', async () => {
    const { call } = await evalGamma('EPOCHS // 3 / 200', 'EPOCHS = 300');
    assert.strictEqual(call.argInfo.find((a) => a.name === 'gamma')!.origin, 'EPOCHS // 3 / 200 = 0.5');
    const lit = await evalGamma('0.5');
    assert.strictEqual(lit.call.argInfo.find((a) => a.name === 'gamma')!.origin, undefined);
  });
});

interface CpythonCase { expr: string; repr?: string; error?: string; message?: string }
// out/test/unit/language → test/unit/fixtures/python (generated by cpython_exprs.py with CPython 3.11).
const CPYTHON_RANDOM = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../test/unit/fixtures/python/cpython_exprs.json'), 'utf8')) as CpythonCase[];

describe('python frontend: 400 random expressions against CPython', () => {
  it('same value (floats within 2 ulp: V8 and glibc libm differ) or the same exception', async () => {
    const failures: string[] = [];
    for (const c of CPYTHON_RANDOM) {
      const { arg, reason, call } = await evalGamma(c.expr, 'import math');
      const display = call.argInfo.find((a) => a.name === 'gamma')!.display;
      if (c.error) {
        if (!reason?.includes(`${c.error}: ${c.message}`)) failures.push(`${c.expr}: want ${c.error}: ${c.message}, got ${reason ?? display}`);
        continue;
      }
      if (!arg) {
        // Known gap: ints beyond 2**53 are not evaluated.
        if (!(c.expr.includes('**') && reason?.includes('too large'))) failures.push(`${c.expr}: want ${c.repr}, got ${reason}`);
        continue;
      }
      if (display === c.repr) continue;
      const want = Number(c.repr);
      const got = arg.kind === 'float' ? arg.value : NaN;
      const isFloat = /[.e]|inf|nan/.test(c.repr!);
      if (!(isFloat && Math.abs(got - want) <= 2 * Number.EPSILON * Math.abs(want))) failures.push(`${c.expr}: want ${c.repr}, got ${display}`);
    }
    assert.deepStrictEqual(failures, []);
  });
});

describe('python frontend: the same 400 expressions run by the engine (compiled functions)', () => {
  it('same number (bool as 0/1, floats within 2 ulp) or the same PyError', async () => {
    const src = `${HEADER}import math\n${CPYTHON_RANDOM.map((c, i) => `s${i} = LambdaLR(opt, lambda e: ${c.expr})`).join('\n')}\n`;
    const res = await analyze(src);
    const failures: string[] = [];
    CPYTHON_RANDOM.forEach((c, i) => {
      const call = callOf(res, `s${i}`);
      const f = call.args['lr_lambda'];
      if (!f || f.kind !== 'func') {
        failures.push(`${c.expr}: not a function (${call.argInfo.find((a) => a.name === 'lr_lambda')?.reason})`);
        return;
      }
      let got: number | string;
      try {
        got = f.call(0);
      } catch (e) {
        got = e instanceof PyError ? `${e.type}: ${e.message}` : String(e);
      }
      if (c.error) {
        if (got !== `${c.error}: ${c.message}`) failures.push(`${c.expr}: want ${c.error}: ${c.message}, got ${got}`);
        return;
      }
      if (typeof got === 'string') {
        if (!(c.expr.includes('**') && got.includes('too large'))) failures.push(`${c.expr}: want ${c.repr}, got ${got}`);
        return;
      }
      const want = c.repr === 'True' ? 1 : c.repr === 'False' ? 0 : Number(c.repr);
      if (!(got === want || Math.abs(got - want) <= 2 * Number.EPSILON * Math.abs(want))) failures.push(`${c.expr}: want ${c.repr}, got ${got}`);
    });
    assert.deepStrictEqual(failures, []);
  });
});

describe('python frontend: try / except', () => {
  const H = 'import torch\nfrom torch.optim.lr_scheduler import StepLR\nopt = torch.optim.SGD([], lr=0.1)\n';
  const gammaOf = async (src: string) => {
    const s = callOf(await analyze(H + src), 's');
    return { gamma: s.args['gamma'], reason: s.unknownReason };
  };

  it('a name a handler may set differently is unknown, with the reason', async () => {
    const r = await gammaOf('cfg = {"g": 0.5}\ntry:\n    g = cfg["g"]\nexcept KeyError:\n    g = 0.1\ns = StepLR(opt, 10, gamma=g)\n');
    assert.strictEqual(r.gamma, undefined);
    assert.strictEqual(r.reason, '`gamma`: `g` depends on whether the `try` at line 5 raises');
  });

  it('a name every path leaves the same is known (the body\'s value, a pass handler)', async () => {
    assert.deepStrictEqual((await gammaOf('try:\n    g = 0.5\nexcept Exception:\n    pass\ns = StepLR(opt, 10, gamma=g)\n')).gamma, { kind: 'float', value: 0.5 });
  });

  it('else runs on the no-exception path, finally after every path', async () => {
    const src = 'try:\n    g = 0.5\nexcept ValueError:\n    g = 0.25\nelse:\n    g = 0.25\nfinally:\n    h = 2\ns = StepLR(opt, 10, gamma=g * h)\n';
    assert.deepStrictEqual((await gammaOf(src)).gamma, { kind: 'float', value: 0.5 });
  });

  it('an ImportError fallback does not hide the import (imports are assumed to succeed)', async () => {
    const res = await analyze(`${H}try:\n    from torch.optim.lr_scheduler import LinearLR\nexcept ImportError:\n    LinearLR = None\ns = LinearLR(opt, total_iters=4)\n`);
    const s = callOf(res, 's');
    assert.strictEqual(s.kind, 'LinearLR');
    assert.notStrictEqual(s.schedulerIndex, null);
  });

  it('`except E as e` binds e to an unknown exception object', async () => {
    const r = await gammaOf('e = 0.5\ntry:\n    x = 1\nexcept ValueError as e:\n    pass\ns = StepLR(opt, 10, gamma=e)\n');
    assert.match(r.reason ?? '', /`e` depends on whether the `try` at line 5 raises/);
    const inside = await analyze(`${H}try:\n    x = 1\nexcept (ValueError, KeyError) as err:\n    s = StepLR(opt, 10, gamma=err)\n`);
    assert.match(callOf(inside, 's').unknownReason ?? '', /`err` is the exception caught at line 6/);
  });

  it('a return in the body ends the block; constructions in handlers are still found', async () => {
    const res = await analyze(`${H}def f():\n    try:\n        return StepLR(opt, 3)\n    except RuntimeError:\n        h = StepLR(opt, 5)\n    x = StepLR(opt, 4)\ns = f()\n`);
    assert.deepStrictEqual(res.calls.map((c) => [c.variable, c.args['step_size']]), [
      [null, { kind: 'int', value: 3 }], ['h', { kind: 'int', value: 5 }], ['x', { kind: 'int', value: 4 }]]);
  });
});
