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
