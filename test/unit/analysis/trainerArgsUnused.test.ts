/**
 * A TrainingArguments that no Trainer of the file is given (fifth audit: microsoft/LoRA's copy of transformers'
 * tests/test_trainer.py builds `args = TrainingArguments("./regression")` to compare `args.to_dict()`; LLaMA-Factory's
 * scripts/vllm_infer.py builds one for `get_dataset`). LR Lens warned LR175 "`args` is constructed but never stepped …
 * Call its step() in the training loop": a TrainingArguments has no step(), and transformers builds a schedule from it
 * only in Trainer.create_scheduler (trainer.py), so nothing is lost. The run says no schedule is built.
 */
import * as assert from 'assert';
import { run } from './pythonRun';

describe('a TrainingArguments no Trainer is given', () => {
  it('no LR175, the run says it is not passed to a Trainer', async () => {
    const r = await run(`from transformers import TrainingArguments

args = TrainingArguments("./regression")
dict1 = args.to_dict()
for key in dict1.keys():
    print(key)
`);
    const s = r.schedulers[0]!;
    assert.strictEqual(s.kind, 'trainer.TrainingArguments');
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR175'), []);
    assert.strictEqual(s.run!.unit, 'never');
    assert.match(s.run!.source, /no `Trainer\(args=…\)` call that LR Lens follows is given it: no schedule is shown as built from it/);
  });

  it('recorded at the Trainer call (HfArgumentParser subclass) and given a scheduler: its run says why, no LR175', async () => {
    // sentence-transformers' cross_encoder/fit_mixin.py shape: Trainer(args=args, optimizers=(optimizer, scheduler_obj)),
    // the scheduler from a helper LR Lens cannot see; LR Lens said "never stepped" with LR175 on the Trainer call.
    const r = await run(`from dataclasses import dataclass, field
import torch
import transformers
from transformers import Trainer
from helpers import make_scheduler


@dataclass
class TrainingArguments(transformers.TrainingArguments):
    lr_scheduler_type: str = field(default="cosine")


parser = transformers.HfArgumentParser((TrainingArguments,))
(training_args,) = parser.parse_args_into_dataclasses()
opt = torch.optim.AdamW(torch.nn.Linear(2, 2).parameters(), lr=1e-4)
trainer = Trainer(model=None, args=training_args, optimizers=(opt, make_scheduler(opt)))
for epoch in range(2):
    trainer.train()
`);
    const s = r.schedulers.find((x) => x.kind === 'trainer.TrainingArguments')!;
    assert.deepStrictEqual(s.diagnostics.filter((d) => d.code === 'LR175'), []);
    assert.strictEqual(s.run!.unit, 'unknown');
    assert.match(s.run!.source, /^not built: the Trainer at line 16 is given a scheduler \(`optimizers=\(opt, make_scheduler\(opt\)\)`\), which runs instead$/);
  });

  it('a torch scheduler never stepped still gets LR175', async () => {
    const r = await run(`import torch
opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, 3)
for epoch in range(5):
    opt.step()
`);
    assert.deepStrictEqual(r.schedulers[0]!.diagnostics.map((d) => d.code).filter((c) => c === 'LR175'), ['LR175']);
  });
});
