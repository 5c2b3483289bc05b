"""Fine-tune a classifier with a hand-written loop, as the Hugging Face course does.

The schedule's length comes from the data loader: num_epochs * len(train_dataloader). The loader's length is known
only when the script runs, so LR Lens takes it as lrLens.assumedStepsPerEpoch batches (100 unless set) and labels
every value built from it; the loop below it runs on the same assumed number, so the two agree.
"""
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, get_scheduler

checkpoint = "bert-base-uncased"
model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2)
train_dataloader = DataLoader(tokenized_datasets["train"], shuffle=True, batch_size=8, collate_fn=data_collator)

optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
num_epochs = 3
num_training_steps = num_epochs * len(train_dataloader)
lr_scheduler = get_scheduler(
    "linear",
    optimizer=optimizer,
    num_warmup_steps=int(0.1 * num_training_steps),
    num_training_steps=num_training_steps,
)

model.train()
for epoch in range(num_epochs):
    for batch in train_dataloader:
        outputs = model(**batch)
        outputs.loss.backward()
        optimizer.step()
        lr_scheduler.step()
        optimizer.zero_grad()
