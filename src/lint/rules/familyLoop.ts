/**
 * Family rules that read the run model (src/analysis/run.ts): LR188 (a transformers / diffusers schedule
 * whose length counts batches while gradient accumulation steps it once per optimizer update) and LR189 (a
 * timm scheduler stepped with the method its `t_in_epochs` ignores, or handed to Lightning without
 * `lr_scheduler_step`). Both fire only on what the file shows; an unknown stays quiet.
 */
import type { RuleContext } from '../context';
import { fixes } from '../fixes';
import { HF_KINDS } from './families';
import { truthy, type Rule } from './util';

/** The text a written argument stands for: its expression, or for a plain name the expression last assigned to it above the call. */
function expressionOf(ctx: RuleContext, text: string): string {
  if (!/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(text)) return text;
  const esc = text.replace(/[.]/g, '\\.');
  const lines = ctx.src.text.split('\n').slice(0, ctx.call.range.start.line);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = new RegExp(`^\\s*${esc}\\s*=\\s*(?!=)(.+?)\\s*$`).exec(lines[i]!);
    if (m) return m[1]!;
  }
  return text;
}

/** LR188: `num_training_steps` counts batches, the loop steps the scheduler once per `accum` batches. */
const HF_ACCUMULATION: Rule = {
  ids: ['LR188'],
  kinds: HF_KINDS,
  check(ctx) {
    const r = ctx.call.run;
    if (!r || ctx.call.memberOf !== null || r.unit !== 'optimizer-step' || r.lightning) return;
    const site = r.sites.find((s) => s.accumulation && !s.unseen && s.frames.length);
    const info = ctx.info('num_training_steps');
    if (!site || !info || info.isDefault || !info.text) return;
    const expr = expressionOf(ctx, info.text.replace(/\s+/g, ' '));
    // Batches: `len(<the batch loop's loader>)` (or of a loader), with nothing dividing it (no accumulation, no ceil).
    const source = site.frames[site.frames.length - 1]?.source ?? null;
    const lens = [...expr.matchAll(/\blen\(\s*([^()]+?)\s*\)/g)].map((m) => m[1]!);
    const counted = lens.find((l) => l === source || /loader/i.test(l));
    if (!counted || /\/|accum|ceil|update|num_processes/i.test(expr)) return;
    const accum = /%\s*([\p{L}_][\p{L}\p{N}_.]*)/u.exec(site.accumulation!)?.[1] ?? 'gradient_accumulation_steps';
    // The factor decides: 1 steps once per batch (the count is right); unknown: a note that says what it depends on.
    const read = site.accumulationRead;
    const factor = read?.every ?? null;
    if (factor !== null && factor <= 1) return;
    const k = factor !== null ? String(factor) : accum;
    const given = factor === null
      ? `if ${accum} > 1: its value is not known${read?.reason ? ` (${read.reason})` : ''}`
      : read?.assumed ? `${factor} assumed: ${read.assumed.replace(/^accumulation factor \d+: /, '')}` : null;
    const direct = expr === info.text.replace(/\s+/g, ' ');
    // The fix only where the written argument is the expression, with `math` imported and the factor's name known.
    const edit = direct && /^\s*import\s+math\b/m.test(ctx.src.text) && /%/.test(site.accumulation!)
      ? info.text.replace(/\blen\(\s*([^()]+?)\s*\)/, (m) => `math.ceil(${m} / ${accum})`)
      : null;
    ctx.report('LR188', 'num_training_steps',
      `num_training_steps=${info.text}${expr !== info.text ? ` (= ${expr})` : ''} counts batches (len(${counted})), but the scheduler is stepped ` +
      `once per optimizer update, every ${k} batches (\`${site.accumulation}\`${given ? `; ${given}` : ''}): the schedule is built for ${k}× the steps the run makes ` +
      `and ends ${k}× too late (a linear decay stops far short of 0, a warm-up lasts ${k}× longer). ` +
      `Count optimizer updates: math.ceil(len(${counted}) / ${accum}) per epoch.`,
      ctx.where('num_training_steps'),
      fixes(edit && info.range ? { title: `Count optimizer updates: ${edit}`, preferred: false, edits: [{ range: info.range, newText: edit }] } : null),
      factor === null ? 'information' : undefined);
  },
};

const TIMM_KINDS = ['timm.CosineLRScheduler', 'timm.StepLRScheduler', 'timm.MultiStepLRScheduler', 'timm.PolyLRScheduler', 'timm.TanhLRScheduler'];

/** Lightning 2.x (core/optimizer.py, `_validate_scheduler_api`), for a scheduler that is not torch's. */
const LIGHTNING_TEXT = (cls: string) => `MisconfigurationException: The provided lr scheduler \`${cls}\` doesn't follow PyTorch's LRScheduler API. ` +
  'You should override the `LightningModule.lr_scheduler_step` hook with your own logic if you are using a custom LR scheduler.';

/** LR189: a timm scheduler stepped the way its `t_in_epochs` ignores, or given to Lightning without `lr_scheduler_step`. */
const TIMM_STEPPING: Rule = {
  ids: ['LR189'],
  kinds: TIMM_KINDS,
  check(ctx) {
    const r = ctx.call.run;
    if (!r || ctx.call.memberOf !== null) return;
    const cls = ctx.kind.replace(/^timm\./, '');
    const cfg = r.lightningConfig;
    if (cfg && cfg.overridesSchedulerStep === false && !r.sites.length) {
      ctx.report('LR189', undefined, `Lightning raises ${LIGHTNING_TEXT(cls)} timm's schedulers are not torch's: define ` +
        '`def lr_scheduler_step(self, scheduler, metric): scheduler.step(epoch=self.current_epoch)` (or `step_update(num_updates=self.global_step)` ' +
        'with t_in_epochs=False) in the LightningModule.', cfg.where);
      return;
    }
    const sites = r.sites;
    // A call that does not bind (timm 0.4's `t_mul=` in Swin-Transformer's lr_scheduler.py) has no t_in_epochs of timm's to judge by.
    if (!sites.length || sites.some((s) => s.unseen) || ctx.call.bindFailure) return;
    const perEpoch = truthy(ctx.value('t_in_epochs'));
    if (perEpoch === null) return;
    const updates = sites.filter((s) => s.method === 'step_update');
    const steps = sites.filter((s) => !s.method);
    if (perEpoch && steps.length === 0 && updates.length) {
      ctx.report('LR189', 't_in_epochs',
        `t_in_epochs=${ctx.written('t_in_epochs') ? ctx.info('t_in_epochs')!.text : 'True (timm\'s default)'}: ${cls}.step_update() does nothing ` +
        '(it only acts when t_in_epochs=False), and this scheduler is only stepped with step_update(): the lr stays where the constructor ' +
        'set it (warmup_lr_init when there is a warm-up) for the whole run. Call step(epoch + 1) after each epoch, or pass t_in_epochs=False ' +
        '(its lengths then count updates).', updates[0]!.range);
    } else if (!perEpoch && updates.length === 0 && steps.length) {
      ctx.report('LR189', 't_in_epochs',
        `t_in_epochs=False: ${cls}.step(epoch) does nothing (it only acts when t_in_epochs=True), and this scheduler is only stepped with ` +
        'step(): the lr stays where the constructor set it for the whole run. Call step_update(num_updates) after each optimizer step, ' +
        'or drop t_in_epochs=False (its lengths then count epochs).', steps[0]!.range);
    }
  },
};

export const FAMILY_LOOP_RULES: readonly Rule[] = [HF_ACCUMULATION, TIMM_STEPPING];
