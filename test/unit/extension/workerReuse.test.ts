import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { HostMessage, WorkerReply } from '../../../src/extension/analysisRunner';
import { InProcessRunner } from '../../../src/extension/inProcessRunner';
import { workerSide } from '../../../src/extension/workerCore';
import { WorkerRunner, type WorkerLike } from '../../../src/extension/workerRunner';
import { randomEdit } from '../analysis/edits';
import { rng } from '../rng';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

/** workerCore on this thread, every message structured-cloned both ways, buffers moved as postMessage moves them. */
class InThreadWorker implements WorkerLike {
  readonly replies: WorkerReply[] = [];
  private listener: ((r: WorkerReply) => void) | undefined;
  private readonly handle = workerSide((reply, transfer) => {
    const copy = structuredClone(reply, { transfer });
    this.replies.push(copy);
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

function comparable(r: AnalysisResult): Omit<AnalysisResult, 'timing'> {
  const { timing: _timing, ...rest } = r;
  return rest;
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
        if (reply.type === 'result') reused += reply.reused?.length ?? 0;
        assert.deepStrictEqual(comparable(got), comparable(await analyze(text, 'python', {})), `edit ${i}:\n${text}`);
      }
    } finally {
      runner.dispose();
    }
    assert.ok(reused > 0, 'no curve was ever reused');
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
      assert.ok(last.type === 'result' && last.reused?.length, 'the same text again: its curves are reused');
      assert.deepStrictEqual(comparable(await runner.run({ key: 'b', text, languageId: 'python', options: {} })), expected);
      const other = worker.replies[worker.replies.length - 1]!;
      assert.ok(other.type === 'result' && !other.reused, 'another key holds nothing');
      // A closed document: both sides drop what they kept for it.
      runner.forget('a');
      assert.deepStrictEqual(comparable(await runner.run({ key: 'a', text, languageId: 'python', options: {} })), expected);
      const afresh = worker.replies[worker.replies.length - 1]!;
      assert.ok(afresh.type === 'result' && !afresh.reused, 'a forgotten key starts afresh');
    } finally {
      runner.dispose();
    }
  });
});
