/**
 * The other families in the views: what one step is (SchedulerAnalysis.unit) reaches the panel's x-axis
 * title, the CodeLens line, the hover, the CLI's text, JSON and plot, from real analyses of short scripts.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import { formatJson, formatText } from '../../../src/cli/format';
import { hoverMarkdown } from '../../../src/extension/hoverContent';
import { buildView } from '../../../src/extension/panelModel';
import { summaryLine } from '../../../src/extension/summary';
import { parseToWebview } from '../../../src/protocol/protocol';

const HF = `
import torch
from transformers import get_cosine_schedule_with_warmup
model = torch.nn.Linear(4, 4)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=100, num_training_steps=1000)
`;
const TIMM = `
import torch
import timm.scheduler
optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
sched = timm.scheduler.CosineLRScheduler(optimizer, t_initial=90, warmup_t=5, warmup_lr_init=1e-4, warmup_prefix=True)
`;
const OPTAX = `
import optax as ox
schedule = ox.warmup_cosine_decay_schedule(init_value=0.0, peak_value=1e-3, warmup_steps=50, decay_steps=500)
`;

async function one(src: string) {
  const r = await analyze(src, 'python', { strict: true });
  assert.strictEqual(r.schedulers.length, 1, r.schedulers.map((s) => s.kind).join(', '));
  return { result: r, s: r.schedulers[0]! };
}

describe('families in the views', () => {
  it('transformers: optimizer updates, the horizon from num_training_steps, the warm-up at update 100', async () => {
    const { result, s } = await one(HF);
    assert.strictEqual(s.kind, 'transformers.get_cosine_schedule_with_warmup');
    assert.strictEqual(s.family, 'transformers');
    assert.strictEqual(s.unit, 'optimizer update');
    assert.deepStrictEqual(s.horizon, { steps: 1001, source: 'num_training_steps + 1' });
    // transformers' lambda: warm-up s/100 from lr 0, then the half cosine ending at 0 at update 1000.
    assert.strictEqual(s.curve!.lrs[0]![0], 0);
    assert.ok(Math.abs(s.curve!.lrs[0]![100]! - 3e-4) < 1e-18);
    assert.ok(Math.abs(s.curve!.lrs[0]![1000]!) < 1e-18);
    assert.match(summaryLine(s), /1001 optimizer updates/);
    const hover = hoverMarkdown({ scheduler: s, openCommandUri: 'command:x' });
    assert.match(hover, /warm-up ends at optimizer update 100/);
    assert.match(formatText(result, 'f.py'), /1001 optimizer updates \(num_training_steps \+ 1\)/);
    const json = JSON.parse(formatJson(result)) as { schedulers: { unit: string; family: string }[] };
    assert.deepStrictEqual([json.schedulers[0]!.unit, json.schedulers[0]!.family], ['optimizer update', 'transformers']);
  });

  it('timm with t_in_epochs (its default): epochs, on the panel axis too', async () => {
    const { result, s } = await one(TIMM);
    assert.strictEqual(s.kind, 'timm.CosineLRScheduler');
    assert.strictEqual(s.unit, 'epoch');
    assert.strictEqual(s.horizon.steps, 96);
    const view = buildView({
      seq: 1, uri: 'file:///t.py', fileName: 't.py', result, selectedId: null, pinned: false, compare: false,
      horizonOverride: null, resetZoom: true, viewport: null, columns: 800,
    });
    assert.strictEqual(view.stepLabel, 'epoch');
    assert.ok(parseToWebview({ type: 'view', view }), 'the view passes the protocol check');
  });

  it('optax: iterations; a torch scheduler keeps "steps"', async () => {
    const { s } = await one(OPTAX);
    assert.strictEqual(s.unit, 'iteration');
    assert.match(summaryLine(s), /501 iterations/);
    const { s: torch } = await one('import torch\nopt = torch.optim.SGD([], lr=0.1)\nsched = torch.optim.lr_scheduler.StepLR(opt, 10)\n');
    assert.strictEqual(torch.unit, 'step');
    assert.match(summaryLine(torch), /31 steps/);
  });
});
