/**
 * Where the analysis runs (issue 13): never on the extension host's thread while a worker can take it — a Node
 * worker thread in the desktop's host, a Web Worker of its own in VS Code for the Web's worker host. Proven by the
 * runner's count of results that arrived as messages from its workers, not by its configuration alone.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFsGrammarLoader } from '../../src/extension/grammars';
import { createWebRunner } from '../../src/extension/webWorker';
import { activate, closeAll, extension, HOST, openFixture, replaceText, WAIT_MS } from './helpers';

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

  // The browser's fallback, for a host without Worker: the same bundle evaluated in this worker (new Function),
  // which only a real worker host can show works (its CSP, VS Code's patched globals).
  (HOST === 'web' ? test : test.skip)('without a Worker, the analysis bundle runs in the extension host\'s worker (in-process)', async function () {
    this.timeout(WAIT_MS);
    const ext = extension();
    const bundle = vscode.Uri.joinPath(ext.extensionUri, 'dist', 'web', 'analysisWorker.js');
    const infos: string[] = [];
    const errors: string[] = [];
    const runner = createWebRunner({
      source: async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(bundle)),
      grammars: workspaceFsGrammarLoader(ext.extensionUri),
      log: { info: (m) => infos.push(m), error: (m) => errors.push(m) },
      Worker: undefined,
    });
    try {
      assert.strictEqual(runner.kind, 'in-process');
      assert.ok(infos.some((m) => /no Web Worker/.test(m)), infos.join('\n'));
      const text = 'import torch\nfrom torch.optim.lr_scheduler import StepLR\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n'
        + 'sched = StepLR(opt, step_size=3, gamma=0.5)\n';
      const result = await runner.run({ key: 'in-process', text, languageId: 'python', options: { steps: 7 } });
      // StepLR(step_size=3, gamma=0.5) from lr 0.1, computed independently.
      assert.deepStrictEqual([...result.schedulers[0]!.curve!.lrs[0]!], [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });
});
