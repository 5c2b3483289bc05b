/**
 * The "src layout" (fifth audit: huggingface/alignment-handbook, `scripts/sft.py` imports `from alignment import SFTConfig`
 * with the package in `src/alignment/`, installed from the checkout with `package-dir = {"": "src"}`): absolute imports
 * also search the root's `src/` folder, after the script's folder and the root. Before, the import was not found and
 * the script had no construction at all. Expected values: TRL's SFTConfig default lr 2e-5 (trl/trainer/sft_config.py,
 * docs/families.md), a subclass that changes no schedule field keeping it.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { WorkspaceHost } from '../../../src/analysis/workspace';

const host = (files: Record<string, string>): WorkspaceHost => ({
  readFile: async (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])),
});

const SCRIPT = `from alignment import SFTConfig
from trl import ModelConfig, SFTTrainer, TrlParser


def main(training_args, model_args):
    trainer = SFTTrainer(model=None, args=training_args, train_dataset=None)
    trainer.train()


if __name__ == "__main__":
    parser = TrlParser((SFTConfig, ModelConfig))
    training_args, model_args = parser.parse_args_and_config()
    main(training_args, model_args)
`;

const PACKAGE = {
  '/r/src/alignment/__init__.py': 'from .configs import SFTConfig\n',
  '/r/src/alignment/configs.py': `from dataclasses import dataclass, field
from typing import Optional
import trl


@dataclass
class SFTConfig(trl.SFTConfig):
    chat_template: Optional[str] = field(default=None)
`,
};

describe('src layout: a package under the root\'s src/ folder', () => {
  it('scripts/sft.py importing the package from src/: the SFTConfig subclass is previewed (lr 2e-5, labelled)', async () => {
    const files = { ...PACKAGE, '/r/scripts/sft.py': SCRIPT };
    const r = await analyze(SCRIPT, 'python', { workspace: { host: host(files), root: '/r', file: '/r/scripts/sft.py' }, strict: true });
    const s = r.schedulers[0];
    assert.ok(s, 'a construction');
    assert.strictEqual(s.kind, 'trainer.SFTConfig');
    assert.strictEqual(s.curve!.lrs[0]![0], 2e-5);
    assert.ok(s.assumed.some((a) => a.what === 'learning_rate' && a.value === 2e-5), JSON.stringify(s.assumed));
  });

  it('a module of that name next to the script wins over src/ (searched first)', async () => {
    const files = {
      ...PACKAGE,
      '/r/scripts/alignment.py': 'SFTConfig = None\n',
      '/r/scripts/sft.py': SCRIPT,
    };
    const r = await analyze(SCRIPT, 'python', { workspace: { host: host(files), root: '/r', file: '/r/scripts/sft.py' }, strict: true });
    assert.deepStrictEqual(r.schedulers.map((s) => s.kind), []);
  });
});
