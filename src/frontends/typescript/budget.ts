/**
 * How much work one file's analysis may do. Where it stops depends on operation counts
 * only, so a slow machine finds what a fast one finds. The clock is a far safety net
 * (NET_FACTOR × the time allowance) for work the counts do not see; when it fires, the
 * reason says "timed out" as such.
 */

/** The safety net fires at this multiple of the time allowance. */
export const NET_FACTOR = 10;

/** Why analysis stopped early: its operation budget, or the clock's safety net. */
export type StopReason = 'operations' | 'time';

/** Analysis ran out of operations or time; the frontend reports what it found so far. */
export class Stop {
  constructor(readonly reason: StopReason) {}
}

/** A clock in ms (`Date.now`; tests inject a fake one). */
export type Clock = () => number;

/** True once the clock is past NET_FACTOR × `allowanceMs` from now. */
export function safetyNet(allowanceMs: number, now: Clock = Date.now): () => boolean {
  const at = now() + NET_FACTOR * allowanceMs;
  return () => now() > at;
}

/** The note for a file whose analysis stopped early. */
export function stopNote(reason: StopReason, maxOps: number, allowanceMs: number): string {
  return reason === 'operations'
    ? `LR Lens stopped evaluating this file after its operation budget (${maxOps.toLocaleString('en-US')} operations); some values are shown as unknown.`
    : `LR Lens timed out evaluating this file (it took over ${NET_FACTOR}× its time budget of ${allowanceMs} ms); some values are shown as unknown.`;
}

/** Why a construction was not evaluated because analysis stopped early. */
export function stopReasonText(reason: StopReason): string {
  return reason === 'operations' ? 'LR Lens stopped evaluating this file (operation budget)' : 'LR Lens timed out evaluating this file';
}
