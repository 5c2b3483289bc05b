/**
 * Lightning's side of the training-loop analysis (src/frontends/python/loops.ts): which of
 * `configure_optimizers`'s return forms holds a scheduler (object, `([opt], [sched])`, `{"lr_scheduler": …}`,
 * `{"lr_scheduler": {"scheduler": …, "interval": …, "frequency": …, "monitor": …}}`, lists of them), whether the
 * module overrides `lr_scheduler_step`, and the run `Trainer(max_epochs=…, max_steps=…)` gives it.
 */
import type { FoundCall } from '../../analysis/types';
import type { LightningConfig, RunInfo } from '../../analysis/run';
import type { LoopFacts } from './loopFacts';
import type { FileIndex } from './fileIndex';
import { at, enclosing, kids, rangeOf, shortText, unparen, type SyntaxNode } from './syntax';
import { intOf } from './values';

/** The LightningModule class whose `configure_optimizers` a config was found in. */
const MODULE_OF = new WeakMap<LightningConfig, SyntaxNode>();

/**
 * `plain`: the file's classes known not to be LightningModules (loopFacts.ts). Lightning calls `configure_optimizers`
 * only as a method of a LightningModule: a function of that name outside a class, or in one of those classes
 * (nnU-Net's trainers), is the program's own and its scheduler is stepped wherever the program steps it.
 */
export function lightningConfig(c: FoundCall, callNode: SyntaxNode, index: FileIndex, plain: ReadonlySet<string> = new Set()): LightningConfig | null {
  const def = enclosing(callNode, ['function_definition']);
  if (!def || def.childForFieldName('name')?.text !== 'configure_optimizers') return null;
  const owner = enclosing(def, ['class_definition']);
  if (!owner || (owner.parent?.type === 'module' && plain.has(owner.childForFieldName('name')?.text ?? ''))) return null;
  const body = def.childForFieldName('body');
  if (!body) return null;
  const returns: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    if (n.type === 'function_definition' && n.id !== def.id) return;
    if (n.type === 'return_statement') returns.push(n);
    for (const k of kids(n)) visit(k);
  };
  visit(body);
  /** The right side of the last assignment to `name` that ends before `n` in configure_optimizers. */
  const lastAssigned = (name: string, n: SyntaxNode): SyntaxNode | null => {
    let last: SyntaxNode | null = null;
    for (const a of body.text.includes(name) ? descendants(body, 'assignment') : []) {
      if (a.childForFieldName('left')?.text.replace(/\s+/g, '') === name && at(a, true) <= at(n)) last = a.childForFieldName('right');
    }
    return last;
  };
  const isSched = (n: SyntaxNode) => {
    const t = unparen(n);
    if (t.id === callNode.id) return true;
    if (c.variable === null || t.text.replace(/\s+/g, '') !== c.variable) return false;
    // The name re-bound to its config dict (`scheduler = {"scheduler": scheduler, "interval": "step"}`) is the dict.
    const last = lastAssigned(c.variable, t);
    return !last || unparen(last).type !== 'dictionary';
  };
  /** The expression a name was last assigned in configure_optimizers. */
  const resolve = (n: SyntaxNode, depth = 0): SyntaxNode => {
    const t = unparen(n);
    if (t.type !== 'identifier' || depth > 4 || isSched(t)) return t;
    const last = lastAssigned(t.text, n);
    return last ? resolve(last, depth + 1) : t;
  };
  for (const r of returns) {
    const value = kids(r)[0];
    if (!value) continue;
    const found = search(resolve(value), isSched, resolve, index);
    if (found) {
      const manual = owner ? manualOptimization(owner, found.position) : null;
      // Automatic optimization and a step of the module's own: Lightning steps it too.
      // (Not a step of one of several schedulers by position when which one it is, is not known.)
      const own = owner && !manual ? ownStep(methodsOf(owner), found.position) : null;
      const also = own && !own.picked && !own.othersOnly ? own : null;
      const cfg: LightningConfig = { ...found, overridesSchedulerStep: overridesSchedulerStep(def), ...(manual ? { manual } : {}), ...(also ? { alsoStepped: also } : {}) };
      const cls = enclosing(def, ['class_definition']);
      if (cls) MODULE_OF.set(cfg, cls);
      return cfg;
    }
  }
  return null;
}

/** The methods of a class and of its base classes defined in the file (by name, 4 levels). */
function methodsOf(cls: SyntaxNode): SyntaxNode[] {
  let root = cls;
  while (root.parent) root = root.parent;
  const out: SyntaxNode[] = [];
  const visit = (c: SyntaxNode, d: number) => {
    for (const m of kids(c.childForFieldName('body')!)) {
      const f = m.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
      if (f?.type === 'function_definition') out.push(f);
    }
    if (d > 4) return;
    const bases = c.childForFieldName('superclasses');
    for (const b of bases ? kids(bases) : []) {
      const local = descendants(root, 'class_definition').find((k) => k.childForFieldName('name')?.text === b.text.replace(/\s+/g, ''));
      if (local) visit(local, d + 1);
    }
  };
  visit(cls, 0);
  return out;
}

/**
 * Lightning's manual optimization: `self.automatic_optimization = False` written in the module or a base class of the
 * file. Lightning then never steps its schedulers (loops/training_epoch_loop.py `_update_learning_rates`: `if not
 * trainer.lightning_module.automatic_optimization: return`); the module does, with `self.lr_schedulers()`: the method
 * whose body calls `.step()` on it (directly or on a name it was assigned to), and whether that call is under an `if`.
 */
function manualOptimization(cls: SyntaxNode, position: number | undefined): LightningConfig['manual'] | null {
  const methods = methodsOf(cls);
  const off = methods.some((m) => descendants(m, 'assignment').some((a) =>
    a.childForFieldName('left')?.text.replace(/\s+/g, '') === 'self.automatic_optimization' && a.childForFieldName('right')?.text === 'False'));
  if (!off) return null;
  return ownStep(methods, position) ?? { stepIn: null, conditional: false, where: '' };
}

/**
 * The module's own step of its scheduler: a `.step()` call on `self.lr_schedulers()` (or a name assigned from it) in
 * one of the methods (not `lr_scheduler_step`, Lightning's hook for stepping it), with the method and whether the
 * call is under an `if` or in a loop; null when there is none.
 */
function ownStep(methods: SyntaxNode[], position: number | undefined): NonNullable<LightningConfig['manual']> | null {
  /** A step of another scheduler by position, when the module steps only others. */
  let other: { where: string; method: string } | null = null;
  for (const m of methods) {
    if (m.childForFieldName('name')?.text === 'lr_scheduler_step') continue;
    const body = m.childForFieldName('body');
    if (!body || !body.text.includes('lr_schedulers(')) continue;
    const names = new Set<string>();
    /**
     * Names bound to one of several schedulers, with its place when written (`sch1, sch2 = self.lr_schedulers()`:
     * 0 and 1; `sch = self.lr_schedulers()[1]`: 1; null when not a literal).
     */
    const picked = new Map<string, number | null>();
    for (const a of descendants(body, 'assignment')) {
      const l = a.childForFieldName('left');
      const r = a.childForFieldName('right');
      if (l?.type === 'identifier' && isOwnSchedulers(r)) names.add(l.text);
      else if (l?.type === 'identifier' && isPickedScheduler(r)) picked.set(l.text, pickedIndex(r!));
      else if ((l?.type === 'pattern_list' || l?.type === 'tuple_pattern' || l?.type === 'list_pattern') && isOwnSchedulers(r)) {
        const ks = kids(l);
        ks.forEach((k, i) => { if (k.type === 'identifier') picked.set(k.text, ks.every((x) => x.type === 'identifier') ? i : null); });
      }
    }
    for (const call of descendants(body, 'call')) {
      const f = call.childForFieldName('function');
      if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'step') continue;
      const recv = f.childForFieldName('object');
      const whole = isOwnSchedulers(recv) || (recv?.type === 'identifier' && names.has(recv.text));
      const one = !whole && (isPickedScheduler(recv) || (recv?.type === 'identifier' && picked.has(recv.text)));
      if (!whole && !one) continue;
      // By position: this scheduler's step when the place is written and is its own; another's is passed over.
      const place = one ? (isPickedScheduler(recv) ? pickedIndex(recv!) : picked.get(recv!.text) ?? null) : null;
      const known = one && place !== null && position !== undefined;
      if (known && place !== position) {
        other ??= { where: shortText(call, 40), method: m.childForFieldName('name')?.text ?? '?' };
        continue;
      }
      let conditional = false;
      for (let p = call.parent; p && p.id !== body.id; p = p.parent) if (['if_statement', 'for_statement', 'while_statement', 'conditional_expression'].includes(p.type)) conditional = true;
      return { stepIn: m.childForFieldName('name')?.text ?? null, conditional, where: shortText(call, 40), ...(one && !known ? { picked: true } : {}) };
    }
  }
  return other !== null ? { stepIn: null, conditional: false, where: other.where, othersOnly: other.method } : null;
}

/** The place `self.lr_schedulers()[i]` picks, when `i` is a non-negative integer literal; else null. */
function pickedIndex(n: SyntaxNode): number | null {
  const i = n.childForFieldName('subscript');
  return i?.type === 'integer' && /^\d+$/.test(i.text) ? Number(i.text) : null;
}

/** `self.lr_schedulers()[i]`: one of the module's several schedulers, by position. */
function isPickedScheduler(n: SyntaxNode | null): boolean {
  return n?.type === 'subscript' && isOwnSchedulers(n.childForFieldName('value'));
}

/** `self.lr_schedulers()`: a call of that method of `self` with no arguments. */
function isOwnSchedulers(n: SyntaxNode | null): boolean {
  const args = n?.type === 'call' ? n.childForFieldName('arguments') : null;
  if (!n || !args || kids(args).length) return false;
  const f = n.childForFieldName('function');
  const obj = f?.type === 'attribute' ? f.childForFieldName('object') : null;
  return obj?.type === 'identifier' && obj.text === 'self' && f!.childForFieldName('attribute')?.text === 'lr_schedulers';
}

/**
 * Whether the class around `configure_optimizers` defines `lr_scheduler_step` (Lightning raises for a scheduler
 * that is not torch's unless it does), looking through base classes defined in the file; null when a base
 * class other than a LightningModule is not visible here.
 */
function overridesSchedulerStep(def: SyntaxNode): boolean | null {
  const cls = enclosing(def, ['class_definition']);
  if (!cls) return null;
  let root = cls;
  while (root.parent) root = root.parent;
  const defines = (c: SyntaxNode) => kids(c.childForFieldName('body')!).some((m) => {
    const f = m.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
    return f?.type === 'function_definition' && f.childForFieldName('name')?.text === 'lr_scheduler_step';
  });
  const visit = (c: SyntaxNode, d: number): boolean | null => {
    if (defines(c)) return true;
    if (d > 4) return null;
    const bases = c.childForFieldName('superclasses');
    let out: boolean | null = false;
    for (const b of bases ? kids(bases) : []) {
      const name = b.text.replace(/\s+/g, '');
      if (/(^|\.)LightningModule$/.test(name)) continue;
      const local = descendants(root, 'class_definition').find((k) => k.childForFieldName('name')?.text === name);
      const r = local ? visit(local, d + 1) : null;
      if (r) return true;
      if (r === null) out = null;
    }
    return out;
  };
  return visit(cls, 0);
}

function descendants(n: SyntaxNode, type: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (x: SyntaxNode) => {
    if (x.type === type) out.push(x);
    for (const k of kids(x)) visit(k);
  };
  visit(n);
  return out;
}

function dictEntries(d: SyntaxNode): Map<string, SyntaxNode> {
  const m = new Map<string, SyntaxNode>();
  for (const p of kids(d)) {
    if (p.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const v = p.childForFieldName('value');
    const name = k?.type === 'string' ? k.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '') : null;
    if (name && v) m.set(name, v);
  }
  return m;
}

/** Finds the scheduler in a return value of any Lightning form; null when it is not there. */
function search(n: SyntaxNode, isSched: (n: SyntaxNode) => boolean, resolve: (n: SyntaxNode) => SyntaxNode, index: FileIndex, depth = 0): LightningConfig | null {
  if (depth > 6) return null;
  const t = unparen(n);
  const plain = (): LightningConfig => ({ interval: null, frequency: null, monitor: null, misplaced: [], where: rangeOf(t) });
  if (isSched(t)) return plain();
  if (t.type === 'dictionary') {
    const e = dictEntries(t);
    const ls = e.get('lr_scheduler');
    if (ls) {
      const inner = resolve(ls);
      const misplaced = ['interval', 'frequency'].filter((k) => e.has(k)).map((k) => `"${k}": ${shortText(e.get(k)!, 20)}`);
      const topMonitor = e.get('monitor');
      if (isSched(inner)) return { ...plain(), misplaced, monitor: topMonitor ? strText(topMonitor) : null, where: rangeOf(t) };
      if (inner.type === 'dictionary') {
        const cfg = configOf(inner, isSched, resolve);
        if (cfg) return { ...cfg, misplaced, monitor: cfg.monitor ?? (topMonitor ? strText(topMonitor) : null) };
      }
      return null;
    }
    // A scheduler config dict on its own (in a list): {"scheduler": s, "interval": …}.
    return configOf(t, isSched, resolve);
  }
  if (t.type === 'list' || t.type === 'tuple' || t.type === 'expression_list') {
    // The innermost list holding it gives its place among several: the schedulers before it there (a config dict
    // without `lr_scheduler` / `scheduler` is not one). With one scheduler, `self.lr_schedulers()` is that scheduler,
    // not a list. `return opt, sched` (two items, an optimizer and a scheduler) lists none.
    const items = kids(t).map(resolve);
    const counts = (x: SyntaxNode) => unparen(x).type !== 'dictionary' || dictEntries(unparen(x)).has('lr_scheduler') || dictEntries(unparen(x)).has('scheduler');
    const several = items.filter(counts).length >= 2 && (t.type !== 'expression_list' || items.length > 2);
    let before = 0;
    for (const item of items) {
      const r = search(item, isSched, resolve, index, depth + 1);
      if (r) return r.position === undefined && several ? { ...r, position: before } : r;
      if (counts(item)) before++;
    }
  }
  return null;
}

function configOf(d: SyntaxNode, isSched: (n: SyntaxNode) => boolean, resolve: (n: SyntaxNode) => SyntaxNode): LightningConfig | null {
  const e = dictEntries(d);
  const s = e.get('scheduler');
  if (!s || !isSched(resolve(s))) return null;
  const interval = e.get('interval');
  const freq = e.get('frequency');
  const monitor = e.get('monitor');
  return {
    interval: interval ? strText(interval) : null,
    frequency: freq && freq.type === 'integer' ? Number(freq.text) : null,
    monitor: monitor ? strText(monitor) : null,
    misplaced: [],
    where: rangeOf(d),
  };
}

function strText(n: SyntaxNode): string {
  return n.type === 'string' ? n.text.replace(/^[rbuf]*['"]+|['"]+$/gi, '') : n.text;
}

/** The run Lightning gives a scheduler: `interval` (default epoch) and `frequency`, `Trainer(max_epochs, max_steps)`. */
export function lightningRun(cfg: LightningConfig, facts: LoopFacts): RunInfo {
  if (cfg.manual) return manualRun(cfg.manual, facts);
  const interval = cfg.interval ?? 'epoch';
  if (cfg.alsoStepped) {
    // Lightning's steps (automatic optimization) and the module's own: each advances it; the mix is not modelled.
    const reason = `Lightning steps it once per ${interval === 'step' ? 'optimizer step' : 'epoch'} (automatic optimization, interval "${interval}") and the module steps it again with \`${cfg.alsoStepped.where}\` in \`${cfg.alsoStepped.stepIn}\``;
    return {
      unit: 'unknown', epochs: null, stepsPerEpoch: null, steps: null, source: reason, reason,
      stepSites: [], assumed: [], via: ['configure_optimizers'], sites: [], handedTo: [],
      lightning: { interval, frequency: cfg.frequency ?? 1, monitor: cfg.monitor },
    };
  }
  const frequency = cfg.frequency ?? 1;
  const t = facts.trainers.length === 1 ? facts.trainers[0]! : null;
  const cls = MODULE_OF.get(cfg);
  const fitted = cls ? fittedClasses(cls) : null;
  const name = cls?.childForFieldName('name')?.text;
  if (t && cls && fitted && name && !fitted.some((f) => inherits(f, name, cls))) {
    // The Trainer's run is the run of the modules it fits: this one is not among them.
    const reason = `the file's \`Trainer.fit\` trains ${fitted.map((f) => `\`${f}\``).join(', ')}, not \`${name}\``;
    return {
      unit: 'unknown', epochs: null, stepsPerEpoch: null, steps: null, source: `Lightning: ${reason}`, reason,
      stepSites: [], assumed: [], via: ['configure_optimizers'], sites: [], handedTo: [],
      lightning: { interval: cfg.interval ?? 'epoch', frequency: cfg.frequency ?? 1, monitor: cfg.monitor },
    };
  }
  const assumed: string[] = [];
  let epochs: number | null = null;
  let steps: number | null = null;
  let source: string;
  const maxEpochs = intOf(t?.maxEpochs);
  const maxSteps = intOf(t?.maxSteps);
  if (t?.maxEpochs?.assumed) assumed.push(`max_epochs: ${t.maxEpochs.assumed}`);
  if (!t) source = facts.trainers.length ? 'several `Trainer(…)` calls in this file' : 'no `Trainer(…)` in this file';
  // `Trainer(**cfg.trainer)`: the arguments it was not given by name may come from the unexpanded `**` (or `*`).
  else if (t.splat !== undefined && (t.maxEpochs === null || t.maxSteps === null)) source = `\`Trainer(…)\`'s max_epochs / max_steps are not known (${t.splat})`;
  else if (maxEpochs !== null && maxEpochs >= 0) {
    epochs = maxEpochs;
    source = `\`Trainer(max_epochs=${maxEpochs})\``;
  } else if (maxSteps !== null && maxSteps > 0) {
    source = `\`Trainer(max_steps=${maxSteps})\``;
  } else if (t.maxEpochs === null && t.maxSteps === null) {
    epochs = 1000;
    source = '`Trainer()` without max_epochs or max_steps: Lightning\'s default of 1000 epochs';
    assumed.push('Lightning runs 1000 epochs when neither max_epochs nor max_steps is given');
  } else source = '`Trainer(…)`\'s max_epochs / max_steps are not known';
  let unit: RunInfo['unit'];
  let spe: number | null = null;
  if (interval === 'step') {
    unit = 'batch';
    if (maxSteps !== null && maxSteps > 0) steps = Math.floor(maxSteps / frequency);
  } else {
    unit = 'epoch';
    if (epochs !== null) steps = Math.floor(epochs / frequency);
    else if (maxSteps !== null) source += ' (epochs not known)';
  }
  if (frequency !== 1 && epochs !== null && unit === 'batch') spe = null;
  // `limit_train_batches=N` (an int; a float is a fraction of the loader): at most N batches an epoch, one scheduler
  // step each when every batch is an optimizer step (no accumulation) and the frequency is 1.
  const limit = t?.limitBatches?.k === 'int' ? t.limitBatches.v : null;
  const accumulate = t?.accumulate ? (t.accumulate.k === 'int' ? t.accumulate.v : null) : 1;
  // `accumulate_grad_batches=k`: Lightning steps an interval-"step" scheduler after each optimizer step, every k-th
  // batch and the epoch's last (training_epoch_loop: `if interval == "step" and self._should_accumulate(): return`).
  let accumulation: RunInfo['accumulation'];
  if (unit === 'batch' && accumulate !== 1 && steps === null) {
    unit = 'optimizer-step';
    const k = accumulate !== null && accumulate >= 1 ? accumulate : null;
    accumulation = {
      read: {
        counter: '', add: 1, every: k, residue: 0, lastBatch: true,
        ...(k === null ? { reason: '`accumulate_grad_batches` is not known' } : t?.accumulate?.assumed ? { assumed: `accumulate_grad_batches: ${t.accumulate.assumed}` } : {}),
      },
      start: 0,
    };
    source += `, accumulate_grad_batches ${k ?? '?'} (one scheduler step per optimizer step)`;
    if (k !== null && t?.accumulate?.assumed) assumed.push(`accumulate_grad_batches: ${t.accumulate.assumed}`);
  }
  const batchLimit = unit !== 'epoch' && frequency === 1 && steps === null && limit !== null && limit >= 1 ? limit : undefined;
  if (batchLimit !== undefined && t?.limitBatches?.assumed) assumed.push(`limit_train_batches: ${t.limitBatches.assumed}`);
  return {
    unit, epochs, stepsPerEpoch: spe, steps, source: `Lightning, interval "${interval}"${frequency !== 1 ? `, frequency ${frequency}` : ''}, ${source}`,
    ...(batchLimit !== undefined ? { batchLimit } : {}),
    ...(accumulation ? { accumulation } : {}),
    stepSites: [], assumed, via: ['configure_optimizers'], sites: [], handedTo: [],
    lightning: { interval, frequency, monitor: cfg.monitor },
  };
}

/** Hooks Lightning calls once per batch / once per epoch of training. */
const PER_BATCH_HOOKS = new Set(['training_step', 'on_train_batch_end', 'on_train_batch_start', 'on_before_optimizer_step', 'on_after_backward']);
const PER_EPOCH_HOOKS = new Set(['on_train_epoch_end', 'on_train_epoch_start', 'training_epoch_end', 'on_epoch_end', 'on_validation_epoch_end', 'validation_epoch_end']);

/**
 * The run of a scheduler under manual optimization: stepped where the module steps it — per batch from
 * `training_step`, per epoch from an epoch-end hook (with the Trainer's max_epochs) — else not known, saying why.
 */
function manualRun(manual: NonNullable<LightningConfig['manual']>, facts: LoopFacts): RunInfo {
  const why = '`self.automatic_optimization = False`: Lightning does not step the schedulers in manual optimization';
  // Not Lightning's interval run (`lightning: null`): the module's own step, in the hook that calls it.
  const base = { stepSites: [], assumed: [] as string[], via: [manual.stepIn ?? 'configure_optimizers'], sites: [], handedTo: [], lightning: null, stepsPerEpoch: null };
  const where = manual.stepIn ? `\`${manual.where}\` in \`${manual.stepIn}\`` : '';
  if (manual.othersOnly) {
    const reason = `${why}; the module steps its other schedulers (\`${manual.where}\` in \`${manual.othersOnly}\`), not this one`;
    return { ...base, unit: 'unknown', epochs: null, steps: null, source: reason, reason };
  }
  if (manual.picked) {
    // `self.lr_schedulers()[0].step()`, `sch_g, sch_d = self.lr_schedulers()`: which of the schedulers each step is of is not followed.
    const reason = `${why}; the module steps its schedulers one by one (${where}${manual.conditional ? ', under a condition' : ''}), and which of them each step is of is not followed`;
    return { ...base, unit: 'unknown', epochs: null, steps: null, source: reason, reason };
  }
  if (!manual.stepIn || manual.conditional || (!PER_BATCH_HOOKS.has(manual.stepIn) && !PER_EPOCH_HOOKS.has(manual.stepIn))) {
    const reason = manual.stepIn ? `${why}; the module steps it with ${where}${manual.conditional ? ', under a condition' : ''}` : `${why}, and no \`self.lr_schedulers()\` step was found in the module`;
    return { ...base, unit: 'unknown', epochs: null, steps: null, source: reason, reason };
  }
  const t = facts.trainers.length === 1 ? facts.trainers[0]! : null;
  const maxEpochs = t && t.splat === undefined ? intOf(t.maxEpochs) : null;
  if (PER_EPOCH_HOOKS.has(manual.stepIn)) {
    const epochs = maxEpochs !== null && maxEpochs >= 0 ? maxEpochs : null;
    return { ...base, unit: 'epoch', epochs, steps: epochs, source: `${why}; the module steps it once per epoch with ${where}${epochs !== null ? `, \`Trainer(max_epochs=${epochs})\`` : ''}` };
  }
  return { ...base, unit: 'batch', epochs: maxEpochs !== null && maxEpochs >= 0 ? maxEpochs : null, steps: null, source: `${why}; the module steps it once per batch with ${where}` };
}

/**
 * The classes of the modules a Lightning Trainer fits in the file (`trainer.fit(Model(), …)`, `trainer.fit(model=m)`
 * with `m = Model(…)`), on receivers built by a `Trainer(…)` call; null when there is no such call or one of
 * them fits a module whose class is not written in the file as a call (then any module may be the one).
 */
function fittedClasses(cls: SyntaxNode): string[] | null {
  let root = cls;
  while (root.parent) root = root.parent;
  const assigned = new Map<string, SyntaxNode[]>();
  for (const a of descendants(root, 'assignment')) {
    const l = a.childForFieldName('left');
    const r = a.childForFieldName('right');
    if (l?.type === 'identifier' && r) assigned.set(l.text, [...(assigned.get(l.text) ?? []), unparen(r)]);
  }
  const isTrainer = (n: SyntaxNode) => n.type === 'call' && /(^|\.)Trainer$/.test(n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '');
  const classOf = (n: SyntaxNode): string[] | null => {
    const t = unparen(n);
    if (t.type === 'call') {
      const f = t.childForFieldName('function');
      return f?.type === 'identifier' ? [f.text] : null;
    }
    if (t.type === 'identifier') {
      const rs = assigned.get(t.text);
      if (!rs?.length) return null;
      const out: string[] = [];
      for (const r of rs) {
        const c = r.type === 'call' && r.childForFieldName('function')?.type === 'identifier' ? r.childForFieldName('function')!.text : null;
        if (!c) return null;
        out.push(c);
      }
      return out;
    }
    return null;
  };
  const out: string[] = [];
  let any = false;
  for (const call of descendants(root, 'call')) {
    const f = call.childForFieldName('function');
    if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'fit') continue;
    const recv = f.childForFieldName('object');
    if (!recv) continue;
    const r = unparen(recv);
    const trainer = isTrainer(r) || (r.type === 'identifier' && (assigned.get(r.text) ?? []).some(isTrainer));
    if (!trainer) continue;
    any = true;
    const args = call.childForFieldName('arguments');
    const list = args ? kids(args) : [];
    const kw = list.find((k) => k.type === 'keyword_argument' && k.childForFieldName('name')?.text === 'model');
    const model = kw?.childForFieldName('value') ?? list.find((k) => k.type !== 'keyword_argument' && k.type !== 'comment');
    const classes = model ? classOf(model) : null;
    if (!classes) return null;
    out.push(...classes);
  }
  return any ? [...new Set(out)] : null;
}

/** Whether class `name` is `target` or derives from it through classes defined in the file. */
function inherits(name: string, target: string, anyNode: SyntaxNode, depth = 0): boolean {
  if (name === target) return true;
  if (depth > 6) return false;
  let root = anyNode;
  while (root.parent) root = root.parent;
  const def = descendants(root, 'class_definition').find((k) => k.childForFieldName('name')?.text === name);
  // A class not defined here (imported): it may derive from the module, so count it as a match.
  if (!def) return true;
  const bases = def.childForFieldName('superclasses');
  return (bases ? kids(bases) : []).some((b) => b.type === 'identifier' && inherits(b.text, target, anyNode, depth + 1));
}
