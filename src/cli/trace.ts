/**
 * `LR_LENS_TRACE=1 lr-lens …`: where a run's milliseconds go, one line on stderr at the end (`npm run bench`
 * prints it for `analyze` and `plot`). Times are from the process's start (performance.now()); the phases
 * between marks are what the bench reports. Off (the default), a mark is an empty call.
 */
export type Mark = (phase: string) => void;

export interface Trace {
  mark: Mark;
  /** `lr-lens trace: node 44.1 · bundle 7.6 (cache used) · …  = 72.9 ms`. */
  line(): string;
}

export function startTrace(on: boolean = !!process.env.LR_LENS_TRACE): Trace | undefined {
  if (!on) return undefined;
  const marks: [string, number][] = [['node', performance.now()]];
  return {
    mark: (phase) => marks.push([phase, performance.now()]),
    line: () => {
      const parts = marks.map(([phase, t], i) => `${phase} ${(t - (i ? marks[i - 1]![1] : 0)).toFixed(1)}`);
      return `lr-lens trace: ${parts.join(' · ')}  = ${marks[marks.length - 1]![1].toFixed(1)} ms\n`;
    },
  };
}
