/**
 * Where the analysis runs (issue 13): never on the extension host's thread while a worker can take it — a Node
 * worker thread in the desktop's host, a Web Worker of its own in VS Code for the Web's worker host. Proven by the
 * runner's count of results that arrived as messages from its workers, not by its configuration alone.
 */
import * as assert from 'assert';
import { activate, closeAll, HOST, openFixture, replaceText, WAIT_MS } from './helpers';

const WANTED = HOST === 'web' ? 'web worker' : 'worker thread';

suite('analysis runner', () => {
  teardown(closeAll);

  test(`an edit is analysed in a ${WANTED}, not on the extension host's thread`, async function () {
    this.timeout(WAIT_MS * 2);
    if (HOST === 'web') assert.strictEqual(typeof (globalThis as { Worker?: unknown }).Worker, 'function', 'the worker host has no Worker');
    const api = await activate();
    const { document } = await openFixture('warmup_restarts.py');
    const first = await api.analysisFor(document.uri);
    assert.ok(first && first.schedulers.length > 0, 'no scheduler in warmup_restarts.py');
    const before = api.analysisRunner();
    assert.strictEqual(before.kind, WANTED);
    assert.ok(before.fromWorkers > 0, 'the first analysis did not come from a worker');

    // A new version of the document: its analysis is a new job, answered by the worker.
    await replaceText(document, 'T_0=150', 'T_0=120');
    const second = await api.analysisFor(document.uri);
    const after = api.analysisRunner();
    assert.strictEqual(after.kind, WANTED, 'the runner fell back to the extension host');
    assert.ok(after.fromWorkers > before.fromWorkers, `no new result from the ${WANTED} (${before.fromWorkers} → ${after.fromWorkers})`);
    const t0 = second?.schedulers.find((s) => s.kind === 'CosineAnnealingWarmUpRestarts')?.args['T_0'];
    assert.strictEqual(t0, 120, 'the result is not the edited version\'s');
  });
});
