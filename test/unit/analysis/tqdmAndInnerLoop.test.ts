/**
 * Two shapes of DALLE-pytorch's examples/rainbow_dalle.ipynb `fit()` (eighth audit): `t = trange(epochs); for _ in t:`
 * with the batch loop inside it stepping the optimizer and `scheduler.step()` after it.
 * - tqdm: `tqdm(range(n))`, `tqdm(loader, …)`, `trange(n, desc=…)` iterate over what they wrap; the loops' lengths
 *   were "not known" (`for epoch in tqdm(range(12))`: the run length fell back to the schedule's own).
 * - A lone loop whose body runs another loop that steps the optimizer is an epoch loop, whatever it is named: it was
 *   "stepped per batch" (a lone loop over an iterable not named epoch).
 * Expected: torch 1.13 running the same loop (/tmp/a8t-repros/truth/t6_tqdm_inner_loop.py; trange as range): 5
 * step() calls, last lr 0.0009509900498999999.
 */
import * as assert from 'assert';
import { byVar, last, run } from './pythonRun';

describe('tqdm loops, and a lone loop around the batch loop', () => {
  it('`for _ in t` (t = trange(5)) around the batches: per epoch, 5 steps, torch\'s last lr', async () => {
    const s = byVar(await run(`import torch
from tqdm import trange

def fit(model, opt, scheduler, epochs, n_train_samples, batch_size):
    t = trange(epochs)
    for _ in t:
        for batch_idx in range(0, n_train_samples, batch_size):
            opt.zero_grad()
            opt.step()
        scheduler.step()
        t.set_description("train")

model = torch.nn.Linear(2, 2)
opt = torch.optim.Adam(model.parameters(), lr=0.001)
scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, 0.99)
fit(model, opt, scheduler, 5, 12, 4)
`), 'scheduler');
    assert.strictEqual(s.run!.unit, 'epoch');
    assert.strictEqual(s.run!.steps, 5);
    assert.ok(Math.abs(last(s) - 0.0009509900498999999) < 1e-18, String(last(s)));
  });

  it('`tqdm(range(12))`, `trange(12, desc=…)`, `tqdm.auto.tqdm(list)` (as tqa): 12 passes', async () => {
    const r = await run(`import torch
from tqdm import tqdm, trange
import tqdm.auto as tqa
model = torch.nn.Linear(2, 2)
o1 = torch.optim.Adam(model.parameters(), lr=1e-3)
s1 = torch.optim.lr_scheduler.StepLR(o1, 3)
for epoch in tqdm(range(12)):
    o1.step()
    s1.step()
o2 = torch.optim.Adam(model.parameters(), lr=1e-3)
s2 = torch.optim.lr_scheduler.StepLR(o2, 3)
for epoch in trange(12, desc="train"):
    o2.step()
    s2.step()
o3 = torch.optim.Adam(model.parameters(), lr=1e-3)
s3 = torch.optim.lr_scheduler.StepLR(o3, 3)
for epoch in tqa.tqdm(list(range(12)), leave=False):
    o3.step()
    s3.step()
`);
    for (const v of ['s1', 's2', 's3']) assert.strictEqual(byVar(r, v).run!.steps, 12, v);
  });

  it('a lone loop over batches that steps the optimizer itself stays per batch', async () => {
    const s = byVar(await run(`import torch
model = torch.nn.Linear(2, 2)
opt = torch.optim.Adam(model.parameters(), lr=0.001)
scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, 0.99)
for batch in [1, 2, 3]:
    for micro in range(2):
        pass
    opt.step()
    scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run!.unit, 'batch');
  });
});

describe('the inner loop that says "per epoch" steps this scheduler\'s optimizer', () => {
  it('a WGAN loop: the critic\'s optimizer in an inner loop, the generator\'s scheduler per iteration', async () => {
    const s = byVar(await run(`import torch
G = torch.nn.Linear(2, 2)
D = torch.nn.Linear(2, 2)
optimizerG = torch.optim.Adam(G.parameters(), lr=1e-4)
optimizerD = torch.optim.Adam(D.parameters(), lr=1e-4)
schedG = torch.optim.lr_scheduler.LambdaLR(optimizerG, lambda it: 1 - it / 100)
for iteration in range(100):
    for _ in range(5):
        optimizerD.step()
    optimizerG.step()
    schedG.step()
`), 'schedG');
    assert.strictEqual(s.run!.unit, 'batch');
    assert.strictEqual(s.run!.steps, 100);
  });
});
