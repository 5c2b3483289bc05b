/**
 * Realistic TS/TSX/JS files translated from golden snippets (test/golden/traces.json):
 * the frontend must find the traced construction under the same variable, bind the arguments
 * the Python source gives (written out below from the snippet), and — through the engine —
 * reproduce the curve PyTorch 1.13 recorded (or its exception), within the file's tolerance.
 */
import * as assert from 'assert';
import { simulate } from '../../../src/engine';
import type { Arg } from '../../../src/engine/types';
import { goldenTraces } from '../../golden';
import { analyzeTs, fixture, type TsGrammar } from './typescript-helpers';

const golden = goldenTraces();

const int = (value: number): Arg => ({ kind: 'int', value });
const float = (value: number): Arg => ({ kind: 'float', value });
const str = (value: string): Arg => ({ kind: 'str', value });
const list = (...items: Arg[]): Arg => ({ kind: 'list', items });

interface Row {
  file: string;
  grammar: TsGrammar;
  id: string;
  /** Variable in the TS file (the golden one, or `this.…` in a class). */
  variable: string;
  /** Bound arguments as the Python snippet passes them. */
  args: Record<string, Arg>;
  /** Per-group lr of the optimizer as the snippet builds it. */
  groupLrs: number[];
}

const ROWS: Row[] = [
  { file: 'warmup_cosine.mts', grammar: 'typescript', id: 'lambda_def_warmup_cosine', variable: 'scheduler', args: {}, groupLrs: [0.05] },
  { file: 'hparams.js', grammar: 'javascript', id: 'steplr_hparams_dict', variable: 'scheduler', args: { step_size: int(25), gamma: float(0.5) }, groupLrs: [0.1] },
  { file: 'three_phase.mts', grammar: 'typescript', id: 'sequential_three_phase', variable: 'scheduler', args: { milestones: list(int(10), int(40)) }, groupLrs: [1e-3] },
  {
    file: 'cyclic_groups.mts', grammar: 'typescript', id: 'cyclic_two_groups_exp_range', variable: 'scheduler',
    args: { base_lr: list(float(1e-4), float(1e-3)), max_lr: list(float(1e-3), float(1e-2)), step_size_up: int(40), mode: str('exp_range'), gamma: float(0.99) },
    groupLrs: [0.01, 0.01],
  },
  { file: 'onecycle.tsx', grammar: 'tsx', id: 'onecycle_adamw_betas', variable: 'scheduler', args: { max_lr: float(3e-3), total_steps: int(320), pct_start: float(0.2) }, groupLrs: [3e-3 / 25] },
  { file: 'cosine_eta.js', grammar: 'javascript', id: 'cosine_fq_eta_min_expr', variable: 'scheduler', args: { T_max: int(245), eta_min: float(3e-4 * 0.01) }, groupLrs: [3e-4] },
  { file: 'chained.mjs', grammar: 'javascript', id: 'chained_linear_step', variable: 'scheduler', args: {}, groupLrs: [0.1] },
  { file: 'cawr_positional.mts', grammar: 'typescript', id: 'cawr_positional_two_groups', variable: 'scheduler', args: { T_0: int(25), T_mult: int(1), eta_min: float(1e-4) }, groupLrs: [0.1, 0.01] },
  { file: 'multistep_cfg.mts', grammar: 'typescript', id: 'multistep_constants_cfg', variable: 'scheduler', args: { milestones: list(int(100), int(150)), gamma: float(0.1) }, groupLrs: [0.1] },
  { file: 'lambda_groups.js', grammar: 'javascript', id: 'lambda_list_two_groups', variable: 'scheduler', args: {}, groupLrs: [0.05, 0.01] },
  {
    file: 'trainer_class.mts', grammar: 'typescript', id: 'onecycle_epochs_linear_adam', variable: 'this.scheduler',
    args: { max_lr: float(1e-2), epochs: int(10), steps_per_epoch: int(50), anneal_strategy: str('linear') }, groupLrs: [1e-3],
  },
  { file: 'blog_custom.mts', grammar: 'typescript', id: 'blog_custom_t150', variable: 'scheduler', args: { T_0: int(150), T_mult: int(1), eta_max: float(0.1), T_up: int(10), gamma: float(0.5) }, groupLrs: [0] },
  { file: 'cyclic_adam_error.mts', grammar: 'typescript', id: 'cyclic_err_adam_default_momentum', variable: 'scheduler', args: { base_lr: float(1e-4), max_lr: float(1e-3), step_size_up: int(100) }, groupLrs: [1e-3] },
];

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15;

describe('typescript frontend: files translated from the golden snippets', () => {
  it('every row names a golden case', () => {
    for (const r of ROWS) assert.ok(golden.cases.some((c) => c.id === r.id), r.id);
  });

  for (const r of ROWS) {
    it(`${r.file} (${r.id})`, async () => {
      const c = golden.cases.find((x) => x.id === r.id)!;
      const res = await analyzeTs(fixture(r.file), r.grammar);
      const found = res.calls.filter((f) => f.variable === r.variable);
      assert.ok(found.length > 0, `no call assigned to ${r.variable}: ${JSON.stringify(res.calls.map((f) => [f.kind, f.variable]))}`);
      const call = found[found.length - 1]!;
      assert.strictEqual(call.kind, c.kind);
      assert.strictEqual(call.unknownReason, null);
      assert.strictEqual(call.bindFailure, null);
      for (const a of call.argInfo) assert.ok(a.known && !a.assumed, `${a.name} not known: ${a.reason}`);
      for (const [k, v] of Object.entries(r.args)) assert.deepStrictEqual(call.args[k], v, k);
      assert.deepStrictEqual(call.optimizer?.groupLrs, r.groupLrs);

      const sim = simulate(res.program, call.schedulerIndex!, { steps: c.steps });
      if (c.error) {
        assert.deepStrictEqual(sim.error && [sim.error.type, sim.error.message, sim.error.phase], [c.error.type, c.error.message, c.error.phase]);
        return;
      }
      assert.strictEqual(sim.error, null, JSON.stringify(sim.error));
      assert.strictEqual(sim.lrs!.length, c.lrs!.length);
      c.lrs!.forEach((want, g) => {
        const got = sim.lrs![g]!;
        assert.strictEqual(got.length, want.length);
        want.forEach((w, k) => assert.ok(close(got[k]!, w), `group ${g} value ${k}: ${got[k]} vs torch ${w}`));
      });
    });
  }
});
