# A clean OneCycleLR, stepped per batch (no diagnostics expected): the optimizer's lr equals
# OneCycleLR's effective start, max_lr / div_factor = 0.1 / 25 = 0.004, so not even LR096 applies.
import torch
from torch import nn
from torch.optim.lr_scheduler import OneCycleLR

EPOCHS = 10
STEPS_PER_EPOCH = 100

model = nn.Linear(32, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.004, momentum=0.9)
scheduler = OneCycleLR(optimizer, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH)

for epoch in range(EPOCHS):
    for batch in range(STEPS_PER_EPOCH):
        optimizer.step()
        scheduler.step()
