/**
 * Schedulers built by lambdas kept as factories (fifth audit): `SCHEDULERS = {'step': lambda opt, cfg: StepLR(…), 'cos':
 * lambda opt, cfg: CosineAnnealingLR(…)}` then `scheduler = SCHEDULERS[cfg['name']](optimizer, cfg)`, or a list of them
 * walked by `for sched_fn in scheduler_classes`. A lambda the walk does not call was "never stepped" with a warning
 * LR175, although the loop steps whatever it returns. torch 1.13 (/tmp/audit5t/truth/t01_lambda_factories.py) steps
 * either choice: 'cos' gives 0.1, 0.0961939766…, …, 0.0 over 8 epochs; 'step' 0.1, 0.1, 0.1, 0.05, ….
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const DICT = `import torch
from torch import nn
from torch.optim import lr_scheduler
SCHEDULERS = {
    'step': lambda opt, cfg: lr_scheduler.StepLR(opt, step_size=cfg['step'], gamma=cfg['gamma']),
    'cos': lambda opt, cfg: lr_scheduler.CosineAnnealingLR(opt, T_max=cfg['epochs']),
}
cfg = {'name': 'step', 'step': 3, 'gamma': 0.5, 'epochs': 8, 'lr': 0.1}
model = nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=cfg['lr'])
scheduler = SCHEDULERS[cfg['name']](optimizer, cfg)
for epoch in range(cfg['epochs']):
    optimizer.step()
    scheduler.step()
`;

describe('schedulers returned by lambdas (factories)', () => {
  it('the lambda the config picks is stepped by the loop; the other is handed to its lambda\'s return, not "never stepped"', async () => {
    const r = await run(DICT);
    const step = r.schedulers.find((s) => s.kind === 'StepLR')!;
    // torch: [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]
    assert.deepStrictEqual([...step.curve!.lrs[0]!], [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    const cos = r.schedulers.find((s) => s.kind === 'CosineAnnealingLR')!;
    assert.deepStrictEqual(cos.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    assert.strictEqual(cos.run?.unit, 'unknown');
    assert.match(cos.run!.source, /the return of a lambda \(`lambda opt, cfg: lr_scheduler\.CosineAnn/);
  });

  it('a list of lambdas walked by a loop: no LR175 on either', async () => {
    const r = await run(`import torch
from torch import nn, optim
num_epochs = 6
scheduler_classes = [
    lambda opt: optim.lr_scheduler.CosineAnnealingLR(opt, T_max=num_epochs),
    lambda opt: optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1),
]
for sched_idx, sched_fn in enumerate(scheduler_classes):
    optimizer = optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    scheduler = sched_fn(optimizer)
    for epoch in range(num_epochs):
        optimizer.step()
        scheduler.step()
`);
    assert.strictEqual(r.schedulers.length, 2);
    for (const s of r.schedulers) {
      assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR175').map((d) => d.code), []);
      assert.strictEqual(s.run?.unit, 'unknown');
    }
  });

  it('a lambda the walk calls, whose scheduler nothing steps, is still never stepped (LR175)', async () => {
    const r = await run(`import torch
from torch import nn
make = lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2)
optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = make(optimizer)
for epoch in range(5):
    optimizer.step()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run?.unit, 'never');
    assert.ok(s.diagnostics.some((d) => d.code === 'LR175'));
  });
});
