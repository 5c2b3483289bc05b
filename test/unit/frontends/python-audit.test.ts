/**
 * The audit on real training scripts (never confidently wrong): writes to objects under conditions
 * (P1), argparse helpers that hit one line LR Lens cannot evaluate (P5), family schedules built inside
 * functions (P3), numpy scalar maths (P12). Expected values follow Python's semantics, computed here.
 */
import * as assert from 'assert';
import { analyze as analyzeFile } from '../../../src/analysis/analyze';
import { analyze, evalGamma } from './python-helpers';

const ARGS = 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--gamma", type=float, default=0.9)\n' +
  'p.add_argument("--debug", action="store_true")\nargs = p.parse_args()\n';

describe('python audit P1: an object written under a condition follows the names\' policy', () => {
  it('a dict key set under an unknown `if` is unknown, naming the condition\'s line; the other keys stay known', async () => {
    const prelude = 'import os\nconfig = {"gamma": 0.9, "epochs": 3}\nif os.environ.get("FAST") == "1":\n    config["gamma"] = 0.5\n';
    const { arg, reason } = await evalGamma('config["gamma"]', prelude);
    assert.strictEqual(arg, undefined);
    assert.strictEqual(reason, '`config["gamma"]` depends on a condition at line 6');
    const other = await evalGamma('config["epochs"] / 4', prelude);
    assert.deepStrictEqual(other.arg, { kind: 'float', value: 0.75 });
  });

  it('an attribute of the argparse namespace set under an unknown `if` is unknown (not the branch\'s value)', async () => {
    const prelude = `${ARGS}if torch.cuda.device_count() > 1:\n    args.gamma = 0.5\n`;
    const { arg, reason } = await evalGamma('args.gamma', prelude);
    assert.strictEqual(arg, undefined);
    assert.strictEqual(reason, '`args.gamma` depends on a condition at line 9');
  });

  it('a branch the default arguments do not take leaves the attribute its default, labelled as the default', async () => {
    const { arg, call } = await evalGamma('args.gamma', `${ARGS}if args.debug:\n    args.gamma = 0.5\n`);
    assert.deepStrictEqual(arg, { kind: 'float', value: 0.9 });
    assert.match(call.assumed.find((a) => a.what === 'gamma')?.why ?? '', /default of --gamma/);
  });

  it('a branch the default arguments take sets the attribute, labelled with that branch', async () => {
    const { arg, call } = await evalGamma('args.gamma', `${ARGS}if not args.debug:\n    args.gamma = 0.5\n`);
    assert.deepStrictEqual(arg, { kind: 'float', value: 0.5 });
    assert.match(call.assumed.find((a) => a.what === 'gamma')?.why ?? '', /set on the branch `not args.debug`, taken with the default arguments/);
  });

  it('the same value on both paths is kept; different values on `if`/`else` are unknown', async () => {
    const same = await evalGamma('cfg["g"]', 'import sys\ncfg = {}\nif sys.argv:\n    cfg["g"] = 0.5\nelse:\n    cfg["g"] = 0.5\n');
    assert.deepStrictEqual(same.arg, { kind: 'float', value: 0.5 });
    const differ = await evalGamma('cfg["g"]', 'import sys\ncfg = {}\nif len(sys.argv) > 1:\n    cfg["g"] = 0.5\nelse:\n    cfg["g"] = 0.25\n');
    assert.strictEqual(differ.reason, '`cfg["g"]` depends on a condition at line 6');
  });

  it('a path that raises does not reach what follows: the other path\'s write counts', async () => {
    const { arg } = await evalGamma('cfg.g', 'import sys\nclass C:\n    g = 0.9\ncfg = C()\nif len(sys.argv) > 2:\n    raise SystemExit(1)\nelse:\n    cfg.g = 0.5\n');
    assert.deepStrictEqual(arg, { kind: 'float', value: 0.5 });
  });

  it('a list item and an instance attribute set in a method under an unknown `if`', async () => {
    const list = await evalGamma('gs[1]', 'import sys\ngs = [0.9, 0.8]\nif len(sys.argv) > 1:\n    gs[1] = 0.5\n');
    assert.strictEqual(list.reason, '`gs[1]` depends on a condition at line 6');
    const src = 'import os, torch\nfrom torch.optim.lr_scheduler import ExponentialLR\nclass M:\n    def __init__(self):\n        self.g = 0.9\n' +
      '        if os.environ.get("X"):\n            self.g = 0.5\n        self.opt = torch.optim.SGD(p, lr=0.1)\n        self.s = ExponentialLR(self.opt, gamma=self.g)\nm = M()\n';
    const res = await analyze(src);
    const info = res.calls.find((c) => c.kind === 'ExponentialLR')!.argInfo.find((a) => a.name === 'gamma')!;
    assert.strictEqual(info.reason, '`self.g` depends on a condition at line 6');
  });

  it('a `try` whose handler writes a key: the key depends on whether it raises', async () => {
    const { reason } = await evalGamma('cfg["g"]', 'cfg = {"g": 0.9}\ntry:\n    import apex\nexcept Exception:\n    cfg["g"] = 0.5\n');
    assert.strictEqual(reason, '`cfg["g"]` depends on whether the `try` at line 5 raises');
  });

  it('a key a loop body rewrites has the value of an unknown number of passes', async () => {
    const { reason } = await evalGamma('cfg["g"]', 'cfg = {"g": 0.9}\nfor i in range(3):\n    cfg["g"] = cfg["g"] * 0.5\n');
    assert.strictEqual(reason, '`cfg["g"]` changes in the loop at line 5');
    const kept = await evalGamma('cfg["g"]', 'cfg = {"g": 0.5}\nfor i in range(3):\n    x = cfg["g"]\n');
    assert.deepStrictEqual(kept.arg, { kind: 'float', value: 0.5 });
  });

  it('r01 (accelerate\'s examples): num_epochs set under an environment test is not the run\'s length', async () => {
    const src = 'import os, torch\nfrom torch.optim.lr_scheduler import StepLR\nconfig = {"lr": 0.1, "num_epochs": 3}\n' +
      'if os.environ.get("TESTING_MOCKED_DATALOADERS", None) == "1":\n    config["num_epochs"] = 2\n' +
      'optimizer = torch.optim.SGD(torch.nn.Linear(4, 4).parameters(), lr=config["lr"])\n' +
      'scheduler = StepLR(optimizer, step_size=config["num_epochs"], gamma=0.5)\n' +
      'for epoch in range(config["num_epochs"]):\n    optimizer.step()\n    scheduler.step()\n';
    const r = await analyzeFile(src, 'python', {});
    const s = r.schedulers[0]!;
    assert.strictEqual(s.curve, null);
    assert.match(s.error ?? '', /`config\["num_epochs"\]` depends on a condition at line 4/);
    assert.notStrictEqual(s.run?.epochs, 2);
  });
});

describe('python audit P3: a family schedule built inside a function is walked, whatever its variable is called', () => {
  /** transformers' get_linear_schedule_with_warmup (its lr_lambda), computed here. */
  const linearWarmup = (base: number, warm: number, total: number, k: number) =>
    base * (k < warm ? k / Math.max(1, warm) : Math.max(0, (total - k) / Math.max(1, total - warm)));

  for (const name of ['scheduler', 'sched', 'warmup_fn']) {
    it(`transformers in \`def main()\` bound to \`${name}\`: the exact curve`, async () => {
      const src = 'import torch\nfrom transformers import get_linear_schedule_with_warmup\n\ndef main():\n' +
        '    model = torch.nn.Linear(4, 2)\n    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)\n' +
        `    ${name} = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=100)\n\nmain()\n`;
      const r = await analyzeFile(src, 'python', {});
      const s = r.schedulers[0]!;
      assert.strictEqual(s.error, null);
      const lrs = s.curve!.lrs[0]!;
      for (const k of [0, 5, 10, 55, 100]) assert.ok(Math.abs(lrs[k]! - linearWarmup(1e-3, 10, 100, k)) <= 1e-15, `step ${k}: ${lrs[k]}`);
    });
  }

  it('an aliased import and optax in a function (flax\'s create_learning_rate_fn) are walked', async () => {
    const src = 'import optax\nfrom transformers import get_cosine_schedule_with_warmup as gcs\n' +
      'def create_learning_rate_fn(base, steps):\n    fn = optax.linear_schedule(init_value=0.0, end_value=base, transition_steps=steps)\n    return fn\n' +
      'def build(opt):\n    s = gcs(opt, 5, 50)\n    return s\n';
    const r = await analyzeFile(src, 'python', {});
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), ['optax.linear_schedule', 'transformers.get_cosine_schedule_with_warmup']);
    for (const s of r.schedulers) assert.ok(!/not reached/.test(s.error ?? ''), s.error ?? '');
  });
});

describe('python audit P12: numpy scalar maths on known numbers', () => {
  const NP = 'import numpy as np\n';
  const known: [string, { kind: string; value: number; numpy?: string }][] = [
    // tianshou's PPO: ceil(30000 / 2048) = 15 (a float64), times 100 epochs.
    ['np.ceil(30000 / 2048) * 100', { kind: 'float', value: 1500 }],
    ['np.ceil(3)', { kind: 'float', value: 3 }],
    ['np.floor(2.7)', { kind: 'float', value: 2 }],
    ['np.sqrt(0.25)', { kind: 'float', value: 0.5 }],
    ['np.sqrt(-1.0)', { kind: 'float', value: NaN }],
    ['np.log(0)', { kind: 'float', value: -Infinity }],
    ['np.exp(np.log(0.5))', { kind: 'float', value: Math.exp(Math.log(0.5)) }],
    ['np.cos(np.pi / 3)', { kind: 'float', value: Math.cos(Math.PI / 3) }],
    ['np.e', { kind: 'float', value: Math.E }],
    ['np.round(2.5)', { kind: 'float', value: 2 }],
    ['np.round(3.5)', { kind: 'float', value: 4 }],
    ['np.round(-2.5)', { kind: 'float', value: -2 }],
    ['np.round(7)', { kind: 'int', value: 7, numpy: 'int64' }],
    ['np.minimum(3, 5)', { kind: 'int', value: 3, numpy: 'int64' }],
    ['np.maximum(0.5, 1)', { kind: 'float', value: 1 }],
    ['np.int64(7.9)', { kind: 'int', value: 7, numpy: 'int64' }],
    ['np.float32(0.5)', { kind: 'float', value: 0.5, numpy: 'float32' }],
  ];
  // numpy's functions on ints give numpy integer scalars (type(np.round(7)) is numpy.int64), kept apart (`numpy`).
  for (const [expr, want] of known) {
    it(`${expr} is ${want.kind} ${want.value}`, async () => {
      const { arg, reason } = await evalGamma(expr, NP);
      assert.strictEqual(reason, undefined);
      assert.deepStrictEqual(arg, want);
    });
  }

  it('an array argument and a float32 rounding are unknown, said why', async () => {
    assert.match((await evalGamma('np.ceil([1.5])', NP)).reason ?? '', /numpy on a list is not evaluated/);
    assert.match((await evalGamma('np.float32(0.1)', NP)).reason ?? '', /float32 precision/);
  });

  it('r12 (tianshou): LambdaLR decays linearly to 0 over ceil(30000 / 2048) * 100 updates', async () => {
    const src = 'import argparse\nimport numpy as np\nimport torch\nfrom torch.optim.lr_scheduler import LambdaLR\n' +
      'parser = argparse.ArgumentParser()\nparser.add_argument("--lr", type=float, default=3e-4)\nparser.add_argument("--epoch", type=int, default=100)\n' +
      'parser.add_argument("--step-per-epoch", type=int, default=30000)\nparser.add_argument("--step-per-collect", type=int, default=2048)\n' +
      'args = parser.parse_args()\noptim = torch.optim.Adam(torch.nn.Linear(2, 2).parameters(), lr=args.lr)\n' +
      'max_update_num = np.ceil(args.step_per_epoch / args.step_per_collect) * args.epoch\n' +
      'lr_scheduler = LambdaLR(optim, lr_lambda=lambda epoch: 1 - epoch / max_update_num)\n';
    const r = await analyzeFile(src, 'python', { steps: 1501 });
    const lrs = r.schedulers[0]!.curve!.lrs[0]!;
    // The lambda rests on argparse defaults (through `max_update_num`): labelled.
    assert.match(r.schedulers[0]!.assumed.find((a) => a.what === 'lr_lambda')?.why ?? '', /`max_update_num`: default of --step-per-epoch/);
    const total = Math.ceil(30000 / 2048) * 100;
    for (const k of [0, 1, 750, 1500]) assert.ok(Math.abs(lrs[k]! - 3e-4 * (1 - k / total)) <= 1e-18, `step ${k}: ${lrs[k]}`);
  });
});

describe('python audit P5: one line LR Lens cannot evaluate in an argparse helper loses only what depends on it', () => {
  const helper = (body: string) => `import argparse, os\ndef get_args():\n    parser = argparse.ArgumentParser()\n` +
    `    parser.add_argument("--gamma", type=float, default=0.9)\n${body}\nargs = get_args()\n`;
  const gammaOf = async (prelude: string) => {
    const { arg, reason, call } = await evalGamma('args.gamma', prelude);
    return { arg, reason, why: call.assumed.find((a) => a.what === 'gamma')?.why ?? '' };
  };

  it('a default chosen by an unknown condition (cuda or cpu): the other options keep their defaults, labelled', async () => {
    const g = await gammaOf(helper('    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")\n    return parser.parse_args()'));
    assert.deepStrictEqual(g.arg, { kind: 'float', value: 0.9 }, g.reason);
    assert.match(g.why, /default of --gamma/);
  });

  it('`choices=dir(…)` and `int(os.environ.get("LOCAL_RANK", -1))` after parse_args()', async () => {
    const body = '    parser.add_argument("--interp", choices=dir(transforms.InterpolationMode))\n    args = parser.parse_args()\n' +
      '    env_local_rank = int(os.environ.get("LOCAL_RANK", -1))\n    if env_local_rank != -1 and env_local_rank != args.local_rank:\n' +
      '        args.local_rank = env_local_rank\n    return args';
    const g = await gammaOf(helper(body));
    assert.deepStrictEqual(g.arg, { kind: 'float', value: 0.9 }, g.reason);
    assert.match(g.why, /default of --gamma/);
    // The attribute the unknown condition sets is unknown itself, said why.
    const rank = await evalGamma('args.local_rank', helper(body));
    assert.match(rank.reason ?? '', /`args.local_rank` depends on a condition at line 11/);
  });

  it('a check that raises with the defaults (`if args.data is None: raise ValueError`) is passed: the run goes on', async () => {
    const body = '    parser.add_argument("--data", default=None)\n    args = parser.parse_args()\n' +
      '    if args.data is None:\n        raise ValueError("need --data")\n    return args';
    const g = await gammaOf(helper(body));
    assert.deepStrictEqual(g.arg, { kind: 'float', value: 0.9 }, g.reason);
    assert.match(g.why, /default of --gamma/);
    // At module level too: what follows the check is reached.
    const top = await gammaOf('import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--gamma", type=float, default=0.9)\n' +
      'parser.add_argument("--data", default=None)\nargs = parser.parse_args()\nif args.data is None:\n    raise ValueError("need --data")\n');
    assert.deepStrictEqual(top.arg, { kind: 'float', value: 0.9 }, top.reason);
  });

  it('a helper that always raises stays unknown, and a raise on an unknown condition leaves the other path', async () => {
    const always = await gammaOf('def get_args():\n    raise NotImplementedError\nargs = get_args()\n');
    assert.strictEqual(always.arg, undefined);
    const g = await gammaOf(helper('    args = parser.parse_args()\n    if not os.path.exists("data"):\n        raise SystemExit(1)\n    return args'));
    assert.deepStrictEqual(g.arg, { kind: 'float', value: 0.9 }, g.reason);
  });

  it('`ArgumentParser(parents=[get_args_parser()])` (DETR, DeiT) inherits the parent\'s options', async () => {
    const src = 'import argparse\ndef get_args_parser():\n    parser = argparse.ArgumentParser("train", add_help=False)\n' +
      '    parser.add_argument("--gamma", type=float, default=0.9)\n    return parser\n' +
      'parser = argparse.ArgumentParser("DeiT", parents=[get_args_parser()])\nparser.add_argument("--other", default=1)\nargs = parser.parse_args()\n';
    const g = await gammaOf(src);
    assert.deepStrictEqual(g.arg, { kind: 'float', value: 0.9 }, g.reason);
    assert.match(g.why, /default of --gamma/);
  });

  it('r09 (diffusers\' training scripts): cosine with 500 warm-up steps over 10,000, peaking at the default 1e-4', async () => {
    const src = 'import argparse, os\nimport torch\nfrom diffusers.optimization import get_scheduler\n' +
      helper('    parser.add_argument("--lr_warmup_steps", type=int, default=500)\n    args = parser.parse_args()\n' +
        '    env_local_rank = int(os.environ.get("LOCAL_RANK", -1))\n    if env_local_rank != -1 and env_local_rank != args.local_rank:\n' +
        '        args.local_rank = env_local_rank\n    return args').replace('import argparse, os\n', '') +
      'optimizer = torch.optim.AdamW(torch.nn.Linear(4, 4).parameters(), lr=1e-4)\n' +
      'lr_scheduler = get_scheduler("cosine", optimizer=optimizer, num_warmup_steps=args.lr_warmup_steps, num_training_steps=10000)\n';
    const r = await analyzeFile(src, 'python', {});
    const s = r.schedulers[0]!;
    assert.strictEqual(s.error, null);
    assert.match(s.assumed.find((a) => a.what === 'num_warmup_steps')?.why ?? '', /default of --lr_warmup_steps/);
    // transformers' cosine schedule with warm-up (num_cycles 0.5), computed here.
    const want = (k: number) => (k < 500 ? k / 500 : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * ((k - 500) / 9500))))) * 1e-4;
    const lrs = s.curve!.lrs[0]!;
    for (const k of [0, 250, 500, 5250, 9999]) assert.ok(Math.abs(lrs[k]! - want(k)) <= 1e-18, `step ${k}: ${lrs[k]} vs ${want(k)}`);
  });
});

describe('python audit P11: "would raise if …" names only what the failure read', () => {
  const TIMM = 'import argparse, types, torch\nfrom timm.scheduler import create_scheduler\n';

  it('timm\'s AttributeError on a SimpleNamespace is not conditioned on the assumed lr', async () => {
    const src = `${TIMM}cfg = types.SimpleNamespace(epochs=10)\noptimizer = torch.optim.SGD(params, lr=get_lr())\nsched, _ = create_scheduler(cfg, optimizer)\n`;
    const r = await analyzeFile(src, 'python', {});
    const s = r.schedulers[0]!;
    assert.match(s.error ?? '', /AttributeError: .* has no attribute 'sched'/);
    assert.ok(s.assumed.some((a) => a.what === 'lr'), JSON.stringify(s.assumed));
    const d = s.diagnostics.find((x) => /AttributeError/.test(x.message))!;
    assert.ok(!/would raise if lr/.test(d.message), d.message);
    assert.notStrictEqual(d.severity, 'error');
  });

  it('an argparse Namespace lacking a setting timm requires (a parent parser LR Lens cannot see) is unknown, not an AttributeError', async () => {
    const src = `${TIMM}from util_not_here import get_args_parser\nparser = argparse.ArgumentParser("DeiT", parents=[get_args_parser()])\n` +
      'args = parser.parse_args()\noptimizer = torch.optim.AdamW(params, lr=args.lr)\nsched, _ = create_scheduler(args, optimizer)\n';
    const r = await analyzeFile(src, 'python', {});
    const s = r.schedulers[0]!;
    assert.strictEqual(s.failure, null);
    assert.match(s.error ?? '', /`args.sched` is set at run time/);
    assert.ok(!s.diagnostics.some((d) => /AttributeError/.test(d.message)), JSON.stringify(s.diagnostics));
  });

  it('a failure about an argument that was assumed names that assumption only', async () => {
    const src = 'import argparse, torch\nfrom diffusers.optimization import get_scheduler\nparser = argparse.ArgumentParser()\n' +
      'parser.add_argument("--lr_scheduler", default="cosine_typo")\nargs = parser.parse_args()\n' +
      'optimizer = torch.optim.AdamW(params, lr=get_lr())\ns = get_scheduler(args.lr_scheduler, optimizer=optimizer, num_warmup_steps=10, num_training_steps=100)\n';
    const r = await analyzeFile(src, 'python', {});
    const s = r.schedulers[0]!;
    const d = s.diagnostics.find((x) => x.code !== 'LR000' || /Error/.test(x.message))!;
    assert.ok(d, JSON.stringify(s.diagnostics));
    assert.match(d.message, /would raise if name is '?cosine_typo'? \(assumed: default of --lr_scheduler/);
    assert.ok(!/lr is 0\.1/.test(d.message), d.message);
    assert.notStrictEqual(d.severity, 'error');
  });
});

describe('python audit P5: an `else: raise` the default arguments reach', () => {
  it('the branch that passes the check goes on, its values labelled as such', async () => {
    const prelude = 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--train_file", default=None)\nargs = p.parse_args()\n' +
      'if args.train_file is not None:\n    G = 0.5\nelse:\n    raise ValueError("Need a training file.")\n';
    const { arg, call } = await evalGamma('G', prelude);
    assert.deepStrictEqual(arg, { kind: 'float', value: 0.5 });
    assert.match(call.assumed.find((a) => a.what === 'gamma')?.why ?? '', /set on the branch `args.train_file is not None`, taken with arguments that pass the check/);
  });
});

describe('python audit P1: a list appended to under a condition', () => {
  it('appended under an unknown `if`: what reads the list is unknown, naming the condition', async () => {
    const prelude = 'import sys\nms = [30]\nif len(sys.argv) > 1:\n    ms.append(60)\n';
    const r = await analyze(`import torch\nfrom torch.optim.lr_scheduler import MultiStepLR\nopt = torch.optim.SGD([], lr=0.1)\n${prelude}s = MultiStepLR(opt, milestones=ms)\nn = len(ms)\n`);
    const info = r.calls[0]!.argInfo.find((a) => a.name === 'milestones')!;
    assert.strictEqual(info.known, false);
    assert.match(info.reason ?? '', /`ms` depends on a condition at line 6/);
  });

  it('appended on both paths alike, or on a branch not taken: the list is known', async () => {
    const both = await evalGamma('gs[1]', 'import sys\ngs = [0.9]\nif len(sys.argv) > 1:\n    gs.append(0.5)\nelse:\n    gs.append(0.5)\n');
    assert.deepStrictEqual(both.arg, { kind: 'float', value: 0.5 });
    const untaken = await evalGamma('len(gs) / 4', `${ARGS}gs = [0.9]\nif args.debug:\n    gs.append(0.5)\n`);
    assert.deepStrictEqual(untaken.arg, { kind: 'float', value: 0.25 });
  });
});

describe('python audit P5: a branch that raises only on some paths', () => {
  it('a branch the defaults take that returns on one path and raises on the other is still taken', async () => {
    const src = 'import argparse, os\ndef pick():\n    p = argparse.ArgumentParser()\n    p.add_argument("--fast", default=True)\n    args = p.parse_args()\n' +
      '    if args.fast:\n        if os.path.exists("x"):\n            return 0.5\n        else:\n            raise FileNotFoundError("x")\n    return 0.9\nG = pick()\n';
    const { arg, reason, call } = await evalGamma('G', src);
    assert.deepStrictEqual(arg, { kind: 'float', value: 0.5 }, reason);
    assert.match(call.assumed.find((a) => a.what === 'gamma')?.why ?? '', /returned on the branch `args.fast`, taken with the default arguments/);
  });
});
