/** Resolving the optimizer argument: classes, aliases, param groups, torch defaults, assumptions. */
import * as assert from 'assert';
import { analyze, callOf } from './python-helpers';

const HEAD = 'import torch\nfrom torch.optim.lr_scheduler import StepLR\n';

async function optimizerOf(optLines: string, opts: { assumedLr?: number } = {}) {
  const res = await analyze(`${HEAD}${optLines}\ns = StepLR(opt, 10)\n`, opts);
  const s = callOf(res, 's');
  const index = res.program.schedulers[s.schedulerIndex!]!.optimizer!;
  return { init: res.program.optimizers[index]!, info: s.optimizer!, call: s, res };
}

describe('python frontend: optimizer resolution', () => {
  it('SGD with lr and momentum; torch keys in defaults', async () => {
    const { init, info } = await optimizerOf('opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)');
    assert.strictEqual(init.type, 'SGD');
    assert.deepStrictEqual(init.groups, [{ lr: 0.05, momentum: 0.9 }]);
    assert.strictEqual(init.defaults.momentum, 0.9);
    assert.deepStrictEqual(info.groupLrs, [0.05]);
    assert.strictEqual(info.variable, 'opt');
    assert.deepStrictEqual(info.assumptions, []);
  });

  it('positional lr, import aliases, default lr and betas of Adam-like classes', async () => {
    const a = await optimizerOf('import torch.optim as optim\nopt = optim.SGD(model.parameters(), 0.2, 0.5)');
    assert.deepStrictEqual(a.init.groups, [{ lr: 0.2, momentum: 0.5 }]);
    const b = await optimizerOf('from torch.optim import AdamW as W\nopt = W(model.parameters())');
    assert.strictEqual(b.init.type, 'AdamW');
    // torch 1.13: AdamW(lr=1e-3, betas=(0.9, 0.999)).
    assert.deepStrictEqual(b.init.groups, [{ lr: 1e-3, betas: [0.9, 0.999] }]);
    const c = await optimizerOf('from torch import optim\nopt = optim.Adam(model.parameters(), 3e-4, (0.8, 0.99))');
    assert.deepStrictEqual(c.init.groups, [{ lr: 3e-4, betas: [0.8, 0.99] }]);
  });

  it('param groups: per-group lr and momentum, groups without lr take the top-level lr', async () => {
    const { init, info } = await optimizerOf(`opt = torch.optim.SGD([
    {"params": backbone.parameters(), "lr": 0.01, "momentum": 0.5},
    {"params": head.parameters()},
], lr=0.1, momentum=0.9)`);
    assert.deepStrictEqual(init.groups, [{ lr: 0.01, momentum: 0.5 }, { lr: 0.1, momentum: 0.9 }]);
    assert.deepStrictEqual(info.groupLrs, [0.01, 0.1]);
  });

  it('groups built from constants and dict() calls', async () => {
    const { init } = await optimizerOf('LR = 0.1\ngroups = [dict(params=a.parameters(), lr=LR / 10), dict(params=b.parameters())]\nopt = torch.optim.SGD(groups, lr=LR)');
    assert.deepStrictEqual(init.groups.map((g) => g.lr), [0.01, 0.1]);
  });

  it('an unknown lr is replaced by assumedLr and labelled everywhere', async () => {
    const { init, info, call } = await optimizerOf('import sys\nopt = torch.optim.SGD(m.parameters(), lr=float(sys.argv[1]))', { assumedLr: 0.2 });
    assert.deepStrictEqual(init.groups.map((g) => g.lr), [0.2]);
    assert.strictEqual(info.assumptions.length, 1);
    assert.ok(info.assumptions[0]!.startsWith('lr assumed 0.2 ('), info.assumptions[0]);
    const arg = call.argInfo.find((a) => a.name === 'optimizer')!;
    assert.strictEqual(arg.assumed, true);
    assert.ok(arg.reason?.includes('lr assumed 0.2'));
    assert.notStrictEqual(call.schedulerIndex, null);
  });

  it('an unknown lr of one group only affects that group', async () => {
    const { init, info } = await optimizerOf('import sys\nopt = torch.optim.SGD([{"params": a, "lr": sys.lr}, {"params": b}], lr=0.1)');
    assert.deepStrictEqual(init.groups.map((g) => g.lr), [0.1, 0.1]);
    assert.ok(info.assumptions[0]!.startsWith('lr of group 0 assumed 0.1'), info.assumptions[0]);
  });

  it('an unresolvable optimizer argument becomes an assumed one-group optimizer', async () => {
    const res = await analyze(`${HEAD}def make(optimizer):\n    s = StepLR(optimizer, 10)\n`, { assumedLr: 0.3 });
    const s = callOf(res, 's');
    assert.notStrictEqual(s.schedulerIndex, null);
    const init = res.program.optimizers[res.program.schedulers[s.schedulerIndex!]!.optimizer!]!;
    assert.deepStrictEqual(init.groups.map((g) => g.lr), [0.3]);
    assert.ok(s.optimizer!.assumptions[0]!.includes('parameter `optimizer` of `make()`, set by the caller'));
    assert.strictEqual(s.argInfo[0]!.assumed, true);
  });

  it('torch\'s own optimizer errors are noted (SGD without lr)', async () => {
    const { info } = await optimizerOf('opt = torch.optim.SGD(model.parameters())');
    assert.ok(info.assumptions.some((a) => a.includes("parameter group didn't specify a value of required optimization parameter lr")), JSON.stringify(info.assumptions));
  });

  it('a non-optimizer passed as optimizer goes to the engine as an object (torch raises TypeError)', async () => {
    const res = await analyze(`${HEAD}s = StepLR("adam", 10)\n`);
    const s = callOf(res, 's');
    assert.deepStrictEqual(res.program.schedulers[s.schedulerIndex!]!.args['optimizer'], { kind: 'str', value: 'adam' });
    assert.strictEqual(res.program.schedulers[s.schedulerIndex!]!.optimizer, null);
  });

  it('one Program per file: module objects first, then each function\'s own, in evaluation order', async () => {
    const res = await analyze(`${HEAD}def setup(model):\n    o2 = torch.optim.Adam(model.parameters(), lr=1e-3)\n    s2 = StepLR(o2, 5)\n    return s2\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\ns = StepLR(opt, 10)\n`);
    assert.deepStrictEqual(res.program.optimizers.map((o) => o.type), ['SGD', 'Adam']);
    assert.deepStrictEqual(res.program.schedulers.map((x) => x.optimizer), [0, 1]);
    assert.deepStrictEqual(res.calls.map((c) => c.variable), ['s', 's2']);
  });

  it('a scheduler built by a helper function called at module level is built with the real optimizer', async () => {
    const res = await analyze(`${HEAD}def build(o, every):\n    return StepLR(o, every)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\nsched = build(opt, 7)\nsched.step()\n`);
    assert.strictEqual(res.calls.length, 1);
    const c = res.calls[0]!;
    assert.deepStrictEqual(c.args['step_size'], { kind: 'int', value: 7 });
    assert.deepStrictEqual(c.optimizer?.groupLrs, [0.1]);
    assert.deepStrictEqual(c.uses.map((u) => u.method), ['step']);
  });
});

describe('python frontend: optimizer errors print numbers as written', () => {
  for (const [args, message] of [
    ['lr=-1.0', 'Invalid learning rate: -1.0'],
    ['lr=-1', 'Invalid learning rate: -1'],
    ['lr=0.1, momentum=-2.0', 'Invalid momentum value: -2.0'],
  ] as const) {
    it(`SGD([], ${args}) → ${message}`, async () => {
      const { info } = await optimizerOf(`opt = torch.optim.SGD([], ${args})`);
      assert.ok(info.assumptions.includes(`torch would raise ValueError: ${message}`), JSON.stringify(info.assumptions));
    });
  }
  it('Adam(betas=(1, 0.9)) → index 0: 1 (an int stays an int)', async () => {
    const { info } = await optimizerOf('opt = torch.optim.Adam([], betas=(1, 0.9))');
    assert.ok(info.assumptions.includes('torch would raise ValueError: Invalid beta parameter at index 0: 1'), JSON.stringify(info.assumptions));
  });
});
