/**
 * A construction on the same optimizer written after a scheduler's run is over (a notebook's or a snippet file's next
 * cell: `scheduler = LambdaLR(optimizer, …)` after the loop stepping a MultiStepLR). LR Lens built every construction
 * on the optimizer before stepping the one previewed, so the later LambdaLR's lr (λ(0) × initial_lr) was the
 * MultiStepLR's start: its whole curve scaled (a public snippet with λ(t) = t / 10 drew it as 0 throughout). torch
 * runs the loop first. Expected values: torch 1.13 (python3-torch), printed by the same programs with the lr of each
 * group after each step.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const rows = (lrs: ArrayLike<number>[]) => lrs.map((g) => Array.from(g));

describe('a construction after a scheduler\'s run on the same optimizer is not replayed with it', () => {
  it('module level: MultiStepLR stepped in a loop, then LambdaLR built on its optimizer (torch: the MultiStepLR from 1e-3 / 1e-2)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import MultiStepLR, LambdaLR
m = torch.nn.Linear(2, 2)
opt = torch.optim.SGD([{'params': [m.weight], 'lr': 1e-3}, {'params': [m.bias]}], lr=1e-2)
first = MultiStepLR(opt, milestones=[5, 8], gamma=0.1)
for epoch in range(10):
    opt.step()
    first.step()
second = LambdaLR(opt, lr_lambda=lambda e: 0.5)
`);
    const torch = [
      [0.001, 0.001, 0.001, 0.001, 0.001, 0.0001, 0.0001, 0.0001, 1e-05, 1e-05, 1e-05],
      [0.01, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.0001, 0.0001, 0.0001],
    ];
    assert.deepStrictEqual(rows(byVar(r, 'first').curve!.lrs), torch);
    // The LambdaLR itself still starts from what torch's construction leaves: 0.5 × initial_lr.
    assert.deepStrictEqual(rows(byVar(r, 'second').curve!.lrs).map((g) => g[0]), [0.0005, 0.005]);
  });

  it('the loop in a function called after the later construction: that construction comes first (torch: StepLR from 0.05)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR, LambdaLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
first = StepLR(opt, step_size=2, gamma=0.1)
def train():
    for epoch in range(4):
        opt.step()
        first.step()
second = LambdaLR(opt, lr_lambda=lambda e: 0.5)
train()
`);
    assert.deepStrictEqual(rows(byVar(r, 'first').curve!.lrs), [[0.05, 0.05, 0.005000000000000001, 0.005000000000000001, 0.0005000000000000001]]);
  });

  it('both inside an outer loop (folds): the next pass builds the scheduler after the other construction, which stays replayed', async () => {
    // torch, fold 2: StepLR built on the lr LambdaLR left (0.05), so no single curve is "the run"; LR Lens keeps
    // building every construction first, as before, rather than claim fold 1's.
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR, LambdaLR
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
for fold in range(2):
    first = StepLR(opt, step_size=2, gamma=0.1)
    for epoch in range(4):
        opt.step()
        first.step()
    second = LambdaLR(opt, lr_lambda=lambda e: 0.5)
`);
    assert.strictEqual(byVar(r, 'first').curve!.lrs[0]![0], 0.05);
  });
});
