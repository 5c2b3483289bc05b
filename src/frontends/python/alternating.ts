/**
 * Two schedulers on one optimizer picked by one `if` (loops.ts): bound on the branches of the `if` (the step calls
 * after it step whichever it holds), or stepped on its branches (one runs after the other's steps, or they take turns).
 */
import type { FoundCall } from '../../analysis/types';
import type { LoopFacts } from './loopFacts';
import { at, enclosing, kids, shortText, unparen, type SyntaxNode } from './syntax';
import type { SiteCondition } from './loopConditions';
import type { FileIndex } from './fileIndex';

/**
 * `if epoch < warmup: warmup_sched.step() else: main_sched.step()` (two schedulers on one optimizer, stepped on the
 * two branches of one `if`): when the test is on the variable of the run's outermost loop and one branch's passes all
 * come first (`epoch < w` / `epoch >= w`), torch runs the other scheduler after those steps, from the lr they leave:
 * marks it (`Stepping.after`). Otherwise the two take turns, and the mark says so (`interleaved`: labelled, not replayed).
 */
export function alternating(branchOfSite: Map<FoundCall, SiteCondition & { outer: string | null }>, facts: LoopFacts): void {
  for (const [c, mine] of branchOfSite) {
    if (!c.optimizer?.variable || !c.stepping) continue;
    const ifSt = mine.node.parent;
    if (ifSt?.type !== 'if_statement' || ifSt.childForFieldName('condition')?.id !== mine.node.id) continue;
    const other = [...branchOfSite].find(([d, k]) => d !== c && k.holds !== mine.holds && k.node.id === mine.node.id
      && d.optimizer?.variable === c.optimizer!.variable);
    if (!other) continue;
    const loop = enclosing(ifSt, ['for_statement', 'while_statement', 'function_definition']);
    const outermost = loop?.type === 'for_statement' && !!mine.outer && other[1].outer === mine.outer && facts.loopNodes.get(mine.outer)?.id === loop.id;
    // `v < x` / `x > v`: the passes where it holds come first; `v >= x` / `x <= v`: last.
    const cmp = unparen(mine.node);
    const ops = cmp.children.flatMap((x) => (x && !x.isNamed ? [x.type] : []));
    const [a, b] = kids(cmp);
    const v = outermost ? loop.childForFieldName('left')?.text : undefined;
    const op = cmp.type === 'comparison_operator' && ops.length === 1 && a && b && v ? (a.text === v ? ops[0] : b.text === v ? flip(ops[0]!) : null) : null;
    const trueFirst = op === '<' || op === '<=' ? true : op === '>' || op === '>=' ? false : null;
    if (trueFirst === mine.holds) continue; // this one runs first: its own curve, from its construction
    c.stepping.after = { range: other[0].range, variable: other[0].variable };
    if (trueFirst === null) c.stepping.after.interleaved = shortText(mine.node, 60);
  }
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : op;
}

/** The `if` statement whose branches hold `callNode` (its clause too), up to the function around it. */
function branchOf(callNode: SyntaxNode): { ifSt: SyntaxNode; clause: SyntaxNode } | null {
  let child = callNode;
  for (let p = callNode.parent; p && p.type !== 'function_definition' && p.type !== 'module'; child = p, p = p.parent) {
    if (p.type === 'if_statement') return { ifSt: p, clause: child };
    if (p.type === 'for_statement' || p.type === 'while_statement' || p.type === 'lambda') return null;
  }
  return null;
}

/**
 * The step calls on `c.variable` after the `if` on one of whose branches it is bound to `c` (in the same function):
 * whenever that branch runs, they step `c`, whatever the other branches bind there — another construction, a
 * scheduler class LR Lens does not preview (DeepLabV3Plus's `utils.PolyLR` when `lr_policy == 'poly'`), `None`, or
 * nothing. The walk records the step calls only for the value the branch it takes leaves.
 */
export function alternativeSteps(c: FoundCall, callNode: SyntaxNode, index: FileIndex): SyntaxNode[] {
  const mine = branchOf(callNode);
  if (!mine) return [];
  const fn = enclosing(mine.ifSt, ['function_definition']);
  return index.stepCallsOn(c.variable!).filter((s) => at(s) > at(mine.ifSt, true) && (enclosing(s, ['function_definition'])?.id ?? -1) === (fn?.id ?? -1));
}

/**
 * The step calls on `c.variable` after the call that builds `c` in another file (`lr_scheduler = build_scheduler(config,
 * optimizer, n)`, Swin-Transformer's main.py), in the same function, when the walk of that builder could not decide
 * which of its branches runs (`if config.TRAIN.LR_SCHEDULER.NAME == 'cosine': … elif …`, lr_scheduler.py): the call's
 * value is unknown to the walk, but whenever the branch that builds `c` runs, the calls on the name it is bound to step `c`.
 */
export function stepsAfterBuilderCall(c: FoundCall, callNode: SyntaxNode, index: FileIndex): SyntaxNode[] {
  if (!c.elsewhere || callNode.type !== 'call') return [];
  const fn = enclosing(callNode, ['function_definition']);
  return index.stepCallsOn(c.variable!).filter((s) => at(s) > at(callNode, true) && (enclosing(s, ['function_definition'])?.id ?? -1) === (fn?.id ?? -1));
}
