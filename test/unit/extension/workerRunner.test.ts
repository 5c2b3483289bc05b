import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { isSuperseded, type AnalysisJob, type AnalysisRunner, type HostMessage, type JobMessage, type WorkerReply } from '../../../src/extension/analysisRunner';
import { InProcessRunner } from '../../../src/extension/inProcessRunner';
import { nodeRunner, nodeWorker } from '../../../src/extension/nodeWorker.node';
import { workerSide } from '../../../src/extension/workerCore';
import { WorkerRunner, type WorkerLike } from '../../../src/extension/workerRunner';

/** The compiled worker entry beside this test's compiled sources (out/src/extension/analysisWorker.node.js). */
const WORKER = path.join(__dirname, '..', '..', '..', 'src', 'extension', 'analysisWorker.node.js');

const SCRIPT = [
  'import torch',
  'from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR',
  'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
  'a = StepLR(opt, step_size=3, gamma=0.5)',
  'b = CosineAnnealingLR(opt, T_max=10, eta_min=0.001)',
  '',
].join('\n');

function job(key: string, text = SCRIPT): AnalysisJob {
  return { key, text, languageId: 'python', options: { steps: 12 } };
}

function silentLog() {
  const errors: string[] = [];
  return { errors, log: { error: (m: string) => errors.push(m), info: () => undefined } };
}

/** A worker the test answers by hand. */
class FakeWorker implements WorkerLike {
  readonly sent: JobMessage[] = [];
  readonly other: HostMessage[] = [];
  private onReply: ((r: WorkerReply) => void) | undefined;
  private onGone: ((reason: string) => void) | undefined;
  terminated = false;
  /** Told of each message that is not a job. */
  onOther: ((msg: HostMessage) => void) | undefined;
  postMessage(msg: HostMessage): void {
    if (msg.type === 'job') this.sent.push(msg);
    else {
      this.other.push(msg);
      this.onOther?.(msg);
    }
  }
  reply(r: WorkerReply): void {
    this.onReply?.(r);
  }
  onMessage(listener: (reply: WorkerReply) => void): void {
    this.onReply = listener;
  }
  onExit(listener: (reason: string) => void): void {
    this.onGone = listener;
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(id: number, result: AnalysisResult): void {
    this.onReply?.({ type: 'result', id, result });
  }
  die(reason: string): void {
    this.onGone?.(reason);
  }
}

const empty = (languageId = 'python'): AnalysisResult => ({ languageId, schedulers: [], diagnostics: [], timing: { parse: 0, evaluate: 0, simulate: 0 } });

/** A fallback that says it was used. */
class CountingRunner implements AnalysisRunner {
  readonly kind = 'counting';
  runs = 0;
  run(): Promise<AnalysisResult> {
    this.runs++;
    return Promise.resolve(empty('fallback'));
  }
  invalidate(): void {}
  dispose(): void {}
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('extension/workerRunner', function () {
  this.timeout(60_000);

  it('a real worker thread returns what the in-process analysis returns (curves as Float64Array)', async () => {
    const { errors, log } = silentLog();
    const runner = new WorkerRunner(() => nodeWorker(WORKER), new InProcessRunner(), log);
    try {
      const got = await runner.run(job('doc'));
      const want = await analyze(SCRIPT, 'python', { steps: 12 });
      assert.strictEqual(got.schedulers.length, 2);
      const strip = (r: AnalysisResult) => ({ ...r, timing: null });
      assert.deepStrictEqual(strip(got), strip(want));
      assert.ok(got.schedulers[0]!.curve!.lrs[0] instanceof Float64Array);
      // StepLR(step_size=3, gamma=0.5) from lr 0.1: computed here, independently.
      assert.deepStrictEqual([...got.schedulers[0]!.curve!.lrs[0]!].slice(0, 7), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });

  it("a workspace job reads the repository's files through the host, and keeps them in the worker until invalidated", async () => {
    const { errors, log } = silentLog();
    const runner = new WorkerRunner(() => nodeWorker(WORKER), new InProcessRunner(), log);
    const files = new Map<string, string>([['/repo/settings.py', 'T_MAX = 4\n']]);
    const reads: string[] = [];
    const readFile = async (p: string) => {
      reads.push(p);
      const text = files.get(p);
      return text === undefined ? undefined : new TextEncoder().encode(text);
    };
    const text = [
      'import torch',
      'from torch.optim.lr_scheduler import CosineAnnealingLR',
      'from settings import T_MAX',
      'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
      'sched = CosineAnnealingLR(opt, T_max=T_MAX)',
      '',
    ].join('\n');
    const wsJob: AnalysisJob = { key: 'train', text, languageId: 'python', options: {}, workspace: { root: '/repo', file: '/repo/train.py' } };
    // CosineAnnealingLR's default horizon is T_max + 1 values (docs/torch-schedulers.md), so the curve's length shows T_MAX.
    const horizon = (r: AnalysisResult) => r.schedulers[0]!.curve?.lrs[0]!.length;
    try {
      const first = await runner.run(wsJob, { readFile });
      assert.strictEqual(horizon(first), 5, `T_max from settings.py (4): ${JSON.stringify(first.schedulers[0]?.args)}`);
      assert.ok(reads.includes('/repo/settings.py'), `settings.py was not read through the host: ${reads.join(', ')}`);
      assert.ok(first.dependencies?.includes('/repo/settings.py'));
      files.set('/repo/settings.py', 'T_MAX = 9\n');
      reads.length = 0;
      const cached = await runner.run(wsJob, { readFile });
      assert.strictEqual(horizon(cached), 5, 'the worker kept its copy until told the file changed');
      assert.ok(!reads.includes('/repo/settings.py'));
      runner.invalidate('/repo/settings.py');
      const fresh = await runner.run(wsJob, { readFile });
      assert.strictEqual(horizon(fresh), 10, 'after invalidate the worker reads settings.py again (T_MAX = 9)');
      // The same job in-process gives the same result.
      const inProcess = await new InProcessRunner().run(wsJob, { readFile });
      assert.strictEqual(horizon(inProcess), 10);
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });

  it('a newer job of the same key replaces a waiting one; other keys are kept', async () => {
    const w = new FakeWorker();
    const runner = new WorkerRunner(() => w, new CountingRunner(), silentLog().log);
    const first = runner.run(job('k'));
    const second = runner.run(job('k'));
    const other = runner.run(job('other'));
    const third = runner.run(job('k'));
    await assert.rejects(second, (e) => isSuperseded(e));
    assert.strictEqual(w.sent.length, 1, 'one job in the worker at a time');
    w.answer(w.sent[0]!.id, empty());
    assert.strictEqual((await first).languageId, 'python');
    await tick();
    assert.deepStrictEqual(w.sent.map((m) => m.job.key), ['k', 'other']);
    w.answer(w.sent[1]!.id, empty());
    await other;
    await tick();
    assert.deepStrictEqual(w.sent.map((m) => m.job.key), ['k', 'other', 'k']);
    w.answer(w.sent[2]!.id, empty());
    await third;
    runner.dispose();
  });

  it('a worker that dies fails its job, is reported, and is replaced; after 3 deaths in a row it runs in-process', async () => {
    const workers: FakeWorker[] = [];
    const fallback = new CountingRunner();
    const { errors, log } = silentLog();
    const runner = new WorkerRunner(() => { const w = new FakeWorker(); workers.push(w); return w; }, fallback, log);
    for (let i = 1; i <= 3; i++) {
      const p = runner.run(job('k'));
      await tick();
      workers[i - 1]!.die(`exit code ${i}`);
      await assert.rejects(p, /the analysis worker stopped \(exit code \d\)/);
      assert.strictEqual(workers.length, i, 'one new worker per job after a death');
      assert.ok(workers[i - 1]!.terminated);
      assert.strictEqual(errors.length, i);
    }
    assert.match(errors[2]!, /3 times in a row.*extension host/);
    assert.strictEqual(runner.inFallback, true);
    assert.strictEqual((await runner.run(job('k'))).languageId, 'fallback');
    assert.strictEqual(fallback.runs, 1);
    assert.strictEqual(workers.length, 3, 'no further worker');
    runner.dispose();
  });

  it('a good answer resets the count of deaths', async () => {
    const workers: FakeWorker[] = [];
    const runner = new WorkerRunner(() => { const w = new FakeWorker(); workers.push(w); return w; }, new CountingRunner(), silentLog().log);
    for (let round = 0; round < 3; round++) {
      const bad = runner.run(job('k'));
      await tick();
      workers.at(-1)!.die('exit code 1');
      await assert.rejects(bad);
      const good = runner.run(job('k'));
      await tick();
      const w = workers.at(-1)!;
      w.answer(w.sent.at(-1)!.id, empty());
      await good;
    }
    assert.strictEqual(runner.inFallback, false);
    runner.dispose();
  });

  it('a real worker thread that exits is reported with its exit code, and the runner goes on in-process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-worker-'));
    const crashing = path.join(dir, 'crash.js');
    fs.writeFileSync(crashing, "require('worker_threads').parentPort.on('message', () => process.exit(7));\n");
    const { errors, log } = silentLog();
    const runner = new WorkerRunner(() => nodeWorker(crashing), new InProcessRunner(), log);
    try {
      for (let i = 0; i < WorkerRunner.MAX_CRASHES; i++) await assert.rejects(runner.run(job('k')), /exit code 7/);
      assert.strictEqual(errors.length, WorkerRunner.MAX_CRASHES);
      const result = await runner.run(job('k'));
      assert.strictEqual(result.schedulers.length, 2, 'the in-process fallback analyses the same text');
    } finally {
      runner.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the desktop's runner: worker threads of the script; when they keep dying, the same script's analysis on this thread", async () => {
    // A script that dies in a worker thread and, required on this thread, is the real worker script.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-worker-'));
    const script = path.join(dir, 'dies-in-threads.js');
    fs.writeFileSync(script, [
      "const { parentPort } = require('worker_threads');",
      'if (parentPort) parentPort.on("message", () => process.exit(9));',
      `else module.exports = require(${JSON.stringify(WORKER)});`,
      '',
    ].join('\n'));
    const { errors, log } = silentLog();
    const runner = nodeRunner(script, log);
    try {
      assert.strictEqual(runner.kind, 'worker thread');
      for (let i = 0; i < WorkerRunner.MAX_CRASHES; i++) await assert.rejects(runner.run(job('k')), /exit code 9/);
      assert.match(errors.at(-1)!, /3 times in a row.*on the extension host from now on/);
      assert.strictEqual(runner.kind, 'in-process');
      const got = await runner.run(job('k'));
      assert.deepStrictEqual({ ...got, timing: null }, { ...(await analyze(SCRIPT, 'python', { steps: 12 })), timing: null });
      assert.strictEqual(runner.answered, 0, 'no result came from a worker thread');
    } finally {
      runner.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the desktop's runner counts the results its worker threads answered", async () => {
    const runner = nodeRunner(WORKER, silentLog().log);
    try {
      await runner.run(job('a'));
      await runner.run(job('b'));
      assert.strictEqual(runner.answered, 2);
      assert.strictEqual(runner.kind, 'worker thread');
    } finally {
      runner.dispose();
    }
  });

  it('a running job is asked to stop when a newer job of its key waits (not of another key); it answers cancelled and is superseded', async () => {
    const w = new FakeWorker();
    const runner = new WorkerRunner(() => w, new CountingRunner(), silentLog().log, 60_000, 'worker', 0);
    const cancels = () => w.other.filter((m) => m.type === 'cancel');
    const first = runner.run(job('k'));
    const other = runner.run(job('other'));
    assert.deepStrictEqual(cancels(), [], 'a waiting job of another key does not stop it');
    const second = runner.run(job('k'));
    const id = w.sent[0]!.id;
    assert.deepStrictEqual(cancels(), [{ type: 'cancel', id }]);
    // A Node host shares memory with its worker: the running analysis reads the id there while it computes.
    const flag = w.other.find((m): m is Extract<HostMessage, { type: 'cancelFlag' }> => m.type === 'cancelFlag')?.flag;
    assert.ok(flag, 'no shared flag was sent');
    assert.strictEqual(Atomics.load(flag, 0), id);
    assert.strictEqual(runner.cancelled, 1);
    w.reply({ type: 'cancelled', id });
    await assert.rejects(first, (e) => isSuperseded(e));
    await tick();
    assert.deepStrictEqual(w.sent.map((m) => m.job.key), ['k', 'other'], 'the queue goes on in order');
    w.answer(w.sent[1]!.id, empty());
    await other;
    await tick();
    w.answer(w.sent[2]!.id, empty());
    assert.strictEqual((await second).languageId, 'python');
    assert.strictEqual(cancels().length, 1);
    runner.dispose();
  });

  it('a job is asked to stop only once it has run cancelAfterMs; one that answers anyway is used', async () => {
    const w = new FakeWorker();
    const asked = new Promise<HostMessage>((resolve) => {
      w.onOther = (m) => {
        if (m.type === 'cancel') resolve(m);
      };
    });
    const runner = new WorkerRunner(() => w, new CountingRunner(), silentLog().log, 60_000, 'worker', 30);
    const first = runner.run(job('k'));
    const second = runner.run(job('k'));
    assert.ok(!w.other.some((m) => m.type === 'cancel'), 'asked before its time');
    assert.deepStrictEqual(await asked, { type: 'cancel', id: w.sent[0]!.id });
    // The answer crossed the request: the result is good, and the newer job runs next.
    w.answer(w.sent[0]!.id, empty());
    assert.strictEqual((await first).languageId, 'python');
    await tick();
    w.answer(w.sent[1]!.id, empty());
    await second;
    runner.dispose();
  });

  it('a real worker thread stops a long analysis for the newer text of its document, and analyses that afresh', async () => {
    const { errors, log } = silentLog();
    const runner = new WorkerRunner(() => nodeWorker(WORKER), new InProcessRunner(), log, 60_000, 'worker thread', 0);
    // A λ of some 600 operations per call over 2,000,000 steps: minutes of work when let run.
    const long = `${SCRIPT}def f(e):\n    s = 0\n    for i in range(200):\n        s += 1\n    return 1 / (1 + s + e)\nc = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=f)\nfor epoch in range(2000000):\n    c.step()\n`;
    try {
      const stale = runner.run({ key: 'doc', text: long, languageId: 'python', options: { steps: 2_000_000 } });
      const newer = runner.run(job('doc'));
      await assert.rejects(stale, (e) => isSuperseded(e));
      const got = await newer;
      const want = await analyze(SCRIPT, 'python', { steps: 12 });
      const strip = (r: AnalysisResult) => ({ ...r, timing: null });
      assert.deepStrictEqual(strip(got), strip(want));
      assert.strictEqual(runner.cancelled, 1);
      assert.strictEqual(runner.answered, 1, 'the stopped job has no result');
      // Edits after the stop are analysed with a session again (the result is the same as from scratch).
      const edited = SCRIPT.replace('step_size=3', 'step_size=4');
      assert.deepStrictEqual(strip(await runner.run({ ...job('doc'), text: edited })), strip(await analyze(edited, 'python', { steps: 12 })));
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });

  it("without shared memory (a browser's Web Worker), a stop request is read when the analysis awaits a file: the job answers cancelled", async () => {
    const replies: WorkerReply[] = [];
    let wake: (() => void) | null = null;
    const handle = workerSide((reply) => {
      replies.push(reply);
      wake?.();
    });
    const nextReply = async (): Promise<WorkerReply> => {
      while (!replies.length) await new Promise<void>((r) => (wake = r));
      return replies.shift()!;
    };
    const files = new Map([['/repo/settings.py', 'T = 4\n']]);
    /** Plays the host until the job's last word; `onRead` is told of each file asked for, before it is answered. */
    const host = async (onRead: (path: string) => void = () => undefined): Promise<WorkerReply> => {
      for (;;) {
        const r = await nextReply();
        if (r.type === 'readFile') {
          onRead(r.path);
          const text = files.get(r.path);
          handle({ type: 'file', request: r.request, bytes: text === undefined ? undefined : new TextEncoder().encode(text) });
        } else if (r.type === 'listFiles') {
          handle({ type: 'files', request: r.request, paths: [] });
        } else if (r.type !== 'ruleError') {
          return r;
        }
      }
    };
    const text = 'import torch\nfrom settings import T\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\ns = torch.optim.lr_scheduler.StepLR(opt, step_size=T)\n';
    const ws: AnalysisJob = { key: 'train', text, languageId: 'python', options: {}, workspace: { root: '/repo', file: '/repo/train.py' } };
    // Job 1 asks the host for a file; the host asks it to stop before answering.
    handle({ type: 'job', id: 1, job: ws });
    let told = false;
    const first = await host(() => {
      if (told) return;
      told = true;
      handle({ type: 'cancel', id: 1 });
    });
    assert.ok(told, 'the job read no file');
    assert.deepStrictEqual(first, { type: 'cancelled', id: 1 });
    // The next job of the document is analysed as usual.
    handle({ type: 'job', id: 2, job: ws });
    const got = await host();
    assert.ok(got.type === 'result', JSON.stringify(got).slice(0, 300));
    // StepLR(step_size=T) with T = 4 from settings.py: lr 0.1 for steps 0-3, then 0.01 (torch's rule, docs/torch-schedulers.md).
    assert.deepStrictEqual([...got.result.schedulers[0]!.curve!.lrs[0]!].slice(0, 5).map((v) => +v.toPrecision(12)), [0.1, 0.1, 0.1, 0.1, 0.01]);
  });

  it('a job past its time limit kills the worker and fails', async () => {
    const w = new FakeWorker();
    const { errors, log } = silentLog();
    const runner = new WorkerRunner(() => w, new CountingRunner(), log, 20);
    await assert.rejects(runner.run(job('k')), /no answer within 20 ms/);
    assert.ok(w.terminated);
    assert.strictEqual(errors.length, 1);
    runner.dispose();
  });
});
