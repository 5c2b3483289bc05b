/**
 * A method whose class's instance a lambda reads (`self.lf = lambda x: … self.epochs …` in ultralytics' trainer) is
 * frozen on its own for the engine, without its class around it. The training loop in another method of that class
 * (`_do_train`, called as `Trainer(model)._do_train()`) was then "not called in this file": its calls were looked up
 * as a function's, not a method's.
 */
import * as assert from 'assert';
import { byVar, run } from './pythonRun';

const src = (call: string) => `import torch
from torch import optim


class Trainer:
    def __init__(self, model):
        self.model = model
        self.epochs = 10

    def _setup(self):
        self.optimizer = optim.SGD(self.model.parameters(), lr=0.01)
        self.lf = lambda x: max(1 - x / self.epochs, 0) * 0.99 + 0.01
        self.scheduler = optim.lr_scheduler.LambdaLR(self.optimizer, lr_lambda=self.lf)

    def _do_train(self):
        self._setup()
        for epoch in range(self.epochs):
            for i in range(3):
                self.optimizer.step()
            self.scheduler.step()


${call}
`;

describe('a training method of a class whose instance a lambda reads', () => {
  for (const call of ['Trainer(torch.nn.Linear(2, 2))._do_train()', 't = Trainer(torch.nn.Linear(2, 2))\nt._do_train()']) {
    it(`is called by \`${call.split('\n').pop()}\`: its loop is the run, no "not called" note`, async () => {
      const s = byVar(await run(src(call)), 'self.scheduler');
      assert.ok(!s.notes.some((n) => n.includes('is not called in this file')), s.notes.join('\n'));
      assert.strictEqual(s.run?.unit, 'epoch');
      assert.strictEqual(s.run?.steps, 10);
    });
  }
});
