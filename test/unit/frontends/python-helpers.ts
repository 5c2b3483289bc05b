/** Shared helpers for the Python frontend tests: parse + analyse, and find calls. */
import type { Arg } from '../../../src/engine/types';
import { loadParser, parseWith } from '../../../src/frontends/parser';
import { analyzePython, type PythonOptions } from '../../../src/frontends/python';
import { Recorder } from '../../../src/analysis/recorder';
import { DEFAULT_ASSUMED_LR } from '../../../src/analysis/analyze';
import type { FoundCall, FrontendResult } from '../../../src/analysis/types';

/** Parses and analyses `src`; the tree is deleted before returning (results must not depend on it). */
export async function analyze(src: string, opts: PythonOptions & { assumedLr?: number } = {}, parseTimeoutMs = 2000): Promise<FrontendResult> {
  const parser = await loadParser('python');
  const tree = parseWith(parser, src, parseTimeoutMs);
  if (!tree) {
    // A cancelled parse would otherwise be resumed by the next parse() call.
    parser.reset();
    throw new Error('parse timed out');
  }
  try {
    return analyzePython(tree, src, new Recorder(opts.assumedLr ?? DEFAULT_ASSUMED_LR), opts);
  } finally {
    tree.delete();
  }
}

/** The only call assigned to `variable` (fails loudly otherwise). */
export function callOf(res: FrontendResult, variable: string): FoundCall {
  const found = res.calls.filter((c) => c.variable === variable);
  if (found.length !== 1) throw new Error(`expected one call bound to ${variable}, got ${JSON.stringify(res.calls.map((c) => [c.kind, c.variable]))}`);
  return found[0]!;
}

export const HEADER = 'import torch\nfrom torch.optim.lr_scheduler import ExponentialLR, StepLR, LambdaLR\nopt = torch.optim.SGD([], lr=0.1)\n';

/** Evaluates `expr` as ExponentialLR's gamma (after `prelude`), returning the bound Arg or the unknown reason. */
export async function evalGamma(expr: string, prelude = ''): Promise<{ arg: Arg | undefined; reason: string | undefined; call: FoundCall }> {
  const res = await analyze(`${HEADER}${prelude}\ns = ExponentialLR(opt, gamma=${expr})\n`);
  const call = callOf(res, 's');
  const info = call.argInfo.find((a) => a.name === 'gamma')!;
  return { arg: call.args['gamma'], reason: info.reason, call };
}
