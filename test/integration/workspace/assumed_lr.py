# The optimizer's lr and the decay come from the command line: the preview uses their argparse
# defaults and every view says so (hover, CodeLens, panel).
import argparse

import torch
from torch.optim.lr_scheduler import ExponentialLR

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=3e-3)
parser.add_argument("--lr_decay_rate", type=float, default=0.98)
args = parser.parse_args()

model = torch.nn.Linear(8, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
scheduler = ExponentialLR(optimizer, gamma=args.lr_decay_rate)
