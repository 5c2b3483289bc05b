/**
 * absl flags (src/frontends/python/absl.ts): `flags.DEFINE_float('lr', 2e-4, …)` then `FLAGS.lr`, as pytorch-ddpm's
 * main.py declares its settings. Each value is the flag's default, labelled (the command line may set it); a flag no
 * file declares, or a default absl would parse from a string, stays unknown with its reason. The expected curve is
 * pytorch-ddpm's warm-up, computed here: lr(step) = 2e-4 · min(step, 5000) / 5000.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const SCRIPT = (defines: string, lambda = 'min(step, FLAGS.warmup) / FLAGS.warmup') => `from absl import app, flags
import torch
from torch.optim.lr_scheduler import LambdaLR

FLAGS = flags.FLAGS
${defines}


def warmup_lr(step):
    return ${lambda}


def train():
    model = torch.nn.Linear(2, 2)
    optim = torch.optim.Adam(model.parameters(), lr=FLAGS.lr)
    sched = LambdaLR(optim, lr_lambda=warmup_lr)
    for step in range(12000):
        optim.step()
        sched.step()


def main(argv):
    train()


if __name__ == '__main__':
    app.run(main)
`;

const DEFINES = `flags.DEFINE_float('lr', 2e-4, help='target learning rate')
flags.DEFINE_integer('warmup', 5000, help='learning rate warmup')`;

describe('frontends/python: absl flags', () => {
  it("FLAGS.lr and FLAGS.warmup are the flags' defaults, labelled: pytorch-ddpm's warm-up curve", async () => {
    const s = byVar(await run(SCRIPT(DEFINES)), 'sched');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 12001);
    for (const step of [0, 1, 2500, 4999, 5000, 7000, 12000]) {
      assert.ok(Math.abs(lrs[step]! - 2e-4 * Math.min(step, 5000) / 5000) <= 1e-9 * 2e-4, `step ${step}: ${lrs[step]}`);
    }
    const said = s.assumed.map((a) => `${a.what} = ${String(a.value)}: ${a.why}`).join('\n');
    assert.match(said, /default of the absl flag --lr; set on the command line/);
    assert.match(said, /default of the absl flag --warmup/);
  });

  it('`from absl.flags import FLAGS`, a DEFINE written after the function, and a FlagHolder’s .value', async () => {
    const src = SCRIPT(`_LR = flags.DEFINE_float('lr', 2e-4, 'target learning rate')`, 'min(step, FLAGS.warmup) / FLAGS.warmup if step < _LR.value * 0 + 1 else 1.0')
      .replace('FLAGS = flags.FLAGS', 'from absl.flags import FLAGS')
      .replace('def main(argv):', "flags.DEFINE_integer('warmup', 5000, 'learning rate warmup')\n\n\ndef main(argv):");
    const lrs = byVar(await run(src), 'sched').curve!.lrs[0]!;
    // Step 0 takes the warm-up branch (0 / 5000); every later step returns 1.0.
    assert.deepStrictEqual([lrs[0], lrs[1], lrs[100]], [0, 2e-4, 2e-4]);
  });

  it('a flag no file declares, and a default absl would parse from a string, are unknown with the reason', async () => {
    const missing = byVar(await run(SCRIPT(`flags.DEFINE_float('lr', 2e-4, '')`)), 'sched');
    assert.strictEqual(missing.curve, null);
    assert.match(JSON.stringify(missing), /FLAGS\.warmup.*absl flag no file LR Lens read declares/);
    const parsed = byVar(await run(SCRIPT(`flags.DEFINE_float('lr', 2e-4, '')\nflags.DEFINE_integer('warmup', '5000', '')`)), 'sched');
    assert.strictEqual(parsed.curve, null);
    assert.match(JSON.stringify(parsed), /absl parses the default of `--warmup`/);
  });
});
