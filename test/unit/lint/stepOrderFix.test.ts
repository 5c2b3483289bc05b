/** LR174's quick fix is offered only when both steps are plain statements of the same block (else the warning stands alone). */
import * as assert from 'assert';
import { diagnosticsOf, PY } from './helpers';

describe('LR174 quick fix: only for two plain statements of one block', () => {
  it('a scheduler step inside a guard on itself (`if s is not None:`) before the optimizer step: warned, no fix', async () => {
    // torch 1.13 warns here ("Detected call of `lr_scheduler.step()` before `optimizer.step()`").
    const src = `${PY}s = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    if s is not None:\n        s.step()\n    opt.step()\n`;
    const d = (await diagnosticsOf(src, 'python', {})).filter((x) => x.code === 'LR174');
    assert.strictEqual(d.length, 1);
    assert.deepStrictEqual(d[0]!.fixes ?? [], []);
  });

  // The first pass skips the scheduler's step and steps the optimizer: when the scheduler's first step() comes, the
  // optimizer has stepped, and torch 1.13 does not warn (checked: no warning for `if epoch > 0:`, nor for a warm-up
  // that sets the lr by hand and steps the scheduler on the `else`). This test asserted LR174 for the first shape.
  for (const [shape, body] of [
    ['`if epoch > 0: s.step()`', '    if epoch > 0:\n        s.step()\n    opt.step()\n'],
    ['`if epoch < 5: <lr by hand> else: s.step()`', '    if epoch < 5:\n        opt.param_groups[0]["lr"] = 0.1 * (epoch + 1) / 5\n    else:\n        s.step()\n    opt.step()\n'],
  ]) {
    it(`a condition the first pass may not meet (${shape}) before the optimizer step: quiet`, async () => {
      const src = `${PY}s = L.StepLR(opt, step_size=10)\nfor epoch in range(10):\n${body}`;
      assert.strictEqual((await diagnosticsOf(src, 'python', {})).filter((x) => x.code === 'LR174').length, 0);
    });
  }

  it('two statements on one line (`s.step(); opt.step()`): warned, no fix', async () => {
    const src = `${PY}s = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    s.step(); opt.step()\n`;
    const d = (await diagnosticsOf(src, 'python', {})).filter((x) => x.code === 'LR174');
    assert.strictEqual(d.length, 1);
    assert.deepStrictEqual(d[0]!.fixes ?? [], []);
  });

  it('the optimizer steps first: quiet', async () => {
    const src = `${PY}s = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    opt.step()\n    s.step()\n`;
    assert.strictEqual((await diagnosticsOf(src, 'python', {})).filter((x) => x.code === 'LR174').length, 0);
  });
});
