# One construction per lint rule that has a quick fix (docs/rules.md). Each line is wrong on purpose.
import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, CyclicLR, OneCycleLR

from cosine_annealing_warmup import CosineAnnealingWarmUpRestarts

model = nn.Linear(32, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
warm_optimizer = torch.optim.Adam(model.parameters(), lr=0)

# LR102: torch 1.13 wants a float in [0, 1]; the int 1 raises ValueError
one_cycle = OneCycleLR(optimizer, max_lr=0.1, total_steps=1000, pct_start=1)

# LR070: T_max=0 -> ZeroDivisionError on the first step()
cosine = CosineAnnealingLR(optimizer, T_max=0)

# LR095: base_lr above max_lr -> the cycle is inverted
cyclic = CyclicLR(optimizer, base_lr=0.1, max_lr=0.001, step_size_up=100)

# LR142: T_up >= T_0 -> the cosine phase never runs
warm = CosineAnnealingWarmUpRestarts(warm_optimizer, T_0=10, eta_max=0.1, T_up=10)
