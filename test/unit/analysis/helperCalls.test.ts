/**
 * A training helper called from several places (audit 2, P1): `train_one_epoch(model, loader, optimizer,
 * scheduler=None)` called once without a scheduler (head warm-up) and once with one, or once per stage with each
 * stage's own scheduler. Each call that passes a scheduler steps THAT scheduler with its own loops; a call passing
 * None steps nothing. And a same-named local of another function is not the scheduler's variable (P8). The expected
 * numbers are what real torch 1.13 (/usr/bin/python3) did running these scripts, recorded here (the tests need no torch).
 */
import * as assert from 'assert';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { byVar, last, run } from './pythonRun';

const TORCH = {
  /** OneCycleLR(max_lr=0.01, 50 steps) stepped per batch, 5 epochs × 10 batches: 50 calls, the lr after the last. */
  oneCycle: { calls: 50, last: 2.0168449509684565e-05 },
  /** Stage 1: LinearLR(AdamW lr 1e-3, start_factor=0.1, total_iters=20), 2 epochs × 10 batches; stage 2: CosineAnnealingLR(AdamW lr 1e-4, T_max=100), 10 × 10. */
  stages: { head: { calls: 20, last: 0.001 }, main: { calls: 100, last: 0.0 } },
};

const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => d.code);

describe('a helper called from several places steps the scheduler each call passes (audit 2, P1)', () => {
  it('head warm-up without a scheduler first, then the main loop passing one: 50 per-batch steps, no LR175', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import OneCycleLR

def train_one_epoch(model, loader, optimizer, scheduler=None):
    for x in loader:
        optimizer.step()
        if scheduler is not None:
            scheduler.step()

def main(model, train_loader, epochs=5, warmup_epochs=1):
    head_opt = torch.optim.SGD(model.fc.parameters(), lr=0.01)
    for epoch in range(warmup_epochs):
        train_one_epoch(model, train_loader, head_opt)

    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    scheduler = OneCycleLR(optimizer, max_lr=0.01, epochs=epochs, steps_per_epoch=len(train_loader))
    for epoch in range(epochs):
        train_one_epoch(model, train_loader, optimizer, scheduler)

main(model, list(range(10)))
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.steps, TORCH.oneCycle.calls);
    assert.strictEqual(s.horizon.steps, TORCH.oneCycle.calls + 1);
    assert.ok(Math.abs(last(s) - TORCH.oneCycle.last) < 1e-15, String(last(s)));
    assert.ok(!codes(s).includes('LR175'), codes(s).join(','));
  });

  it('two callers (None from one function, the scheduler from another inside its epoch loop): the passing call\'s 5 × 10 steps', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import OneCycleLR

def train_one_epoch(model, loader, optimizer, scheduler):
    for x in loader:
        optimizer.step()
        if scheduler is not None:
            scheduler.step()

def warmup_head(model, loader):
    optimizer = torch.optim.SGD(model.fc.parameters(), lr=0.01)
    train_one_epoch(model, loader, optimizer, None)

def finetune(model, loader):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    scheduler = OneCycleLR(optimizer, max_lr=0.01, total_steps=50)
    for epoch in range(5):
        train_one_epoch(model, loader, optimizer, scheduler)

warmup_head(model, list(range(10)))
finetune(model, list(range(10)))
`), 'scheduler');
    assert.strictEqual(s.run?.steps, TORCH.oneCycle.calls);
    assert.strictEqual(s.run?.epochs, 5);
    assert.strictEqual(s.run?.stepsPerEpoch, 10);
    assert.ok(Math.abs(last(s) - TORCH.oneCycle.last) < 1e-15, String(last(s)));
  });

  it('two stages, each passing its own scheduler (by keyword too): 20 and 100 steps, neither "never stepped"', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import LinearLR, CosineAnnealingLR

def train_one_epoch(model, loader, optimizer, sched):
    for x in loader:
        optimizer.step()
        sched.step()

def main(model, train_loader):
    head_opt = torch.optim.AdamW(model.head.parameters(), lr=1e-3)
    head_sched = LinearLR(head_opt, start_factor=0.1, total_iters=20)
    for epoch in range(2):
        train_one_epoch(model, train_loader, head_opt, head_sched)

    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    scheduler = CosineAnnealingLR(optimizer, T_max=100)
    for epoch in range(10):
        train_one_epoch(model, train_loader, optimizer, sched=scheduler)

main(model, list(range(10)))
`);
    const head = byVar(r, 'head_sched');
    const main = byVar(r, 'scheduler');
    assert.strictEqual(head.run?.steps, TORCH.stages.head.calls);
    assert.strictEqual(main.run?.steps, TORCH.stages.main.calls);
    assert.ok(Math.abs(last(head) - TORCH.stages.head.last) < 1e-12, String(last(head)));
    assert.ok(Math.abs(last(main) - TORCH.stages.main.last) < 1e-12, String(last(main)));
    for (const s of [head, main]) assert.ok(!codes(s).includes('LR175'), codes(s).join(','));
  });
});

describe('a same-named local of another function is not the scheduler\'s variable (audit 2, P8)', () => {
  it('`build_scheduler()`\'s `scheduler` is handed to its own return only, not to `finetune()`\'s', async () => {
    const s = byVar(await run(`import torch
from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR

def build_scheduler(optimizer):
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    return scheduler

def finetune(model, loader):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    scheduler = CosineAnnealingLR(optimizer, T_max=5)
    for epoch in range(5):
        for x in loader:
            optimizer.step()
        scheduler.step()
    return scheduler
`), 'scheduler');
    assert.strictEqual(s.kind, 'StepLR');
    assert.strictEqual(s.run?.unit, 'unknown');
    assert.match(s.run!.source, /the return of `build_scheduler\(\)`/);
    assert.doesNotMatch(s.run!.source, /finetune/);
  });
});
