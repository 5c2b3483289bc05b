import torch

from crossfile_conf.schedules import build_scheduler

optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
scheduler = build_scheduler(optimizer, epochs=40)
