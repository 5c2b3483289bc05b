import torch
from torch.optim.lr_scheduler import StepLR

from crossfile_conf import settings

optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=settings.STEP_SIZE, gamma=settings.GAMMA)
