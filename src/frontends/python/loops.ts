/**
 * Training-loop awareness for Python (issue 11), once the walk is over: each scheduler's step sites with the loops
 * and conditions around them, followed through the functions of the file that reach them (`train_one_epoch(…)`
 * called from the epoch loop) and through `configure_optimizers` (lightning.ts), from what the walker recorded
 * (loopFacts.ts: loop counts, `Trainer(…)` settings, step-call nodes). The language-neutral classification (unit,
 * run length) is src/analysis/run.ts.
 */
import type { FoundCall } from '../../analysis/types';
import type { Accumulation, LoopFrame, OtherWriter, StepSite } from '../../analysis/run';
import { Positions } from '../positions';
import type { Budget } from './budget';
import type { LoopFacts } from './loopFacts';
import { at, enclosing, kids, lineOf, rangeOf, shortText, unparen, type SyntaxNode } from './syntax';
import { lightningConfig, lightningRun } from './lightning';
import { benignGuard, countSite, type SiteCondition } from './loopConditions';

/** Call depth followed from a step site up to the loops that reach it. */
const MAX_CALL_DEPTH = 8;
/** Call sites followed per function, and paths kept per step site. */
const MAX_SITES = 8;

/** Lightning hooks the Trainer calls per batch / per epoch (a `.step()` written there is stepped that often). */
const BATCH_HOOKS = new Set(['training_step', 'on_train_batch_end', 'on_train_batch_start', 'optimizer_step', 'on_before_optimizer_step']);
const EPOCH_HOOKS = new Set(['on_train_epoch_end', 'training_epoch_end', 'on_epoch_end', 'on_train_epoch_start', 'validation_epoch_end', 'on_validation_epoch_end']);

/** Method names too common to follow by attribute (`model.train()` is not the file's `def train`). */
const COMMON_METHODS = new Set(['train', 'eval', 'step', 'forward', 'zero_grad', 'backward', 'to', 'cuda', 'update', 'item', 'append', 'run', 'fit', '__call__']);

// ---- after the walk: step sites --------------------------------------------------------------

interface Path {
  frames: LoopFrame[]; via: string[]; accumulation: string | null; accumulationRead?: Accumulation; conditions: string[]; unseen: string | null;
  /** The conditions as nodes, with whether each holds where the call is (false on an `else` branch). */
  conds: SiteCondition[];
  /** The outermost function reached is not called in this file (why, in words): its loops are taken as the run. */
  uncalled?: string;
}

/** The file's functions and calls, found from the text on demand (tree-sitter traversals of the whole tree cost). */
export class FileIndex {
  private rows: Positions | null = null;

  constructor(private readonly root: SyntaxNode & TreeQueries, private readonly text: string, private readonly names: ReadonlySet<string>) {}

  /** A `def name(` in the file (a function of the file: a call of it is followed, not "handed to unseen code"). */
  defines(name: string): boolean {
    return new RegExp(`\\bdef\\s+${escapeRe(name)}\\s*\\(`).test(this.text);
  }

  /** The file has a loop statement (else an unstepped scheduler is a snippet's, not `never`). */
  get loops(): boolean {
    return /^[ \t]*(async[ \t]+)?(for|while)\b/m.test(this.text);
  }

  /** Calls `name(…)` / `x.name(…)` in the file, from the name's occurrences in the text. */
  private callsOf(name: string, method: boolean, anyObject = false): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const re = new RegExp(`${method ? '\\.\\s*' : '(?<![\\w.])'}${escapeRe(name)}\\s*\\(`, 'g');
    let hits = 0;
    for (let m = re.exec(this.text); m && hits < 100; m = re.exec(this.text), hits++) {
      const at = m.index + m[0].indexOf(name);
      const n = this.root.descendantForPosition?.(this.point(at)) ?? null;
      let call = n?.parent ?? null;
      if (call?.type === 'attribute') call = call.parent;
      if (call?.type !== 'call') continue;
      const f = call.childForFieldName('function');
      if (!f) continue;
      if (!method && f.type === 'identifier' && f.text === name) out.push(call);
      if (method && f.type === 'attribute' && f.childForFieldName('attribute')?.text === name) {
        const obj = f.childForFieldName('object')?.text;
        if (anyObject || obj === 'self' || !COMMON_METHODS.has(name)) out.push(call);
      }
    }
    return out;
  }

  /** Calls whose arguments name `name` (a variable or `self.x`), returns and assignments of it: from its occurrences in the text. */
  callsNaming(name: string): SyntaxNode[] {
    if (!this.names.has(name)) {
      // A parameter's name (a helper's `sched`): its own pass over the text.
      if (!this.others.has(name)) {
        const at: number[] = [];
        const re = new RegExp(`(?<![\\w.])${escapeRe(name)}(?![\\w])`, 'g');
        for (let m = re.exec(this.text); m && at.length < 200; m = re.exec(this.text)) at.push(m.index);
        this.others.set(name, at);
      }
      return this.goesOnFrom(this.others.get(name)!);
    }
    if (!this.occurrences) {
      // One pass over the text for every scheduler variable: dotted names are whole tokens (`self.scheduler`).
      this.occurrences = new Map();
      const re = /[A-Za-z_][\w.]*/g;
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        if (this.names.has(m[0])) push(this.occurrences, m[0], m.index);
      }
    }
    return this.goesOnFrom(this.occurrences.get(name) ?? []);
  }

  private goesOnFrom(occurrences: number[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (const index of occurrences.slice(0, 200)) {
      let n: SyntaxNode | null = this.root.descendantForPosition?.(this.point(index)) ?? null;
      let prev: SyntaxNode | null = null;
      // Up through the name, containers and keyword arguments to the argument list of a call, a `return`, or the
      // right side of an assignment (`self.sched = sched`, `return opt, sched`): places it goes on from.
      for (let i = 0; n && i < 8; i++, prev = n, n = n.parent) {
        if (n.type === 'argument_list') {
          if (n.parent?.type === 'call') out.push(n.parent);
          break;
        }
        if (n.type === 'return_statement' || (n.type === 'assignment' && prev !== null && n.childForFieldName('right')?.id === prev.id)) {
          out.push(n);
          break;
        }
        if (!['identifier', 'attribute', 'keyword_argument', 'tuple', 'list', 'dictionary', 'pair', 'parenthesized_expression', 'expression_list'].includes(n.type)) break;
      }
    }
    return out;
  }
  private occurrences: Map<string, number[]> | null = null;
  private readonly others = new Map<string, number[]>();

  /** The one `def name(…)` of the file (null when none or several). */
  defNamed(name: string): SyntaxNode | null {
    const re = new RegExp(`\\bdef\\s+${escapeRe(name)}\\s*\\(`, 'g');
    const found: SyntaxNode[] = [];
    for (let m = re.exec(this.text); m && found.length < 2; m = re.exec(this.text)) {
      const n = this.root.descendantForPosition?.(this.point(m.index + m[0].indexOf(name))) ?? null;
      if (n?.parent?.type === 'function_definition') found.push(n.parent);
    }
    return found.length === 1 ? found[0]! : null;
  }

  /** Row and column (tree-sitter's, in UTF-16 units here) of a text offset. */
  private point(index: number): { row: number; column: number } {
    this.rows ??= new Positions(this.text, 'lf');
    const p = this.rows.at(index);
    return { row: p.line, column: p.character };
  }

  /** `v.step(…)` / `v.step_update(…)` calls in the file, from the text (`v` a name or `self.x`). */
  stepCallsOn(v: string): SyntaxNode[] {
    return [...this.callsOf('step', true, true), ...this.callsOf('step_update', true, true)]
      .filter((c) => c.childForFieldName('function')?.childForFieldName('object')?.text.replace(/\s+/g, '') === v);
  }

  /** Calls of function `def` in the file: by name, or `self.name(…)` / `x.name(…)` for a method. */
  callersOf(def: SyntaxNode): SyntaxNode[] {
    const name = def.childForFieldName('name')?.text ?? '';
    const isMethod = enclosing(def, ['class_definition', 'function_definition'])?.type === 'class_definition';
    return this.callsOf(name, isMethod).filter((c) => !within(c, def));
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface TreeQueries {
  descendantsOfType?: (t: string[]) => (SyntaxNode | null)[];
  descendantForPosition?: (p: { row: number; column: number }) => SyntaxNode | null;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function within(n: SyntaxNode, outer: SyntaxNode): boolean {
  return at(n) >= at(outer) && at(n, true) <= at(outer, true);
}


/** The loops and conditions around `node` up to its function, then through that function's callers. */
function pathsOf(node: SyntaxNode, home: SyntaxNode | null, facts: LoopFacts, index: FileIndex, budget: Budget, depth: number, seen: Set<number>, forced?: ReadonlyMap<number, SyntaxNode[]>): Path[] {
  const frames: LoopFrame[] = [];
  const conditions: string[] = [];
  const conds: SiteCondition[] = [];
  let accumulation: string | null = null;
  let read: Accumulation | undefined;
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    budget.tick();
    if ((p.type === 'for_statement' || p.type === 'while_statement') && p.childForFieldName('body')?.id === child.id) {
      frames.unshift(frameOf(p, facts));
    } else if (p.type === 'if_statement' || p.type === 'elif_clause') {
      const cond = p.childForFieldName('condition');
      if (cond && (child.type === 'else_clause' || child.type === 'elif_clause')) {
        // On an `else` / `elif` branch: the `if`'s condition and every earlier `elif`'s are false there.
        for (const c of kids(p)) {
          if (c.id === child.id) break;
          const k = c.id === cond.id ? c : c.type === 'elif_clause' ? c.childForFieldName('condition') : null;
          if (!k) continue;
          conditions.unshift(`not (${shortText(k, 80)})`);
          conds.unshift({ node: k, holds: false, inner: frames.length });
        }
      } else if (cond && child.id !== cond.id) {
        const t = shortText(cond, 80);
        // Gradient accumulation: a modulo test on the batch counter, or Accelerate's `sync_gradients`.
        if ((/%/.test(t) || /\bsync_gradients\b/.test(t)) && !accumulation && !everyNthEpoch(p, t)) {
          accumulation = t;
          read = readAccumulation(cond, facts);
        } else {
          conditions.unshift(t);
          conds.unshift({ node: cond, holds: true, inner: frames.length });
        }
      }
    } else if (p.type === 'with_statement' && p.childForFieldName('body')?.id === child.id && !accumulation) {
      // accelerate: `with accelerator.accumulate(model):` steps the optimizer (and its AcceleratedScheduler) on sync only.
      const items = kids(p).filter((k) => k.type === 'with_clause').map((k) => shortText(k, 80));
      const acc = items.find((t) => /\.accumulate\(/.test(t));
      if (acc) {
        accumulation = `with ${acc}`;
        read = facts.hf.accelerateAccumulation();
      }
    } else if (p.type === 'lambda') {
      return [{ frames, via: [], accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen: 'the `.step()` call is inside a lambda LR Lens does not follow' }];
    } else if (p.type === 'function_definition') {
      const name = p.childForFieldName('name')?.text ?? '?';
      // Built and stepped in the same function (`def fit(): scheduler = …; for epoch …`): its loops are the run.
      if (home && within(home, p)) return [{ frames, via: [name], accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen: null }];
      const hook = lightningHook(name, frames);
      if (hook) return [{ frames: hook, via: [name], accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen: null }];
      // A helper the scheduler was handed to (`train_one_epoch(…, scheduler)`): only the calls that pass it.
      const callers = depth < MAX_CALL_DEPTH && !seen.has(p.id) ? (forced?.get(p.id) ?? index.callersOf(p)).slice(0, MAX_SITES) : [];
      if (!callers.length) {
        if (!seen.has(p.id) && depth < MAX_CALL_DEPTH) {
          return [{ frames, via: [name], accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen: null, uncalled: `\`${name}()\` is not called in this file (it is called by code LR Lens cannot see)` }];
        }
        const why = seen.has(p.id) ? `\`${name}()\` calls itself` : `the calls reaching \`${name}()\` are nested too deeply to follow`;
        return [{ frames, via: [name], accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen: why }];
      }
      const out: Path[] = [];
      const inner = new Set(seen).add(p.id);
      for (const c of callers) {
        for (const up of pathsOf(c, null, facts, index, budget, depth + 1, inner, forced)) {
          out.push({
            frames: [...up.frames, ...frames], via: [...up.via, name], accumulation: accumulation ?? up.accumulation,
            ...(accumulation ? (read ? { accumulationRead: read } : {}) : up.accumulationRead ? { accumulationRead: up.accumulationRead } : {}),
            conditions: [...up.conditions, ...conditions], conds: [...up.conds.map((c) => ({ ...c, inner: c.inner + frames.length })), ...conds], unseen: up.unseen, ...(up.uncalled ? { uncalled: up.uncalled } : {}),
          });
          if (out.length >= MAX_SITES) return out;
        }
      }
      return out;
    } else if (p.type === 'class_definition' || p.type === 'module') {
      break;
    }
  }
  return [{ frames, via: [], accumulation, ...(read ? { accumulationRead: read } : {}), conditions, conds, unseen: null }];
}

/** A `.step()` in a Lightning hook: the Trainer's own loops (its epoch count comes from `Trainer(…)`). */
function lightningHook(name: string, inner: LoopFrame[]): LoopFrame[] | null {
  const epoch: LoopFrame = { id: 'trainer:epoch', header: 'the Trainer\'s epoch loop', over: 'range', target: 'epoch', count: null, countReason: 'set by the Trainer', words: 'epoch', source: null };
  const batch: LoopFrame = { id: 'trainer:batch', header: 'the Trainer\'s batch loop', over: 'iterable', target: 'batch', count: null, countReason: 'the length of the train dataloader is not known', words: 'batch', source: null };
  if (BATCH_HOOKS.has(name)) return [epoch, batch, ...inner];
  if (EPOCH_HOOKS.has(name)) return [epoch, ...inner];
  return null;
}

function frameOf(loop: SyntaxNode, facts: LoopFacts): LoopFrame {
  const c = facts.countOf(loop);
  const isFor = loop.type === 'for_statement';
  const left = isFor ? loop.childForFieldName('left') : null;
  const right = isFor ? loop.childForFieldName('right') : loop.childForFieldName('condition');
  const header = isFor ? `for ${left ? shortText(left, 30) : '?'} in ${right ? shortText(right, 50) : '?'}` : `while ${right ? shortText(right, 50) : '?'}`;
  const r = right ? unparen(right) : null;
  const over: LoopFrame['over'] = !isFor ? 'while' : r?.type === 'call' && r.childForFieldName('function')?.text === 'range' ? 'range' : 'iterable';
  const literal = r !== null && (r.type === 'list' || r.type === 'tuple');
  const frame: LoopFrame = {
    id: `${loop.startPosition.row}:${loop.startPosition.column}`, header, over, target: left?.text ?? '',
    count: c?.count ?? null, words: `${left?.text ?? ''} ${right?.text ?? ''}`, source: over === 'iterable' && !literal && r ? dataSource(r) : null,
  };
  if (c?.assumed) frame.countAssumed = c.assumed;
  // `range(a, b, s)` with every argument known: the variable's values (an evaluated start, a stride).
  const index = isFor && left && r && c?.seq && over === 'range' && left.type === 'identifier'
    ? { name: left.text, start: c.seq.start, ...(c.seq.step !== 1 ? { step: c.seq.step } : {}) }
    : isFor && left && r ? loopIndex(left, r) : null;
  if (index) frame.index = index;
  if (frame.count === null) frame.countReason = c?.reason ?? `the loop at line ${lineOf(loop)} is not evaluated`;
  return frame;
}

/** `for i in range(n)` / `range(a, b)` with a literal start, `for i, x in enumerate(it[, start])`: the index and its first value. */
function loopIndex(left: SyntaxNode, right: SyntaxNode): { name: string; start: number } | null {
  if (right.type !== 'call') return null;
  const fn = right.childForFieldName('function')?.text;
  const args = kids(right.childForFieldName('arguments')!);
  const literal = (n: SyntaxNode | undefined): number | null => {
    const v = n ? unparen(n) : null;
    if (!v) return null;
    if (v.type === 'integer' && /^\d+$/.test(v.text)) return Number(v.text);
    if (v.type === 'unary_operator' && /^-\s*\d+$/.test(v.text)) return -Number(v.text.replace(/[-\s]/g, ''));
    return null;
  };
  if (fn === 'range' && left.type === 'identifier') {
    if (args.length === 1) return { name: left.text, start: 0 };
    const start = literal(args[0]);
    return args.length === 2 && start !== null ? { name: left.text, start } : null;
  }
  if (fn === 'enumerate' && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
    const first = kids(left)[0];
    if (!first || first.type !== 'identifier') return null;
    const startArg = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'start')?.childForFieldName('value') ?? (args[1]?.type !== 'keyword_argument' ? args[1] : undefined);
    const start = startArg ? literal(startArg) : 0;
    return start !== null && args.length >= 1 && args.length <= 2 ? { name: first.text, start } : null;
  }
  return null;
}

/**
 * A gradient-accumulation condition: `(counter + c) % k == r` (either side), optionally `or counter == len(…) - 1`;
 * Accelerate's `sync_gradients` and anything else: the factor is unknown, with why.
 */
function readAccumulation(cond: SyntaxNode, facts: LoopFacts): Accumulation {
  const unknownWhy = (reason: string): Accumulation => ({ counter: '', add: 0, every: null, residue: 0, lastBatch: false, reason });
  let c = unparen(cond);
  if (/\bsync_gradients\b/.test(c.text)) return facts.hf.accelerateAccumulation();
  let lastBatch = false;
  if (c.type === 'boolean_operator' && c.children.some((x) => x && !x.isNamed && x.type === 'or')) {
    const [a, b] = [c.childForFieldName('left'), c.childForFieldName('right')];
    const isLast = (n: SyntaxNode | null) => !!n && /^\w+\s*==\s*len\(.+\)\s*-\s*1$/.test(unparen(n).text);
    if (a && isLast(b)) c = unparen(a);
    else if (b && isLast(a)) c = unparen(b);
    else return unknownWhy(`\`${shortText(cond, 60)}\` is more than \`i % k == r\``);
    lastBatch = true;
  }
  if (c.type !== 'comparison_operator' || kids(c).length !== 2 || c.children.find((x) => x && !x.isNamed)?.type !== '==') {
    return unknownWhy(`\`${shortText(cond, 60)}\` is not \`i % k == r\``);
  }
  const [x, y] = kids(c).map(unparen) as [SyntaxNode, SyntaxNode];
  const isMod = (n: SyntaxNode) => n.type === 'binary_operator' && n.children.some((t) => t && !t.isNamed && t.type === '%');
  const [mod, other] = isMod(x) ? [x, y] : isMod(y) ? [y, x] : [null, null];
  if (!mod || !other || other.type !== 'integer' || !/^\d+$/.test(other.text)) return unknownWhy(`\`${shortText(cond, 60)}\` is not \`i % k == r\``);
  const residue = Number(other.text);
  const lhs = unparen(mod.childForFieldName('left')!);
  let counter: string | null = null;
  let add = 0;
  if (lhs.type === 'identifier') counter = lhs.text;
  else if (lhs.type === 'binary_operator') {
    const op = lhs.children.find((t) => t && !t.isNamed)?.type;
    const [l, r] = [unparen(lhs.childForFieldName('left')!), unparen(lhs.childForFieldName('right')!)];
    if ((op === '+' || op === '-') && l.type === 'identifier' && r.type === 'integer' && /^\d+$/.test(r.text)) {
      counter = l.text;
      add = op === '+' ? Number(r.text) : -Number(r.text);
    }
  }
  if (!counter) return unknownWhy(`\`${shortText(mod, 40)}\` does not test a counter plus a constant`);
  const right = mod.childForFieldName('right')!;
  const k = facts.modulusOf(right);
  if (!k || k.count === null || k.count <= 0) {
    return { counter, add, every: null, residue, lastBatch, reason: `the accumulation factor \`${shortText(right, 40)}\` is not known${k?.reason ? `: ${k.reason}` : ''}` };
  }
  return { counter, add, every: k.count, residue, lastBatch, ...(k.assumed ? { assumed: `accumulation factor ${k.count}: ${k.assumed}` } : {}) };
}

/** The data iterable under `enumerate(…)`, `tqdm(…)`, `iter(…)`, `zip(…)`: `train_loader`. */
function dataSource(n: SyntaxNode): string | null {
  let cur = unparen(n);
  for (let i = 0; i < 6 && cur.type === 'call'; i++) {
    const first = kids(cur.childForFieldName('arguments')!)[0];
    if (!first || first.type === 'keyword_argument') return null;
    cur = unparen(first);
  }
  return cur.type === 'identifier' || cur.type === 'attribute' || cur.type === 'subscript' ? cur.text.replace(/\s+/g, '') : null;
}

/** The optimizer's `.step()` after this scheduler step in the loop body around it (LR174), as written. */
function optimizerStepAfter(step: SyntaxNode, optimizerName: string | null, schedText: string): { text: string; move?: StepSite['moveAfter'] } | null {
  const loop = enclosing(step, ['for_statement', 'while_statement', 'function_definition']);
  if (!loop || loop.type === 'function_definition') return null;
  const body = loop.childForFieldName('body');
  if (!body) return null;
  const isOpt = (t: string) => (optimizerName ? t === optimizerName : /optim|^opt$/i.test(t));
  let found: string | null = null;
  let foundNode: SyntaxNode | null = null;
  let scaler = false;
  const visit = (n: SyntaxNode) => {
    if (found || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'for_statement' || n.type === 'while_statement') return;
    if (n.type === 'call') {
      const f = n.childForFieldName('function');
      if (f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'step') {
        const obj = f.childForFieldName('object')?.text.replace(/\s+/g, '') ?? '';
        const args = kids(n.childForFieldName('arguments')!).map((a) => a.text.replace(/\s+/g, ''));
        if (obj !== schedText && (isOpt(obj) || args.some(isOpt))) {
          if (!isOpt(obj)) scaler = true;
          if (at(n) > at(step)) {
            found = shortText(n);
            foundNode = n;
          } else found = '';
          return;
        }
      }
    }
    for (const k of kids(n)) visit(k);
  };
  for (const k of kids(body)) visit(k);
  if (!found || scaler) return null;
  // Both plain statements of the same block: the fix moves the scheduler's after the optimizer's.
  const a = step.parent;
  const b = (foundNode as SyntaxNode | null)?.parent ?? null;
  if (a?.type === 'expression_statement' && b?.type === 'expression_statement' && kids(a).length === 1 && kids(b).length === 1 && a.parent && b.parent && a.parent.id === b.parent.id) {
    return { text: found, move: { statement: rangeOf(a), after: rangeOf(b) } };
  }
  return { text: found };
}

/** Where the scheduler held by `variable` is handed on: a call that is not a function of the file, a return. */
function handedTo(c: FoundCall, callNode: SyntaxNode | null, index: FileIndex): string[] {
  const v = c.variable;
  const out: string[] = [];
  // Built inside a call's arguments (`Trainer(lr_scheduler=X(…))`) or returned directly.
  if (callNode) {
    const host = unparenParent(callNode);
    if (host?.type === 'argument_list' || host?.type === 'keyword_argument') {
      const call = enclosing(callNode, ['call']);
      if (call) out.push(`\`${shortText(call.childForFieldName('function') ?? call, 40)}(…)\``);
    }
    if (host?.type === 'return_statement') out.push(`the return of \`${enclosing(callNode, ['function_definition'])?.childForFieldName('name')?.text ?? '?'}()\``);
    if (host?.type === 'list' || host?.type === 'tuple' || host?.type === 'dictionary' || host?.type === 'pair') out.push(`a ${host.type === 'pair' ? 'dict' : host.type} (\`${shortText(host, 40)}\`)`);
  }
  if (!v) return out;
  // The variable as an argument, or inside a tuple / list / dict written there (`optimizers=(optimizer, scheduler)`).
  const scope = callNode ? functionOf(callNode) : null;
  for (const call of index.callsNaming(v)) {
    // Another function's own variable of the same name is not this one.
    if (callNode && !sameBinding(call, v, scope)) continue;
    if (call.type === 'return_statement') {
      out.push(`the return of \`${enclosing(call, ['function_definition'])?.childForFieldName('name')?.text ?? '?'}()\``);
      continue;
    }
    if (call.type === 'assignment') {
      const left = call.childForFieldName('left');
      // `scheduler = X(…)` itself is the construction, not a hand-off.
      if (left && left.text.replace(/\s+/g, '') !== v) out.push(`\`${shortText(left, 40)}\``);
      continue;
    }
    const f = call.childForFieldName('function');
    if (f?.type === 'identifier' && index.defines(f.text)) continue;
    out.push(`\`${shortText(f ?? call, 40)}(…)\``);
  }
  return [...new Set(out)];
}

/** The function a plain name is local to: the one around the node (null at module level). */
function functionOf(n: SyntaxNode): SyntaxNode | null {
  return enclosing(n, ['function_definition']);
}

/** A function's parameter names, in order (`*args`, `**kw` aside). */
function paramNames(def: SyntaxNode): string[] {
  const ps = def.childForFieldName('parameters');
  return ps ? kids(ps).flatMap((p) => {
    if (p.type === 'identifier') return [p.text];
    if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') return [p.childForFieldName('name')?.text ?? ''];
    if (p.type === 'typed_parameter') return [kids(p).find((k) => k.type === 'identifier')?.text ?? ''];
    return p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' ? ['*'] : [];
  }) : [];
}

/** Whether `fn` binds `name` itself (a parameter, or an assignment in its body): its own local, not the outer one. */
function bindsLocally(fn: SyntaxNode, name: string): boolean {
  if (paramNames(fn).includes(name)) return true;
  const body = fn.childForFieldName('body');
  return !!body && new RegExp(`(?<![\\w.])${escapeRe(name)}\\s*(=(?!=)|:[^=\\n]*=(?!=))`).test(body.text);
}

/**
 * Whether the occurrence `occ` of `name` is the variable bound in `scope` (a function, null: the module): the same
 * function, a function nested in it that does not bind the name again, or (module level) a function reading the global.
 * `self.x` names are the instance's, wherever they are read.
 */
function sameBinding(occ: SyntaxNode, name: string, scope: SyntaxNode | null): boolean {
  if (name.includes('.')) return true;
  const fn = functionOf(occ);
  if (!scope) return fn === null || !bindsLocally(fn, name);
  return fn !== null && (fn.id === scope.id || (within(fn, scope) && !bindsLocally(fn, name)));
}

/** The parameter of `def` that `call` binds to the variable `v` (passed as itself, positionally or by keyword). */
function paramPassed(call: SyntaxNode, def: SyntaxNode, v: string): string | null {
  const names = paramNames(def);
  const method = enclosing(def, ['class_definition', 'function_definition'])?.type === 'class_definition';
  const positional = method ? names.slice(1) : names;
  let i = 0;
  for (const a of kids(call.childForFieldName('arguments')!)) {
    if (a.type === 'keyword_argument') {
      const val = a.childForFieldName('value');
      if (val && unparen(val).text.replace(/\s+/g, '') === v) return a.childForFieldName('name')?.text ?? null;
      continue;
    }
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return null;
    if (unparen(a).text.replace(/\s+/g, '') === v) {
      const p = positional[i];
      return p && p !== '*' ? p : null;
    }
    i++;
  }
  return null;
}

/** A step call on a helper's parameter, with the calls to follow up from each helper on the way (only those passing the scheduler). */
interface HandedStep { node: SyntaxNode; forced: Map<number, SyntaxNode[]> }

/**
 * The `.step()` calls a scheduler reaches by being passed to functions of the file (`train_one_epoch(model, loader,
 * optimizer, scheduler)`, then `scheduler.step()` there), through helpers up to 3 deep. Each is attributed to the
 * calls that pass THIS scheduler: a helper also called with `None` or with another scheduler elsewhere steps
 * nothing (or that one) from those calls.
 */
function handedSteps(v: string, scope: SyntaxNode | null, index: FileIndex, depth = 0, forced = new Map<number, SyntaxNode[]>()): HandedStep[] {
  const byDef = new Map<number, { def: SyntaxNode; param: string; calls: SyntaxNode[] }>();
  for (const call of index.callsNaming(v)) {
    if (call.type !== 'call' || !sameBinding(call, v, scope)) continue;
    const f = call.childForFieldName('function');
    const name = f?.type === 'identifier' ? f.text : f?.type === 'attribute' && f.childForFieldName('object')?.text === 'self' ? f.childForFieldName('attribute')?.text : null;
    const def = name ? index.defNamed(name) : null;
    if (!def || within(call, def) || forced.has(def.id)) continue;
    const param = paramPassed(call, def, v);
    if (!param) continue;
    const e = byDef.get(def.id);
    // `f(x, sched=sched)` names it twice: one call.
    if (e && e.param === param && !e.calls.some((k) => k.id === call.id)) e.calls.push(call);
    else if (!e) byDef.set(def.id, { def, param, calls: [call] });
  }
  const out: HandedStep[] = [];
  for (const { def, param, calls } of byDef.values()) {
    const fm = new Map(forced).set(def.id, calls);
    for (const node of index.stepCallsOn(param)) if (functionOf(node)?.id === def.id) out.push({ node, forced: fm });
    if (depth < 2) out.push(...handedSteps(param, def, index, depth + 1, fm));
  }
  return out;
}

function unparenParent(n: SyntaxNode): SyntaxNode | null {
  let p = n.parent;
  while (p && p.type === 'parenthesized_expression') p = p.parent;
  return p;
}

/** Each construction's run: its step sites (the recorder's uses), Lightning's config, or where it went. */
export function attachRuns(root: SyntaxNode, text: string, calls: FoundCall[], facts: LoopFacts, budget: Budget): void {
  const index = new FileIndex(root as SyntaxNode & TreeQueries, text, new Set(calls.flatMap((c) => (c.variable ? [c.variable] : []))));
  const noLoop = !index.loops;
  const lrWriters = otherLrWriters(root, text, index);
  /** Each construction's innermost condition around its step site, when it has exactly one site (see `alternating`). */
  const branchOfSite = new Map<FoundCall, SiteCondition & { outer: string | null }>();
  for (const [i, c] of calls.entries()) {
    const callNode = facts.constructions.get(i) ?? null;
    const lightning = callNode ? lightningConfig(c, callNode, index) : null;
    const sites: StepSite[] = [];
    const timmPerEpoch = timmStepsPerEpoch(c);
    const stepNodes = c.uses.flatMap((u) => {
      const node = u.method === 'step' || u.method === 'step_update' ? facts.useNodes.get(`${u.range.start.line}:${u.range.start.character}`) : undefined;
      return node ? [node] : [];
    });
    // One of several constructions bound to the same name on the branches of one `if` (`if args.x: s = A(…) else:
    // s = B(…)`): the calls on that name after the `if` step whichever it holds.
    if (callNode && c.variable && !stepNodes.length) stepNodes.push(...alternativeSteps(c, callNode, calls, facts, index));
    // Passed to helpers of the file: their step calls, each through the calls that pass this scheduler only (the
    // walk ran the helper's body once, with the values of whichever calls agreed).
    const handed = callNode && c.variable ? handedSteps(c.variable, functionOf(callNode), index) : [];
    const handedAt = new Set(handed.map((h) => at(h.node)));
    const walkedSteps = stepNodes.filter((n) => !handedAt.has(at(n))).map((node) => ({ node, forced: undefined as Map<number, SyntaxNode[]> | undefined }));
    for (const { node, forced } of [...walkedSteps, ...handed]) {
      const u = { method: node.childForFieldName('function')?.childForFieldName('attribute')?.text ?? 'step' };
      const sched = node.childForFieldName('function')?.childForFieldName('object')?.text.replace(/\s+/g, '') ?? '';
      const argTexts = kids(node.childForFieldName('arguments')!).map((a) => shortText(a, 40));
      const before = optimizerStepAfter(node, c.optimizer?.variable ?? null, sched);
      for (const { uncalled, conds, ...p } of pathsOf(node, callNode, facts, index, budget, 0, new Set(), forced)) {
        // `with accelerator.accumulate(…)` skips the scheduler's steps only for one accelerate prepared (an AcceleratedScheduler).
        if (p.accumulation?.startsWith('with ') && !new RegExp(`\\.prepare\\([^)]*(?<![\\w.])${escapeRe(sched)}(?!\\w)`).test(text)) {
          p.accumulation = null;
          delete p.accumulationRead;
        }
        // Reached from a function nothing here calls: with loops on the way they are the run (labelled); without, unknown.
        const site: StepSite = {
          range: rangeOf(node), ...p, argTexts, beforeOptimizerStep: before?.text ?? null, ...(before?.move ? { moveAfter: before.move } : {}),
          ...(u.method !== 'step' ? { method: u.method } : {}),
        };
        if (timmPerEpoch !== null && timmPerEpoch === (u.method === 'step_update')) {
          site.ignored = timmPerEpoch
            ? '`step_update()` does nothing with t_in_epochs=True (timm steps it with `step(epoch)`)'
            : '`step()` does nothing with t_in_epochs=False (timm steps it with `step_update(num_updates)`)';
        }
        if (uncalled && !p.frames.length) site.unseen = uncalled;
        else if (uncalled) site.assumed = [`${uncalled}; its loops are taken as the whole run`];
        countPasses(site, conds, sched, argNode(node), facts);
        const real = conds.filter((k) => !benignGuard(k, sched));
        const inner = real[real.length - 1];
        if (inner && !site.unseen && !site.ignored) branchOfSite.set(c, { ...inner, outer: site.frames[0]?.id ?? null });
        else branchOfSite.delete(c);
        sites.push(site);
      }
    }
    const writers = sites.length ? lrWriters.filter((w) => w.optimizer === null || !c.optimizer?.variable || w.optimizer === c.optimizer.variable) : [];
    c.stepping = {
      ...(writers.length ? { otherWriters: writers.map(({ range, what }) => ({ range, what })) } : {}),
      sites, handedTo: sites.length ? [] : handedTo(c, callNode, index),
      lightning: lightning && !sites.length ? lightningRun(lightning, facts) : null,
      ...(lightning ? { lightningConfig: lightning } : {}),
      ...(noLoop ? { noLoop } : {}),
    };
    if (sites.length !== 1) branchOfSite.delete(c);
  }
  alternating(branchOfSite, facts);
}

/**
 * `if epoch < warmup: warmup_sched.step() else: main_sched.step()` (two schedulers on one optimizer, stepped on the
 * two branches of one `if`): when the test is on the variable of the run's outermost loop and one branch's passes all
 * come first (`epoch < w` / `epoch >= w`), torch runs the other scheduler after those steps, from the lr they leave:
 * marks it (`Stepping.after`). Otherwise the two take turns, and the mark says so (`interleaved`: labelled, not replayed).
 */
function alternating(branchOfSite: Map<FoundCall, SiteCondition & { outer: string | null }>, facts: LoopFacts): void {
  for (const [c, mine] of branchOfSite) {
    if (!c.optimizer?.variable || !c.stepping) continue;
    const ifSt = mine.node.parent;
    if (ifSt?.type !== 'if_statement' || ifSt.childForFieldName('condition')?.id !== mine.node.id) continue;
    const other = [...branchOfSite].find(([d, k]) => d !== c && k.holds !== mine.holds && k.node.id === mine.node.id
      && d.optimizer?.variable === c.optimizer!.variable);
    if (!other) continue;
    const loop = enclosing(ifSt, ['for_statement', 'while_statement', 'function_definition']);
    const outermost = loop?.type === 'for_statement' && !!mine.outer && other[1].outer === mine.outer && facts.loopNodes.get(mine.outer)?.id === loop.id;
    // `v < x` / `x > v`: the passes where it holds come first; `v >= x` / `x <= v`: last.
    const cmp = unparen(mine.node);
    const ops = cmp.children.flatMap((x) => (x && !x.isNamed ? [x.type] : []));
    const [a, b] = kids(cmp);
    const v = outermost ? loop.childForFieldName('left')?.text : undefined;
    const op = cmp.type === 'comparison_operator' && ops.length === 1 && a && b && v ? (a.text === v ? ops[0] : b.text === v ? flip(ops[0]!) : null) : null;
    const trueFirst = op === '<' || op === '<=' ? true : op === '>' || op === '>=' ? false : null;
    if (trueFirst === mine.holds) continue; // this one runs first: its own curve, from its construction
    c.stepping.after = { range: other[0].range, variable: other[0].variable };
    if (trueFirst === null) c.stepping.after.interleaved = shortText(mine.node, 60);
  }
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : op;
}

/**
 * A timm scheduler's `t_in_epochs` (`step_on_epochs` for create_scheduler_v2; create_scheduler's default is per
 * epoch): true unless written False. Null for other families.
 */
function timmStepsPerEpoch(c: FoundCall): boolean | null {
  if (!c.kind.startsWith('timm.')) return null;
  const a = c.args[c.kind === 'timm.create_scheduler_v2' ? 'step_on_epochs' : 't_in_epochs'];
  return !(c.kind !== 'timm.create_scheduler' && a && a.kind === 'bool' && !a.value);
}

/** The argument of `step(x)` / `step(epoch=x)` (not `step()`, not `step(None)`). */
function argNode(call: SyntaxNode): SyntaxNode | null {
  const args = kids(call.childForFieldName('arguments')!);
  if (args.length !== 1) return null;
  const a = args[0]!;
  const v = a.type === 'keyword_argument' ? (a.childForFieldName('name')?.text === 'epoch' ? a.childForFieldName('value') : null) : a;
  return v && unparen(v).type !== 'none' ? v : null;
}

/** A site's conditions (a guard on the scheduler itself aside) and `step(epoch)` argument over the run's loops. */
function countPasses(site: StepSite, conds: SiteCondition[], sched: string, arg: SyntaxNode | null, facts: LoopFacts): void {
  if (site.unseen) return;
  const real = conds.filter((c) => !benignGuard(c, sched));
  if (!real.length && !arg) return;
  // For each loop the run may start at (run.ts picks the innermost that says epoch); a condition around that
  // loop (`if __name__ == "__main__":`) decides whether the run happens, not which passes step.
  const n = site.frames.length;
  const inLoop = (x: SyntaxNode, fr: LoopFrame) => {
    const loop = facts.loopNodes.get(fr.id);
    return !!loop && within(x, loop);
  };
  site.counts = site.frames.map((_, k) => countSite(site.frames.slice(k), real.filter((c) => n - c.inner > k), arg, (x) => facts.free.get(x.id), inLoop));
}

/** The `if` statement whose branches hold `callNode` (its clause too), up to the function around it. */
function branchOf(callNode: SyntaxNode): { ifSt: SyntaxNode; clause: SyntaxNode } | null {
  let child = callNode;
  for (let p = callNode.parent; p && p.type !== 'function_definition' && p.type !== 'module'; child = p, p = p.parent) {
    if (p.type === 'if_statement') return { ifSt: p, clause: child };
    if (p.type === 'for_statement' || p.type === 'while_statement' || p.type === 'lambda') return null;
  }
  return null;
}

/**
 * The step calls on `c.variable` after the `if` whose branches bind it to `c` and to another construction (in the
 * same function): whichever the branches leave there is stepped by them.
 */
function alternativeSteps(c: FoundCall, callNode: SyntaxNode, calls: FoundCall[], facts: LoopFacts, index: FileIndex): SyntaxNode[] {
  const mine = branchOf(callNode);
  if (!mine) return [];
  const others = [...facts.constructions.entries()].filter(([i, n]) => {
    const d = calls[i];
    if (!d || d === c || d.variable !== c.variable) return false;
    const b = branchOf(n);
    return b !== null && b.ifSt.id === mine.ifSt.id && b.clause.id !== mine.clause.id;
  });
  if (!others.length) return [];
  const fn = enclosing(mine.ifSt, ['function_definition']);
  return index.stepCallsOn(c.variable!).filter((s) => at(s) > at(mine.ifSt, true) && (enclosing(s, ['function_definition'])?.id ?? -1) === (fn?.id ?? -1));
}

/** Inside a loop (not only the `for g in opt.param_groups` one), or in a function the file calls from a loop. */
function inTrainingLoop(n: SyntaxNode, index: FileIndex, depth = 0): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'for_statement' && /\.param_groups\b/.test(p.childForFieldName('right')?.text ?? '')) continue;
    if (p.type === 'for_statement' || p.type === 'while_statement') return true;
    if (p.type === 'function_definition') return depth < 3 && index.callersOf(p).slice(0, MAX_SITES).some((c) => inTrainingLoop(c, index, depth + 1));
  }
  return false;
}

/**
 * Code that sets an optimizer's lr besides the schedulers, in the training loop (LR190): `g['lr'] = …` on a param
 * group (a hand-written warm-up, `adjust_learning_rate`), and torch's SWALR stepped there (not previewed).
 * `optimizer`: the optimizer as written when the text names it (`for g in optimizer.param_groups`), else null.
 */
function otherLrWriters(root: SyntaxNode & TreeQueries, text: string, index: FileIndex): (OtherWriter & { optimizer: string | null })[] {
  const out: (OtherWriter & { optimizer: string | null })[] = [];
  if (!/\[\s*['"]lr['"]\s*\]|SWALR/.test(text)) return out;
  const rows = new Positions(text, 'lf');
  const nodeAt = (i: number) => {
    const p = rows.at(i);
    return root.descendantForPosition?.({ row: p.line, column: p.character }) ?? null;
  };
  const re = /\[\s*['"]lr['"]\s*\]\s*(?:[-+*/]?=)(?!=)/g;
  for (let m = re.exec(text); m && out.length < 20; m = re.exec(text)) {
    let st = nodeAt(m.index);
    while (st && st.type !== 'assignment' && st.type !== 'augmented_assignment' && st.type !== 'expression_statement') st = st.parent;
    if (!st || st.type === 'expression_statement' || !inTrainingLoop(st, index)) continue;
    const left = st.childForFieldName('left');
    if (!left || left.type !== 'subscript') continue;
    // `g['lr']` with `for g in optimizer.param_groups`, or `optimizer.param_groups[0]['lr']`.
    const obj = unparen(left.childForFieldName('value') ?? left);
    let groups: string | null = null;
    if (obj.type === 'subscript') groups = obj.childForFieldName('value')?.text ?? null;
    else if (obj.type === 'identifier') {
      // `for g in opt.param_groups`, `for j, x in enumerate(opt.param_groups)`.
      for (let p = st.parent; p; p = p.parent) {
        const target = p.type === 'for_statement' ? p.childForFieldName('left') : null;
        if (target && (target.text === obj.text || kids(target).some((k) => k.text === obj.text))) { groups = p.childForFieldName('right')?.text ?? null; break; }
        if (p.type === 'function_definition') break;
      }
    }
    const g = groups ? /([A-Za-z_][\w.]*)\.param_groups\b/.exec(groups.replace(/\s+/g, '')) : null;
    if (!g) continue;
    const opt = g[1]!;
    // A parameter of the function around the write (`def adjust_learning_rate(optimizer, epoch)`) may be any optimizer.
    const params = enclosing(st, ['function_definition'])?.childForFieldName('parameters');
    const param = !!params && kids(params).some((k) => (k.type === 'identifier' ? k.text : k.childForFieldName('name')?.text ?? kids(k)[0]?.text) === opt.split('.')[0]);
    out.push({ range: rangeOf(st), what: `\`${shortText(st, 60)}\` (line ${lineOf(st)})`, optimizer: param ? null : opt });
  }
  // `swa_scheduler = SWALR(optimizer, …)` stepped in a loop.
  const swa = /([A-Za-z_][\w.]*)\s*=\s*(?:[\w.]*\.)?SWALR\s*\(\s*([A-Za-z_][\w.]*)?/g;
  for (let m = swa.exec(text); m && out.length < 20; m = swa.exec(text)) {
    const steps = index.stepCallsOn(m[1]!).filter((s) => inTrainingLoop(s, index));
    if (!steps.length) continue;
    const s = steps[0]!;
    out.push({
      range: rangeOf(s), optimizer: m[2] ?? null,
      what: `\`${m[1]}\` (torch.optim.swa_utils.SWALR, line ${rows.at(m.index).line + 1}; not previewed by LR Lens), stepped at line ${lineOf(s)}`,
    });
  }
  return out;
}

/**
 * `if (epoch + 1) % 10 == 0:` directly in a loop over epochs: a step every 10 epochs, not gradient accumulation
 * (counted as a condition, loopConditions.ts).
 */
function everyNthEpoch(ifSt: SyntaxNode, cond: string): boolean {
  const loop = enclosing(ifSt, ['for_statement', 'while_statement', 'function_definition']);
  const target = loop?.type === 'for_statement' ? loop.childForFieldName('left') : null;
  return !!target && target.type === 'identifier' && /epoch/i.test(target.text) && new RegExp(`(?<![\\w.])${escapeRe(target.text)}(?!\\w)`).test(cond);
}
