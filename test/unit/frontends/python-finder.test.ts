/** Finding constructions: import styles, formatting, locations, syntax errors, variables, uses, members. */
import * as assert from 'assert';
import { analyze, callOf } from './python-helpers';

const OPT = 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\n';

const IMPORT_STYLES: [string, string][] = [
  ['from-import', 'import torch\nfrom torch.optim.lr_scheduler import StepLR\n' + OPT + 's = StepLR(opt, 10)'],
  ['from-import with alias', 'import torch\nfrom torch.optim.lr_scheduler import StepLR as Step\n' + OPT + 's = Step(opt, 10)'],
  ['module alias', 'import torch\nimport torch.optim.lr_scheduler as S\n' + OPT + 's = S.StepLR(opt, 10)'],
  ['fully qualified', 'import torch\n' + OPT + 's = torch.optim.lr_scheduler.StepLR(opt, 10)'],
  ['optim alias', 'import torch\nimport torch.optim as optim\n' + OPT + 's = optim.lr_scheduler.StepLR(opt, 10)'],
  ['from torch.optim import lr_scheduler', 'import torch\nfrom torch.optim import lr_scheduler\n' + OPT + 's = lr_scheduler.StepLR(opt, 10)'],
  ['from torch import optim', 'import torch\nfrom torch import optim\n' + OPT + 's = optim.lr_scheduler.StepLR(opt, 10)'],
  ['wildcard', 'import torch\nfrom torch.optim.lr_scheduler import *\n' + OPT + 's = StepLR(opt, 10)'],
  ['import inside a function', 'import torch\ndef f():\n    from torch.optim.lr_scheduler import StepLR\n    ' + OPT + '    s = StepLR(opt, 10)\n'],
];

describe('python frontend: import styles', () => {
  for (const [title, src] of IMPORT_STYLES) {
    it(title, async () => {
      const res = await analyze(src);
      const s = callOf(res, 's');
      assert.strictEqual(s.kind, 'StepLR');
      assert.strictEqual(s.family, 'torch');
      assert.notStrictEqual(s.schedulerIndex, null);
      assert.deepStrictEqual(s.args['step_size'], { kind: 'int', value: 10 });
      assert.strictEqual(res.program.optimizers[res.program.schedulers[s.schedulerIndex!]!.optimizer!]!.groups[0]!.lr, 0.1);
    });
  }

  it('does not take a same-named class from elsewhere for a torch scheduler', async () => {
    const res = await analyze('from mylib import StepLR\ns = StepLR(opt, 10)\nclass X:\n    pass\nt = X.StepLR(1)\n');
    assert.strictEqual(res.calls.length, 0);
  });

  it('blog classes: defined in the file or imported from any module', async () => {
    const defined = await analyze(`import torch\nclass WarmupConstantSchedule(torch.optim.lr_scheduler.LambdaLR):\n    def __init__(self, optimizer, warmup_steps, last_epoch=-1):\n        super().__init__(optimizer, lambda s: 1.0, last_epoch=last_epoch)\n${OPT}s = WarmupConstantSchedule(opt, warmup_steps=5)\n`);
    assert.strictEqual(callOf(defined, 's').family, 'blog');
    assert.strictEqual(defined.calls.length, 1, 'the super().__init__ inside the class is not a construction');
    const imported = await analyze(`import torch\nfrom utils.sched import CosineAnnealingWarmUpRestarts as CAWUR\n${OPT}s = CAWUR(opt, T_0=10, eta_max=0.1)\n`);
    const s = callOf(imported, 's');
    assert.strictEqual(s.kind, 'CosineAnnealingWarmUpRestarts');
    assert.strictEqual(s.family, 'blog');
    assert.notStrictEqual(s.schedulerIndex, null);
  });

  it('every torch scheduler class is recognised', async () => {
    const kinds = ['LambdaLR', 'MultiplicativeLR', 'StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR', 'PolynomialLR',
      'CosineAnnealingLR', 'CyclicLR', 'OneCycleLR', 'CosineAnnealingWarmRestarts', 'SequentialLR', 'ChainedScheduler', 'ReduceLROnPlateau'];
    const src = `import torch.optim.lr_scheduler as S\n${kinds.map((k, i) => `s${i} = S.${k}(opt)`).join('\n')}\n`;
    const res = await analyze(src);
    assert.deepStrictEqual(res.calls.map((c) => c.kind), kinds);
  });
});

describe('python frontend: formatting and locations', () => {
  it('multi-line call with comments and a trailing comma; ranges are the call and callee', async () => {
    const src = `import torch\nfrom torch.optim import lr_scheduler\n${OPT}sched = lr_scheduler.MultiStepLR(  # decay\n    opt,\n    milestones=[30,  # first\n                60],\n    gamma=0.1,  # ten times\n)\n`;
    const res = await analyze(src);
    const s = callOf(res, 'sched');
    assert.deepStrictEqual(s.args['milestones'], { kind: 'list', items: [{ kind: 'int', value: 30 }, { kind: 'int', value: 60 }] });
    assert.deepStrictEqual(s.range, { start: { line: 3, character: 8 }, end: { line: 8, character: 1 } });
    assert.deepStrictEqual(s.calleeRange, { start: { line: 3, character: 8 }, end: { line: 3, character: 32 } });
    const m = s.argInfo.find((a) => a.name === 'milestones')!;
    assert.deepStrictEqual(m.range, { start: { line: 5, character: 15 }, end: { line: 6, character: 19 } });
    assert.strictEqual(m.display, '[30, 60]');
  });

  it('positions are UTF-16 columns', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\n${OPT}s = ("é😀", StepLR(opt, 3))[1]\n`;
    const res = await analyze(src);
    const s = res.calls[0]!;
    assert.strictEqual(s.range.start.character, src.split('\n')[3]!.indexOf('StepLR'));
  });

  it('a syntax error elsewhere does not hide other constructions', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR, ExponentialLR\n${OPT}a = StepLR(opt, 5)\ndef broken(:\n    x = = 2\nb = ExponentialLR(opt, 0.9)\nc = StepLR(opt, 7\n`;
    const res = await analyze(src);
    assert.strictEqual(res.diagnostics.filter((d) => d.severity === 'error').length, 0, 'parse errors are not reported here');
    assert.deepStrictEqual(callOf(res, 'a').args['step_size'], { kind: 'int', value: 5 });
    assert.deepStrictEqual(callOf(res, 'b').args['gamma'], { kind: 'float', value: 0.9 });
  });

  it('constructions inside functions, methods, dicts and lists (Lightning style)', async () => {
    const src = `import torch
from torch.optim.lr_scheduler import OneCycleLR, StepLR

class Model(LightningModule):
    def __init__(self, lr=1e-3, total=1000):
        super().__init__()
        self.lr = lr
        self.total = total

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.lr)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": OneCycleLR(optimizer, max_lr=self.lr * 10, total_steps=self.total), "interval": "step"},
        }

def make(opt):
    return [StepLR(opt, 10)]
`;
    const res = await analyze(src);
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['OneCycleLR', 'StepLR']);
    const one = res.calls[0]!;
    assert.notStrictEqual(one.schedulerIndex, null);
    assert.deepStrictEqual(one.args['total_steps'], { kind: 'int', value: 1000 });
    assert.ok(Math.abs((one.args['max_lr'] as { value: number }).value - 1e-2) < 1e-15);
    // The lr came from a parameter default: labelled as an assumption.
    assert.strictEqual(one.argInfo.find((a) => a.name === 'max_lr')!.assumed, true);
    assert.strictEqual(one.optimizer?.type, 'AdamW');
    assert.strictEqual(one.variable, null);
  });

  it('variable is the name as written, including self attributes', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\nclass T:\n    def __init__(self, model):\n        self.opt = torch.optim.SGD(model.parameters(), lr=0.1)\n        self.scheduler = (StepLR(self.opt, 3))\n        self.scheduler.step()\n`;
    const res = await analyze(src);
    const s = callOf(res, 'self.scheduler');
    assert.strictEqual(s.optimizer?.groupLrs[0], 0.1);
    assert.deepStrictEqual(s.uses.map((u) => u.method), ['step']);
  });

  it('constructions under if __name__ == "__main__": are walked', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\nif __name__ == "__main__":\n    ${OPT}    s = StepLR(opt, 4)\n`;
    const res = await analyze(src);
    assert.notStrictEqual(callOf(res, 's').schedulerIndex, null);
  });

  it('a construction in a branch that never runs is reported without being built', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\n${OPT}if False:\n    s = StepLR(opt, 4)\nf = lambda o: StepLR(o, 2)\n`;
    const res = await analyze(src);
    assert.strictEqual(res.calls.length, 2);
    assert.ok(res.calls.every((c) => c.schedulerIndex === null));
    assert.strictEqual(res.calls[0]!.unknownReason, 'not reached: its condition `False` (line 4) is always false');
    assert.ok(res.calls[1]!.unknownReason?.startsWith('inside a lambda'), res.calls[1]!.unknownReason ?? '');
    // The written arguments still get their ArgInfo (with ranges), unknown.
    const step = res.calls[0]!.argInfo.find((a) => a.name === 'step_size')!;
    assert.strictEqual(step.known, false);
    assert.strictEqual(step.text, '4');
    assert.deepStrictEqual(step.range?.start, { line: 4, character: 20 });
    assert.strictEqual(res.program.schedulers.length, 0);
  });

  it('code after a return is reported as not reached', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\ndef f(opt):\n    return None\n    s = StepLR(opt, 4)\n`;
    const res = await analyze(src);
    assert.strictEqual(callOf(res, 's').unknownReason, 'not reached: it comes after the `return` at line 4');
  });
});

describe('python frontend: program, members and uses', () => {
  it('SequentialLR members are scheduler refs; members know their container', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import LinearLR, CosineAnnealingLR, SequentialLR\n${OPT}w = LinearLR(opt, start_factor=0.1, total_iters=5)\nsched = SequentialLR(opt, [w, CosineAnnealingLR(opt, T_max=95)], milestones=[5])\n`;
    const res = await analyze(src);
    assert.deepStrictEqual(res.program.schedulers.map((s) => s.kind), ['LinearLR', 'CosineAnnealingLR', 'SequentialLR']);
    const seq = callOf(res, 'sched');
    assert.strictEqual(seq.schedulerIndex, 2);
    assert.deepStrictEqual(seq.args['schedulers'], { kind: 'list', items: [{ kind: 'scheduler', index: 0 }, { kind: 'scheduler', index: 1 }] });
    assert.deepStrictEqual(res.calls.map((c) => c.memberOf), [2, 2, null]);
    assert.strictEqual(seq.argInfo.find((a) => a.name === 'schedulers')!.display, '[w, CosineAnnealingLR(…)]');
    assert.strictEqual(seq.argInfo.find((a) => a.name === 'optimizer')!.display, 'opt');
    assert.strictEqual(res.program.schedulers[2]!.optimizer, 0);
  });

  it('a member that cannot be built makes the container unknown', async () => {
    const src = `import torch, sys\nfrom torch.optim.lr_scheduler import StepLR, ChainedScheduler\n${OPT}a = StepLR(opt, int(sys.argv[1]))\nc = ChainedScheduler([a])\n`;
    const res = await analyze(src);
    const c = callOf(res, 'c');
    assert.strictEqual(c.schedulerIndex, null);
    assert.ok(c.unknownReason?.includes('StepLR `a` could not be built'), c.unknownReason ?? '');
    assert.strictEqual(c.optimizer, null);
  });

  it('ChainedScheduler shows its members\' optimizer', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR, ChainedScheduler\n${OPT}c = ChainedScheduler([StepLR(opt, 3)])\n`;
    const c = callOf(await analyze(src), 'c');
    assert.deepStrictEqual(c.optimizer?.groupLrs, [0.1]);
    assert.strictEqual(c.optimizer?.variable, 'opt');
  });

  it('records step / get_last_lr uses with their arguments, also from functions', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\n${OPT}s = StepLR(opt, 3)\nprint(s.get_last_lr())\ndef train():\n    for epoch in range(10):\n        opt.step()\n        s.step(epoch)\n`;
    const res = await analyze(src);
    const s = callOf(res, 's');
    assert.deepStrictEqual(s.uses.map((u) => u.method), ['get_last_lr', 'step']);
    assert.deepStrictEqual(s.uses[1]!.args, [{ kind: 'object', typeName: 'unknown' }]);
    assert.strictEqual(s.uses[1]!.range.start.line, 8);
  });

  it('binding failures are reported with Python\'s TypeError', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\n${OPT}s = StepLR(opt, gamma=0.5)\nt = StepLR(opt, 3, stepsize=2)\n`;
    const res = await analyze(src);
    assert.deepStrictEqual(callOf(res, 's').bindFailure?.message, "StepLR.__init__() missing 1 required positional argument: 'step_size'");
    assert.deepStrictEqual(callOf(res, 't').bindFailure?.message, "StepLR.__init__() got an unexpected keyword argument 'stepsize'");
    assert.strictEqual(callOf(res, 's').schedulerIndex, null);
    assert.deepStrictEqual(callOf(res, 's').argInfo.find((a) => a.name === 'step_size'),
      { name: 'step_size', range: null, text: '', known: false, display: '?', reason: 'not given', isDefault: false });
  });

  it('argInfo covers every parameter, defaults marked', async () => {
    const src = `import torch\nfrom torch.optim.lr_scheduler import StepLR\n${OPT}s = StepLR(opt, 3)\n`;
    const s = callOf(await analyze(src), 's');
    assert.deepStrictEqual(s.argInfo.map((a) => [a.name, a.isDefault, a.display]),
      [['optimizer', false, 'opt'], ['step_size', false, '3'], ['gamma', true, '0.1'], ['last_epoch', true, '-1'], ['verbose', true, 'False']]);
  });

  it('**kwargs from a known dict are expanded; unknown ones make the call unknown', async () => {
    const src = `import torch, sys\nfrom torch.optim.lr_scheduler import StepLR\n${OPT}kw = {"step_size": 4, "gamma": 0.5}\na = StepLR(opt, **kw)\nb = StepLR(opt, **sys.kwargs)\n`;
    const res = await analyze(src);
    assert.deepStrictEqual(callOf(res, 'a').args['gamma'], { kind: 'float', value: 0.5 });
    assert.ok(callOf(res, 'b').unknownReason?.includes('**sys.kwargs'));
  });
});
