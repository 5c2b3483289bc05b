/**
 * Subclasses of a torch scheduler with helper methods of their own (eighth audit: jeonsworld/ViT-pytorch
 * utils/scheduler.py, copied from pytorch-transformers 1.x: `WarmupCosineSchedule(LambdaLR)` sets
 * `self.warmup_steps`, `self.t_total`, then `super(WarmupCosineSchedule, self).__init__(optimizer, self.lr_lambda,
 * last_epoch=last_epoch)`, its `lr_lambda` a method). train.py said "no learning-rate scheduler found": a method
 * besides `__init__` made the class its own schedule, and a function body naming only the class was not walked.
 * Helper methods torch never calls now keep the class thin; one named as torch's (`get_lr`, `_annealing_cos`…) does
 * not. Expected values: torch 1.13 running the same classes (/tmp/a8t-repros/truth/t4_vit_warmup_subclasses.py).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { WorkspaceHost } from '../../../src/analysis/workspace';
import { run } from './pythonRun';

const VIT_UTILS = `import math
from torch.optim.lr_scheduler import LambdaLR


class WarmupLinearSchedule(LambdaLR):
    def __init__(self, optimizer, warmup_steps, t_total, last_epoch=-1):
        self.warmup_steps = warmup_steps
        self.t_total = t_total
        super(WarmupLinearSchedule, self).__init__(optimizer, self.lr_lambda, last_epoch=last_epoch)

    def lr_lambda(self, step):
        if step < self.warmup_steps:
            return float(step) / float(max(1, self.warmup_steps))
        return max(0.0, float(self.t_total - step) / float(max(1.0, self.t_total - self.warmup_steps)))


class WarmupCosineSchedule(LambdaLR):
    def __init__(self, optimizer, warmup_steps, t_total, cycles=.5, last_epoch=-1):
        self.warmup_steps = warmup_steps
        self.t_total = t_total
        self.cycles = cycles
        super(WarmupCosineSchedule, self).__init__(optimizer, self.lr_lambda, last_epoch=last_epoch)

    def lr_lambda(self, step):
        if step < self.warmup_steps:
            return float(step) / float(max(1.0, self.warmup_steps))
        progress = float(step - self.warmup_steps) / float(max(1, self.t_total - self.warmup_steps))
        return max(0.0, 0.5 * (1. + math.cos(math.pi * float(self.cycles) * 2.0 * progress)))
`;

const TRAIN = `import argparse
import torch
from utils.scheduler import WarmupLinearSchedule, WarmupCosineSchedule

parser = argparse.ArgumentParser()
parser.add_argument("--decay_type", choices=["cosine", "linear"], default="cosine")
parser.add_argument("--warmup_steps", default=50, type=int)
parser.add_argument("--num_steps", default=400, type=int)
parser.add_argument("--learning_rate", default=3e-2, type=float)
args = parser.parse_args()

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=args.learning_rate, momentum=0.9)
t_total = args.num_steps
if args.decay_type == "cosine":
    scheduler = WarmupCosineSchedule(optimizer, warmup_steps=args.warmup_steps, t_total=t_total)
else:
    scheduler = WarmupLinearSchedule(optimizer, warmup_steps=args.warmup_steps, t_total=t_total)
for step in range(t_total):
    optimizer.step()
    scheduler.step()
`;

// torch 1.13 at indices 0, 1, 25, 50, 51, 200, 399, 400.
const AT = [0, 1, 25, 50, 51, 200, 399, 400];
const TORCH: Record<string, number[]> = {
  WarmupCosineSchedule: [0.0, 0.0006, 0.015, 0.03, 0.029999395742563065, 0.018337814009344713, 6.042574369335973e-07, 0.0],
  WarmupLinearSchedule: [0.0, 0.0006, 0.015, 0.03, 0.029914285714285713, 0.01714285714285714, 8.571428571428571e-05, 0.0],
};

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-18;

describe('a thin subclass of a torch scheduler with helper methods (a bound `self.lr_lambda`)', () => {
  const host = (files: Record<string, string>): WorkspaceHost => ({ readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) });

  it('ViT-pytorch: both classes, from another module, on both branches of the `if`: torch\'s curves, labelled', async () => {
    const files: Record<string, string> = { '/r/utils/scheduler.py': VIT_UTILS, '/r/utils/__init__.py': '', '/r/train.py': TRAIN };
    const r = await analyze(TRAIN, 'python', { workspace: { host: host(files), root: '/r', file: '/r/train.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), ['LambdaLR', 'LambdaLR']);
    ['WarmupCosineSchedule', 'WarmupLinearSchedule'].forEach((cls, i) => {
      const s = r.schedulers[i]!;
      assert.strictEqual(s.run!.steps, 400);
      const lrs = s.curve!.lrs[0]!;
      AT.forEach((k, j) => assert.ok(close(lrs[k]!, TORCH[cls]![j]!), `${cls}[${k}] = ${lrs[k]} (torch ${TORCH[cls]![j]})`));
      // The lambda reads argparse defaults through the instance: said so.
      assert.ok(s.assumed.some((a) => a.what === 'lr_lambda' && /--warmup_steps/.test(a.why) && /--num_steps/.test(a.why)), JSON.stringify(s.assumed));
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    });
  });

  it('built in a factory function the script calls (its body names only the subclass): found, torch\'s curve', async () => {
    const train = `import torch
from utils.scheduler import WarmupLinearSchedule, WarmupCosineSchedule

def make_scheduler(optimizer, decay_type, warmup_steps, t_total):
    if decay_type == "cosine":
        return WarmupCosineSchedule(optimizer, warmup_steps=warmup_steps, t_total=t_total)
    return WarmupLinearSchedule(optimizer, warmup_steps=warmup_steps, t_total=t_total)

def train():
    model = torch.nn.Linear(4, 4)
    optimizer = torch.optim.SGD(model.parameters(), lr=3e-2, momentum=0.9)
    scheduler = make_scheduler(optimizer, "linear", 50, 400)
    for step in range(400):
        optimizer.step()
        scheduler.step()

train()
`;
    const files: Record<string, string> = { '/r/utils/scheduler.py': VIT_UTILS, '/r/utils/__init__.py': '', '/r/train.py': train };
    const r = await analyze(train, 'python', { workspace: { host: host(files), root: '/r', file: '/r/train.py' }, strict: true });
    const stepped = r.schedulers.filter((x) => x.run?.steps === 400);
    assert.strictEqual(stepped.length, 1, JSON.stringify(r.schedulers.map((x) => [x.range.start.line, x.run?.steps])));
    AT.forEach((k, j) => assert.ok(close(stepped[0]!.curve!.lrs[0]![k]!, TORCH.WarmupLinearSchedule![j]!), `[${k}] = ${stepped[0]!.curve!.lrs[0]![k]}`));
  });

  it('in the file: a helper method keeps it thin; a method named as torch\'s (`_annealing_cos`, `get_lr`) does not', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LambdaLR, OneCycleLR


class Halving(LambdaLR):
    def __init__(self, optimizer, k):
        self.k = k
        super().__init__(optimizer, self.f)

    def f(self, e):
        return self.k ** e


class LinearOneCycle(OneCycleLR):
    def __init__(self, optimizer, max_lr, total_steps):
        super().__init__(optimizer, max_lr=max_lr, total_steps=total_steps)

    def _annealing_cos(self, start, end, pct):
        return (end - start) * pct + start


class OwnLR(LambdaLR):
    def __init__(self, optimizer):
        super().__init__(optimizer, lambda e: 1.0)

    def get_lr(self):
        return [0.5 * b for b in self.base_lrs]


def train():
    model = torch.nn.Linear(4, 4)
    optimizer = torch.optim.SGD(model.parameters(), lr=3e-2, momentum=0.9)
    scheduler = Halving(optimizer, 0.5)
    one = LinearOneCycle(torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), 0.1, 10)
    own = OwnLR(torch.optim.SGD(model.parameters(), lr=0.1))
    for step in range(4):
        optimizer.step()
        scheduler.step()
        one.step()
        own.step()

train()
`);
    // torch 1.13: 0.03 · 0.5^4 = 0.001875 after 4 steps.
    assert.strictEqual(r.schedulers.length, 1, JSON.stringify(r.schedulers.map((s) => s.kind)));
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.steps, 4);
    assert.ok(close(s.curve!.lrs[0]![4]!, 0.001875));
  });
});
