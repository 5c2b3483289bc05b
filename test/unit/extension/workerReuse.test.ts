import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { analyze } from '../../../src/analysis/analyze';
import type { HostMessage, WorkerReply } from '../../../src/extension/analysisRunner';
import { InProcessRunner } from '../../../src/extension/inProcessRunner';
import { sameData as same } from '../../../src/analysis/incremental';
import { workerSide } from '../../../src/extension/workerCore';
import { WorkerRunner, type WorkerLike } from '../../../src/extension/workerRunner';
import { randomEdit } from '../analysis/edits';
import { rng } from '../rng';
import { comparable } from '../analysis/comparable';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

/** workerCore on this thread, every message structured-cloned both ways, buffers moved as postMessage moves them. */
class InThreadWorker implements WorkerLike {
  readonly replies: WorkerReply[] = [];
  private listener: ((r: WorkerReply) => void) | undefined;
  private readonly handle = workerSide((reply, transfer) => {
    const copy = structuredClone(reply, { transfer });
    // As sent (the runner completes the result it is given with what it holds).
    this.replies.push(structuredClone(copy));
    setImmediate(() => this.listener?.(copy));
  });
  postMessage(msg: HostMessage): void {
    const copy = structuredClone(msg);
    setImmediate(() => this.handle(copy));
  }
  onMessage(listener: (reply: WorkerReply) => void): void {
    this.listener = listener;
  }
  onExit(): void {}
  terminate(): void {}
}

describe('extension/workerCore: curves the host holds are referenced, not sent again', function () {
  this.timeout(60_000);

  it('20 random edits through a worker runner: each result is the from-scratch analysis, with unchanged curves reused', async () => {
    const original = fs.readFileSync(path.join(EXAMPLES, 'warmup_restarts.py'), 'utf8');
    const worker = new InThreadWorker();
    const runner = new WorkerRunner(() => worker, new InProcessRunner(), { error: (m) => assert.fail(m), info: () => undefined });
    const r = rng(7);
    let text = original;
    let reused = 0;
    try {
      for (let i = 0; i < 20; i++) {
        text = i === 0 ? text : randomEdit(text, original, r);
        const got = await runner.run({ key: 'doc', text, languageId: 'python', options: {} });
        const reply = worker.replies[worker.replies.length - 1]!;
        if (reply.type === 'result') reused += (reply.reused?.length ?? 0) + (reply.kept?.filter((k) => k >= 0).length ?? 0);
        assert.deepStrictEqual(comparable(got), comparable(await analyze(text, 'python', {})), `edit ${i}:\n${text}`);
      }
    } finally {
      runner.dispose();
    }
    assert.ok(reused > 0, 'no curve or scheduler was ever reused');
  });

  it('another key, or a host that holds nothing, gets every value again', async () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'one_cycle.py'), 'utf8');
    const worker = new InThreadWorker();
    const runner = new WorkerRunner(() => worker, new InProcessRunner(), { error: (m) => assert.fail(m), info: () => undefined });
    try {
      const expected = comparable(await analyze(text, 'python', {}));
      assert.deepStrictEqual(comparable(await runner.run({ key: 'a', text, languageId: 'python', options: {} })), expected);
      assert.deepStrictEqual(comparable(await runner.run({ key: 'a', text, languageId: 'python', options: {} })), expected);
      const last = worker.replies[worker.replies.length - 1]!;
      assert.ok(last.type === 'result' && last.kept?.every((k, i) => k === i) && last.result.schedulers.length === 0,
        'the same text again: every scheduler is the held one, none is sent');
      assert.deepStrictEqual(comparable(await runner.run({ key: 'b', text, languageId: 'python', options: {} })), expected);
      const other = worker.replies[worker.replies.length - 1]!;
      assert.ok(other.type === 'result' && !other.reused && !other.kept, 'another key holds nothing');
      // A closed document: both sides drop what they kept for it.
      runner.forget('a');
      assert.deepStrictEqual(comparable(await runner.run({ key: 'a', text, languageId: 'python', options: {} })), expected);
      const afresh = worker.replies[worker.replies.length - 1]!;
      assert.ok(afresh.type === 'result' && !afresh.reused && !afresh.kept, 'a forgotten key starts afresh');
    } finally {
      runner.dispose();
    }
  });
});

/** Independent blocks and two schedulers on one optimizer (LR001 reads the earlier one and the whole file's text). */
const SHARED = [
  'import torch',
  'from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR, ExponentialLR',
  'model = torch.nn.Linear(2, 2)',
  'opt_a = torch.optim.SGD(model.parameters(), lr=0.1)',
  'sched_a = StepLR(opt_a, step_size=30, gamma=0.5)',
  'opt_b = torch.optim.SGD(model.parameters(), lr=0.1)',
  'sched_b = ExponentialLR(opt_b, gamma=0.9)',
  'opt_c = torch.optim.SGD(model.parameters(), lr=0.1)',
  'first = StepLR(opt_c, step_size=5)',
  'second = CosineAnnealingLR(opt_c, T_max=10, last_epoch=-1)',
  'for epoch in range(20):',
  '    sched_a.step()',
  '',
].join('\n');

describe('extension/workerCore: schedulers the host holds are referenced, not sent again', function () {
  this.timeout(60_000);

  /** Each edit, with the schedulers (by variable) that must be sent again: the others' analyses are unchanged. */
  const EDITS: [string, (t: string) => string, string[] | null][] = [
    ['a number of one block', (t) => t.replace('step_size=30', 'step_size=31'), ['sched_a']],
    ['the same number again', (t) => t.replace('step_size=31', 'step_size=32'), ['sched_a']],
    // A cross-construction rule: `second` resumes (LR001) unless an earlier fresh scheduler on opt_c set initial_lr.
    ['resume the second of two on one optimizer', (t) => t.replace('last_epoch=-1', 'last_epoch=3'), null],
    ['the first on that optimizer resumes too', (t) => t.replace('StepLR(opt_c, step_size=5)', 'StepLR(opt_c, step_size=5, last_epoch=2)'), null],
    // LR001 reads the whole file: a state_dict loaded into opt_c, far from both constructions, softens it.
    ['a line far away that a rule reads', (t) => `${t}opt_c.load_state_dict(torch.load("ckpt.pt"))\n`, null],
    ['a line inserted at the top (every range moves)', (t) => `# a comment\n${t}`, null],
    ['that line deleted again', (t) => t.replace('# a comment\n', ''), null],
  ];

  it('a series of edits: each result is the from-scratch one; an edit that changes one scheduler sends that one only', async () => {
    const worker = new InThreadWorker();
    const runner = new WorkerRunner(() => worker, new InProcessRunner(), { error: (m) => assert.fail(m), info: () => undefined });
    let text = SHARED;
    try {
      await runner.run({ key: 'doc', text, languageId: 'python', options: {} });
      const variables = (await analyze(text, 'python', {})).schedulers.map((s) => s.variable);
      let before = comparable(await analyze(text, 'python', {}));
      for (const [what, edit, sent] of EDITS) {
        text = edit(text);
        const got = await runner.run({ key: 'doc', text, languageId: 'python', options: {} });
        const scratch = comparable(await analyze(text, 'python', {}));
        assert.deepStrictEqual(comparable(got), scratch, what);
        const reply = worker.replies[worker.replies.length - 1]!;
        assert.ok(reply.type === 'result');
        // What changed, from the two from-scratch analyses: exactly those are sent (when the ids did not move).
        const changed = scratch.schedulers.filter((s, i) => !isDeepStrictEqual(s, before.schedulers[i])).map((s) => s.variable);
        if (sent) {
          assert.deepStrictEqual(changed, sent, `${what}: the edit changes ${sent.join(', ')} only`);
          assert.deepStrictEqual(reply.result.schedulers.map((s) => s.variable), sent, `${what}: sent`);
          assert.deepStrictEqual(reply.kept?.filter((k) => k < 0).length, sent.length);
        } else {
          assert.ok(changed.length > 0, `${what}: the edit changes some analysis`);
          assert.deepStrictEqual(reply.result.schedulers.map((s) => s.variable), changed, `${what}: sent what changed`);
        }
        assert.deepStrictEqual(got.schedulers.map((s) => s.variable), variables);
        before = scratch;
      }
    } finally {
      runner.dispose();
    }
  });

  it('compares as structured clone copies: NaN, -0, an undefined key, a Map, an array\'s values are told apart', () => {
    const a = new Float64Array([1]);
    assert.ok(same({ x: [1, 'a', null, { y: NaN }], a }, { x: [1, 'a', null, { y: NaN }], a }));
    assert.ok(!same({ x: 0 }, { x: -0 }));
    assert.ok(!same({ x: NaN }, { x: null }));
    assert.ok(!same({ x: undefined }, {}));
    assert.ok(!same({ m: new Map([[1, 2]]) }, { m: new Map() }));
    assert.ok(same({ a }, { a: new Float64Array([1]) }), 'value arrays by their values');
    assert.ok(same(new Float64Array([NaN, -0]), new Float64Array([NaN, -0])));
    assert.ok(!same(new Float64Array([0]), new Float64Array([-0])));
    assert.ok(!same(new Float64Array([1, 2]), new Float64Array([1, 3])));
    assert.ok(!same(new Float64Array([1]), new Float64Array([1, 1])));
    assert.ok(!same(new Float64Array([1]), [1]));
    assert.ok(!same([1, 2], { 0: 1, 1: 2 }));
  });

  it('after each result the session\'s idle work is handed to `later` (the frozen copy made off the reply\'s path), and the next result is unchanged by it', async () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'warmup_restarts.py'), 'utf8');
    const idle: (() => void)[] = [];
    const replies: WorkerReply[] = [];
    const handle = workerSide((reply) => replies.push(reply), (work) => idle.push(work));
    const job = async (id: number, t: string) => {
      handle({ type: 'job', id, job: { key: 'doc', text: t, languageId: 'python', options: {} } } as HostMessage);
      while (!replies.some((r) => r.type === 'result' && r.id === id)) await new Promise((r) => setImmediate(r));
    };
    await job(1, text);
    assert.strictEqual(idle.length, 1, 'one idle work per result');
    idle.splice(0).forEach((w) => w());
    const edited = text.replace(/\d+/, (d) => String(Number(d) + 1));
    await job(2, edited);
    assert.strictEqual(idle.length, 1);
    const last = replies[replies.length - 1]!;
    assert.ok(last.type === 'result');
    const fresh = await analyze(edited, 'python', {});
    assert.deepStrictEqual(last.result.schedulers.length, fresh.schedulers.length);
  });
});
