/** Positions and ranges of the analysis (0-based lines and characters): their order and containment, both ends inclusive. */
import type { Position, Range } from './types';

/** Whether `a` is at or before `b`. */
export function atOrBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** true when `p` lies in `r` (both ends inclusive, so the cursor right after a word counts). */
export function containsPosition(r: Range, p: Position): boolean {
  return atOrBefore(r.start, p) && atOrBefore(p, r.end);
}

/** true when `inner` lies within `outer`. */
export function containsRange(outer: Range, inner: Range): boolean {
  return atOrBefore(outer.start, inner.start) && atOrBefore(inner.end, outer.end);
}
