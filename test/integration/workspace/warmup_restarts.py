# The blog's recommended use: the optimizer starts at lr=0, the scheduler warms up to eta_max.
# Expected curve (the blog example in docs/torch-schedulers.md): 0 -> 0.1 at step 10, 0.05 at 80, 0 at 150,
# restart with peak 0.05 at 160 (gamma=0.5).
import torch
from torch import nn

from cosine_annealing_warmup import CosineAnnealingWarmUpRestarts

model = nn.Linear(32, 4)
optimizer = torch.optim.Adam(model.parameters(), lr=0)
scheduler = CosineAnnealingWarmUpRestarts(optimizer, T_0=150, T_mult=1, eta_max=0.1, T_up=10, gamma=0.5)

for epoch in range(300):
    optimizer.zero_grad()
    loss = model(torch.randn(8, 32)).pow(2).mean()
    loss.backward()
    optimizer.step()
    scheduler.step()
