/**
 * The one construction recorder: both frontends hand it language-neutral evaluated calls
 * (src/frontends/contract.ts) as their walk meets them. It binds each scheduler call to
 * torch's signature (Python's rules and TypeError texts), fills in defaults, describes every
 * parameter (ArgInfo), resolves the optimizer, records SequentialLR / ChainedScheduler members
 * and later uses (`.step()`), and builds ONE Program in evaluation order.
 *
 * Assumed optimizers: an `optimizer` argument that is not an optimizer built in the file gets
 * an assumed SGD (one group, the assumed lr), labelled everywhere. There is one per unresolved
 * source, shared by every scheduler built on it, so that the members of a SequentialLR share an
 * optimizer as they do in the program: one per unknown value (`optimizer = build(cfg)`, however
 * many variables it is read through) and one per expression read again for the same reason in
 * one class or function (`self.optimizer` in two methods of a class, a parameter `optimizer`).
 */
import { OPTIMIZERS, makeOptimizer, type GroupKwargs, type OptimizerKwargs } from '../engine/optimizers';
import { bindFamilyCall, FAMILY_SIGNATURES, isFamilyKind } from '../engine/families/signatures';
import { SIGNATURES, bindArgs } from '../engine/signatures';
import type { Arg, ParamSpec, Program, SchedulerKind, TorchFailure } from '../engine/types';
import type { ConstructionRecorder, OptimizerCall, SchedulerCall, SchedulerRef, Slot, Unknown, Value } from '../frontends/contract';
import { displayArg } from '../frontends/typescript/display';
import { assume, assumptionText, ofMember, startLrAssumed, uniqueAssumptions } from './assumptions';
import type { ArgInfo, AssumedValue, Assumption, FoundCall, LastEpochWrite, OptimizerInfo, Range } from './types';

/** Scheduler methods whose calls are reported as `uses`. */
const USE_METHODS = new Set(['step', 'step_update', 'get_last_lr', 'get_lr', 'last_epoch', 'load_state_dict']);

/** The two libraries' `get_scheduler`, and the arguments it does not read for the "constant" schedule. */
const GET_SCHEDULER = new Set(['transformers.get_scheduler', 'diffusers.get_scheduler']);
const NOT_READ_BY_CONSTANT = new Set(['num_warmup_steps', 'num_training_steps', 'num_cycles', 'power', 'scheduler_specific_kwargs', 'step_rules']);

/** The parameters torch calls with the epoch. */
const CALLED_PARAMS = new Set(['lr_lambda', 'scale_fn']);

type Converted = { arg: Arg } | { reason: string };

export class Recorder implements ConstructionRecorder {
  readonly program: Program = { optimizers: [], schedulers: [] };
  readonly calls: FoundCall[] = [];
  private readonly optimizerInfos: OptimizerInfo[] = [];
  /** Assumed optimizers by their unresolved source: the value (Unknown.source), and the expression with its reason. */
  private readonly assumed = new Map<string, number>();
  /** Per optimizer, the last construction on it that could not be evaluated (Program.opaque), as named in notes. */
  private readonly opaqueNames = new Map<number, string>();
  /** Per optimizer, the last such construction that may have changed the groups' lr at construction (`start lr`), with why. */
  private readonly opaqueMovers = new Map<number, { name: string; reason: string; call: number }>();
  /** The call of the construction each `opaqueNames` entry names. */
  private readonly opaqueCalls = new Map<number, number>();

  constructor(private readonly assumedLr: number) {}

  // ---- schedulers ----------------------------------------------------------------------------

  scheduler(c: SchedulerCall): SchedulerRef {
    const kind = c.kind;
    const found: FoundCall = {
      kind, family: c.family, variable: c.variable, range: c.range, calleeRange: c.calleeRange,
      schedulerIndex: null, argInfo: [], args: {}, optimizer: null, unknownReason: null, bindFailure: null, uses: [], memberOf: null,
      assumed: [],
    };
    if (c.branch) found.branch = c.branch;
    const ref: SchedulerRef = { call: this.calls.push(found) - 1, index: null };
    const family = isFamilyKind(kind) ? FAMILY_SIGNATURES[kind] : null;
    const bound: { bound: Map<string, Slot>; failure: TorchFailure | null; extra?: [string, Slot][] } = family
      ? bindFamilyCall<Slot>(family, c.positional, c.keywords)
      : bindArgs<Slot>(kind as SchedulerKind, c.positional, c.keywords);
    if (c.unreached) found.unknownReason = c.unreached;
    else if (c.reason) found.unknownReason = found.splatReason = c.reason;
    else if (bound.failure) {
      found.bindFailure = bound.failure;
      // A class taken as the library's by its name only: its signature is an assumption, not the call's text.
      if (!c.byName && ![...c.positional, ...c.keywords.map(([, v]) => v)].some((v) => v.indirect)) found.bindFromText = true;
    }

    const given: Record<string, Arg> = {};
    const members: number[] = [];
    let optimizer: number | null = null;
    let firstReason: string | null = null;
    const own: Assumption[] = [];
    /** get_scheduler's step counts (and shape arguments), not read for "constant": decided after the loop. */
    const stepsReasons: [string, string][] = [];
    /** timm's `updates_per_epoch` matters only with `step_on_epochs=False`: decided after the loop. */
    let perEpochReason: string | null = null;
    const params = family ? family.params : SIGNATURES[kind as SchedulerKind].params;
    for (const p of params) {
      const slot = bound.bound.get(p.name);
      if (!slot || (slot.undefinedValue && p.default !== undefined)) {
        found.argInfo.push(notGiven(p, slot));
        continue;
      }
      const info: ArgInfo = {
        name: p.name, range: slot.range, ...(slot.fullRange ? { fullRange: slot.fullRange } : {}), text: slot.text,
        known: true, display: '?', isDefault: false,
      };
      found.argInfo.push(info);
      if (p.name === 'optimizer') {
        if (c.unreached) {
          info.known = false;
          info.reason = c.unreached;
        } else optimizer = this.resolveOptimizer(slot, info, given, c.scope);
        continue;
      }
      const conv = numpyZero(p.name, toArg(CALLED_PARAMS.has(p.name) ? called(slot.value) : slot.value));
      if ('reason' in conv) {
        info.known = false;
        info.reason = conv.reason;
        // `verbose` (and a Trainer's `output_dir`, a Keras schedule's `name`) does not change the curve.
        if (kind === 'timm.create_scheduler_v2' && p.name === 'updates_per_epoch') perEpochReason = `\`${p.name}\`: ${conv.reason}`;
        else if (GET_SCHEDULER.has(kind) && NOT_READ_BY_CONSTANT.has(p.name)) stepsReasons.push([p.name, `\`${p.name}\`: ${conv.reason}`]);
        else if (!(p.name === 'verbose' || (family?.family === 'trainer' && p.name === 'output_dir') || (family?.family === 'keras' && p.name === 'name'))) firstReason ??= `\`${p.name}\`: ${conv.reason}`;
        continue;
      }
      given[p.name] = conv.arg;
      info.display = slot.display;
      describe(info, slot);
      if (slot.assumed) own.push(assume(p.name, assumedValue(conv.arg, slot.display), slot.assumed, { param: p.name, ...(slot.standIn ? { placeholder: true } : {}) }));
      if ((p.name === 'schedulers' || (family && p.name === 'schedules')) && conv.arg.kind === 'list') {
        for (const a of conv.arg.items) if (a.kind === 'scheduler') members.push(a.index);
      }
    }
    if (perEpochReason) {
      // Not written: the default True. Written and known: its truth. Written and unknown: already a reason.
      const onEpochs = bound.bound.has('step_on_epochs') ? given['step_on_epochs'] : { kind: 'bool', value: true } as Arg;
      const unused = onEpochs !== undefined && (onEpochs.kind === 'bool' || onEpochs.kind === 'int') && !!onEpochs.value;
      const info = found.argInfo.find((a) => a.name === 'updates_per_epoch');
      if (unused && info) info.reason = `${info.reason ?? 'unknown'} (not read: the scheduler steps on epochs)`;
      if (!unused) firstReason ??= perEpochReason;
    }
    if (stepsReasons.length) {
      // transformers' and diffusers' get_scheduler return get_constant_schedule(optimizer) (diffusers: also
      // piecewise_constant, from step_rules) before reading num_warmup_steps / num_training_steps.
      const name = given['name'];
      const constant = name?.kind === 'str' && name.value === 'constant';
      const piecewise = name?.kind === 'str' && kind === 'diffusers.get_scheduler' && name.value === 'piecewise_constant';
      for (const [param, reason] of stepsReasons) {
        const info = found.argInfo.find((a) => a.name === param);
        const unread = constant || (piecewise && param !== 'step_rules');
        if (unread && info) info.reason = `${info.reason ?? 'unknown'} (not read: get_scheduler("${(name as { value: string }).value}") does not use it)`;
        if (!unread) firstReason ??= reason;
      }
    }
    // `**kwargs` of a family callable (get_reduce_on_plateau_schedule): passed on as they are.
    const extra: [string, Arg][] = [];
    // A Trainer's other settings (`output_dir`, `logging_steps`, …) do not change its schedule.
    for (const [name, slot] of family?.family === 'trainer' ? [] : bound.extra ?? []) {
      const conv = toArg(slot.value);
      if ('reason' in conv) firstReason ??= `\`${name}\`: ${conv.reason}`;
      else extra.push([name, conv.arg]);
    }
    found.args = given;
    if (optimizer !== null) found.optimizer = this.optimizerInfos[optimizer] ?? null;
    // ChainedScheduler has no optimizer argument: show its members' (torch requires them to share one).
    else if (kind === 'ChainedScheduler' && members.length) found.optimizer = this.calls.find((x) => x.schedulerIndex === members[0])?.optimizer ?? null;
    found.assumed = this.assumedFor(own, found.optimizer, members, kind === 'SequentialLR');
    if (c.byName) {
      const cls = c.byNameStandIn || c.family === 'torch' ? `torch's ${kind}` : `the library's ${kind.replace(/^[a-z_]+\./, '')}`;
      found.assumed = [assume('class', cls, c.byName, c.byNameStandIn ? { placeholder: true } : {}), ...found.assumed];
    }
    // Python raises the TypeError of a call that does not fit whatever the values are.
    if (!found.unknownReason && !found.bindFailure && firstReason) found.unknownReason = firstReason;
    if (found.unknownReason || found.bindFailure) {
      // Built at run time all the same: torch's base class sets initial_lr on its optimizer's groups.
      if (!found.bindFailure && !c.unreached && optimizer !== null && setsInitialLr(kind, family)) {
        (this.program.opaque ??= []).push({ optimizer, before: this.program.schedulers.length });
        this.opaqueNames.set(optimizer, `${c.variable ? `\`${c.variable}\` = ` : ''}${kind} (line ${c.range.start.line + 1})`);
        this.opaqueCalls.set(optimizer, ref.call);
        if (!leavesLr(kind, family, found.argInfo, given)) this.opaqueMovers.set(optimizer, { name: this.opaqueNames.get(optimizer)!, reason: found.unknownReason ?? 'its arguments are not all known', call: ref.call });
      }
      return ref;
    }

    ref.index = this.program.schedulers.push(isFamilyKind(kind)
      ? { kind, args: given, optimizer, ...(extra.length ? { extra } : {}) }
      : { kind, args: given, optimizer }) - 1;
    found.schedulerIndex = ref.index;
    // A resume after a construction that could not be evaluated: initial_lr is known (the lr before it, torch's
    // setdefault), the lr it leaves in the groups is not, and a resume's first value may read it.
    // One on another branch of the same `if` never ran before this one.
    const exclusive = (call: number | undefined) => call !== undefined && !!c.exclusiveWith?.includes(call);
    const opaque = optimizer !== null && !exclusive(this.opaqueCalls.get(optimizer)) ? this.opaqueNames.get(optimizer) : undefined;
    const last = given['last_epoch'];
    if (opaque && last && (last.kind === 'int' || last.kind === 'bool') && Number(last.value) !== -1) {
      found.assumed = uniqueAssumptions([...found.assumed, assume('lr left by the earlier scheduler', 'its initial_lr',
        `${opaque} on the same optimizer is not evaluated: it set initial_lr (torch's setdefault) but the lr it leaves is not known`)]);
    }
    // A fresh scheduler built after a construction LR Lens could not evaluate that may have changed the lr.
    const moved = optimizer !== null ? this.opaqueMovers.get(optimizer) : undefined;
    const mover = moved && !exclusive(moved.call) ? moved : undefined;
    const start = mover ? startLrAssumed(kind, given, mover.name, mover.reason) : null;
    if (start) found.assumed = uniqueAssumptions([...found.assumed, start]);
    // A composite on a branch the assumed values do not take does not own the members the taken path uses.
    const offPath = (x: { branch?: { taken: boolean } }) => x.branch !== undefined && !x.branch.taken;
    for (const m of members) {
      const member = this.calls.find((x) => x.schedulerIndex === m);
      if (member && (!offPath(c) || offPath(member))) member.memberOf = ref.index;
    }
    return ref;
  }

  /** A construction's assumptions: its own arguments', its optimizer's, its members' (named by the member). */
  private assumedFor(own: Assumption[], optimizer: OptimizerInfo | null, members: number[], resetsLr = false): Assumption[] {
    const mine = optimizer?.assumed ?? [];
    const out = [...own, ...mine];
    for (const m of members) {
      const member = this.calls.find((x) => x.schedulerIndex === m);
      if (!member) continue;
      // Built in another file by the call that builds this one, it has that call's variable too: its kind says more.
      const name = (member.elsewhere ? null : member.variable) ?? member.kind;
      // The optimizer they share is said once, as this construction's.
      // SequentialLR sets every group's lr back to its initial_lr before its first member's step: no `start lr`.
      for (const a of member.assumed) if (!mine.includes(a) && !(resetsLr && a.what === 'start lr')) out.push(ofMember(a, name));
    }
    return uniqueAssumptions(out);
  }

  /** The `optimizer` argument: a constructed optimizer, else an assumed one (labelled), else the value torch's TypeError names. */
  private resolveOptimizer(slot: Slot, info: ArgInfo, given: Record<string, Arg>, scope: string | null): number | null {
    const v = slot.value;
    if (v.kind === 'optimizer') {
      given['optimizer'] = v;
      info.display = slot.display;
      const oi = this.optimizerInfos[v.index];
      if (oi?.origins) info.origin = `${slot.display} (${oi.origins.join(', ')})`;
      if (oi && oi.assumed.length) {
        info.assumed = true;
        info.reason = oi.assumptions.join('; ');
      }
      return v.index;
    }
    // An object made by code that is not evaluated (not a class: torch rejects a class) may be one.
    if (v.kind === 'unknown' || (v.kind === 'object' && v.typeName !== 'type')) {
      const why = v.kind === 'unknown' ? v.reason : `\`${short(slot.text)}\` is not an optimizer built in this file`;
      // The same value (read through any variable), or the same expression read again for the same reason.
      const keys = [`written in ${scope ?? 'module'} ${short(slot.text)}: ${why}`];
      if (v.kind === 'unknown' && v.source !== undefined) keys.push(`value ${v.source}`);
      const lr = displayArg({ kind: 'float', value: this.assumedLr });
      const a = assume('optimizer', `SGD(lr=${lr})`, `not resolved: ${why}; one param group`, { placeholder: true });
      const note = assumptionText(a);
      let index = keys.map((k) => this.assumed.get(k)).find((i) => i !== undefined);
      index ??= this.addOptimizer('SGD', { lr: this.assumedLr }, null, {
        type: 'SGD', variable: null, range: null, groupLrs: [], assumptions: [note], assumed: [a],
      });
      for (const k of keys) if (!this.assumed.has(k)) this.assumed.set(k, index);
      given['optimizer'] = { kind: 'optimizer', index };
      info.assumed = true;
      info.reason = note;
      info.display = `SGD(lr=${lr})`;
      return index;
    }
    // A known non-optimizer (a number, a list, a class…): the engine raises torch's TypeError.
    const conv = toArg(v);
    given['optimizer'] = 'arg' in conv ? conv.arg : { kind: 'object', typeName: 'object' };
    info.display = 'arg' in conv ? slot.display : '?';
    return null;
  }

  schedulerValue(call: number): Value {
    const c = this.calls[call];
    if (c && c.schedulerIndex !== null) return { kind: 'scheduler', index: c.schedulerIndex };
    return unknown(`the ${c?.kind ?? 'scheduler'}${c?.variable ? ` \`${c.variable}\`` : ''} could not be built (${c?.unknownReason ?? c?.bindFailure?.message ?? 'unknown'})`);
  }

  again(call: number, c: SchedulerCall, first: Range | null, callee: string): SchedulerRef {
    const ref = this.scheduler(c);
    const one = this.calls[call];
    const other = this.calls[ref.call];
    const line = (r: Range) => `line ${r.start.line + 1}`;
    if (one && other) {
      const note = `\`${callee}\` builds another ${one.kind} at its call on ${line(c.range)}, previewed there: this preview is the one built by its call on ` +
        `${first ? line(first) : 'its first call'}`;
      (one.builtAgain ??= []).includes(note) || one.builtAgain.push(note);
      other.atCall = true;
      other.builtAgain = [`the ${one.kind} written in \`${callee}\`, built by this call with its own arguments` +
        `${first ? ` (its call on ${line(first)} builds the one previewed at the construction)` : ''}`];
    }
    return ref;
  }

  builtElsewhere(call: number, callee: string, where: string): void {
    const c = this.calls[call];
    if (!c) return;
    c.atCall = true;
    c.elsewhere = where;
    (c.builtAgain ??= []).push(`the ${c.kind} written in ${where}, built by this call of \`${callee}\` with its arguments`);
  }

  builtAgain(call: number, first: Range | null, again: Range, callee: string): string {
    const c = this.calls[call];
    const what = `${c?.kind ?? 'scheduler'}`;
    const line = (r: Range) => `line ${r.start.line + 1}`;
    if (c) {
      const note = `\`${callee}\` builds another ${what} at its call on ${line(again)}, not previewed: this preview is the one built by its call on ` +
        `${first ? line(first) : 'its first call'}`;
      (c.builtAgain ??= []).includes(note) || c.builtAgain.push(note);
    }
    return `\`${callee}\` builds another ${what} on each call: only the one built by its first call${first ? ` (${line(first)})` : ''} is previewed`;
  }

  trainerGiven(call: number, given: { optimizer?: Slot; notBuilt?: string; note?: string; assumption?: { what: string; value: string; why: string } }): void {
    const c = this.calls[call];
    if (!c || c.family !== 'trainer' || c.schedulerIndex === null) return;
    if (given.notBuilt) {
      c.schedulerIndex = null;
      c.unknownReason = given.notBuilt;
      return;
    }
    if (given.optimizer) {
      const info: ArgInfo = { name: 'optimizer', range: given.optimizer.range, text: given.optimizer.text, known: true, display: '?', isDefault: false };
      const index = this.resolveOptimizer(given.optimizer, info, {}, null);
      if (index === null) {
        c.schedulerIndex = null;
        c.unknownReason = `the optimizer given to the Trainer (\`${short(given.optimizer.text)}\`) is not an optimizer`;
        return;
      }
      const record = this.program.schedulers[c.schedulerIndex];
      if (record) record.optimizer = index;
      c.optimizer = this.optimizerInfos[index] ?? null;
      c.assumed = uniqueAssumptions([...c.assumed, ...(c.optimizer?.assumed ?? [])]);
    }
    if (given.note) (c.notes ??= []).push(given.note);
    if (given.assumption) c.assumed = uniqueAssumptions([...c.assumed, assume(given.assumption.what, given.assumption.value, given.assumption.why)]);
  }

  schedulerName(call: number): string {
    const c = this.calls[call];
    return c?.variable ?? `${c?.kind ?? 'Scheduler'}(…)`;
  }

  optimizerName(index: number): string {
    const info = this.optimizerInfos[index];
    return info?.variable ?? `${info?.type ?? 'Optimizer'}(…)`;
  }

  // ---- optimizers ----------------------------------------------------------------------------

  optimizer(c: OptimizerCall): number {
    // torch's positional order; an unknown class takes `(params, lr)`.
    const names = ['params', ...(OPTIMIZERS.get(c.type)?.params ?? ['lr'])];
    const slots = new Map<string, Slot>();
    c.positional.forEach((s, i) => { if (names[i]) slots.set(names[i]!, s); });
    for (const [k, s] of c.keywords) slots.set(k, s);
    for (const [k, s] of slots) if (s.undefinedValue) slots.delete(k);

    const assumptions: string[] = [];
    const assumed: Assumption[] = [];
    /** An assumption, and its note in plain words. */
    const label = (x: Assumption) => {
      // Values of an optimizer built by a caller in another file: that file's (its argparse defaults…).
      const a = c.foreign ? { ...x, why: `${x.why} (the ${c.type} built in ${c.foreign})` } : x;
      assumed.push(a);
      assumptions.push(assumptionText(a));
    };
    // Its param groups may be several (`SGD(*groups)`): the optimizer itself rests on an assumption.
    if (c.reason) label(assume('optimizer', `${c.type}(…)`, `its arguments are not all known: ${c.reason}`, { placeholder: true }));
    // torch's messages print a value as written: an int without `.0`.
    const ints = new Set<'lr' | 'momentum' | 'beta0' | 'beta1'>();
    const kwargs: OptimizerKwargs = { ints };
    const isInt = (v: Value | undefined) => v?.kind === 'int' || v?.kind === 'bool';
    const lr = slots.get('lr');
    if (isInt(lr?.value)) ints.add('lr');
    if (isInt(slots.get('momentum')?.value)) ints.add('momentum');
    const betasVal = slots.get('betas')?.value;
    if (betasVal?.kind === 'list') {
      if (isInt(betasVal.items[0])) ints.add('beta0');
      if (isInt(betasVal.items[1])) ints.add('beta1');
    }
    if (lr) {
      const n = numberOf(lr.value);
      kwargs.lr = typeof n === 'number' ? n : this.assumedLr;
      if (typeof n !== 'number') label(assume('lr', this.assumedLr, n.reason, { placeholder: true }));
      else if (lr.assumed) label(assume('lr', n, lr.assumed));
    }
    const momentum = slots.get('momentum');
    if (momentum) {
      const n = numberOf(momentum.value);
      if (typeof n === 'number') kwargs.momentum = n;
      else label(assume('momentum', OPTIMIZERS.get(c.type)?.momentum ?? "the class's default", `torch's default: ${n.reason}`, { placeholder: true }));
    }
    const betas = slots.get('betas');
    if (betas) {
      const p = pairOf(betas.value);
      if (Array.isArray(p)) kwargs.betas = p;
      else label(assume('betas', OPTIMIZERS.get(c.type)?.betas ?? "the class's default", `torch's default: ${p.reason}`, { placeholder: true }));
    }
    const params = slots.get('params');
    const groups = this.paramGroups(params?.value, label);
    // Param groups read from values that rest on an assumption (`{"params": …, "lr": args.lr}`).
    if (groups && params?.assumed) label(assume('param groups', short(params.display), params.assumed));
    const everyGroupHasLr = groups !== null && groups.every((g) => g.lr !== undefined);
    // An unexpanded `**kwargs` / `*args` may pass the lr (lightning-bolts' YOLO: `SGD(params, **defaults)`): torch's
    // "didn't specify … lr" is not known to happen, so the lr is assumed, as for an lr that is not resolved.
    if (kwargs.lr === undefined && c.reason && !everyGroupHasLr) {
      kwargs.lr = this.assumedLr;
      label(assume('lr', this.assumedLr, `not known: ${c.reason}, which may pass it`, { placeholder: true }));
    }
    if (kwargs.lr === undefined && !OPTIMIZERS.has(c.type) && !everyGroupHasLr) {
      kwargs.lr = this.assumedLr;
      label(assume('lr', this.assumedLr, `\`${c.type}\` is given no lr and is not a torch optimizer`, { placeholder: true }));
    }
    // A value read from a config or another module says where it is written, as scheduler arguments do.
    const origins = (['lr', 'momentum', 'betas'] as const).flatMap((k) => {
      const s = slots.get(k);
      return s?.source && s.origin ? [`${k} = ${s.origin}`] : [];
    });
    // Built by a caller in another file: said so, and none of its ranges (that file's) is kept.
    if (c.foreign) origins.unshift(`the ${c.type} built in ${c.foreign}`);
    const here = c.foreign ? null : c.range;
    return this.addOptimizer(c.type, kwargs, groups, {
      type: c.type, variable: c.variable, range: here, groupLrs: [],
      callRange: here, lrRange: here && lr && !lr.indirect ? lr.range : null,
      assumptions, assumed, ...(origins.length ? { origins } : {}),
    });
  }

  /** `[{"params": …, "lr": …}, …]` → per-group keys; anything else → null (one group). */
  private paramGroups(v: Value | undefined, label: (a: Assumption) => void): GroupKwargs[] | null {
    if (!v || v.kind !== 'list' || v.items.length === 0 || !v.items.every((g) => g.kind === 'dict')) return null;
    return v.items.map((g, i) => {
      const out: GroupKwargs = {};
      for (const [k, val] of (g as Extract<Value, { kind: 'dict' }>).entries) {
        if (k === 'lr' || k === 'momentum' || k === 'initial_lr' || k === 'lr_scale') {
          const n = numberOf(val);
          if (typeof n === 'number') out[k] = n;
          else if (k === 'lr') {
            out.lr = this.assumedLr;
            label(assume(`lr of group ${i}`, this.assumedLr, n.reason, { group: i, placeholder: true }));
          }
        } else if (k === 'betas') {
          const p = pairOf(val);
          if (Array.isArray(p)) out.betas = p;
        }
      }
      return out;
    });
  }

  private addOptimizer(type: string, kwargs: OptimizerKwargs, groups: GroupKwargs[] | null, info: OptimizerInfo): number {
    const { optimizer, failure } = makeOptimizer(type, kwargs, groups);
    if (failure) info.assumptions.push(`torch would raise ${failure.type}: ${failure.message}`);
    info.groupLrs = optimizer.groups.map((g) => g.lr);
    this.optimizerInfos.push(info);
    return this.program.optimizers.push(optimizer) - 1;
  }

  // ---- uses ----------------------------------------------------------------------------------

  givenTo(call: number, path: string): void {
    const found = this.calls[call];
    if (found && !(found.givenTo ??= []).includes(path)) found.givenTo.push(path);
  }

  use(call: number, method: string, range: Range, args: () => Value[], write?: LastEpochWrite): void {
    if (!USE_METHODS.has(method)) return;
    const found = this.calls[call];
    if (!found) return;
    if (found.uses.some((u) => u.range.start.line === range.start.line && u.range.start.character === range.start.character)) return;
    let why: string | undefined;
    found.uses.push({
      method, range,
      args: args().map((a) => { const c = toArg(a); if ('reason' in c) why ??= c.reason; return 'arg' in c ? c.arg : { kind: 'object', typeName: 'unknown' }; }),
      ...(why !== undefined && write ? { why } : {}), ...(write ? { write } : {}),
    });
  }
}

// ---- values → engine args --------------------------------------------------------------------

/**
 * Whether building `kind` runs torch's base-class constructor (`group.setdefault('initial_lr', group['lr'])`, or
 * timm's own setdefault): not ReduceLROnPlateau, SequentialLR / ChainedScheduler (their members do), a Trainer
 * (which builds its schedule later), Keras or optax (no torch optimizer).
 */
/** torch 1.13's schedulers whose fresh construction (last_epoch -1) leaves `group['lr']` as it is, whatever their other arguments. */
const LEAVES_LR = new Set(['CosineAnnealingLR', 'StepLR', 'ExponentialLR', 'PolynomialLR', 'MultiplicativeLR']);

/** Does a construction whose arguments are not all known leave the groups' lr as it is? Only a fresh one of LEAVES_LR. */
function leavesLr(kind: string, family: unknown, args: readonly ArgInfo[], given: Record<string, Arg>): boolean {
  if (family || !LEAVES_LR.has(kind)) return false;
  if (args.find((a) => a.name === 'last_epoch')?.isDefault !== false) return true;
  const last = given['last_epoch'];
  return last !== undefined && (last.kind === 'int' || last.kind === 'bool') && Number(last.value) === -1;
}

function setsInitialLr(kind: string, family: { family: string; name: string } | null): boolean {
  if (!family) return !['ReduceLROnPlateau', 'SequentialLR', 'ChainedScheduler'].includes(kind);
  return !['trainer', 'keras', 'optax'].includes(family.family) && !family.name.includes('plateau');
}

/** The parameters torch divides by (`% self.T_max`, `// self.step_size`, `/ self.total_iters`). */
const DIVISORS = new Set(['T_max', 'step_size', 'total_iters']);

/**
 * A numpy integer 0 that torch divides by: numpy gives a RuntimeWarning and inf / nan / 0 where a Python int raises
 * ZeroDivisionError, which the engine does not model: unknown, never a ZeroDivisionError torch would not raise.
 */
function numpyZero(param: string, conv: Converted): Converted {
  if (!('arg' in conv) || conv.arg.kind !== 'int' || !conv.arg.numpy || conv.arg.value !== 0 || !DIVISORS.has(param)) return conv;
  return { reason: `a numpy.${conv.arg.numpy} 0: torch divides by it, and numpy's division by zero gives a RuntimeWarning and inf / nan instead of Python's ZeroDivisionError; what torch does then is not evaluated` };
}

function unknown(reason: string): Unknown {
  return { kind: 'unknown', reason };
}

/** The engine's Arg when no part of the value is unknown, else the first unknown part's reason. */
function toArg(v: Value, depth = 0): Converted {
  if (depth > 30) return { reason: 'the value is nested too deeply' };
  switch (v.kind) {
    case 'unknown': return { reason: v.reason };
    case 'list': {
      const items: Arg[] = [];
      for (const x of v.items) {
        const c = toArg(x, depth + 1);
        if ('reason' in c) return c;
        items.push(c.arg);
      }
      return { arg: v.tuple ? { kind: 'list', items, tuple: true } : { kind: 'list', items } };
    }
    case 'dict': {
      const entries: [string, Arg][] = [];
      for (const [k, x] of v.entries) {
        const c = toArg(x, depth + 1);
        if ('reason' in c) return c;
        entries.push([k, c.arg]);
      }
      return { arg: { kind: 'dict', entries } };
    }
    case 'object': return { arg: { kind: 'object', typeName: v.typeName } };
    default: return { arg: v };
  }
}

/**
 * A value torch will call (`lr_lambda`, `scale_fn`, or a list of them): an object made by code
 * that is not evaluated may well be callable, so it is unknown, not the "object is not callable"
 * TypeError a plain object gets.
 */
function called(v: Value): Value {
  const hit = v.kind === 'object' ? v : v.kind === 'list' ? v.items.find((x) => x.kind === 'object' && x.mayCall) : undefined;
  return hit?.kind === 'object' && hit.mayCall ? unknown(hit.mayCall) : v;
}

/** A number as an optimizer reads it (bool is an int), or why not. */
function numberOf(v: Value): number | { reason: string } {
  if (v.kind === 'int' || v.kind === 'float') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  const c = toArg(v);
  return { reason: 'reason' in c ? c.reason : `\`${displayArg(c.arg)}\` is not a number` };
}

function pairOf(v: Value): [number, number] | { reason: string } {
  if (v.kind !== 'list' || v.items.length !== 2) {
    const c = toArg(v);
    return { reason: 'reason' in c ? c.reason : `\`${displayArg(c.arg)}\` is not a pair of numbers` };
  }
  const a = numberOf(v.items[0]!);
  const b = numberOf(v.items[1]!);
  if (typeof a !== 'number') return a;
  if (typeof b !== 'number') return b;
  return [a, b];
}

// ---- argument descriptions -------------------------------------------------------------------

/** A parameter left out (torch's default), or given JS `undefined` (the default, said where). */
/** `displayArg` of each parameter's default, once per signature (the signatures are constants). */
const defaultDisplays = new WeakMap<ParamSpec, string>();
function defaultDisplay(p: ParamSpec, d: Arg): string {
  let text = defaultDisplays.get(p);
  if (text === undefined) defaultDisplays.set(p, (text = displayArg(d)));
  return text;
}

function notGiven(p: ParamSpec, slot: Slot | undefined): ArgInfo {
  if (p.default === undefined) return { name: p.name, range: null, text: '', known: false, display: '?', reason: 'not given', isDefault: false };
  const info: ArgInfo = { name: p.name, range: null, text: '', known: true, display: defaultDisplay(p, p.default), isDefault: true };
  if (slot) {
    info.range = slot.range;
    info.text = slot.text;
    if (slot.value.kind === 'unknown') info.origin = `${slot.value.reason}: the default is used`;
  }
  return info;
}

/** How a known value was obtained, and the assumption it rests on. */
function describe(info: ArgInfo, slot: Slot): void {
  if (slot.origin) info.origin = slot.origin;
  if (slot.assumed) {
    info.assumed = true;
    info.origin = `${slot.origin ?? short(slot.text)} (assumed: ${slot.assumed})`;
  }
}

/** An argument's value as the JSON contract shows an assumed one: numbers, strings and bools as they are, others as displayed. */
function assumedValue(a: Arg, display: string): AssumedValue {
  if (a.kind === 'int' || a.kind === 'float') return Number.isFinite(a.value) ? a.value : String(a.value);
  if (a.kind === 'bool' || a.kind === 'str') return a.value;
  if (a.kind === 'none') return null;
  if (a.kind === 'list' && a.items.every((x) => x.kind === 'int' || x.kind === 'float')) {
    return a.items.map((x) => assumedValue(x, display) as number);
  }
  return display;
}

/** Source text on one line, clipped for messages. */
function short(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
