/**
 * LR013 and the lr after the run's last step() (sixth audit). pytorch-CycleGAN-and-pix2pix's older linear rule
 * `1.0 - max(0, epoch + 1 + opt.epoch_count - opt.niter) / float(opt.niter_decay + 1)`, stepped after the optimizer
 * each epoch of `range(epoch_count, niter + niter_decay + 1)`, is negative only after the last step(): LR Lens warned
 * "the optimizer then climbs the loss". torch 1.13 (/tmp/audit6t/truth/t05_negative_after_last_step.py) shows the lr
 * each optimizer step uses: niter 5 / niter_decay 5, 10 epochs: 0.0002 … 3.33e-05, 0.0 (none negative; the lr left
 * after the last step() is -3.33e-05); niter_decay 3 over the same 10 epochs: …, 0.0, -5e-05, -0.0001 (used).
 */
import * as assert from 'assert';
import { diagnosticsOf } from './helpers';

const src = (nd: number, schedFirst = false) => `import torch
from torch.optim import lr_scheduler
opt = torch.optim.Adam(torch.nn.Linear(2, 2).parameters(), lr=0.0002)
niter = 5
niter_decay = ${nd}
def lambda_rule(epoch):
    return 1.0 - max(0, epoch + 1 + 1 - niter) / float(niter_decay + 1)
scheduler = lr_scheduler.LambdaLR(opt, lr_lambda=lambda_rule)
for epoch in range(1, 11):
${schedFirst ? '    scheduler.step()\n' : ''}    for i in range(3):
        opt.step()
${schedFirst ? '' : '    scheduler.step()\n'}`;
const lr013 = async (s: string) => (await diagnosticsOf(s, 'python', {})).filter((d) => d.code === 'LR013');

describe('LR013: a negative lr only after the run\'s last step()', () => {
  it('stepped after the optimizer, negative only after the last step(): quiet (no optimizer step uses it, t05 A)', async () => {
    assert.deepStrictEqual(await lr013(src(5)), []);
  });

  it('negative within the run (niter_decay 3): warned at the first lr an optimizer step uses (t05 B: -5e-05 at epoch 9)', async () => {
    const d = await lr013(src(3));
    assert.strictEqual(d.length, 1);
    assert.match(d[0]!.message, /lr_lambda\(8\) = -0\.25 is negative, so the lr is -5e-05 from step 8/);
  });

  it('stepped before the optimizer: the lr after the last step() is used, so it is warned', async () => {
    assert.strictEqual((await lr013(src(5, true))).length, 1);
  });
});

/**
 * A preview longer than the run it cannot see (seventh audit: huggingface/accelerate `tests/test_scheduler.py`,
 * `LambdaLR(optimizer, lr_lambda=lambda n: 1 - n / 10)` stepped twice, outside any loop, previewed over LR Lens's default
 * 100 steps). λ(11) = 1 − 11/10 = −0.1 is reached only if step() is called 11 times; torch 1.13 gives 1.0, 0.9, 0.8 for
 * that test's two calls. The warning now says it rests on the run's length.
 */
describe('LR013 on a preview that is not the run\'s length', () => {
  const twice = `import torch
optimizer = torch.optim.AdamW(torch.nn.Linear(2, 4).parameters(), lr=1.0)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda n: 1 - n / 10)
optimizer.step()
scheduler.step()
optimizer.step()
scheduler.step()
`;
  it('the negative value is conditional on the run calling step() that often', async () => {
    const d = await lr013(twice);
    assert.strictEqual(d.length, 1);
    assert.match(d[0]!.message, /lr_lambda\(11\) = -0\.1 is negative, so the lr is -0\.1 from step 11 if step\(\) is called 11 times or more \(the run's length is not known here/);
  });

  it('a loop of 20 steps (the run\'s length): stated plainly, as before', async () => {
    const d = await lr013(`import torch
optimizer = torch.optim.AdamW(torch.nn.Linear(2, 4).parameters(), lr=1.0)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda n: 1 - n / 10)
for i in range(20):
    optimizer.step()
    scheduler.step()
`);
    assert.strictEqual(d.length, 1);
    assert.match(d[0]!.message, /from step 11: torch accepts it/);
  });
});
