"""Train a text classifier with OneCycleLR, stepping the scheduler after every batch.

OneCycleLR needs the total number of optimizer steps: epochs * steps_per_epoch. It ignores the
optimizer's lr (it starts at max_lr / div_factor = 0.004 and peaks at max_lr after 30% of the steps).
"""
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import OneCycleLR

EPOCHS = 8
BATCH_SIZE = 64
NUM_SAMPLES = 25_600
STEPS_PER_EPOCH = NUM_SAMPLES // BATCH_SIZE  # 400


class BagOfWords(nn.Module):
    def __init__(self, vocab=30_000, dim=128, classes=4):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab, dim)
        self.out = nn.Linear(dim, classes)

    def forward(self, tokens, offsets):
        return self.out(self.emb(tokens, offsets))


def fit(batches):
    model = BagOfWords()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    scheduler = OneCycleLR(optimizer, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH,
                           pct_start=0.3, anneal_strategy="cos")
    loss_fn = nn.CrossEntropyLoss()

    for epoch in range(EPOCHS):
        for tokens, offsets, labels in batches():
            optimizer.zero_grad()
            loss = loss_fn(model(tokens, offsets), labels)
            loss.backward()
            optimizer.step()
            scheduler.step()  # per batch, not per epoch
        print(f"epoch {epoch}: lr={scheduler.get_last_lr()[0]:.5f}")
