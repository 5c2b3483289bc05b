/**
 * Classes recognised by name (katsura-jp's CosineAnnealingWarmupRestarts, the blog's CosineAnnealingWarmUpRestarts,
 * pl_bolts' LinearWarmupCosineAnnealingLR) when the file or a module of the repository defines its OWN class under
 * that name (fifth audit: microsoft/LoRA examples/NLG/src/optimizer.py defines `CosineAnnealingWarmupRestarts(optimizer,
 * max_lr, min_lr, warmup_steps, max_steps, alpha)`; LR Lens bound the call with katsura's signature and claimed an
 * error "TypeError: … unexpected keyword argument 'max_steps'" that Python never raises). Expected values:
 * - another signature: the class is the user's, so no family construction and no error (torch 1.13 runs the LoRA
 *   class and the public blog copy to the end: /tmp/audit5f/repro/r01*.py);
 * - katsura's parameters with other defaults (public copies use min_lr=1e-7, warmup_steps=1000): the call's missing
 *   arguments take the file's defaults. The curve is katsura's scheduler.py (commit 2e2718d) run in torch 1.13 with
 *   min_lr=1e-7, warmup_steps=5 (/tmp/audit5f/truth/truth_r01b.py); with katsura's own defaults (min_lr=0.001 =
 *   max_lr) it would be flat at 1e-3.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { WorkspaceHost } from '../../../src/analysis/workspace';
import { run } from './pythonRun';

const LORA_CLASS = `import math
import torch
from torch.optim.lr_scheduler import _LRScheduler


class CosineAnnealingWarmupRestarts(_LRScheduler):
    def __init__(self, optimizer, max_lr=0.1, min_lr=0.0, warmup_steps=0, max_steps=1, alpha=0., last_epoch=-1):
        self.max_lr, self.min_lr, self.warmup_steps, self.max_steps, self.alpha = max_lr, min_lr, warmup_steps, max_steps, alpha
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [self.max_lr for _ in self.base_lrs]
`;

describe('a class named like a library scheduler, defined in the repository', () => {
  it('another signature (microsoft/LoRA): the user\'s own class — no katsura construction, no TypeError', async () => {
    const r = await run(`${LORA_CLASS}

optimizer = torch.optim.AdamW(torch.nn.Linear(4, 2).parameters(), lr=2e-4)
scheduler = CosineAnnealingWarmupRestarts(optimizer, max_lr=2e-4, min_lr=0.0, warmup_steps=10, max_steps=50, alpha=0)
for step in range(50):
    optimizer.step()
    scheduler.step()
`);
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), []);
  });

  it('the same class in another module of the workspace: not katsura\'s either', async () => {
    const files: Record<string, string> = {
      '/r/sched.py': LORA_CLASS,
      '/r/train.py': `import torch
from sched import CosineAnnealingWarmupRestarts
optimizer = torch.optim.AdamW(torch.nn.Linear(4, 2).parameters(), lr=2e-4)
scheduler = CosineAnnealingWarmupRestarts(optimizer, max_lr=2e-4, warmup_steps=10, max_steps=50)
for step in range(50):
    optimizer.step()
    scheduler.step()
`,
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/train.py']!, 'python', { workspace: { host, root: '/r', file: '/r/train.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), []);
  });

  it('a blog-named class with its own parameters (weight_decay, batch_size, eta_min, T_0, …): no TypeError, no LR145', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import _LRScheduler


class CosineAnnealingWarmUpRestarts(_LRScheduler):
    def __init__(self, optimizer, weight_decay, batch_size, eta_min, T_0, T_mult=1, T_up=0, gamma=1., last_epoch=-1):
        super().__init__(optimizer, last_epoch)


optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.01)
scheduler = CosineAnnealingWarmUpRestarts(optimizer, weight_decay=1e-4, batch_size=16, eta_min=1e-5, T_0=20, T_up=2)
`);
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), []);
  });

  it('a class named like pl_bolts\' without warmup_start_lr (a public copy): the user\'s, not pl_bolts\' curve', async () => {
    // torch 1.13 runs the file's class: 0.02, 0.04, … (warm-up from base_lr / warmup_epochs); pl_bolts' would start at 0
    // and reach 0.025 at step 1 (/tmp/audit5f/repro/r01d_own_class_named_like_pl_bolts.py). LR Lens drew pl_bolts'.
    const r = await run(`import math
import torch
from torch.optim.lr_scheduler import _LRScheduler


class LinearWarmupCosineAnnealingLR(_LRScheduler):
    def __init__(self, optimizer, warmup_epochs, max_epochs, eta_min=0, last_epoch=-1):
        self.warmup_epochs, self.max_epochs, self.eta_min = warmup_epochs, max_epochs, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch < self.warmup_epochs:
            return [b * (self.last_epoch + 1) / self.warmup_epochs for b in self.base_lrs]
        c = 0.5 * (1 + math.cos(math.pi * (self.last_epoch - self.warmup_epochs) / (self.max_epochs - self.warmup_epochs)))
        return [(1 - c) * self.eta_min + c * b for b in self.base_lrs]


optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = LinearWarmupCosineAnnealingLR(optimizer, warmup_epochs=5, max_epochs=20)
for epoch in range(20):
    optimizer.step()
    scheduler.step()
`);
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), []);
  });

  it('a subclass of torch\'s CosineAnnealingWarmRestarts taking (warmup_epochs, *args, **kwargs): not katsura\'s', async () => {
    const r = await run(`import torch


class CosineAnnealingWarmupRestarts(torch.optim.lr_scheduler.CosineAnnealingWarmRestarts):
    def __init__(self, warmup_epochs, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warmup_epochs = warmup_epochs


optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.01)
scheduler = CosineAnnealingWarmupRestarts(3, optimizer, T_0=10)
`);
    assert.ok(!r.schedulers.some((s) => s.kind === 'katsura.CosineAnnealingWarmupRestarts'));
    assert.ok(!r.schedulers.some((s) => s.diagnostics.some((d) => d.severity === 'error')));
  });

  it('katsura\'s parameters with other defaults in another module of the workspace: the file\'s defaults, ranges in this file', async () => {
    const files: Record<string, string> = {
      '/r/sched.py': `from torch.optim.lr_scheduler import _LRScheduler


class CosineAnnealingWarmupRestarts(_LRScheduler):
    def __init__(self, optimizer, first_cycle_steps, cycle_mult=1., max_lr=0.1, min_lr=1e-7, warmup_steps=5, gamma=1., last_epoch=-1):
        super().__init__(optimizer, last_epoch)
`,
      '/r/train.py': `import torch
from sched import CosineAnnealingWarmupRestarts
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.5)
scheduler = CosineAnnealingWarmupRestarts(optimizer, first_cycle_steps=20, max_lr=1e-3)
`,
    };
    const host: WorkspaceHost = { readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])) };
    const r = await analyze(files['/r/train.py']!, 'python', { workspace: { host, root: '/r', file: '/r/train.py' }, strict: true });
    const s = r.schedulers[0]!;
    assert.deepStrictEqual(s.args, { first_cycle_steps: 20, max_lr: 1e-3, min_lr: 1e-7, warmup_steps: 5 });
    // katsura's scheduler.py in torch 1.13 with min_lr=1e-7, warmup_steps=5 (truth_r01b.py): the first six values.
    const torch = [1e-07, 0.00020008, 0.00040006, 0.0006000399999999999, 0.0008000199999999999, 0.001];
    torch.forEach((v, i) => assert.ok(Math.abs(s.curve!.lrs[0]![i]! - v) <= 1e-18, `lr[${i}]`));
    // Every range is on the call's line of train.py (line 3, 0-based), none at sched.py's positions.
    for (const d of s.diagnostics) assert.strictEqual(d.range.start.line, 3, d.code);
  });

  it('imported from a module LR Lens did not read: the library\'s signature is an assumption (warning, not error)', async () => {
    const call = (args: string, mod: string) => `import torch
from ${mod} import CosineAnnealingWarmupRestarts
optimizer = torch.optim.AdamW(torch.nn.Linear(4, 2).parameters(), lr=2e-4)
scheduler = CosineAnnealingWarmupRestarts(optimizer, ${args})
`;
    const bad = (await run(call('max_lr=2e-4, warmup_steps=10, max_steps=50', 'mylib.sched'))).schedulers[0]!;
    const d = bad.diagnostics.find((x) => /unexpected keyword argument 'max_steps'/.test(x.message))!;
    assert.notStrictEqual(d.severity, 'error');
    assert.match(d.message, /would raise if class is the library's CosineAnnealingWarmupRestarts \(assumed: `CosineAnnealingWarmupRestarts` is imported from `mylib\.sched`, which LR Lens did not read/);
    const good = (await run(call('first_cycle_steps=50, max_lr=2e-4, min_lr=1e-6, warmup_steps=10', 'mylib.sched'))).schedulers[0]!;
    assert.ok(good.curve);
    assert.ok(good.assumed.some((a) => a.what === 'class'));
    // katsura's own pip package: its class, so the TypeError is Python's whatever the values.
    const lib = (await run(call('max_lr=2e-4, warmup_steps=10, max_steps=50', 'cosine_annealing_warmup'))).schedulers[0]!;
    assert.strictEqual(lib.diagnostics.find((x) => /max_steps/.test(x.message))!.severity, 'error');
    assert.ok(!lib.assumed.some((a) => a.what === 'class'));
  });

  it('katsura\'s parameters with other defaults: the call\'s missing arguments take the file\'s (torch 1.13 trace)', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import _LRScheduler


class CosineAnnealingWarmupRestarts(_LRScheduler):
    def __init__(self, optimizer, first_cycle_steps, cycle_mult=1., max_lr=0.1, min_lr=1e-7, warmup_steps=5, gamma=1., last_epoch=-1):
        super().__init__(optimizer, last_epoch)


optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.5)
scheduler = CosineAnnealingWarmupRestarts(optimizer, first_cycle_steps=20, max_lr=1e-3)
for step in range(25):
    optimizer.step()
    scheduler.step()
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.kind, 'katsura.CosineAnnealingWarmupRestarts');
    // katsura's scheduler.py in torch 1.13 with min_lr=1e-7, warmup_steps=5 (truth_r01b.py).
    const torch = [1e-07, 0.00020008, 0.00040006, 0.0006000399999999999, 0.0008000199999999999, 0.001, 0.0009890748929868663,
      0.0009567770515484181, 0.0009045180463377549, 0.0008345818466491111, 0.000750025, 0.0006545430463377549, 0.0005523090052106633,
      0.00044779099478933673, 0.00034555695366224505, 0.0002500750000000001, 0.00016551815335088898, 9.558195366224507e-05,
      4.332294845158164e-05, 1.1025107013133847e-05, 1e-07, 0.00020008, 0.00040006, 0.0006000399999999999, 0.0008000199999999999, 0.001];
    const got = [...s.curve!.lrs[0]!];
    assert.strictEqual(got.length, torch.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - torch[i]!) <= 1e-12 * Math.max(1e-3, Math.abs(torch[i]!)), `lr[${i}] ${v} vs torch ${torch[i]}`));
  });

  it('the library\'s own signature and defaults, pasted: recognised as before', async () => {
    const r = await run(`import torch
from torch.optim.lr_scheduler import _LRScheduler


class CosineAnnealingWarmupRestarts(_LRScheduler):
    def __init__(self, optimizer : torch.optim.Optimizer, first_cycle_steps : int, cycle_mult : float = 1., max_lr : float = 0.1,
                 min_lr : float = 0.001, warmup_steps : int = 0, gamma : float = 1., last_epoch : int = -1):
        super().__init__(optimizer, last_epoch)


optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.5)
scheduler = CosineAnnealingWarmupRestarts(optimizer, first_cycle_steps=20, max_lr=1e-2, warmup_steps=5)
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.kind, 'katsura.CosineAnnealingWarmupRestarts');
    assert.deepStrictEqual(s.args, { first_cycle_steps: 20, max_lr: 1e-2, warmup_steps: 5 });
    // value 0 is min_lr (katsura's default 0.001), the peak max_lr at the end of the warm-up.
    assert.strictEqual(s.curve!.lrs[0]![0], 0.001);
    assert.strictEqual(s.curve!.lrs[0]![5], (0.01 - 0.001) * 5 / 5 + 0.001); // katsura's warm-up formula at its end
  });
});
