/** LR174's quick fix is offered only when both steps are plain statements of the same block (else the warning stands alone). */
import * as assert from 'assert';
import { diagnosticsOf, PY } from './helpers';

describe('LR174 quick fix: only for two plain statements of one block', () => {
  it('a scheduler step inside an `if` before the optimizer step: warned, no fix', async () => {
    const src = `${PY}s = L.StepLR(opt, step_size=10)\nfor epoch in range(3):\n    if epoch > 0:\n        s.step()\n    opt.step()\n`;
    const d = (await diagnosticsOf(src, 'python', {})).filter((x) => x.code === 'LR174');
    assert.strictEqual(d.length, 1);
    assert.deepStrictEqual(d[0]!.fixes ?? [], []);
  });

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
