/**
 * The "Ignore LRxxx on this line" quick fix, pure: the text edit that adds (or extends) an
 * `lr-lens: ignore[…]` comment, in the syntax the lint reads (language/lint applySuppressions).
 */
import type { TextEdit } from '../analysis/types';

const EXISTING = /lr-lens:\s*ignore\[([^\]]*)\]/;

/** The line-comment token of a language, or null when it has none we know. */
export function commentToken(languageId: string): string | null {
  if (languageId === 'python') return '#';
  if (/^(typescript|javascript)(react)?$/.test(languageId)) return '//';
  return null;
}

/**
 * The edit that silences `code` on line `line` whose text is `lineText`, or null when no safe
 * edit exists: the rule is already listed, the language has no line comment, or the line ends
 * with a Python line continuation (a comment after `\` is a syntax error).
 */
export function ignoreEdit(lineText: string, line: number, code: string, languageId: string): TextEdit | null {
  const token = commentToken(languageId);
  if (!token) return null;
  const existing = EXISTING.exec(lineText);
  if (existing) {
    const codes = existing[1].split(',').map((c) => c.trim()).filter(Boolean);
    if (codes.some((c) => c.toUpperCase() === code.toUpperCase())) return null;
    // Insert before the closing bracket: `ignore[LR003]` → `ignore[LR003, LR141]`.
    const at = existing.index + existing[0].length - 1;
    const text = codes.length ? `, ${code}` : code;
    return { range: { start: { line, character: at }, end: { line, character: at } }, newText: text };
  }
  const trimmed = lineText.replace(/\s+$/, '');
  if (token === '#' && trimmed.endsWith('\\')) return null;
  const at = trimmed.length;
  const newText = `  ${token} lr-lens: ignore[${code}]`;
  // Replace trailing whitespace so the line does not end up with `   # …` or trailing blanks.
  return { range: { start: { line, character: at }, end: { line, character: lineText.length } }, newText };
}
