import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { DocumentSession, DocumentSessions, simulationKey } from '../../../src/analysis/incremental';
import type { AnalysisResult, AnalyzeOptions } from '../../../src/analysis/types';
import type { Program } from '../../../src/engine/types';
import { goldenFamilies, goldenTraces } from '../../golden';
import { randomEdit } from './edits';
import { rng } from '../rng';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

/** A result without its timings (the only part that may differ between two analyses of one text). */
function comparable(r: AnalysisResult): Omit<AnalysisResult, 'timing'> {
  const { timing: _timing, ...rest } = r;
  return rest;
}

function examples(): { file: string; languageId: string; text: string }[] {
  return fs.readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.py') || f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => ({ file: f, languageId: f.endsWith('.py') ? 'python' : 'typescript', text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8') }));
}

describe('analysis/incremental: an edit re-analysed with the document session gives the from-scratch result', function () {
  this.timeout(120_000);

  for (const { file, languageId, text } of examples()) {
    it(`${file}: 30 random edits (typing, deleting, breaking and fixing the syntax), every curve and diagnostic identical`, async () => {
      const r = rng(file.length * 7919 + text.length);
      const session = new DocumentSession();
      const options: AnalyzeOptions = { steps: 400, strict: true };
      let current = text;
      try {
        for (let i = 0; i < 30; i++) {
          current = randomEdit(current, text, r);
          const incremental = await analyze(current, languageId, options, session);
          const scratch = await analyze(current, languageId, options);
          assert.deepStrictEqual(comparable(incremental), comparable(scratch), `after edit ${i + 1} of ${file}:\n${current}`);
        }
      } finally {
        session.dispose();
      }
    });
  }

  it('every golden case (torch traces, other families) in one session, as one document rewritten, then edited', async () => {
    const session = new DocumentSession();
    const r = rng(1913);
    try {
      for (const c of [...goldenTraces().cases, ...goldenFamilies().cases]) {
        const options: AnalyzeOptions = { steps: c.steps, strict: true };
        for (const text of [c.source, randomEdit(c.source, c.source, r)]) {
          assert.deepStrictEqual(comparable(await analyze(text, 'python', options, session)), comparable(await analyze(text, 'python', options)), `${c.id}:\n${text}`);
        }
      }
    } finally {
      session.dispose();
    }
  });

  it('the same text again, a language change, and a session used after dispose', async () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'one_cycle.py'), 'utf8');
    const session = new DocumentSession();
    const first = await analyze(text, 'python', {}, session);
    assert.deepStrictEqual(comparable(await analyze(text, 'python', {}, session)), comparable(first));
    // Python text analysed as TypeScript: the Python tree is not reused for another grammar.
    assert.deepStrictEqual(comparable(await analyze(text, 'typescript', {}, session)), comparable(await analyze(text, 'typescript', {})));
    assert.deepStrictEqual(comparable(await analyze(text, 'python', {}, session)), comparable(first));
    session.dispose();
    assert.deepStrictEqual(comparable(await analyze(text, 'python', {}, session)), comparable(first));
  });

  it('a curve whose input did not change is the same array; the edited construction\'s is new', async () => {
    const text = [
      'import torch',
      'from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR',
      'a_opt = torch.optim.SGD(m1.parameters(), lr=0.1)',
      'b_opt = torch.optim.SGD(m2.parameters(), lr=0.1)',
      'a = StepLR(a_opt, step_size=3, gamma=0.5)',
      'b = CosineAnnealingLR(b_opt, T_max=10)',
      '',
    ].join('\n');
    const session = new DocumentSession();
    const before = await analyze(text, 'python', {}, session);
    const after = await analyze(text.replace('step_size=3', 'step_size=4'), 'python', {}, session);
    assert.notStrictEqual(after.schedulers[0]!.curve!.lrs[0], before.schedulers[0]!.curve!.lrs[0]);
    // StepLR(step_size=4, gamma=0.5) from 0.1: 0.1 for steps 0–3, then 0.05.
    assert.deepStrictEqual([...after.schedulers[0]!.curve!.lrs[0]!.slice(0, 6)], [0.1, 0.1, 0.1, 0.1, 0.05, 0.05]);
    assert.strictEqual(after.schedulers[1]!.curve!.lrs[0], before.schedulers[1]!.curve!.lrs[0]);
    // Both on one optimizer: each replays the other, so both are simulated again.
    const shared = text.replace('b_opt, T_max', 'a_opt, T_max');
    const s1 = await analyze(shared, 'python', {}, session);
    const s2 = await analyze(shared.replace('step_size=3', 'step_size=5'), 'python', {}, session);
    assert.notStrictEqual(s2.schedulers[1]!.curve!.lrs[0], s1.schedulers[1]!.curve!.lrs[0]);
    assert.deepStrictEqual(comparable(s2), comparable(await analyze(shared.replace('step_size=3', 'step_size=5'), 'python', {})));
    session.dispose();
  });

  it('a callable in the input means no key (its code and globals are not in it); numbers keep NaN, ±Infinity and -0 apart', () => {
    const program = (lr: number): Program => ({
      optimizers: [{ type: 'SGD', defaults: {}, groups: [{ lr }] }],
      schedulers: [{ kind: 'StepLR', args: { step_size: { kind: 'int', value: 3 } }, optimizer: 0 }],
    });
    const keys = [NaN, Infinity, -Infinity, 0, -0, 0.1].map((lr) => simulationKey(program(lr), 0, 10));
    assert.strictEqual(new Set(keys).size, keys.length);
    assert.notStrictEqual(simulationKey(program(0.1), 0, 10), simulationKey(program(0.1), 0, 11));
    const withLambda: Program = {
      optimizers: [{ type: 'SGD', defaults: {}, groups: [{ lr: 0.1 }] }],
      schedulers: [{ kind: 'LambdaLR', args: { lr_lambda: { kind: 'func', name: 'f', call: (x) => x } }, optimizer: 0 }],
    };
    assert.strictEqual(simulationKey(withLambda, 0, 10), null);
  });

  it('keeps the sessions of the last few documents, disposing the others', async () => {
    const sessions = new DocumentSessions(() => undefined, 2);
    const a = sessions.get('a').session;
    const b = sessions.get('b').session;
    assert.strictEqual(sessions.get('a').session, a);
    sessions.get('c'); // evicts b, the least recently used
    assert.strictEqual(sessions.get('a').session, a);
    assert.notStrictEqual(sessions.get('b').session, b);
    sessions.clear();
  });
});
