/**
 * A `.step()` under a condition in the training loop (audit P2): the passes where the condition holds, a guard on
 * the scheduler itself counted fully, an undecidable condition leaving the run length unknown with why. The
 * expected counts and lrs are what real torch 1.13 (Debian python3-torch, /usr/bin/python3) did with the same
 * loops, run once and recorded here (the tests need no torch).
 */
import * as assert from 'assert';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { byVar, last, run } from './pythonRun';
import { describeRun, runBrief } from '../../../src/analysis/run';

const TORCH = {
  /** StepLR(step_size=10, gamma=0.5), lr 0.1, `for epoch in range(1, 101): if epoch > 5: step()`. */
  warmAbove5: { calls: 95, last: 0.0001953125 },
  /** The same with `if epoch < 30:`. */
  below30: { calls: 29, last: 0.025 },
  /** CosineAnnealingLR(T_max=100), lr 0.1, `for epoch in range(100): if epoch > 5: … else: scheduler.step()`. */
  swaCosine: [0.1, 0.09997532801828658, 0.09990133642141358, 0.099778098230154, 0.0996057350657239, 0.09938441702975688, 0.09911436253643444],
  /** StepLR(step_size=4, gamma=0.5), lr 0.1, `for epoch in range(0, 20): if epoch >= 5: step()`. */
  fromArgs: { calls: 15, last: 0.0125 },
  /**
   * StepLR(step_size=2, gamma=0.5), lr 0.1, 12 epochs: `if epoch < 4: continue` (and `if epoch % 3 == 0: …;
   * continue`) before `scheduler.step()`: torch's last_epoch 8, lr 0.00625 (12 calls would end at 0.0015625).
   */
  continueBefore: { calls: 8, last: 0.00625 },
  /**
   * StepLR(step_size=4, gamma=0.5), lr 0.1, 12 epochs, a step() on both branches: `if epoch % 3 != 0: step() else:
   * step()`, and timm train.py's `if (epoch + 1) % val_interval != 0 and …: step(); continue` then `step()`:
   * last_epoch 12, lr 0.0125 (one branch alone: 8 calls, 0.025).
   */
  bothBranches: { calls: 12, last: 0.0125 },
  /** StepLR(step_size=4, gamma=0.5), lr 0.1: step() per batch (12 epochs × 5) and again per epoch: last_epoch 72, lr 0.5 ** 18 / 10. */
  batchAndEpoch: { calls: 72, last: 3.814697265625e-07 },
};

const head = `import torch
from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR
model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
`;

describe('a scheduler step under a condition (audit P2)', () => {
  it('`if epoch > warm:` counts the passes where it holds: 95 step() calls, the lr torch ends at', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
warm = 5
for epoch in range(1, 101):
    optimizer.step()
    if epoch > warm:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.epochs, 100);
    assert.strictEqual(s.run?.steps, TORCH.warmAbove5.calls);
    assert.strictEqual(s.horizon.steps, TORCH.warmAbove5.calls + 1);
    assert.strictEqual(last(s), TORCH.warmAbove5.last);
    assert.match(s.run!.source, /under `epoch > warm`: 95 of 100 passes/);
    assert.match(describeRun(s.run!), /100 epochs, 95 step\(\) calls/);
    assert.strictEqual(runBrief(s.run!), 'per epoch × 100 (95 calls)');
  });

  it('`if epoch < 30:` in range(1, 101): 29 calls (torch ends at 0.025, not 100 calls\' 9.8e-05)', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
for epoch in range(1, 101):
    optimizer.step()
    if epoch < 30:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, TORCH.below30.calls);
    assert.strictEqual(last(s), TORCH.below30.last);
  });

  it('the SWA pattern: the `else` branch of `if epoch > swa_start:` is stepped swa_start + 1 times', async () => {
    const s = byVar(await run(`${head}from torch.optim.swa_utils import AveragedModel, SWALR
swa_model = AveragedModel(model)
scheduler = CosineAnnealingLR(optimizer, T_max=100)
swa_start = 5
swa_scheduler = SWALR(optimizer, swa_lr=0.05)
for epoch in range(100):
    optimizer.step()
    if epoch > swa_start:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 6);
    assert.match(s.run!.source, /not \(epoch > swa_start\)/);
    const row = [...s.curve!.lrs[0]!];
    assert.strictEqual(row.length, TORCH.swaCosine.length);
    row.forEach((v, i) => assert.ok(Math.abs(v - TORCH.swaCosine[i]!) <= 1e-12 * TORCH.swaCosine[i]!, `value ${i}: ${v}`));
  });

  it('`elif`: the earlier conditions are false there, its own is true', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
for epoch in range(100):
    if epoch < 10:
        pass
    elif epoch < 50:
        scheduler.step()
`), 'scheduler');
    // epochs 10 … 49
    assert.strictEqual(s.run?.steps, 40);
  });

  it('a condition around the whole loop (`if __name__ == "__main__":`) does not decide the passes', async () => {
    const s = byVar(await run(`${head}import sys
if __name__ == '__main__' and len(sys.argv) > 0:
    scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
    for epoch in range(40):
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 40);
  });

  it('`if (epoch + 1) % 10 == 0:` in the epoch loop: a step every 10 epochs (torch: 10 calls), not gradient accumulation', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
for epoch in range(100):
    for batch in loader:
        optimizer.step()
    if (epoch + 1) % 10 == 0:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.steps, 10);
    // torch 1.13: [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125]
    assert.deepStrictEqual([...s.curve!.lrs[0]!], [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125]);
  });

  it('the same through a name the epoch loop computes from its variable (timm\'s `epoch_p_1 = epoch + 1`): not gradient accumulation', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
for epoch in range(100):
    for batch in loader:
        optimizer.step()
    epoch_p_1 = epoch + 1
    if epoch_p_1 % 10 == 0:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.accumulation, undefined);
    // The passes of a condition on a derived name are not counted (said so), where `epoch + 1` is.
    assert.match(s.run?.conditional ?? '', /`epoch_p_1 % 10 == 0`/);
  });

  it('a guard on the scheduler itself counts every pass', async () => {
    for (const guard of ['scheduler is not None', 'scheduler', 'not scheduler is None']) {
      const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
for epoch in range(50):
    optimizer.step()
    if ${guard}:
        scheduler.step()
`), 'scheduler');
      assert.strictEqual(s.run?.steps, 50, guard);
      assert.strictEqual(s.run?.conditional, undefined, guard);
    }
  });

  it('a condition on a value the loop changes: the run length is unknown with why, never the full count', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
best = 1e9
for epoch in range(100):
    val_loss = evaluate(model)
    if val_loss < best:
        best = val_loss
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.steps, null);
    assert.match(s.run!.conditional ?? '', /`val_loss < best`.*changes during the run/);
    assert.strictEqual(s.horizon.fromRun, undefined);
    assert.match(describeRun(s.run!), /step\(\) calls not counted/);
    assert.strictEqual(runBrief(s.run!), 'per epoch × 100 (calls not counted)');
  });

  it('a condition from argparse defaults: counted with them, labelled as assumed', async () => {
    const s = byVar(await run(`import argparse
${head}parser = argparse.ArgumentParser()
parser.add_argument('--warmup', type=int, default=5)
args = parser.parse_args()
scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
for epoch in range(0, 20):
    if epoch >= args.warmup:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, TORCH.fromArgs.calls);
    assert.strictEqual(last(s), TORCH.fromArgs.last);
    assert.ok(s.run!.assumed.some((a) => /args\.warmup` = 5/.test(a) && /--warmup/.test(a)), s.run!.assumed.join('; '));
  });

  it('a condition that reads no loop variable and is not known: every pass, labelled as assumed', async () => {
    const s = byVar(await run(`${head}from accelerate import Accelerator
accelerator = Accelerator()
scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
for epoch in range(30):
    optimizer.step()
    if not accelerator.optimizer_step_was_skipped:
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 30);
    assert.ok(s.run!.assumed.some((a) => /optimizer_step_was_skipped.*taken as true on every pass/.test(a)), s.run!.assumed.join('; '));
  });

  it('per batch under a condition on the batch index: counted over both loops', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
for epoch in range(3):
    for i in range(10):
        optimizer.step()
        if epoch * 10 + i >= 5:
            scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.steps, 25);
  });
});

describe('a scheduler chosen by if/else under one name (audit P4)', () => {
  const src = (cond: string) => `import argparse, os
import torch
from torch.optim.lr_scheduler import StepLR
parser = argparse.ArgumentParser()
parser.add_argument('--train_subset', action='store_true')
parser.add_argument('--epochs', type=int, default=100)
args = parser.parse_args()
optimizer = torch.optim.Adam(torch.nn.Linear(4, 1).parameters(), lr=0.001)
if ${cond}:
    scheduler = StepLR(optimizer, step_size=300, gamma=0.25)
else:
    scheduler = StepLR(optimizer, step_size=30, gamma=0.25)
for epoch in range(1, args.epochs + 1):
    optimizer.step()
    scheduler.step()
`;
  for (const cond of ['args.train_subset', 'os.environ.get("SUBSET")']) {
    it(`\`if ${cond}:\`: both constructions are stepped by the loop (100 epochs), no LR175, listed in source order`, async () => {
      const r = await run(src(cond));
      assert.deepStrictEqual(r.schedulers.map((s) => s.args['step_size']), [300, 30]);
      for (const s of r.schedulers) {
        assert.strictEqual(s.run?.unit, 'epoch');
        assert.strictEqual(s.run?.epochs, 100);
        assert.deepStrictEqual(s.run?.stepSites.map((x) => x.start.line + 1), [15]);
        assert.ok(!s.diagnostics.some((d) => d.code === 'LR175'), s.diagnostics.map((d) => d.message).join('\n'));
        assert.strictEqual(s.horizon.steps, 101);
      }
    });
  }

  it('a name bound on one branch only is not stepped by the other branch\'s calls', async () => {
    const r = await run(`import torch, os
from torch.optim.lr_scheduler import StepLR
optimizer = torch.optim.SGD(torch.nn.Linear(4, 1).parameters(), lr=0.1)
if os.environ.get("A"):
    scheduler = StepLR(optimizer, step_size=3)
else:
    other = StepLR(optimizer, step_size=5)
for epoch in range(10):
    scheduler.step()
`);
    const other = r.schedulers.find((s) => s.variable === 'other')!;
    assert.strictEqual(other.run?.unit, 'never');
  });
});

describe('scheduler.step(epoch) in the loop (audit P6)', () => {
  /** torch 1.13: StepLR(step_size=3, gamma=0.5), lr 0.1, `for epoch in range(10): scheduler.step(epoch)`. */
  const TORCH_STEPLR = [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125];
  /** torch 1.13: CosineAnnealingWarmRestarts(T_0=2, T_mult=2), lr 0.1, 6 epochs × 4 iters, `scheduler.step(epoch + i / iters)`. */
  const TORCH_CAWR = [0.1, 0.1, 0.09619397662556434, 0.08535533905932738, 0.0691341716182545, 0.05, 0.030865828381745515, 0.014644660940672627, 0.0038060233744356634, 0.1, 0.09903926402016153, 0.09619397662556434, 0.09157348061512727, 0.08535533905932738, 0.07777851165098011, 0.0691341716182545, 0.059754516100806426, 0.05, 0.04024548389919359, 0.030865828381745515, 0.022221488349019904, 0.014644660940672627, 0.008426519384872733, 0.0038060233744356634, 0.0009607359798384785];
  const close = (got: ArrayLike<number>, want: number[]) => {
    assert.strictEqual(got.length, want.length);
    for (let k = 0; k < want.length; k++) assert.ok(Math.abs(got[k]! - want[k]!) <= 1e-12 * want[k]! + 1e-18, `value ${k}: ${got[k]} vs torch ${want[k]}`);
  };

  it('StepLR stepped with the loop\'s epoch: one epoch later than plain step(), as torch', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
for epoch in range(10):
    optimizer.step()
    scheduler.step(epoch)
`), 'scheduler');
    close(s.curve!.lrs[0]!, TORCH_STEPLR);
    assert.ok(s.notes.some((n) => /step\(epoch\)/.test(n)), s.notes.join('; '));
    assert.ok(!s.assumed.some((a) => a.what === 'step(epoch)'));
  });

  it('CosineAnnealingWarmRestarts with fractional epochs (the docs\' pattern): restarts at batch 8, no LR173', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=2, T_mult=2)
iters = 4
for epoch in range(6):
    for i in range(iters):
        optimizer.step()
        scheduler.step(epoch + i / iters)
`), 'scheduler');
    close(s.curve!.lrs[0]!, TORCH_CAWR);
    assert.deepStrictEqual(s.curve!.markers.filter((m) => m.kind === 'restart').map((m) => m.step), [9]);
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR173'), s.diagnostics.map((d) => d.message).join('\n'));
  });

  it('an argument LR Lens cannot follow (a parameter of the function the loop calls): labelled, the curve is plain step()', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
def train(epoch):
    optimizer.step()
    scheduler.step(epoch)
for epoch in range(10):
    train(epoch)
`), 'scheduler');
    const a = s.assumed.find((x) => x.what === 'step(epoch)');
    assert.ok(a, JSON.stringify(s.assumed));
    assert.match(a.why, /`step\(epoch\)`: the argument is not known on every call/);
    assert.match(a.why, /plain step\(\) calls/);
  });

  it('an argument from argparse defaults: applied and labelled', async () => {
    const s = byVar(await run(`import argparse
${head}parser = argparse.ArgumentParser()
parser.add_argument('--start_epoch', type=int, default=0)
args = parser.parse_args()
scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
offset = args.start_epoch
for epoch in range(10):
    optimizer.step()
    scheduler.step(epoch + offset)
`), 'scheduler');
    close(s.curve!.lrs[0]!, TORCH_STEPLR);
    assert.ok(s.run!.assumed.some((x) => /offset` = 0/.test(x)), s.run!.assumed.join('; '));
  });
});

describe('Lightning: a scheduler dict re-bound to the scheduler\'s name (audit P7)', () => {
  const src = (entries: string) => `import torch
import lightning as L
class Model(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 2)
    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=1e-3)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)
        scheduler = {"scheduler": scheduler${entries}}
        return [optimizer], [scheduler]
trainer = L.Trainer(max_epochs=3)
trainer.fit(Model())
`;
  it('`"interval": "step"` is read from the dict: per batch, no LR178', async () => {
    const s = byVar(await run(src(', "interval": "step", "frequency": 1')), 'scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.lightning?.interval, 'step');
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR178'), s.diagnostics.map((d) => d.message).join('\n'));
  });

  it('without "interval" the dict means Lightning\'s default, per epoch', async () => {
    const s = byVar(await run(src('')), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.lightning?.interval, 'epoch');
  });
});

describe('LR190: the training loop also sets the lr (audit P9)', () => {
  const codesOf = (s: SchedulerAnalysis) => s.diagnostics.filter((d) => d.code === 'LR190');
  it('a hand-written warm-up writing g[\'lr\'] in the batch loop: LR190 on the write, the scheduler still previewed', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import MultiStepLR
model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
warmup_iters = 500
it = 0
for epoch in range(90):
    for batch in train_loader:
        if it < warmup_iters:
            for g in optimizer.param_groups:
                g['lr'] = 0.1 * (it + 1) / warmup_iters
        optimizer.step()
        it += 1
    scheduler.step()
`), 'scheduler');
    const d = codesOf(s);
    assert.strictEqual(d.length, 1);
    assert.strictEqual(d[0]!.severity, 'warning');
    assert.strictEqual(d[0]!.range.start.line + 1, 12);
    assert.match(d[0]!.message, /g\['lr'\] = 0\.1 \* \(it \+ 1\) \/ warmup_iters` \(line 12\)/);
    assert.ok(s.curve);
  });

  it('YOLO style `for j, x in enumerate(optimizer.param_groups): x[\'lr\'] = …`, and adjust_learning_rate called per epoch', async () => {
    const r = await run(`import torch, numpy as np
from torch.optim.lr_scheduler import LambdaLR, StepLR
model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
other = torch.optim.SGD(model.parameters(), lr=0.01)
scheduler = LambdaLR(optimizer, lr_lambda=lambda x: 1 - x / 300)
s2 = StepLR(other, step_size=10)
def adjust_learning_rate(opt, epoch):
    for param_group in opt.param_groups:
        param_group['lr'] = 0.01 * 0.1 ** (epoch // 30)
for epoch in range(300):
    for i, batch in enumerate(loader):
        ni = i + 100 * epoch
        if ni <= 1000:
            for j, x in enumerate(optimizer.param_groups):
                x['lr'] = np.interp(ni, [0, 1000], [0.0, x['initial_lr']])
    scheduler.step()
    s2.step()
    adjust_learning_rate(other, epoch)
`);
    // The write on `optimizer` is about `scheduler` only; the function's (its optimizer is a parameter) about both.
    assert.deepStrictEqual(codesOf(byVar(r, 'scheduler')).map((d) => d.range.start.line + 1), [10, 16]);
    assert.deepStrictEqual(codesOf(byVar(r, 's2')).map((d) => d.range.start.line + 1), [10]);
  });

  it('setting the lr once before the loop is not LR190', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import StepLR
optimizer = torch.optim.SGD(torch.nn.Linear(4, 2).parameters(), lr=0.1)
for g in optimizer.param_groups:
    g['lr'] = 0.05
scheduler = StepLR(optimizer, step_size=10)
for epoch in range(30):
    scheduler.step()
`), 'scheduler');
    assert.deepStrictEqual(codesOf(s), []);
  });

  it('the SWA pattern: the SWALR stepped in the loop is named, not previewed', async () => {
    const s = byVar(await run(`${head}from torch.optim.swa_utils import SWALR
scheduler = CosineAnnealingLR(optimizer, T_max=100)
swa_scheduler = SWALR(optimizer, swa_lr=0.05)
for epoch in range(100):
    if epoch > 5:
        swa_scheduler.step()
    else:
        scheduler.step()
`), 'scheduler');
    const d = codesOf(s);
    assert.strictEqual(d.length, 1);
    assert.match(d[0]!.message, /`swa_scheduler` \(torch\.optim\.swa_utils\.SWALR, line 7; not previewed by LR Lens\), stepped at line 10/);
  });
});

describe('a scheduler class of the repository stepped in the loop (pytorch-cifar100\'s WarmUpLR)', () => {
  const codesOf = (s: SchedulerAnalysis) => s.diagnostics.filter((d) => d.code === 'LR190');
  const warmUp = `from torch.optim.lr_scheduler import _LRScheduler, MultiStepLR
class WarmUpLR(_LRScheduler):
    def __init__(self, optimizer, total_iters, last_epoch=-1):
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)
    def get_lr(self):
        return [base_lr * self.last_epoch / (self.total_iters + 1e-8) for base_lr in self.base_lrs]
class Warm2(WarmUpLR):
    pass
class Net(torch.nn.Module):
    pass
net = Net()
`;
  const loop = (cls: string) => `${head}${warmUp}train_scheduler = MultiStepLR(optimizer, milestones=[60, 120, 160], gamma=0.2)
warmup_scheduler = ${cls}(optimizer, 100)
for epoch in range(1, 201):
    if epoch > 1:
        train_scheduler.step(epoch)
    for batch in range(100):
        optimizer.step()
        if epoch <= 1:
            warmup_scheduler.step()
`;

  it('is named on the previewed scheduler (LR190), through a subclass of it too', async () => {
    for (const cls of ['WarmUpLR', 'Warm2']) {
      const s = byVar(await run(loop(cls)), 'train_scheduler');
      const d = codesOf(s);
      assert.strictEqual(d.length, 1, cls);
      assert.match(d[0]!.message, new RegExp(`\`warmup_scheduler\` \\(built at line 18 from \`${cls}\`, this repository's subclass of torch's \`_LRScheduler\`; not previewed by LR Lens\\), stepped at line 25`));
    }
  });

  it('bound to the same name on another branch of an `if` (DeepLabV3Plus\'s `lr_policy`), it is the alternative: the torch scheduler is stepped there, no LR175, no LR190', async () => {
    const src = `${head}${warmUp}import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr_policy", default="poly")
opts = p.parse_args()
if opts.lr_policy == "poly":
    scheduler = WarmUpLR(optimizer, 100)
elif opts.lr_policy == "step":
    scheduler = MultiStepLR(optimizer, milestones=[10, 20])
for epoch in range(30):
    optimizer.step()
    scheduler.step()
`;
    const s = byVar(await run(src), 'scheduler');
    assert.strictEqual(s.kind, 'MultiStepLR');
    assert.deepStrictEqual([s.run?.unit, s.run?.steps], ['epoch', 30]);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR175' || d.code === 'LR190'), []);
    assert.ok(s.notes.some((n) => n.includes('not taken with the default arguments')), JSON.stringify(s.notes));
  });

  it('a scheduler built on a branch the defaults do not take, the name unbound on the other, is stepped by the loop after it', async () => {
    const s = byVar(await run(`${head}import argparse
p = argparse.ArgumentParser()
p.add_argument("--sched", action="store_true")
args = p.parse_args()
if args.sched:
    scheduler = StepLR(optimizer, step_size=10)
for epoch in range(30):
    optimizer.step()
    if args.sched:
        scheduler.step()
`), 'scheduler');
    assert.notStrictEqual(s.run?.unit, 'never');
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR175'), []);
  });

  it('a class that is not a scheduler, or one never stepped in the loop, is not', async () => {
    assert.deepStrictEqual(codesOf(byVar(await run(loop('Net')), 'train_scheduler')), []);
    const notStepped = loop('WarmUpLR').replace('            warmup_scheduler.step()\n', '            pass\n');
    assert.deepStrictEqual(codesOf(byVar(await run(notStepped), 'train_scheduler')), []);
  });
});

describe('loop shapes of the third audit (real public scripts)', () => {
  /** What torch 1.13 (/usr/bin/python3) printed for the same scripts, recorded: the tests need no torch. */
  const TORCH = {
    tupleLoop: 2.5e-05, // StepLR(10, 0.5) from 2e-4, stepped 30 times through `for s in (G, D)`
    enumerateStart: { lastEpoch: 100, lr: 5.074647154757325e-05 }, // OneCycleLR(total_steps=100), enumerate(range(25), start=1) × 4
    splitMilestones: 0.00010000000000000003, // MultiStepLR([30, 60, 90], 0.1) after 100 epochs
    // CosineAnnealingLR(T_max=10), lr 0.1, stepped in `for epoch in range(3)` then in `for epoch in range(7)`: last_epoch 10, lr 0.0.
    twoStages: { calls: 10, last: 0 },
    // OneCycleLR(max_lr=1e-4, steps_per_epoch=5, epochs=4) stepped 2 × 5 then 4 × 5 times (the audit's two-stage trainer).
    twoStagesOneCycle: { message: 'Tried to step 22 times\\. The specified number of total steps is 20' },
  };

  it('`for s in (sched_G, sched_D): s.step()` steps both once per pass (no false LR175)', async () => {
    const r = await run(`${head}sched_G = StepLR(optimizer, step_size=10, gamma=0.5)
opt_D = torch.optim.Adam(model.parameters(), lr=2e-4)
sched_D = StepLR(opt_D, step_size=10, gamma=0.5)
for epoch in range(30):
    for s in (sched_G, sched_D):
        s.step()
`);
    for (const v of ['sched_G', 'sched_D']) {
      const s = byVar(r, v);
      assert.deepStrictEqual([s.run?.unit, s.run?.steps], ['epoch', 30], v);
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR175'), []);
    }
    const lrs = byVar(r, 'sched_D').curve!.lrs[0]!;
    assert.strictEqual(lrs[lrs.length - 1], TORCH.tupleLoop);
  });

  it('one scheduler stepped in two loops in turn (a frozen stage, then fine-tuning): both loops count (10 calls, as torch), no false LR179', async () => {
    const s = byVar(await run(`${head}scheduler = CosineAnnealingLR(optimizer, T_max=10)
for epoch in range(3):
    scheduler.step()
for epoch in range(7):
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, TORCH.twoStages.calls);
    assert.strictEqual(s.run?.epochs, 10);
    assert.strictEqual(last(s), TORCH.twoStages.last);
    assert.match(s.run?.source ?? '', /stepped in 2 loops in turn, 10 calls in all/);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR179' || d.code === 'LR173'), []);
  });

  it('two loops in turn with a OneCycleLR sized for the second only: torch\'s ValueError (LR172, at call 21 of 30)', async () => {
    const s = byVar(await run(`${head}from torch.optim.lr_scheduler import OneCycleLR
scheduler = OneCycleLR(optimizer, max_lr=1e-4, steps_per_epoch=5, epochs=4, pct_start=0.2)
for epoch in range(2):
    for i in range(5):
        optimizer.step()
        scheduler.step()
for epoch in range(4):
    for i in range(5):
        optimizer.step()
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 30);
    const d = s.diagnostics.find((x) => x.code === 'LR172');
    assert.ok(d, JSON.stringify(s.diagnostics.map((x) => x.code)));
    assert.match(d.message, new RegExp(TORCH.twoStagesOneCycle.message));
    assert.strictEqual(d.severity, 'error');
  });

  it('loops that may not both run are not added up: on two branches, or with a `return` between them', async () => {
    for (const [between, indent] of [['if fine_tune:\n', '    '], ['if stop:\n    raise SystemExit\n', '']] as const) {
      const s = byVar(await run(`${head}scheduler = CosineAnnealingLR(optimizer, T_max=10)
fine_tune = stop = input()
for epoch in range(3):
    scheduler.step()
${between}${indent}for epoch in range(7):
${indent}    scheduler.step()
`), 'scheduler');
      assert.strictEqual(s.run?.steps, null, between);
      assert.match(s.run?.source ?? '', /stepped in 2 loops, the run is not one loop's/);
    }
  });

  it('a `break` may end a loop early: its count is not the run\'s (no false LR173 on an iteration cap)', async () => {
    const s = byVar(await run(`${head}max_iters = 30
scheduler = CosineAnnealingLR(optimizer, T_max=max_iters)
it = 0
for epoch in range(100):
    for batch in range(8):
        scheduler.step()
        it += 1
        if it >= max_iters:
            break
    if it >= max_iters:
        break
`), 'scheduler');
    assert.strictEqual(s.run?.steps, null);
    assert.match(s.run?.source ?? '', /it may end early, at the `break` on line \d+ \(at most \d+ passes\)/);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR173'), []);
  });

  it('a `return` inside the loop may end it early too (early stopping in a train function): no full-range run, no false LR173', async () => {
    const s = byVar(await run(`${head}scheduler = CosineAnnealingLR(optimizer, T_max=50)
def train(patience):
    best, bad = 1e9, 0
    for epoch in range(100):
        optimizer.step()
        scheduler.step()
        loss = 1.0 / (epoch + 1)
        if loss >= best:
            bad += 1
            if bad > patience:
                return best
        best = min(best, loss)
    return best
train(5)
`), 'scheduler');
    assert.strictEqual(s.run?.steps, null);
    assert.match(s.run?.source ?? '', /it may end early, at the `return` on line 15 \(at most 100 passes\)/);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR173' || d.code === 'LR179'), []);
  });

  it('a `return` of a function defined inside the loop does not end the loop', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
for epoch in range(12):
    def closure():
        return 1.0
    optimizer.step(closure)
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 12);
  });

  it('`enumerate(it, start=1)` keeps the iterable\'s length (no assumed 100 batches, no false LR172)', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import OneCycleLR
optimizer = torch.optim.SGD(torch.nn.Linear(4, 2).parameters(), lr=0.1)
scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps=100)
n = 25
for epoch in range(4):
    for i, batch in enumerate(range(n), start=1):
        optimizer.step()
        scheduler.step()
`), 'scheduler');
    assert.deepStrictEqual([s.run?.unit, s.run?.steps], ['batch', TORCH.enumerateStart.lastEpoch]);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR172'), []);
    const lrs = s.curve!.lrs[0]!;
    assert.ok(Math.abs(lrs[lrs.length - 1]! - TORCH.enumerateStart.lr) <= 1e-9 * TORCH.enumerateStart.lr, String(lrs[lrs.length - 1]));
  });

  it('the transfer-learning tutorial\'s `for phase in [\'train\', \'val\']: … if phase == \'train\': scheduler.step()` counts one step per epoch', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=7, gamma=0.1)
for epoch in range(25):
    for phase in ['train', 'val']:
        for x in loader:
            optimizer.step()
        if phase == 'train':
            scheduler.step()
`), 'scheduler');
    assert.deepStrictEqual([s.run?.unit, s.run?.steps], ['epoch', 25]);
    assert.strictEqual(s.curve!.lrs[0]!.length, 26);
  });

  it('an lr_lambda that is a bound method of an instance built from argparse defaults is labelled assumed (PyTorch-GAN\'s CycleGAN); the loop names both bounds\' defaults', async () => {
    const s = byVar(await run(`import argparse, torch
p = argparse.ArgumentParser()
p.add_argument("--epoch", type=int, default=0)
p.add_argument("--n_epochs", type=int, default=20)
p.add_argument("--decay_epoch", type=int, default=10)
opt = p.parse_args()
class Decay:
    def __init__(self, n_epochs, offset, decay_start_epoch):
        self.n_epochs = n_epochs
        self.offset = offset
        self.decay_start_epoch = decay_start_epoch
    def step(self, epoch):
        return 1.0 - max(0, epoch + self.offset - self.decay_start_epoch) / (self.n_epochs - self.decay_start_epoch)
optimizer = torch.optim.Adam(torch.nn.Linear(4, 4).parameters(), lr=2e-4)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=Decay(opt.n_epochs, opt.epoch, opt.decay_epoch).step)
for epoch in range(opt.epoch, opt.n_epochs):
    scheduler.step()
`), 'scheduler');
    const lam = s.argInfo.find((a) => a.name === 'lr_lambda')!;
    assert.strictEqual(lam.assumed, true);
    assert.match(lam.origin ?? '', /`self\.\w+`: default of --/);
    assert.ok(s.run?.assumed.some((a) => a.includes('default of --epoch') && a.includes('default of --n_epochs')), JSON.stringify(s.run?.assumed));
  });

  it('LR174 when the optimizer steps in a loop nested after the scheduler\'s step, or in a function called after it; not when a condition may let the optimizer step first', async () => {
    const lr174 = (s: SchedulerAnalysis) => s.diagnostics.filter((d) => d.code === 'LR174');
    // torch 1.13 warns "Detected call of lr_scheduler.step() before optimizer.step()" for both (the audit's repros).
    const nested = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=2)
for epoch in range(5):
    scheduler.step()
    for _ in range(3):
        optimizer.step()
`), 'scheduler');
    assert.strictEqual(lr174(nested).length, 1);
    const called = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=2)
def train(epoch):
    for _ in range(3):
        optimizer.step()
for epoch in range(5):
    scheduler.step()
    train(epoch)
`), 'scheduler');
    assert.strictEqual(lr174(called).length, 1);
    assert.match(lr174(called)[0]!.message, /before `optimizer\.step\(\)` \(in `train\(\)`, which the loop calls after it\)/);
    // pytorch-cifar100: `if epoch > warm:` keeps the first pass from stepping the scheduler; torch does not warn.
    const guarded = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=2)
def train(epoch):
    optimizer.step()
warm = 1
for epoch in range(1, 6):
    if epoch > warm:
        scheduler.step()
    train(epoch)
`), 'scheduler');
    assert.deepStrictEqual(lr174(guarded), []);
    // The optimizer stepped first in the body: no warning.
    const ordered = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=2)
def train(epoch):
    optimizer.step()
for epoch in range(5):
    train(epoch)
    scheduler.step()
`), 'scheduler');
    assert.deepStrictEqual(lr174(ordered), []);
  });

  it('milestones from `list(map(int, args.milestones.split(",")))` (the builtin map, str.split)', async () => {
    const s = byVar(await run(`import argparse, torch
from torch.optim.lr_scheduler import MultiStepLR
p = argparse.ArgumentParser()
p.add_argument("--milestones", type=str, default="30,60,90")
args = p.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(4, 2).parameters(), lr=0.1)
scheduler = MultiStepLR(optimizer, milestones=list(map(int, args.milestones.split(","))), gamma=0.1)
for epoch in range(100):
    scheduler.step()
`), 'scheduler');
    assert.deepStrictEqual(s.args['milestones'], [30, 60, 90]);
    const lrs = s.curve!.lrs[0]!;
    assert.ok(Math.abs(lrs[100]! - TORCH.splitMilestones) <= 1e-9 * TORCH.splitMilestones, String(lrs[100]));
    const comp = byVar(await run(`import torch
from torch.optim.lr_scheduler import MultiStepLR
optimizer = torch.optim.SGD(torch.nn.Linear(4, 2).parameters(), lr=0.1)
scheduler = MultiStepLR(optimizer, milestones=[int(x) for x in " 5 10 ".split()])
`), 'scheduler');
    assert.deepStrictEqual(comp.args['milestones'], [5, 10]);
  });
});

describe('a preview whose length is not the run\'s is labelled (audit P14)', () => {
  it('a loop of unknown length: the preview length from the arguments, labelled in `assumed` and the run', async () => {
    const s = byVar(await run(`import sys
${head}scheduler = StepLR(optimizer, step_size=300, gamma=0.25)
for epoch in range(int(sys.argv[1])):
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.steps, null);
    // StepLR's argument horizon: 3 × step_size + 1 values = 900 steps.
    const a = s.assumed.find((x) => x.what === 'run length');
    assert.ok(a, JSON.stringify(s.assumed));
    assert.strictEqual(a.value, 900);
    assert.match(a.why, /the run's length is not known .*; the preview shows 900 steps, the length its arguments imply \(3 × step_size \+ 1\)/);
    assert.ok(s.run!.assumed.includes(a.why));
  });

  it('a step() under a condition not counted: the reason and LR Lens\'s default length', async () => {
    const s = byVar(await run(`${head}scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda e: 0.9 ** e)
best = 0
for epoch in range(100):
    acc = evaluate()
    if acc > best:
        best = acc
        scheduler.step()
`), 'scheduler');
    const a = s.assumed.find((x) => x.what === 'run length');
    assert.ok(a, JSON.stringify(s.assumed));
    assert.strictEqual(a.value, 99);
    assert.match(a.why, /under `acc > best`.*; the preview shows 99 steps, LR Lens's default length/);
  });

  it('a `continue` before the step: the passes it skips are not counted (8 calls, as torch), a `continue` in another shape leaves the count unknown', async () => {
    for (const skip of ['if epoch < 4:\n        continue', 'if epoch % 3 == 0:\n        print("validate only")\n        continue']) {
      const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(12):
    optimizer.step()
    ${skip}
    scheduler.step()
`), 'scheduler');
      assert.strictEqual(s.run?.steps, TORCH.continueBefore.calls, skip);
      assert.strictEqual(last(s), TORCH.continueBefore.last, skip);
      assert.match(s.run!.source, /under `not \(epoch (<|%)/);
    }
    // A `continue` under a nested condition: which passes it skips is not read, so the count is not guessed.
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(12):
    optimizer.step()
    if epoch > 2:
        if epoch % 2:
            continue
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, null);
    assert.match(s.run!.conditional ?? '', /under `not skipped by the continue on line 10`.*: the `continue` on line 10 skips it/);
  });

  it('a step() on both branches of one condition steps every pass, counted or not (if/else; timm\'s `if …: step(); continue` then `step()`)', async () => {
    const ifElse = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
for epoch in range(12):
    optimizer.step()
    if epoch % 3 != 0:
        scheduler.step()
    else:
        print("validate", epoch)
        scheduler.step()
`), 'scheduler');
    // timm's condition reads a name the loop computes: not countable by itself, yet one of the two calls runs each pass.
    const timm = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
num_epochs = 12
val_interval = 3
for epoch in range(num_epochs):
    optimizer.step()
    epoch_p_1 = epoch + 1
    if epoch_p_1 % val_interval != 0 and epoch_p_1 != num_epochs:
        scheduler.step()
        continue
    print("validate", epoch)
    scheduler.step()
`), 'scheduler');
    // The same with a guard on the scheduler around each call (`if lr_scheduler is not None:`), as timm writes it.
    const guarded = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
for epoch in range(12):
    optimizer.step()
    epoch_p_1 = epoch + 1
    if epoch_p_1 % 3 != 0 and epoch_p_1 != 12:
        if scheduler is not None:
            scheduler.step()
        # skip validation
        continue
    if scheduler is not None:
        scheduler.step()
`), 'scheduler');
    for (const s of [ifElse, timm, guarded]) {
      assert.strictEqual(s.run?.unit, 'epoch');
      assert.strictEqual(s.run?.steps, TORCH.bothBranches.calls);
      assert.strictEqual(s.run?.conditional, undefined);
      assert.strictEqual(last(s), TORCH.bothBranches.last);
      assert.strictEqual(s.run?.stepSites.length, 2);
      assert.ok(!s.assumed.some((x) => x.what === 'run length'), JSON.stringify(s.assumed));
    }
  });

  it('stepped per batch and again per epoch: the preview takes both (72 calls, as torch), LR176 says so', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
for epoch in range(12):
    for i in range(5):
        optimizer.step()
        scheduler.step()
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, TORCH.batchAndEpoch.calls);
    assert.strictEqual(last(s), TORCH.batchAndEpoch.last);
    assert.match(s.run!.source, /stepped at 2 places in the loop, 72 calls in all/);
    assert.ok(s.diagnostics.some((d) => d.code === 'LR176'));
  });

  it('one step() reached through two calls of its function, each with its own scheduler of the same name, counts once', async () => {
    const r = await run(`${head}def train_model(model, optimizer, scheduler, num_epochs=25):
    for epoch in range(num_epochs):
        optimizer.step()
        scheduler.step()

a = StepLR(optimizer, step_size=7, gamma=0.1)
train_model(model, optimizer, a, num_epochs=25)
a = StepLR(optimizer, step_size=7, gamma=0.1)
train_model(model, optimizer, a, num_epochs=25)
`);
    for (const s of r.schedulers) assert.strictEqual(s.run?.steps, 25);
  });

  it('a known run length is not labelled', async () => {
    const s = byVar(await run(`${head}scheduler = StepLR(optimizer, step_size=3)
for epoch in range(10):
    scheduler.step()
`), 'scheduler');
    assert.ok(!s.assumed.some((x) => x.what === 'run length'));
  });
});
