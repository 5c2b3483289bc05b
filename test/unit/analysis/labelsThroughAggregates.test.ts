/**
 * A value computed by `sum(…)`, `len(…)`, … over a list whose items (or whose comprehension's `if` clauses) rest on
 * argparse defaults rests on them too. Sixth audit: huggingface/diffusers examples/amused/train_amused.py's
 * `parse_args()` counts its data sources with `sum([x is not None for x in [args.instance_data_dir, …]])` and raises
 * unless exactly one is given. The label was lost in `sum`, so the check on the defaults was taken as certain and
 * LR Lens said "`parse_args()` always raises" — no curve — although every real run passes one source.
 * Expected lrs: diffusers' get_scheduler("cosine") (transformers' cosine lambda, diffusers/optimization.py @ 58eb52c0)
 * in torch 1.13's LambdaLR, lr 3e-4, 2 warm-up steps of 10 (/tmp/audit6f/truth/t02_amused_parse_args_cosine.py).
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const TORCH = [0.0, 0.00015, 0.0003, 0.000288581929876693, 0.00025606601717798207, 0.00020740251485476345, 0.00015,
  9.259748514523653e-05, 4.3933982822017876e-05, 1.1418070123306989e-05, 0.0];

const script = (count: string) => `import argparse
import torch
from diffusers.optimization import get_scheduler


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance_data_dir", type=str, default=None)
    parser.add_argument("--instance_data_image", type=str, default=None)
    parser.add_argument("--learning_rate", type=float, default=3e-4)
    parser.add_argument("--lr_scheduler", type=str, default="cosine")
    parser.add_argument("--lr_warmup_steps", type=int, default=2)
    parser.add_argument("--max_train_steps", type=int, default=10)
    args = parser.parse_args()
    num_datasources = ${count}
    if num_datasources != 1:
        raise ValueError("provide one and only one of --instance_data_dir or --instance_data_image")
    return args


def main(args):
    model = torch.nn.Linear(2, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    lr_scheduler = get_scheduler(args.lr_scheduler, optimizer=optimizer,
                                 num_warmup_steps=args.lr_warmup_steps, num_training_steps=args.max_train_steps)
    for step in range(args.max_train_steps):
        optimizer.step()
        lr_scheduler.step()


if __name__ == "__main__":
    main(parse_args())
`;

describe('assumption labels through sum / len / comprehensions (a check on argparse defaults is not certain)', () => {
  for (const [what, count] of [
    ['sum of a list comprehension (aMUSEd)', 'sum([x is not None for x in [args.instance_data_dir, args.instance_data_image]])'],
    ['sum of a generator expression', 'sum(x is not None for x in (args.instance_data_dir, args.instance_data_image))'],
    ['len of a filtered comprehension (no item survives on the defaults)', 'len([x for x in [args.instance_data_dir, args.instance_data_image] if x is not None])'],
    ['sum of a list display', 'sum([args.instance_data_dir is not None, args.instance_data_image is not None])'],
  ] as const) {
    it(`${what}: previewed with the defaults, labelled, not "always raises"`, async () => {
      const s = byVar(await run(script(count)), 'lr_scheduler');
      assert.strictEqual(s.error, null);
      assert.deepStrictEqual(Array.from(s.curve!.lrs[0]!), TORCH);
      assert.ok(s.assumed.some((a) => a.what === 'name' && /--lr_scheduler/.test(a.why)), JSON.stringify(s.assumed));
    });
  }

  it('a check that fails whatever the command line says still always raises', async () => {
    const s = byVar(await run(script('sum([1, 1])')), 'lr_scheduler');
    assert.strictEqual(s.curve, null);
    assert.match(s.error ?? s.assumed.map((a) => a.why).join(' '), /`parse_args\(\)` always raises/);
  });
});
