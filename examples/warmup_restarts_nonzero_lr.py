"""Fine-tune a ResNet-18 with CosineAnnealingWarmUpRestarts, but with a nonzero optimizer lr.

This is the mistake LR Lens warns about (LR141): the blog's class uses the optimizer's lr as the start
of every warm-up and as the floor of every cosine, so with lr=0.01 the curve only swings between 0.01
and eta_max=0.1 and never anneals to 0. The quick fix sets the optimizer's lr to 0.
"""
import torch
import torch.nn.functional as F
from torchvision.models import resnet18

from cosine_annealing_warmup import CosineAnnealingWarmUpRestarts

EPOCHS = 150  # two cycles: 50 + 100 epochs (T_mult=2)


def train(loader, device="cuda"):
    model = resnet18(num_classes=100).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    # T_0=50 epochs per cycle, each cycle twice as long as the previous one, 5 warm-up epochs.
    scheduler = CosineAnnealingWarmUpRestarts(optimizer, T_0=50, T_mult=2, eta_max=0.1, T_up=5, gamma=0.5)

    for epoch in range(EPOCHS):
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            optimizer.step()
        scheduler.step()
    return model
