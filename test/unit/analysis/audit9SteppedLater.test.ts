/**
 * Ninth audit, torchvision `references/detection/engine.py` (08eb803) `train_one_epoch`: in the first epoch a LinearLR
 * warm-up (start_factor 1/1000, total_iters min(1000, len(data_loader) - 1)) is built on the optimizer and stepped per
 * batch; train.py's MultiStepLR on the same optimizer is stepped per epoch. The MultiStepLR's replay took the
 * LinearLR's construction (lr × 0.001) without its steps: 2e-5 … 2e-7 where torch's get_last_lr() gives 0.02, 0.002,
 * 0.0002. Expected values: the interleaved run in torch 1.13 (both schedulers, 100 batches in epoch 0).
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';

describe('ninth audit: a scheduler built later on the same optimizer and stepped too', () => {
  it('torchvision detection: a warm-up LinearLR built later and stepped per batch is left out of the MultiStepLR\'s replay (torch\'s get_last_lr)', async () => {
    const src = `import torch
import torch.utils.data

def train_one_epoch(model, optimizer, data_loader, epoch):
    lr_scheduler = None
    if epoch == 0:
        warmup_factor = 1.0 / 1000
        warmup_iters = min(1000, len(data_loader) - 1)
        lr_scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=warmup_factor, total_iters=warmup_iters)
    for images, targets in data_loader:
        optimizer.step()
        if lr_scheduler is not None:
            lr_scheduler.step()

data_loader = torch.utils.data.DataLoader(dataset, batch_size=2)
optimizer = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
lr_scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[16, 22], gamma=0.1)
for epoch in range(0, 26):
    train_one_epoch(model, optimizer, data_loader, epoch)
    lr_scheduler.step()
`;
    const r = await analyze(src, 'python', { strict: true, assumedStepsPerEpoch: 100 });
    const ms = r.schedulers.find((x) => x.kind === 'MultiStepLR')!;
    // torch 1.13: 0.020000000000000007 from epoch 0 to 15, 0.002000000000000001 to 21, 0.0002000000000000001 after.
    const row = ms.curve!.lrs[0]!;
    assert.strictEqual(row.length, 27);
    row.forEach((v, k) => {
      const t = k < 16 ? 0.020000000000000007 : k < 22 ? 0.002000000000000001 : 0.0002000000000000001;
      assert.ok(Math.abs(v - t) <= 1e-12 * t, `${k}: ${v} vs ${t}`);
    });
    assert.ok(ms.notes.some((n) => /LinearLR \(line 9\), built later on the same optimizer and stepped by the run too, is left out/.test(n)), JSON.stringify(ms.notes));
    // The warm-up's own curve still starts from the MultiStepLR's lr: 2e-5, up to 0.02 after 99 steps.
    const lin = r.schedulers.find((x) => x.kind === 'LinearLR')!;
    assert.ok(Math.abs(lin.curve!.lrs[0]![0]! - 2e-5) <= 1e-18, String(lin.curve!.lrs[0]![0]));
    assert.ok(Math.abs(lin.curve!.lrs[0]![99]! - 0.02) <= 1e-15, String(lin.curve!.lrs[0]![99]));
  });

  it('a later scheduler that is never stepped stays in the replay (its construction\'s lr is the run\'s)', async () => {
    const src = `import torch
optimizer = torch.optim.SGD(params, lr=0.02)
main = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2], gamma=0.1)
warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.5, total_iters=4)
for epoch in range(4):
    optimizer.step()
    main.step()
`;
    const r = await analyze(src, 'python', { strict: true });
    const ms = r.schedulers.find((x) => x.kind === 'MultiStepLR')!;
    // torch 1.13: get_last_lr() 0.01 (after LinearLR's construction), 0.01, 0.001, 0.001, 0.001.
    assert.ok(Math.abs(ms.curve!.lrs[0]![1]! - 0.01) <= 1e-15, String(ms.curve!.lrs[0]![1]));
    assert.ok(!ms.notes.some((n) => /left out of this curve/.test(n)));
  });

  it('a later scheduler whose construction keeps the lr (ExponentialLR) stepped beside it: the replay and the notes are as before', async () => {
    const src = `import torch
optimizer = torch.optim.SGD(params, lr=0.1)
a = torch.optim.lr_scheduler.StepLR(optimizer, 3, 0.5)
b = torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.9)
for epoch in range(10):
    optimizer.step()
    a.step()
    b.step()
`;
    const r = await analyze(src, 'python', { strict: true });
    const a = r.schedulers.find((x) => x.kind === 'StepLR')!;
    assert.ok(!a.notes.some((n) => /left out of this curve/.test(n)), JSON.stringify(a.notes));
  });
});
