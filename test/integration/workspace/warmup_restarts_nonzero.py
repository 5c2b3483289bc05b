# LR141: the optimizer's lr (0.01) is this scheduler's warm-up start AND cosine floor,
# so the curve only spans [0.01, 0.1]; the class expects the optimizer at lr=0.
import torch
from torch import nn

from cosine_annealing_warmup import CosineAnnealingWarmUpRestarts

model = nn.Linear(32, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = CosineAnnealingWarmUpRestarts(optimizer, T_0=50, T_mult=1, eta_max=0.1, T_up=5)

for epoch in range(100):
    optimizer.step()
    scheduler.step()
