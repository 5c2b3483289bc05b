/** Torch 1.13's formulas written out for the tests' expected curves (docs/torch-schedulers.md), never our engine. */

/** CosineAnnealingLR's recursive form (get_lr) from `base`: the lr after k steps, k < n. */
export function cosine(base: number, T: number, etaMin: number, n: number): number[] {
  const out = [base];
  let lr = base;
  for (let e = 1; e < n; e++) {
    if ((e - 1 - T) % (2 * T) === 0) lr = lr + (base - etaMin) * (1 - Math.cos(Math.PI / T)) / 2;
    else lr = (1 + Math.cos(Math.PI * e / T)) / (1 + Math.cos(Math.PI * (e - 1) / T)) * (lr - etaMin) + etaMin;
    out.push(lr);
  }
  return out;
}
