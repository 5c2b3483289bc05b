/**
 * Training-loop awareness for Python (issue 11), once the walk is over: each construction's run, assembled from its
 * step sites (the recorder's uses, the steps after an `if` choosing between constructions (alternating.ts), the steps
 * in helpers it is handed to (handoff.ts)) with the loops and conditions around them (stepPaths.ts, through the
 * file's functions, fileIndex.ts), the optimizer step after it, other code writing the lr, and Lightning's
 * `configure_optimizers` (lightning.ts), from what the walker recorded (loopFacts.ts: loop counts, `Trainer(…)`
 * settings, step-call nodes). The language-neutral classification (unit, run length) is src/analysis/run.ts.
 */
import type { FoundCall, Range } from '../../analysis/types';
import type { LoopFrame, OtherWriter, StepSite, WriteBeforeRun } from '../../analysis/run';
import { Positions } from '../positions';
import type { Budget } from './budget';
import type { LoopFacts } from './loopFacts';
import { at, enclosing, kids, lineOf, rangeOf, shortText, unparen, type SyntaxNode } from './syntax';
import { lightningConfig, lightningRun } from './lightning';
import { benignGuard, countSite, type SiteCondition } from './loopConditions';
import { escapeRe, FileIndex, within, type TreeQueries } from './fileIndex';
import { FUNCTION_SCOPES, LOOP_SCOPES, MAX_SITES, ownJumps, pathsOf } from './stepPaths';
import { functionOf, handedSteps, handedTo } from './handoff';
import { alternating, firstPassWarmup, alternativeSteps, stepsAfterBuilderCall } from './alternating';

/**
 * Whether the loop right around `step` runs, in its body or in a function of the file called there, another loop
 * with the optimizer's `.step()` (or `scaler.step(optimizer)`) in it: the scheduler is stepped once per pass of an
 * outer loop (StepSite.optimizerInInnerLoop).
 */
function optimizerInInnerLoop(step: SyntaxNode, optimizerName: string | null, index: FileIndex): boolean {
  const loop = enclosing(step, ['for_statement', 'while_statement', 'function_definition']);
  if (!loop || loop.type === 'function_definition') return false;
  const body = loop.childForFieldName('body');
  if (!body) return false;
  // This scheduler's optimizer by its name when known (a GAN's critic loop steps another optimizer).
  const entered = new Set<number>();
  const visit = (n: SyntaxNode, inLoop: boolean, depth: number): boolean => {
    if (depth > 200 || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    const nowInLoop = inLoop || n.type === 'for_statement' || n.type === 'while_statement';
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (nowInLoop && optimizerStep(n, optimizerName)) return true;
      const def = f?.type === 'identifier' && entered.size < 8 ? index.defNamed(f.text) : null;
      if (def && !entered.has(def.id) && !within(step, def)) {
        entered.add(def.id);
        const defBody = def.childForFieldName('body');
        if (defBody && kids(defBody).some((k) => visit(k, nowInLoop, depth + 1))) return true;
      }
    }
    return kids(n).some((k) => visit(k, nowInLoop, depth + 1));
  };
  return kids(body).some((k) => visit(k, false, 0));
}

/**
 * A `.step()` call of the optimizer (`optimizer.step()`), or one that is given it (`scaler.step(optimizer)`): its
 * receiver as written and whether that is the optimizer itself. The optimizer by its name when known, else any name
 * that says optimizer (`optim…`, `opt`).
 */
function optimizerStep(n: SyntaxNode, optimizerName: string | null): { obj: string; direct: boolean } | null {
  const f = n.type === 'call' ? n.childForFieldName('function') : null;
  if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'step') return null;
  const isOpt = (t: string) => (optimizerName ? t === optimizerName : /optim|^opt$/i.test(t));
  const obj = f.childForFieldName('object')?.text.replace(/\s+/g, '') ?? '';
  if (isOpt(obj)) return { obj, direct: true };
  return kids(n.childForFieldName('arguments')!).some((a) => isOpt(a.text.replace(/\s+/g, ''))) ? { obj, direct: false } : null;
}

/**
 * The optimizer's `.step()` after this scheduler step in the loop body around it (LR174), as written: in the same
 * body, in a loop nested in it (`scheduler.step()` then `for batch in loader: … optimizer.step()`), or in a function
 * of the file called there after it (`scheduler.step(); train(epoch)`), so that the loop's first pass steps the
 * scheduler before any optimizer step. Not when an optimizer step comes before it in that body.
 */
function optimizerStepAfter(step: SyntaxNode, optimizerName: string | null, schedText: string, index: FileIndex): { text: string; via?: string; move?: StepSite['moveAfter'] } | 'optimizer first' | null {
  const loop = enclosing(step, ['for_statement', 'while_statement', 'function_definition']);
  if (!loop || loop.type === 'function_definition') return null;
  const body = loop.childForFieldName('body');
  if (!body || silencedAround(step, body)) return null;
  let found: string | null = null;
  let foundNode: SyntaxNode | null = null;
  let scaler = false;
  const entered = new Set<number>();
  let through = '';
  let foundVia = '';
  /** `after`: the node is reached after the scheduler's step (a called function's body is, when the call is). */
  const visit = (n: SyntaxNode, after: boolean | null, depth: number) => {
    if (found !== null || depth > 200 || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return;
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      const opt = optimizerStep(n, optimizerName);
      if (opt && opt.obj !== schedText) {
        if (!opt.direct) scaler = true;
        if (after ?? at(n) > at(step)) {
          found = shortText(n);
          foundVia = through;
          foundNode = n;
        } else found = '';
        return;
      }
      // A function of the file called in the body: its own steps come where the call is.
      const def = f?.type === 'identifier' && entered.size < 8 ? index.defNamed(f.text) : null;
      if (def && !entered.has(def.id) && !within(step, def)) {
        entered.add(def.id);
        const defBody = def.childForFieldName('body');
        for (const k of kids(n)) visit(k, after, depth + 1);
        const saved = through;
        through ||= f!.text;
        if (defBody && found === null) for (const k of kids(defBody)) visit(k, after ?? at(n) > at(step), depth + 1);
        through = saved;
        return;
      }
    }
    for (const k of kids(n)) visit(k, after, depth + 1);
  };
  for (const k of kids(body)) visit(k, null, 0);
  // An optimizer step written before it in the loop body (not through a call or a nested loop): each pass steps the
  // optimizer with the lr the scheduler set on the pass before.
  if (found === '' && foundNode === null) return 'optimizer first';
  if (!found || scaler) return null;
  // Reached through a nested loop or a call, and the scheduler's step is under a condition in the body
  // (pytorch-cifar100: `if epoch > args.warm: train_scheduler.step(epoch)` then `train(epoch)`): the first pass may
  // well step the optimizer first, so torch's warning is not certain.
  const nested = foundVia !== '' || enclosing(foundNode!, ['for_statement', 'while_statement'])?.id !== loop.id;
  if (nested) {
    for (let p = step.parent; p && p.id !== body.id; p = p.parent) {
      if (p.type === 'if_statement' || p.type === 'try_statement') return null;
    }
  } else if (firstPassMaySkip(step, body, schedText)) {
    // In the same body, under a condition (`if epoch < warmup: <set the lr> else: scheduler.step()`, then
    // `optimizer.step()`): the passes that skip the scheduler's step still step the optimizer, so when its first
    // step() comes the optimizer may well have stepped (torch warns only if it has not).
    return null;
  }
  // Both plain statements of the same block: the fix moves the scheduler's after the optimizer's.
  const a = step.parent;
  const b = (foundNode as SyntaxNode | null)?.parent ?? null;
  if (a?.type === 'expression_statement' && b?.type === 'expression_statement' && kids(a).length === 1 && kids(b).length === 1 && a.parent && b.parent && a.parent.id === b.parent.id) {
    return { text: found, move: { statement: rangeOf(a), after: rangeOf(b) } };
  }
  return foundVia ? { text: found, via: foundVia } : { text: found };
}

/**
 * Whether a condition around the scheduler's step in the loop body (not a guard on the scheduler itself, `if scheduler
 * is not None:`) may keep the loop's first pass from stepping it: an `if` branch, an `else` or `elif`, a conditional
 * expression.
 */
function firstPassMaySkip(step: SyntaxNode, body: SyntaxNode, schedText: string): boolean {
  for (let child = step, p = step.parent; p && p.id !== body.id; child = p, p = p.parent) {
    if (p.type === 'conditional_expression' || p.type === 'boolean_operator') return true;
    if (p.type !== 'if_statement') continue;
    const cond = p.childForFieldName('condition');
    if (!cond || child.id === cond.id || child.type === 'elif_clause') return true;
    if (!benignGuard({ node: cond, holds: child.type !== 'else_clause', inner: 0 }, schedText)) return true;
  }
  return false;
}

/**
 * The step is in a `with warnings.catch_warnings():` block of the loop body that ignores warnings before it
 * (`warnings.simplefilter("ignore")  # suppress 'Detected lr_scheduler.step() before optimizer.step()'`, ultralytics'
 * trainer, which also sets `scheduler.last_epoch` so that no value is skipped): the order is deliberate and torch's
 * warning is silenced, so LR174 does not repeat it.
 */
function silencedAround(step: SyntaxNode, body: SyntaxNode): boolean {
  for (let w = step.parent; w && w.id !== body.id; w = w.parent) {
    if (w.type !== 'with_statement') continue;
    const items = kids(w).find((k) => k.type === 'with_clause');
    if (!items || !/\bcatch_warnings\s*\(/.test(items.text)) continue;
    const inner = w.childForFieldName('body');
    const before = inner ? kids(inner).filter((k) => at(k, true) <= at(step)) : [];
    if (before.some((k) => /\b(simplefilter|filterwarnings)\s*\(\s*["']ignore["']/.test(k.text))) return true;
  }
  return false;
}

/** Each construction's run: its step sites (the recorder's uses), Lightning's config, or where it went. */
export function attachRuns(root: SyntaxNode, text: string, calls: FoundCall[], facts: LoopFacts, budget: Budget): void {
  const index = new FileIndex(root as SyntaxNode & TreeQueries, text, new Set(calls.flatMap((c) => (c.variable ? [c.variable] : []))));
  const noLoop = !index.loops;
  const lrWriters = otherLrWriters(root, text, index, facts);
  /** The file's loops over a tuple or list written out (found once, when a construction without step calls asks). */
  let literalLoops: LiteralLoop[] | undefined;
  /** Each construction's innermost condition around its step site, when it has exactly one site (see `alternating`). */
  const branchOfSite = new Map<FoundCall, SiteCondition & { outer: string | null }>();
  /** Each construction's step calls, when all are walked where they are written (none in a helper it is handed to). */
  const runNodes = new Map<number, SyntaxNode[]>();
  for (const [i, c] of calls.entries()) {
    const callNode = facts.constructions.get(i) ?? null;
    const lightning = callNode ? lightningConfig(c, callNode, index, facts.plainClasses) : null;
    const sites: StepSite[] = [];
    const timmPerEpoch = timmStepsPerEpoch(c);
    const stepNodes = c.uses.flatMap((u) => {
      const node = u.method === 'step' || u.method === 'step_update' ? facts.useNodes.get(`${u.range.start.line}:${u.range.start.character}`) : undefined;
      return node ? [node] : [];
    });
    // One of several constructions bound to the same name on the branches of one `if` (`if args.x: s = A(…) else:
    // s = B(…)`): the calls on that name after the `if` step whichever it holds.
    if (callNode && c.variable && !stepNodes.length) stepNodes.push(...alternativeSteps(c, callNode, index));
    if (callNode && c.variable && !stepNodes.length) stepNodes.push(...stepsAfterBuilderCall(c, callNode, index));
    if (c.variable && !stepNodes.length) stepNodes.push(...steppedThroughLiteralLoop(c.variable, (literalLoops ??= LITERAL_LOOP.test(text) ? loopsOverLiterals(root) : []), index));
    // Passed to helpers of the file: their step calls, each through the calls that pass this scheduler only (the
    // walk ran the helper's body once, with the values of whichever calls agreed).
    const handed = callNode && c.variable ? handedSteps(c.variable, functionOf(callNode), index) : [];
    const handedAt = new Set(handed.map((h) => at(h.node)));
    const found: FoundSite[] = [];
    const walkedSteps = stepNodes.filter((n) => !handedAt.has(at(n))).map((node) => ({ node, forced: undefined as Map<number, SyntaxNode[]> | undefined }));
    if (!handed.length && walkedSteps.length) runNodes.set(i, walkedSteps.map((w) => w.node));
    for (const { node, forced } of [...walkedSteps, ...handed]) {
      const u = { method: node.childForFieldName('function')?.childForFieldName('attribute')?.text ?? 'step' };
      const sched = node.childForFieldName('function')?.childForFieldName('object')?.text.replace(/\s+/g, '') ?? '';
      const argTexts = kids(node.childForFieldName('arguments')!).map((a) => shortText(a, 40));
      const order = optimizerStepAfter(node, c.optimizer?.variable ?? null, sched, index);
      const before = order === 'optimizer first' ? null : order;
      const innerOptimizer = optimizerInInnerLoop(node, c.optimizer?.variable ?? null, index);
      for (const { uncalled, conds, ...p } of pathsOf(node, callNode, facts, index, budget, 0, new Set(), forced)) {
        p.frames = passesOfWhile(p.frames);
        // `with accelerator.accumulate(…)` skips the scheduler's steps only for one accelerate prepared (an AcceleratedScheduler).
        if (p.accumulation?.startsWith('with ') && !new RegExp(`\\.prepare\\([^)]*(?<![\\w.])${escapeRe(sched)}(?!\\w)`).test(text)) {
          p.accumulation = null;
          delete p.accumulationRead;
        }
        // Reached from a function nothing here calls: with loops on the way they are the run (labelled); without, unknown.
        const site: StepSite = {
          range: rangeOf(node), ...p, argTexts, beforeOptimizerStep: before?.text ?? null, ...(before?.via ? { beforeOptimizerStepIn: before.via } : {}), ...(before?.move ? { moveAfter: before.move } : {}),
          ...(u.method !== 'step' ? { method: u.method } : {}), ...(order === 'optimizer first' ? { afterOptimizerStep: true } : {}),
          ...(innerOptimizer ? { optimizerInInnerLoop: true } : {}),
        };
        if (typeof timmPerEpoch === 'boolean' && timmPerEpoch === (u.method === 'step_update')) {
          site.ignored = timmPerEpoch
            ? '`step_update()` does nothing with t_in_epochs=True (timm steps it with `step(epoch)`)'
            : '`step()` does nothing with t_in_epochs=False (timm steps it with `step_update(num_updates)`)';
        }
        if (uncalled && !p.frames.length) site.unseen = uncalled;
        else if (uncalled) site.assumed = [`${uncalled}; its loops are taken as the whole run`];
        found.push({ site, conds, sched, arg: argNode(node, timmPerEpoch !== null) });
      }
    }
    pairBranches(found);
    loopsInTurn(found, facts);
    for (const { site, conds, sched, arg } of found) {
      countPasses(site, conds, sched, arg, facts, { call: i, kind: c.kind, text: sched });
      const real = conds.filter((k) => !benignGuard(k, sched));
      const inner = real[real.length - 1];
      if (inner && !site.unseen && !site.ignored && !site.countedWith) branchOfSite.set(c, { ...inner, outer: site.frames[0]?.id ?? null });
      else branchOfSite.delete(c);
      sites.push(site);
    }
    // On a branch the assumed values do not take, which sets what a loop after it reads (`args.epochs = 1000`).
    if (callNode && c.branch && !c.branch.taken) for (const site of sites) site.frames = branchSetFrames(callNode, site.frames);
    // A scheduler bound to this one's name (the other branch of an \`if\`: \`scheduler = PolyLR(…)\` / \`StepLR(…)\`) is its alternative, not another writer.
    const writers = sites.length ? lrWriters.filter((w) => !w.once && (w.optimizer === null || !c.optimizer?.variable || w.optimizer === c.optimizer.variable) && (w.variable === undefined || w.variable !== c.variable)) : [];
    const before = writesBeforeRun(c, callNode, sites, lrWriters);
    c.stepping = {
      ...(writers.length ? { otherWriters: writers.map(({ range, what }) => ({ range, what })) } : {}),
      ...(before.length ? { writesBeforeRun: before } : {}),
      sites, handedTo: sites.length ? [] : handedTo(c, callNode, index),
      lightning: lightning && !sites.length ? lightningRun(lightning, facts) : null,
      ...(lightning ? { lightningConfig: lightning } : {}),
      ...(noLoop ? { noLoop } : {}),
    };
    if (sites.length !== 1) branchOfSite.delete(c);
  }
  alternating(branchOfSite, facts);
  firstPassWarmup(calls, branchOfSite, facts);
  for (const [i, nodes] of runNodes) {
    const c = calls[i]!;
    const later = calls.flatMap((d, j) => {
      const node = j !== i && d.schedulerIndex !== null ? facts.constructions.get(j) : undefined;
      return node && nodes.every((n) => ranBefore(n, node)) ? [d.schedulerIndex!] : [];
    });
    if (later.length && c.stepping) c.stepping.builtAfterRun = later;
  }
}

/** Nodes whose code does not run where it is written (a body run when called) or may run more than once (a loop's body). */
const DEFERRED_OR_REPEATED: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition', 'for_statement', 'while_statement']);
const DEFERRED: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);

/**
 * Whether `a` has run for the last time when `b` runs: in the innermost block holding both, `a`'s statement ends
 * before `b`'s begins; that block runs once (nothing around it is a loop or a function, whose calls may repeat it);
 * and neither is deferred within its statement (`b` in a `def` there runs when called; `a` may be in a loop there,
 * which is over when its statement is).
 */
function ranBefore(a: SyntaxNode, b: SyntaxNode): boolean {
  const up = (n: SyntaxNode) => {
    const out: SyntaxNode[] = [];
    for (let p: SyntaxNode | null = n; p; p = p.parent) out.push(p);
    return out;
  };
  const ua = up(a);
  const ub = up(b);
  const inB = new Set(ub.map((n) => n.id));
  const k = ua.findIndex((n) => inB.has(n.id) && (n.type === 'block' || n.type === 'module'));
  if (k < 1) return false;
  const block = ua[k]!;
  const sa = ua[k - 1]!;
  const sb = ub[ub.findIndex((n) => n.id === block.id) - 1];
  if (!sb || sa.id === sb.id || at(sa, true) > at(sb)) return false;
  if (ua.slice(k).some((n) => DEFERRED_OR_REPEATED.has(n.type))) return false;
  if (ua.slice(0, k).some((n) => DEFERRED.has(n.type))) return false;
  return !ub.slice(0, ub.indexOf(sb) + 1).some((n) => DEFERRED.has(n.type));
}

interface FoundSite { site: StepSite; conds: SiteCondition[]; sched: string; arg: SyntaxNode | null }

/**
 * Two calls on the two sides of one condition, with the same loops, other conditions and epoch argument (`if c:
 * s.step(); continue` then `s.step()`; `if c: s.step() else: s.step()`): one of them runs on every pass the other
 * conditions let through, whether or not `c` can be counted. The first is counted without `c`, the second with it
 * (`countedWith`).
 */
function pairBranches(found: FoundSite[]): void {
  const same = (a: SiteCondition, b: SiteCondition) => a.node.id === b.node.id && a.holds === b.holds && a.inner === b.inner && !a.why && !b.why;
  for (const [i, a] of found.entries()) {
    for (const b of found.slice(i + 1)) {
      if (a.site.countedWith || b.site.countedWith || a.site.unseen || b.site.unseen || a.site.ignored || b.site.ignored) continue;
      // A guard on the scheduler itself (`if lr_scheduler is not None:`, one around each call) is not a condition here.
      const ca = a.conds.filter((x) => !benignGuard(x, a.sched));
      const cb = b.conds.filter((x) => !benignGuard(x, b.sched));
      if (ca.length !== cb.length || a.site.frames.map((f) => f.id).join() !== b.site.frames.map((f) => f.id).join()) continue;
      // The same scheduler, method and epoch argument (timm's `step(epoch_p_1, metric=None)` / `step(epoch_p_1, latest_metric)`).
      if (a.sched !== b.sched || a.site.method !== b.site.method || (a.arg?.text ?? '') !== (b.arg?.text ?? '') || a.site.accumulation !== b.site.accumulation) continue;
      const differ = ca.flatMap((x, k) => (same(x, cb[k]!) ? [] : [k]));
      const k = differ[0];
      if (differ.length !== 1 || k === undefined) continue;
      const x = ca[k]!;
      const y = cb[k]!;
      if (x.why || y.why || x.node.id !== y.node.id || x.holds === y.holds || x.inner !== y.inner) continue;
      const drop = a.conds.indexOf(x);
      a.conds = a.conds.filter((_, j) => j !== drop);
      a.site.conditions = a.site.conditions.filter((_, j) => j !== drop);
      b.site.countedWith = a.site.range;
    }
  }
}

const LEAVE_FUNCTION: ReadonlySet<string> = new Set(['return_statement', 'raise_statement']);
const LEAVE_LOOP: ReadonlySet<string> = new Set(['break_statement', 'continue_statement']);

/**
 * Calls in loops that run one after the other (a warm-up or frozen-backbone stage's loop, then the main loop):
 * the run's outer loops are statements of one block, reached through the same functions under the same
 * conditions, with nothing between them that may leave the block. Each such call is marked `inTurn`, so the run
 * is the loops' sum rather than unknown.
 */
function loopsInTurn(found: FoundSite[], facts: LoopFacts): void {
  const live = found.filter((f) => !f.site.unseen && !f.site.ignored && !f.site.countedWith && f.site.frames.length);
  if (live.length < 2) return;
  // The loops they share (an outer `for run in …`), then the loop each is in, which must differ.
  const ids = live.map((f) => f.site.frames.map((fr) => fr.id));
  let shared = 0;
  while (ids.every((x) => shared < x.length && x[shared] === ids[0]![shared])) shared++;
  const outer = live.map((f) => {
    const fr = f.site.frames[shared];
    // The conditions around that loop (`if __name__ == "__main__":`): the same for each, or no sum.
    const around = f.conds.filter((c) => c.inner >= f.site.frames.length - shared).map((c) => `${c.node.id}:${c.holds}:${c.why ?? ''}`).join();
    return { node: fr ? facts.loopNodes.get(fr.id) : undefined, key: `${f.site.via.join('>')}|${around}` };
  });
  const first = outer[0];
  if (!first?.node || outer.some((o) => !o.node || o.key !== first.key)) return;
  const loops = [...new Map(outer.map((o) => [o.node!.id, o.node!])).values()];
  const block = loops[0]!.parent;
  if (loops.length < 2 || !block || loops.some((l) => l.parent?.id !== block.id)) return;
  const inBlock = new Set(loops.map((l) => l.id));
  const stmts = kids(block);
  const from = stmts.findIndex((k) => inBlock.has(k.id));
  let to = stmts.length - 1;
  while (to > from && !inBlock.has(stmts[to]!.id)) to--;
  for (const k of stmts.slice(from + 1, to)) {
    if (inBlock.has(k.id)) continue;
    if (ownJumps(k, LEAVE_FUNCTION, FUNCTION_SCOPES, true).length || ownJumps(k, LEAVE_LOOP, LOOP_SCOPES, true).length) return;
  }
  for (const f of live) f.site.inTurn = true;
}

/**
 * A timm scheduler's `t_in_epochs` (`step_on_epochs` for create_scheduler_v2; create_scheduler's default is per
 * epoch): true unless written False. Null for other families.
 */
function timmStepsPerEpoch(c: FoundCall): boolean | 'unknown' | null {
  if (!c.kind.startsWith('timm.')) return null;
  const name = c.kind === 'timm.create_scheduler_v2' ? 'step_on_epochs' : 't_in_epochs';
  // A call that does not bind (Swin-Transformer's `CosineLRScheduler(…, t_mul=1., …, t_in_epochs=False)`, timm 0.4's
  // keyword) or a value LR Lens cannot read: which method acts is not known, so neither call is said to do nothing.
  const info = c.argInfo.find((x) => x.name === name);
  if (c.bindFailure || (info && !info.known)) return 'unknown';
  const a = c.args[name];
  return !(c.kind !== 'timm.create_scheduler' && a && a.kind === 'bool' && !a.value);
}

/**
 * The argument of `step(x)` / `step(epoch=x)` (not `step()`, not `step(None)`). For timm (`timm`), whose
 * `step(epoch, metric=None)` / `step_update(num_updates, metric=None)` read the schedule at it: the first
 * positional argument beside a metric, or `epoch=` / `num_updates=`.
 */
function argNode(call: SyntaxNode, timm = false): SyntaxNode | null {
  const args = kids(call.childForFieldName('arguments')!);
  if (timm) {
    const first = args.find((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat')
      ?? args.find((a) => a.type === 'keyword_argument' && /^(epoch|num_updates)$/.test(a.childForFieldName('name')?.text ?? ''))?.childForFieldName('value');
    return first && args[0]?.type !== 'list_splat' && unparen(first).type !== 'none' ? first : null;
  }
  if (args.length !== 1) return null;
  const a = args[0]!;
  const v = a.type === 'keyword_argument' ? (a.childForFieldName('name')?.text === 'epoch' ? a.childForFieldName('value') : null) : a;
  return v && unparen(v).type !== 'none' ? v : null;
}

/** A site's conditions (a guard on the scheduler itself aside) and `step(epoch)` argument over the run's loops. */
function countPasses(site: StepSite, conds: SiteCondition[], sched: string, arg: SyntaxNode | null, facts: LoopFacts,
  self: { call: number; kind: string; text: string }): void {
  if (site.unseen) return;
  const real = conds.filter((c) => !benignGuard(c, sched));
  if (!real.length && !arg) return;
  // For each loop the run may start at (run.ts picks the innermost that says epoch); a condition around that
  // loop (`if __name__ == "__main__":`) decides whether the run happens, not which passes step.
  const n = site.frames.length;
  const inLoop = (x: SyntaxNode, fr: LoopFrame) => {
    const loop = facts.loopNodes.get(fr.id);
    return !!loop && within(x, loop);
  };
  site.counts = site.frames.map((_, k) => countSite(site.frames.slice(k), real.filter((c) => n - c.inner > k), arg, (x) => facts.free.get(x.id), inLoop, self));
}

/**
 * `opt` for an expression reading `opt.param_groups` (`opt.param_groups`, `opt.param_groups[0]`,
 * `enumerate(opt.param_groups)`): the optimizer as written, from the tree; null when there is none.
 */
function paramGroupsOwner(n: SyntaxNode | null): string | null {
  for (let depth = 0; n && depth < 4; depth++) {
    n = unparen(n);
    if (n.type === 'attribute' && n.childForFieldName('attribute')?.text === 'param_groups') {
      const owner = n.childForFieldName('object');
      return owner && (owner.type === 'identifier' || owner.type === 'attribute') ? owner.text.replace(/\s+/g, '') : null;
    }
    if (n.type === 'subscript') n = n.childForFieldName('value');
    else if (n.type === 'call') n = kids(n.childForFieldName('arguments') ?? n)[0] ?? null;
    else return null;
  }
  return null;
}

/** Inside a loop (not only the `for g in opt.param_groups` one), or in a function the file calls from a loop. */
function inTrainingLoop(n: SyntaxNode, index: FileIndex, depth = 0): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'for_statement' && paramGroupsOwner(p.childForFieldName('right'))) continue;
    if (p.type === 'for_statement' || p.type === 'while_statement') return true;
    if (p.type === 'function_definition') return depth < 3 && index.callersOf(p).slice(0, MAX_SITES).some((c) => inTrainingLoop(c, index, depth + 1));
  }
  return false;
}

/**
 * A construction on a branch the assumed values do not take (ogb's pcqm4m `if args.train_subset: scheduler = StepLR(…,
 * step_size=300); args.epochs = 1000`): the walk counted the loops after the \`if\` with the taken path's values. A loop
 * outside the branch whose header reads a name the branch assigns runs another number of times for this construction:
 * its count is unknown, with why. Frames are copied (a site's frames may be shared).
 */
function branchSetFrames(callNode: SyntaxNode, frames: LoopFrame[]): LoopFrame[] {
  let block: SyntaxNode | null = null;
  for (let p = callNode.parent; p && !block; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'module') break;
    if (p.type === 'block' && ['if_statement', 'elif_clause', 'else_clause'].includes(p.parent?.type ?? '')) block = p;
  }
  if (!block) return frames;
  const set: { name: string; line: number }[] = [];
  const visit = (n: SyntaxNode) => {
    if (set.length > 50 || n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = n.childForFieldName('left');
      for (const t of left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? kids(left) : left ? [left] : []) {
        if (t.type === 'identifier' || t.type === 'attribute') set.push({ name: t.text.replace(/\s+/g, ''), line: lineOf(n) });
      }
    }
    for (const k of kids(n)) visit(k);
  };
  visit(block);
  if (!set.length) return frames;
  const { startPosition: b0, endPosition: b1 } = block;
  const inBlock = (row: number, col: number) => (row > b0.row || (row === b0.row && col >= b0.column)) && (row < b1.row || (row === b1.row && col <= b1.column));
  return frames.map((fr) => {
    const m = /^(\d+):(\d+)$/.exec(fr.id);
    const hit = !m || inBlock(Number(m[1]), Number(m[2])) ? undefined : set.find((x) => new RegExp(`(?<![\\w.])${escapeRe(x.name)}(?!\\w)`).test(fr.header));
    if (!hit || fr.count === null) return fr;
    const { countAssumed: _a, ...rest } = fr;
    return { ...rest, count: null, countReason: `\`${hit.name}\` is set on this scheduler's branch (line ${hit.line}), which the count of the path taken does not follow` };
  });
}

/**
 * A step in the body of a `while` loop itself whose counter is advanced in an inner loop (`while step < max_steps:`
 * `for batch in loader: … step += 1`, then `scheduler.step()` once per pass): it runs once per pass, not `count`
 * times, and how many passes reach the bound depends on the inner loop's length. That innermost frame's count is
 * unknown, and its passes are epochs. Frames are copied (a site's frames may be shared).
 */
function passesOfWhile(frames: LoopFrame[]): LoopFrame[] {
  const last = frames[frames.length - 1];
  if (!last?.advancedInside || last.count === null) return frames;
  const { countAssumed: _a, ...rest } = last;
  return [...frames.slice(0, -1), { ...rest, count: null, countReason: `${last.advancedInside}, so its passes are not counted`, passes: 'epochs' }];
}

/** A writer of the lr found in the file; `once`: the write statement, when it is outside every loop (not in the run). */
type LrWriter = OtherWriter & { optimizer: string | null; variable?: string; once?: SyntaxNode };

/** Statements whose body runs conditionally, between a write and its function (for the words of `writesBeforeRun`). */
const CONDITIONAL: Record<string, string> = {
  if_statement: 'under an `if`', elif_clause: 'under an `elif`', else_clause: 'under an `else`', try_statement: 'in a `try`',
  except_clause: 'in an `except` clause', match_statement: 'under a `match`',
};

/**
 * `for g in optimizer.param_groups: g['lr'] = …` (or `optimizer.param_groups[0]['lr'] = …`) outside every loop, in the
 * function of the construction, after its optimizer is built and before the first step() there (akamaster's resnet110
 * warm-up, a lr set by hand before the run): torch's scheduler runs on the written lr, which LR Lens does not evaluate.
 * `after`: written after the scheduler's construction (its steps then go on from it, or write over it, by kind).
 */
function writesBeforeRun(c: FoundCall, callNode: SyntaxNode | null, sites: StepSite[], writers: LrWriter[]): WriteBeforeRun[] {
  const opt = c.optimizer;
  if (!callNode || !opt?.range || !opt.variable || !sites.length) return [];
  const fn = functionOf(callNode);
  const pos = (r: Range) => r.start.line * 1e6 + r.start.character;
  // The first step() written after the construction (one above it is in a function defined earlier, called later).
  const built = pos(rangeOf(callNode));
  const firstStep = Math.min(...sites.map((x) => pos(x.range)).filter((p) => p > built));
  const out: WriteBeforeRun[] = [];
  for (const w of writers) {
    const st = w.once;
    if (!st || w.optimizer !== opt.variable || functionOf(st)?.id !== fn?.id) continue;
    const p = pos(w.range);
    if (p < pos(opt.range) || p > firstStep) continue;
    let cond: string | undefined;
    for (let q = st.parent; q && q.id !== fn?.id && cond === undefined; q = q.parent) {
      const where = CONDITIONAL[q.type];
      if (where) cond = `${where} (line ${lineOf(q)})`;
    }
    out.push({ range: w.range, what: w.what, after: at(st) > at(callNode, true), ...(cond ? { conditional: cond } : {}) });
  }
  return out;
}

/**
 * Code that sets an optimizer's lr besides the schedulers, in the training loop (LR190): `g['lr'] = …` on a param
 * group (a hand-written warm-up, `adjust_learning_rate`), and torch's SWALR stepped there (not previewed).
 * `optimizer`: the optimizer as written when the text names it (`for g in optimizer.param_groups`), else null.
 */
function otherLrWriters(root: SyntaxNode & TreeQueries, text: string, index: FileIndex, facts: LoopFacts): LrWriter[] {
  const out: LrWriter[] = [];
  // A scheduler class of the repository (`class WarmUpLR(_LRScheduler)`), built and stepped in the loop.
  for (const { call, className, base } of facts.schedulerClassCalls) {
    const w = steppedInLoop(call, index);
    if (w) out.push({ ...w, what: `\`${w.variable}\` (built at line ${lineOf(call)} from \`${className}\`, this repository's subclass of torch's \`${base}\`; not previewed by LR Lens), stepped at line ${lineOf(w.step)}` });
  }
  if (!/\[\s*['"]lr['"]\s*\]|SWALR/.test(text)) return out;
  const rows = Positions.rowsOf(text);
  const nodeAt = (i: number) => {
    const p = rows.at(i);
    return root.descendantForPosition?.({ row: p.line, column: p.character }) ?? null;
  };
  const re = /\[\s*['"]lr['"]\s*\]\s*(?:[-+*/]?=)(?!=)/g;
  for (let m = re.exec(text); m && out.length < 20; m = re.exec(text)) {
    let st = nodeAt(m.index);
    while (st && st.type !== 'assignment' && st.type !== 'augmented_assignment' && st.type !== 'expression_statement') st = st.parent;
    if (!st || st.type === 'expression_statement') continue;
    const once = !inTrainingLoop(st, index);
    const left = st.childForFieldName('left');
    if (!left || left.type !== 'subscript') continue;
    // `g['lr']` with `for g in optimizer.param_groups`, or `optimizer.param_groups[0]['lr']`.
    const obj = unparen(left.childForFieldName('value') ?? left);
    let groups: SyntaxNode | null = null;
    if (obj.type === 'subscript') groups = obj.childForFieldName('value');
    else if (obj.type === 'identifier') {
      // `for g in opt.param_groups`, `for j, x in enumerate(opt.param_groups)`.
      for (let p = st.parent; p; p = p.parent) {
        const target = p.type === 'for_statement' ? p.childForFieldName('left') : null;
        if (target && (target.text === obj.text || kids(target).some((k) => k.text === obj.text))) { groups = p.childForFieldName('right'); break; }
        if (p.type === 'function_definition') break;
      }
    }
    const opt = paramGroupsOwner(groups);
    if (!opt) continue;
    // A parameter of the function around the write (`def adjust_learning_rate(optimizer, epoch)`) may be any optimizer.
    const params = enclosing(st, ['function_definition'])?.childForFieldName('parameters');
    const param = !!params && kids(params).some((k) => (k.type === 'identifier' ? k.text : k.childForFieldName('name')?.text ?? kids(k)[0]?.text) === opt.split('.')[0]);
    // Outside every loop: one write before the run (see `writesBeforeRun`), of the optimizer as written only.
    if (once && param) continue;
    out.push({ range: rangeOf(st), what: `\`${shortText(st, 60)}\` (line ${lineOf(st)})`, optimizer: param ? null : opt, ...(once ? { once: st } : {}) });
  }
  // `swa_scheduler = SWALR(optimizer, …)` stepped in a loop: each occurrence of the name, confirmed in the tree as the
  // callee of a call assigned to a variable (`SWALR(…)` or `swa_utils.SWALR(…)`).
  for (let at = text.indexOf('SWALR'); at >= 0 && out.length < 20; at = text.indexOf('SWALR', at + 5)) {
    const name = nodeAt(at);
    let call = name?.parent ?? null;
    if (call?.type === 'attribute' && call.childForFieldName('attribute')?.id === name!.id) call = call.parent;
    if (!name || name.text !== 'SWALR' || call?.type !== 'call') continue;
    const w = steppedInLoop(call, index);
    if (w) out.push({ ...w, what: `\`${w.variable}\` (torch.optim.swa_utils.SWALR, line ${lineOf(call)}; not previewed by LR Lens), stepped at line ${lineOf(w.step)}` });
  }
  return out;
}

interface LiteralLoop { loop: SyntaxNode; target: string; items: string[] }

/** A text that may hold such a loop (`for s in (`, `for s in [`, `for s in a, b`): the tree is searched only then. */
const LITERAL_LOOP = /\bfor\s+[A-Za-z_]\w*\s+in\s*(?:[([]|[A-Za-z_][\w.]*\s*,)/;

/** `for s in (a, b):` / `for s in [a, b]:` / `for s in a, b:` with a plain loop variable. */
function loopsOverLiterals(root: SyntaxNode & TreeQueries): LiteralLoop[] {
  const out: LiteralLoop[] = [];
  for (const loop of root.descendantsOfType?.(['for_statement']) ?? []) {
    const target = loop?.childForFieldName('left');
    const right = loop?.childForFieldName('right');
    const items = right ? unparen(right) : null;
    if (!loop || target?.type !== 'identifier' || !items || !['tuple', 'list', 'expression_list'].includes(items.type)) continue;
    out.push({ loop, target: target.text, items: kids(items).map((k) => k.text.replace(/\s+/g, '')) });
  }
  return out;
}

/**
 * `for s in (sched_G, sched_D): s.step()` (a GAN's two schedulers): the step calls on the loop's variable, in the
 * body of a loop over a tuple or list written out with `variable` in it, step it once per pass of that loop.
 */
function steppedThroughLiteralLoop(variable: string, loops: LiteralLoop[], index: FileIndex): SyntaxNode[] {
  return loops.filter((l) => l.items.includes(variable)).flatMap((l) => index.stepCallsOn(l.target).filter((st) => within(st, l.loop)));
}

/**
 * A construction assigned to a name (`swa_scheduler = SWALR(optimizer, …)`) whose `.step()` is called in the training
 * loop: the name, the optimizer as written (its first argument), the first such step. Null otherwise.
 */
function steppedInLoop(call: SyntaxNode, index: FileIndex): { variable: string; optimizer: string | null; step: SyntaxNode; range: Range } | null {
  const assignment = call.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id ? assignment.childForFieldName('left') : null;
  if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return null;
  const variable = target.text.replace(/\s+/g, '');
  const first = kids(call.childForFieldName('arguments') ?? call)[0];
  const optimizer = first && (first.type === 'identifier' || first.type === 'attribute') ? first.text.replace(/\s+/g, '') : null;
  const step = index.stepCallsOn(variable).find((st) => inTrainingLoop(st, index));
  return step ? { variable, optimizer, step, range: rangeOf(step) } : null;
}
