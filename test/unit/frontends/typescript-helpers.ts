/** Shared helpers for the TypeScript/JavaScript frontend tests: parse + analyse, find calls, evaluate expressions. */
import * as fs from 'fs';
import * as path from 'path';
import type { Arg } from '../../../src/engine/types';
import { loadParser, parseWith, type GrammarId } from '../../../src/frontends/parser';
import { analyzeTypeScript, type TypeScriptOptions } from '../../../src/frontends/typescript';
import { Recorder } from '../../../src/analysis/recorder';
import { DEFAULT_ASSUMED_LR } from '../../../src/analysis/analyze';
import type { ArgInfo, FoundCall, FrontendResult } from '../../../src/analysis/types';

export type TsGrammar = Exclude<GrammarId, 'python'>;

/** Parses and analyses `src`; the tree is deleted before returning (results must not depend on it). */
export async function analyzeTs(src: string, grammar: TsGrammar = 'typescript', opts: TypeScriptOptions & { assumedLr?: number } = {}): Promise<FrontendResult> {
  // A generous parse timeout: big test files must not depend on the machine's load.
  const tree = parseWith(await loadParser(grammar), src, 60_000);
  if (!tree) throw new Error('parse timed out');
  try {
    return analyzeTypeScript(tree, src, new Recorder(opts.assumedLr ?? DEFAULT_ASSUMED_LR), opts);
  } finally {
    tree.delete();
  }
}

/** The only call assigned to `variable` (fails loudly otherwise). */
export function callOf(res: FrontendResult, variable: string | null): FoundCall {
  const found = res.calls.filter((c) => c.variable === variable);
  if (found.length !== 1) throw new Error(`expected one call bound to ${variable}, got ${JSON.stringify(res.calls.map((c) => [c.kind, c.variable]))}`);
  return found[0]!;
}

export function infoOf(call: FoundCall, name: string): ArgInfo {
  const a = call.argInfo.find((x) => x.name === name);
  if (!a) throw new Error(`no ArgInfo ${name} in ${JSON.stringify(call.argInfo.map((x) => x.name))}`);
  return a;
}

export const HEADER = "import { ExponentialLR, StepLR, LambdaLR } from 'torch-ts';\nimport { optim } from 'torch-ts';\nconst opt = optim.SGD([], { lr: 0.1 });\n";

/** Evaluates `expr` as ExponentialLR's gamma (after `prelude`), returning the bound Arg or the unknown reason. */
export async function evalGamma(expr: string, prelude = '', grammar: TsGrammar = 'typescript'): Promise<{ arg: Arg | undefined; reason: string | undefined; call: FoundCall }> {
  const res = await analyzeTs(`${HEADER}${prelude}\nconst s = new ExponentialLR(opt, { gamma: ${expr} });\n`, grammar);
  const call = callOf(res, 's');
  const info = infoOf(call, 'gamma');
  return { arg: call.args['gamma'], reason: info.reason, call };
}

/** A fixture file's text (test/unit/fixtures/typescript, read from the source tree). */
export function fixture(name: string): string {
  return fs.readFileSync(path.resolve(__dirname, '../../../../test/unit/fixtures/typescript', name), 'utf8');
}
