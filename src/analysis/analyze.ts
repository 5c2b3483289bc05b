/**
 * The pipeline: text → tree → frontend (find + evaluate) → engine (simulate) → lint.
 * One call per document version; everything it returns is plain data.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import { defaultHorizon, simulate, summarize } from '../engine';
import { isOwnLimit, NO_RULE, type Arg, type CurveSummary, type Program, type SimulateOptions, type SimulationResult, type TorchFailure } from '../engine/types';
import { grammarFor, loadParser, parseIncrementally } from '../frontends/parser';
import { analyzePython } from '../frontends/python';
import { analyzeTypeScript } from '../frontends/typescript';
import { assume, assumptionText, keepsLrWhenBuilt, lrWrittenAssumed, ofMember, readsGroupLr, startLrAssumed, uniqueAssumptions } from './assumptions';
import { memberIndices, optimizerOf } from '../engine/build';
import { containsRange } from './ranges';
import { Recorder } from './recorder';
import { MAX_ROUNDS, WorkspaceSession } from './workspace';
import { epochArgsOf, formatCount, lastEpochSet, runOf, runSteps, stateLoads, withRuns, type RunInfo } from './run';
import { lintCall, applySuppressions, applyRuleSettings, describeRuleError, failureDiagnostic } from '../lint';
import { sourceOf } from '../lint/source';
import { constructionKey, keyContext, type KeyContext } from './kept';
import type {
  AnalysisResult, AnalyzeOptions, Curve, Diagnostic, FoundCall, FrontendResult, Range, RuleError, SchedulerAnalysis, StepUnitName,
} from './types';
import { bindVersionNote, FAMILY_SIGNATURES, isFamilyKind, stepUnit } from '../engine/families/signatures';
import { familyAssumption, isFamilyConstruction } from '../engine/families/program';
import { ASSUMED_STEPS_PER_EPOCH } from '../engine/families/trainer';
import { sameData, simulationKey, type DocumentSession, type KeptSimulation } from './incremental';

export const DEFAULT_MAX_STEPS = 10_000_000;
export const DEFAULT_ASSUMED_LR = 0.1;
export const DEFAULT_ASSUMED_STEPS_PER_EPOCH = ASSUMED_STEPS_PER_EPOCH;

/** Bench only (bench/pipeline.ts): when set, analyze() adds the milliseconds of its phases after the frontend to it. */
let phaseTimes: Record<string, number> | null = null;
export function timePhases(into: Record<string, number> | null): void {
  phaseTimes = into;
}
function timed<T>(phase: string, f: () => T): T {
  if (!phaseTimes) return f();
  const t = performanceNow();
  try {
    return f();
  } finally {
    phaseTimes[phase] = (phaseTimes[phase] ?? 0) + performanceNow() - t;
  }
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Analyses one document. Never throws: every problem is reported in the result. With the document's `session`
 * (one per document, kept by the caller between its analyses) the parse reuses the previous tree and a
 * construction whose engine input did not change is not simulated again; the result is the same.
 */
export async function analyze(text: string, languageId: string, options: AnalyzeOptions = {}, session?: DocumentSession): Promise<AnalysisResult> {
  const result: AnalysisResult = { languageId, schedulers: [], diagnostics: [], timing: { parse: 0, evaluate: 0, simulate: 0 } };
  const now = options.clock ?? performanceNow;
  const grammar = grammarFor(languageId);
  if (!grammar) return result;

  let tree: Tree | null = null;
  try {
    const t0 = now();
    const parser = await loadParser(grammar);
    // Synchronously after the await: a concurrent analysis of the same document cannot take the tree in between.
    tree = parseIncrementally(parser, text, session?.takeTree(grammar) ?? null);
    result.timing.parse = now() - t0;
    if (!tree) {
      result.diagnostics.push(note('LR Lens could not parse this file within its time budget; no schedules are shown.'));
      return result;
    }
    const t1 = now();
    const opts = { timeBudgetMs: options.timeBudgetMs, assumedStepsPerEpoch: options.assumedStepsPerEpoch ?? DEFAULT_ASSUMED_STEPS_PER_EPOCH, ...(session ? { frozen: session.python } : {}), ...(options.cancelled ? { cancelled: options.cancelled } : {}) };
    let fe: FrontendResult;
    if (grammar === 'python' && options.workspace) {
      // The repository's modules and config files: read beforehand, then evaluated (see workspace.ts).
      const files = new WorkspaceSession(options.workspace, parser);
      await files.prefetch(tree.rootNode);
      await files.findCallers(tree.rootNode);
      for (let round = 1; ; round++) {
        fe = analyzePython(tree, text, new Recorder(options.assumedLr ?? DEFAULT_ASSUMED_LR), { ...opts, files });
        if (round >= MAX_ROUNDS || options.cancelled?.() || !(await files.readWanted())) break;
      }
      result.dependencies = [...files.used].sort();
    } else {
      const recorder = new Recorder(options.assumedLr ?? DEFAULT_ASSUMED_LR);
      fe = grammar === 'python' ? analyzePython(tree, text, recorder, opts) : analyzeTypeScript(tree, text, recorder, opts);
    }
    result.timing.evaluate = now() - t1;
    result.diagnostics.push(...fe.diagnostics);

    const t2 = now();
    withRuns(fe.calls);
    // One setting for every length that comes from epochs: the loops' (runSteps) and a Trainer's (the engine reads it here).
    fe.program.assumedStepsPerEpoch = options.assumedStepsPerEpoch ?? DEFAULT_ASSUMED_STEPS_PER_EPOCH;
    session?.beginSimulations();
    const keys = session ? keyContext(fe, options, languageId) : null;
    for (const call of fe.calls) {
      // Superseded: the result is dropped, so the rest is not worth doing.
      if (options.cancelled?.()) break;
      if (memberAtItsComposite(call, fe)) continue;
      result.schedulers.push(keptOrAnalysed(call, fe, text, languageId, options, session, keys));
    }
    // A stopped analysis keeps nothing: the previous one's simulations serve the next.
    if (options.cancelled?.()) session?.abandonSimulations();
    else session?.endSimulations();
    result.timing.simulate = now() - t2;
    result.diagnostics = applyRuleSettings(applySuppressions(result.diagnostics, text), options.rules);
  } catch (e) {
    if (options.strict) throw e;
    // A bug of ours must not take the editor down: say so plainly and show nothing.
    result.schedulers = [];
    result.diagnostics.push(note(`LR Lens failed on this file (internal error: ${(e as Error)?.message ?? String(e)}).`));
  } finally {
    if (tree && session) session.keepTree(grammar, text, tree);
    else tree?.delete();
  }
  return result;
}

/**
 * A member of a SequentialLR / ChainedScheduler that an imported factory builds with it (`FoundCall.elsewhere`): both
 * are previewed at this file's one call, where the composite's curve is the one that runs; the member is not listed
 * again there (in the factory's own file each is shown at its construction).
 */
function memberAtItsComposite(call: FoundCall, fe: FrontendResult): boolean {
  if (!call.elsewhere || call.memberOf === null) return false;
  const owner = fe.calls.find((c) => c.schedulerIndex === call.memberOf);
  return !!owner && containsRange(owner.range, call.range) && containsRange(call.range, owner.range);
}

/** What analysing one construction read beyond its key (kept.ts): the text by lint, lines by suppressions, simulations, a rule that threw. */
interface Reads {
  textRead: { read: boolean };
  lines: [number, string][];
  simulations: string[];
  threw: boolean;
}

/** The analysis of `call`: the session's kept one when nothing it reads changed (kept.ts), else analysed (and kept). */
function keptOrAnalysed(call: FoundCall, fe: FrontendResult, text: string, languageId: string, options: AnalyzeOptions, session: DocumentSession | undefined, keys: KeyContext | null): SchedulerAnalysis {
  if (!session || !keys) return analyseCall(call, fe, text, languageId, options, session);
  const key = timed('construction key', () => constructionKey(call, fe, keys));
  const counts = session.constructionCounts;
  if (key === null) counts.unkeyed++;
  const kept = key === null ? undefined : session.construction(key);
  if (key !== null && !kept) counts.miss++;
  if (kept && key !== null) {
    const src = sourceOf(text);
    if (timed('construction compare', () => sameData(kept.call, call)) && kept.lines.every(([line, was]) => src.lineText(line) === was)) {
      counts.hit++;
      session.keepConstruction(key, kept, true);
      return kept.analysis;
    }
    counts.stale++;
  }
  const reads: Reads = { textRead: { read: false }, lines: [], simulations: [], threw: false };
  const a = analyseCall(call, fe, text, languageId, options, session, reads);
  if (key !== null && !reads.textRead.read && !reads.threw) session.keepConstruction(key, { analysis: a, call, lines: reads.lines, simulations: reads.simulations }, false);
  return a;
}

function analyseCall(call: FoundCall, fe: FrontendResult, text: string, languageId: string, options: AnalyzeOptions, session?: DocumentSession, reads?: Reads): SchedulerAnalysis {
  const id = `${call.kind}:${call.range.start.line}:${call.range.start.character}`;
  const a: SchedulerAnalysis = {
    id,
    kind: call.kind,
    family: call.family,
    unit: unitOf(call, fe.program),
    variable: call.variable,
    range: call.range,
    calleeRange: call.calleeRange,
    args: argsToJson(call.args),
    argInfo: call.argInfo,
    optimizer: call.optimizer,
    horizon: { steps: 0, source: '' },
    curve: null,
    error: null,
    failure: null,
    diagnostics: [],
    // The optimizer's notes that are not assumptions (those are in `assumed`, labelled by every view).
    notes: [...(call.branch ? [call.branch.note] : []), ...otherNotes(call)],
    assumed: call.assumed,
    run: call.run ?? runOf([], [], languageId === 'python' ? null : 'loop analysis covers Python files only'),
  };
  if (!call.run && languageId !== 'python') a.run = { ...a.run!, unit: 'unknown', reason: 'loop analysis covers Python files only', source: 'loop analysis covers Python files only' };
  const wanted = !options.curvesFor || options.curvesFor.includes(id);
  let sim: SimulationResult | null = null;

  // A construction inside a function called more than once: the other calls' schedulers are not previewed.
  a.notes.push(...(call.builtAgain ?? []), ...(call.notes ?? []));
  if (call.bindFailure) {
    a.failure = call.bindFailure;
    const version = bindVersionNote(call.kind, call.bindFailure);
    a.error = `${call.bindFailure.type}: ${call.bindFailure.message}${version ? ` — ${version}` : ''}`;
  } else if (call.schedulerIndex === null) {
    a.error = call.unknownReason ?? 'the arguments cannot be evaluated statically';
  } else if (call.kind === 'ReduceLROnPlateau') {
    a.explanation = 'ReduceLROnPlateau lowers the lr when a monitored metric stops improving, so its curve depends on ' +
      'values known only while training; no schedule can be drawn from the source.';
    a.error = 'metric-driven: the curve depends on run-time metric values';
    sim = simulateSafely(fe.program, call.schedulerIndex, 2, call, options, undefined, session, undefined, reads);
    a.failure = sim.error;
  } else {
    // A steps_per_epoch that is itself LR Lens's assumption (`len(train_loader)`) is not the user's word for the loader's length.
    const statedAssumed = a.assumed.some((x) => x.param === 'steps_per_epoch');
    const h = timed('horizon', () => horizonFor(fe.program, call.schedulerIndex!, options, call.memberOf === null ? a.run : undefined, statedAssumed));
    const { argumentSource: _argumentSource, ...shown } = h;
    a.horizon = shown;
    const construction = fe.program.schedulers[call.schedulerIndex];
    // A Trainer's length from epochs rests on LR Lens's assumed batches per epoch: labelled like every assumption.
    const assumed = construction && isFamilyConstruction(construction) ? familyAssumption(fe.program, construction) : null;
    if (assumed) a.assumed = [...a.assumed, assume('batches per epoch', assumed.stepsPerEpoch, assumed.why, { placeholder: true })];
    if (h.clamped) a.notes.push(`horizon clamped to ${formatCount(h.steps)} steps`);
    if (h.assumed) a.notes.push(h.assumed);
    // The run length's assumed batches per epoch is a value like any other: listed with the curve's assumptions.
    if (h.assumedStepsPerEpoch !== undefined) {
      a.assumed = [...(a.assumed ?? []), { what: 'batches per epoch', value: h.assumedStepsPerEpoch, why: h.assumed ?? 'the loop\'s length is not known' }];
    }
    // The run steps it but its length is not known: the preview's length is LR Lens's choice, labelled as such.
    // (A Trainer's own length from its epochs is labelled as such above.)
    const unsized = assumed ? null : previewLengthAssumed(a.run, h, options, call.memberOf === null);
    if (unsized) {
      a.run = { ...a.run!, assumed: [...a.run!.assumed, unsized.why] };
      a.assumed = [...a.assumed, assume('run length', h.steps - 1, unsized.why, { placeholder: true })];
    }
    for (const x of a.run?.assumed ?? []) a.notes.push(`run length: ${x}`);
    // The JSON's `run` says it too: its length rests on the assumed batches per epoch (the notes already say why).
    if (a.run && h.assumedStepsPerEpoch !== undefined && h.assumed && !a.run.assumed.includes(h.assumed)) a.run = { ...a.run, assumed: [...a.run.assumed, h.assumed] };
    // A member of a SequentialLR / ChainedScheduler is shown on its own: replayed with the
    // rest of the program it would run on the lr its siblings left behind, which is not the
    // curve anyone reads that line for. The composite's own entry shows the real sequence.
    const owner = call.memberOf !== null ? fe.calls.find((c) => c.schedulerIndex === call.memberOf) : undefined;
    const base = owner ? [call.schedulerIndex] : withoutBuiltAfter(fe, call, withoutOffPath(fe, call));
    const stepped = owner ? null : withoutSteppedLater(fe, call, base);
    const include = stepped ? stepped.include : base;
    if (stepped) a.notes.push(stepped.note);
    if (owner) a.notes.push(`shown on its own; inside ${owner.kind}${owner.variable ? ` (${owner.variable})` : ''} it runs as part of that sequence`);
    if (wanted) {
      // `scheduler.step(epoch)` in the loop: each call's argument (torch's closed form), or a label that it is not modelled.
      // timm's schedulers read their schedule at the argument too (timm/scheduler/scheduler.py: `step(epoch)`, `step_update(num_updates)`).
      const timmArgs = !!construction && isFamilyConstruction(construction) && FAMILY_SIGNATURES[construction.kind].stepping === 'timm';
      const ep = !owner && construction && (!isFamilyConstruction(construction) || timmArgs) ? epochArgsOf(a.run, timmArgs) : { values: null, why: null };
      const after = !owner && construction && !isFamilyConstruction(construction) ? afterOther(fe, call) : null;
      // `scheduler.last_epoch = k` between the construction and the loop (Ultralytics, hand-written resumes): applied, or labelled.
      const set = !owner && construction && !isFamilyConstruction(construction) ? lastEpochSet(call) : null;
      sim = simulateSafely(fe.program, call.schedulerIndex, h.steps, call, options, include, session, { epochs: ep.values ?? undefined, before: after?.before ?? undefined, lastEpoch: set && 'value' in set ? set.value : undefined }, reads);
      if (set && 'value' in set && sim.lastEpoch === 'applied') {
        a.notes.push(`${set.where} sets the scheduler's counter to ${set.value} before the first step(): each value is the lr after torch's step() counts on from there`);
        if (set.assumed) a.assumed = [...a.assumed, assume('last_epoch', set.value, set.assumed)];
      } else if (set) {
        const why = `${'why' in set ? set.why : `${set.where}: not followed for ${call.kind}`}; the curve counts step() calls from the construction`;
        a.assumed = [...a.assumed, assume('last_epoch', 'as constructed', why, { placeholder: true })];
      }
      // `scheduler.load_state_dict(…)`: the counter and lrs come from a checkpoint LR Lens does not read.
      const loads = !owner && construction ? stateLoads(call) : [];
      if (loads.length && !a.assumed.some((x) => x.what === 'last_epoch')) {
        const l = loads.find((x) => !x.offPath) ?? loads[0]!;
        const where = `\`${l.text}\` (line ${l.line})`;
        a.assumed = [...a.assumed, assume('state', 'as constructed', l.offPath
          ? `${where} restores the scheduler from a checkpoint, ${l.offPath}; the curve is the run without it`
          : `${where}${l.where ? `, ${l.where},` : ''} ${l.where ? 'may restore' : 'restores'} the scheduler's counter and lrs from a checkpoint LR Lens does not read; the curve counts step() calls from the construction`, { placeholder: true })];
      }
      // Built again on every pass of a loop around its step() calls: the run is one scheduler's; later ones may start lower.
      const again = !owner && construction && !isFamilyConstruction(construction) ? a.run?.sites?.find((x) => x.rebuilt)?.rebuilt : undefined;
      // The optimizer built in the same loop (k-fold): each pass starts from its lr whatever the kind.
      const fresh = again && call.optimizer?.range ? containsRange(again.range, call.optimizer.range) : false;
      if (again && (fresh || (!readsGroupLr(call.kind) && SETS_ITS_OWN_START.has(call.kind)))) {
        a.notes.push(`built again on every pass of ${again.header}${fresh ? ' with its optimizer' : ''}: each ${call.kind} draws this curve anew`);
      } else if (again) {
        a.assumed = [...a.assumed, assume('start lr', 'the optimizer\'s lr', `built again on every pass of ${again.header}: the curve is the first scheduler's; torch may start each later ${call.kind} from the lr the one before left`, { placeholder: true })];
      }
      // The optimizer's lr written by hand before the run (outside loops): torch runs on it; LR Lens did not evaluate it.
      const written = !owner && construction && !isFamilyConstruction(construction) ? lrWrittenAssumed(call.kind, call.stepping?.writesBeforeRun ?? []) : null;
      if (written) {
        const prior = a.assumed.find((x) => x.what === 'start lr');
        a.assumed = prior ? a.assumed.map((x) => (x === prior ? { ...x, why: `${x.why}; ${written.why}` } : x)) : [...a.assumed, written];
      }
      if (after) {
        if (after.before && sim.before === 'applied') {
          const said = `runs after ${after.what} on the same optimizer: torch steps it from the lr that one leaves after its ${formatCount(after.before[0]!.calls)} step() calls (value 0)`;
          a.notes.push(said);
          if (a.run) a.run = { ...a.run, after: said, ...(after.assumed.length ? { assumed: [...new Set([...a.run.assumed, ...after.assumed])] } : {}) };
        } else {
          const why = after.before && sim.before && sim.before !== 'applied' ? sim.before.reason : after.why;
          const said = assume('start lr', 'its construction\'s', `stepped ${call.stepping?.after?.interleaved ? 'in turns with' : 'after'} ${after.what} on the same optimizer: the curve shows it alone, from the lr at its construction (${why})`, { placeholder: true });
          // One `start lr`: a construction-time one (an earlier construction not evaluated) says this too.
          const prior = a.assumed.find((x) => x.what === 'start lr');
          a.assumed = prior ? a.assumed.map((x) => (x === prior ? { ...x, why: `${x.why}; ${said.why}` } : x)) : [...a.assumed, said];
        }
      }
      // An earlier construction on its optimizer whose own first step LR Lens could not evaluate (an lr_lambda
      // calling unseen code): the lr it leaves is not known (Program.opaque's counterpart found by the engine).
      const stuck = construction && !owner ? earlierUnevaluated(fe, call, sim.otherFailures) : null;
      // A ChainedScheduler's first value is the lr its members' constructions leave: theirs (named by the member).
      const readers = construction?.kind === 'ChainedScheduler'
        ? memberIndices(fe.program, call.schedulerIndex).flatMap((m) => {
          const c = fe.program.schedulers[m];
          const name = fe.calls.find((x) => x.schedulerIndex === m)?.variable ?? c?.kind;
          return c && name ? [{ c, name }] : [];
        })
        : construction ? [{ c: construction, name: null }] : [];
      for (const r of stuck ? readers : []) {
        const start = startLrAssumed(r.c.kind, r.c.args, stuck!.name, stuck!.why);
        if (start) {
          a.assumed = uniqueAssumptions([...a.assumed, r.name ? ofMember(start, r.name) : start]);
          break;
        }
      }
      const why = ep.why ?? (sim.epochArgs === 'ignored' ? `\`${a.run!.epochArgs!.text}\`: ${call.kind} is not stepped with an epoch here; the curve shows plain step() calls` : null);
      if (why) a.assumed = [...a.assumed, timmArgs ? assume('step argument', 'the count of calls', why, { placeholder: true }) : assume('step(epoch)', 'step()', why, { placeholder: true })];
      else if (sim.epochArgs === 'applied' && a.run?.epochArgs) {
        const past = ep.values && h.steps - 1 > ep.values.length ? `; past its ${formatCount(ep.values.length)} calls, plain step()` : '';
        a.notes.push(timmArgs
          ? `each value is the lr after \`${a.run.epochArgs.text}\` with the loop's values (timm reads its schedule at the argument)${ep.values && h.steps - 1 > ep.values.length ? `; past its ${formatCount(ep.values.length)} calls, unchanged` : ''}`
          : `each value is the lr after \`${a.run.epochArgs.text}\` with the loop's values (torch sets last_epoch to the argument)${past}`);
        if ('assumed' in a.run.epochArgs) a.run = { ...a.run, assumed: [...new Set([...a.run.assumed, ...a.run.epochArgs.assumed])] };
      }
      // The run's own length made torch's OneCycleLR overrun happen: LR172 (the loop), not LR106 (the arguments).
      if (sim.error && h.fromRun && sim.error.rule === 'LR106') sim.error = { ...sim.error, rule: 'LR172' };
      a.failure = sim.error;
      if (sim.unit) a.unit = torchSteppedPerEpoch(call) ? 'epoch' : sim.unit;
      if (kerasPerEpoch(call)) a.notes.push('Keras\' LearningRateScheduler calls it once per epoch, at the epoch\'s start, with the epoch index: each value is one epoch\'s lr (the optimizer\'s own lr is replaced)');
      if (sim.lrs && sim.lrs.length && sim.lrs[0]!.length) {
        a.curve = toCurve(sim, session && keptOf.get(sim));
        const arg = h.argumentSteps;
        if (arg !== undefined && arg - 1 < h.steps - 1 && arg >= 2) {
          a.curve.markers.push({ step: arg - 1, kind: 'phase', label: `end of the schedule its arguments imply (${h.argumentSource ?? 'arguments'})` });
        }
      }
      if (sim.error) {
        const f = sim.error;
        a.error = f.phase === 'construct'
          ? `${f.type}: ${f.message}`
          : `${f.type} at step ${f.step}: ${f.message}`;
        if (f.phase === 'construct') a.curve = null;
      }
    }
  }

  if (a.failure) {
    const d = failureDiagnostic(call, a.failure);
    // An overrun found on a run length that rests on an assumption (batches per epoch, an argparse default): worth knowing, not an error.
    const assumed = a.horizon.assumed ?? a.run?.assumed[0];
    if (a.failure.rule === 'LR172' && assumed && d.severity === 'error') {
      d.severity = 'information';
      d.message += ` — with ${assumed}`;
    }
    a.diagnostics.push(d);
  }
  // Kept across edits (reads): a rule that threw is reported again next time, as it would be analysed again.
  const onRuleError = reads ? (e: RuleError) => {
    reads.threw = true;
    if (options.onRuleError) options.onRuleError(e);
    else console.error(describeRuleError(e));
  } : options.onRuleError;
  a.diagnostics.push(...timed('lint', () => lintCall({
    call, calls: fe.calls, program: fe.program, sim, horizon: a.horizon.steps, horizonFromRun: a.horizon.fromRun ?? false, ...(a.horizon.assumed ? { horizonAssumed: a.horizon.assumed } : {}), text, languageId, strict: options.strict, onRuleError,
    ...(reads ? { textRead: reads.textRead } : {}),
  })));
  const shown = atTheCall(call, a.diagnostics);
  // The suppression comments read: on the construction's first line and each diagnostic's.
  if (reads) {
    const src = sourceOf(text);
    reads.lines = [...new Set([call.range.start.line, ...shown.map((d) => d.range.start.line)])].map((l) => [l, src.lineText(l)]);
  }
  a.diagnostics = timed('suppressions', () => applyRuleSettings(applySuppressions(shown, text, call.range), options.rules));
  return a;
}

/**
 * A scheduler built by another call of its factory (`FoundCall.atCall`): what is wrong comes from that call's
 * values, so its diagnostics are shown at the call, without quick fixes (they would edit the factory, which
 * its first call uses as it is).
 */
function atTheCall(call: FoundCall, list: Diagnostic[]): Diagnostic[] {
  if (!call.atCall) return list;
  return list.map(({ fixes: _fixes, ...d }) => ({ ...d, range: call.range }));
}

/**
 * A scheduler torch runs after another on the same optimizer (`if epoch < warmup: warmup.step() else: main.step()`,
 * loops.ts `Stepping.after`): that one's step() calls in the run, to replay first; null calls when not known (why).
 */
function afterOther(fe: FrontendResult, call: FoundCall): { what: string; before: SimulateOptions['before'] | null; why: string; assumed: string[] } | null {
  const after = call.stepping?.after;
  if (!after) return null;
  const d = fe.calls.find((x) => x.range.start.line === after.range.start.line && x.range.start.character === after.range.start.character);
  const what = `${after.variable ? `\`${after.variable}\`` : 'another scheduler'} (line ${after.range.start.line + 1})`;
  const steps = d?.run?.steps ?? null;
  if (after.interleaved) return { what, before: null, why: `the passes of \`${after.interleaved}\` and of its \`else\` are not one run after the other`, assumed: [] };
  if (!d || d.schedulerIndex === null || steps === null || !Number.isSafeInteger(steps)) {
    return { what, before: null, why: d?.schedulerIndex === null ? 'its arguments are not known' : 'its number of step() calls is not known', assumed: [] };
  }
  return { what, before: [{ index: d.schedulerIndex, calls: steps }], why: '', assumed: d.run?.assumed ?? [] };
}

/**
 * A transformers / diffusers / katsura / pl_bolts schedule is a torch LRScheduler: one value per `step()` call,
 * which is an epoch when the loop (or Lightning's interval "epoch") steps it once per epoch, whatever the family
 * means its lengths to count.
 */
function torchSteppedPerEpoch(call: FoundCall): boolean {
  return (isFamilyKind(call.kind) && FAMILY_SIGNATURES[call.kind].stepping === 'torch' && call.run?.unit === 'epoch') || kerasPerEpoch(call);
}

/**
 * A Keras schedule handed to Keras' `LearningRateScheduler` callback (`callbacks=[LearningRateScheduler(cdr)]`):
 * the callback calls it at each epoch's start with the epoch index (`schedule(epoch)`, after `schedule(epoch, lr)`
 * raises TypeError) and sets the optimizer's lr to it, so its "steps" count epochs.
 */
function kerasPerEpoch(call: FoundCall): boolean {
  return isFamilyKind(call.kind) && FAMILY_SIGNATURES[call.kind].family === 'keras' && call.run?.unit === 'unknown' &&
    (call.givenTo ?? []).some((p) => KERAS_LR_SCHEDULER.has(p));
}

/** Keras' callback by its paths (Keras 3, and Keras 2 inside TensorFlow; `tf` is `tensorflow` once imported). */
const KERAS_LR_SCHEDULER: ReadonlySet<string> = new Set(['keras.callbacks.LearningRateScheduler', 'tensorflow.keras.callbacks.LearningRateScheduler', 'tf_keras.callbacks.LearningRateScheduler']);

/** What a value index is before simulating (timm's `t_in_epochs` is read by the simulation, which may refine it). */
function unitOf(call: FoundCall, program: Program): StepUnitName {
  if (!isFamilyKind(call.kind)) return 'step';
  if (torchSteppedPerEpoch(call)) return 'epoch';
  const t = call.args['t_in_epochs'];
  const c = call.schedulerIndex === null ? undefined : program.schedulers[call.schedulerIndex];
  return stepUnit(call.kind, !(c && t && t.kind === 'bool' && !t.value));
}

/**
 * The constructions replayed with `call`'s: a construction on a branch the assumed values do not take
 * runs on its own (with its members); the others run without those (undefined: the engine's default).
 */
/** The last construction before `call` on its optimizer that the engine built but could not evaluate (an own limit). */
function earlierUnevaluated(fe: FrontendResult, call: FoundCall, failures: SimulationResult['otherFailures']): { name: string; why: string } | null {
  const target = call.schedulerIndex;
  const opt = target !== null ? optimizerOf(fe.program, target) : null;
  if (target === null || opt === null) return null;
  let found: { name: string; why: string } | null = null;
  for (const f of failures) {
    if (f.index >= target || fe.program.schedulers[f.index]?.optimizer !== opt || !isOwnLimit(f.failure.type)) continue;
    const c = fe.calls.find((x) => x.schedulerIndex === f.index);
    if (c) found = { name: `${c.variable ? `\`${c.variable}\` = ` : ''}${c.kind} (line ${c.range.start.line + 1})`, why: f.failure.message };
  }
  return found;
}

/**
 * `include` (undefined: every construction on the scheduler's optimizer) less the constructions the file builds after
 * its run is over (`Stepping.builtAfterRun`): they change the lr only once its steps are done.
 */
function withoutBuiltAfter(fe: FrontendResult, call: FoundCall, include: number[] | undefined): number[] | undefined {
  const later = call.stepping?.builtAfterRun;
  if (!later?.length || call.schedulerIndex === null) return include;
  const opt = optimizerOf(fe.program, call.schedulerIndex);
  const all = include ?? (opt === null ? undefined : fe.program.schedulers.flatMap((_, i) => (i === call.schedulerIndex || optimizerOf(fe.program, i) === opt ? [i] : [])));
  return all?.filter((i) => !later.includes(i));
}

/**
 * `include` less the schedulers built after this one on its optimizer that the run steps too (torchvision's detection
 * `train_one_epoch`: a LinearLR warm-up built in the first epoch, stepped per batch, beside the MultiStepLR stepped per
 * epoch): their steps are not replayed with this one's, so their construction alone (LinearLR scales the lr by
 * `start_factor` until its own steps undo it) would put a change in this curve that the run undoes. This scheduler's
 * curve is its own, as for schedulers stepped side by side; the note says which were left out. Not the scheduler
 * stepped before this one on the other branch of an `if` (`run.after`: replayed), nor members of a composite (theirs).
 * Null when there is none.
 */
function withoutSteppedLater(fe: FrontendResult, call: FoundCall, include: number[] | undefined): { include: number[]; note: string } | null {
  const target = call.schedulerIndex;
  if (target === null || (include && include.length <= 1)) return null;
  const opt = optimizerOf(fe.program, target);
  if (opt === null) return null;
  const partner = afterOther(fe, call)?.before?.map((b) => b.index) ?? [];
  const all = include ?? fe.program.schedulers.flatMap((_, i) => (i === target || optimizerOf(fe.program, i) === opt ? [i] : []));
  const left = fe.calls.filter((c) => c.schedulerIndex !== null && c.schedulerIndex > target && c.memberOf === null && all.includes(c.schedulerIndex) &&
    !partner.includes(c.schedulerIndex) && optimizerOf(fe.program, c.schedulerIndex) === opt && c.run !== undefined && STEPPED.has(c.run.unit) &&
    !keepsLrWhenBuilt(c.kind));
  if (!left.length) return null;
  const out = new Set(left.map((c) => c.schedulerIndex!));
  for (const c of fe.calls) if (c.schedulerIndex !== null && c.memberOf !== null && out.has(c.memberOf)) out.add(c.schedulerIndex);
  const names = left.map((c) => `${c.variable ? `\`${c.variable}\` = ` : ''}${c.kind} (line ${c.range.start.line + 1})`);
  return {
    include: all.filter((i) => !out.has(i)),
    note: `${names.join(', ')}, built later on the same optimizer and stepped by the run too, ${left.length > 1 ? 'are' : 'is'} left out of this curve: it is this scheduler's own; while both step, torch's lr is the two together`,
  };
}

const STEPPED: ReadonlySet<string> = new Set(['batch', 'epoch', 'optimizer-step']);

function withoutOffPath(fe: FrontendResult, call: FoundCall): number[] | undefined {
  const off = new Set(fe.calls.filter((c) => c.branch && !c.branch.taken && c.schedulerIndex !== null).map((c) => c.schedulerIndex!));
  if (!off.size || call.schedulerIndex === null) return undefined;
  if (off.has(call.schedulerIndex)) return [];
  const opt = fe.program.schedulers[call.schedulerIndex]?.optimizer ?? null;
  if (opt === null) return undefined;
  return fe.program.schedulers.flatMap((s, i) => (s.optimizer === opt && !off.has(i) ? [i] : []));
}

function horizonFor(program: Program, index: number, options: AnalyzeOptions, run?: RunInfo, statedAssumed = false): SchedulerAnalysis['horizon'] & { argumentSource?: string } {
  const max = Math.max(2, Math.floor(options.maxSteps ?? DEFAULT_MAX_STEPS));
  let steps: number;
  let source: string;
  const extra: { fromRun?: boolean; argumentSteps?: number; assumed?: string; assumedStepsPerEpoch?: number; argumentSource?: string } = {};
  const stated = program.schedulers[index]?.args['steps_per_epoch'];
  const fromRun = run ? runSteps(run, options.assumedStepsPerEpoch ?? DEFAULT_ASSUMED_STEPS_PER_EPOCH, stated?.kind === 'int' && !statedAssumed ? stated.value : null) : null;
  if (options.steps !== undefined && Number.isFinite(options.steps) && options.steps >= 1) {
    steps = Math.floor(options.steps);
    source = 'requested';
  } else if (fromRun && run) {
    // The run's N step() calls: N + 1 values (the last call runs, even if its lr is never used).
    const arg = defaultHorizon(program, index);
    steps = fromRun.steps + 1;
    // Under a condition (`if epoch > warm:`) an epoch run makes fewer step() calls than it has epochs.
    const what = run.unit === 'epoch' ? (run.epochs !== null && run.epochs !== fromRun.steps ? 'step() calls' : 'epochs') : 'steps';
    source = `${formatCount(fromRun.steps)} ${what}, from ${fromRun.source}`;
    extra.fromRun = true;
    if (arg.steps !== steps) {
      extra.argumentSteps = arg.steps;
      extra.argumentSource = arg.source;
    }
    if (fromRun.assumed) extra.assumed = fromRun.assumed;
    if (fromRun.assumedStepsPerEpoch) extra.assumedStepsPerEpoch = fromRun.assumedStepsPerEpoch;
  } else {
    ({ steps, source } = defaultHorizon(program, index));
  }
  if (steps > max) return { steps: max, source, clamped: true, ...extra };
  return { steps, source, ...extra };
}

/** A run that steps the scheduler for a length not known: the preview's length (from the arguments or LR Lens's default), in words. */
function previewLengthAssumed(run: RunInfo | undefined, h: SchedulerAnalysis['horizon'], options: AnalyzeOptions, own: boolean): { why: string } | null {
  if (!run || !own || h.fromRun || options.steps !== undefined || run.unit === 'never' || run.unit === 'unknown') return null;
  const why = run.conditional ?? `the run's length is not known (${run.source})`;
  const from = h.source === 'default' ? 'LR Lens\'s default length' : `the length its arguments imply (${h.source})`;
  return { why: `${why}; the preview shows ${formatCount(h.steps - 1)} steps, ${from}` };
}

/** The simulation a result was copied from (its curve summary is kept with it). */
const keptOf = new WeakMap<SimulationResult, KeptSimulation>();

/**
 * `simulate`, or a copy of the session's simulation of the same input. The copy shares the value arrays (nothing
 * writes to them once simulated; what is derived from one is a function of its values) and has its own lists and
 * objects (the caller adds markers, re-labels the error; lint caches by the failure object).
 */
/**
 * torch 1.13's schedulers whose fresh construction on an optimizer they already ran on starts their curve over from the
 * same lr (LambdaLR and CosineAnnealingWarmRestarts from `initial_lr`, OneCycleLR and CyclicLR from their own arguments).
 */
const SETS_ITS_OWN_START = new Set(['LambdaLR', 'OneCycleLR', 'CyclicLR', 'CosineAnnealingWarmRestarts']);

/** What a run adds to the engine's input besides the program: `step(epoch)` arguments, schedulers stepped before, a `last_epoch` write. */
type RunInput = Pick<SimulateOptions, 'before' | 'lastEpoch'> & { epochs?: number[] };

function simulateSafely(program: Program, index: number, steps: number, call: FoundCall, options: AnalyzeOptions, include?: number[], session?: DocumentSession, run?: RunInput, reads?: Reads): SimulationResult {
  // `step(epoch)` arguments, schedulers stepped before and a `last_epoch` write are not part of the session's key: simulated afresh.
  if (run && (run.epochs || run.before || run.lastEpoch !== undefined)) return simulateUncached(program, index, steps, call, options, include, run);
  const key = session ? timed('simulation key', () => simulationKey(program, index, steps, include)) : null;
  const found = session?.simulation(key);
  if (session && key !== null) {
    reads?.simulations.push(key);
    const kept = found ?? { sim: simulateUncached(program, index, steps, call, options, include) };
    session.keepSimulation(key, kept);
    const s = kept.sim;
    const copy: SimulationResult = {
      ...s,
      lrs: s.lrs ? [...s.lrs] : null,
      momentum: s.momentum ? { ...s.momentum, values: [...s.momentum.values] } : null,
      // Fresh failure objects too: lint keys what it derives from a failure by the object (failureDiagnostic), and
      // that depends on the call's ranges, which an edit moves.
      error: s.error ? { ...s.error } : null,
      markers: s.markers.map((m) => ({ ...m })),
      otherFailures: s.otherFailures.map((f) => ({ ...f, failure: { ...f.failure } })),
    };
    keptOf.set(copy, kept);
    return copy;
  }
  return simulateUncached(program, index, steps, call, options, include);
}

function simulateUncached(program: Program, index: number, steps: number, call: FoundCall, options: AnalyzeOptions, include?: number[], run?: RunInput): SimulationResult {
  try {
    return timed('simulate', () => simulate(program, index, {
      steps, include, ...(run?.epochs ? { epochs: run.epochs } : {}), ...(run?.before ? { before: run.before } : {}), ...(run?.lastEpoch !== undefined ? { lastEpoch: run.lastEpoch } : {}),
    }));
  } catch (e) {
    if (options.strict) throw e;
    const failure: TorchFailure = {
      type: 'InternalError', message: `LR Lens could not simulate ${call.kind}: ${(e as Error)?.message ?? e}`, phase: 'construct', step: null, rule: NO_RULE,
    };
    return { lrs: null, momentum: null, error: failure, markers: [], otherFailures: [] };
  }
}

function toCurve(sim: SimulationResult, kept?: KeptSimulation): Curve {
  let summary: CurveSummary;
  if (kept) {
    kept.summary ??= timed('summaries', () => summarize(sim.lrs![0]!, sim.markers));
    summary = { ...kept.summary, peak: { ...kept.summary.peak }, min: { ...kept.summary.min }, restarts: [...kept.summary.restarts], milestones: [...kept.summary.milestones] };
  } else {
    summary = timed('summaries', () => summarize(sim.lrs![0]!, sim.markers));
  }
  return { lrs: sim.lrs!, momentum: sim.momentum, markers: sim.markers, summary };
}

/** Arg → JSON for the CLI and the webview: numbers, strings, lists; callables and objects as their display text. */
export function argToJson(a: Arg): unknown {
  switch (a.kind) {
    case 'int': case 'float': return Number.isFinite(a.value) ? a.value : String(a.value);
    case 'bool': case 'str': return a.value;
    case 'none': return null;
    case 'list': return a.items.map(argToJson);
    case 'dict': return Object.fromEntries(a.entries.map(([k, v]) => [k, argToJson(v)]));
    case 'func': return a.name;
    case 'scheduler': return `<scheduler #${a.index}>`;
    case 'optimizer': return `<optimizer #${a.index}>`;
    case 'object': return `<${a.typeName}>`;
  }
}

function argsToJson(args: Record<string, Arg>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (k !== 'optimizer') out[k] = argToJson(v);
  return out;
}

function otherNotes(call: FoundCall): string[] {
  const assumed = new Set((call.optimizer?.assumed ?? []).map(assumptionText));
  const origins = (call.optimizer?.origins ?? []).map((o) => `${call.optimizer?.variable ?? 'the optimizer'}: ${o}`);
  return [...(call.optimizer?.assumptions ?? []).filter((n) => !assumed.has(n)), ...origins];
}

function note(message: string): Diagnostic {
  return { severity: 'information', code: 'LR000', message, range: ZERO };
}

function performanceNow(): number {
  return performance.now();
}
