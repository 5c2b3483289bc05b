/**
 * The TypeScript / JavaScript frontend: finds scheduler and optimizer
 * constructions in a TS, TSX or JS file, evaluates their arguments statically
 * (nothing is executed) and builds the engine's Program.
 *
 * Pipeline: discover (syntactic sweep for candidate calls) → convert (tree-sitter
 * → plain IR) → evaluate (module, then function and class bodies; constructions
 * recorded by the Recorder as they are met) → calls the evaluator never reached
 * are evaluated on their own in the module scope → calls sorted by position.
 * Never throws; the operation budget bounds the work (the clock only as a far safety net).
 */
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import { isSchedulerKind, SCHEDULER_KINDS } from '../../engine/signatures';
import type { Diagnostic, FrontendResult } from '../../analysis/types';
import { safetyNet, stopNote, stopReasonText, type Clock, type StopReason } from './budget';
import type { ConstructionRecorder } from '../contract';
import { Recorder, spanKey } from './construct';
import { Converter } from './convert';
import { discover, type Candidate } from './discover';
import { Env } from './env';
import { Evaluator, Stop, type CallExpr } from './evaluate';
import type { Stmt } from './ir';
import { Positions } from '../positions';

export interface TypeScriptOptions {
  /** Expected time of the analysis in ms (default 2000); only 10× it stops the analysis ("timed out"). */
  timeBudgetMs?: number;
  /** Operations of the whole analysis (default 20M); where it stops, on any machine. */
  maxOps?: number;
  /** The clock of the safety net (default `Date.now`; tests inject a fake one). */
  now?: Clock;
  /** A newer edit superseded this analysis (AnalyzeOptions.cancelled): stop with the safety net's next look at the clock. */
  cancelled?: () => boolean;
}

const DEFAULT_BUDGET_MS = 2000;
/** Operations of the whole analysis (about a second of evaluation). */
const MAX_OPS = 20_000_000;
/** Extra operations for calls the main pass never reached, and their expected time (safety net: 10×). */
const ORPHAN_OPS = 2_000_000;
const ORPHAN_BUDGET_MS = 200;

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Analyses one TS/TSX/JS file (tree from `parseWith(await loadParser('typescript' | 'tsx' | 'javascript'), text)`),
 * recording constructions with `shared`.
 */
export function analyzeTypeScript(tree: Tree, text: string, shared: ConstructionRecorder, opts: TypeScriptOptions = {}): FrontendResult {
  const result: FrontendResult = { program: { optimizers: [], schedulers: [] }, calls: [], diagnostics: [] };
  // Most files of a workspace never mention a scheduler: nothing to find, no work.
  if (!SCHEDULER_KINDS.some((k) => text.includes(k))) return result;
  let ev: Evaluator | null = null;
  try {
    const budgetMs = opts.timeBudgetMs ?? DEFAULT_BUDGET_MS;
    const maxOps = opts.maxOps ?? MAX_OPS;
    const net = safetyNet(budgetMs, opts.now);
    const cancelled = opts.cancelled;
    const timedOut = cancelled ? () => net() || cancelled() : net;
    const pos = new Positions(text);
    const candidates = discover(tree);
    const rec = new Recorder(text, pos, shared);
    ev = new Evaluator(text, { maxOps, timedOut }, rec, candidates.map((c) => c.s));
    rec.ev = ev;
    const conv = new Converter(timedOut);
    const body = conv.statements(tree.rootNode);
    const module = new Env(null, 'module', true);
    bindImports(body, module);

    let stopped: StopReason | 'depth' | null = conv.expired ? 'time' : null;
    try {
      ev.analyseProgram(body, module);
    } catch (e) {
      if (!(e instanceof Stop || e instanceof RangeError)) throw e;
      stopped = e instanceof Stop ? e.reason : 'depth';
      if (e instanceof RangeError) result.diagnostics.push(note('LR Lens stopped evaluating this file: it is nested too deeply.'));
    }
    if (stopped && stopped !== 'depth') result.diagnostics.push(note(stopNote(stopped, maxOps, budgetMs)));
    orphans(candidates, rec, ev, module, stopped, opts.now);

    result.program = shared.program;
    result.calls = [...shared.calls].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  } catch (e) {
    // A bug of ours must not take the editor down: report it and keep what was found.
    const what = e instanceof Error ? e.message : (e as object | null)?.constructor?.name ?? String(e);
    result.diagnostics.push(note(`LR Lens could not analyse this file (internal error: ${what}).`));
  } finally {
    // From here on only the engine calls user functions, each with its own operation budget.
    ev?.finishAnalysis();
  }
  return result;
}

/** `import { StepLR as S } from 'x'` binds S to an external reference named StepLR (hoisted, as in JS). */
function bindImports(body: Stmt[], env: Env): void {
  for (const s of body) {
    if (s.t !== 'import') continue;
    for (const b of s.bindings) {
      const name = b.imported === 'default' || b.imported === '*' ? b.local : b.imported;
      env.vars.set(b.local, { k: 'ext', name, path: b.local, from: s.source, s: s.s, e: s.e });
    }
  }
}

/**
 * Scheduler calls the evaluator did not reach (inside a syntax error, nested too deeply,
 * after the budget): evaluated alone in the module scope with a small budget of their own,
 * or reported with unevaluated arguments when even that is not possible.
 */
function orphans(cands: Candidate[], rec: Recorder, ev: Evaluator, module: Env, stopped: StopReason | 'depth' | null, now?: Clock): void {
  const missed = cands.filter((c) => !rec.reached.has(spanKey(c)));
  if (!missed.length) return;
  const timedOut = safetyNet(ORPHAN_BUDGET_MS, now);
  ev.setLimits({ maxOps: ev.opsUsed() + ORPHAN_OPS, timedOut });
  const conv = new Converter(timedOut);
  const DEEP = 'LR Lens stopped evaluating this file (nested too deeply)';
  let spent: string | null = null;
  for (const c of missed) {
    const bound = module.lookup(c.name);
    const kind = bound?.k === 'ext' ? bound.name : bound === undefined ? c.name : null;
    if (!kind || !isSchedulerKind(kind)) continue;
    const e = conv.expr(c.node);
    if (e.t !== 'call') continue;
    if (!ev.varNames.has(e)) {
      const v = syntacticVariable(c.node) ?? textualVariable(ev.src, c.s);
      if (v) ev.varNames.set(e, v);
    }
    const why = stopped === 'depth' ? DEEP : stopped ? stopReasonText(stopped) : null;
    if (!spent) {
      try {
        rec.scheduler(e as CallExpr, kind, module, why, bound?.k === 'ext' ? bound.from : null);
        continue;
      } catch (err) {
        if (!(err instanceof Stop || err instanceof RangeError)) throw err;
        spent = err instanceof Stop ? stopReasonText(err.reason) : DEEP;
      }
    }
    rec.unevaluated(e as CallExpr, kind, why ?? spent ?? DEEP);
  }
}

/** `const s = new StepLR(…)` / `this.s = …` / `s = …`, read from the syntax tree. */
function syntacticVariable(call: Node): string | null {
  let child = call;
  let p = call.parent;
  while (p && ['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'await_expression'].includes(p.type)) {
    child = p;
    p = p.parent;
  }
  if (!p) return null;
  if (p.type === 'variable_declarator' && p.childForFieldName('value')?.equals(child)) {
    const n = p.childForFieldName('name');
    return n?.type === 'identifier' ? n.text : null;
  }
  if (p.type === 'assignment_expression' && p.childForFieldName('right')?.equals(child)) {
    const l = p.childForFieldName('left');
    return l && (l.type === 'identifier' || l.type === 'member_expression') ? l.text.replace(/\s+/g, '') : null;
  }
  return null;
}

/**
 * `const s = ` / `this.s = ` written just before the call on its line: for calls inside
 * error-recovered syntax, where the tree does not show the declaration.
 */
function textualVariable(src: string, start: number): string | null {
  const lineStart = src.lastIndexOf('\n', start - 1) + 1;
  const m = /(?:^|[;{}\s])(?:(?:const|let|var)\s+([A-Za-z_$][\w$]*)|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*))\s*(?::[^=]*)?=\s*$/
    .exec(src.slice(lineStart, start));
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function note(message: string): Diagnostic {
  return { severity: 'information', code: 'LR000', message, range: ZERO };
}
