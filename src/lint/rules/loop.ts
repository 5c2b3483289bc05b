/**
 * Loop lints LR170–LR179 (issue 11) and LR190: the schedule as the script runs it. Each reads the run model of
 * src/analysis/run.ts (`call.run`: unit, run length, step sites, Lightning config); none fires on a
 * value it cannot see, and run lengths that rest on an assumption (batches per epoch) never decide one.
 */
import { PyError } from '../../engine/types';
import { neverCalled, type RunInfo, type StepSite } from '../../analysis/run';
import { chainsFromGroupLr } from '../../analysis/assumptions';
import type { QuickFix, Range, Severity } from '../../analysis/types';
import type { RuleContext } from '../context';
import { fixes, replaceArg } from '../fixes';
import { n, type Rule } from './util';

/** Schedules written in batches (their length is a number of optimizer steps). */
/** pl_bolts' LinearWarmupCosineAnnealingLR(optimizer, warmup_epochs, max_epochs, …): lengths named in epochs. */
const PL_BOLTS = 'pl_bolts.LinearWarmupCosineAnnealingLR';

/** pl_bolts' max_epochs is known to exceed the epochs run (its lengths then count something else). */
function longerThanRun(ctx: RuleContext, epochs: number | null): boolean {
  const max = ctx.num('max_epochs');
  return max !== null && epochs !== null && max > epochs;
}

function perBatch(kind: string): boolean {
  return kind === 'OneCycleLR' || kind === 'CyclicLR' || kind === 'WarmupConstantSchedule' || (/warmup/i.test(kind) && kind !== 'CosineAnnealingWarmUpRestarts');
}

/** The argument that gives an epoch-counted schedule its length. */
const LENGTH_ARG: Record<string, string> = {
  CosineAnnealingLR: 'T_max', StepLR: 'step_size', MultiStepLR: 'milestones', LinearLR: 'total_iters',
  ConstantLR: 'total_iters', PolynomialLR: 'total_iters', CosineAnnealingWarmRestarts: 'T_0',
};

function runOf(ctx: RuleContext): RunInfo | null {
  const r = ctx.call.run;
  return r && ctx.call.memberOf === null ? r : null;
}

/** Identifier-like words of a text. */
function words(t: string): Set<string> {
  return new Set(t.split(/[^\p{L}\p{N}_]+/u).filter((w) => w && !/^\d/.test(w)));
}

/** The run's step count when it rests on nothing assumed (and the counter starts where the construction left it). */
function knownSteps(r: RunInfo): number | null {
  return r.steps !== null && r.assumed.length === 0 && r.lastEpochSet === undefined ? r.steps : null;
}

const PER_BATCH_PER_EPOCH: Rule = {
  ids: ['LR170'],
  kinds: null,
  check(ctx) {
    const r = runOf(ctx);
    if (!r || r.unit !== 'epoch' || r.lightning || !perBatch(ctx.kind)) return;
    if (ctx.kind === PL_BOLTS && !longerThanRun(ctx, r.epochs)) return;
    const e = ctx.num('epochs');
    const spe = ctx.num('steps_per_epoch');
    const total = ctx.num('total_steps') ?? (e !== null && spe !== null ? e * spe : null) ?? ctx.num('num_training_steps');
    // A loop whose known count reaches the schedule's last value steps it as it is built, whatever the loop is
    // called (`for i in range(10000)` for 10,000 total steps; `epochs=E, steps_per_epoch=1` stepped per epoch).
    const N = knownSteps(r);
    if (total !== null && N !== null && N >= total - 1) return;
    const site = r.sites[0];
    // OneCycleLR's peak is at step float(pct_start · total_steps) − 1: a run past it anneals part of the way.
    const peak = ctx.kind === 'OneCycleLR' && total !== null ? (ctx.num('pct_start') ?? 0.3) * total - 1 : null;
    const why = peak !== null && N !== null && N > peak
      ? `it peaks at step ${n(Math.round(peak))} and stops before annealing to its minimum`
      : 'OneCycleLR rises and never anneals';
    ctx.report('LR170', undefined, `${ctx.kind} is a per-batch schedule, but it is stepped once per epoch` +
      `${site ? ` (in \`${site.frames[0]?.header ?? 'the loop'}\`)` : ''}` +
      `${r.epochs !== null ? `: the run makes ${n(r.epochs)} step() calls` : ''}${total !== null ? ` of the ${n(total)} the schedule is built for` : ''}, ` +
      `so the curve stops early (${why}). Call step() after each optimizer.step() in the batch loop.`, ctx.call.calleeRange);
  },
};

const EPOCH_SCHEDULE_PER_BATCH: Rule = {
  ids: ['LR171'],
  kinds: Object.keys(LENGTH_ARG),
  check(ctx) {
    const r = runOf(ctx);
    const param = LENGTH_ARG[ctx.kind]!;
    if (!r || r.unit !== 'batch' || r.lightning) return;
    const site = r.sites[0];
    // The epoch loop is the one right around the batch loop (a fold loop may enclose both).
    const epochFrame = site && site.frames.length >= 2 ? site.frames[site.frames.length - 2]! : null;
    const info = ctx.call.argInfo.find((a) => a.name === param);
    if (!epochFrame || !info || info.isDefault || !info.text) return;
    const batchLoop = site!.frames[site!.frames.length - 1]!;
    // Equal to the epoch count, or written with the epoch loop's bound (`T_max=EPOCHS`, `args.epochs // 3`).
    const v = ctx.value(param);
    const vals = v?.kind === 'list' ? v.items.map((x) => ('value' in x && typeof x.value === 'number' ? x.value : NaN)) : [ctx.num(param) ?? NaN];
    // Known, with the epochs and the batches per epoch known: a length beyond the epoch count is counted in batches.
    const spe = r.assumed.length === 0 ? r.stepsPerEpoch : null;
    if (r.epochs !== null && spe !== null && spe > 1 && vals.every((x) => Number.isFinite(x) && x > r.epochs!)) return;
    const bound = words(epochFrame.header.replace(/^for\s+\S+\s+in\s+/, ''));
    bound.delete('range');
    // `EPOCHS * len(train_loader)`, `epochs * steps_per_epoch`, `CFG.epochs * 20`: epochs times a batch count.
    const loader = batchLoop.source ? words(batchLoop.source) : new Set<string>();
    const batched = /(^|[^*])\*(?!\*)/.test(info.text) || /\blen\s*\(/.test(info.text)
      || [...words(info.text)].some((w) => loader.has(w) || /step|iter|batch/i.test(w));
    const derived = !batched && [...words(info.text)].some((w) => bound.has(w) || /epoch/i.test(w));
    const equal = r.epochs !== null && vals.some((x) => x === r.epochs);
    if (!derived && !equal) return;
    const src = batchLoop.source;
    ctx.report('LR171', param, `${param}=${info.text} counts epochs (the loop \`${epochFrame.header}\`), but the scheduler is stepped ` +
      `once per batch (in \`${batchLoop.header}\`): the schedule ${ctx.kind === 'CosineAnnealingLR' ? 'ends inside the first epochs and then climbs back, every ' + info.text + ' batches' : 'runs its course within the first epochs'}. ` +
      'Step it once per epoch, or give its length in batches.', info.range ?? ctx.call.calleeRange,
    fixes(src && ctx.kind !== 'MultiStepLR' ? replaceArg(ctx, param, `${info.text} * len(${src})`, `Count ${param} in batches: ${info.text} * len(${src})`, false) : null));
  },
};

const ONE_CYCLE_OVERRUN: Rule = {
  ids: ['LR172'],
  kinds: ['OneCycleLR'],
  check(ctx) {
    const r = runOf(ctx);
    if (!r || r.unit !== 'batch') return;
    const f = ctx.sim?.error;
    // For any length of the loader (below) is the stronger claim: the simulation's, over an assumed length, is replaced by it.
    const any = anyLengthOverrun(ctx, r);
    if (any) {
      const finding = ctx.report('LR172', 'epochs', any.message, any.range, any.fixes, any.severity);
      if (f && f.rule === 'LR172') finding.proves = true;
      return;
    }
    // Found by the simulation over the run's length: say where in the run it happens.
    if (f && f.rule === 'LR172' && f.step !== null) {
      const spe = r.stepsPerEpoch;
      const call = f.step; // the step() call that raises (1-based)
      const where = spe ? ` at epoch ${Math.floor((call - 1) / spe)}, batch ${(call - 1) % spe}` : ` at step() call ${call}`;
      ctx.fail('LR172', 'total_steps', new PyError(f.type, f.message, f.param, f.rule), ctx.where('total_steps'), {
        why: `raised${where}: the loop steps it ${r.steps !== null ? n(r.steps) : 'more'} times (${r.source}), more than total_steps`,
      });
    }
  },
};

/**
 * `epochs=E, steps_per_epoch=len(loader)` with a loop of more epochs over the same loader: torch raises for any length
 * of the loader (so whatever length LR Lens assumed for it). Null when that is not the case.
 */
function anyLengthOverrun(ctx: RuleContext, r: NonNullable<ReturnType<typeof runOf>>): { message: string; range: Range; fixes: QuickFix[] | undefined; severity: Severity | undefined } | null {
  const site = r.sites[0];
  const epochsArg = ctx.call.argInfo.find((a) => a.name === 'epochs');
  const speArg = ctx.call.argInfo.find((a) => a.name === 'steps_per_epoch');
  const e = ctx.num('epochs');
  if (!site || site.frames.length < 2 || r.epochs === null || e === null || !epochsArg?.text || !speArg?.text || ctx.written('total_steps')) return null;
  const batch = site.frames[site.frames.length - 1]!;
  const m = /^len\((.+)\)$/.exec(speArg.text.replace(/\s+/g, ''));
  if (!m || !batch.source || m[1] !== batch.source || site.frames.length !== 2 || r.epochs <= e || site.accumulation) return null;
  // The epoch count may rest on an assumption; the loader's length (assumed or not) does not matter here.
  const assumed = r.assumed;
  return {
    message: `torch raises ValueError: Tried to step ${n(e)}·N+2 times. The specified number of total steps is ${n(e)}·N ` +
      `(N = len(${batch.source})) at epoch ${n(e)}, batch 0: the schedule is built for ${n(e)} epochs and the loop runs ${n(r.epochs)} (${r.source}).` +
      `${assumed.length ? ` The epoch count rests on an assumption: ${assumed.join('; ')}.` : ''}`,
    range: epochsArg.range ?? ctx.call.calleeRange,
    fixes: fixes(replaceArg(ctx, 'epochs', String(r.epochs), `Set epochs=${r.epochs} (the loop's epochs)`, false)),
    severity: assumed.length ? 'information' : undefined,
  };
}

const RUN_OUTLASTS: Rule = {
  ids: ['LR173'],
  // The blog's CosineAnnealingWarmUpRestarts places its restarts its own way (see its markers): not judged here.
  kinds: ['CosineAnnealingLR', 'PolynomialLR', 'LinearLR', 'CosineAnnealingWarmRestarts'],
  check(ctx) {
    const r = runOf(ctx);
    const N = r ? knownSteps(r) : null;
    if (!r || N === null || N < 2) return;
    const unit = r.unit === 'epoch' ? 'epochs' : 'steps';
    if (ctx.kind === 'CosineAnnealingLR') {
      const t = ctx.num('T_max');
      if (t === null || t <= 0 || N - 1 <= t) return;
      ctx.report('LR173', 'T_max', `The run outlasts the schedule: the loop runs ${n(N)} ${unit} (${r.source}) and the cosine reaches its minimum ` +
        `at ${n(t)}, then climbs back up (period 2·T_max = ${n(2 * t)}). Set T_max to the run's length.`, ctx.where('T_max'),
      fixes(replaceArg(ctx, 'T_max', String(N), `Set T_max=${N} (the run's ${unit})`, false)));
      return;
    }
    if (ctx.kind === 'CosineAnnealingWarmRestarts') {
      // `step(epoch)` places the cycle by its argument (fractional epochs), not by the count of calls.
      if (r.sites.some((s) => !s.ignored && s.argTexts.length)) return;
      const t0 = ctx.num('T_0');
      const mult = ctx.num('T_mult') ?? 1;
      if (t0 === null || t0 < 1 || mult < 1) return;
      let start = 0;
      let len = t0;
      while (start + len <= N - 1 && len > 0) { start += len; len *= mult; }
      const into = (N - 1 - start) / len;
      if (into <= 0.1 || into >= 0.9) return;
      ctx.report('LR173', 'T_0', `The run ends mid-cycle: the loop runs ${n(N)} ${unit} (${r.source}), and the last cycle (from ${n(start)}, length ${n(len)}) ` +
        `is ${Math.round(into * 100)}% done when it stops, so training ends at a high lr. Choose T_0/T_mult so a cycle ends with the run.`, ctx.where('T_0'));
      return;
    }
    // LinearLR as a decay only: a warm-up that ends at the full lr is meant to stay there.
    if (ctx.kind === 'LinearLR' && !((ctx.num('end_factor') ?? 1) < (ctx.num('start_factor') ?? 1 / 3))) return;
    const ti = ctx.num('total_iters');
    if (ti === null || ti <= 0 || ti * 2 > N) return;
    ctx.report('LR173', 'total_iters', `The run outlasts the schedule: ${ctx.kind} changes the lr for ${n(ti)} ${unit}, then the lr sits flat for the ` +
      `other ${n(N - ti)} of the run's ${n(N)} (${r.source}).`, ctx.where('total_iters'));
  },
};

/** torch's warning (torch/optim/lr_scheduler.py, 1.13), written once. */
export const STEP_ORDER_WARNING = 'Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in ' +
  'the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of ' +
  'the learning rate schedule.';

const STEP_ORDER: Rule = {
  ids: ['LR174'],
  kinds: null,
  check(ctx) {
    const r = runOf(ctx);
    const site = r?.sites.find((s) => s.beforeOptimizerStep);
    if (!site) return;
    const where = site.beforeOptimizerStepIn ? ` (in \`${site.beforeOptimizerStepIn}()\`, which the loop calls after it)` : '';
    ctx.report('LR174', undefined, `\`.step()\` is called before \`${site.beforeOptimizerStep}\`${where} in the same loop; torch warns: "${STEP_ORDER_WARNING}"`, site.range,
      fixes(moveStepAfter(ctx, site)));
  },
};

/** LR174's fix: the scheduler's step statement moved to the line after the optimizer's (same block, whole lines only). */
function moveStepAfter(ctx: RuleContext, site: StepSite): QuickFix | null {
  const m = site.moveAfter;
  if (!m || !site.beforeOptimizerStep) return null;
  const src = ctx.src;
  const text = src.text;
  const lineStart = (o: number) => text.lastIndexOf('\n', o - 1) + 1;
  const lineEnd = (o: number) => { const e = text.indexOf('\n', o); return e < 0 ? text.length : e; };
  const s0 = src.offsetAt(m.statement.start);
  const s1 = src.offsetAt(m.statement.end);
  const from = lineStart(s0);
  const to = lineEnd(s1);
  const indent = text.slice(from, s0);
  // Only a statement alone on its lines (no `;`, no comment after it) moves cleanly; the optimizer's line keeps its comment.
  if (!/^[ \t]*$/.test(indent) || text.slice(s1, to).trim() !== '' || to >= text.length) return null;
  const after = lineEnd(src.offsetAt(m.after.end));
  if (after <= to) return null;
  const moved = text.slice(from, to);
  return {
    title: `Move \`${text.slice(s0, s1)}\` after \`${site.beforeOptimizerStep}\``, preferred: true,
    edits: [
      { range: src.range(from, to + 1), newText: '' },
      { range: src.range(after, after), newText: `\n${moved}` },
    ],
  };
}

const NEVER_STEPPED: Rule = {
  ids: ['LR175'],
  kinds: null,
  check(ctx) {
    const r = runOf(ctx);
    // A TrainingArguments has no step(): one no Trainer is given is a config read for its fields, not a lost schedule.
    if (!r || r.unit !== 'never' || ctx.call.family === 'trainer') return;
    ctx.report('LR175', undefined, `${ctx.call.variable ? `\`${ctx.call.variable}\`` : `This ${ctx.kind}`} is constructed but never stepped nor passed anywhere in this file: ` +
      'the lr stays at its initial value. Call its step() in the training loop.', ctx.call.calleeRange);
  },
};

function sameIteration(a: StepSite, b: StepSite): boolean {
  const fa = a.frames[a.frames.length - 1];
  const fb = b.frames[b.frames.length - 1];
  return !!fa && !!fb && fa.id === fb.id && a.frames.length === b.frames.length && a.conditions.length === 0 && b.conditions.length === 0 && !a.accumulation && !b.accumulation;
}

const STEPPED_TWICE: Rule = {
  ids: ['LR176'],
  kinds: null,
  check(ctx) {
    const r = runOf(ctx);
    if (!r || r.sites.length < 2) return;
    // timm's step_update() per batch beside step(epoch) per epoch is its intended use (LR189 judges timm's stepping).
    const sites = r.sites.filter((s) => !s.unseen && s.frames.length && !s.method);
    for (let i = 0; i < sites.length; i++) {
      for (let j = i + 1; j < sites.length; j++) {
        const a = sites[i]!;
        const b = sites[j]!;
        const lineOf = (s: StepSite) => s.range.start.line + 1;
        if (sameIteration(a, b) && lineOf(a) !== lineOf(b)) {
          ctx.report('LR176', undefined, `Stepped twice per iteration of \`${a.frames[a.frames.length - 1]!.header}\` (lines ${lineOf(a)} and ${lineOf(b)}): ` +
            'the schedule runs at twice the speed meant.', b.range);
          return;
        }
        const da = a.frames.length;
        const db = b.frames.length;
        if (da !== db && a.frames[0]?.id === b.frames[0]?.id && Math.min(da, db) === 1 && !a.conditions.length && !b.conditions.length) {
          ctx.report('LR176', undefined, `Stepped both per batch (line ${lineOf(da > db ? a : b)}) and per epoch (line ${lineOf(da > db ? b : a)}): ` +
            'the two step counts add up and the schedule runs out of place.', (da > db ? b : a).range);
          return;
        }
      }
    }
  },
};

const METRIC = /loss|acc|metric|score|auc|f1|perplex|ppl|bleu|val_/i;

/** timm's schedulers (timm/scheduler/scheduler.py `Scheduler`): `step(self, epoch, metric=None)`, `step_update(self, num_updates, metric=None)`. */
const TIMM_STEP_PARAM: Record<string, string> = { step: 'epoch', step_update: 'num_updates' };

/** The arguments of a call as written bind its first parameter `first`: a positional one, `first=…`, or a splat (not known). */
function bindsFirst(argTexts: readonly string[], first: string): boolean {
  return argTexts.some((t) => !/^[\p{L}_][\p{L}\p{N}_]*\s*=(?!=)/u.test(t) || t.startsWith('*') || new RegExp(`^${first}\\s*=(?!=)`).test(t));
}

/** The first positional argument as written (`step(val_loss)`), or `epoch=…`'s value; null for keywords only. */
function epochText(argTexts: readonly string[]): string | null {
  const pos = argTexts.find((t) => !/^[\p{L}_][\p{L}\p{N}_]*\s*=(?!=)/u.test(t) && !t.startsWith('*'));
  if (pos !== undefined) return pos;
  const kw = argTexts.find((t) => /^epoch\s*=(?!=)/.test(t));
  return kw !== undefined ? kw.replace(/^epoch\s*=\s*/, '') : null;
}

const STEP_ARGUMENT: Rule = {
  ids: ['LR177'],
  kinds: null,
  check(ctx) {
    const r = runOf(ctx);
    if (!r) return;
    if (ctx.kind.startsWith('timm.')) {
      // timm's step() / step_update() take the epoch / update count as a required positional argument: without it
      // Python raises on the first call, whatever t_in_epochs says (the binding comes first). Known from the text alone.
      const cls = ctx.kind.replace(/^timm\./, '');
      for (const s of r.sites) {
        const method = s.method ?? 'step';
        const param = TIMM_STEP_PARAM[method];
        if (!param) continue;
        if (!bindsFirst(s.argTexts, param)) {
          ctx.report('LR177', undefined, `timm raises TypeError: Scheduler.${method}() missing 1 required positional argument: '${param}' — ` +
            `${cls} is not a torch scheduler: its ${method}() takes the ${method === 'step' ? 'epoch' : 'update count'} (timm/scheduler/scheduler.py). ` +
            (method === 'step' ? 'Call step(epoch + 1) after each epoch (step(epoch + 1, val_loss) to pass a metric).' : 'Call step_update(num_updates) after each optimizer update.'),
          s.range);
          return;
        }
        const first = method === 'step' ? epochText(s.argTexts) : null;
        if (first !== null && METRIC.test(first) && !/epoch/i.test(first)) {
          ctx.report('LR177', undefined, `\`step(${s.argTexts.join(', ')})\` passes a metric to ${ctx.kind}, whose step() takes the epoch first: ` +
            `the value becomes the epoch number and the schedule jumps to it. Pass the epoch first: step(epoch + 1, ${first}).`, s.range, undefined, 'warning');
          return;
        }
      }
      return;
    }
    for (const s of r.sites.filter((x) => !x.method && !neverCalled(x))) {
      if (ctx.kind === 'ReduceLROnPlateau') {
        if (s.argTexts.length === 0) {
          ctx.report('LR177', undefined, 'torch raises TypeError: ReduceLROnPlateau.step() missing 1 required positional argument: \'metrics\' — it needs the ' +
            'monitored value, e.g. step(val_loss).', s.range);
          return;
        }
      } else if (s.argTexts.length === 1 && epochText(s.argTexts) !== null && METRIC.test(epochText(s.argTexts)!) && !/epoch/i.test(epochText(s.argTexts)!)) {
        ctx.report('LR177', undefined, `\`step(${s.argTexts[0]})\` passes a metric to ${ctx.kind}, whose step() takes an epoch: ` +
          `the value becomes the epoch number and the schedule jumps to it. Call step() without arguments.`, s.range, undefined, 'warning');
        return;
      }
    }
  },
};

const LIGHTNING: Rule = {
  ids: ['LR178', 'LR176'],
  kinds: null,
  check(ctx) {
    const cfg = ctx.call.run?.lightningConfig;
    if (!cfg) return;
    if (cfg.misplaced.length) {
      ctx.report('LR178', undefined, `${cfg.misplaced.join(', ')} beside "lr_scheduler" is ignored by Lightning: put it inside the scheduler's dict ` +
        '({"scheduler": …, "interval": …, "frequency": …}).', cfg.where);
    }
    // Manual optimization: Lightning steps nothing, so its interval and monitor do not apply.
    if (cfg.manual) return;
    if (cfg.alsoStepped) {
      // Lightning steps it (automatic optimization) and the module steps it again: "interval": "step" would not help.
      const a = cfg.alsoStepped;
      ctx.report('LR176', undefined, `Stepped twice: Lightning steps ${ctx.kind} once per ${cfg.interval === 'step' ? 'optimizer step' : 'epoch'} ` +
        `(automatic optimization, ${cfg.interval ? `"interval": "${cfg.interval}"` : 'the default "interval" is "epoch"'}) and the module steps it again with ` +
        `\`${a.where}\` in \`${a.stepIn}\`${a.conditional ? ' (under a condition)' : ''}, so the schedule runs faster than either alone. Keep one: remove the ` +
        'module\'s call, or set `self.automatic_optimization = False` (manual optimization, where Lightning steps no scheduler).', cfg.where);
      return;
    }
    if (ctx.kind === PL_BOLTS) {
      // Its lengths are named in epochs and its docstring's example steps it once per epoch: a per-batch schedule
      // only when max_epochs is known to exceed the epochs Lightning runs.
      const epochs = ctx.call.run?.epochs ?? null;
      if (cfg.interval !== 'step' && longerThanRun(ctx, epochs)) {
        ctx.report('LR178', undefined, `max_epochs=${ctx.num('max_epochs')} is more than the ${epochs} epochs Lightning runs, and Lightning steps ${ctx.kind} once per epoch ` +
          `(${cfg.interval ? `"interval": "${cfg.interval}"` : 'the default "interval" is "epoch"'}): if its lengths count batches, return {"scheduler": …, "interval": "step"}.`, cfg.where);
      }
    } else if (perBatch(ctx.kind) && cfg.interval !== 'step') {
      ctx.report('LR178', undefined, `${ctx.kind} is a per-batch schedule, but Lightning steps it once per epoch ` +
        `(${cfg.interval ? `"interval": "${cfg.interval}"` : 'the default "interval" is "epoch"'}). Return {"scheduler": …, "interval": "step"}.`, cfg.where);
    }
    if (ctx.kind === 'ReduceLROnPlateau' && !cfg.monitor) {
      ctx.report('LR178', undefined, 'ReduceLROnPlateau needs a metric: Lightning raises a MisconfigurationException without "monitor" in its config ' +
        '({"scheduler": …, "monitor": "val_loss"}).', cfg.where);
    }
  },
};

const RUN_ENDS_FIRST: Rule = {
  ids: ['LR179'],
  kinds: ['OneCycleLR', 'CosineAnnealingLR', 'WarmupConstantSchedule', 'LinearLR', 'CosineAnnealingWarmUpRestarts'],
  check(ctx) {
    const r = runOf(ctx);
    const N = r ? knownSteps(r) : null;
    if (!r || N === null || N < 1) return;
    const unit = r.unit === 'epoch' ? 'epochs' : 'steps';
    let msg: string | null = null;
    let param: string | undefined;
    if (ctx.kind === 'OneCycleLR') {
      const total = ctx.num('total_steps') ?? ((ctx.num('epochs') ?? NaN) * (ctx.num('steps_per_epoch') ?? NaN));
      const pct = ctx.num('pct_start') ?? 0.3;
      if (!Number.isFinite(total)) return;
      param = ctx.written('total_steps') ? 'total_steps' : 'epochs';
      // torch's peak is at step float(pct_start * total_steps) - 1: after N step() calls the lr has come down iff N passes it.
      const peak = pct * total - 1;
      if (peak >= N) msg = `The warm-up (${n(Math.floor(pct * total))} of total_steps ${n(total)}) lasts the whole run (${n(N)} ${unit}, ${r.source}): the lr never comes down.`;
      else if (total >= 1.5 * N) msg = `total_steps ${n(total)} is far beyond the run (${n(N)} ${unit}, ${r.source}): the curve stops at ${Math.round((N / total) * 100)}% and never anneals.`;
    } else if (ctx.kind === 'CosineAnnealingLR') {
      const t = ctx.num('T_max');
      param = 'T_max';
      if (t !== null && t >= 1.5 * N) msg = `T_max ${n(t)} is far beyond the run (${n(N)} ${unit}, ${r.source}): the cosine is cut at ${Math.round((N / t) * 100)}% and the lr never reaches eta_min.`;
    } else {
      param = ctx.kind === 'LinearLR' ? 'total_iters' : ctx.kind === 'WarmupConstantSchedule' ? 'warmup_steps' : 'T_up';
      const w = ctx.num(param);
      // LinearLR is a warm-up only when it rises (torch's defaults: 1/3 → 1.0); it reaches end_factor at step() call
      // total_iters, so a run of N calls finishes it iff total_iters ≤ N.
      // ctx.num gives torch's default when not written, null when unknown or assumed (then the rule stays silent).
      const start = ctx.kind === 'LinearLR' ? ctx.num('start_factor') : null;
      const end = ctx.kind === 'LinearLR' ? ctx.num('end_factor') : null;
      if (w === null || (ctx.kind === 'LinearLR' && (start === null || end === null))) return;
      if (start !== null && end !== null && end < start) {
        if (w >= 1.5 * N) msg = `total_iters ${n(w)} is far beyond the run (${n(N)} ${unit}, ${r.source}): the decay is cut at ${Math.round((N / w) * 100)}% and the lr never reaches end_factor.`;
      } else if ((start === null || end! > start) && w > N) {
        msg = `The warm-up (${param}=${n(w)}) is longer than the run (${n(N)} ${unit}, ${r.source}): it never finishes.`;
      }
    }
    if (!msg) return;
    ctx.report('LR179', param, msg, ctx.where(param!), fixes(param === 'T_max' || param === 'total_steps' ? replaceArg(ctx, param, String(N), `Set ${param}=${N} (the run's ${unit})`, false) : null));
  },
};

/** LR190: other code in the training loop sets the same optimizer's lr (a hand-written warm-up, an SWALR, a scheduler class of the repository): the preview is the scheduler alone. */
const OTHER_WRITERS: Rule = {
  ids: ['LR190'],
  kinds: null,
  check(ctx) {
    const r = runOf(ctx);
    for (const w of r?.otherWriters ?? []) {
      ctx.report('LR190', undefined, `The training loop also sets the lr: ${w.what}. The preview shows ${ctx.kind} alone; the lr the run uses differs ` +
        'wherever that code runs (after a write, a chainable scheduler such as ExponentialLR goes on from the written value).', w.range);
    }
    // Written once after the construction, before the loop (akamaster's resnet110 warm-up), on a kind that chains from it.
    for (const w of runOf(ctx) ? ctx.call.stepping?.writesBeforeRun ?? [] : []) {
      if (!w.after || !chainsFromGroupLr(ctx.kind)) continue;
      ctx.report('LR190', undefined, `The lr is set after ${ctx.kind} is built and before its first step(): ${w.what}${w.conditional ? `, ${w.conditional}` : ''}. ` +
        `Each step() of ${ctx.kind} goes on from the group's current lr, so the written value carries through the whole run (a warm-up written this way never ` +
        'switches back); the preview starts from the lr at construction.', w.range);
    }
  },
};

export const LOOP_RULES: readonly Rule[] = [OTHER_WRITERS, 
  PER_BATCH_PER_EPOCH, EPOCH_SCHEDULE_PER_BATCH, ONE_CYCLE_OVERRUN, RUN_OUTLASTS, STEP_ORDER, NEVER_STEPPED, STEPPED_TWICE, STEP_ARGUMENT, LIGHTNING, RUN_ENDS_FIRST,
];
