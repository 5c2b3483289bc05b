/**
 * An optimizer whose keyword arguments come from an unexpanded `**kwargs` (seventh audit: lightning-bolts
 * `pl_bolts/models/detection/yolo/yolo_module.py`, `self.optimizer_class(params, **defaults)` with `defaults =
 * copy(self.optimizer_params)`, param groups without "lr"). LR Lens said "torch would raise ValueError: parameter group
 * didn't specify a value of required optimization parameter lr" and drew a curve of NaN: the `**` may pass the lr, and
 * with the module's default `{"lr": 0.01, …}` it does. torch 1.13 (/tmp/audit7f/truth/t04_splat_optimizer_kwargs.py):
 * builds and steps without error; CosineAnnealingLR(T_max=300) gives lr[150] = 0.004999999999999998 and lr[300] = 0.0
 * from lr 0.01, i.e. half and zero of the start (the lr itself is now assumed, labelled, as for an unresolved lr).
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const src = (call: string) => `from copy import copy
import torch
from torch import optim
from torch.optim.lr_scheduler import CosineAnnealingLR

conv = torch.nn.Conv2d(3, 8, 3)
optimizer_params = {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.0005}
defaults = copy(optimizer_params)
params = [{"params": [conv.bias], "weight_decay": 0.0}, {"params": [conv.weight], "weight_decay": 0.0005}]
optimizer = ${call}
scheduler = CosineAnnealingLR(optimizer, T_max=300)
for epoch in range(300):
    optimizer.step()
    scheduler.step()
`;

describe('an optimizer given an unexpanded **kwargs', () => {
  it('SGD(groups without lr, **defaults): no "torch would raise", the lr assumed and labelled, torch\'s shape', async () => {
    const r = await run(src('optim.SGD(params, **defaults)'));
    const s = r.schedulers[0]!;
    assert.strictEqual(s.failure, null);
    const lrs = s.curve!.lrs;
    assert.strictEqual(lrs.length, 2);
    for (const row of lrs) {
      assert.strictEqual(row.length, 301);
      assert.ok(Math.abs(row[150]! / row[0]! - 0.004999999999999998 / 0.01) < 1e-12, String(row[150]));
      assert.ok(Math.abs(row[300]!) < 1e-15);
    }
    const lr = s.assumed.find((a) => a.what === 'lr');
    assert.ok(lr, JSON.stringify(s.assumed));
    assert.match(lr.why, /\*\*defaults/);
  });

  it('groups without lr and nothing else that may pass one: torch raises, as before', async () => {
    const r = await run(src('optim.SGD(params, momentum=0.9)'));
    const s = r.schedulers[0]!;
    const said = [...s.notes, ...s.assumed.map((a) => a.why), s.error ?? '', s.failure?.message ?? ''].join(' | ');
    assert.match(said, /didn't specify a value of required optimization parameter lr/);
  });
});
