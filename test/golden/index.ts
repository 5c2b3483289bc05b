/**
 * The golden learning-rate curves recorded from real PyTorch (provenance in README.md beside this file).
 * Every test reads them through this module, so no test reads anything outside the repository.
 */
import * as fs from 'fs';
import * as path from 'path';

/** This folder in the source tree: the tests run compiled from out/test/golden, the data is not compiled. */
export const GOLDEN_DIR = path.resolve(__dirname, '../../../test/golden');

/** The shared reference the copies were taken from, when a checkout has it beside the repository. */
export const SHARED_GOLDEN_DIR = path.resolve(GOLDEN_DIR, '../../../shared/golden');

/** The files kept byte-identical to the shared reference (README.md is ours, not a copy). */
export const GOLDEN_FILES = ['traces.json', 'families.json', 'check_cli.py'] as const;

/** One recorded case (README.md, "Format"); families.json adds the fields marked optional. */
export interface GoldenCase {
  id: string;
  kind: string;
  source: string;
  /** The traced object is the one bound to this name at the end of the snippet. */
  variable: string;
  /** Values per param group: lr[0] after construction, then one per step() call. */
  steps: number;
  expect_error: boolean;
  note?: string;
  lrs: number[][] | null;
  error: { type: string; message: string; phase: 'construct' | 'step'; step: number | null } | null;
  family?: string;
  object?: string;
  reference?: 'executed' | 'transcribed';
  stepping?: 'torch' | 'timm_epoch' | 'timm_update' | 'timm' | 'call';
  tolerance?: number;
  abs_tolerance?: number;
}

export interface GoldenFile {
  torch_version: string;
  tolerance: string;
  cases: GoldenCase[];
}

export function goldenPath(name: (typeof GOLDEN_FILES)[number]): string {
  return path.join(GOLDEN_DIR, name);
}

/** A fresh parse on every call, so that no test can change what another one reads. */
function load(name: 'traces.json' | 'families.json'): GoldenFile {
  return JSON.parse(fs.readFileSync(goldenPath(name), 'utf8')) as GoldenFile;
}

/** The 77 torch.optim.lr_scheduler (and blog class) cases recorded with PyTorch 1.13. */
export function goldenTraces(): GoldenFile {
  return load('traces.json');
}

/** The other scheduler families (transformers, timm, katsura, pl_bolts, Keras, optax). */
export function goldenFamilies(): GoldenFile {
  return load('families.json');
}
