// Training config of a TypeScript trainer whose API mirrors torch.optim (e.g. a WebGPU or tfjs port).
// LR Lens reads the same constructor names and option names as in Python: hover `CosineAnnealingLR`.
import { Adam, CosineAnnealingLR, type Optimizer } from './optim';

const EPOCHS = 100;

export function makeSchedule(params: Float32Array[]): { optimizer: Optimizer; scheduler: CosineAnnealingLR } {
  const optimizer = new Adam(params, { lr: 0.001 });
  // One cosine half-period over the whole run: lr 0.001 -> 0 at epoch 100.
  const scheduler = new CosineAnnealingLR(optimizer, { T_max: 100 });
  return { optimizer, scheduler };
}

export async function train(params: Float32Array[], epoch: (e: number) => Promise<void>): Promise<void> {
  const { optimizer, scheduler } = makeSchedule(params);
  for (let e = 0; e < EPOCHS; e++) {
    await epoch(e);
    optimizer.step();
    scheduler.step();
  }
}
