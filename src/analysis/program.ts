/**
 * Building the engine's Program from what a frontend found: the steps every frontend
 * shares, so Python and TS/JS files produce programs of the same shape.
 */
import type { SchedulerConstruction } from '../engine/types';
import type { FoundCall, FrontendResult } from './types';

/**
 * Appends a construction that could be built, points its FoundCall at it and marks the
 * SequentialLR / ChainedScheduler members it holds. Returns its index in the program.
 */
export function addConstruction(
  out: Pick<FrontendResult, 'program' | 'calls'>,
  found: FoundCall,
  construction: SchedulerConstruction,
  members: readonly number[],
): number {
  const index = out.program.schedulers.push(construction) - 1;
  found.schedulerIndex = index;
  for (const m of members) {
    const member = out.calls.find((c) => c.schedulerIndex === m);
    if (member) member.memberOf = index;
  }
  return index;
}
