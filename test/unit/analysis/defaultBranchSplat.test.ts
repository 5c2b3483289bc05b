/**
 * Values chosen by a parameter's default and passed through `**dict` (seventh audit: lightning-bolts
 * `pl_bolts/models/self_supervised/moco/moco_module.py`). MoCo's `__init__` sets `self.optimizer_params = {"lr": 0.03,
 * …}` and `self.lr_scheduler_params = {"T_max": 100}` on the `else` of `if optimizer_params is not None:` (the
 * parameters default to None), and builds `self.lr_scheduler_class(optimizer, **self.lr_scheduler_params)` with
 * `lr_scheduler: Type[LRScheduler] = optim.lr_scheduler.CosineAnnealingLR`. Nothing in the file builds the module,
 * so all three rest on the caller; LR Lens drew lr 0.03 and T_max 100 with no label (the same values written as
 * keywords were labelled) and did not say the class was a default. Expected curve, torch 1.13
 * (/tmp/audit7f/truth/t05_moco_defaults.py): lr[0] = 0.03, lr[50] = 0.015000000000000005, lr[100] = 0.0.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const MOCO = `from typing import Any, Dict, Optional, Type

import pytorch_lightning as pl
import torch
from torch import optim


class MoCo(pl.LightningModule):
    def __init__(self, optimizer: Type[optim.Optimizer] = optim.SGD, optimizer_params: Optional[Dict[str, Any]] = None,
                 lr_scheduler: Type[optim.lr_scheduler._LRScheduler] = optim.lr_scheduler.CosineAnnealingLR,
                 lr_scheduler_params: Optional[Dict[str, Any]] = None) -> None:
        super().__init__()
        self.net = torch.nn.Linear(4, 4)
        self.optimizer_class = optimizer
        if optimizer_params is not None:
            self.optimizer_params = optimizer_params
        else:
            self.optimizer_params = {"lr": 0.03, "momentum": 0.9, "weight_decay": 1e-4}
        self.lr_scheduler_class = lr_scheduler
        if lr_scheduler_params is not None:
            self.lr_scheduler_params = lr_scheduler_params
        else:
            self.lr_scheduler_params = {"T_max": 100}

    def configure_optimizers(self):
        optimizer = self.optimizer_class(self.parameters(), **self.optimizer_params)
        lr_scheduler = self.lr_scheduler_class(optimizer, **self.lr_scheduler_params)
        return [optimizer], [lr_scheduler]
`;

describe('a parameter default deciding a dict passed as **kwargs, and the class from a default', () => {
  it('MoCo: lr, T_max and the class are labelled with the parameter defaults; the curve is torch\'s', async () => {
    const s = (await run(MOCO)).schedulers[0]!;
    assert.strictEqual(s.kind, 'CosineAnnealingLR');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs[0], 0.03);
    assert.ok(Math.abs(lrs[50]! - 0.015000000000000005) <= 1e-17, String(lrs[50]));
    assert.ok(Math.abs(lrs[100]!) <= 1e-18);
    const why = (what: string) => s.assumed.find((a) => a.what === what)?.why ?? '';
    assert.match(why('lr'), /optimizer_params is not None` is false/);
    assert.match(why('T_max'), /lr_scheduler_params is not None` is false/);
    assert.strictEqual(s.assumed.find((a) => a.what === 'class')?.value, 'torch\'s CosineAnnealingLR');
    assert.match(why('class'), /default of parameter `lr_scheduler`/);
  });

  it('the module built in the file: its values are the call\'s (labelled as every value Lightning\'s instance gets)', async () => {
    const s = (await run(`${MOCO}
model = MoCo(optimizer_params={"lr": 0.03}, lr_scheduler_params={"T_max": 100})
`)).schedulers[0]!;
    const picked = s.assumed.filter((a) => ['lr', 'T_max', 'class'].includes(a.what));
    assert.strictEqual(picked.length, 3);
    for (const a of picked) assert.strictEqual(a.why, 'from the call at line 30');
  });
});
