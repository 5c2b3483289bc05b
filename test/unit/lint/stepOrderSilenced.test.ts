/**
 * LR174 and a step deliberately put first with torch's warning silenced around it (sixth audit): ultralytics' trainer
 * steps its LambdaLR at the start of each epoch inside `with warnings.catch_warnings(): warnings.simplefilter("ignore")
 * # suppress 'Detected lr_scheduler.step() before optimizer.step()'`, having set `scheduler.last_epoch = start_epoch - 1`.
 * torch 1.13 (/tmp/audit6t/truth/t04_suppressed_step_order.py, repros r06 / r06b) shows the step-order warning once
 * without the `with` block and not at all with it; LR174 repeated the warning the code silences.
 */
import * as assert from 'assert';
import { diagnosticsOf, PY } from './helpers';

const loop = (stepLines: string) => `${PY}import warnings
s = L.LambdaLR(opt, lambda e: 1 - e / 10)
for epoch in range(10):
${stepLines}    for i in range(3):
        opt.step()
`;
const lr174 = async (src: string) => (await diagnosticsOf(src, 'python', {})).filter((x) => x.code === 'LR174');

describe('LR174: torch\'s step-order warning silenced around the step', () => {
  it('inside `with warnings.catch_warnings():` after `simplefilter("ignore")`: quiet (torch shows nothing, t04)', async () => {
    assert.deepStrictEqual(await lr174(loop(`    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # suppress 'Detected lr_scheduler.step() before optimizer.step()'
        s.step()
`)), []);
    assert.deepStrictEqual(await lr174(loop(`    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', category=UserWarning)
        s.step()
`)), []);
  });

  it('the same step without the block, or with a filter that does not ignore: warned (torch warns once, t04)', async () => {
    assert.strictEqual((await lr174(loop('    s.step()\n'))).length, 1);
    assert.strictEqual((await lr174(loop(`    with warnings.catch_warnings():
        warnings.simplefilter("always")
        s.step()
`))).length, 1);
    // The filter after the step does not silence it.
    assert.strictEqual((await lr174(loop(`    with warnings.catch_warnings():
        s.step()
        warnings.simplefilter("ignore")
`))).length, 1);
  });
});
