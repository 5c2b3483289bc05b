import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { DocumentSession, DocumentSessions, simulationKey } from '../../../src/analysis/incremental';
import type { AnalyzeOptions } from '../../../src/analysis/types';
import type { Arg, Program } from '../../../src/engine/types';
import { goldenFamilies, goldenTraces } from '../../golden';
import { randomEdit } from './edits';
import { rng } from '../rng';
import { comparable } from './comparable';

const EXAMPLES = path.join(__dirname, '..', '..', '..', '..', 'examples');

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
    // A callable whose language layer wrote down all it depends on (Arg `key`): keyed by that, whatever its closure.
    const keyed = (key: string, extra: Record<string, Arg> = {}): Program => ({
      optimizers: [{ type: 'SGD', defaults: {}, groups: [{ lr: 0.1 }] }],
      schedulers: [{ kind: 'LambdaLR', args: { lr_lambda: { kind: 'func', name: 'f', call: (x) => x, key }, ...extra }, optimizer: 0 }],
    });
    const k1 = simulationKey(keyed('def f(e): return e | '), 0, 10);
    assert.ok(k1 !== null);
    assert.strictEqual(simulationKey(keyed('def f(e): return e | '), 0, 10), k1);
    assert.notStrictEqual(simulationKey(keyed('def f(e): return e + 1 | '), 0, 10), k1);
    // The replacer's way (a -0 elsewhere) too; an unkeyed callable beside it still means no key.
    const k2 = simulationKey(keyed('def f(e): return e | ', { last_epoch: { kind: 'int', value: -0 } }), 0, 10);
    assert.ok(k2 !== null && k2 !== k1);
    assert.strictEqual(simulationKey(keyed('k', { other: { kind: 'func', name: 'g', call: (x) => x } }), 0, 10), null);
    assert.strictEqual(simulationKey(keyed('k', { other: { kind: 'func', name: 'g', call: (x) => x }, last_epoch: { kind: 'int', value: -0 } }), 0, 10), null);
  });

  it('keys tell apart what the engine tells apart: a number and its text, an absent and an undefined argument, either way of writing a key', () => {
    const program = (args: Program['schedulers'][0]['args']): Program => ({
      optimizers: [{ type: 'SGD', defaults: {}, groups: [{ lr: 0.1 }] }],
      schedulers: [{ kind: 'StepLR', args, optimizer: 0 }],
    });
    const variants: Program['schedulers'][0]['args'][] = [
      { step_size: { kind: 'int', value: 3 } },
      { step_size: { kind: 'str', value: '3' } },
      { step_size: { kind: 'str', value: 'n3' } },
      { step_size: { kind: 'int', value: 3 }, gamma: undefined as unknown as Arg },
      { step_size: { kind: 'int', value: -0 } },
      { step_size: { kind: 'int', value: 0 } },
      { step_size: { kind: 'str', value: 'n-0' } },
    ];
    const keys = variants.map((a) => simulationKey(program(a), 0, 10));
    assert.ok(keys.every((k) => k !== null));
    assert.strictEqual(new Set(keys).size, keys.length, keys.join('\n'));
    // The same input, built twice: the same key.
    assert.strictEqual(simulationKey(program({ step_size: { kind: 'int', value: 3 } }), 0, 10), keys[0]);
  });

  it('on an edit of one block, every other construction\'s analysis is the kept one, its simulation too when lines moved; a changed dependency or suppression comment is redone; a callable without a key always is', async () => {
    const block = (i: number, sched: string) => [
      `opt_${i} = torch.optim.SGD(model.parameters(), lr=0.1)`,
      `sched_${i} = ${sched.replace('OPT', `opt_${i}`)}`,
    ];
    const text = [
      'import torch',
      'from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR, LambdaLR, OneCycleLR',
      'EPOCHS = 90',
      // It reads a list (which a function the engine runs could change): no key (python-func-keys.test.ts).
      'SCALE = [1.0]',
      'def warm(e):',
      '    return SCALE[0] * min(1.0, (e + 1) / 5)',
      ...block(1, 'StepLR(OPT, step_size=30, gamma=0.5)'),
      ...block(2, 'CosineAnnealingLR(OPT, T_max=EPOCHS)'),
      ...block(3, 'LambdaLR(OPT, lr_lambda=warm)'),
      ...block(4, 'OneCycleLR(OPT, max_lr=0.1, total_steps=EPOCHS)'),
      '',
    ].join('\n');
    const session = new DocumentSession();
    const counted = async (t: string) => {
      const sims = { ...session.counts };
      const whole = { ...session.constructionCounts };
      const got = await analyze(t, 'python', { strict: true }, session);
      assert.deepStrictEqual(comparable(got), comparable(await analyze(t, 'python', { strict: true })));
      const d = <T extends Record<string, number>>(now: T, was: T) => Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - was[k]!]));
      return { simulations: d(session.counts, sims), constructions: d(session.constructionCounts, whole) };
    };
    try {
      assert.deepStrictEqual(await counted(text), {
        simulations: { hit: 0, miss: 3, unkeyed: 1 }, constructions: { hit: 0, miss: 3, stale: 0, unkeyed: 1 },
      });
      // The other blocks' whole analyses are the kept ones (their simulations are not even looked up).
      const edited = text.replace('step_size=30', 'step_size=31');
      assert.deepStrictEqual(await counted(edited), {
        simulations: { hit: 0, miss: 1, unkeyed: 1 }, constructions: { hit: 2, miss: 1, stale: 0, unkeyed: 1 },
      }, 'a number of one block');
      // Every range moved: each construction is analysed again (its ranges are in its analysis), its simulation is kept.
      const moved = `# a comment\n\n${edited}`;
      assert.deepStrictEqual(await counted(moved), {
        simulations: { hit: 3, miss: 0, unkeyed: 1 }, constructions: { hit: 0, miss: 3, stale: 0, unkeyed: 1 },
      }, 'every line moved');
      // EPOCHS is read by two constructions: both are analysed and simulated again.
      assert.deepStrictEqual(await counted(moved.replace('EPOCHS = 90', 'EPOCHS = 91')), {
        simulations: { hit: 0, miss: 2, unkeyed: 1 }, constructions: { hit: 1, miss: 2, stale: 0, unkeyed: 1 },
      }, 'a constant two read');
      // A suppression comment on a line a kept analysis read: that one is analysed again (its diagnostic goes).
      const silenced = moved.replace('EPOCHS = 90', 'EPOCHS = 91').replace('sched_1 = StepLR(opt_1, step_size=31, gamma=0.5)', 'sched_1 = StepLR(opt_1, step_size=31, gamma=0.5)  # lr-lens: ignore');
      const before = session.constructionCounts.stale;
      const got = await analyze(silenced, 'python', { strict: true }, session);
      assert.strictEqual(session.constructionCounts.stale - before, 1);
      assert.deepStrictEqual(got.schedulers.find((s) => s.variable === 'sched_1')!.diagnostics, []);
      assert.deepStrictEqual(comparable(got), comparable(await analyze(silenced, 'python', { strict: true })));
    } finally {
      session.dispose();
    }
  });

  it('a construction whose rules read the text is analysed again on every edit (LR001 reads the whole file), the others are kept', async () => {
    const text = [
      'import torch',
      'from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR',
      'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
      'resumed = CosineAnnealingLR(opt, T_max=10, last_epoch=3)',
      'other_opt = torch.optim.SGD(model.parameters(), lr=0.1)',
      'other = StepLR(other_opt, step_size=5)',
      '',
    ].join('\n');
    const session = new DocumentSession();
    try {
      const first = await analyze(text, 'python', { strict: true }, session);
      assert.ok(first.schedulers[0]!.diagnostics.some((d) => d.code === 'LR001' && d.severity === 'error'), 'resumes without initial_lr');
      // A state_dict loaded into opt further down (no construction moves): LR001 is softened, which only the text says.
      const loaded = `${text}opt.load_state_dict(torch.load("ckpt.pt"))\n`;
      const was = { ...session.constructionCounts };
      const got = await analyze(loaded, 'python', { strict: true }, session);
      assert.deepStrictEqual(comparable(got), comparable(await analyze(loaded, 'python', { strict: true })));
      assert.ok(got.schedulers[0]!.diagnostics.some((d) => d.code === 'LR001' && d.severity === 'information'));
      assert.strictEqual(session.constructionCounts.hit - was.hit, 1, 'the other construction is kept');
      assert.strictEqual(got.schedulers[1], first.schedulers[1], 'as the same object');
      assert.strictEqual(session.constructionCounts.miss - was.miss, 1, 'the one whose rule read the text was not kept');
    } finally {
      session.dispose();
    }
  });

  it('a script of many blocks (one optimizer shared by two, a loop stepping one, a suppression): 40 random edits, each result the from-scratch one', async () => {
    const lines = [
      'import math',
      'import torch',
      'from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR, OneCycleLR, StepLR, ExponentialLR',
      'EPOCHS = 12',
      'def warm(e):',
      '    return min(1.0, (e + 1) / 3)',
    ];
    for (let i = 1; i <= 8; i++) {
      lines.push(`opt_${i} = torch.optim.SGD(model.parameters(), lr=0.0${i}, momentum=0.9)`);
      const kinds = [`StepLR(opt_${i}, step_size=${i + 2}, gamma=0.5)`, `CosineAnnealingLR(opt_${i}, T_max=EPOCHS)`, `LambdaLR(opt_${i}, lr_lambda=warm)`,
        `OneCycleLR(opt_${i}, max_lr=0.1, total_steps=EPOCHS * 4)`, `ExponentialLR(opt_${i}, gamma=0.9${i})`];
      lines.push(`sched_${i} = ${kinds[i % kinds.length]}${i === 5 ? '  # lr-lens: ignore[LR175]' : ''}`);
    }
    lines.push('again = StepLR(opt_2, step_size=4, last_epoch=-1)', 'for epoch in range(EPOCHS):', '    sched_1.step()', '    again.step()', '');
    const text = lines.join('\n');
    const r = rng(4242);
    const session = new DocumentSession();
    let current = text;
    try {
      for (let i = 0; i < 40; i++) {
        current = randomEdit(current, text, r);
        const incremental = await analyze(current, 'python', { strict: true }, session);
        assert.deepStrictEqual(comparable(incremental), comparable(await analyze(current, 'python', { strict: true })), `after edit ${i + 1}:\n${current}`);
      }
    } finally {
      session.dispose();
    }
    assert.ok(session.constructionCounts.hit > 0, 'some analyses were kept');
  });

  it('a construction that could not be evaluated, then deleted: a later resume on its optimizer now fails (KeyError initial_lr), not the kept curve', async () => {
    // LambdaLR with a lambda from code LR Lens cannot see still sets initial_lr (Program.opaque); without it the
    // resume (last_epoch=4) raises. The kept simulation of the CosineAnnealingLR must not stand in for the new one.
    const head = 'import torch\nfrom torch.optim.lr_scheduler import LambdaLR, CosineAnnealingLR\nfrom utils import get_warmup_fn\n' +
      'opt = torch.optim.SGD([torch.zeros(1)], lr=0.1)\n';
    const withOpaque = `${head}warmup = LambdaLR(opt, lr_lambda=get_warmup_fn(5))\nsched = CosineAnnealingLR(opt, T_max=100, last_epoch=4)\n`;
    const without = `${head}warmup = 0\nsched = CosineAnnealingLR(opt, T_max=100, last_epoch=4)\n`;
    const session = new DocumentSession();
    try {
      for (const text of [withOpaque, without, withOpaque]) {
        const got = await analyze(text, 'python', {}, session);
        const fresh = await analyze(text, 'python', {});
        assert.deepStrictEqual(comparable(got), comparable(fresh));
        const cos = got.schedulers.find((s) => s.kind === 'CosineAnnealingLR')!;
        assert.strictEqual(cos.failure?.type === 'KeyError', text === without, text);
      }
    } finally {
      session.dispose();
    }
  });

  it('a later warm-up on the same optimizer whose step() an edit breaks is in the main scheduler\'s replay again, not the kept curve', async () => {
    // The ninth audit's torchvision detection shape: a LinearLR built in the first epoch and stepped per batch is left out
    // of the MultiStepLR's replay (analyze.ts withoutSteppedLater); with its step() broken it is not stepped, and its
    // construction (start_factor 1/1000) is in the replay. The MultiStepLR's own input is the same both times.
    const text = (step: string) => 'import torch\nopt = torch.optim.SGD([torch.zeros(1)], lr=0.02)\n' +
      'main = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 4], gamma=0.1)\n' +
      'for epoch in range(6):\n    warm = None\n    if epoch == 0:\n        warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.001, total_iters=10)\n' +
      `    for x in loader:\n        opt.step()\n        if warm is not None:\n            ${step}\n    main.step()\n`;
    const session = new DocumentSession();
    try {
      const starts: number[] = [];
      for (const t of [text('warm.step()'), text('warm.st:ep()'), text('warm.step()')]) {
        const got = await analyze(t, 'python', {}, session);
        assert.deepStrictEqual(comparable(got), comparable(await analyze(t, 'python', {})));
        starts.push(got.schedulers.find((s) => s.kind === 'MultiStepLR')!.curve!.lrs[0]![0]!);
      }
      assert.deepStrictEqual(starts.map((x) => x < 0.001), [false, true, false], JSON.stringify(starts));
    } finally {
      session.dispose();
    }
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
