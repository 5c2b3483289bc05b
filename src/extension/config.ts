/**
 * The extension's settings: one typed, read-only snapshot mirroring `contributes.configuration`
 * (package.json). Pure: the VS Code side passes a getter, so the mapping is unit-tested in node.
 */
import type { AnalyzeOptions, Severity } from '../analysis/types';
import { ASSUMED_STEPS_PER_EPOCH } from '../engine/assumed';

/** A rule's severity override; 'off' hides the rule. */
export type RuleSetting = 'off' | Severity;

export interface LrLensConfig {
  /** `lrLens.defaultHorizon`: values per curve; 0 = what the arguments imply (auto). */
  readonly defaultHorizon: number;
  /** `lrLens.assumedLr`: lr used when the optimizer's lr cannot be resolved statically. */
  readonly assumedLr: number;
  /** `lrLens.assumedStepsPerEpoch`: batches per epoch assumed for a per-batch scheduler whose loop length is not known. */
  readonly assumedStepsPerEpoch: number;
  /** `lrLens.hover.enabled`. */
  readonly hoverEnabled: boolean;
  /** `lrLens.codeLens.enabled`. */
  readonly codeLensEnabled: boolean;
  /** `lrLens.diagnostics.enabled`. */
  readonly diagnosticsEnabled: boolean;
  /** `lrLens.panel.followCursor`: the unpinned panel shows the scheduler under the cursor. */
  readonly followCursor: boolean;
  /** `lrLens.debounceMs`: delay after the last edit before re-analysing (trailing edge). */
  readonly debounceMs: number;
  /** `lrLens.rules`: rule id (upper-cased) → override. Only valid entries are kept. */
  readonly rules: ReadonlyMap<string, RuleSetting>;
}

/** Largest horizon accepted anywhere (the analysis clamps to it with a note). */
export const MAX_HORIZON = 10_000_000;

export const DEFAULT_CONFIG: LrLensConfig = {
  defaultHorizon: 0,
  assumedLr: 0.1,
  // The engine's default (package.json states the same value; config.test.ts checks they agree).
  assumedStepsPerEpoch: ASSUMED_STEPS_PER_EPOCH,
  hoverEnabled: true,
  codeLensEnabled: true,
  diagnosticsEnabled: true,
  followCursor: true,
  debounceMs: 250,
  rules: new Map(),
};

const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'information', 'hint'];
/** `LR` + three digits, as the lint rules are numbered (docs/torch-schedulers.md §7). */
const RULE_ID = /^LR\d{3}$/;

/** Reads a value of a setting (relative to the `lrLens` section); undefined when unset. */
export type SettingGetter = (key: string) => unknown;

/**
 * Builds the snapshot from raw setting values. Invalid values (wrong type, out of range, NaN)
 * fall back to the defaults rather than throwing: settings.json is user-edited text.
 */
export function readConfig(get: SettingGetter): LrLensConfig {
  const d = DEFAULT_CONFIG;
  return {
    defaultHorizon: intIn(get('defaultHorizon'), 0, MAX_HORIZON, d.defaultHorizon),
    assumedLr: positive(get('assumedLr'), d.assumedLr),
    assumedStepsPerEpoch: intIn(get('assumedStepsPerEpoch'), 1, MAX_HORIZON, d.assumedStepsPerEpoch),
    hoverEnabled: bool(get('hover.enabled'), d.hoverEnabled),
    codeLensEnabled: bool(get('codeLens.enabled'), d.codeLensEnabled),
    diagnosticsEnabled: bool(get('diagnostics.enabled'), d.diagnosticsEnabled),
    followCursor: bool(get('panel.followCursor'), d.followCursor),
    debounceMs: intIn(get('debounceMs'), 0, 5_000, d.debounceMs),
    rules: rules(get('rules')),
  };
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

/** An integer in [min, max]; larger values are clamped to max, other junk → fallback. */
function intIn(v: unknown, min: number, max: number, fallback: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) return fallback;
  return Math.min(Math.floor(v), max);
}

function positive(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

function rules(v: unknown): Map<string, RuleSetting> {
  const out = new Map<string, RuleSetting>();
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  // Object.entries only yields own enumerable keys, so `__proto__` & co. are plain names here.
  for (const [id, setting] of Object.entries(v as Record<string, unknown>)) {
    const key = id.trim().toUpperCase();
    if (RULE_ID.test(key) && typeof setting === 'string' && (RULE_SETTINGS as readonly string[]).includes(setting)) {
      out.set(key, setting as RuleSetting);
    }
  }
  return out;
}

/** The severity a diagnostic is shown with after the user's override, or null when the rule is off. */
export function effectiveSeverity(code: string, severity: Severity, config: LrLensConfig): Severity | null {
  const override = config.rules.get(code.toUpperCase());
  if (!override) return severity;
  return override === 'off' ? null : override;
}

/** The analysis options the settings imply (horizon, assumed lr, rule overrides). */
export function analyzeOptions(config: LrLensConfig): AnalyzeOptions {
  return {
    steps: config.defaultHorizon > 0 ? config.defaultHorizon : undefined,
    assumedLr: config.assumedLr,
    assumedStepsPerEpoch: config.assumedStepsPerEpoch,
    rules: Object.fromEntries(config.rules),
  };
}

/**
 * Whether a change of settings changes what the analysis computes (its options: horizon, assumed lr and batches per
 * epoch, rule overrides), so that every open document is analysed again. Read from `analyzeOptions`, so that an option
 * added there is never missed here.
 */
export function analysisSettingsChanged(previous: LrLensConfig, current: LrLensConfig): boolean {
  return JSON.stringify(analyzeOptions(previous)) !== JSON.stringify(analyzeOptions(current));
}
