/**
 * A scheduler kept in a container under a key the walk cannot follow (fifth audit: LLaMA-Factory's
 * `create_custom_scheduler`, `scheduler_dict[param] = get_scheduler(…)` for each parameter, stepped from a gradient hook
 * `scheduler_dict[param].step()`). LR Lens said "never stepped" with warning LR175 "constructed but never stepped nor
 * passed anywhere". torch 1.13 runs both shapes (/tmp/audit5f/repro/r02*.py: the hook and a loop over the keys) and
 * each StepLR(step_size=3, gamma=0.5) ends at 0.1 · 0.5³ = 0.0125 after 10 steps — it IS stepped. The run is now
 * unknown, naming the container and the call that steps its entries.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

describe('a scheduler kept in a container under a run-time key', () => {
  it('stepped from a hook through `scheduler_dict[param].step()`: stepping unknown, no LR175', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR

model = torch.nn.Linear(2, 2)
optimizer_dict = {p: torch.optim.SGD([p], lr=0.1) for p in model.parameters()}
scheduler_dict = {}
for param in optimizer_dict.keys():
    scheduler_dict[param] = StepLR(optimizer_dict[param], step_size=3, gamma=0.5)


def scheduler_hook(param):
    optimizer_dict[param].step()
    scheduler_dict[param].step()


for param in optimizer_dict.keys():
    param.register_post_accumulate_grad_hook(scheduler_hook)

for it in range(10):
    model(torch.randn(4, 2)).sum().backward()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'unknown');
    assert.match(s.run!.source, /handed to `scheduler_dict\[param\]` \(its entries are stepped by `scheduler_dict\[param\]\.step\(\)` at line 13\)/);
    assert.deepStrictEqual(s.diagnostics.map((d) => d.code).filter((c) => c === 'LR175'), []);
  });

  it('stepped in the epoch loop over the keys: the same', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR

nets = {"G": torch.nn.Linear(2, 2), "D": torch.nn.Linear(2, 2)}
optimizers = {name: torch.optim.Adam(net.parameters(), lr=2e-4) for name, net in nets.items()}
schedulers = {}
for name in ["G", "D"]:
    schedulers[name] = StepLR(optimizers[name], step_size=3, gamma=0.5)
for epoch in range(10):
    for name in ["G", "D"]:
        optimizers[name].step()
        schedulers[name].step()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'unknown');
    assert.deepStrictEqual(s.diagnostics.map((d) => d.code).filter((c) => c === 'LR175'), []);
  });

  it('kept in a container and stepped nowhere: still not "never stepped" (it is handed to the container)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR

opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
state = {}
for k in ["a"]:
    state[k] = StepLR(opt, step_size=3)
for epoch in range(3):
    opt.step()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'unknown');
    assert.match(s.run!.source, /handed to `state\[k\]`, which LR Lens cannot follow/);
  });

  it('a constant key the walk follows keeps its exact run (10 epochs)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR

opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheds = {}
scheds["main"] = StepLR(opt, step_size=3, gamma=0.5)
for epoch in range(10):
    opt.step()
    scheds["main"].step()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'epoch');
    assert.strictEqual(s.run!.steps, 10);
    // torch 1.13: 0.1 · 0.5^3 after 10 steps.
    assert.strictEqual(s.curve!.lrs[0]![10], 0.0125);
  });
});
