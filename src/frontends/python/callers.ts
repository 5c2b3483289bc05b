/**
 * Calls from other files of the workspace: `train.py` does `from utils.schedulers import
 * build_scheduler; sched = build_scheduler(opt, epochs=args.epochs)`, and the analysed file is
 * utils/schedulers.py. The pipeline found the files that may call this module's functions
 * (src/analysis/workspace.ts `findCallers`: a plain substring prefilter, then their imports
 * resolved to this file) and read them; here each is evaluated by an interpreter of its own, as
 * the main module of its run (its module statements, its function bodies, its own imports through
 * its own module loader), recording no scheduler (an optimizer it builds is recorded, said to be
 * built there, so the one it passes keeps its lr). Its calls that bound to THIS module's functions (the
 * values its loader made for this file) are what it passed; they are added to the analysed file's
 * call sites (callsites.ts), labelled "from the call at train.py:42", and agree or disagree with the
 * file's own calls like any other call. Bounded: operations per caller and for all callers.
 */
import { Budget, BudgetSpent } from './budget';
import { CallSites } from './callsites';
import type { ConstructionRecorder } from '../contract';
import { Recorder, variableOf } from './construct';
import type { EvaluatedArgs } from './interp';
import { Interpreter } from './interp';
import { ModuleLoader, relativeToRoot, type FileView } from './modules';
import { kids, lineOf, rangeOf, type SyntaxNode } from './syntax';
import { VarMap, str, unknown, type PyVal, type Scope } from './values';
import { Walker } from './walker';

/** Operations of one caller's evaluation, and of all the callers of one analysis. */
const CALLER_OPS = 300_000;
const ALL_CALLERS_OPS = 1_200_000;

/** A body that may build a scheduler (a prefilter: scheduler classes end in `LR`, families say `schedul…`). */
const MAY_SCHEDULE = /schedul|[A-Za-z]LR\b|lr_lambda/i;

/**
 * The module-level functions of the analysed file that another file may call and whose parameters
 * matter (their body may build a scheduler), by name; a class by `Name.__init__` (its constructor's
 * parameters, `Model(lr=1e-3)`).
 */
export function callableDefs(root: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const st of kids(root)) {
    const def = st.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    const name = def?.childForFieldName('name')?.text;
    if (!def || !name || !MAY_SCHEDULE.test(def.text)) continue;
    if (def.type === 'function_definition') out.set(name, def);
    else if (def.type === 'class_definition') {
      const body = def.childForFieldName('body');
      for (const s of body ? kids(body) : []) {
        const m = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
        if (m?.type === 'function_definition' && m.childForFieldName('name')?.text === '__init__') out.set(`${name}.__init__`, m);
      }
    }
  }
  return out;
}

/**
 * The caller's schedulers are not this file's (not recorded); an optimizer it builds is recorded in this
 * file's program, said to be built there (`OptimizerCall.foreign`), so that a scheduler built on the one a
 * call passes starts from its lr, labelled as the caller's values are. Each construction node once.
 */
class CallerRecorder extends Recorder {
  constructor(shared: ConstructionRecorder, private readonly rel: string) {
    super(shared);
    this.frozen = true;
  }

  override optimizer(type: string, call: SyntaxNode, args: EvaluatedArgs): PyVal {
    const prev = this.byNode.get(call.id);
    if (prev) return prev;
    if (this.suppressed) return unknown('the optimizer is constructed at run time');
    const index = this.shared.optimizer({ type, variable: variableOf(call), range: rangeOf(call), foreign: `${this.rel}:${lineOf(call)}`, ...this.slots(args) });
    const v: PyVal = { k: 'optimizer', index };
    this.byNode.set(call.id, v);
    return v;
  }
}

/**
 * Evaluates each caller file (`files.callers`) and adds the calls it makes to the analysed file's
 * functions to `interp`'s call sites. `root`: the analysed file's syntax tree.
 */
export function adoptCallers(files: FileView, root: SyntaxNode, interp: Interpreter, shared: ConstructionRecorder): void {
  const callers = files.callers ?? [];
  if (!callers.length) return;
  const defs = callableDefs(root);
  if (!defs.size) return;
  let left = ALL_CALLERS_OPS;
  for (const path of callers) {
    if (left <= 0) break;
    const tree = files.module(path);
    if (!tree) continue;
    const rel = relativeToRoot(files.root, path);
    // The caller's own view: its imports resolve from its folder.
    const view: FileView = { root: files.root, file: path, text: (p) => files.text(p), module: (p) => files.module(p) };
    const loader = new ModuleLoader(view);
    const budget = new Budget({ maxOps: Math.min(CALLER_OPS, left) });
    const recorder = new CallerRecorder(shared, rel);
    const caller = new Interpreter(tree.text, budget, recorder);
    caller.assumedStepsPerEpoch = interp.assumedStepsPerEpoch;
    recorder.interp = caller;
    const scope: Scope = { vars: new VarMap([['__name__', str('__main__')]]), parent: null, label: 'module' };
    loader.enter(scope, path, 0, caller);
    try {
      new Walker(caller, recorder, budget).module(tree, scope);
    } catch (e) {
      // Out of budget (or nested too deeply): keep the calls seen before. Anything else is a bug of ours in code this
      // analysis only borrows values from: that caller is left out, the file itself is still analysed.
      if (!(e instanceof BudgetSpent) && !(e instanceof RangeError)) {
        left -= caller.ops;
        continue;
      }
    }
    caller.finish();
    left -= caller.ops;
    // The values the caller's loader made for the analysed file: a call bound to one of them called this file's function.
    const mine = loader.loadedModule(files.file);
    if (!mine) continue;
    for (const [name, def] of defs) {
      const [top, member] = name.split('.');
      let fn = mine.attrs.get(top!);
      if (member && fn?.k === 'class') fn = fn.attrs.get(member);
      if (fn?.k !== 'func') continue;
      const sites = caller.callSites.sitesOf(CallSites.keyOf(fn));
      if (sites.size) interp.callSites.adopt(CallSites.keyOfNode(def), sites, `${path}#`);
    }
  }
}
