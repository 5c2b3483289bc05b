/**
 * Where an edit's time goes after the frontend, on the generated 5,000-line script and the typing bench's edit
 * (a StepLR's step_size typed over, every curve asked for):
 *   - the analysis's phases with the document's session (analyze.ts `timePhases`): parse, evaluate (the
 *     frontend), then the constructions' keys and the comparison of their evaluated calls with the kept ones
 *     (kept.ts), and for those analysed again: simulation keys, simulations (those not kept: a callable's without a
 *     key are never), summaries, horizon, lint, suppressions, and the rest;
 *   - the result's way to the host as a WorkerRunner takes it (workerCore.ts on this thread): the worker's
 *     preparation of its reply (what it compares and leaves out), the structured clone postMessage makes of it
 *     (serialised in the worker, deserialised on the host's thread), and the runner's merge on the host.
 * Best (median) of the edits. Printed, not asserted.
 */
import { analyze, timePhases } from '../src/analysis/analyze';
import { DocumentSession } from '../src/analysis/incremental';
import type { HostMessage, WorkerReply } from '../src/extension/analysisRunner';
import { InProcessRunner } from '../src/extension/inProcessRunner';
import { workerSide } from '../src/extension/workerCore';
import { WorkerRunner, type WorkerLike } from '../src/extension/workerRunner';
import { generateScript } from './analysis';

const EDITS = 15;

function edited(text: string, i: number): string {
  const at = text.indexOf('step_size=30');
  return `${text.slice(0, at)}step_size=3${i % 10}${text.slice(at + 'step_size=30'.length)}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function row(name: string, xs: number[]): string {
  return `    ${name.padEnd(44)} ${Math.min(...xs).toFixed(2).padStart(6)} ms (${median(xs).toFixed(2)})`;
}

/** workerCore on this thread; each reply structured-cloned (with its transfer list) as postMessage does, timed. */
class TimedWorker implements WorkerLike {
  clone = 0;
  host = 0;
  sent = 0;
  /** From the job's arrival to its reply's post, less the analysis's own timing: the worker's preparation of the reply. */
  prepare = 0;
  private started = 0;
  private listener: ((r: WorkerReply) => void) | undefined;
  private readonly handle = workerSide((reply, transfer) => {
    const t0 = performance.now();
    if (reply.type === 'result') {
      const { parse, evaluate, simulate } = reply.result.timing;
      this.prepare += t0 - this.started - parse - evaluate - simulate;
    }
    const copy = structuredClone(reply, { transfer });
    const t1 = performance.now();
    if (copy.type === 'result') this.sent = copy.result.schedulers.length;
    this.listener?.(copy);
    this.host += performance.now() - t1;
    this.clone += t1 - t0;
  });
  postMessage(msg: HostMessage): void {
    const copy = structuredClone(msg);
    setImmediate(() => {
      if (copy.type === 'job') this.started = performance.now();
      this.handle(copy);
    });
  }
  onMessage(listener: (reply: WorkerReply) => void): void {
    this.listener = listener;
  }
  onExit(): void {}
  terminate(): void {}
}

export async function runPipelineBench(): Promise<string[]> {
  const text = generateScript(5000);
  const lines = [`after the frontend: the typing bench's edit on the generated ${text.split('\n').length}-line script, every curve, best (median) of ${EDITS} edits:`];

  const session = new DocumentSession();
  for (let i = 0; i < 3; i++) await analyze(edited(text, i), 'python', {}, session);
  const rows = new Map<string, number[]>();
  const add = (k: string, v: number) => rows.set(k, [...(rows.get(k) ?? []), v]);
  for (let i = 0; i < EDITS; i++) {
    const phases: Record<string, number> = {};
    timePhases(phases);
    const t0 = performance.now();
    const r = await analyze(edited(text, i + 3), 'python', {}, session);
    const total = performance.now() - t0;
    timePhases(null);
    add('whole analysis (in-process, with its session)', total);
    add('parse', r.timing.parse);
    add('evaluate (the frontend)', r.timing.evaluate);
    const after = total - r.timing.parse - r.timing.evaluate;
    add('after the frontend', after);
    let named = 0;
    for (const k of ['construction key', 'construction compare', 'simulation key', 'simulate', 'summaries', 'horizon', 'lint', 'suppressions']) {
      add(`  ${k}`, phases[k] ?? 0);
      named += phases[k] ?? 0;
    }
    add('  the rest', after - named);
  }
  session.dispose();
  for (const [k, v] of rows) lines.push(row(k, v));

  const worker = new TimedWorker();
  const runner = new WorkerRunner(() => worker, new InProcessRunner(), { error: (m) => console.error(m), info: () => undefined });
  const clone: number[] = [];
  const host: number[] = [];
  const prepare: number[] = [];
  let sent = 0;
  let schedulers = 0;
  try {
    for (let i = 0; i < 3; i++) await runner.run({ key: 'bench', text: edited(text, i), languageId: 'python', options: {} });
    for (let i = 0; i < EDITS; i++) {
      worker.clone = 0;
      worker.host = 0;
      worker.prepare = 0;
      const r = await runner.run({ key: 'bench', text: edited(text, i + 3), languageId: 'python', options: {} });
      clone.push(worker.clone);
      host.push(worker.host);
      prepare.push(worker.prepare);
      sent = worker.sent;
      schedulers = r.schedulers.length;
    }
  } finally {
    runner.dispose();
  }
  lines.push(`  the result to the host (${sent} of ${schedulers} schedulers sent in the last edit's reply):`);
  lines.push(row('the worker\'s reply (compared with the held one)', prepare));
  lines.push(row('structured clone of the reply (postMessage)', clone));
  lines.push(row('the runner\'s merge on the host', host));
  return lines;
}
