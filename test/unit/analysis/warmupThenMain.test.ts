/**
 * A hand-rolled warm-up then the main schedule, two schedulers on one optimizer stepped on the two branches of
 * `if epoch < warmup:` (audit 2, P3): the main one is previewed as torch runs it, from the lr the warm-up leaves, not
 * alone from the lr at its construction. Branches that take turns are labelled. The expected lrs are what real torch
 * 1.13 (/usr/bin/python3) printed for this script, recorded here (the tests need no torch).
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

/** `optimizer.param_groups[0]['lr']` after construction and after each epoch of the script below (20 epochs). */
const TORCH_LRS = [0.020000000000000004, 0.04000000000000001, 0.06, 0.08000000000000002, 0.1, 0.1, 0.09890738003669029,
  0.09567727288213004, 0.09045084971874738, 0.08345653031794292, 0.07500000000000001, 0.06545084971874739,
  0.05522642316338269, 0.04477357683661735, 0.03454915028125265, 0.02500000000000002, 0.01654346968205711,
  0.009549150281252635, 0.004322727117869953, 0.001092619963309716, 0.0];

const script = (branches: string) => `import torch
from torch.optim.lr_scheduler import LambdaLR, CosineAnnealingLR

epochs, warmup_epochs = 20, 5
model = torch.nn.Linear(2, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
warmup = LambdaLR(optimizer, lr_lambda=lambda e: min(1.0, (e + 1) / warmup_epochs))
cosine = CosineAnnealingLR(optimizer, T_max=epochs - warmup_epochs)
for epoch in range(epochs):
    for x in range(10):
        optimizer.step()
${branches}
`;

function close(actual: ArrayLike<number>, expected: number[]): void {
  assert.strictEqual(actual.length, expected.length, `length ${actual.length}, torch ${expected.length}`);
  for (let k = 0; k < expected.length; k++) assert.ok(Math.abs(actual[k]! - expected[k]!) < 1e-12, `value ${k}: ${actual[k]} vs torch ${expected[k]}`);
}

describe('warm-up then main scheduler on the branches of one `if` (audit 2, P3)', () => {
  it('`if epoch < warmup: warmup.step() else: cosine.step()`: the cosine runs 0.1 → 0 as torch does, not 0.02 → 0', async () => {
    const r = await run(script(`    if epoch < warmup_epochs:
        warmup.step()
    else:
        cosine.step()`));
    const warm = byVar(r, 'warmup');
    const cos = byVar(r, 'cosine');
    // The warm-up's own phase: torch's first 6 values; the cosine's: the lr the warm-up left, then its 15 calls.
    close(warm.curve!.lrs[0]!, TORCH_LRS.slice(0, 6));
    close(cos.curve!.lrs[0]!, TORCH_LRS.slice(5));
    assert.match(cos.run!.after ?? '', /runs after `warmup` \(line 7\).*5 step\(\) calls/);
    assert.ok(cos.notes.some((n) => /runs after `warmup`/.test(n)), cos.notes.join(' | '));
    assert.ok(!cos.assumed.some((a) => a.what === 'start lr'));
    assert.strictEqual(warm.run!.after, undefined);
  });

  it('the test written the other way round (`if epoch >= warmup: cosine.step() else: warmup.step()`): the same', async () => {
    const r = await run(script(`    if epoch >= warmup_epochs:
        cosine.step()
    else:
        warmup.step()`));
    close(byVar(r, 'cosine').curve!.lrs[0]!, TORCH_LRS.slice(5));
    close(byVar(r, 'warmup').curve!.lrs[0]!, TORCH_LRS.slice(0, 6));
  });

  it('branches that take turns (`if epoch % 2:`): not replayed, each curve labelled as shown alone', async () => {
    const r = await run(script(`    if epoch % 2:
        warmup.step()
    else:
        cosine.step()`));
    for (const [v, other] of [['warmup', 'cosine'], ['cosine', 'warmup']] as const) {
      const s = byVar(r, v);
      const a = s.assumed.find((x) => x.what === 'start lr');
      assert.ok(a, `${v}: ${JSON.stringify(s.assumed)}`);
      assert.match(a.why, new RegExp(`stepped in turns with \`${other}\``));
      assert.strictEqual(s.run!.after, undefined);
    }
  });
});
