/**
 * Typing speed on the generated 5,000-line script (the extension's own runner and options):
 *   - edit → result: a one-character edit, then the analysis of the new text until its result is on the host;
 *   - the longest host-thread block during those edits: the longest gap between the ticks of a 1 ms interval
 *     timer on the host while the worker analyses (perf_hooks.monitorEventLoopDelay was tried: on Node 20 its
 *     max missed a 300 ms busy loop). The same monitor on an idle host gives the machine's own noise.
 * Both for the worker runner (the desktop's) and the in-process runner (the browser's, and the fallback).
 * As in the extension, each runner keeps the document's incremental state between its edits (the previous tree,
 * the curves whose input did not change; src/analysis/incremental.ts): every measured edit is a new text, a
 * character typed over the previous one, so what is timed is what a keystroke costs, not a repeat of a cached
 * text. The first analyses (warm-up) build that state and are not timed. A third case edits the file while it
 * has a syntax error elsewhere (no incremental parse then: each edit pays a whole parse).
 * Goal: ≤ 16 ms for both. Printed, not asserted.
 */
import * as path from 'path';
import type { AnalysisRunner, JobOptions } from '../src/extension/analysisRunner';
import { InProcessRunner } from '../src/extension/inProcessRunner';
import { nodeWorker } from '../src/extension/nodeWorker.node';
import { WorkerRunner } from '../src/extension/workerRunner';
import { generateScript } from './analysis';
import { FIXMATCH } from './frontends';

const EDITS = 12;
const WORKER = path.join(__dirname, '..', 'src', 'extension', 'analysisWorker.node.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The text after the i-th one-character edit (a StepLR's step_size 30 → 31, 32, …, as typed). */
function edited(text: string, i: number): string {
  const at = text.indexOf('step_size=30');
  return `${text.slice(0, at)}step_size=3${i % 10}${text.slice(at + 'step_size=30'.length)}`;
}

const settle = () => new Promise((r) => setTimeout(r, 10));

/** The longest time the host's event loop did not run a 1 ms interval timer (ms, less the 1 ms period). */
class BlockMonitor {
  private last = performance.now();
  worst = 0;
  private readonly timer = setInterval(() => {
    const now = performance.now();
    this.worst = Math.max(this.worst, now - this.last - 1);
    this.last = now;
  }, 1);
  reset(): void {
    this.last = performance.now();
    this.worst = 0;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/** The monitor on an idle host for `ms`: what the machine alone costs (scheduling, other processes). */
async function idleNoise(ms: number): Promise<number> {
  const m = new BlockMonitor();
  await new Promise((r) => setTimeout(r, ms));
  m.stop();
  return m.worst;
}

async function measure(runner: AnalysisRunner, text: string, options: JobOptions) {
  for (let i = 0; i < 3; i++) await runner.run({ key: 'bench', text: edited(text, i), languageId: 'python', options }); // warm-up
  const times: number[] = [];
  const blocks: number[] = [];
  /** The frontend's share of each edit (the result's `timing.evaluate`: find and evaluate the constructions). */
  const frontend: number[] = [];
  const monitor = new BlockMonitor();
  await settle();
  for (let i = 0; i < EDITS; i++) {
    monitor.reset();
    const t0 = performance.now();
    const r = await runner.run({ key: 'bench', text: edited(text, i + 3), languageId: 'python', options });
    times.push(performance.now() - t0);
    frontend.push(r.timing.evaluate);
    // Let the timer tick again after the result, so a block at the very end is seen too.
    await settle();
    blocks.push(monitor.worst);
  }
  monitor.stop();
  return { best: Math.min(...times), median: median(times), block: Math.max(...blocks), blockMedian: median(blocks), frontend: Math.min(...frontend), frontendMedian: median(frontend) };
}

export async function runTypingBench(): Promise<string[]> {
  const text = generateScript(5000);
  const lines = [`typing on the generated ${text.split('\n').length}-line script: edit → result, and the longest host-thread block during it (${EDITS} edits; goal ≤ 16 ms each):`];
  // As the extension asks: every curve (analyzeOptions() sets no curvesFor), and what each keystroke pays at least (no curves).
  // And while the file has a syntax error elsewhere (an unclosed bracket at its end): tree-sitter's incremental parse is
  // not used then (its error recovery may differ from a fresh parse's), so each edit pays a whole parse.
  const broken = `${text}x = (\n`;
  const cases: [string, JobOptions, string][] = [
    ['every curve (as the extension asks)', {}, text],
    ['no curves (parse + evaluate + lint)', { curvesFor: [] }, text],
    ['every curve, the file with a syntax error elsewhere', {}, broken],
  ];
  const runners: [string, () => AnalysisRunner][] = [
    ['worker thread', () => new WorkerRunner(() => nodeWorker(WORKER), new InProcessRunner(), { error: (m) => console.error(m), info: () => undefined })],
    ['in-process   ', () => new InProcessRunner()],
  ];
  for (const [what, options, script] of cases) {
    lines.push(`  ${what}:`);
    for (const [name, make] of runners) {
      const runner = make();
      try {
        const m = await measure(runner, script, options);
        lines.push(`    ${name}  edit → result best ${m.best.toFixed(1)} ms (median ${m.median.toFixed(1)});  longest host block ${m.block.toFixed(1)} ms (median ${m.blockMedian.toFixed(1)});  of which the Python frontend best ${m.frontend.toFixed(1)} ms (median ${m.frontendMedian.toFixed(1)})`);
      } finally {
        runner.dispose();
      }
    }
  }
  lines.push(`  the same monitor on the idle host for 2 s (this machine's own noise): ${(await idleNoise(2000)).toFixed(1)} ms`);
  lines.push(...await supersededLines());
  return lines;
}

/**
 * A long analysis superseded by an edit: FixMatch's schedule (its 2**20-step λ takes seconds), then 300 ms later an
 * edit of its schedule (num_cycles 7/16 → 7/17). From the edit's job to its result, the worker runner as the extension
 * has it (the running job asked to stop after WorkerRunner.CANCEL_AFTER_MS) and one that never asks (the running job
 * ends first, then the edit's is analysed).
 */
async function supersededLines(): Promise<string[]> {
  const edit = FIXMATCH.replace('num_cycles=7./16.', 'num_cycles=7./17.');
  const lines = ['  a long analysis (FixMatch\'s 2**20-step λ) superseded 300 ms in by an edit of its schedule: edit → its result'];
  for (const [name, cancelAfter] of [['stopped when superseded (the extension\'s)', WorkerRunner.CANCEL_AFTER_MS], ['let run to its end', Infinity]] as const) {
    const runner = new WorkerRunner(() => nodeWorker(WORKER), new InProcessRunner(), { error: (m) => console.error(m), info: () => undefined }, 60_000, 'worker thread', cancelAfter);
    try {
      await runner.run({ key: 'warm', text: 'x = 1\n', languageId: 'python', options: {} });
      const first = runner.run({ key: 'fm', text: FIXMATCH, languageId: 'python', options: {} }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      await runner.run({ key: 'fm', text: edit, languageId: 'python', options: {} });
      lines.push(`    ${name.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms`);
      await first;
    } finally {
      runner.dispose();
    }
  }
  return lines;
}
