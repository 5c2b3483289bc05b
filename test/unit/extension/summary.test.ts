import * as assert from 'assert';
import { argumentAt, code, describeArgument, schedulerAt, summaryLine } from '../../../src/extension/summary';
import { commandUri, escapeMarkdown, hoverMarkdown } from '../../../src/extension/hoverContent';
import { arg, range, stepScheduler } from './fixtures';

describe('extension/summary', () => {
  it('summarises a StepLR(10, 0.1) curve over 30 steps', () => {
    // lr_k = 0.1·0.1^⌊k/10⌋: peak 0.1 at 0, two decays, min 1e-3 (formatValue: scientific below 1e-2).
    assert.strictEqual(summaryLine(stepScheduler()), 'peak 0.1 @ 0 · 2 milestones · min 1e-3 · 30 steps');
  });

  it('mentions warm-up, restarts and a final value above the minimum', () => {
    const s = stepScheduler(3, {});
    s.curve!.summary = { start: 0, peak: { value: 0.1, step: 10 }, min: { value: 0, step: 0 }, final: 0.05, warmupEnd: 10, restarts: [20, 40, 80], milestones: [] };
    s.horizon = { steps: 100, source: 'T_0' };
    assert.strictEqual(summaryLine(s), 'peak 0.1 @ 10 · warm-up 10 · 3 restarts · min 0 · final 0.05 · 100 steps');
  });

  it('says why there is no curve', () => {
    assert.strictEqual(summaryLine(stepScheduler(3, { curve: null, error: 'ZeroDivisionError: integer modulo by zero' })), 'ZeroDivisionError: integer modulo by zero');
    assert.match(summaryLine(stepScheduler(3, { curve: null })), /unknown/);
    assert.match(summaryLine(stepScheduler(3, { curve: null, explanation: 'ReduceLROnPlateau follows a metric' })), /metric/);
  });

  it('labels the assumed values the curve rests on, with or without a curve', () => {
    const lr = { what: 'lr', value: 0.1, why: '`cfg.lr` is set at run time', placeholder: true };
    const tmax = { what: 'T_max', value: 100, why: 'default of --epochs', param: 'T_max' };
    assert.strictEqual(summaryLine(stepScheduler(3, { assumed: [lr] })), 'peak 0.1 @ 0 · 2 milestones · min 1e-3 · 30 steps · lr assumed 0.1');
    assert.strictEqual(summaryLine(stepScheduler(3, { assumed: [lr, tmax, { ...lr, what: 'momentum', value: 0 }] })),
      'peak 0.1 @ 0 · 2 milestones · min 1e-3 · 30 steps · lr assumed 0.1 · T_max assumed 100 · +1 assumed');
    assert.strictEqual(summaryLine(stepScheduler(3, { curve: null, error: 'ValueError: x', assumed: [tmax] })), 'ValueError: x · T_max assumed 100');
  });

  it('finds the scheduler and the argument under a position', () => {
    const outer = stepScheduler(3);
    const inner = stepScheduler(3, { id: 'inner', range: range(3, 20, 3, 33) });
    assert.strictEqual(schedulerAt([outer, inner], { line: 3, character: 25 })?.id, 'inner', 'innermost call wins');
    assert.strictEqual(schedulerAt([outer, inner], { line: 3, character: 10 })?.id, outer.id);
    assert.strictEqual(schedulerAt([outer], { line: 4, character: 10 }), undefined);
    assert.strictEqual(argumentAt(outer, { line: 3, character: 22 })?.name, 'step_size', 'the keyword counts too');
    assert.strictEqual(argumentAt(outer, { line: 3, character: 41 })?.name, 'gamma');
    assert.strictEqual(argumentAt(outer, { line: 3, character: 10 }), undefined);
  });

  it('describes arguments: origin, default, unknown with or without assumption', () => {
    assert.strictEqual(describeArgument(arg('T_0', { display: '100', origin: 'EPOCHS // 3 = 100' })), '`T_0 = EPOCHS // 3 = 100`');
    assert.strictEqual(describeArgument(arg('gamma', { display: '0.1', isDefault: true })), '`gamma = 0.1` (default)');
    assert.strictEqual(describeArgument(arg('step_size', { display: '10' })), '`step_size = 10`');
    assert.strictEqual(
      describeArgument(arg('lr', { known: false, assumed: true, display: '0.1', reason: '`args.lr` is set at run time' })),
      '`lr` is not known statically: `args.lr` is set at run time. Assumed `0.1` for the preview.');
    assert.match(describeArgument(arg('T_max', { known: false, reason: 'a function argument' })), /needed for a curve/);
  });

  it('keeps inline code intact when the source has backticks or newlines', () => {
    assert.strictEqual(code('a`b'), '`` a`b ``');
    assert.strictEqual(code('f(\n    x)'), '`f( x)`');
  });
});

describe('extension/hoverContent', () => {
  const open = commandUri('lrLens.openPreviewToSide', ['file:///t.py', 'StepLR:3:8']);

  it('encodes command arguments as VS Code expects', () => {
    assert.strictEqual(open, `command:lrLens.openPreviewToSide?${encodeURIComponent('["file:///t.py","StepLR:3:8"]')}`);
  });

  it('shows picture, key numbers, horizon and the panel link', () => {
    const md = hoverMarkdown({ scheduler: stepScheduler(), imageUri: 'data:image/svg+xml;base64,AAAA', openCommandUri: open });
    assert.match(md, /`sched = StepLR`/);
    assert.ok(md.includes('](data:image/svg+xml;base64,AAAA|width=320,height=100)'), md);
    assert.ok(md.includes('start **0.1** · peak **0.1** @ 0 · min **1e-3** @ 20 · final **1e-3**'), md);
    assert.match(md, /milestones at 10, 20/);
    assert.match(md, /horizon 30 steps \(step\\_size × 3\)/);
    assert.ok(md.includes(`](${open} "`), 'a command link to the panel');
  });

  it('on an argument, shows its value and origin right after the key numbers, before the link', () => {
    const s = stepScheduler();
    const lines = hoverMarkdown({ scheduler: s, argument: s.argInfo[1], openCommandUri: open }).split('\n');
    const at = lines.indexOf('`gamma = G = 0.1`');
    assert.ok(at > lines.findIndex((l) => l.startsWith('start **')), lines.join('\n'));
    assert.ok(at < lines.findIndex((l) => l.includes('Open in the LR Lens panel')), lines.join('\n'));
  });

  it('lists this call\'s problems, escaped, and explains a missing curve', () => {
    const s = stepScheduler(3, {
      curve: null, error: 'ZeroDivisionError: integer modulo by zero',
      diagnostics: [{ severity: 'error', code: 'LR020', message: 'step_size=0 <img src=x> [link](http://x)', range: range(3, 30, 3, 31) }],
    });
    const md = hoverMarkdown({ scheduler: s, openCommandUri: open });
    assert.ok(!md.includes('!['), 'no picture without a curve');
    assert.ok(md.includes('$(error) ZeroDivisionError: integer modulo by zero'));
    assert.ok(md.includes('$(error) step\\_size=0 \\<img src=x\\> \\[link\\](http://x) (LR020)'), md);
  });

  it('names every unknown argument with its assumption', () => {
    const s = stepScheduler();
    s.argInfo.push(arg('lr', { known: false, assumed: true, display: '0.1', reason: 'set at run time' }));
    const md = hoverMarkdown({ scheduler: s, openCommandUri: open });
    assert.ok(md.includes('$(question) `lr` is not known statically: set at run time. Assumed `0.1` for the preview.'));
  });

  it('labels each assumed value right under the key numbers, with why, escaped', () => {
    const s = stepScheduler(3, { assumed: [
      { what: 'lr', value: 0.003, why: 'default of --lr; `args.lr` is set at run time' },
      { what: 'optimizer', value: 'SGD(lr=0.1)', why: 'not resolved: `build_opt` <is> unknown', placeholder: true },
    ] });
    const lines = hoverMarkdown({ scheduler: s, openCommandUri: open }).split('\n');
    const lr = lines.indexOf('$(warning) Assumed `lr = 0.003`: default of --lr; `args.lr` is set at run time');
    assert.ok(lr > lines.findIndex((l) => l.startsWith('start **')), lines.join('\n'));
    assert.ok(lr < lines.findIndex((l) => l.includes('Open in the LR Lens panel')), lines.join('\n'));
    assert.ok(lines.includes('$(warning) Assumed `optimizer = SGD(lr=0.1)`: not resolved: `build\\_opt` \\<is\\> unknown'), lines.join('\n'));
    const none = hoverMarkdown({ scheduler: stepScheduler(), openCommandUri: open });
    assert.ok(!none.includes('Assumed'), none);
  });

  it('escapes Markdown specials', () => {
    assert.strictEqual(escapeMarkdown('a_b*c|d<e>[f]\\'), 'a\\_b\\*c\\|d\\<e\\>\\[f\\]\\\\');
  });
});
