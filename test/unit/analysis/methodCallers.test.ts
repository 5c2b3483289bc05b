/**
 * A training method of a common name (`fit`, `train`, `run`) called on an instance of its class: `Trainer(cfg).fit()`
 * or `trainer = Trainer(cfg)` then `trainer.train()`. The text search for callers passes over `x.fit()` on other
 * objects (a model's `fit`, `model.train()`), and so it missed these: the run said "`fit()` is not called in this file
 * (it is called by code LR Lens cannot see); its loops are taken as the whole run" beside "from the call at line 30".
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const trainer = (method: string, call: string) => `import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


class Trainer:
    def __init__(self, model, cfg):
        self.model = model
        self.epochs = cfg["epochs"]
        self.optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"])
        self.scheduler = CosineAnnealingLR(self.optimizer, T_max=self.epochs)

    def ${method}(self):
        for epoch in range(self.epochs):
            self.optimizer.step()
            self.scheduler.step()


if __name__ == "__main__":
    cfg = {"lr": 0.1, "epochs": 20}
${call}
`;

describe('a training method called on an instance of its class', () => {
  for (const [method, call] of [
    ['fit', '    Trainer(torch.nn.Linear(2, 2), cfg).fit()'],
    ['train', '    trainer = Trainer(torch.nn.Linear(2, 2), cfg)\n    trainer.train()'],
  ]) {
    it(`${call.trim().replace(/\n\s*/g, '; ')}: its caller is seen, not "called by code LR Lens cannot see"`, async () => {
      const s = byVar(await run(trainer(method, call)), 'self.scheduler');
      assert.strictEqual(s.run!.steps, 20);
      assert.ok(!s.notes.some((n) => /is not called in this file/.test(n)), JSON.stringify(s.notes));
      assert.ok(!s.run!.assumed.some((a) => /is not called in this file/.test(a)), JSON.stringify(s.run!.assumed));
    });
  }

  it('`model.train()` on another class\'s object is still not taken as a call of `Trainer.train`', async () => {
    const s = byVar(await run(trainer('train', '    model = torch.nn.Linear(2, 2)\n    t = Trainer(model, cfg)\n    model.train()')), 'self.scheduler');
    assert.ok(s.notes.some((n) => /`train\(\)` is not called in this file/.test(n)), JSON.stringify(s.notes));
  });
});
