/**
 * The Python frontend: a tree-sitter tree in, one Program (optimizers and
 * schedulers in evaluation order) and the scheduler calls found out. Nothing
 * from the file is executed; every construction whose arguments cannot be
 * known says why. Never throws.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import type { Diagnostic, FoundCall, FrontendResult } from '../../analysis/types';
import type { ConstructionRecorder } from '../contract';
import { Budget, BudgetSpent, type BudgetOptions } from './budget';
import { Recorder } from './construct';
import { Interpreter } from './interp';
import { LoopFacts } from './loopFacts';
import { adoptCallers } from './callers';
import { attachRuns } from './loops';
import { sweep } from './sweep';
import { ModuleLoader, type FileView } from './modules';
import { VarMap, str, type Scope } from './values';
import { Walker } from './walker';
import type { FrozenFile } from './incremental';
import { rangeOf, type FrozenNode, type SyntaxNode } from './syntax';

export interface PythonOptions extends BudgetOptions {
  /** The repository's files as read by the pipeline: imports of its modules and config files are followed. */
  files?: FileView;
  /** The document's frozen copy, kept between its analyses (incremental.ts): the walk reads plain JS nodes. */
  frozen?: FrozenFile;
  /** Batches per epoch assumed for `len(loader)` (the setting lrLens.assumedStepsPerEpoch; interp.ts). */
  assumedStepsPerEpoch?: number;
}

/** Finds and evaluates every LR-scheduler construction of a Python file, recording them with `shared`. */
export function analyzePython(tree: Tree, text: string, shared: ConstructionRecorder, opts: PythonOptions = {}): FrontendResult {
  const budget = new Budget(opts);
  const recorder = new Recorder(shared);
  const interp = new Interpreter(text, budget, recorder);
  if (opts.assumedStepsPerEpoch !== undefined) interp.assumedStepsPerEpoch = opts.assumedStepsPerEpoch;
  recorder.interp = interp;
  const diagnostics: Diagnostic[] = [];
  const note = (message: string) => diagnostics.push({
    severity: 'information', code: 'LR000', message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  });
  let moduleScope: Scope | null = null;
  // The same tree either way: a frozen copy (kept between edits) when the document has one, else the live nodes.
  let root: FrozenNode | typeof tree.rootNode = tree.rootNode;
  try {
    root = opts.frozen?.forWalk(tree, text) ?? root;
  } catch {
    opts.frozen?.clear();
  }
  const walker = new Walker(interp, recorder, budget);
  const loops = new LoopFacts();
  walker.loops = loops;
  interp.walkCall = (fn, bound) => walker.evaluate(fn, bound);
  interp.loopFacts = loops;
  recorder.loops = loops;
  try {
    const scope: Scope = { vars: new VarMap([['__name__', str('__main__')]]), parent: null, label: 'module' };
    if (opts.files) {
      new ModuleLoader(opts.files).enter(scope, opts.files.file, 0, interp);
      // What the workspace's other files pass to this file's functions, before the walk reads the call sites.
      adoptCallers(opts.files, root, interp, shared);
    }
    moduleScope = walker.module(root, scope);
  } catch (e) {
    if (e instanceof BudgetSpent) note(e.message);
    else if (e instanceof RangeError) note('LR Lens stopped evaluating this file: it is nested too deeply.');
    else note(`LR Lens could not evaluate this file: ${e instanceof Error ? e.message : String(e)}`);
    moduleScope = walker.moduleScope;
  }
  try {
    const all: (SyntaxNode | null)[] = root.descendantsOfType('call');
    const calls = all.filter((n): n is SyntaxNode => n !== null && !interp.evaluatedCalls.has(n.id));
    sweep(calls, moduleScope, recorder, walker.skipped);
  } catch (e) {
    note(`LR Lens could not scan this file for constructions: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (moduleScope) loops.notePlainClasses(moduleScope);
  // The repository's own scheduler classes built here: found, and said not previewed (the file has a scheduler).
  for (const { call, className, base } of loops.schedulerClassCalls) {
    diagnostics.push({
      severity: 'information', code: 'LR000', range: rangeOf(call),
      message: `\`${className}\` is this repository's own scheduler class (a subclass of torch's \`${base}\` that sets the lr its own way): ` +
        'LR Lens does not compute the lr of a class of the repository, so no curve is drawn for it.',
    });
  }
  try {
    attachRuns(root, text, shared.calls, loops, budget);
  } catch (e) {
    if (e instanceof BudgetSpent) note(e.message);
    else note(`LR Lens could not follow the training loop: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    recorder.hfTrainers(loops.hf);
  } catch (e) {
    note(`LR Lens could not follow the Hugging Face Trainer: ${e instanceof Error ? e.message : String(e)}`);
  }
  inSourceOrder(shared.calls);
  recorder.frozen = true;
  interp.finish();
  return { program: shared.program, calls: shared.calls, diagnostics };
}

/**
 * Constructions on the branches of an `if` the assumed values decide, in source order: the walk evaluates the
 * branch they take first and the others after it (`else` before `if`), and the entries follow the source.
 */
function inSourceOrder(calls: FoundCall[]): void {
  const pos = (c: FoundCall) => c.range.start.line * 1e6 + c.range.start.character;
  for (let i = 0; i < calls.length;) {
    let j = i;
    while (j < calls.length && calls[j]!.branch) j++;
    if (j - i > 1) calls.splice(i, j - i, ...calls.slice(i, j).sort((a, b) => pos(a) - pos(b)));
    i = Math.max(j, i + 1);
  }
}
