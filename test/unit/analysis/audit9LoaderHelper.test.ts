/**
 * Ninth audit, accelerate `examples/nlp_example.py:47-109` (and the by_feature examples built on it): the data loaders
 * come from a helper of the file, `get_dataloaders(accelerator, batch_size)`, that first loads a tokenizer and a
 * dataset LR Lens cannot see, then returns two `DataLoader(…)`s. Its call could not run to the end, so
 * `len(train_dataloader)` was unknown and no curve was drawn, where the same code inline (`complete_nlp_example.py`)
 * took the assumed batches per epoch. Expected values: torch 1.13's LambdaLR with transformers' linear warm-up lambda.
 */
import * as assert from 'assert';
import { onlyScheduler, valuesAt } from './pythonRun';

const only = onlyScheduler;
const values = valuesAt;

const NLP = (helperExtra = '') => `import torch
from torch.utils.data import DataLoader
from transformers import AutoTokenizer, get_linear_schedule_with_warmup
from datasets import load_dataset

def get_dataloaders(accelerator, batch_size=16):
    tokenizer = AutoTokenizer.from_pretrained("bert-base-cased")
    datasets = load_dataset("nyu-mll/glue", "mrpc")
${helperExtra}    train_dataloader = DataLoader(datasets["train"], shuffle=True, batch_size=batch_size, drop_last=True)
    eval_dataloader = DataLoader(datasets["validation"], shuffle=False, batch_size=32)
    return train_dataloader, eval_dataloader

def training_function(config):
    lr = config["lr"]
    num_epochs = int(config["num_epochs"])
    gradient_accumulation_steps = 1
    train_dataloader, eval_dataloader = get_dataloaders(accelerator, 16)
    optimizer = torch.optim.AdamW(params=model.parameters(), lr=lr)
    lr_scheduler = get_linear_schedule_with_warmup(
        optimizer=optimizer,
        num_warmup_steps=20,
        num_training_steps=(len(train_dataloader) * num_epochs) // gradient_accumulation_steps,
    )
    for epoch in range(num_epochs):
        for step, batch in enumerate(train_dataloader):
            if step % gradient_accumulation_steps == 0:
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()

training_function({"lr": 2e-5, "num_epochs": 3})
`;

describe('ninth audit: data loaders returned by a helper of the file', () => {
  it('accelerate nlp_example: loaders from a helper LR Lens cannot run to the end take the assumed length (torch\'s curve)', async () => {
    const s = await only(NLP(), 37);
    // 3 epochs × 37 batches = 111 steps, warm-up 20: torch 1.13's LambdaLR.
    values(s, [[0, 0], [1, 1.0000000000000002e-06], [10, 1e-05], [20, 2e-05], [21, 1.9780219780219784e-05],
      [60, 1.120879120879121e-05], [110, 2.197802197802198e-07], [111, 0]], 112);
    const a = s.assumed.find((x) => x.what === 'num_training_steps');
    assert.ok(a && a.value === 111, JSON.stringify(s.assumed));
    assert.match(a.why, /`len\(train_dataloader\)` taken as 37 batches per epoch/);
  });

  it('a helper that also builds a schedule is not walked for its value (unchanged: no curve, said why)', async () => {
    const s = await only(NLP('    sched_name = "linear"\n'), 37);
    assert.strictEqual(s.curve, null);
    assert.match(s.error ?? '', /get_dataloaders/);
  });
});
