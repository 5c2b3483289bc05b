"""ResNet on CIFAR-10, the classic 300-epoch recipe: MultiStepLR divides the lr by 10 at epochs 150 and 225.

LR Lens previews the schedule for the run the loop makes (300 epochs, from `for epoch in range(EPOCHS)`), not just
up to the last milestone, and says how it is stepped: once per epoch, after the batches.
"""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import MultiStepLR

EPOCHS = 300


def train_one_epoch(model, loader, optimizer, device):
    model.train()
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()


def main(model, loader, device="cuda"):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    scheduler = MultiStepLR(optimizer, milestones=[150, 225], gamma=0.1)
    for epoch in range(EPOCHS):
        train_one_epoch(model, loader, optimizer, device)
        scheduler.step()
