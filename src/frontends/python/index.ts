/**
 * The Python frontend: a tree-sitter tree in, one Program (optimizers and
 * schedulers in evaluation order) and the scheduler calls found out. Nothing
 * from the file is executed; every construction whose arguments cannot be
 * known says why. Never throws.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import type { Diagnostic, FrontendResult } from '../../analysis/types';
import { Budget, BudgetSpent, type BudgetOptions } from './budget';
import { Recorder } from './construct';
import { Interpreter } from './interp';
import { sweep } from './sweep';
import type { Scope } from './values';
import { Walker } from './walker';

export interface PythonOptions extends BudgetOptions {
  /** lr used for an optimizer whose lr cannot be resolved (default 0.1); always labelled. */
  assumedLr?: number;
}

/** Finds and evaluates every LR-scheduler construction of a Python file. */
export function analyzePython(tree: Tree, text: string, opts: PythonOptions = {}): FrontendResult {
  const budget = new Budget(opts);
  const recorder = new Recorder(opts.assumedLr ?? 0.1);
  const interp = new Interpreter(text, budget, recorder);
  recorder.interp = interp;
  const diagnostics: Diagnostic[] = [];
  const note = (message: string) => diagnostics.push({
    severity: 'information', code: 'LR000', message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  });
  let moduleScope: Scope | null = null;
  const walker = new Walker(interp, recorder, budget);
  try {
    moduleScope = walker.module(tree.rootNode);
  } catch (e) {
    if (e instanceof BudgetSpent) note(e.message);
    else if (e instanceof RangeError) note('LR Lens stopped evaluating this file: it is nested too deeply.');
    else note(`LR Lens could not evaluate this file: ${e instanceof Error ? e.message : String(e)}`);
    moduleScope = walker.moduleScope;
  }
  try {
    const calls = tree.rootNode.descendantsOfType('call').filter((n): n is NonNullable<typeof n> => n !== null && !interp.evaluatedCalls.has(n.id));
    sweep(calls, moduleScope, recorder, walker.skipped);
  } catch (e) {
    note(`LR Lens could not scan this file for constructions: ${e instanceof Error ? e.message : String(e)}`);
  }
  recorder.frozen = true;
  interp.finish();
  return { program: recorder.program, calls: recorder.calls, diagnostics };
}
