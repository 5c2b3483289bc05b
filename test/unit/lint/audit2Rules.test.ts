/**
 * The second audit's rule findings (P2, P4–P7): each snippet is shaped as the audited training scripts are;
 * expected values come from torch 1.13's / the libraries' semantics, computed here, never from LR Lens's output.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';
import { applyEdits } from '../../../src/lint';

async function py(text: string): Promise<AnalysisResult> {
  return analyze(text, 'python', { strict: true });
}

function byVar(r: AnalysisResult, variable: string): SchedulerAnalysis {
  const s = r.schedulers.find((x) => x.variable === variable);
  assert.ok(s, `no scheduler ${variable}: ${r.schedulers.map((x) => x.variable).join(', ')}`);
  return s;
}

const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => d.code);

describe('audit 2: rules', () => {
  describe('P4: an earlier construction LR Lens cannot evaluate still sets initial_lr (LR001)', () => {
    const head = 'import torch\nfrom torch.optim.lr_scheduler import LambdaLR, CosineAnnealingLR, ReduceLROnPlateau\nfrom utils import get_warmup_fn\n' +
      'model = torch.nn.Linear(2, 2)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\nstart_epoch = 5\n';

    it('a LambdaLR with an unseen lambda before a resumed cosine: no KeyError, the resumed curve from initial_lr 0.1', async () => {
      const r = await py(head + 'warmup = LambdaLR(optimizer, lr_lambda=get_warmup_fn(5))\n' +
        'scheduler = CosineAnnealingLR(optimizer, T_max=100, last_epoch=start_epoch - 1)\n');
      const s = byVar(r, 'scheduler');
      assert.ok(!codes(s).includes('LR001'), JSON.stringify(s.diagnostics));
      assert.ok(!s.diagnostics.some((d) => d.severity === 'error'));
      assert.strictEqual(s.error, null);
      // torch 1.13: base_lrs = initial_lr = 0.1 (setdefault by the LambdaLR); the resume's first value is the closed
      // form at last_epoch 5, then the recursive rule: eta_min 0.
      const first = 0.1 * (1 + Math.cos((5 * Math.PI) / 100)) / 2;
      assert.ok(Math.abs(s.curve!.lrs[0]![0]! - first) < 1e-12, `${s.curve!.lrs[0]![0]} vs ${first}`);
      // The lr the unseen LambdaLR leaves in the groups is not known: said.
      assert.ok(s.assumed.some((a) => /warmup.*not evaluated/.test(a.why)), JSON.stringify(s.assumed));
    });

    it('without it, or after a ReduceLROnPlateau (which never sets initial_lr), torch raises: still an error', async () => {
      for (const before of ['', 'plateau = ReduceLROnPlateau(optimizer, patience=get_warmup_fn(5))\n']) {
        const r = await py(head + before + 'scheduler = CosineAnnealingLR(optimizer, T_max=100, last_epoch=start_epoch - 1)\n');
        const d = byVar(r, 'scheduler').diagnostics.find((x) => x.code === 'LR001');
        assert.ok(d && d.severity === 'error', `${before}: ${JSON.stringify(byVar(r, 'scheduler').diagnostics)}`);
      }
    });
  });

  describe('P2: LR171 only for a length that counts epochs', () => {
    const cfg = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nclass CFG:\n    epochs = 10\n    n_fold = 3\n';

    it('T_max=CFG.epochs * len(train_loader) stepped per batch (200 of 200 steps): no LR171, the cosine ends at eta_min', async () => {
      const r = await py(cfg + 'def train_loop(train_loader):\n    model = torch.nn.Linear(2, 2)\n    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)\n' +
        '    scheduler = CosineAnnealingLR(optimizer, T_max=CFG.epochs * len(train_loader), eta_min=1e-6)\n' +
        '    for epoch in range(CFG.epochs):\n        for x in train_loader:\n            optimizer.step()\n            scheduler.step()\n' +
        'train_loop(list(range(20)))\n');
      const s = byVar(r, 'scheduler');
      assert.strictEqual(s.run?.steps, 10 * 20);
      assert.ok(!codes(s).includes('LR171'), JSON.stringify(s.diagnostics));
      const lrs = s.curve!.lrs[0]!;
      assert.ok(Math.abs(lrs[200]! - 1e-6) < 1e-15, `${lrs[200]}`);
    });

    it('T_max=CFG.epochs inside a fold loop: LR171 names the epoch loop, and its quick fix does not re-trigger it', async () => {
      const text = cfg + 'train_loader = torch.utils.data.DataLoader(list(range(640)), batch_size=32)\n' +
        'for fold in range(CFG.n_fold):\n    model = torch.nn.Linear(2, 2)\n    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)\n' +
        '    scheduler = CosineAnnealingLR(optimizer, T_max=CFG.epochs)\n' +
        '    for epoch in range(CFG.epochs):\n        for x in train_loader:\n            optimizer.step()\n            scheduler.step()\n';
      const s = byVar(await py(text), 'scheduler');
      const d = s.diagnostics.find((x) => x.code === 'LR171');
      assert.ok(d, JSON.stringify(s.diagnostics));
      assert.match(d.message, /the loop `for epoch in range\(CFG\.epochs\)`/);
      assert.doesNotMatch(d.message, /for fold/);
      const fixed = applyEdits(text, d.fixes![0]!.edits);
      assert.match(fixed, /T_max=CFG\.epochs \* len\(train_loader\)/);
      assert.ok(!codes(byVar(await py(fixed), 'scheduler')).includes('LR171'));
    });

    it('Kaggle style T_max=CFG.epochs * 20 with 20 batches per epoch: no LR171', async () => {
      const r = await py(cfg + 'model = torch.nn.Linear(2, 2)\noptimizer = torch.optim.Adam(model.parameters(), lr=1e-4)\n' +
        'scheduler = CosineAnnealingLR(optimizer, T_max=CFG.epochs * 20)\n' +
        'for epoch in range(CFG.epochs):\n    for x in range(20):\n        optimizer.step()\n        scheduler.step()\n');
      assert.ok(!codes(byVar(r, 'scheduler')).includes('LR171'));
    });
  });

  describe('P5: LR179 calls a warm-up only what rises, and a length equal to the run finishes', () => {
    const loop = (sched: string) => 'import torch\nfrom torch.optim.lr_scheduler import LinearLR\nepochs = 50\nmodel = torch.nn.Linear(2, 2)\n' +
      `optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)\nscheduler = ${sched}\n` +
      'for epoch in range(epochs):\n    optimizer.step()\n    scheduler.step()\n';

    it('a linear decay to 0 over the run: no LR179, and torch reaches 0.0 at the last step', async () => {
      const s = byVar(await py(loop('LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=epochs)')), 'scheduler');
      assert.ok(!codes(s).includes('LR179'), JSON.stringify(s.diagnostics));
      // LinearLR reaches end_factor at last_epoch == total_iters = 50 = the run's step() calls.
      assert.strictEqual(s.curve!.lrs[0]![50], 0);
    });

    it('a warm-up as long as the run finishes on its last step (no LR179); one step longer never does (LR179)', async () => {
      const equal = byVar(await py(loop('LinearLR(optimizer, start_factor=0.1, end_factor=1.0, total_iters=epochs)')), 'scheduler');
      assert.ok(!codes(equal).includes('LR179'), JSON.stringify(equal.diagnostics));
      assert.ok(Math.abs(equal.curve!.lrs[0]![50]! - 3e-4) < 1e-15);
      const longer = byVar(await py(loop('LinearLR(optimizer, start_factor=0.1, end_factor=1.0, total_iters=epochs + 1)')), 'scheduler');
      assert.ok(longer.diagnostics.some((d) => d.code === 'LR179' && /warm-up/.test(d.message)), JSON.stringify(longer.diagnostics));
    });

    it('torch\'s default factors (1/3 → 1.0) rise: a warm-up; an unknown factor keeps the rule silent', async () => {
      const dflt = byVar(await py(loop('LinearLR(optimizer, total_iters=epochs + 1)')), 'scheduler');
      assert.ok(dflt.diagnostics.some((d) => d.code === 'LR179' && /warm-up/.test(d.message)), JSON.stringify(dflt.diagnostics));
      const unknown = byVar(await py(loop('LinearLR(optimizer, start_factor=cfg.sf, total_iters=epochs + 1)')), 'scheduler');
      assert.ok(!codes(unknown).includes('LR179'), JSON.stringify(unknown.diagnostics));
    });

    it('a decay far beyond the run is not called a warm-up', async () => {
      const s = byVar(await py(loop('LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=200)')), 'scheduler');
      const d = s.diagnostics.find((x) => x.code === 'LR179');
      assert.ok(d, JSON.stringify(s.diagnostics));
      assert.doesNotMatch(d.message, /warm-up/);
    });
  });

  describe('P6: get_scheduler("constant") reads neither step count', () => {
    const script = (name: string) => 'import argparse\nimport torch\nfrom accelerate import Accelerator\nfrom diffusers.optimization import get_scheduler\n' +
      'parser = argparse.ArgumentParser()\nparser.add_argument("--learning_rate", type=float, default=1e-4)\n' +
      `parser.add_argument("--lr_scheduler", type=str, default="${name}")\nparser.add_argument("--lr_warmup_steps", type=int, default=500)\n` +
      'parser.add_argument("--max_train_steps", type=int, default=5000)\nargs = parser.parse_args()\naccelerator = Accelerator()\n' +
      'optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)\n' +
      'lr_scheduler = get_scheduler(args.lr_scheduler, optimizer=optimizer,\n' +
      '    num_warmup_steps=args.lr_warmup_steps * accelerator.num_processes,\n    num_training_steps=args.max_train_steps * accelerator.num_processes)\n';

    it('"constant" (the diffusers examples\' default): the constant assumed lr, labelled', async () => {
      const s = byVar(await py(script('constant')), 'lr_scheduler');
      assert.ok(s.curve, String(s.error));
      assert.ok(s.curve.lrs[0]!.every((x) => x === 1e-4));
      assert.ok(s.assumed.some((a) => a.what === 'name' && a.value === 'constant'));
      assert.ok(s.assumed.some((a) => a.what === 'lr' && a.value === 1e-4));
    });

    it('diffusers\' step_rules: not read by "constant", read by "piecewise_constant"', async () => {
      const call = (name: string) => 'import torch\nfrom diffusers.optimization import get_scheduler\n' +
        'optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)\n' +
        `lr_scheduler = get_scheduler("${name}", optimizer=optimizer, step_rules=cfg.rules, num_warmup_steps=cfg.warmup)\n`;
      const constant = byVar(await py(call('constant')), 'lr_scheduler');
      assert.ok(constant.curve && constant.curve.lrs[0]!.every((x) => x === 1e-4), String(constant.error));
      const piecewise = byVar(await py(call('piecewise_constant')), 'lr_scheduler');
      assert.strictEqual(piecewise.curve, null);
      assert.match(String(piecewise.error), /step_rules/);
    });

    it('"linear" reads num_warmup_steps: still unknown', async () => {
      const s = byVar(await py(script('linear')), 'lr_scheduler');
      assert.strictEqual(s.curve, null);
      assert.match(String(s.error), /num_warmup_steps/);
    });
  });

  describe('P7: a Lightning Trainer runs only the modules it fits', () => {
    const file = (fit: string) => 'import torch\nimport pytorch_lightning as pl\n' +
      'class Pretrainer(pl.LightningModule):\n    def configure_optimizers(self):\n' +
      '        optimizer = torch.optim.AdamW(self.parameters(), lr=1e-3)\n' +
      '        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, total_steps=1000)\n' +
      '        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}\n' +
      'class Classifier(pl.LightningModule):\n    def configure_optimizers(self):\n' +
      '        optimizer = torch.optim.SGD(self.parameters(), lr=0.1)\n        sched = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10)\n' +
      '        return [optimizer], [sched]\n' +
      `trainer = pl.Trainer(max_epochs=30)\n${fit}\n`;

    it('fit(Classifier()): the Pretrainer gets no run from that Trainer (no LR172), the Classifier gets 30 epochs', async () => {
      const r = await py(file('trainer.fit(Classifier(), datamodule=dm)'));
      const pre = byVar(r, 'scheduler');
      assert.notStrictEqual(pre.run?.unit, 'batch');
      assert.ok(!codes(pre).includes('LR172'), JSON.stringify(pre.diagnostics));
      assert.strictEqual(byVar(r, 'sched').run?.epochs, 30);
    });

    it('fit(model) with model = Pretrainer(): the Trainer\'s run is the Pretrainer\'s', async () => {
      const r = await py(file('model = Pretrainer()\ntrainer.fit(model)'));
      const pre = byVar(r, 'scheduler');
      assert.strictEqual(pre.run?.unit, 'batch');
      assert.strictEqual(pre.run?.epochs, 30);
    });
  });
});
