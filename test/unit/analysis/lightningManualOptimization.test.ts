/**
 * Lightning's manual optimization (seventh audit; Lightning docs "Manual Optimization → Learning Rate Scheduling").
 * With `self.automatic_optimization = False` Lightning steps no scheduler (Lightning 2.x
 * loops/training_epoch_loop.py `_update_learning_rates`: `if not trainer.lr_scheduler_configs or not
 * trainer.lightning_module.automatic_optimization: return`); the module steps it with `self.lr_schedulers()`. LR Lens
 * took it as Lightning's interval "epoch": 11 values over `Trainer(max_epochs=10)`, a false LR178 ("Lightning steps
 * it once per epoch … return interval step") and a false LR179 ("the warm-up lasts the whole run"). Expected values:
 * torch 1.13 OneCycleLR(max_lr=0.1, total_steps=1000) stepped once per batch (/tmp/audit7f/truth/t09_manual_optimization.py):
 * lr[0] = 0.0040000000000000036, lr[299] = 0.1, lr[500] = 0.08099881015401794, lr[999] = 4e-07.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const src = (step: string, where = 'training_step') => `import lightning as L
import torch
from torch.optim.lr_scheduler import OneCycleLR


class LitModel(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.layer = torch.nn.Linear(32, 2)

    def training_step(self, batch, batch_idx):
        opt = self.optimizers()
        loss = self.layer(batch).sum()
        opt.zero_grad()
        self.manual_backward(loss)
        opt.step()
${where === 'training_step' ? step : ''}
    def on_train_epoch_end(self):
${where === 'on_train_epoch_end' ? step : '        pass'}

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.layer.parameters(), lr=0.1)
        scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)
        return [optimizer], [scheduler]


trainer = L.Trainer(max_epochs=10)
trainer.fit(LitModel())
`;

const codes = (r: Awaited<ReturnType<typeof run>>) => [...r.diagnostics, ...r.schedulers.flatMap((s) => s.diagnostics)].map((d) => d.code);

describe('Lightning manual optimization: the module steps its schedulers', () => {
  it('sch = self.lr_schedulers(); sch.step() in training_step: per batch, no LR178 / LR179, torch\'s curve', async () => {
    const r = await run(src('        sch = self.lr_schedulers()\n        sch.step()\n'));
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'batch');
    assert.strictEqual(s.run!.lightning, null);
    assert.match(s.run!.source, /automatic_optimization = False/);
    assert.ok(!codes(r).includes('LR178') && !codes(r).includes('LR179'), JSON.stringify(codes(r)));
    const lrs = s.curve!.lrs[0]!;
    assert.ok(lrs.length >= 1000);
    const expect: [number, number][] = [[0, 0.0040000000000000036], [299, 0.1], [500, 0.08099881015401794], [999, 4e-07]];
    for (const [k, v] of expect) assert.ok(Math.abs(lrs[k]! - v) <= 1e-15 + 1e-12 * v, `${k}: ${lrs[k]}`);
  });

  it('self.lr_schedulers().step() in on_train_epoch_end: per epoch, the Trainer\'s 10 epochs', async () => {
    const s = (await run(src('        self.lr_schedulers().step()\n', 'on_train_epoch_end'))).schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'epoch');
    assert.strictEqual(s.run!.epochs, 10);
  });

  it('no step in the module: not known, said why (not Lightning\'s epochs)', async () => {
    const s = (await run(src(''))).schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'unknown');
    assert.match(s.run!.source, /no `self\.lr_schedulers\(\)` step was found/);
  });

  // Two optimizers and two schedulers (a GAN, Lightning docs' manual optimization example): the module steps each by
  // position. LR Lens said "no `self.lr_schedulers()` step was found in the module", which is not so; which scheduler a
  // step by position is of is not followed, so the run stays unknown, saying what the module does.
  for (const [shape, step] of [
    ['`self.lr_schedulers()[0].step()`', '        self.lr_schedulers()[0].step()\n'],
    ['`sch1, sch2 = self.lr_schedulers()`', '        sch1, sch2 = self.lr_schedulers()\n        sch1.step()\n'],
    ['`sch = self.lr_schedulers()[1]`', '        sch = self.lr_schedulers()[1]\n        sch.step()\n'],
  ]) {
    it(`a step of one of several schedulers by position (${shape}): not known, saying the module steps them one by one`, async () => {
      const r = await run(src(step));
      const s = r.schedulers[0]!;
      assert.strictEqual(s.run!.unit, 'unknown');
      assert.match(s.run!.source, /steps its schedulers one by one \(`.*\.step\(\)` in `training_step`\), and which of them each step is of is not followed/);
      assert.doesNotMatch(s.run!.source, /no `self\.lr_schedulers\(\)` step was found/);
    });
  }

  // The GAN of the Lightning docs' manual optimization page, written as public modules write it: two optimizers, two
  // schedulers in the return's second list, each stepped by its place. torch 1.13, both stepped once per epoch for
  // 30 epochs: StepLR(2e-4, step_size=10) ends at 2.0000000000000004e-07, ExponentialLR(1e-4, 0.9) at 4.239115827521624e-06.
  const gan = (steps: string, where: 'training_step' | 'on_train_epoch_end') => `import torch
import pytorch_lightning as pl
from torch.optim.lr_scheduler import StepLR, ExponentialLR


class GAN(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.g = torch.nn.Linear(2, 2)
        self.d = torch.nn.Linear(2, 2)

    def training_step(self, batch, batch_idx):
        opt_g, opt_d = self.optimizers()
        opt_g.step()
        opt_d.step()
${where === 'training_step' ? steps : ''}
    def on_train_epoch_end(self):
${where === 'on_train_epoch_end' ? steps : '        pass'}

    def configure_optimizers(self):
        opt_g = torch.optim.Adam(self.g.parameters(), lr=2e-4)
        opt_d = torch.optim.Adam(self.d.parameters(), lr=1e-4)
        return [opt_g, opt_d], [StepLR(opt_g, step_size=10), ExponentialLR(opt_d, gamma=0.9)]


trainer = pl.Trainer(max_epochs=30)
trainer.fit(GAN())
`;

  it('two schedulers stepped by their places in on_train_epoch_end: each its own step, per epoch, torch\'s values', async () => {
    const r = await run(gan('        self.lr_schedulers()[0].step()\n        self.lr_schedulers()[1].step()\n', 'on_train_epoch_end'));
    const [g, d] = r.schedulers;
    for (const [s, place, end] of [[g!, 0, 2.0000000000000004e-07], [d!, 1, 4.239115827521624e-06]] as const) {
      assert.strictEqual(s.run!.unit, 'epoch');
      assert.strictEqual(s.run!.steps, 30);
      assert.match(s.run!.source, new RegExp(`self\\.lr_schedulers\\(\\)\\[${place}\\]\\.step\\(\\)\` in \`on_train_epoch_end\``));
      const row = s.curve!.lrs[0]!;
      assert.strictEqual(row.length, 31);
      assert.ok(Math.abs(row[30]! - end) <= 1e-12 * end, `${s.kind}: ${row[30]}`);
    }
  });

  it('`sch_g, sch_d = self.lr_schedulers()` and only `sch_d.step()`: the discriminator\'s per batch, the generator\'s said not stepped by the module', async () => {
    const r = await run(gan('        sch_g, sch_d = self.lr_schedulers()\n        sch_d.step()\n', 'training_step'));
    const [g, d] = r.schedulers;
    assert.strictEqual(d!.run!.unit, 'batch');
    assert.strictEqual(g!.run!.unit, 'unknown');
    assert.match(g!.run!.source, /the module steps its other schedulers \(`sch_d\.step\(\)` in `training_step`\), not this one/);
  });

  it('automatic optimization and a step by position (`self.lr_schedulers()[0].step()`): no LR176, since which scheduler it steps is not followed', async () => {
    const r = await run(src('        self.lr_schedulers()[0].step()\n').replace('        self.automatic_optimization = False\n', ''));
    assert.ok(!codes(r).includes('LR176'), JSON.stringify(codes(r)));
  });

  it('automatic optimization and the module\'s own step too: LR176 (stepped twice), not LR178\'s "interval": "step"', async () => {
    // Lightning 2.x `_update_learning_rates` steps every configured scheduler under automatic optimization, once per
    // its interval; the module's `sch.step()` in training_step adds one step per batch (public code does this).
    const r = await run(src('        sch = self.lr_schedulers()\n        sch.step()\n').replace('        self.automatic_optimization = False\n', ''));
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.unit, 'unknown');
    assert.match(s.run!.source, /Lightning steps it once per epoch .* and the module steps it again with `sch\.step\(\)` in `training_step`/);
    assert.ok(codes(r).includes('LR176'), JSON.stringify(codes(r)));
    assert.ok(!codes(r).includes('LR178') && !codes(r).includes('LR179'), JSON.stringify(codes(r)));
  });

  it('automatic optimization (the default): Lightning\'s interval run and LR178, as before', async () => {
    const r = await run(src('').replace('        self.automatic_optimization = False\n', ''));
    assert.ok(r.schedulers[0]!.run!.lightning);
    assert.ok(codes(r).includes('LR178'));
  });
});
