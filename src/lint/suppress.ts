/**
 * User control over diagnostics: `# lr-lens: ignore[LR141, LR146]` (Python) or
 * `// lr-lens: ignore[LR141]` (TS/JS) comments, and per-rule settings ('off' or a severity).
 */
import type { Diagnostic, Range, Severity } from '../analysis/types';
import { sourceOf } from './source';

const MARKER = /(#|\/\/)\s*lr-lens:\s*ignore\b(?:\[([^\]]*)\])?/i;

/** The ids a line's suppression comment names ('all' for a bare `ignore`), or null when it has none. */
export function suppressedOn(line: string): Set<string> | 'all' | null {
  const m = MARKER.exec(line);
  if (!m || insideString(line, m.index)) return null;
  if (m[2] === undefined) return 'all';
  return new Set(m[2].split(/[\s,]+/).filter(Boolean).map((id) => id.toUpperCase()));
}

/** True when `at` is inside a string literal that opened earlier on the line (a `#` in "a#b" is no comment). */
function insideString(line: string, at: number): boolean {
  let quote: string | null = null;
  for (let i = 0; i < at; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
    }
  }
  return quote !== null;
}

/**
 * Drops the diagnostics silenced by a suppression comment on their first line or on the
 * line where the construction starts (`callRange`).
 */
export function suppress(diags: Diagnostic[], text: string, callRange?: Range): Diagnostic[] {
  const src = sourceOf(text);
  const cache = new Map<number, Set<string> | 'all' | null>();
  const on = (line: number) => {
    if (!cache.has(line)) cache.set(line, suppressedOn(src.lineText(line)));
    return cache.get(line)!;
  };
  const silenced = (d: Diagnostic, line: number) => {
    const s = on(line);
    return s === 'all' || (s !== null && s.has(d.code.toUpperCase()));
  };
  return diags.filter((d) => !silenced(d, d.range.start.line) && !(callRange && silenced(d, callRange.start.line)));
}

/** Applies per-rule settings: 'off' removes a rule's diagnostics, a severity replaces the rule's. Ids are case-insensitive. */
export function ruleSettings(diags: Diagnostic[], rules: Record<string, Severity | 'off'> | undefined): Diagnostic[] {
  if (!rules) return diags;
  const settings = new Map<string, Severity | 'off'>();
  for (const [id, v] of Object.entries(rules)) {
    if (v === 'off' || v === 'error' || v === 'warning' || v === 'information' || v === 'hint') settings.set(id.trim().toUpperCase(), v);
  }
  if (!settings.size) return diags;
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const s = settings.get(d.code.toUpperCase());
    if (s === 'off') continue;
    out.push(s ? { ...d, severity: s } : d);
  }
  return out;
}
