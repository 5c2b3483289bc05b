/**
 * VS Code for the Web's runner (src/extension/webWorker.ts) with the real browser bundle of the analysis
 * (dist/web/analysisWorker.js as esbuild.mjs builds it): in a Web Worker — here a browser Worker made of a Node
 * worker thread that runs the blob's script with a worker's globals and no `process` — and in-process, where
 * the same bundle is evaluated on the caller's thread. Expected results come from analyze() in this process.
 */
import * as assert from 'assert';
import { resolveObjectURL } from 'buffer';
import { Worker as NodeWorker } from 'worker_threads';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { AnalysisJob, AnalysisRunner } from '../../../src/extension/analysisRunner';
import { fsGrammarLoader } from '../../../src/frontends/nodeGrammars';
import type { GrammarLoader } from '../../../src/frontends/parser';
import { createWebRunner, type WorkerConstructor } from '../../../src/extension/webWorker';
import { WorkerRunner } from '../../../src/extension/workerRunner';
import { buildWebAnalysis } from './webAnalysisBundle';

const PY = [
  'import torch',
  'from torch.optim.lr_scheduler import StepLR',
  'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
  'sched = StepLR(opt, step_size=3, gamma=0.5)',
  '',
].join('\n');
const TS = "const sched = new StepLR(optimizer, { step_size: 2, gamma: 0.1 });\n";

const job = (key: string, text: string, languageId: string): AnalysisJob => ({ key, text, languageId, options: { steps: 8 } });
const strip = (r: AnalysisResult) => ({ ...r, timing: null });

/** A browser Worker made of a Node worker thread: the blob URL's script, with postMessage/onmessage globals. */
class ThreadWorker {
  static readonly names: string[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message?: string }) => void) | null = null;
  onmessageerror: ((e: unknown) => void) | null = null;
  private thread: NodeWorker | undefined;
  private readonly waiting: [unknown, unknown[] | undefined][] = [];
  private ended = false;

  constructor(url: string, options?: { name?: string }) {
    ThreadWorker.names.push(options?.name ?? '');
    const blob = resolveObjectURL(url);
    if (!blob) throw new Error(`not a blob URL: ${url}`);
    void blob.text().then((script) => {
      if (this.ended) return;
      // A DedicatedWorkerGlobalScope's postMessage/onmessage; Node's `process`, `require` and CommonJS names hidden
      // from the script, as in a browser.
      const scope = [
        "const { parentPort } = require('worker_threads');",
        'globalThis.postMessage = (m, t) => parentPort.postMessage(m, t);',
        'parentPort.on("message", (data) => globalThis.onmessage && globalThis.onmessage({ data }));',
        `(function (process, require, module, exports, __filename, __dirname) {\n${script}\n})();`,
      ].join('\n');
      const thread = new NodeWorker(scope, { eval: true });
      this.thread = thread;
      thread.on('message', (data: unknown) => this.onmessage?.({ data }));
      thread.on('error', (e: Error) => this.onerror?.({ message: e.message }));
      for (const [m, t] of this.waiting.splice(0)) thread.postMessage(m, t as never);
    });
  }

  postMessage(msg: unknown, transfer?: unknown[]): void {
    if (this.thread) this.thread.postMessage(msg, transfer as never);
    else this.waiting.push([msg, transfer]);
  }

  terminate(): void {
    this.ended = true;
    void this.thread?.terminate();
  }
}

function recordingLog() {
  const errors: string[] = [];
  const infos: string[] = [];
  return { errors, infos, log: { error: (m: string) => errors.push(m), info: (m: string) => infos.push(m) } };
}

/** The grammars read with fs, each file asked for remembered. */
function countingGrammars(): { asked: string[]; grammars: GrammarLoader } {
  const asked: string[] = [];
  const read = fsGrammarLoader();
  return { asked, grammars: (file) => (asked.push(file), read(file)) };
}

async function sameAsHere(runner: AnalysisRunner, key: string, text: string, languageId: string): Promise<AnalysisResult> {
  const got = await runner.run(job(key, text, languageId));
  assert.deepStrictEqual(strip(got), strip(await analyze(text, languageId, { steps: 8 })));
  assert.ok(got.schedulers[0]?.curve?.lrs[0] instanceof Float64Array, 'the curves arrive as Float64Array');
  return got;
}

describe('extension/webWorker (the browser runner)', function () {
  this.timeout(60_000);

  it('analyses in a Web Worker started from the bundle: grammars asked of the host, results as analyze() gives them', async () => {
    const source = await buildWebAnalysis();
    const { errors, log } = recordingLog();
    const { asked, grammars } = countingGrammars();
    const runner = createWebRunner({ source: async () => source, grammars, log, Worker: ThreadWorker as unknown as WorkerConstructor });
    try {
      assert.strictEqual(runner.kind, 'web worker');
      const py = await sameAsHere(runner, 'a.py', PY, 'python');
      // StepLR(step_size=3, gamma=0.5) from lr 0.1, computed independently.
      assert.deepStrictEqual([...py.schedulers[0]!.curve!.lrs[0]!].slice(0, 7), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
      await sameAsHere(runner, 'b.ts', TS, 'typescript');
      assert.deepStrictEqual(asked.sort(), ['tree-sitter-python.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter.wasm']);
      assert.strictEqual((runner as WorkerRunner).answered, 2, 'both results came from the worker');
      assert.strictEqual(runner.kind, 'web worker');
      assert.deepStrictEqual(ThreadWorker.names, ['LR Lens analysis'], 'one worker for both jobs');
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });

  it("a workspace job reads the repository's files through the host from the Web Worker", async () => {
    const source = await buildWebAnalysis();
    const { errors, log } = recordingLog();
    const runner = createWebRunner({ source: async () => source, grammars: fsGrammarLoader(), log, Worker: ThreadWorker as unknown as WorkerConstructor });
    const reads: string[] = [];
    const readFile = async (p: string) => (reads.push(p), p === '/repo/settings.py' ? new TextEncoder().encode('T_MAX = 4\n') : undefined);
    const text = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nfrom settings import T_MAX\n'
      + 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\nsched = CosineAnnealingLR(opt, T_max=T_MAX)\n';
    try {
      const result = await runner.run({ key: 'train', text, languageId: 'python', options: {}, workspace: { root: '/repo', file: '/repo/train.py' } }, { readFile });
      // CosineAnnealingLR's default horizon is T_max + 1 values: T_MAX = 4 came from settings.py.
      assert.strictEqual(result.schedulers[0]!.curve?.lrs[0]!.length, 5);
      assert.ok(reads.includes('/repo/settings.py'), reads.join(', '));
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });

  it('without a Worker constructor, the same bundle runs on this thread, and the log says so', async () => {
    const source = await buildWebAnalysis();
    const { errors, infos, log } = recordingLog();
    const { asked, grammars } = countingGrammars();
    const runner = createWebRunner({ source: async () => source, grammars, log, Worker: undefined });
    try {
      assert.strictEqual(runner.kind, 'in-process');
      assert.ok(infos.some((m) => /no Web Worker.*in-process/.test(m)), infos.join('\n'));
      await sameAsHere(runner, 'a.py', PY, 'python');
      assert.ok(asked.includes('tree-sitter-python.wasm'), 'the in-process bundle reads the grammars through the host loader');
      assert.deepStrictEqual(errors, []);
    } finally {
      runner.dispose();
    }
  });

  it('when workers cannot start (code-server refuses a vscode-remote: worker), it analyses in-process after 3 tries, and says so', async () => {
    const source = await buildWebAnalysis();
    const { errors, log } = recordingLog();
    class Refusing {
      constructor() {
        throw new Error('Creating workers from remote extensions is currently not supported.');
      }
    }
    const runner = createWebRunner({ source: async () => source, grammars: fsGrammarLoader(), log, Worker: Refusing as unknown as WorkerConstructor });
    try {
      for (let i = 0; i < WorkerRunner.MAX_CRASHES; i++) {
        await assert.rejects(runner.run(job('a.py', PY, 'python')), /could not start: Creating workers from remote extensions/);
      }
      assert.strictEqual(errors.length, WorkerRunner.MAX_CRASHES);
      assert.match(errors.at(-1)!, /3 times in a row.*on the extension host from now on/);
      assert.strictEqual(runner.kind, 'in-process');
      await sameAsHere(runner, 'a.py', PY, 'python');
      assert.strictEqual((runner as WorkerRunner).answered, 0, 'no result came from a worker');
    } finally {
      runner.dispose();
    }
  });
});
