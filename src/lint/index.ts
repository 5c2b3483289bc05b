/**
 * Lint: the rule catalogue of docs/torch-schedulers.md §7 (LR001–LR160) applied to one construction.
 * Rules read evaluated arguments and the simulated curve and stay silent about arguments they
 * cannot evaluate. A rule that throws is a bug of ours: in strict mode (tests) it fails loudly;
 * otherwise it is skipped so that the others still report, and handed to `onRuleError`.
 *
 * A torch failure found by the simulation is reported once: `failureDiagnostic` gives it its
 * rule id and torch's exact text, and `lintCall` folds the matching rule's explanation and
 * quick fixes into that same diagnostic instead of reporting the rule a second time.
 */
import { isOwnLimit, NO_RULE, type TorchFailure } from '../engine/types';
import { bindVersionNote } from '../engine/families/signatures';
import { assumptionCondition } from '../analysis/assumptions';
import type { Assumption, Diagnostic, FoundCall, Range, RuleError, Severity } from '../analysis/types';
import { CATALOGUE } from './catalogue';
import { isStructural, RuleContext, type Finding, type LintInput } from './context';
import { ALL_RULES } from './rules';
import { ruleSettings, suppress } from './suppress';

export { CATALOGUE } from './catalogue';
export { applyEdits } from './source';

/** What lint needs about one construction (the type lives beside the rule context that consumes it). */
export type LintContext = LintInput;

/** The diagnostics of one construction (without the torch failure itself; see failureDiagnostic). */
export function lintCall(lc: LintContext): Diagnostic[] {
  let ctx: RuleContext;
  try {
    ctx = new RuleContext(lc);
  } catch (e) {
    ruleFailed(lc, [], e);
    return [];
  }
  for (const rule of ALL_RULES) {
    if (rule.kinds && !rule.kinds.includes(lc.call.kind)) continue;
    try {
      rule.check(ctx);
    } catch (e) {
      // A bug in one rule must not hide the others' findings: skip it, but say so.
      ruleFailed(lc, rule.ids, e);
    }
  }
  const findings = mergeWithFailure(lc, unique(ctx.findings));
  return findings.map(({ param: _param, doubt: _doubt, proves: _proves, why: _why, ...d }) => d);
}

/** A rule that threw: rethrown when strict, otherwise handed to the host (console.error when it gave no callback). */
function ruleFailed(lc: LintContext, rules: readonly string[], error: unknown): void {
  const e: RuleError = { rules, kind: lc.call.kind, at: lc.call.range.start, error };
  if (lc.strict) throw new Error(describeRuleError(e));
  if (lc.onRuleError) lc.onRuleError(e);
  else console.error(describeRuleError(e));
}

/** One log entry for a rule that threw: which rule, on which construction, and the error with its stack. */
export function describeRuleError(e: RuleError): string {
  const which = e.rules.length ? `rule ${e.rules.join('/')}` : 'setting up the rules';
  const error = e.error instanceof Error ? e.error.stack ?? `${e.error.name}: ${e.error.message}` : String(e.error);
  return `LR Lens lint: ${which} threw on ${e.kind} at line ${e.at.line + 1}, column ${e.at.character + 1} (skipped): ${error}`;
}

/** Drops repeated findings (same id, place and text), e.g. a rule shared by two classes' rule sets. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${rangeKey(f.range)}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The finding describing the simulated failure is not reported again: its explanation and fixes
 * go onto the failure's diagnostic (the one analyze() already holds, see `failureDiagnostic`).
 */
function mergeWithFailure(lc: LintContext, findings: Finding[]): Finding[] {
  const failure = lc.sim?.error;
  if (!failure) return findings;
  const diag = failureDiagnostic(lc.call, failure);
  if (failure.rule === NO_RULE) return findings;
  // Only a finding that reports the same error (or doubts it) describes the failure; a warning of the
  // same rule about something else (LR013: a negative lr before the lambda raises) stays separate.
  const same = (f: Finding) => f.code === failure.rule && (!!f.proves
    || ((f.severity === 'error' || !!f.doubt) && (f.param === failure.param || rangeKey(f.range) === rangeKey(diag.range))));
  const match = findings.find(same);
  if (match?.proves) {
    diag.message = match.message;
    diag.severity = match.severity;
    diag.range = match.range;
    if (match.fixes?.length) diag.fixes = match.fixes;
  } else if (match) {
    if (match.why !== undefined && !explained.has(diag)) {
      diag.message += ` — ${match.why}`;
      explained.add(diag);
    }
    if (match.fixes?.length && !diag.fixes) diag.fixes = match.fixes;
    if (match.doubt) diag.severity = match.severity;
  }
  return findings.filter((f) => !same(f));
}

const failureDiagnostics = new WeakMap<TorchFailure, Diagnostic>();
/** Failure diagnostics that already carry a rule's explanation (lint may run twice on one failure). */
const explained = new WeakSet<Diagnostic>();

/** Failures that depend on the optimizer (its param groups, defaults or state), not on the scheduler's own arguments. */
const OPTIMIZER_DEPENDENT = new Set(['LR001', 'LR010', 'LR090', 'LR092', 'LR111', 'LR121', 'LR182']);

/** The failure depends on the optimizer's class or param groups (LR111 only through `min_lr`). */
function optimizerDependent(failure: TorchFailure): boolean {
  return OPTIMIZER_DEPENDENT.has(failure.rule) && (failure.rule !== 'LR111' || failure.param === 'min_lr');
}

/**
 * The assumptions a torch failure rests on, from the structured data: the assumed values of the
 * argument it is about (this construction's or, for a SequentialLR / ChainedScheduler, a member's of
 * that name); the optimizer's class and param groups for the checks that read them (its members'
 * optimizers too for a composite); every member's for a failure about `schedulers`; and every
 * assumption when no rule claims the failure (nothing says what it depends on).
 */
export function dependsOn(call: FoundCall, failure: TorchFailure): Assumption[] {
  const all = call.assumed ?? [];
  // No rule claims the failure: what it read beyond its own argument is not tracked (see `untracked`).
  if (failure.rule === NO_RULE && !failure.param) return all;
  const out = new Set<Assumption>();
  // torch's class standing in for one of a module LR Lens does not read (contract.ts `byNameStandIn`): whatever
  // raises is that module's code.
  for (const a of all) if (a.what === 'class' && a.placeholder) out.add(a);
  if (failure.param) for (const a of all) if (a.param === failure.param) out.add(a);
  if (failure.param === 'schedulers') for (const a of all) if (a.member !== undefined) out.add(a);
  if (optimizerDependent(failure)) {
    for (const a of all) if (isStructural(a)) out.add(a);
  }
  return all.filter((a) => out.has(a));
}

/**
 * A torch exception (at construction or within the horizon) as an error diagnostic with the rule id
 * the engine raised it with, on the argument that causes it (the callee when that argument is not
 * written). One diagnostic object per failure object, so that lint can add the rule's fixes to it.
 */
export function failureDiagnostic(call: FoundCall, failure: TorchFailure): Diagnostic {
  const cached = failureDiagnostics.get(failure);
  if (cached) return cached;
  const rule = failure.rule;
  const arg = failure.param ? call.argInfo.find((a) => a.name === failure.param) : undefined;
  const range: Range = arg?.range ?? call.calleeRange;
  const where = failure.phase === 'step' && failure.step !== null ? ` (raised by step() call ${failure.step})` : '';
  let message = `${failure.type}: ${failure.message}${where}`;
  let severity: Severity = 'error';
  const fromText = failure === call.bindFailure && call.bindFromText === true;
  const deps = isOwnLimit(failure.type) || fromText ? [] : dependsOn(call, failure);
  const version = fromText ? bindVersionNote(call.kind, failure) : null;
  if (isOwnLimit(failure.type)) {
    severity = 'information';
  } else if (fromText) {
    // Python rejects the call as written (its keywords and number of arguments): no assumed value changes that.
    // A keyword an older release of the library took: it raises only with a newer one.
    if (version) {
      severity = 'warning';
      message += ` — ${version}`;
    }
  } else if (deps.length) {
    // Torch raises only if the assumed values are the real ones: a warning when they are what the program
    // takes by default (an argparse default), information when they are LR Lens's own stand-ins.
    severity = deps.some((a) => a.placeholder) ? 'information' : 'warning';
    message += ` — would raise if ${deps.slice(0, 3).map(assumptionCondition).join(' and ')}${deps.length > 3 ? ` (and ${deps.length - 3} more assumptions)` : ''}`;
  } else if (arg && (!arg.known || arg.assumed)) {
    // An argument marked assumed without a structured assumption: never an error either.
    severity = 'information';
    message += ` — would raise if ${arg.name} is ${arg.display}${arg.reason ? ` (assumed: ${arg.reason})` : ' (assumed)'}`;
  } else if (optimizerDependent(failure) && !call.optimizer) {
    severity = 'information';
    message += ' — would raise if the optimizer is as assumed';
  } else if (failure.rule === NO_RULE && call.assumed?.length) {
    // A library's own failure about one argument: what else it read is not tracked, so it is no error while
    // anything here is assumed, and no assumption is named as its condition.
    severity = call.assumed.some((a) => a.placeholder) ? 'information' : 'warning';
    message += ' — LR Lens assumed values for this call; which of them this depends on is not tracked';
  }
  const d: Diagnostic = { severity, code: rule, message, range };
  failureDiagnostics.set(failure, d);
  return d;
}

/**
 * Drops diagnostics silenced by `# lr-lens: ignore[LR141]` (Python) or `// lr-lens: ignore[LR141]`
 * (TS/JS) on their first line or on the line where the construction starts (`callRange`);
 * a bare `lr-lens: ignore` silences every rule there.
 */
export function applySuppressions(diags: Diagnostic[], text: string, callRange?: Range): Diagnostic[] {
  try {
    return suppress(diags, text, callRange);
  } catch {
    return diags;
  }
}

/** Applies the user's per-rule settings (`lrLens.rules`): id → 'off' or a severity. */
export function applyRuleSettings(diags: Diagnostic[], rules: Record<string, Severity | 'off'> | undefined): Diagnostic[] {
  try {
    return ruleSettings(diags, rules);
  } catch {
    return diags;
  }
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Every rule id the lint layer implements (for docs and tests). */
export function implementedRules(): string[] {
  return [...new Set(ALL_RULES.flatMap((r) => r.ids))].filter((id) => CATALOGUE.has(id)).sort();
}
