/**
 * Training-loop awareness (issue 11): realistic scripts in test/fixtures/loops, each with the unit,
 * run length, step sites and rule ids expected from reading the script (not from our output).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';
import { formatJson } from '../../../src/cli/format';
import { CATALOGUE } from '../../../src/lint/catalogue';

// out/test/unit/analysis → test/fixtures/loops in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/loops');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/**
 * What real torch 1.13 (Debian python3-torch, /usr/bin/python3) did with the same loop shapes, run once
 * (script: OneCycleLR(epochs=10, steps_per_epoch=100) stepped per batch for 12 epochs × 100 batches;
 * ReduceLROnPlateau.step() without a metric in an epoch loop). Recorded here so the tests need no torch.
 */
const TORCH = {
  LR172: { type: 'ValueError', message: 'Tried to step 1002 times. The specified number of total steps is 1000', epoch: 10, batch: 0 },
  LR177: { type: 'TypeError', message: "ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'", epoch: 0 },
};

async function run(name: string, opts: Parameters<typeof analyze>[2] = {}): Promise<AnalysisResult> {
  return analyze(read(name), 'python', { strict: true, ...opts });
}

function byVar(r: AnalysisResult, variable: string): SchedulerAnalysis {
  const s = r.schedulers.find((x) => x.variable === variable);
  assert.ok(s, `no scheduler assigned to ${variable}: ${r.schedulers.map((x) => x.variable).join(', ')}`);
  return s;
}

const codes = (s: SchedulerAnalysis) => s.diagnostics.map((d) => d.code);
/** 1-based lines of the step sites. */
const siteLines = (s: SchedulerAnalysis) => (s.run?.stepSites ?? []).map((r) => r.start.line + 1);

describe('training-loop awareness (issue 11)', () => {
  it('every loop rule is in the catalogue with the issue\'s severity', () => {
    const want: Record<string, string> = {
      LR170: 'warning', LR171: 'warning', LR172: 'error', LR173: 'warning', LR174: 'warning', LR175: 'warning',
      LR176: 'warning', LR177: 'error', LR178: 'warning', LR179: 'warning',
    };
    for (const [id, sev] of Object.entries(want)) assert.strictEqual(CATALOGUE.get(id)?.severity, sev, id);
  });

  it('mnist: StepLR stepped per epoch, 14 epochs from the argparse default (labelled)', async () => {
    const s = byVar(await run('mnist_main.py'), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.epochs, 14);
    assert.strictEqual(s.run?.steps, 14);
    assert.deepStrictEqual(siteLines(s), [41]);
    assert.ok(s.run!.assumed.some((a) => /--epochs/.test(a)), s.run!.assumed.join('; '));
    // The preview is the run: 14 step() calls → 15 values, labelled with its loop.
    assert.strictEqual(s.horizon.steps, 15);
    assert.match(s.horizon.source, /14 epochs, from `for epoch in range\(1, args\.epochs \+ 1\)`/);
  });

  it('imagenet: built and stepped per epoch inside main_worker (its loop is the run; who calls it does not matter)', async () => {
    const s = byVar(await run('imagenet_main.py'), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.deepStrictEqual(siteLines(s), [19]);
    assert.deepStrictEqual(s.run?.sites.map((x) => x.via), [['main_worker']]);
  });

  it('torchvision train_one_epoch: per batch through the helper, 90 epochs × ? batches, no LR174 with the AMP branch', async () => {
    const s = byVar(await run('torchvision_train.py'), 'lr_scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.epochs, 90);
    assert.strictEqual(s.run?.stepsPerEpoch, null);
    assert.strictEqual(s.run?.steps, null);
    assert.deepStrictEqual(siteLines(s), [21]);
    assert.deepStrictEqual(s.run?.via, ['main', 'train_one_epoch']);
    assert.ok(!codes(s).includes('LR174'));
    // epochs=args.epochs and the loop's range(args.start_epoch, args.epochs) agree: no overrun.
    assert.ok(!codes(s).includes('LR172'));
  });

  it('gradient accumulation: optimizer-step unit', async () => {
    const s = byVar(await run('glue_no_trainer.py'), 'lr_scheduler');
    assert.strictEqual(s.run?.unit, 'optimizer-step');
    assert.strictEqual(s.run?.epochs, 3);
    assert.deepStrictEqual(siteLines(s), [26]);
    assert.match(s.run!.sites[0]!.accumulation!, /step % gradient_accumulation_steps == 0/);
  });

  it('AMP: T_max=EPOCHS stepped per batch fires LR171 (with a fix counting batches), not LR174', async () => {
    const s = byVar(await run('amp_cosine_per_batch.py'), 'scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.epochs, 30);
    assert.ok(codes(s).includes('LR171'));
    assert.ok(!codes(s).includes('LR174'));
    const fix = s.diagnostics.find((d) => d.code === 'LR171')!.fixes![0]!;
    assert.strictEqual(fix.edits[0]!.newText, 'EPOCHS * len(train_loader)');
    // Batches per epoch unknown: the preview assumes 100 per epoch and says so.
    assert.strictEqual(s.horizon.steps, 30 * 100 + 1);
    assert.ok(s.notes.some((n) => /100 batches per epoch assumed/.test(n)));
    assert.ok(s.assumed?.some((a) => a.what === 'batches per epoch' && a.value === 100), JSON.stringify(s.assumed));
    const r2 = await run('amp_cosine_per_batch.py', { assumedStepsPerEpoch: 7 });
    assert.strictEqual(byVar(r2, 'scheduler').horizon.steps, 30 * 7 + 1);
    // --steps still overrides the horizon.
    const r3 = await run('amp_cosine_per_batch.py', { steps: 50 });
    assert.strictEqual(byVar(r3, 'scheduler').horizon.steps, 50);
  });

  it('while global_step < max_steps: per batch, 5000 steps; a warm-up that ends at the full lr is not LR173', async () => {
    const s = byVar(await run('while_steps.py'), 'warmup');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.steps, 5000);
    assert.strictEqual(s.run?.epochs, null);
    assert.deepStrictEqual(siteLines(s), [15]);
    assert.ok(!codes(s).includes('LR173'));
  });

  it('300-epoch loop: previewed as 300 epochs, T_max=100 climbs back (LR173 supersedes LR072), the argument horizon is a marker', async () => {
    const s = byVar(await run('cosine_300.py'), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.epochs, 300);
    assert.strictEqual(s.horizon.steps, 301);
    assert.strictEqual(s.horizon.fromRun, true);
    assert.strictEqual(s.horizon.argumentSteps, 101);
    assert.ok(s.curve!.markers.some((m) => m.step === 100 && /arguments imply/.test(m.label)));
    assert.ok(codes(s).includes('LR173'));
    assert.ok(!codes(s).includes('LR072'));
    // The torch formula independently: the lr at epoch 200 is back at the top (cos(2π) = 1).
    assert.ok(Math.abs(s.curve!.lrs[0]![200]! - 0.05) < 1e-12);
    const fix = s.diagnostics.find((d) => d.code === 'LR173')!.fixes![0]!;
    assert.strictEqual(fix.edits[0]!.newText, '300');
  });

  it('OneCycleLR(epochs=10, steps_per_epoch=len(loader)) in a 12-epoch loop: LR172 at epoch 10, batch 0 (as torch did)', async () => {
    const s = byVar(await run('onecycle_overrun.py'), 'scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.epochs, 12);
    const d = s.diagnostics.find((x) => x.code === 'LR172');
    assert.ok(d, codes(s).join());
    assert.strictEqual(d.severity, 'error');
    assert.match(d.message, new RegExp(`${TORCH.LR172.type}: Tried to step 10·N\\+2 times\\. The specified number of total steps is 10·N`));
    assert.match(d.message, new RegExp(`at epoch ${TORCH.LR172.epoch}, batch ${TORCH.LR172.batch}`));
  });

  it('every length known: the simulated overrun is LR172 with torch\'s text and the place torch raised', async () => {
    const s = byVar(await run('onecycle_known.py'), 'scheduler');
    assert.strictEqual(s.run?.steps, 1200);
    assert.strictEqual(s.run?.stepsPerEpoch, 100);
    const d = s.diagnostics.find((x) => x.code === 'LR172');
    assert.ok(d, codes(s).join());
    assert.ok(d.message.startsWith(`${TORCH.LR172.type}: ${TORCH.LR172.message}`), d.message);
    assert.match(d.message, new RegExp(`at epoch ${TORCH.LR172.epoch}, batch ${TORCH.LR172.batch}`));
    assert.ok(!codes(s).includes('LR106'));
  });

  it('stepping mistakes: LR170, LR174, LR175, LR176, LR177 on the scheduler they are about, and nowhere else', async () => {
    const r = await run('mistakes.py');
    const want: Record<string, string[]> = {
      per_epoch_onecycle: ['LR170'], early: ['LR174'], plateau: ['LR177'], metric_as_epoch: ['LR177'], twice: ['LR176'], forgotten: ['LR175'],
    };
    const loopIds = /^LR17\d$/;
    for (const [v, ids] of Object.entries(want)) {
      const s = byVar(r, v);
      for (const id of ids) assert.ok(codes(s).includes(id), `${v}: ${codes(s).join()}`);
      for (const other of codes(s).filter((c) => loopIds.test(c) && !ids.includes(c) && c !== 'LR179')) assert.fail(`${v}: unexpected ${other}`);
    }
    assert.strictEqual(byVar(r, 'early').run?.unit, 'batch');
    assert.strictEqual(byVar(r, 'forgotten').run?.unit, 'never');
    assert.deepStrictEqual(siteLines(byVar(r, 'twice')), [23, 24]);
    const plateau = byVar(r, 'plateau').diagnostics.find((d) => d.code === 'LR177')!;
    assert.strictEqual(plateau.severity, 'error');
    assert.ok(plateau.message.includes(`${TORCH.LR177.type}: ${TORCH.LR177.message}`), plateau.message);
    assert.strictEqual(byVar(r, 'metric_as_epoch').diagnostics.find((d) => d.code === 'LR177')!.severity, 'warning');
  });

  it('handed to another library\'s Trainer: unknown with that reason, never LR175', async () => {
    const s = byVar(await run('handed_off.py'), 'scheduler');
    assert.strictEqual(s.run?.unit, 'unknown');
    assert.match(s.run!.reason!, /Trainer/);
    assert.ok(!codes(s).includes('LR175'));
  });

  it('CosineAnnealingWarmRestarts: LR173 when the run ends mid-cycle (cycles 10, 20, 40: 0–10, 10–30, 30–70), quiet when it ends with one', async () => {
    const src = (epochs: number) => ['import torch', 'from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts',
      'opt = torch.optim.SGD(params, lr=0.1)', 's = CosineAnnealingWarmRestarts(opt, T_0=10, T_mult=2)',
      `for epoch in range(${epochs}):`, '    train(opt)', '    s.step()', ''].join('\n');
    const mid = byVar(await analyze(src(50), 'python', { strict: true }), 's');
    assert.strictEqual(mid.run?.steps, 50);
    assert.ok(codes(mid).includes('LR173'), codes(mid).join());
    const whole = byVar(await analyze(src(70), 'python', { strict: true }), 's');
    assert.ok(!codes(whole).includes('LR173'), codes(whole).join());
  });

  it('a Trainer class: self.scheduler built in __init__, stepped per batch in train_epoch, called per epoch by fit (which nothing here calls)', async () => {
    const src = [
      'import torch', 'from torch.optim.lr_scheduler import OneCycleLR', 'EPOCHS = 30', '',
      'class Trainer:', '    def __init__(self, model, loader):', '        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
      '        self.scheduler = OneCycleLR(self.optimizer, max_lr=0.1, total_steps=EPOCHS * 100)', '        self.loader = loader', '',
      '    def train_epoch(self):', '        for batch in self.loader:', '            self.optimizer.step()', '            self.scheduler.step()', '',
      '    def fit(self):', '        for epoch in range(EPOCHS):', '            self.train_epoch()', '',
    ].join('\n');
    const s = byVar(await analyze(src, 'python', { strict: true }), 'self.scheduler');
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.epochs, 30);
    assert.deepStrictEqual(siteLines(s), [14]);
    assert.deepStrictEqual(s.run?.via, ['fit', 'train_epoch']);
    // fit() is called from outside the file: the run rests on that, labelled (and the loop rules stay quiet on it).
    assert.ok(s.run!.assumed.some((a) => /`fit\(\)` is not called in this file/.test(a)), s.run!.assumed.join('; '));
  });

  it('returned by a factory or stored on an object, not stepped here: unknown (where it went), never LR175', async () => {
    const src = [
      'import torch', 'from torch.optim.lr_scheduler import StepLR', '',
      'def build(model):', '    opt = torch.optim.SGD(model.parameters(), lr=0.1)', '    sched = StepLR(opt, 30)', '    return opt, sched', '',
      'class Holder:', '    def __init__(self, opt):', '        s = StepLR(opt, 5)', '        self.kept = s', '',
      'for i in range(3):', '    pass', '',
    ].join('\n');
    const r = await analyze(src, 'python', { strict: true });
    const built = byVar(r, 'sched');
    assert.strictEqual(built.run?.unit, 'unknown');
    assert.match(built.run!.reason!, /the return of `build\(\)`/);
    const kept = byVar(r, 's');
    assert.strictEqual(kept.run?.unit, 'unknown');
    assert.match(kept.run!.reason!, /`self\.kept`/);
    for (const s of [built, kept]) assert.ok(!codes(s).includes('LR175'), codes(s).join());
  });

  it('Lightning: every return form, interval (default epoch) and frequency, Trainer(max_epochs=20), LR178', async () => {
    const r = await run('lightning_module.py');
    const at = (line: number) => r.schedulers.find((s) => s.range.start.line + 1 === line)!;
    const lists = at(10);
    assert.strictEqual(lists.run?.unit, 'epoch');
    assert.strictEqual(lists.run?.epochs, 20);
    assert.strictEqual(lists.run?.steps, 20);
    const stepForm = at(17);
    assert.strictEqual(stepForm.run?.unit, 'batch');
    assert.ok(!codes(stepForm).includes('LR178'));
    const beside = at(24);
    assert.strictEqual(beside.run?.unit, 'epoch');
    assert.strictEqual(beside.diagnostics.filter((d) => d.code === 'LR178').length, 2);
    const plateau = at(31);
    assert.strictEqual(plateau.run?.unit, 'epoch');
    assert.ok(codes(plateau).includes('LR178'));
    const freq = at(39);
    assert.strictEqual(freq.run?.unit, 'epoch');
    assert.strictEqual(freq.run?.steps, 10);
  });

  it('Lightning: Trainer(limit_train_batches=N) with an int N bounds the batches per epoch (labelled), a fraction does not; accumulate_grad_batches counts optimizer steps', async () => {
    const module = (trainer: string, sched = 'CosineAnnealingLR(opt, T_max=1000)', interval = '"step"') => [
      'import lightning as L', 'import torch', 'from torch.optim.lr_scheduler import CosineAnnealingLR, OneCycleLR',
      'class M(L.LightningModule):', '    def configure_optimizers(self):', '        opt = torch.optim.SGD(self.parameters(), lr=0.1)',
      `        s = ${sched}`, `        return {"optimizer": opt, "lr_scheduler": {"scheduler": s, "interval": ${interval}}}`,
      `trainer = L.Trainer(${trainer})`, 'trainer.fit(M())', '',
    ].join('\n');
    const sched = async (text: string) => byVar(await analyze(text, 'python', { strict: true }), 's');
    const limited = await sched(module('max_epochs=20, limit_train_batches=50'));
    assert.strictEqual(limited.run?.steps ?? null, null, 'the run length rests on an assumption');
    assert.strictEqual(limited.horizon.steps, 20 * 50 + 1);
    assert.strictEqual(limited.horizon.assumedStepsPerEpoch, 50);
    const label = limited.assumed?.find((a) => a.what === 'batches per epoch');
    assert.strictEqual(label?.value, 50);
    assert.match(label?.why ?? '', /limit_train_batches=50\)` runs at most 50 \(fewer if the data loader is shorter\)/);
    // The CLI's JSON `run` object stays the README's: the bound is in its `assumed`, not a new key.
    const json = JSON.parse(formatJson(await analyze(module('max_epochs=20, limit_train_batches=50'), 'python', { strict: true })));
    const run = json.schedulers.find((x: { variable: string }) => x.variable === 's').run;
    assert.deepStrictEqual(Object.keys(run).sort(), ['assumed', 'epochs', 'source', 'stepSites', 'steps', 'stepsPerEpoch', 'unit']);
    // The scheduler's own steps_per_epoch, when smaller, is the loader's length as the user wrote it.
    const onecycle = await sched(module('max_epochs=4, limit_train_batches=50', 'OneCycleLR(opt, max_lr=0.1, epochs=4, steps_per_epoch=30)'));
    assert.strictEqual(onecycle.horizon.assumedStepsPerEpoch, 30);
    // Not a count of batches: the setting's default, as without it.
    const plain = await sched(module('max_epochs=20'));
    const fraction = await sched(module('max_epochs=20, limit_train_batches=0.25'));
    assert.strictEqual(fraction.horizon.assumedStepsPerEpoch, plain.horizon.assumedStepsPerEpoch);
    assert.notStrictEqual(fraction.horizon.assumedStepsPerEpoch, 50);
    // accumulate_grad_batches=4: Lightning steps an interval-"step" scheduler once per optimizer step, after batches
    // 4, 8, …, 48 and the epoch's last (`_should_accumulate`): 13 of the 50 batches, 20 × 13 steps.
    const accumulated = await sched(module('max_epochs=20, limit_train_batches=50, accumulate_grad_batches=4'));
    assert.strictEqual(accumulated.run?.unit, 'optimizer-step');
    assert.strictEqual(accumulated.horizon.assumedStepsPerEpoch, 50);
    assert.strictEqual(accumulated.horizon.steps, 20 * 13 + 1);
    // Without the limit: the setting's batches per epoch, counted in optimizer steps (100 → 25).
    const accDefault = await sched(module('max_epochs=20, accumulate_grad_batches=4'));
    assert.strictEqual(accDefault.horizon.steps, 20 * Math.ceil(plain.horizon.assumedStepsPerEpoch! / 4) + 1);
    // Stepped per epoch: the limit changes nothing (20 epochs).
    const perEpoch = await sched(module('max_epochs=20, limit_train_batches=50', undefined, '"epoch"'));
    assert.strictEqual(perEpoch.run?.steps, 20);
  });

  it('a step() outside every loop (DeiT\'s resume) does not make the run unknown: the loop decides it, the one-off call is said not counted', async () => {
    const src = 'import argparse, torch\nfrom torch.optim.lr_scheduler import StepLR\n' +
      'p = argparse.ArgumentParser()\np.add_argument("--resume", default="")\np.add_argument("--start_epoch", default=0, type=int)\nargs = p.parse_args()\n' +
      'opt = torch.optim.SGD(params, lr=0.1)\ns = StepLR(opt, step_size=10)\n' +
      'if args.resume:\n    s.step(args.start_epoch)\n' +
      'for epoch in range(args.start_epoch, 30):\n    train()\n    s.step()\n';
    const r = await analyze(src, 'python');
    const run = r.schedulers[0]!.run!;
    assert.deepStrictEqual([run.unit, run.epochs, run.steps, run.stepSites.length], ['epoch', 30, 30, 2]);
    assert.ok(run.assumed.includes('the `step(args.start_epoch)` call on line 10 (under `args.resume`) is outside the training loop: not counted in the run'), JSON.stringify(run.assumed));
    // Only outside loops: the run stays unknown, with why.
    const alone = await analyze(src.replace(/for epoch[\s\S]*$/, ''), 'python');
    assert.strictEqual(alone.schedulers[0]!.run!.unit, 'unknown');
  });

  it('a notebook: the scheduler built in one cell and stepped in another', async () => {
    const cells = [
      'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nEPOCHS = 50',
      'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nscheduler = CosineAnnealingLR(optimizer, T_max=EPOCHS)',
      'for epoch in range(EPOCHS):\n    train(model)\n    scheduler.step()',
    ];
    const r = await analyze(cells.join('\n\n'), 'python', { strict: true });
    const s = byVar(r, 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.epochs, 50);
    assert.strictEqual(s.horizon.steps, 51);
    assert.ok(!codes(s).some((c) => /^LR17/.test(c)));
  });
});
