/**
 * `len(train_loader)` of a DataLoader: a run-time number, taken as the assumed batches per epoch (the setting
 * lrLens.assumedStepsPerEpoch, the same number the training loop's length assumes) and labelled wherever it is used.
 * The curves are checked against the same source with the number written in (LR Lens computes that one without any
 * assumption), or against torch's formula here; the setting is 37, not the default, so that it is seen to flow.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, SchedulerAnalysis } from '../../../src/analysis/types';

const S = 37;

async function run(src: string, assumedStepsPerEpoch = S): Promise<AnalysisResult> {
  return analyze(src, 'python', { strict: true, assumedStepsPerEpoch });
}

function only(r: AnalysisResult): SchedulerAnalysis {
  assert.strictEqual(r.schedulers.length, 1, r.schedulers.map((s) => s.kind).join(', '));
  return r.schedulers[0]!;
}

function sameCurve(a: SchedulerAnalysis, b: SchedulerAnalysis): void {
  assert.ok(a.curve && b.curve, `${a.error ?? ''} / ${b.error ?? ''}`);
  const x = Array.from(a.curve.lrs[0]!);
  const y = Array.from(b.curve.lrs[0]!);
  assert.strictEqual(x.length, y.length);
  x.forEach((v, k) => assert.ok(Math.abs(v - y[k]!) <= 1e-12 * Math.abs(y[k]!) + 1e-300, `step ${k}: ${v} vs ${y[k]}`));
}

const LOADER = 'import torch\nfrom torch.utils.data import DataLoader\ntrain_loader = DataLoader(train_set, batch_size=128, shuffle=True)\n' +
  'optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)\n';
const LOOP = (epochs: string) => `for epoch in range(${epochs}):\n    for x, y in train_loader:\n        optimizer.step()\n        scheduler.step()\n`;

describe('len(train_loader): the assumed batches per epoch, labelled', () => {
  it('OneCycleLR(steps_per_epoch=len(train_loader)) is the curve of steps_per_epoch=S, labelled with the setting', async () => {
    const sched = (spe: string) => `scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=${spe}, epochs=4)\n`;
    const s = only(await run(LOADER + sched('len(train_loader)') + LOOP('4')));
    const written = only(await run(LOADER + sched(String(S)) + LOOP('4')));
    sameCurve(s, written);
    assert.strictEqual(s.curve!.lrs[0]!.length, 4 * S + 1);
    const a = s.assumed.find((x) => x.what === 'steps_per_epoch');
    assert.ok(a, JSON.stringify(s.assumed));
    assert.strictEqual(a.value, S);
    assert.match(a.why, /`len\(train_loader\)` taken as 37 batches per epoch/);
    assert.match(a.why, /lrLens\.assumedStepsPerEpoch/);
    // Another setting, another curve: the number is the setting's, not a constant of LR Lens.
    const other = only(await run(LOADER + sched('len(train_loader)') + LOOP('4'), 11));
    assert.strictEqual(other.curve!.lrs[0]!.length, 4 * 11 + 1);
    assert.strictEqual(s.diagnostics.filter((d) => d.severity === 'error').length, 0, JSON.stringify(s.diagnostics));
  });

  it('the Hugging Face course loop: num_training_steps = num_epochs * len(train_dataloader)', async () => {
    const src = 'from torch.utils.data import DataLoader\nfrom torch.optim import AdamW\nfrom transformers import get_scheduler\n' +
      'train_dataloader = DataLoader(tokenized_datasets["train"], shuffle=True, batch_size=8, collate_fn=data_collator)\n' +
      'optimizer = AdamW(model.parameters(), lr=5e-5)\nnum_epochs = 3\nnum_training_steps = num_epochs * len(train_dataloader)\n' +
      'lr_scheduler = get_scheduler("linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=num_training_steps)\n' +
      'for epoch in range(num_epochs):\n    for batch in train_dataloader:\n        loss = model(**batch).loss\n        loss.backward()\n' +
      '        optimizer.step()\n        lr_scheduler.step()\n        optimizer.zero_grad()\n';
    const s = only(await run(src));
    assert.ok(s.curve, s.error ?? '');
    const n = 3 * S;
    const lrs = Array.from(s.curve.lrs[0]!);
    // The run (3 epochs × S assumed batches) and the schedule (3·S steps) agree: the curve ends at 0.
    assert.strictEqual(lrs.length, n + 1);
    // transformers' linear schedule without warm-up: lr · max(0, (N − k) / N).
    lrs.forEach((v, k) => assert.ok(Math.abs(v - 5e-5 * Math.max(0, (n - k) / n)) <= 1e-9 * 5e-5, `step ${k}: ${v}`));
    const a = s.assumed.find((x) => x.what === 'num_training_steps');
    assert.deepStrictEqual(a && [a.value, /`len\(train_dataloader\)` taken as 37/.test(a.why)], [n, true]);
  });

  it('a loader passed through accelerator.prepare is still one', async () => {
    const src = LOADER + 'from accelerate import Accelerator\naccelerator = Accelerator()\n' +
      'model, optimizer, train_loader = accelerator.prepare(model, optimizer, train_loader)\n' +
      'scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=2 * len(train_loader))\n';
    const s = only(await run(src));
    assert.deepStrictEqual(s.assumed.find((x) => x.what === 'T_max')?.value, 2 * S);
  });

  it('a loader built on either branch of an unknown condition (distributed or not) is a loader after it', async () => {
    const src = 'import torch\nfrom torch.utils.data import DataLoader, DistributedSampler\nif args_distributed:\n' +
      '    train_loader = DataLoader(train_set, batch_size=64, sampler=DistributedSampler(train_set))\nelse:\n' +
      '    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n' +
      'scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10 * len(train_loader))\n';
    assert.deepStrictEqual(only(await run(src)).assumed.find((x) => x.what === 'T_max')?.value, 10 * S);
    // A loader on one branch and something else on the other: not known to be a loader.
    const mixed = src.replace('    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)', '    train_loader = build_loader(cfg)');
    assert.strictEqual(only(await run(mixed)).curve, null);
  });

  it('loaders made by a helper function of the file the walk runs (`def get_loaders(bs): return DataLoader(…), …`)', async () => {
    const src = 'import torch\nfrom torch.utils.data import DataLoader\nfrom torchvision import datasets\n' +
      'train_set = datasets.CIFAR10(".", train=True)\nval_set = datasets.CIFAR10(".", train=False)\n' +
      'def get_loaders(bs):\n    return DataLoader(train_set, batch_size=bs, shuffle=True), DataLoader(val_set, batch_size=bs)\n' +
      'def main():\n    train_loader, val_loader = get_loaders(64)\n    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n' +
      '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5 * len(train_loader))\nmain()\n';
    assert.deepStrictEqual(only(await run(src)).assumed.find((x) => x.what === 'T_max')?.value, 5 * S);
  });

  it('a lambda that reads len(train_loader) says so on lr_lambda', async () => {
    const src = LOADER + 'epochs = 5\nscheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / (epochs * len(train_loader)))\n';
    const s = only(await run(src));
    assert.ok(s.curve, s.error ?? '');
    Array.from(s.curve.lrs[0]!).slice(0, 5 * S).forEach((v, k) => assert.ok(Math.abs(v - 0.01 * (1 - k / (5 * S))) <= 1e-15, `step ${k}: ${v}`));
    const a = s.assumed.find((x) => x.what === 'lr_lambda');
    assert.ok(a && /`len\(train_loader\)` taken as 37/.test(a.why), JSON.stringify(s.assumed));
  });

  it('an expression of several assumptions names each (the argparse default and the loader length)', async () => {
    const src = 'import argparse\n' + LOADER + 'parser = argparse.ArgumentParser()\nparser.add_argument("--epochs", type=int, default=6)\n' +
      'args = parser.parse_args()\nscheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * len(train_loader))\n';
    const a = only(await run(src)).assumed.find((x) => x.what === 'T_max');
    assert.ok(a, 'T_max assumed');
    assert.strictEqual(a.value, 6 * S);
    assert.match(a.why, /default of --epochs/);
    assert.match(a.why, /`len\(train_loader\)` taken as 37/);
  });

  it('not a DataLoader: a helper\'s result, a dataset, a parameter stay unknown (no number)', async () => {
    const cases = [
      'from data import build_loader\ntrain_loader = build_loader(cfg)\n',
      'from torch.utils.data import TensorDataset\ntrain_loader = TensorDataset(x, y)\n',
    ];
    for (const head of cases) {
      const src = `import torch\n${head}optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n` +
        'scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=len(train_loader))\n';
      const s = only(await run(src));
      assert.strictEqual(s.curve, null, head);
      assert.match(s.error ?? '', /run-time object|not known|not evaluated/, head);
    }
    const inDef = 'import torch\ndef make(optimizer, train_loader):\n    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=len(train_loader))\n';
    assert.ok(!only(await run(inDef)).assumed.some((x) => x.what === 'T_max'));
  });

  it('a torch error that only the assumed length makes is information (LR Lens\'s stand-in), not a warning', async () => {
    const src = LOADER + 'scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=len(train_loader) // 1000, epochs=3)\n';
    const d = only(await run(src)).diagnostics.filter((x) => x.code === 'LR101');
    assert.deepStrictEqual(d.map((x) => x.severity), ['information'], JSON.stringify(d));
    assert.match(d[0]!.message, /would raise if steps_per_epoch is 0 \(assumed: `len\(train_loader\)` taken as 37/);
  });

  it('epochs=10 over a 12-epoch loop of the same loader: torch raises for any length, an error (once), not an assumption', async () => {
    const sched = 'scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=len(train_loader), epochs=10)\n';
    const s = only(await run(LOADER + sched + LOOP('12')));
    const lr172 = s.diagnostics.filter((d) => d.code === 'LR172');
    assert.strictEqual(lr172.length, 1, JSON.stringify(lr172));
    assert.strictEqual(lr172[0]!.severity, 'error');
    assert.match(lr172[0]!.message, /10·N\+2 times.*N = len\(train_loader\)/);
    // Half the loader's length per epoch: it raises too, but that the overrun comes where it does rests on the length.
    const half = only(await run(LOADER + sched.replace('len(train_loader)', 'len(train_loader) // 2').replace('epochs=10', 'epochs=12') + LOOP('12')));
    const h = half.diagnostics.filter((d) => d.code === 'LR172');
    assert.deepStrictEqual(h.map((d) => d.severity), ['information'], JSON.stringify(h));
  });
});
