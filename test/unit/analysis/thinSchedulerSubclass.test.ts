/**
 * A class of the file that only passes its arguments on to a torch scheduler it derives from (repositories name their
 * schedulers for a config registry, or rename an argument: `class EpochCosine(CosineAnnealingLR)` whose `__init__`
 * calls `super().__init__(optimizer, T_max=epochs, eta_min=eta_min)`). LR Lens found no scheduler in such a file; it
 * previews the torch scheduler its `super().__init__(…)` builds. A class with a method of its own (`get_lr`, `step`)
 * is its own schedule and stays unpreviewed. Expected values: torch 1.13 (python3-torch) running the same programs.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const loop = `for epoch in range(30):
    optimizer.step()
    scheduler.step()
`;

describe('a subclass of a torch scheduler that only passes its arguments on', () => {
  it('`super().__init__(optimizer, T_max=epochs, eta_min=eta_min)`: the CosineAnnealingLR it builds (torch: lr[1] 0.09972636867364526, lr[15] 0.050050000000000025, lr[30] 0.0001)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


class EpochCosine(CosineAnnealingLR):
    def __init__(self, optimizer, epochs, eta_min=0):
        self.epochs = epochs
        super().__init__(optimizer, T_max=epochs, eta_min=eta_min)


model = torch.nn.Linear(3, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = EpochCosine(optimizer, epochs=30, eta_min=1e-4)
${loop}`);
    assert.strictEqual(r.schedulers.length, 1);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.kind, 'CosineAnnealingLR');
    assert.strictEqual(s.run!.unit, 'epoch');
    assert.strictEqual(s.run!.steps, 30);
    const row = s.curve!.lrs[0]!;
    for (const [k, v] of [[1, 0.09972636867364526], [15, 0.050050000000000025], [30, 0.0001]] as const) assert.ok(Math.abs(row[k]! - v) <= 1e-12 * v, `${k}: ${row[k]}`);
    // Its steps are its own scheduler's, not another writer of the lr.
    assert.deepStrictEqual(s.diagnostics.map((d) => d.code).filter((c) => c === 'LR190'), []);
  });

  it('no `__init__` of its own: torch\'s, with the call\'s arguments (torch: StepLR ends at 0.0125)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import StepLR


class MyStep(StepLR):
    """Same as StepLR; named for the config registry."""


model = torch.nn.Linear(3, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = MyStep(optimizer, step_size=10, gamma=0.5)
${loop}`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.kind, 'StepLR');
    assert.strictEqual(s.variable, 'scheduler');
    assert.strictEqual(s.curve!.lrs[0]![30], 0.0125);
  });

  it('a subclass with its own `get_lr` is its own schedule: not previewed as its base', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


class WarmRestart(CosineAnnealingLR):
    def __init__(self, optimizer, T_max, T_mult=1, eta_min=0, last_epoch=-1):
        self.T_mult = T_mult
        super().__init__(optimizer, T_max, eta_min, last_epoch)

    def get_lr(self):
        if self.last_epoch > self.T_max:
            self.last_epoch = 0
            self.T_max *= self.T_mult
        return super().get_lr()


model = torch.nn.Linear(3, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = WarmRestart(optimizer, T_max=10, T_mult=2)
${loop}`);
    assert.ok(!r.schedulers.some((s) => s.kind === 'CosineAnnealingLR' && s.curve), JSON.stringify(r.schedulers.map((s) => s.kind)));
  });

  it('an `__init__` that changes the scheduler after `super().__init__(…)` (`self.T_max = T_max - start`) is its own schedule: not previewed as its base', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


class MyCosine(CosineAnnealingLR):
    def __init__(self, optimizer, T_max, eta_min=0, starting_point=0.):
        self.starting_step = int(T_max * starting_point)
        super().__init__(optimizer, T_max, eta_min)
        self.T_max = T_max - self.starting_step


model = torch.nn.Linear(3, 3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = MyCosine(optimizer, T_max=30, starting_point=0.5)
${loop}`);
    assert.ok(!r.schedulers.some((s) => s.kind === 'CosineAnnealingLR' && s.curve), JSON.stringify(r.schedulers.map((s) => s.kind)));
  });
});
