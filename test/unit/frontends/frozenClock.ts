/**
 * A clock that never moves, for the frontends' `now` option: the wall-clock safety net can then never fire, so
 * whatever stops an analysis is its operation budget, and the result is the same on any machine. It counts its
 * reads: the frontends read the clock once per fixed number of operations (python/budget.ts CLOCK_EVERY = 1024),
 * so the count bounds the work done without timing it.
 */
export interface FrozenClock {
  now: () => number;
  readonly reads: number;
}

export function frozenClock(at = 0): FrozenClock {
  const clock = {
    reads: 0,
    now: () => {
      clock.reads++;
      return at;
    },
  };
  return clock;
}
