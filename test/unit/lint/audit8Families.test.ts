/**
 * Eighth audit, other families (Hugging Face Trainer and its relatives, timm, optax, Keras, Lightning) on new real
 * code. Fixtures are short adaptations of public scripts (the repository is named per case); expected values come
 * from the libraries' own source (cited per case), not from LR Lens's output.
 */
import * as assert from 'assert';
import { analyze } from '../../../src/analysis/analyze';
import type { SchedulerAnalysis } from '../../../src/analysis/types';

async function all(src: string): Promise<SchedulerAnalysis[]> {
  return (await analyze(src, 'python', { strict: true })).schedulers;
}
async function one(src: string, variable: string): Promise<SchedulerAnalysis> {
  const ss = await all(src);
  const s = ss.find((x) => x.variable === variable);
  assert.ok(s, `no ${variable} (found ${ss.map((x) => `${x.kind} ${x.variable}`).join(', ')})`);
  return s;
}

/**
 * sentence-transformers v3+ (UKPLab/sentence-transformers, sentence_transformers/training_args.py,
 * cross_encoder/training_args.py, sparse_encoder/training_args.py at 85ec645): `SentenceTransformerTrainingArguments`
 * subclasses transformers' TrainingArguments and overrides none of the schedule's fields; `CrossEncoderTrainingArguments`
 * and `SparseEncoderTrainingArguments` subclass it. `SentenceTransformerTrainer(Trainer)` (sentence_transformers/trainer.py)
 * and its `CrossEncoderTrainer` / `SparseEncoderTrainer` subclasses override neither `create_scheduler` nor
 * `create_optimizer`: the schedule is transformers' `get_scheduler(lr_scheduler_type, …)`. With the package installed
 * (not in the repository), a script of its examples found no scheduler at all.
 */
describe('audit 8 (families): sentence-transformers Trainer', () => {
  it('SentenceTransformerTrainingArguments (examples/sentence_transformer/training/sts/training_stsbenchmark.py): 4 epochs, warmup_ratio 0.1, lr 5e-5', async () => {
    const src = `
from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer, losses
from sentence_transformers.training_args import SentenceTransformerTrainingArguments

train_batch_size = 16
num_epochs = 4
model = SentenceTransformer("distilbert-base-uncased")
train_loss = losses.CoSENTLoss(model=model)
args = SentenceTransformerTrainingArguments(
    output_dir="output/training_stsbenchmark",
    num_train_epochs=num_epochs,
    per_device_train_batch_size=train_batch_size,
    warmup_ratio=0.1,
    fp16=True,
    eval_strategy="steps",
)
trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=train_dataset, loss=train_loss)
trainer.train()
`;
    const s = await one(src, 'args');
    assert.strictEqual(s.kind, 'trainer.SentenceTransformerTrainingArguments');
    const lrs = s.curve!.lrs[0]!;
    // 4 epochs × 100 assumed batches = 400 updates; warm-up ceil(400 × 0.1) = 40; linear lambda
    // (transformers/optimization.py): s / max(1, w) while s < w, then max(0, (T − s) / max(1, T − w)).
    assert.strictEqual(lrs.length, 401);
    const f = (k: number) => (k < 40 ? k / 40 : Math.max(0, (400 - k) / 360));
    for (const k of [0, 1, 39, 40, 41, 220, 399, 400]) assert.ok(Math.abs(lrs[k]! - 5e-5 * f(k)) < 1e-18, `${k}: ${lrs[k]} vs ${5e-5 * f(k)}`);
    assert.ok(s.assumed.some((a) => a.what === 'batches per epoch'));
  });

  it('CrossEncoderTrainingArguments + CrossEncoderTrainer from their submodules (cross_encoder/training/ms_marco/training_ms_marco_bce.py)', async () => {
    const src = `
from sentence_transformers.cross_encoder import CrossEncoder
from sentence_transformers.cross_encoder.trainer import CrossEncoderTrainer
from sentence_transformers.cross_encoder.training_args import CrossEncoderTrainingArguments

def main():
    model = CrossEncoder("microsoft/MiniLM-L12-H384-uncased")
    args = CrossEncoderTrainingArguments(
        output_dir="models/reranker",
        num_train_epochs=1,
        per_device_train_batch_size=64,
        learning_rate=2e-5,
        warmup_ratio=0.1,
        max_steps=1000,
        lr_scheduler_type="cosine",
    )
    trainer = CrossEncoderTrainer(model=model, args=args, train_dataset=train_dataset, loss=loss)
    trainer.train()

if __name__ == "__main__":
    main()
`;
    const s = await one(src, 'args');
    assert.strictEqual(s.kind, 'trainer.CrossEncoderTrainingArguments');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 1001);
    // cosine lambda: 0.5 · (1 + cos(π · 0.5 · 2 · progress)), progress = (s − w) / max(1, T − w), w = ceil(1000 × 0.1) = 100.
    const f = (k: number) => (k < 100 ? k / 100 : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((k - 100) / 900)))));
    for (const k of [0, 50, 100, 550, 1000]) assert.ok(Math.abs(lrs[k]! - 2e-5 * f(k)) < 1e-18, `${k}: ${lrs[k]} vs ${2e-5 * f(k)}`);
    assert.ok(!s.assumed.some((a) => a.what === 'batches per epoch'), 'max_steps gives the length');
  });

  it('SparseEncoderTrainer from the package root (sparse_encoder/training/nli/train_splade_nli.py): defaults, lr 5e-5 over 3 × 100 updates', async () => {
    const src = `
from sentence_transformers import SparseEncoder, SparseEncoderTrainer, SparseEncoderTrainingArguments
model = SparseEncoder("naver/splade-cocondenser-ensembledistil")
args = SparseEncoderTrainingArguments(output_dir="models/splade")
trainer = SparseEncoderTrainer(model=model, args=args, train_dataset=train_dataset, loss=loss)
trainer.train()
`;
    const s = await one(src, 'args');
    assert.strictEqual(s.kind, 'trainer.SparseEncoderTrainingArguments');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 301);
    for (const k of [0, 150, 300]) assert.ok(Math.abs(lrs[k]! - 5e-5 * (300 - k) / 300) < 1e-18, `${k}: ${lrs[k]}`);
  });
});

describe('audit 8 (families): sentence-transformers learning_rate_mapping', () => {
  it('a learning_rate_mapping (train_splade_*: {"SparseStaticEmbedding.*": 1e-3}) is noted: those groups have their own lr', async () => {
    const src = `
from sentence_transformers import SparseEncoderTrainer, SparseEncoderTrainingArguments
args = SparseEncoderTrainingArguments(output_dir="models/splade", learning_rate=2e-5, learning_rate_mapping={r"SparseStaticEmbedding\\.*": 1e-3})
trainer = SparseEncoderTrainer(model=model, args=args, train_dataset=train_dataset, loss=loss)
trainer.train()
`;
    const s = await one(src, 'args');
    assert.strictEqual(s.curve!.lrs[0]![0], 2e-5);
    assert.ok(s.notes.some((n) => n.startsWith('learning_rate_mapping:')), s.notes.join(' | '));
    const plain = await one(src.replace(/, learning_rate_mapping=\{[^}]*\}/, ''), 'args');
    assert.ok(!plain.notes.some((n) => n.startsWith('learning_rate_mapping:')));
  });
});

/**
 * TRL's trainers that moved to `trl.experimental` (huggingface/trl at July 2026, trl/experimental/<name>/<name>_config.py):
 * ORPOConfig, CPOConfig 1e-6, BCOConfig, OnlineDPOConfig (and its XPOConfig, NashMDConfig subclasses) 5e-7, PRMConfig
 * 1e-5, GKDConfig (an SFTConfig) 2e-5; none overrides another schedule field, and their trainers subclass
 * `_BaseTrainer(Trainer)` (GKD `SFTTrainer`) without overriding create_scheduler / create_optimizer. With TRL installed,
 * TRL's own examples/scripts/online_dpo.py, nash_md.py, xpo.py found no scheduler at all.
 */
describe('audit 8 (families): TRL experimental trainers', () => {
  it('OnlineDPOConfig from trl.experimental.online_dpo (examples/scripts/online_dpo.py): lr 5e-7, linear over 3 × 100 updates', async () => {
    const src = `
from trl.experimental.online_dpo import OnlineDPOConfig, OnlineDPOTrainer
training_args = OnlineDPOConfig(output_dir="online-dpo", logging_steps=10)
trainer = OnlineDPOTrainer(model=model, reward_funcs=reward_model, args=training_args, train_dataset=dataset)
trainer.train()
`;
    const s = await one(src, 'training_args');
    assert.strictEqual(s.kind, 'trainer.OnlineDPOConfig');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 301);
    for (const k of [0, 100, 300]) assert.ok(Math.abs(lrs[k]! - 5e-7 * (300 - k) / 300) < 1e-20, `${k}: ${lrs[k]}`);
  });

  it('ORPOConfig / ORPOTrainer imported from `trl` (earlier releases): lr 1e-6, warm-up ratio and cosine as given', async () => {
    const src = `
from trl import ORPOConfig, ORPOTrainer
training_args = ORPOConfig(output_dir="orpo", max_steps=200, warmup_ratio=0.1, lr_scheduler_type="cosine")
trainer = ORPOTrainer(model=model, args=training_args, train_dataset=dataset, processing_class=tokenizer)
trainer.train()
`;
    const s = await one(src, 'training_args');
    assert.strictEqual(s.kind, 'trainer.ORPOConfig');
    const lrs = s.curve!.lrs[0]!;
    assert.strictEqual(lrs.length, 201);
    const f = (k: number) => (k < 20 ? k / 20 : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * ((k - 20) / 180)))));
    for (const k of [0, 10, 20, 110, 200]) assert.ok(Math.abs(lrs[k]! - 1e-6 * f(k)) < 1e-20, `${k}: ${lrs[k]}`);
  });
});

/**
 * TRL's `_BaseConfig` (trl/trainer/base_config.py, July 2026) overrides `lr_scheduler_kwargs` to default None (a
 * workaround for transformers 4.57.0's parsing bug); transformers' `get_scheduler` reads None as no keywords. The label
 * of a parsed TRL config said "SFTConfig's default {}".
 */
describe('audit 8 (families): TRL configs\' lr_scheduler_kwargs default', () => {
  it('TrlParser + SFTConfig: the assumed lr_scheduler_kwargs is None (the curve is the same linear schedule)', async () => {
    const src = `
from trl import ModelConfig, ScriptArguments, SFTConfig, SFTTrainer, TrlParser
parser = TrlParser((ScriptArguments, SFTConfig, ModelConfig))
script_args, training_args, model_args = parser.parse_args_and_config()
trainer = SFTTrainer(model=model_args.model_name_or_path, args=training_args, train_dataset=dataset)
trainer.train()
`;
    const s = (await all(src))[0]!;
    assert.strictEqual(s.kind, 'trainer.SFTConfig');
    const a = s.assumed.find((x) => x.what === 'lr_scheduler_kwargs');
    assert.ok(a && a.value === null && /SFTConfig's default None/.test(a.why), JSON.stringify(s.assumed));
    const lrs = s.curve!.lrs[0]!;
    for (const k of [0, 150, 300]) assert.ok(Math.abs(lrs[k]! - 2e-5 * (300 - k) / 300) < 1e-18, `${k}: ${lrs[k]}`);
  });
});
