/**
 * LR108's message (seventh audit: huggingface/accelerate `tests/test_scheduler.py` and `tests/test_accelerator.py`,
 * `OneCycleLR(optimizer, max_lr=0.01, steps_per_epoch=2, epochs=1)`). It said "the warm-up phase is empty and the lr
 * starts at max_lr", but torch's step 0 lies past the empty warm-up's end (pct_start·total_steps − 1 < 0) and is
 * already annealing: the first lr is below max_lr, and with three_phase it can be below max_lr/div_factor. Expected
 * first lrs: torch 1.13 (/tmp/audit7f/truth/t03_onecycle_empty_warmup.py): accelerate's 0.00811745653949763; max_lr
 * 0.1 over 3 steps, pct_start 0.25, linear: 0.08888893333333334; three_phase over 4 steps, pct_start 0.2:
 * 0.00386495796436283.
 */
import * as assert from 'assert';
import { diagnosticsOf } from './helpers';

const lr108 = async (args: string) => (await diagnosticsOf(`import torch
opt = torch.optim.AdamW(torch.nn.Linear(2, 4).parameters(), lr=1.0)
scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, ${args})
`, 'python', {})).filter((d) => d.code === 'LR108');

describe('LR108: an empty OneCycleLR warm-up says the first lr torch gives', () => {
  const cases: [string, string][] = [
    ['max_lr=0.01, steps_per_epoch=2, epochs=1', '0.00811746, not max_lr = 0.01'],
    ["max_lr=0.1, total_steps=3, pct_start=0.25, anneal_strategy='linear'", '0.0888889, not max_lr = 0.1'],
    ['max_lr=0.1, total_steps=4, pct_start=0.2, three_phase=True', '0.00386496, not max_lr = 0.1'],
  ];
  for (const [args, first] of cases) {
    it(args, async () => {
      const d = await lr108(args);
      assert.strictEqual(d.length, 1);
      assert.ok(d[0]!.message.includes(`the lr starts at ${first}`), d[0]!.message);
      assert.doesNotMatch(d[0]!.message, /starts at max_lr/);
    });
  }
});
