/**
 * The epoch loop that steps "whichever scheduler it is" (seventh audit; the Kaggle notebook shape of a `CFG` class,
 * `get_scheduler(optimizer)` with if/elif branches per class, then in the loop:
 * `if isinstance(scheduler, ReduceLROnPlateau): scheduler.step(val_loss) elif isinstance(scheduler, CosineAnnealingLR):
 * scheduler.step() elif …`). LR Lens took every `isinstance` as true on every pass ("`scheduler` is not a number"),
 * so a cosine was stepped 3 times per epoch (18 calls for 6 epochs, the curve climbing back), with false warnings
 * LR177 / LR002 on `step(val_loss)`, and the error "torch raises TypeError: ReduceLROnPlateau.step() missing 1 required
 * positional argument: 'metrics'" on the plateau's preview from the `scheduler.step()` branches it never runs.
 * Expected values: torch 1.13, /tmp/audit7t/truth/t04_isinstance_branches.py (each scheduler is stepped once per
 * epoch, on its own branch; the plateau run with `--scheduler plateau` raises nothing).
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const cfg = (which: string) => `import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, CosineAnnealingWarmRestarts, ReduceLROnPlateau
class CFG:
    scheduler = '${which}'
    epochs = 6
    T_max = 6
    T_0 = 3
    lr = 1e-4
    min_lr = 1e-6
def get_scheduler(optimizer):
    if CFG.scheduler == 'ReduceLROnPlateau':
        scheduler = ReduceLROnPlateau(optimizer, mode='min', factor=0.2, patience=4, eps=1e-6)
    elif CFG.scheduler == 'CosineAnnealingLR':
        scheduler = CosineAnnealingLR(optimizer, T_max=CFG.T_max, eta_min=CFG.min_lr, last_epoch=-1)
    elif CFG.scheduler == 'CosineAnnealingWarmRestarts':
        scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=CFG.T_0, T_mult=1, eta_min=CFG.min_lr, last_epoch=-1)
    return scheduler
def train_loop():
    model = torch.nn.Linear(16, 4)
    optimizer = torch.optim.Adam(model.parameters(), lr=CFG.lr)
    scheduler = get_scheduler(optimizer)
    for epoch in range(CFG.epochs):
        optimizer.step()
        avg_val_loss = 0.5
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(avg_val_loss)
        elif isinstance(scheduler, CosineAnnealingLR):
            scheduler.step()
        elif isinstance(scheduler, CosineAnnealingWarmRestarts):
            scheduler.step()
train_loop()
`;

function close(actual: readonly number[], expected: readonly number[]): void {
  assert.strictEqual(actual.length, expected.length, `${actual.length} values, torch has ${expected.length}`);
  // 1e-15 relative: V8's cos vs glibc's (docs/torch-schedulers.md).
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) <= 1e-15 * Math.max(1, Math.abs(expected[i]!)), `step ${i}: ${x} vs ${expected[i]}`));
}

describe('isinstance(scheduler, …) branches around step() calls', () => {
  it('CosineAnnealingWarmRestarts: only its own branch steps (6 calls), no LR177 / LR002, no step(epoch) label', async () => {
    const s = (await run(cfg('CosineAnnealingWarmRestarts'))).schedulers.find((x) => x.kind === 'CosineAnnealingWarmRestarts')!;
    close([...s.curve!.lrs[0]!], [0.0001, 7.525e-05, 2.5750000000000013e-05, 0.0001, 7.525e-05, 2.5750000000000013e-05, 0.0001]);
    assert.strictEqual(s.run!.steps, 6);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    assert.ok(!s.assumed.some((a) => /step\(epoch\)|taken as true/.test(`${a.what} ${a.why}`)), JSON.stringify(s.assumed));
  });

  it('CosineAnnealingLR: 6 calls, the curve ends at eta_min (it climbed back over 18 calls)', async () => {
    const s = (await run(cfg('CosineAnnealingLR'))).schedulers.find((x) => x.kind === 'CosineAnnealingLR')!;
    close([...s.curve!.lrs[0]!], [0.0001, 9.336825748732972e-05, 7.525e-05, 5.0499999999999994e-05, 2.575000000000001e-05, 7.631742512670284e-06, 1e-06]);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
  });

  it('ReduceLROnPlateau: its step(avg_val_loss) branch, no "missing metrics" error from the branches it never runs', async () => {
    const s = (await run(cfg('ReduceLROnPlateau'))).schedulers.find((x) => x.kind === 'ReduceLROnPlateau')!;
    assert.strictEqual(s.run!.steps, 6);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR177'), []);
  });

  it('a branch the argparse defaults do not take: the plateau is previewed as the scheduler its own step() calls test', async () => {
    const r = await run(`import argparse
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, ReduceLROnPlateau
parser = argparse.ArgumentParser()
parser.add_argument('--scheduler', default='cosine', choices=['cosine', 'plateau'])
parser.add_argument('--epochs', type=int, default=5)
args = parser.parse_args()
optimizer = torch.optim.SGD(torch.nn.Linear(4, 2).parameters(), lr=0.1)
if args.scheduler == 'plateau':
    scheduler = ReduceLROnPlateau(optimizer, mode='min', factor=0.5, patience=1)
else:
    scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
for epoch in range(args.epochs):
    optimizer.step()
    val_loss = 1.0 / (epoch + 1)
    if isinstance(scheduler, ReduceLROnPlateau):
        scheduler.step(val_loss)
    else:
        scheduler.step()
`);
    const plateau = r.schedulers.find((x) => x.kind === 'ReduceLROnPlateau')!;
    assert.deepStrictEqual(plateau.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.code), []);
    assert.strictEqual(plateau.run!.steps, 5);
    const cos = r.schedulers.find((x) => x.kind === 'CosineAnnealingLR')!;
    close([...cos.curve!.lrs[0]!], [0.1, 0.09045084971874738, 0.06545084971874737, 0.03454915028125263, 0.009549150281252633, 0.0]);
    assert.deepStrictEqual(cos.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
  });

  it('per batch under `scheduler is not None and isinstance(scheduler, lrs.OneCycleLR)`, per epoch under a tuple of classes', async () => {
    // torch 1.13 (/tmp/audit7t/truth/t05_isinstance_variants.py): OneCycleLR last_epoch 20, last lr 0.0012539993764912555;
    // StepLR (the other branch) last_epoch 4, last lr 0.0025. LR Lens stepped both 24 times (and warned LR170 on OneCycleLR).
    const r = await run(`import torch
from torch import optim
import torch.optim.lr_scheduler as lrs
EPOCHS = 4
STEPS = 5
def train_one_epoch(model, loader, optimizer, scheduler=None):
    for x in loader:
        optimizer.step()
        if scheduler is not None and isinstance(scheduler, lrs.OneCycleLR):
            scheduler.step()
def fit(name):
    model = torch.nn.Linear(4, 2)
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    if name == 'onecycle':
        scheduler = lrs.OneCycleLR(optimizer, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=STEPS)
    else:
        scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    loader = list(range(STEPS))
    for epoch in range(EPOCHS):
        train_one_epoch(model, loader, optimizer, scheduler)
        if isinstance(scheduler, (optim.lr_scheduler.StepLR, optim.lr_scheduler.MultiStepLR)):
            scheduler.step()
    return scheduler
scheduler = fit('onecycle')
`);
    const one = r.schedulers.find((x) => x.kind === 'OneCycleLR')!;
    assert.strictEqual(one.run!.steps, 20);
    const lrs = [...one.curve!.lrs[0]!];
    assert.strictEqual(lrs.length, 21);
    assert.ok(Math.abs(lrs[20]! - 0.0012539993764912555) <= 1e-15, String(lrs[20]));
    assert.deepStrictEqual(one.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
    const step = r.schedulers.find((x) => x.kind === 'StepLR')!;
    assert.strictEqual(step.run!.steps, 4);
    assert.strictEqual(step.run!.unit, 'epoch');
    assert.deepStrictEqual([...step.curve!.lrs[0]!], [0.01, 0.01, 0.005, 0.005, 0.0025]);
  });

  it('a transformers schedule (a LambdaLR) stepped per batch beside the per-class branches: none of them holds', async () => {
    // Reduced from a public Kaggle audio script (find_string id 28312927040). LR Lens stepped it 110 times "per epoch"
    // (LR170, LR177). Truth: /tmp/audit7t/truth/t06_hf_linear_isinstance.py (torch 1.13's LambdaLR with transformers'
    // linear formula): 80 per-batch calls, peak 0.001 at 8, final 0.0; the values below are that formula.
    const r = await run(`import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau, CosineAnnealingLR, CosineAnnealingWarmRestarts
from transformers import get_linear_schedule_with_warmup
class CFG:
    step_scheduler = True
    epochs = 10
def train_epoch(loader, optimizer, scheduler):
    for i, sample in enumerate(loader):
        optimizer.step()
        if CFG.step_scheduler:
            scheduler.step()
def train_loop():
    train_loader = list(range(8))
    optimizer = torch.optim.AdamW(torch.nn.Linear(4, 1).parameters(), lr=1e-3)
    scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=int(0.1 * CFG.epochs * len(train_loader)), num_training_steps=int(len(train_loader) * CFG.epochs))
    for epoch in range(CFG.epochs):
        train_epoch(train_loader, optimizer, scheduler)
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(0.5)
        elif isinstance(scheduler, CosineAnnealingLR):
            scheduler.step()
        elif isinstance(scheduler, CosineAnnealingWarmRestarts):
            scheduler.step()
train_loop()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.run!.steps, 80);
    const lam = (k: number) => (k < 8 ? k / 8 : Math.max(0, (80 - k) / 72));
    close([...s.curve!.lrs[0]!], Array.from({ length: 81 }, (_, k) => 1e-3 * lam(k)));
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code), []);
  });

  it('a test against a torch base class for ReduceLROnPlateau stays undecided (its base changed in torch 2.2)', async () => {
    const r = await run(cfg('ReduceLROnPlateau').replace('isinstance(scheduler, ReduceLROnPlateau)', 'not isinstance(scheduler, torch.optim.lr_scheduler._LRScheduler)'));
    const s = r.schedulers.find((x) => x.kind === 'ReduceLROnPlateau')!;
    assert.ok(s.run!.assumed.some((a) => /taken as true on every pass/.test(a)), JSON.stringify(s.run!.assumed));
  });
});
