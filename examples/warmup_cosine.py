"""Linear warm-up followed by cosine decay, chained with SequentialLR (a common ViT recipe).

5 warm-up epochs from 1% of the base lr, then a cosine over the remaining 95 epochs down to 1e-5.
"""
import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

EPOCHS = 100
WARMUP_EPOCHS = 5
BASE_LR = 1e-3

model = nn.Sequential(nn.Linear(768, 768), nn.GELU(), nn.Linear(768, 1000))
optimizer = torch.optim.AdamW(model.parameters(), lr=BASE_LR, weight_decay=0.05)

warmup = LinearLR(optimizer, start_factor=0.01, end_factor=1.0, total_iters=WARMUP_EPOCHS)
cosine = CosineAnnealingLR(optimizer, T_max=EPOCHS - WARMUP_EPOCHS, eta_min=1e-5)
scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[WARMUP_EPOCHS])

for epoch in range(EPOCHS):
    # ... one epoch of training ...
    optimizer.step()
    scheduler.step()
