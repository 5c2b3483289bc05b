// Type declarations of the small torch.optim-like API that schedule.ts trains with.
export interface Optimizer { step(): void; paramGroups: { lr: number }[] }
export declare class Adam implements Optimizer {
  constructor(params: Float32Array[], options: { lr: number; betas?: [number, number] });
  step(): void;
  paramGroups: { lr: number }[];
}
export declare class CosineAnnealingLR {
  constructor(optimizer: Optimizer, options: { T_max: number; eta_min?: number });
  step(): void;
}
