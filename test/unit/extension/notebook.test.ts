import * as assert from 'assert';
import { concatCells } from '../../../src/frontends/notebook';
import { splitByCell } from '../../../src/extension/notebook';
import { range, result, stepScheduler } from './fixtures';

// cell 1: 2 lines (optimizer), cell 2: 1 line, cell 3: 3 lines (scheduler on its line 2).
const CELLS = [
  { key: 'cell:1', text: 'import torch\nopt = torch.optim.SGD(params, lr=0.1)' },
  { key: 'cell:2', text: '%matplotlib inline' },
  { key: 'cell:3', text: 'from torch.optim import lr_scheduler as S\n\nsched = S.StepLR(opt, 10)' },
];
const KEYS = CELLS.map((c) => c.key);

describe('extension/notebook', () => {
  const joined = concatCells(CELLS);

  it('joins cells so that cell 3 starts at line 3 of the program', () => {
    const lines = joined.text.split('\n');
    assert.strictEqual(lines.length, 6);
    assert.strictEqual(lines[5], 'sched = S.StepLR(opt, 10)');
    assert.ok(!lines[2]!.includes('%'), 'the magic is not Python and is blanked');
  });

  it('puts a scheduler found in cell 3 into cell 3 with cell-relative ranges', () => {
    const s = stepScheduler(5, {
      optimizer: { type: 'SGD', variable: 'opt', range: range(1, 0, 1, 3), groupLrs: [0.1], lrRange: range(1, 35, 1, 38), callRange: range(1, 6, 1, 39), assumptions: [], assumed: [] },
    });
    const split = splitByCell(joined, KEYS, result([s]));
    assert.deepStrictEqual([...split.keys()], KEYS);
    assert.strictEqual(split.get('cell:1')!.schedulers.length, 0);
    assert.strictEqual(split.get('cell:2')!.schedulers.length, 0);
    const mapped = split.get('cell:3')!.schedulers[0]!;
    assert.deepStrictEqual(mapped.range, range(2, 8, 2, 50));
    assert.deepStrictEqual(mapped.calleeRange, range(2, 8, 2, 14));
    assert.deepStrictEqual(mapped.argInfo[0]!.range, range(2, 30, 2, 32));
    assert.strictEqual(mapped.argInfo[2]!.range, null, 'defaults have no range');
    // The optimizer lives in cell 1: its ranges mean nothing in cell 3.
    assert.strictEqual(mapped.optimizer!.range, null);
    assert.strictEqual(mapped.optimizer!.lrRange, null);
    assert.strictEqual(mapped.id, s.id, 'ids stay stable so the panel can address the scheduler');
  });

  it('sends a scheduler diagnostic that points at the optimizer in cell 1 to cell 1, fixes included', () => {
    const s = stepScheduler(5, {
      diagnostics: [
        { severity: 'warning', code: 'LR141', message: 'optimizer lr', range: range(1, 35, 1, 38), fixes: [{ title: 'lr = 0', preferred: true, edits: [{ range: range(1, 35, 1, 38), newText: '0' }] }] },
        { severity: 'error', code: 'LR020', message: 'step_size', range: range(5, 30, 5, 32) },
      ],
    });
    const split = splitByCell(joined, KEYS, result([s]));
    const cell1 = split.get('cell:1')!;
    assert.strictEqual(cell1.diagnostics.length, 1);
    assert.deepStrictEqual(cell1.diagnostics[0]!.range, range(1, 35, 1, 38));
    assert.deepStrictEqual(cell1.diagnostics[0]!.fixes![0]!.edits[0]!.range, range(1, 35, 1, 38));
    const mapped = split.get('cell:3')!.schedulers[0]!;
    assert.deepStrictEqual(mapped.diagnostics.map((d) => [d.code, d.range]), [['LR020', range(2, 30, 2, 32)]]);
  });

  it('drops fix edits that would touch another cell', () => {
    const s = stepScheduler(5, {
      diagnostics: [{
        severity: 'warning', code: 'LR003', message: 'x', range: range(5, 20, 5, 30),
        fixes: [{ title: 'two cells', preferred: false, edits: [{ range: range(1, 0, 1, 1), newText: '' }, { range: range(5, 20, 5, 30), newText: '' }] },
          { title: 'elsewhere only', preferred: false, edits: [{ range: range(0, 0, 0, 1), newText: '' }] }],
      }],
    });
    const d = splitByCell(joined, KEYS, result([s])).get('cell:3')!.schedulers[0]!.diagnostics[0]!;
    assert.deepStrictEqual(d.fixes!.map((f) => [f.title, f.edits.length]), [['two cells', 1]]);
    assert.deepStrictEqual(d.fixes![0]!.edits[0]!.range, range(2, 20, 2, 30));
  });

  it('maps file-level diagnostics to their cell', () => {
    const split = splitByCell(joined, KEYS, result([], {
      diagnostics: [{ severity: 'information', code: 'LR000', message: 'note', range: range(3, 0, 3, 4) }],
    }));
    assert.deepStrictEqual(split.get('cell:3')!.diagnostics.map((d) => d.range), [range(0, 0, 0, 4)]);
    assert.strictEqual(split.get('cell:1')!.diagnostics.length, 0);
  });
});
