/**
 * `configure_optimizers` outside a LightningModule (seventh audit: MIC-DKFZ/nnUNet, whose `nnUNetTrainer(object)` and
 * its many variants define `configure_optimizers()` returning `(optimizer, lr_scheduler)`; the trainer steps the
 * scheduler itself). LR Lens took every method of that name for Lightning's hook: "stepped per epoch (Lightning
 * interval "epoch")", LR178 "Lightning steps it once per epoch" on a OneCycleLR the program steps per batch, and LR189
 * "Lightning raises MisconfigurationException" on a timm scheduler. Lightning calls the hook only on a LightningModule:
 * a class whose bases are known to be `object` / `torch.nn.Module` only (through the file's and the repository's
 * classes), or a function outside a class, is the program's own. A class with a base LR Lens cannot see stays
 * Lightning's, as before.
 *
 * Expected curve values: torch 1.13 (/tmp/audit7f/truth/t02_onecycle_per_batch.py), OneCycleLR(max_lr=1e-3,
 * epochs=10, steps_per_epoch=250) stepped after each of the 2500 optimizer steps: lr[0] = 3.9999999999999996e-05,
 * lr[749] = 0.001, lr[2499] = 4e-09.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { WorkspaceHost } from '../../../src/analysis/workspace';
import { run } from './pythonRun';

const host = (files: Record<string, string>): WorkspaceHost => ({
  readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])),
});

const onecycle = (header: string) => `import torch
from torch.optim.lr_scheduler import OneCycleLR
${header}
    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.network.parameters(), lr=1e-3)
        scheduler = OneCycleLR(optimizer, max_lr=1e-3, epochs=10, steps_per_epoch=250)
        return optimizer, scheduler

    def run_training(self, loader):
        self.optimizer, self.lr_scheduler = self.configure_optimizers()
        for epoch in range(10):
            for it in range(250):
                self.optimizer.step()
                self.lr_scheduler.step()
`;

const timm = (header: string) => `import torch
from timm.scheduler import CosineLRScheduler
${header}
    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.network.parameters(), 1e-2, momentum=0.99, nesterov=True)
        lr_scheduler = CosineLRScheduler(optimizer, t_initial=100, lr_min=1e-5, warmup_t=5, warmup_lr_init=1e-4)
        return optimizer, lr_scheduler

    def on_train_epoch_start(self):
        self.lr_scheduler.step(self.current_epoch)
`;

/** Every diagnostic's code, the file's and each construction's. */
const codes = (r: Awaited<ReturnType<typeof run>>) => [...r.diagnostics, ...r.schedulers.flatMap((s) => s.diagnostics)].map((d) => d.code);

describe('configure_optimizers outside a LightningModule', () => {
  for (const header of ['class Trainer:', 'class Trainer(object):', 'class Trainer(torch.nn.Module):']) {
    it(`${header} OneCycleLR stepped per batch by the program: not Lightning's, no LR178, torch's curve`, async () => {
      const r = await run(onecycle(header));
      const s = r.schedulers[0]!;
      assert.strictEqual(s.run?.lightning ?? null, null);
      assert.doesNotMatch(s.run?.source ?? '', /Lightning/);
      assert.ok(!codes(r).includes('LR178'), JSON.stringify(codes(r)));
      const lrs = s.curve!.lrs[0]!;
      assert.strictEqual(lrs.length, 2500);
      assert.ok(Math.abs(lrs[0]! - 3.9999999999999996e-05) <= 1e-18);
      assert.ok(Math.abs(lrs[749]! - 0.001) <= 1e-15);
      assert.ok(Math.abs(lrs[2499]! - 4e-09) <= 1e-20);
    });
  }

  it('a timm scheduler in a plain class: no "Lightning raises" LR189', async () => {
    const r = await run(timm('class Trainer:'));
    assert.ok(!codes(r).includes('LR189'), JSON.stringify(codes(r)));
    assert.strictEqual(r.schedulers[0]!.run?.lightning ?? null, null);
  });

  it('a function named configure_optimizers outside any class is the program\'s', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import OneCycleLR

def configure_optimizers(model):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = OneCycleLR(optimizer, max_lr=1e-3, total_steps=100)
    return optimizer, scheduler
`);
    assert.strictEqual(r.schedulers[0]!.run?.lightning ?? null, null);
    assert.ok(!codes(r).includes('LR178'));
  });

  it('nnU-Net\'s shape: a variant of a trainer class of another module of the repository, derived from object', async () => {
    const script = timm('from pkg.base import BaseTrainer\n\n\nclass Variant(BaseTrainer):');
    const files = {
      '/r/pkg/__init__.py': '',
      '/r/pkg/base.py': 'class BaseTrainer(object):\n    def __init__(self):\n        self.current_epoch = 0\n',
      '/r/pkg/variant.py': script,
    };
    const r = await analyze(script, 'python', { workspace: { host: host(files), root: '/r', file: '/r/pkg/variant.py' }, strict: true });
    assert.strictEqual(r.schedulers[0]!.run?.lightning ?? null, null);
    assert.ok(!codes(r).includes('LR189'), JSON.stringify(codes(r)));
  });

  describe('still Lightning\'s', () => {
    it('a pl.LightningModule: LR178 and LR189 as before', async () => {
      const r = await run(onecycle('import pytorch_lightning as pl\n\n\nclass Lit(pl.LightningModule):'));
      assert.ok(r.schedulers[0]!.run?.lightning);
      assert.ok(codes(r).includes('LR178'));
      const t = await run(timm('import pytorch_lightning as pl\n\n\nclass Lit(pl.LightningModule):'));
      assert.ok(codes(t).includes('LR189'));
    });

    it('a base of another module of the repository that derives from LightningModule', async () => {
      const script = onecycle('from pkg.base import Base\n\n\nclass Lit(Base):');
      const files = {
        '/r/pkg/__init__.py': '',
        '/r/pkg/base.py': 'import lightning as L\n\n\nclass Base(L.LightningModule):\n    pass\n',
        '/r/pkg/lit.py': script,
      };
      const r = await analyze(script, 'python', { workspace: { host: host(files), root: '/r', file: '/r/pkg/lit.py' }, strict: true });
      assert.ok(r.schedulers[0]!.run?.lightning);
    });

    it('a base LR Lens cannot see (an unread module): taken as Lightning\'s, as before', async () => {
      const r = await run(onecycle('from somewhere import Base\n\n\nclass Lit(Base):'));
      assert.ok(r.schedulers[0]!.run?.lightning);
    });
  });
});
