/**
 * A lambda (or a def) given as `lr_lambda` whose free names rest on assumed values: its label names every one of them,
 * not only the first (lucidrains' karras_unet `InvSqrtDecayLRSched(optimizer, t_ref=70000, sigma_ref=0.01)`: both
 * defaults shape the curve).
 */
import * as assert from 'assert';
import { run } from './pythonRun';

const factory = (params: string, body: string) => `import torch
from math import sqrt
from torch.optim.lr_scheduler import LambdaLR


def InvSqrtDecayLRSched(optimizer, ${params}):
    def inv_sqrt_decay_fn(t: int):
        return ${body}

    return LambdaLR(optimizer, lr_lambda=inv_sqrt_decay_fn)
`;

describe('the label of an lr_lambda resting on assumed values', () => {
  it('names each assumed value the function reads', async () => {
    const r = await run(factory('t_ref=70000, sigma_ref=0.01', 'sigma_ref / sqrt(max(t / t_ref, 1.))'));
    const why = r.schedulers[0]!.assumed.find((a) => a.what === 'lr_lambda')?.why ?? '';
    assert.match(why, /`t_ref`: default of parameter `t_ref` of `InvSqrtDecayLRSched\(\)`/);
    assert.match(why, /`sigma_ref`: default of parameter `sigma_ref` of `InvSqrtDecayLRSched\(\)`/);
  });

  it('names at most four, then how many more', async () => {
    const r = await run(factory('a=1, b=2, c=3, d=4, e=5, f=6', '1 / (1 + t * (a + b + c + d + e + f))'));
    const why = r.schedulers[0]!.assumed.find((a) => a.what === 'lr_lambda')?.why ?? '';
    assert.strictEqual(why.match(/default of parameter/g)?.length, 4, why);
    assert.match(why, /; and 2 more$/);
  });
});
