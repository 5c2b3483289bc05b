/**
 * Whole constructions' analyses kept across edits (DocumentSession `construction`): when nothing a construction's
 * analysis reads changed, the previous analysis object is the result again, so an edit redoes (and the worker
 * sends, workerCore.ts) only the constructions it changed. Correctness first: the key, with the evaluated call
 * itself (its ranges too; compared with the kept one, `sameData`), holds everything analyze.ts's `analyseCall`
 * reads but the text: the construction's
 * share of the program (`simulationKey`'s: the constructions on its optimizer and those they refer to, their
 * optimizers, the batches per epoch, the program's opaque constructions), the constructions that are off the
 * taken branch, the options and language, and the calls of the constructions it names (its optimizer's, its members',
 * its owner's: kind, variable, line, the unit its run steps it by, its owner). The text is read in two ways, each recorded as it happens: a rule that reads
 * it at all (lint's `textRead`) means the analysis is not kept; the lines whose suppression comments were read are
 * kept with it and compared before it is reused. No key (analysed every time): a callable without a key anywhere in
 * its input, a construction not evaluated, one stepped after another (its replay reads that one), a rule that threw.
 */
import { memberIndices, optimizerOf } from '../engine/build';
import { simulationKey, writeDown } from './incremental';
import type { AnalyzeOptions, FoundCall, FrontendResult } from './types';

/** What every construction's key shares in one analysis, computed once. */
export interface KeyContext {
  shared: string;
  /** The calls of each optimizer's constructions, in the frontend's order. */
  byOptimizer: Map<number, FoundCall[]>;
  /** The calls of each construction, in order. */
  byIndex: Map<number, FoundCall[]>;
}

export function keyContext(fe: FrontendResult, options: AnalyzeOptions, languageId: string): KeyContext | null {
  // What does not change a result: callbacks (the worker's `cancelled`, a clock) and the workspace's host.
  const { onRuleError: _onRuleError, workspace: _workspace, cancelled: _cancelled, clock: _clock, ...plain } = options;
  const off = fe.calls.flatMap((c) => (c.branch && !c.branch.taken && c.schedulerIndex !== null ? [c.schedulerIndex] : []));
  // The program's opaque constructions and batches per epoch are in each construction's share (simulationKey).
  const shared = writeDown({ languageId, options: plain, off });
  if (shared === null) return null;
  const byOptimizer = new Map<number, FoundCall[]>();
  const byIndex = new Map<number, FoundCall[]>();
  const add = <K>(m: Map<K, FoundCall[]>, k: K, c: FoundCall) => {
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  for (const c of fe.calls) {
    const i = c.schedulerIndex;
    if (i === null) continue;
    add(byIndex, i, c);
    const own = fe.program.schedulers[i]?.optimizer ?? null;
    const via = optimizerOf(fe.program, i);
    if (own !== null) add(byOptimizer, own, c);
    if (via !== null && via !== own) add(byOptimizer, via, c);
  }
  return { shared, byOptimizer, byIndex };
}

/** The key of `call`'s whole analysis, or null when it is analysed every time (see the file's comment). */
export function constructionKey(call: FoundCall, fe: FrontendResult, ctx: KeyContext): string | null {
  const index = call.schedulerIndex;
  if (index === null || call.stepping?.after) return null;
  const share = simulationKey(fe.program, index, 0);
  if (share === null) return null;
  const named = new Set<FoundCall>();
  const own = fe.program.schedulers[index]?.optimizer ?? null;
  const via = optimizerOf(fe.program, index);
  for (const o of [own, via]) if (o !== null) for (const c of ctx.byOptimizer.get(o) ?? []) named.add(c);
  for (const m of [...memberIndices(fe.program, index), ...(call.memberOf !== null ? [call.memberOf] : [])]) {
    for (const c of ctx.byIndex.get(m) ?? []) named.add(c);
  }
  // Their run's unit too: a later construction on the optimizer that the run steps is left out of this one's replay
  // (analyze.ts withoutSteppedLater), one no longer stepped (an edit broke its `step()`) is in it again.
  const calls = [...named].map((c) => [c.schedulerIndex, c.kind, c.variable, c.range.start.line, c.range.start.character, c.run?.unit ?? null, c.memberOf]);
  // The call itself is compared with the kept one (sameData), not written down here.
  const written = writeDown({ calls, at: [call.kind, call.range, call.calleeRange] });
  return written === null ? null : `${ctx.shared}\n${share}\n${written}`;
}
