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

/**
 * A warm-up stepped only on the first pass of the run's outermost loop (`if epoch == 0: warm.step()` in the loop over
 * the batches, torchvision's detection shape written in one function), built before the main scheduler on the same
 * optimizer, which the loop steps once per pass, unconditionally, after the warm-up's calls: every warm-up step comes
 * before the main scheduler's first, so torch runs the main one from the lr the warm-up leaves (`Stepping.after`, as
 * `alternating` marks). The main curve replayed the warm-up's construction alone (a LinearLR at start_factor 1/1000 kept
 * it 1000× too low for the whole run). `calls`: the file's constructions, in order (their index is the program's order).
 */
export function firstPassWarmup(calls: FoundCall[], branchOfSite: Map<FoundCall, SiteCondition & { outer: string | null }>, facts: LoopFacts): void {
  for (const [d, cond] of branchOfSite) {
    const dSite = d.stepping?.sites[0];
    const outer = dSite?.frames[0];
    if (!dSite || !outer || d.stepping!.sites.length !== 1 || d.schedulerIndex === null || !d.optimizer?.variable) continue;
    // The outermost loop counts from 0 by 1, and the condition holds on its first pass only.
    if (!outer.index || outer.index.start !== 0 || (outer.index.step ?? 1) !== 1 || cond.outer !== outer.id) continue;
    if (!firstPassOnly(cond.node, cond.holds, outer.index.name)) continue;
    const loop = facts.loopNodes.get(outer.id);
    const dNode = facts.constructions.get(calls.indexOf(d));
    if (!loop || !dNode || at(dNode) >= at(loop)) continue;
    for (const c of calls) {
      const site = c.stepping?.sites.length === 1 ? c.stepping.sites[0]! : null;
      if (c === d || !site || c.stepping!.after || branchOfSite.has(c) || c.schedulerIndex === null || c.schedulerIndex < d.schedulerIndex) continue;
      if (c.optimizer?.variable !== d.optimizer.variable || site.frames.length !== 1 || site.frames[0]!.id !== outer.id || site.conditions.length) continue;
      const cNode = facts.constructions.get(calls.indexOf(c));
      const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character < b.character);
      if (!cNode || at(cNode) >= at(loop) || !before(dSite.range.start, site.range.start)) continue;
      c.stepping!.after = { range: d.range, variable: d.variable };
    }
  }
}

/** `v == 0`, `0 == v`, `v < 1`, `v <= 0` (holding), or `v > 0`, `v >= 1`, `v != 0` (not holding): only v's first value, 0. */
function firstPassOnly(cond: SyntaxNode, holds: boolean, v: string): boolean {
  const cmp = unparen(cond);
  const ops = cmp.children.flatMap((x) => (x && !x.isNamed ? [x.type] : []));
  const [a, b] = kids(cmp);
  if (cmp.type !== 'comparison_operator' || ops.length !== 1 || !a || !b) return false;
  const op = a.text === v ? ops[0]! : b.text === v ? flip(ops[0]!) : null;
  const n = a.text === v ? b.text : a.text;
  if (op === null || !/^\d+$/.test(n)) return false;
  const k = Number(n);
  const first = (op === '==' && k === 0) || (op === '<' && k === 1) || (op === '<=' && k === 0);
  const rest = (op === '!=' && k === 0) || (op === '>' && k === 0) || (op === '>=' && k === 1);
  return holds ? first : rest;
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
