/**
 * Issue 11: a per-batch scheduler whose batches per epoch are not known is previewed with an assumed
 * number, and every view that shows that number says it is assumed: hover, CodeLens, panel, JSON.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';
import { formatJson } from '../../../src/cli/format';
import { hoverMarkdown } from '../../../src/extension/hoverContent';
import { buildView } from '../../../src/extension/panelModel';
import { summaryLine } from '../../../src/extension/summary';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/loops');

// Stepped per batch over a loader whose length the file does not show: 40 epochs × ? batches.
const PER_BATCH = 'import torch\nfrom torch.optim.lr_scheduler import CosineAnnealingLR\nopt = torch.optim.SGD(p, lr=0.1)\n' +
  's = CosineAnnealingLR(opt, T_max=4000)\nfor epoch in range(40):\n    for x in loader:\n        opt.step()\n        s.step()\n';

async function scheduler(file: string, variable: string, assumedStepsPerEpoch: number) {
  const text = file === 'PER_BATCH' ? PER_BATCH : fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const result = await analyze(text, 'python', { strict: true, assumedStepsPerEpoch });
  const s = result.schedulers.find((x) => x.variable === variable);
  assert.ok(s);
  return { result, s: s as SchedulerAnalysis };
}

const view = (result: Awaited<ReturnType<typeof analyze>>, s: SchedulerAnalysis) => buildView({
  seq: 1, uri: 'file:///t.py', fileName: 't.py', result, selectedId: s.id, pinned: false, compare: false,
  horizonOverride: null, resetZoom: true, viewport: null, columns: 800,
});

describe('assumed batches per epoch are labelled in every view (issue 11)', () => {
  const spe = 37; // not the default, so the number seen below can only be the setting's

  it('panel: the epoch axis uses the assumed number and says it is assumed', async () => {
    const { result, s } = await scheduler('PER_BATCH', 's', spe);
    assert.strictEqual(s.run?.unit, 'batch');
    assert.strictEqual(s.run?.stepsPerEpoch, null);
    const v = view(result, s);
    assert.strictEqual(v.stepsPerEpoch, spe);
    assert.strictEqual(v.stepsPerEpochAssumed, true);
    assert.ok(v.assumed.some((a) => a.includes('batches per epoch') && a.includes(String(spe))), v.assumed.join('; '));
  });

  it('panel: a known loop length or a stated steps_per_epoch is not labelled assumed', async () => {
    // mnist: stepped per epoch over a known range → 1 step per epoch, nothing assumed about batches.
    const { result, s } = await scheduler('mnist_main.py', 'scheduler', spe);
    assert.strictEqual(view(result, s).stepsPerEpochAssumed, false);
  });

  it('hover and CodeLens (its line) name the assumed number as assumed', async () => {
    const { s } = await scheduler('PER_BATCH', 's', spe);
    const md = hoverMarkdown({ scheduler: s, openCommandUri: 'command:x' });
    assert.match(md, new RegExp(`40 epochs × ${spe} \\(assumed\\) batches`));
    assert.match(md, new RegExp(`Assumed \`batches per epoch = ${spe}\``));
    assert.match(summaryLine(s), new RegExp(`batches per epoch[^·]*assumed[^·]*${spe}|${spe}[^·]*assumed`));
  });

  it('JSON: run.assumed says the run length rests on the assumed batches per epoch; stepsPerEpoch stays null', async () => {
    const { result, s } = await scheduler('PER_BATCH', 's', spe);
    const json = JSON.parse(formatJson(result)) as { schedulers: { variable: string; run: { stepsPerEpoch: number | null; steps: number | null; assumed: string[] } }[] };
    const run = json.schedulers.find((x) => x.variable === 's')!.run;
    assert.strictEqual(run.stepsPerEpoch, null);
    assert.strictEqual(run.steps, null);
    assert.ok(s.curve, 'the preview is drawn');
    // 40 epochs × the assumed batches: 40·spe step() calls → 40·spe + 1 values.
    assert.strictEqual(s.curve.lrs[0]!.length, 40 * spe + 1);
    assert.ok(run.assumed.some((a) => a.startsWith(`${spe} batches per epoch assumed`)), run.assumed.join('; '));
  });
});
