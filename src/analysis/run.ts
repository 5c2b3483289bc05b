/**
 * The run model, language-neutral: how a scheduler is stepped (its step sites, each with the loops
 * around it, outermost first, across the functions it is called through) and for how long. A
 * frontend describes each site as loop frames (what each loop iterates, its count when the file
 * shows it); this file classifies the unit (`batch`, `epoch`, `optimizer-step`, `unknown`, `never`)
 * and works out the run length in that unit. Nothing here guesses: an unknown count stays null with
 * its reason, and the one assumed number (batches per epoch) is labelled where it is used.
 */
import type { FoundCall, Range } from './types';

export type RunUnit = 'batch' | 'epoch' | 'optimizer-step' | 'unknown' | 'never';

/** One loop around a step site. */
export interface LoopFrame {
  /** Stable within a document: `line:character` of the loop statement. */
  id: string;
  /** The loop's header as written, e.g. `for epoch in range(300)`. */
  header: string;
  /** `range`: over numbers (`range(n)`); `iterable`: over a data loader, a list…; `while`: a condition. */
  over: 'range' | 'iterable' | 'while';
  /** Iterations (for `while step < N`: the counter's distance to N), when the file shows it. */
  count: number | null;
  /** The assumption the count rests on (an argparse default), if any. */
  countAssumed?: string;
  /** Why the count is unknown. */
  countReason?: string;
  /** The loop variable as written ('' for `while`): what it is named says epoch or batch first. */
  target: string;
  /** The loop variable and iterable/condition text, for the words that say epoch or batch. */
  words: string;
  /**
   * A `while` loop's counters: what its body adds to at its top level (`epoch += 1`), said when its condition says
   * neither epoch nor batch (`while True:` in ultralytics' trainer, ended by `if epoch >= self.epochs: break`).
   */
  counters?: string;
  /** The data iterable at the root of the iterable (`train_loader` in `enumerate(tqdm(train_loader))`). */
  source: string | null;
  /** The loop's index variable and its first value, when the loop counts from a known start (`for i, b in enumerate(loader)`, `for i in range(n)`). */
  index?: { name: string; start: number; step?: number };
  /** Set when a `break` may end the loop before its count (which is then unknown): where, and the most it runs. */
  endsEarly?: string;
  /**
   * A loop over data of unknown length ended by a counter of the scheduler's steps (`if completed_steps >=
   * args.max_train_steps: break`, the counter advanced with each step): the step() calls the run makes before the
   * check ends it (bound − the counter's start), the check as written, and what the numbers rest on.
   */
  cap?: { steps: number; text: string; assumed?: string };
  /** A loop over a tuple or list of literals (`for phase in ['train', 'val']`): the variable's values, in order. */
  values?: (number | string)[];
  /**
   * A `while` loop whose count is how many times its counter is advanced in an inner loop (`while step < max_steps:`
   * around `for batch in loader: … step += 1`), not its passes: where, in words. A step site beside that `+= 1` runs
   * `count` times; for one in the `while` body itself the frame is `passes` instead.
   */
  advancedInside?: string;
  /** Set on such a frame for a site in the `while` body itself: each pass runs the inner loop over the data (an epoch), and how many passes there are is not known. */
  passes?: 'epochs';
}

/**
 * A gradient-accumulation condition read from the code: `(counter + add) % every == residue`, optionally
 * `or counter == len(…) - 1` (the last batch also steps); `every` null when the factor is not known (with why).
 */
export interface Accumulation {
  counter: string;
  add: number;
  every: number | null;
  residue: number;
  lastBatch: boolean;
  assumed?: string;
  reason?: string;
}

/** Exactly how many of the indices start … start + n − 1 satisfy the condition (Python's `%`: non-negative for every > 0). */
export function accumulatedSteps(n: number, start: number, a: Accumulation): number | null {
  const k = a.every;
  if (k === null || !Number.isSafeInteger(k) || k <= 0 || !Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(start)) return null;
  const hits = (i: number) => (((i + a.add) % k) + k) % k === a.residue;
  let count = 0;
  if (a.residue >= 0 && a.residue < k) {
    // Indices j in [0, m) with j ≡ r (mod k), r in [0, k); the range [start, start + n) shifted to start at 0.
    const r = (((a.residue - a.add - start) % k) + k) % k;
    count = r < n ? Math.floor((n - 1 - r) / k) + 1 : 0;
  }
  if (a.lastBatch && n > 0 && !hits(start + n - 1)) count++;
  return count;
}

/** The scheduler's entry in Lightning's `configure_optimizers` return, with what Lightning reads from it. */
export interface LightningConfig {
  interval: string | null;
  frequency: number | null;
  monitor: string | null;
  /** `interval` / `frequency` written beside `lr_scheduler` (Lightning ignores them there), as written. */
  misplaced: string[];
  /** The dict holding the scheduler (or the scheduler itself), for messages and fixes. */
  where: Range;
  /** The LightningModule (or a base class in the file) defines `lr_scheduler_step`; null when a base class is not visible. */
  overridesSchedulerStep?: boolean | null;
  /**
   * Its place among the schedulers the return lists (`[opt_g, opt_d], [sched_g, sched_d]`, a tuple of config dicts),
   * as `self.lr_schedulers()` returns them; absent when the return does not list them.
   */
  position?: number;
  /**
   * Manual optimization (`self.automatic_optimization = False` in the module or a base class of the file): Lightning
   * steps no scheduler (`_update_learning_rates` returns at once); the module steps it through `self.lr_schedulers()`.
   * The method calling `.step()` on it (`training_step`, `on_train_epoch_end`, …), null when none is found. A step of
   * one of several schedulers by position (`self.lr_schedulers()[0].step()`, `sch_g, sch_d = self.lr_schedulers()`)
   * counts for the scheduler at that place (`position`); `picked` when which one it is is not known, `othersOnly`
   * (the method, with `stepIn` null and `where` one of those steps) when the module steps only the others.
   */
  manual?: { stepIn: string | null; conditional: boolean; where: string; picked?: true; othersOnly?: string };
  /** Automatic optimization, and the module also steps it through `self.lr_schedulers()` (same shape as `manual`). */
  alsoStepped?: { stepIn: string | null; conditional: boolean; where: string };
}

/** One `.step()` call of a scheduler, with its context. */
export interface StepSite {
  range: Range;
  /** Loops around the call, outermost first (those of the callers first). */
  frames: LoopFrame[];
  /** Functions the call is reached through, outermost first (`train_one_epoch`). */
  via: string[];
  /** A gradient-accumulation condition around the call (`(i + 1) % accum == 0`), as written. */
  accumulation: string | null;
  /** That condition read: counter, factor (or why it is unknown). */
  accumulationRead?: Accumulation;
  /** Other conditions around the call, as written. */
  conditions: string[];
  /** `step()` arguments as written. */
  argTexts: string[];
  /** The method called when not `step` (timm's `step_update`). */
  method?: string;
  /** Why this call does nothing (timm's `step_update()` with `t_in_epochs=True`, `step()` with False): not counted in the run. */
  ignored?: string;
  /**
   * Counted with the call at this range: the other branch of the same condition (`if c: s.step(); continue` then
   * `s.step()`, or `if c: s.step() else: s.step()`), so that the two together step on every pass the rest allows.
   */
  countedWith?: Range;
  /**
   * Set by the frontend on each call when the calls are in loops that run one after the other (a warm-up stage's
   * loop, then the main loop: statements of one block under the same conditions): the run is their sum.
   */
  inTurn?: boolean;
  /** Set when the call is reached from code LR Lens cannot see (a framework hook, a function never called). */
  unseen: string | null;
  /** Assumptions the site's run rests on (its outermost function is not called in the file). */
  assumed?: string[];
  /** The construction is in a loop around the call too (its header and line, its range): each pass builds a new scheduler, and `frames` are one scheduler's run. */
  rebuilt?: { header: string; range: Range };
  /**
   * The loop right around this call runs another loop (in its body, or in a function of the file it calls) that
   * steps the optimizer (DALLE-pytorch's notebook: `for _ in t: for batch_idx in …: opt.step()` then
   * `scheduler.step()`): the call is once per pass of an outer loop, an epoch, whatever the loop is named.
   */
  optimizerInInnerLoop?: boolean;
  /** The optimizer's step in the same loop body comes after this call (LR174), with the optimizer call as written. */
  beforeOptimizerStep: string | null;
  /**
   * The optimizer's step is written before this call in the loop body around it: each pass steps the optimizer with
   * the lr set on the pass before, so the lr after the run's last step() is used by no optimizer step (LR013).
   */
  afterOptimizerStep?: true;
  /** When that optimizer step is in a function of the file the loop calls after this call: its name. */
  beforeOptimizerStepIn?: string;
  /** When both are plain statements of the same block: the scheduler's statement and the optimizer's (LR174's fix). */
  moveAfter?: { statement: Range; after: Range };
  /**
   * What the call's conditions and `step(epoch)` argument come to over the loops `frames.slice(k)` (entry k: the
   * run starting at loop k; classifySite reads the entry of the loop its run starts at). Absent: no condition but a
   * guard on the scheduler itself, and no argument.
   */
  counts?: SiteCount[];
}

/** A step site's conditions and argument over the run's loops (frontends count them; run.ts reads them). */
export interface SiteCount {
  /**
   * Under conditions other than a guard on the scheduler itself (`if epoch > warm:`): the step() calls where they
   * hold (null when not decidable, with why), of how many passes, the assumptions that rests on, and the
   * conditions as read (`not (…)` on an `else` branch).
   */
  passes?: { steps: number | null; of: number | null; reason?: string; assumed: string[]; conditions: string[] };
  /** `step(epoch)`: the argument of each call in order (a known function of the loops' variables), or why it is not known. */
  epochArgs?: { values: number[]; assumed: string[] } | { reason: string };
}

/** How a scheduler is stepped and for how long: the CLI's `run` (README, "JSON output"). */
export interface RunInfo {
  unit: RunUnit;
  /** Epochs of the run, when known. */
  epochs: number | null;
  /** Batches (step() calls, for unit batch / optimizer-step) per epoch, when known (or assumed: see `assumed`). */
  stepsPerEpoch: number | null;
  /** How many times step() runs in the whole run, when known. */
  steps: number | null;
  /** Where the length comes from, in words (`for epoch in range(300)`), or why it is unknown. */
  source: string;
  stepSites: Range[];
  /** Assumptions the run length rests on, in plain words. */
  assumed: string[];
  /** For unit `unknown`: why. */
  reason?: string;
  /** The step() call is under a condition whose passes are not counted: why (the run length is then unknown). */
  conditional?: string;
  /** The cap of the loop over the data (LoopFrame.cap): with the assumed batches per epoch, the run stops there. */
  cap?: { steps: number; text: string; assumed?: string };
  /**
   * A loop inside the epochs whose length is not known may end early (`if completed_steps >= max_train_steps: break`
   * in a loop over the data): where. Epochs × the assumed batches per epoch is then not the run's length either.
   */
  endsEarly?: string;
  /** Stepped after another scheduler on the same optimizer (`if epoch < warmup: warmup.step() else: …`): which, and how the preview starts. */
  after?: string;
  /**
   * `scheduler.last_epoch = k` before the first step(): k when the curve applies it, 'unknown' when it is not followed (the
   * curve then counts from the construction, labelled). Either way the run's end is not the schedule's step count. Not in the JSON.
   */
  lastEpochSet?: number | 'unknown';
  /** `step(x)`: each call's argument in order when it is a known function of the loops' variables, else why not (with the call as written). */
  epochArgs?: { values: number[]; assumed: string[]; text: string } | { reason: string; text: string };
  /** For unit `optimizer-step`: the accumulation condition over the batch loop's index (from `start`), to count optimizer steps from an assumed batch count. */
  accumulation?: { read: Accumulation; start: number };
  /**
   * Lightning: `Trainer(limit_train_batches=N)` with an int N, stepped per optimizer step without accumulation: at
   * most N batches per epoch (fewer when the data loader is shorter, whose length is not known). Not in the JSON.
   */
  batchLimit?: number;
  /** Lightning: `interval` and `frequency` of the scheduler's config (null outside Lightning). */
  lightning?: { interval: string; frequency: number; monitor: string | null } | null;
  /** Functions the step is reached through (`train_one_epoch`). */
  via: string[];
  /** Lightning: the scheduler's entry in `configure_optimizers`'s return, as written (for LR178). */
  lightningConfig?: LightningConfig;
  /** Per-site detail, for lints. */
  sites: StepSite[];
  /** Where the scheduler is handed to, in words (`` `Trainer(…)` ``, the return of `` `build()` ``), when it is not stepped in the file. */
  handedTo: string[];
  /** Code in the training loop that also sets the lr of its optimizer (`g['lr'] = …`, an SWALR stepped there): not in the preview (LR190). */
  otherWriters?: OtherWriter[];
}

/** A write of the lr outside the scheduler, in the loop (or a function it calls): where, and what, as written. */
export interface OtherWriter { range: Range; what: string }

/**
 * A write of its optimizer's lr outside every loop, after the optimizer is built and before the scheduler's first
 * step() (`for g in optimizer.param_groups: g['lr'] = args.lr * 0.1`): torch's scheduler runs on the written lr.
 * `after`: written after the scheduler's construction; `conditional`: the statement it is under, in words.
 */
export interface WriteBeforeRun { range: Range; what: string; after: boolean; conditional?: string }

/** Whether a run-derived horizon applies: the run's step count, or epochs × an assumed batch count. */
export function runSteps(run: RunInfo, assumedStepsPerEpoch: number, statedStepsPerEpoch: number | null = null): { steps: number; source: string; assumed: string | null; assumedStepsPerEpoch?: number } | null {
  if (run.steps !== null && run.steps >= 1) return { steps: run.steps, source: run.source, assumed: null };
  // Under a condition not counted, epochs × batches would count passes that do not step: no run length.
  if (run.conditional) return null;
  // A loop over the data that may end early: the assumed batches per epoch would count passes it may not make.
  if (run.endsEarly) return null;
  if ((run.unit === 'batch' || run.unit === 'optimizer-step') && run.epochs !== null && run.stepsPerEpoch === null && assumedStepsPerEpoch >= 1) {
    // The scheduler's own `steps_per_epoch` (OneCycleLR) is the user's word for the loader's length; else the setting.
    const stated = statedStepsPerEpoch !== null && Number.isSafeInteger(statedStepsPerEpoch) && statedStepsPerEpoch >= 1;
    const limit = run.batchLimit;
    if (limit !== undefined) {
      // Lightning runs min(the loader's length, limit) batches an epoch; the scheduler's steps_per_epoch, when
      // smaller, is the user's word for the loader's length.
      // With accumulation the limit counts batches, the scheduler optimizer steps: its steps_per_epoch is not the batches'.
      const acc = run.unit === 'optimizer-step' ? run.accumulation : undefined;
      const spe = stated && !acc ? Math.min(statedStepsPerEpoch, limit) : limit;
      const by = stated && !acc && statedStepsPerEpoch < limit ? `, the scheduler's steps_per_epoch says ${statedStepsPerEpoch}` : '';
      const per = acc ? accumulatedSteps(spe, acc.start, acc.read) : spe;
      if (per === null) return null;
      return {
        steps: run.epochs * per, assumedStepsPerEpoch: spe,
        source: `${run.source}, ${spe} batches per epoch assumed${acc ? ` (${per} optimizer steps)` : ''}`,
        assumed: `${spe} batches per epoch assumed: \`Trainer(limit_train_batches=${limit})\` runs at most ${limit}${by} (fewer if the data loader is shorter)`,
      };
    }
    const spe = stated ? statedStepsPerEpoch : Math.floor(assumedStepsPerEpoch);
    // Optimizer steps: the accumulation condition counted over the assumed batches; unknown factor: no run length.
    let per = spe;
    if (run.unit === 'optimizer-step' && !stated) {
      const n = run.accumulation ? accumulatedSteps(spe, run.accumulation.start, run.accumulation.read) : null;
      if (n === null || n < 1) return null;
      per = n;
    }
    // Ended by a counter of the steps: its bound when reached in the last epoch; reached earlier, each epoch after it
    // may step once more before its check (it depends on where the first pass steps): not counted.
    let steps = run.epochs * per;
    let capped = '';
    const cap = run.cap;
    if (cap && steps > cap.steps) {
      if (cap.steps < 1 || (run.epochs - 1) * per >= cap.steps) return null;
      steps = cap.steps;
      capped = `, ended by ${cap.text} after ${formatCount(cap.steps)} steps`;
    }
    return {
      steps, assumedStepsPerEpoch: spe,
      source: `${run.source}, ${spe} batches per epoch assumed${capped}`,
      assumed: (stated
        ? `${spe} batches per epoch assumed, from the scheduler's steps_per_epoch (the loop's length is not known)`
        : `${spe} batches per epoch assumed (the loop's length is not known; setting lrLens.assumedStepsPerEpoch, CLI --steps-per-epoch)`) +
        (capped && cap?.assumed ? `; ${cap.text}: ${cap.assumed}` : ''),
    };
  }
  return null;
}

const EPOCH_WORD = /epoch/i;
const BATCH_WORD = /batch|loader|step|iter|\bit\b|data|sample/i;

/** A loop over epochs: its variable says so (`for epoch in …`), or, unnamed that way, its iterable or condition does. */
function isEpochLoop(fr: LoopFrame): boolean {
  if (fr.passes === 'epochs') return true;
  if (fr.over === 'while') {
    const words = EPOCH_WORD.test(fr.words) || BATCH_WORD.test(fr.words) ? fr.words : (fr.counters ?? '');
    return EPOCH_WORD.test(words) && !BATCH_WORD.test(words);
  }
  if (EPOCH_WORD.test(fr.target)) return true;
  if (BATCH_WORD.test(fr.target)) return false;
  return EPOCH_WORD.test(fr.words) && !BATCH_WORD.test(fr.words);
}

/**
 * The loops of a site that make the training run, outermost first: from the innermost loop that says epoch
 * (`for fold …: for epoch …`), without loops over a literal list (`for phase in ["train", "val"]`) inside it.
 */
export function runFrames(frames: LoopFrame[]): { from: number; frames: LoopFrame[] } {
  let from = 0;
  frames.forEach((fr, i) => { if (isEpochLoop(fr)) from = i; });
  return { from, frames: frames.slice(from).filter((fr, i) => i === 0 || !(fr.over === 'iterable' && fr.count !== null && fr.source === null)) };
}

/** The unit of one site and the run length it implies. */
export function classifySite(site: StepSite): Omit<RunInfo, 'stepSites' | 'sites' | 'via' | 'handedTo' | 'lightning'> {
  const assumed: string[] = [];
  if (site.unseen) return { unit: 'unknown', epochs: null, stepsPerEpoch: null, steps: null, source: site.unseen, assumed, reason: site.unseen };
  let f = site.frames;
  if (f.length === 0) {
    const reason = '`.step()` is not inside a loop LR Lens can see';
    return { unit: 'unknown', epochs: null, stepsPerEpoch: null, steps: null, source: reason, assumed, reason };
  }
  assumed.push(...(site.assumed ?? []));
  const note = (fr: LoopFrame) => { if (fr.countAssumed) assumed.push(`${fr.header}: ${fr.countAssumed}`); };
  f.forEach(note);
  const run = runFrames(f);
  f = run.frames;
  const outer = f[0]!;
  // `while step < max_steps` around the batches: the bound counts steps, not epochs.
  const stepBound = f.find((fr) => fr.over === 'while' && fr.count !== null && BATCH_WORD.test(fr.words));
  let unit: RunUnit;
  let epochs: number | null = null;
  let spe: number | null = null;
  let steps: number | null = null;
  let source: string;
  let endsEarly: string | undefined;
  let cap: LoopFrame['cap'];
  if (f.length === 1) {
    // One loop: an epoch loop unless it visibly runs over batches or training steps (and not when the optimizer
    // is stepped in a loop inside it).
    const perBatch = !site.optimizerInInnerLoop && !isEpochLoop(outer) && (outer.over !== 'range' || BATCH_WORD.test(outer.target || outer.words));
    if (perBatch) {
      unit = 'batch';
      steps = outer.count;
      source = steps !== null ? `\`${outer.header}\`` : `\`${outer.header}\` (its length is not known${outer.countReason ? `: ${outer.countReason}` : ''})`;
    } else {
      unit = 'epoch';
      epochs = outer.count;
      steps = epochs;
      source = epochs !== null ? `\`${outer.header}\`` : `\`${outer.header}\` (its length is not known${outer.countReason ? `: ${outer.countReason}` : ''})`;
    }
  } else {
    unit = 'batch';
    epochs = outer.count;
    spe = 1;
    for (const fr of f.slice(1)) spe = spe !== null && fr.count !== null ? spe * fr.count : null;
    steps = epochs !== null && spe !== null ? epochs * spe : null;
    const inner = f.slice(1).map((x) => `\`${x.header}\``).join(' in ');
    source = `\`${outer.header}\` × ${inner}`;
    // Why the length is not known, when a loop says (a `break` that may end it early).
    const early = steps === null ? f.find((fr) => fr.endsEarly)?.endsEarly : undefined;
    if (early) source += ` (${early})`;
    // One whose length is not known either (a data loader's): the assumed one is not the run's.
    endsEarly = f.slice(1).find((fr) => fr.endsEarly && fr.count === null)?.endsEarly;
    // The innermost loop, over the data, ended by a counter of the steps (only when it is the only loop inside the epochs).
    if (f.length === 2) cap = f[1]!.cap;
  }
  if (stepBound && f.length >= 2) {
    epochs = null;
    spe = null;
    steps = stepBound.count;
    source = `\`${stepBound.header}\``;
  }
  let accumulation: RunInfo['accumulation'];
  if (site.accumulation) {
    unit = 'optimizer-step';
    source += ` under \`${site.accumulation}\``;
    // Counted exactly when the condition tests the innermost loop's index (which restarts every epoch) by a known factor.
    const read = site.accumulationRead;
    const inner = f[f.length - 1]!;
    // accelerate's own counter (no `counter`: `accumulate()` / `sync_gradients`) counts the calls from 0 each epoch, whatever the loop's index.
    const own = read?.counter === '';
    const counted = read && read.every !== null && !stepBound && (own || (inner.index && !inner.index.step && inner.index.name === read.counter)) && (f.length > 1 || !isEpochLoop(inner));
    if (counted) {
      if (read.assumed) assumed.push(`\`${site.accumulation}\`: ${read.assumed}`);
      const start = own ? 0 : inner.index!.start;
      accumulation = { read, start };
      const perInner = inner.count !== null ? accumulatedSteps(inner.count, start, read) : null;
      const middle = f.slice(1, -1).reduce<number | null>((m, fr) => (m !== null && fr.count !== null ? m * fr.count : null), 1);
      if (f.length === 1) steps = perInner;
      else {
        spe = perInner !== null && middle !== null ? perInner * middle : null;
        steps = epochs !== null && spe !== null ? epochs * spe : null;
      }
    } else {
      steps = null;
      if (f.length > 1) spe = null;
      const why = read?.every === null ? read.reason ?? 'the accumulation factor is not known'
        : 'the condition does not test the batch loop\'s own index (a counter that does not restart each epoch, or a loop without a known start)';
      source += ` (optimizer steps not counted: ${why})`;
    }
  }
  // Under a condition (`if epoch > warm:`): the passes where it holds, or no run length with why.
  let conditional: string | undefined;
  const p = site.counts?.[run.from]?.passes;
  if (p) {
    const under = p.conditions.map((c) => `\`${c}\``).join(' and ');
    assumed.push(...p.assumed);
    if (p.steps !== null && steps !== null) {
      source += ` under ${under}: ${formatCount(p.steps)} of ${formatCount(p.of ?? steps)} passes`;
      steps = p.steps;
      if (unit !== 'epoch') spe = null;
    } else {
      conditional = `\`step()\` runs under ${under}, and on how many passes is not known${p.reason ? `: ${p.reason}` : ''}`;
      source += ` under ${under} (passes not counted${p.reason ? `: ${p.reason}` : ''})`;
      steps = null;
    }
  }
  const ep = site.argTexts.length ? site.counts?.[run.from]?.epochArgs : undefined;
  const text = `${site.method ?? 'step'}(${site.argTexts.join(', ')})`;
  const epochArgs: RunInfo['epochArgs'] = ep ? { ...ep, text } : undefined;
  if (site.rebuilt) source += `; for each scheduler built again on every pass of ${site.rebuilt.header}`;
  return {
    unit, epochs, stepsPerEpoch: spe, steps, source, assumed, ...(accumulation ? { accumulation } : {}), ...(conditional ? { conditional } : {}),
    ...(epochArgs ? { epochArgs } : {}), ...(endsEarly ? { endsEarly } : {}), ...(cap ? { cap } : {}),
  };
}

/**
 * A step site whose conditions hold on no pass of its loops, decided without assumed values (torch never calls it:
 * `elif isinstance(scheduler, ReduceLROnPlateau): scheduler.step(val_loss)` for a cosine scheduler).
 */
export function neverCalled(s: StepSite): boolean {
  return !!s.counts?.length && s.counts.every((c) => c.passes !== undefined && c.passes.steps === 0 && !c.passes.reason && !c.passes.assumed.length);
}

/**
 * The epoch arguments to simulate the run with (a single step site whose `step(x)` argument is known on every
 * call), else null; `why`: the label when a `step(x)` call's curve is not modelled (the preview shows plain step()).
 */
export function epochArgsOf(run: RunInfo | undefined, timm = false): { values: number[] | null; why: string | null } {
  const ep = run?.epochArgs;
  if (!run || !ep) return { values: null, why: null };
  // timm has no plain step(): the curve then reads its schedule at 1, 2, … (the count of calls), an assumption.
  const shown = timm ? 'the curve reads the schedule at the count of calls (1, 2, …), not at the values passed' : 'the curve shows plain step() calls, not the epochs passed';
  // The calls the run counts: those in the loops when there are any (a one-off `step(start_epoch)` when resuming
  // is not the run), the other side of a condition counted with its pair.
  const live = run.sites.filter((s) => !s.ignored && !s.countedWith && !neverCalled(s));
  const inLoops = live.filter((s) => s.frames.length > 0 && !s.unseen);
  const counted = inLoops.length ? inLoops : live;
  if (counted.length > 1) {
    return { values: null, why: `\`${ep.text}\` is one of several step() calls: ${shown}` };
  }
  if ('values' in ep) return { values: ep.values, why: null };
  return { values: null, why: `\`${ep.text}\`: the argument is not known on every call (${ep.reason}); ${shown}` };
}

/** One RunInfo from a scheduler's sites (the first site's length; lints read the rest). */
export function runOf(sites: StepSite[], handedTo: string[], neverReason: string | null): RunInfo {
  const ranges = sites.map((s) => s.range);
  if (!sites.length) {
    if (handedTo.length) {
      const reason = `handed to ${handedTo.join(', ')}, which LR Lens cannot follow`;
      return base('unknown', reason, ranges, [], handedTo, reason);
    }
    return base('never', neverReason ?? 'no `.step()` call in this file', ranges, [], handedTo);
  }
  // The calls that do something decide the run (timm: step() per epoch beside step_update() per batch).
  const counted = sites.filter((s) => !s.ignored && !s.countedWith);
  if (!counted.length) {
    const reason = sites[0]!.ignored!;
    return { ...base('unknown', reason, ranges, sites, handedTo, reason), via: sites[0]!.via };
  }
  // A call outside every loop (DeiT's `lr_scheduler.step(args.start_epoch)` when resuming) is one call, not the run:
  // a site in a loop decides it, and the one-off calls are said not to be counted.
  // A call its conditions never reach (`if isinstance(s, ReduceLROnPlateau): s.step(val_loss)` for a cosine) decides nothing.
  const deciding = counted.find((s) => s.frames.length > 0 && !s.unseen && !neverCalled(s)) ?? counted.find((s) => s.frames.length > 0 && !s.unseen) ?? counted[0]!;
  const at = (s: StepSite) => `${s.range.start.line}:${s.range.start.character}`;
  let first = classifySite(deciding);
  // Stepped in loops that are not one run (a warm-up stage's loop, then the main loop; or loops on two branches):
  // the length of one of them is not the run's, and which of them run, and in what order, is the code's to say.
  const outerOf = (s: StepSite) => runFrames(s.frames).frames[0];
  const elsewhere = deciding.frames.length && !deciding.unseen
    ? counted.filter((s) => s !== deciding && s.frames.length > 0 && !s.unseen && outerOf(s)?.id !== outerOf(deciding)?.id)
    : [];
  // Loops the frontend saw run one after the other: the run is both, in turn.
  const inTurn = elsewhere.length > 0 && counted.every((s) => s.inTurn || !s.frames.length || s.unseen);
  if (inTurn) {
    const seen = new Set([at(deciding)]);
    first = sumOf([first, ...counted.filter((s) => s.frames.length > 0 && !s.unseen && !seen.has(at(s)) && seen.add(at(s))).map(classifySite)], true);
  } else if (elsewhere.length) {
    const loops = [...new Set(elsewhere.map((s) => `\`${outerOf(s)!.header}\``))];
    first = {
      ...first, epochs: null, stepsPerEpoch: null, steps: null,
      source: `${first.source}, and ${loops.join(', ')}: stepped in ${loops.length + 1} loops, the run is not one loop's`,
    };
  }
  // Other calls in the same loops (one per batch and one per epoch, two in one body, the branches of an `if` whose
  // conditions are counted): each steps the scheduler, so the run is their sum, unknown when one is not counted.
  // One call reached through several calls of its function (`train(model_a, …, sched)`, then `train(model_b, …,
  // sched)` for another scheduler of that name) counts once: the first path, as a single call.
  const seenAt = new Set([at(deciding)]);
  const together = deciding.frames.length && !deciding.unseen && !elsewhere.length && !inTurn
    ? counted.filter((s) => s.frames.length > 0 && !s.unseen && !(neverCalled(s) && !neverCalled(deciding)) && !seenAt.has(at(s)) && seenAt.add(at(s)))
    : [];
  if (together.length) first = sumOf([first, ...together.map(classifySite)]);
  const oneOff = deciding.frames.length ? counted.filter((s) => s.frames.length === 0 && !s.unseen) : [];
  const assumed = [...new Set([
    ...counted.flatMap((s) => (s.frames.length === 0 && oneOff.includes(s) ? [] : classifySite(s).assumed)),
    ...oneOff.map((s) => `the \`${s.method ?? 'step'}(${s.argTexts.join(', ')})\` call on line ${s.range.start.line + 1}${s.conditions.length ? ` (under \`${s.conditions.join('` and `')}\`)` : ''} is outside the training loop: not counted in the run`),
  ])];
  return {
    ...first, assumed, stepSites: ranges, sites, via: deciding.via, handedTo, lightning: null,
  };
}

type SiteRun = ReturnType<typeof classifySite>;

/**
 * The run of several step() calls: the sum of their calls, in the first one's unit. In the same loops (`inTurn`
 * false) the epochs are the loops'; in loops run one after the other, their sum.
 */
function sumOf(all: SiteRun[], inTurn = false): SiteRun {
  const first = all[0]!;
  const conditional = all.find((r) => r.conditional)?.conditional;
  const endsEarly = all.find((r) => r.endsEarly)?.endsEarly;
  const steps = !conditional && all.every((r) => r.steps !== null) ? all.reduce((a, r) => a + r.steps!, 0) : null;
  const plain = all.every((r) => r.unit === first.unit && !r.accumulation);
  let epochs: number | null = null;
  let spe: number | null = null;
  if (inTurn) {
    // Per epoch, the stages' epochs add up; per batch too, when every stage has the same batches per epoch.
    const sum = all.every((r) => r.epochs !== null) ? all.reduce((a, r) => a + r.epochs!, 0) : null;
    if (plain && first.unit === 'epoch') epochs = sum;
    else if (plain && first.stepsPerEpoch !== null && all.every((r) => r.stepsPerEpoch === first.stepsPerEpoch) && sum !== null && steps === sum * first.stepsPerEpoch) {
      epochs = sum;
      spe = first.stepsPerEpoch;
    }
  } else if (plain && all.every((r) => r.epochs === first.epochs)) {
    // Per epoch, the epochs stay (and the calls are said); per batch, epochs × batches would no longer be the count.
    if (first.unit === 'epoch' || (steps !== null && first.epochs !== null && first.stepsPerEpoch !== null && steps === first.epochs * first.stepsPerEpoch)) {
      epochs = first.epochs;
      spe = first.stepsPerEpoch;
    }
  }
  const keep = epochs !== null;
  // A call its conditions never reach passes no argument (`elif isinstance(s, ReduceLROnPlateau): s.step(val_loss)`).
  const withArg = all.find((r) => r.epochArgs && r.steps !== 0);
  const where = inTurn ? `stepped in ${all.length} loops in turn` : `stepped at ${all.length} places in the loop`;
  const source = `${all.map((r) => r.source).join(', and ')}: ${where}, ${steps === null ? 'not all of them counted' : `${formatCount(steps)} calls in all`}`;
  const { accumulation, epochArgs: _firstArgs, endsEarly: _firstEnds, cap: _firstCap, ...rest } = first;
  return {
    ...rest, epochs, stepsPerEpoch: spe, steps, source,
    assumed: [...new Set(all.flatMap((r) => r.assumed))],
    ...(keep && accumulation ? { accumulation } : {}),
    ...(conditional ? { conditional } : {}),
    ...(endsEarly ? { endsEarly } : {}),
    // The calls' arguments interleave in an order the frontends do not follow.
    ...(withArg ? { epochArgs: { reason: `step() is called at ${all.length} places (${where}), and the order of their arguments is not followed`, text: withArg.epochArgs!.text } } : {}),
  };
}

function base(unit: RunUnit, source: string, stepSites: Range[], sites: StepSite[], handedTo: string[], reason?: string): RunInfo {
  return {
    unit, epochs: null, stepsPerEpoch: null, steps: null, source, stepSites, assumed: [], sites, via: [], handedTo, lightning: null,
    ...(reason ? { reason } : {}),
  };
}

/**
 * `n.toLocaleString('en-US')` ("25,600"), without ICU for integers: the first toLocaleString of a process loads
 * ICU's number formatting, about 10 ms of the CLI's start-up (Node 20, measured with `process.hrtime`).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** "stepped per batch in `train_one_epoch`, 90 epochs × ? batches": how the views say it. */
export function describeRun(run: RunInfo, assumedSpe?: number | null): string {
  const where = run.via.length ? ` in \`${run.via[run.via.length - 1]}\`` : '';
  const count = (x: number | null) => (x === null ? '?' : formatCount(x));
  switch (run.unit) {
    case 'never': return `never stepped (${run.source})`;
    case 'unknown': return `stepping unknown: ${run.reason ?? run.source}`;
    case 'epoch': {
      const f = run.lightning ? ` (Lightning interval "epoch"${run.lightning.frequency !== 1 ? `, every ${run.lightning.frequency}` : ''})` : '';
      // Under a condition (`if epoch > warm:`): the step() calls it lets through, or that they are not counted.
      const calls = run.conditional ? ', step() calls not counted (under a condition)'
        : run.steps !== null && run.steps !== run.epochs ? `, ${count(run.steps)} step() calls` : '';
      return `stepped per epoch${where}${f}, ${count(run.epochs)} epochs${calls}`;
    }
    case 'batch': case 'optimizer-step': {
      const what = run.unit === 'batch' ? 'per batch' : 'per optimizer step (gradient accumulation)';
      const spe = run.stepsPerEpoch === null && assumedSpe ? `${assumedSpe} (assumed)` : count(run.stepsPerEpoch);
      const len = run.epochs === null && run.stepsPerEpoch === null
        ? (run.steps !== null ? `${count(run.steps)} steps` : '? steps')
        // Under accumulation a known per-epoch count is of optimizer steps; an assumed one is of batches.
        : `${count(run.epochs)} epochs × ${spe} ${run.unit === 'optimizer-step' && run.stepsPerEpoch !== null ? 'optimizer steps' : 'batches'}`;
      const f = run.lightning ? ' (Lightning interval "step")' : '';
      const calls = run.conditional ? ', step() calls not counted (under a condition)'
        : run.epochs !== null && run.stepsPerEpoch === null && run.steps !== null ? `, ${count(run.steps)} step() calls` : '';
      return `stepped ${what}${where}${f}, ${len}${calls}`;
    }
  }
}

/**
 * `scheduler.last_epoch = k` written for the construction (recorded with its uses): the int to apply, or why it is not
 * followed (its value unknown, under a condition, in a loop, another function, several writes). Null without one.
 */
export function lastEpochSet(call: FoundCall): { value: number; where: string; assumed?: string } | { why: string } | null {
  const writes = call.uses.filter((u) => u.method === 'last_epoch' && u.write);
  const w = writes[0];
  if (!w?.write) return null;
  const where = `\`${w.write.text}\` (line ${w.range.start.line + 1})`;
  if (writes.length > 1) return { why: `${where} and ${writes.length - 1} other write${writes.length > 2 ? 's' : ''} of \`last_epoch\`: which runs before the first step() is not followed` };
  if (w.write.notApplied) return { why: `${where}: ${w.write.notApplied}, so when it runs is not followed` };
  const v = w.args[0];
  if (w.why !== undefined || !v) return { why: `${where}: its value is not known${w.why ? ` (${w.why})` : ''}` };
  if (v.kind !== 'int') return { why: `${where}: the value is not an int` };
  return { value: v.value, where, ...(w.write.assumed ? { assumed: w.write.assumed } : {}) };
}

/** `scheduler.load_state_dict(…)` calls on the construction (the text, and the branch note when the assumed values skip it). */
export function stateLoads(call: FoundCall): { text: string; line: number; offPath?: string; where?: string }[] {
  return call.uses.flatMap((u) => (u.method === 'load_state_dict' && u.write
    ? [{ text: u.write.text, line: u.range.start.line + 1, ...(u.write.offPath ? { offPath: u.write.offPath } : {}), ...(u.write.notApplied ? { where: u.write.notApplied } : {}) }] : []));
}

/** What a frontend found about a construction's stepping; `withRuns` turns it into `FoundCall.run`. */
export interface Stepping {
  sites: StepSite[];
  handedTo: string[];
  /** Lightning's run when the scheduler is returned by `configure_optimizers` (and not stepped by hand). */
  lightning: RunInfo | null;
  lightningConfig?: LightningConfig;
  /** The run a Hugging Face `Trainer` given the scheduler (`optimizers=(optimizer, scheduler)`) steps it for. */
  trainer?: RunInfo;
  /** The file has no loop at all (a snippet, a module of helpers): an unstepped scheduler is then not `never`. */
  noLoop?: boolean;
  /** Other code that sets the lr of its optimizer in the training loop (LR190). */
  otherWriters?: OtherWriter[];
  /** Writes of its optimizer's lr before the run (outside loops), not evaluated: the curve's start lr is labelled. */
  writesBeforeRun?: WriteBeforeRun[];
  /**
   * Stepped on the `else` branch of `if epoch < warmup: warmup.step()` in the same loop, `warmup` on the same
   * optimizer: torch runs it after that one's steps, from the lr it leaves (its construction's range and variable).
   * `interleaved`: the condition, when it is not a test whose passes all come first (the two take turns).
   */
  after?: { range: Range; variable: string | null; interleaved?: string };
  /**
   * Schedulers (program indices) the file builds after this one's run is over: every step call is in a statement that
   * ends before the construction, both in code that runs once (no loop or function around them). A construction on
   * the same optimizer there (a notebook's next cell: `scheduler = LambdaLR(optimizer, …)` after the loop stepping a
   * MultiStepLR) changes the lr only after this run, so it is not replayed with it.
   */
  builtAfterRun?: number[];
}

/** Sets each call's `run` from its stepping; a member of SequentialLR / ChainedScheduler is stepped through its owner. */
export function withRuns(calls: FoundCall[]): void {
  for (const c of calls) {
    const st = c.stepping;
    if (!st) continue;
    c.run = st.lightning ?? st.trainer ?? (st.noLoop && !st.sites.length && !st.handedTo.length
      ? base('unknown', 'no `.step()` call and no loop in this file', [], [], [], 'no `.step()` call and no loop in this file')
      // A TrainingArguments no Trainer of the file is given builds no schedule (it has no step()).
      : runOf(st.sites, st.handedTo, c.family === 'trainer' ? 'no `Trainer(args=…)` call that LR Lens follows is given it: no schedule is shown as built from it' : null));
    if (st.lightningConfig) c.run.lightningConfig = st.lightningConfig;
    const set = lastEpochSet(c);
    if (set) c.run.lastEpochSet = 'value' in set ? set.value : 'unknown';
    // Restored from a checkpoint on the path the assumed values take: its counter is not the construction's.
    else if (stateLoads(c).some((u) => !u.offPath)) c.run.lastEpochSet = 'unknown';
    if (st.otherWriters?.length && c.run.unit !== 'never') c.run.otherWriters = st.otherWriters;
  }
  for (const c of calls) {
    if (c.memberOf === null) continue;
    const owner = calls.find((o) => o.schedulerIndex === c.memberOf);
    if (owner?.run) c.run = { ...owner.run, source: `${owner.run.source} (through ${owner.kind}${owner.variable ? ` \`${owner.variable}\`` : ''})` };
  }
}

/** The few words a CodeLens has room for: "per epoch × 300", "per batch × 90 epochs", "never stepped". */
export function runBrief(run: RunInfo): string | null {
  const n = formatCount;
  switch (run.unit) {
    case 'never': return 'never stepped';
    case 'unknown': return null;
    case 'epoch': {
      // Under a condition: the step() calls it lets through, or that they are not counted.
      const calls = run.conditional ? ' (calls not counted)' : run.steps !== null && run.epochs !== null && run.steps !== run.epochs ? ` (${n(run.steps)} calls)` : '';
      return `per epoch${run.epochs !== null ? ` × ${n(run.epochs)}` : ''}${calls}`;
    }
    case 'batch': case 'optimizer-step': {
      const what = run.unit === 'batch' ? 'per batch' : 'per optimizer step';
      if (run.epochs !== null) return `${what} × ${n(run.epochs)} epochs`;
      return run.steps !== null ? `${what} × ${n(run.steps)}` : what;
    }
  }
}
