/**
 * What a rule sees of one construction: its known argument values (never an
 * assumed or unknown one), where each argument is written, the optimizer's
 * param groups, the simulated curve and the horizon, plus `report` to emit a
 * finding with the catalogue's severity.
 */
import { isInstanceInt } from '../engine/py';
import { SIGNATURES } from '../engine/signatures';
import type { Arg, Construction, OptimizerInit, ParamGroupInit, Program, PyError, SimulationResult } from '../engine/types';
import { FAMILY_SIGNATURES, isFamilyKind } from '../engine/families/signatures';
import type { ArgInfo, Assumption, Diagnostic, FoundCall, QuickFix, Range, RuleError, Severity } from '../analysis/types';
import { severityOf } from './catalogue';
import { SourceText, sourceOf, type Lang } from './source';

/** A diagnostic plus the parameter it is about (used to pair a rule with the same torch failure). */
export interface Finding extends Diagnostic {
  param?: string;
  /** Set when the rule describes the simulated failure but doubts it (lint then softens that diagnostic). */
  doubt?: boolean;
  /**
   * Set when the rule proves the simulated failure whatever the assumptions it was simulated with (a loader's length
   * LR Lens assumed): lint gives that diagnostic the rule's words, place and severity instead.
   */
  proves?: boolean;
  /** For a torch error (`fail`): the explanation after torch's text, which lint adds to the simulated failure's diagnostic. */
  why?: string;
}

/** What `fail` adds to torch's text: words right after it (`after`) and the explanation (`why`, after ' — '). */
export interface FailText {
  after?: string;
  why?: string;
}

export interface LintInput {
  call: FoundCall;
  calls: FoundCall[];
  program: Program;
  sim: SimulationResult | null;
  horizon: number;
  /** The horizon is the run's length (src/analysis/run.ts), not what the arguments imply. */
  horizonFromRun?: boolean;
  /** What that length rests on when it is assumed (batches per epoch assumed, an argparse default), in words. */
  horizonAssumed?: string;
  text: string;
  /** The document's language id; guessed from the call and the text when absent. */
  languageId?: string;
  /** A rule that throws is rethrown (tests) instead of being reported and skipped. */
  strict?: boolean;
  /** Told about each rule that threw when not strict (default: console.error). */
  onRuleError?: (e: RuleError) => void;
  /** Set to true when a rule reads the source text in any way (an analysis kept across edits must then be redone). */
  textRead?: { read: boolean };
}

export interface GroupView {
  index: number;
  /** The group's `initial_lr` as torch's base class sets it: a preset value wins (setdefault), else the lr. */
  base: number;
  lr: number;
  momentum?: number;
  /** False when the lr (and so `base`) rests on an assumption. */
  lrKnown: boolean;
}

export class RuleContext {
  readonly call: FoundCall;
  readonly program: Program;
  readonly sim: SimulationResult | null;
  /** H of docs/torch-schedulers.md §7: values per group in the preview (0 when nothing is simulated). */
  readonly H: number;
  readonly src: SourceText;
  readonly lang: Lang;
  readonly findings: Finding[] = [];
  /** The preview's horizon is the run's length (LR072 then leaves the finding to LR173). */
  readonly fromRun: boolean;
  /** What the run's length rests on when it is assumed (see LintInput). */
  readonly horizonAssumed: string | undefined;

  constructor(input: LintInput) {
    this.call = input.call;
    this.program = input.program;
    this.sim = input.sim;
    // A member of SequentialLR / ChainedScheduler does not run for the whole preview on its own:
    // rules that compare with the horizon stay silent for it (H = 0, as when nothing was simulated).
    const horizon = input.call.memberOf === null ? input.horizon : 0;
    this.H = Number.isFinite(horizon) && horizon > 0 ? Math.floor(horizon) : 0;
    this.fromRun = input.horizonFromRun ?? false;
    this.horizonAssumed = input.horizonAssumed;
    this.src = input.textRead ? readsNoted(sourceOf(input.text), input.textRead) : sourceOf(input.text);
    this.lang = input.languageId ? (input.languageId === 'python' ? 'python' : 'ts') : languageOf(input.call, this.src);
  }

  get kind(): string {
    return this.call.kind;
  }

  /** This construction in the program, when it was built. */
  get construction(): Construction | null {
    const i = this.call.schedulerIndex;
    return i === null ? null : this.program.schedulers[i] ?? null;
  }

  info(name: string): ArgInfo | undefined {
    return this.call.argInfo.find((a) => a.name === name);
  }

  /**
   * The value torch sees for `name`: what was written (when it could be evaluated) or the
   * signature's default. Null when unknown or assumed: rules stay silent about those.
   */
  value(name: string): Arg | null {
    const info = this.info(name);
    if (info && (!info.known || info.assumed)) return null;
    if (Object.prototype.hasOwnProperty.call(this.call.args, name)) return this.call.args[name]!;
    if (info && !info.isDefault) return null;
    const kind = this.call.kind;
    const params = isFamilyKind(kind) ? FAMILY_SIGNATURES[kind].params : SIGNATURES[kind]?.params;
    const spec = params?.find((p) => p.name === name);
    return spec?.default ?? null;
  }

  /** A numeric value (bool counts as int, as in Python), or null. */
  num(name: string): number | null {
    return numOf(this.value(name));
  }

  /** True when the user wrote the argument (it has a source range). */
  written(name: string): boolean {
    const info = this.info(name);
    return !!info && !info.isDefault && !!info.range;
  }

  /** Where to put a finding about `name`: its value expression, else the callee. */
  where(name: string): Range {
    return this.info(name)?.range ?? this.call.calleeRange;
  }

  /** The optimizer this scheduler is built on, in the program. */
  get optimizer(): OptimizerInit | null {
    const c = this.construction;
    if (!c || c.optimizer === null) return null;
    return this.program.optimizers[c.optimizer] ?? null;
  }

  /** True when the optimizer's class is a torch optimizer the frontend resolved (not a guess). */
  get optimizerKnown(): boolean {
    return !!this.optimizer && !!this.call.optimizer && !optimizerUnknown(this.call);
  }

  /** Number of param groups, or null when the optimizer is not known. */
  get groupCount(): number | null {
    return this.optimizerKnown ? this.optimizer!.groups.length : null;
  }

  /** The optimizer's param groups as the scheduler's base class sees them. */
  groups(): GroupView[] {
    const opt = this.optimizer;
    if (!opt || !this.call.optimizer) return [];
    const unknownGroups = assumedLrGroups(this.call);
    return opt.groups.map((g: ParamGroupInit, index) => ({
      index,
      base: g.initial_lr ?? g.lr,
      lr: g.lr,
      momentum: g.momentum,
      lrKnown: unknownGroups !== 'all' && !unknownGroups.has(index) && Number.isFinite(g.lr),
    }));
  }

  /** A per-argument value per group: a list/tuple must have one item per group, a scalar applies to all. */
  perGroup(name: string): (number | null)[] | null {
    const v = this.value(name);
    const n = this.groupCount ?? 1;
    if (!v) return null;
    if (v.kind === 'list') return v.items.map(numOf);
    return Array.from({ length: n }, () => numOf(v));
  }

  /**
   * Reports torch's error `error` (type and text as the engine raises it) as `Type: text{after} — {why}`;
   * `why` is kept apart so that lint can add it to the simulated failure's diagnostic (see lintCall).
   */
  fail(code: string, param: string | undefined, error: PyError, range: Range, text: FailText = {}, fixes?: QuickFix[], severity?: Severity): Finding {
    const head = `${error.type}: ${error.message}${text.after ?? ''}`;
    const f = this.report(code, param, text.why ? `${head} — ${text.why}` : head, range, fixes, severity);
    if (text.why) f.why = text.why;
    return f;
  }

  report(code: string, param: string | undefined, message: string, range: Range, fixes?: QuickFix[], severity?: Severity): Finding {
    const f: Finding = { severity: severity ?? severityOf(code), code, message, range };
    if (fixes && fixes.length) f.fixes = fixes;
    if (param) f.param = param;
    this.findings.push(f);
    return f;
  }
}

export function numOf(a: Arg | null | undefined): number | null {
  if (!a) return null;
  if (a.kind === 'int' || a.kind === 'float') return a.value;
  if (a.kind === 'bool') return a.value ? 1 : 0;
  return null;
}

/** `isinstance(x, int)` in Python (bool included; a numpy integer scalar is not one). */
export function isInt(a: Arg | null): boolean {
  return !!a && isInstanceInt(a);
}

/** An integral number whatever its type (2.0 counts): what `==` against an int epoch can match. */
export function isIntegral(x: number): boolean {
  return Number.isFinite(x) && Math.floor(x) === x;
}

/** Optimizer assumptions that leave its class or its param groups unknown (not just a value in them). */
const STRUCTURAL = new Set(['optimizer']);

/** An assumption that leaves the optimizer's class or param groups unknown. */
export function isStructural(a: Assumption): boolean {
  return STRUCTURAL.has(a.member === undefined ? a.what : a.what.slice(0, a.what.length - ` of ${a.member}`.length));
}

/**
 * Groups whose lr rests on an assumption (the optimizer's structured assumptions): one of a group (`group`)
 * is that group; the lr of every group, the param groups or the optimizer itself cover them all.
 */
function assumedLrGroups(call: FoundCall): Set<number> | 'all' {
  const out = new Set<number>();
  for (const a of call.optimizer?.assumed ?? []) {
    if (a.group !== undefined) out.add(a.group);
    else if (a.what === 'lr' || a.what === 'param groups' || isStructural(a)) return 'all';
  }
  return out;
}

/** The optimizer's class or param groups were assumed (an unresolved optimizer, or one whose arguments are not all known). */
export function optimizerUnknown(call: FoundCall): boolean {
  return (call.optimizer?.assumed ?? []).some(isStructural);
}

/**
 * The call's language, for the spelling of edits. Keyword syntax decides (`name=` is Python,
 * `name:` an object literal), then `new` before the callee, then the file's own style.
 */
export function languageOf(call: FoundCall, src: SourceText): Lang {
  for (const a of call.argInfo) {
    if (!a.fullRange || !a.range) continue;
    const head = src.text.slice(src.offsetAt(a.fullRange.start), src.offsetAt(a.range.start));
    if (/^\s*\w+\s*=\s*$/.test(head)) return 'python';
    if (/^\s*['"]?\w+['"]?\s*:\s*$/.test(head)) return 'ts';
  }
  const before = src.text.slice(Math.max(0, src.offsetAt(call.calleeRange.start) - 8), src.offsetAt(call.calleeRange.start));
  if (/\bnew\s+$/.test(before)) return 'ts';
  const t = src.text;
  const ts = /^\s*(const|let|var|export|interface|type)\s|=>|;\s*$/m.test(t);
  const py = /^\s*(from\s+[\w.]+\s+import|import\s+[\w.]+\s*$|def\s+\w+\s*\(|class\s+\w+.*:\s*$)/m.test(t);
  return ts && !py ? 'ts' : 'python';
}

/** `src` as rules see it, noting in `noted` any use of it (its text, or a position in it). */
function readsNoted(src: SourceText, noted: { read: boolean }): SourceText {
  return new Proxy(src, {
    get(target, name) {
      noted.read = true;
      const v = Reflect.get(target, name, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
