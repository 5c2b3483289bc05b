/**
 * LR160 on a preview whose length is the run's, when that length rests on an assumption (the batch loop's length is
 * not known: 100 batches per epoch assumed). ExponentialLR(gamma=0.9) stepped per batch falls below 1e-12 × its
 * peak at step 263 (0.9^263 ≈ 9.2e-13); that happens in the run only if it makes 263 steps, which the assumption
 * decides. The warning says so; with the loop's length known it stays as it was.
 */
import * as assert from 'assert';
import { diagnosticsOf, PY } from './helpers';

const src = (loader: string) => `${PY}s = L.ExponentialLR(adam, gamma=0.9)\nloader = ${loader}\nfor epoch in range(30):\n    for batch in loader:\n        adam.step()\n        s.step()\n`;

describe('LR160 on a run length that rests on an assumption', () => {
  it('the batch loop\'s length unknown (100 assumed): the warning says it holds only if the run is that long', async () => {
    const d = (await diagnosticsOf(src('torch.utils.data.DataLoader(ds, batch_size=8)'), 'python', {})).filter((x) => x.code === 'LR160');
    assert.strictEqual(d.length, 1);
    assert.match(d[0]!.message, /from step 263 .* effectively 0 if the run calls step\(\) 263 times or more \(its length here rests on an assumption: 100 batches per epoch assumed/);
  });

  it('the batch loop\'s length known (10 batches, 300 steps): the warning as before, no condition', async () => {
    const d = (await diagnosticsOf(src('[0] * 10'), 'python', {})).filter((x) => x.code === 'LR160');
    assert.strictEqual(d.length, 1);
    assert.doesNotMatch(d[0]!.message, /if the run calls/);
    assert.match(d[0]!.message, /from step 263 .* the last 38 of 301 previewed steps/);
  });
});
