/**
 * A scheduler built inside a loop that also runs its step() calls (fourth audit): `for epoch …: scheduler = OneCycleLR(…,
 * total_steps=len(train_loader))` then `for batch …: scheduler.step()`. Each pass builds a new scheduler, so one scheduler's
 * run is the inner loops only; counting the outer loop made LR Lens claim torch's "Tried to step 10 times" ValueError (LR172,
 * an error) on a script torch runs to the end. Expected values: real torch 1.13 (Debian python3-torch) running the same loops
 * (/tmp/audit4t/truth/rebuilt_truth.py in the audit), recorded here.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const TORCH = {
  /** OneCycleLR(AdamW lr 1e-3, max_lr=1e-3, total_steps=8) built on each of 5 epochs, 8 step() calls each: every epoch the same, no error. */
  onecycle: [3.9999999999999996e-05, 0.0008192751048921921, 0.0009719417773875231, 0.0008117456539497629, 0.0005559840141227015,
    0.0002830609982086992, 7.664159383425639e-05, 4e-09, 7.664159383425633e-05],
  /** StepLR(step_size=2, gamma=0.5) on SGD lr 0.1 built on each of 6 epochs, 3 step() calls each: the second starts where the first ended. */
  steplrFirst: [0.1, 0.1, 0.05, 0.05],
  steplrSecond: [0.05, 0.05, 0.025, 0.025],
};

const close = (got: readonly number[], want: number[]) => {
  assert.strictEqual(got.length, want.length, `${got.length} values, torch ${want.length}`);
  got.forEach((v, k) => assert.ok(Math.abs(v - want[k]!) <= 1e-12 * Math.abs(want[k]!) + 1e-18, `value ${k}: ${v} vs torch ${want[k]}`));
};

const head = `import torch
from torch.optim.lr_scheduler import OneCycleLR, StepLR
model = torch.nn.Linear(2, 2)
train_loader = [torch.zeros(2)] * 8
`;

describe('a scheduler built again on every pass of a loop around its step() calls', () => {
  it('OneCycleLR per epoch, stepped per batch: one scheduler runs the 8 batches, no false LR172 "Tried to step 10 times"', async () => {
    const s = byVar(await run(`${head}optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(5):
    scheduler = OneCycleLR(optimizer, max_lr=1e-3, total_steps=len(train_loader))
    for batch in train_loader:
        optimizer.step()
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 8);
    assert.match(s.run!.source, /built again on every pass of `for epoch in range\(5\)` \(line 6\)/);
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.severity === 'error' || d.code === 'LR172'), []);
    assert.strictEqual(s.error, null);
    close([...s.curve!.lrs[0]!], TORCH.onecycle);
  });

  it('the same through a helper the loop hands the scheduler to', async () => {
    const s = byVar(await run(`${head}optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
def train_one_epoch(loader, optimizer, scheduler):
    for batch in loader:
        optimizer.step()
        scheduler.step()
for epoch in range(5):
    scheduler = OneCycleLR(optimizer, max_lr=1e-3, total_steps=len(train_loader))
    train_one_epoch(train_loader, optimizer, scheduler)
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 8);
    assert.ok(!s.diagnostics.some((d) => d.code === 'LR172'));
    close([...s.curve!.lrs[0]!], TORCH.onecycle);
  });

  it('a StepLR built again starts from the lr the one before left: the first one\'s curve, labelled `start lr`', async () => {
    const s = byVar(await run(`${head}optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(6):
    scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    for i in range(3):
        optimizer.step()
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.steps, 3);
    close([...s.curve!.lrs[0]!], TORCH.steplrFirst);
    assert.notDeepStrictEqual(TORCH.steplrFirst, TORCH.steplrSecond);
    const a = s.assumed.find((x) => x.what === 'start lr');
    assert.ok(a, JSON.stringify(s.assumed));
    assert.match(a.why, /built again on every pass of `for epoch in range\(6\)`/);
  });

  it('k-fold: a loop around both the construction and the epochs is not part of the run', async () => {
    const s = byVar(await run(`${head}for fold in range(5):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    for epoch in range(6):
        optimizer.step()
        scheduler.step()
`), 'scheduler');
    assert.strictEqual(s.run?.unit, 'epoch');
    assert.strictEqual(s.run?.steps, 6);
    // A new optimizer each fold: every fold's StepLR starts from lr 0.1 (the first StepLR's curve, unlabelled).
    assert.ok(!s.assumed.some((x) => x.what === 'start lr'), JSON.stringify(s.assumed));
    assert.ok(s.notes.some((n) => /with its optimizer: each StepLR draws this curve anew/.test(n)), s.notes.join('\n'));
    close([...s.curve!.lrs[0]!], [0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  });
});
