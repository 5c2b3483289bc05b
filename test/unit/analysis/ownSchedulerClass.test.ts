/**
 * A scheduler class of the repository with its own `get_lr` (`class WarmupCosine(_LRScheduler)`, the shape of
 * pytorch-cifar100's `WarmUpLR` and many research repositories): LR Lens does not compute it, and says so at the call
 * (the file used to read "no learning-rate scheduler found", as if it had none). A thin subclass that only passes its
 * arguments on is previewed as torch's class instead, without the note.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import { formatJson, formatText } from '../../../src/cli/format';
import { pickScheduler } from '../../../src/cli/plot';

const OWN = `import math
import torch
from torch.optim.lr_scheduler import _LRScheduler, CosineAnnealingLR

class WarmupCosine(_LRScheduler):
    def __init__(self, optimizer, warmup, total, last_epoch=-1):
        self.warmup = warmup
        self.total = total
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch < self.warmup:
            return [b * (self.last_epoch + 1) / self.warmup for b in self.base_lrs]
        p = (self.last_epoch - self.warmup) / (self.total - self.warmup)
        return [b * 0.5 * (1 + math.cos(math.pi * p)) for b in self.base_lrs]

optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
`;

describe('the repository\'s own scheduler class: found, said not previewed', () => {
  it('a call of a subclass with its own get_lr gets an information note at the call, in the CLI text and JSON too', async () => {
    const src = `${OWN}scheduler = WarmupCosine(optimizer, warmup=5, total=100)\nfor epoch in range(100):\n    optimizer.step()\n    scheduler.step()\n`;
    const r = await analyze(src, 'python', { strict: true });
    assert.strictEqual(r.schedulers.length, 0);
    const notes = r.diagnostics.filter((d) => /own scheduler class/.test(d.message));
    assert.strictEqual(notes.length, 1, JSON.stringify(r.diagnostics));
    const d = notes[0]!;
    assert.deepStrictEqual([d.severity, d.code, d.range.start.line], ['information', 'LR000', src.split('\n').findIndex((l) => l.startsWith('scheduler = '))]);
    assert.match(d.message, /`WarmupCosine`.*torch's `_LRScheduler`/);
    assert.match(formatText(r, 'own.py'), /no learning-rate scheduler previewed\n.*own\.py:\d+:\d+: information LR000: `WarmupCosine`/);
    assert.deepStrictEqual(JSON.parse(formatJson(r)).diagnostics.map((x: { code: string }) => x.code), ['LR000']);
    assert.throws(() => pickScheduler(r), /no learning-rate scheduler LR Lens previews in the file \(`lr-lens analyze` shows its notes\)/);
  });

  it('a thin subclass is previewed as torch\'s scheduler, without the note; a file without any says "found"', async () => {
    const thin = `${OWN}class Cos(CosineAnnealingLR):\n    pass\nscheduler = Cos(optimizer, T_max=10)\n`;
    const r = await analyze(thin, 'python', { strict: true });
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), ['CosineAnnealingLR']);
    assert.ok(!r.diagnostics.some((d) => /own scheduler class/.test(d.message)), JSON.stringify(r.diagnostics));
    const none = await analyze('x = 1\n', 'python', {});
    assert.strictEqual(formatText(none, 'x.py'), 'x.py: no learning-rate scheduler found\n');
    assert.deepStrictEqual(JSON.parse(formatJson(none)), { schedulers: [], diagnostics: [] });
  });
});
