"""A PyTorch Lightning module whose schedule is defined in configure_optimizers.

Lightning steps the scheduler every optimizer step because of `"interval": "step"`, so OneCycleLR gets
total_steps for the whole run.
"""
import lightning as L
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.lr_scheduler import OneCycleLR

MAX_EPOCHS = 20
STEPS_PER_EPOCH = 500


class LitClassifier(L.LightningModule):
    def __init__(self, lr=3e-4, weight_decay=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 256), nn.ReLU(), nn.Linear(256, 10))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=3e-4, weight_decay=0.01)
        scheduler = OneCycleLR(optimizer, max_lr=3e-3, total_steps=MAX_EPOCHS * STEPS_PER_EPOCH,
                               pct_start=0.1, div_factor=10.0, final_div_factor=100.0)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


if __name__ == "__main__":
    trainer = L.Trainer(max_epochs=MAX_EPOCHS, limit_train_batches=STEPS_PER_EPOCH)
    # trainer.fit(LitClassifier(), train_dataloaders=...)
