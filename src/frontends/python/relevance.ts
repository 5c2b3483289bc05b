/**
 * Which function bodies the walk can skip. After the module, the walk enters every function body
 * to find the constructions inside (and `.step()` calls on known schedulers). A body can only do
 * either by naming something: a scheduler class, a module-level name that holds one (a dict of
 * classes, a scheduler object, a user function or class that names one…), or a dynamic lookup
 * (`getattr`, `__dict__`…). A body whose text contains none of these words cannot, and walking it
 * (a model's `forward`, a data helper) is most of the walk's time in a long training script.
 *
 * The test looks at every identifier-like word of the body's text, comments and strings included,
 * which only makes it walk more: it never skips a body that names a scheduler.
 */
import { FAMILY_KINDS } from '../../engine/families/signatures';
import { SCHEDULER_KINDS } from '../../engine/signatures';
import type { FuncVal, PyVal, Scope } from './values';
import { isFrozen, TextFact, type SyntaxNode } from './syntax';
import { HF_WORDS } from './hf';

/** Words that let any code reach a scheduler class without spelling its name. */
const DYNAMIC_WORDS = ['lr_scheduler', 'getattr', '__import__', 'import_module', 'eval', 'exec', 'globals', 'locals', 'vars', '__dict__'];

/**
 * The other families' callables by their own name (`get_linear_schedule_with_warmup`, `CosineLRScheduler`,
 * `warmup_cosine_decay_schedule`, `CosineDecay`, `TrainingArguments`…; timm's `scheduler_kwargs` feeds one):
 * a body naming one builds a schedule as surely as one naming `StepLR`. An alias (`import … as gls`) counts
 * through the module-level name that holds it.
 */
const FAMILY_WORDS = [...FAMILY_KINDS.map((k) => k.slice(k.indexOf('.') + 1)), 'scheduler_kwargs'];

/** The words that name a schedule: torch's scheduler classes and the other families' callables (see FAMILY_WORDS). */
export const SCHEDULE_WORDS: ReadonlySet<string> = new Set([...SCHEDULER_KINDS, ...FAMILY_WORDS]);

/** The identifier-like words of a text (Python identifiers are letters, digits and underscores). */
export function namesIn(text: string): Set<string> {
  // In ASCII the letters are A–Z and a–z and the numbers 0–9, so an ASCII text (most source) splits alike on the
  // plain class. The Unicode one costs a one-shot process (the CLI) about 0.3 ms to build on its first use
  // (ICU's letter and number sets), more than splitting a whole file.
  return new Set(NON_ASCII.test(text) ? text.split(/[^\p{L}\p{N}_]+/u) : text.split(/[^A-Za-z0-9_]+/));
}
const NON_ASCII = /[^\x00-\x7f]/;

/** Words of a frozen node's text: kept with the node (a frozen copy outlives an edit elsewhere in the file). Not to be modified. */
const wordsCache = new WeakMap<SyntaxNode, ReadonlySet<string>>();

/** `namesIn(node.text)`, cached for frozen nodes (their text never changes). */
export function wordsOfNode(node: SyntaxNode): ReadonlySet<string> {
  if (!isFrozen(node)) return namesIn(node.text);
  let w = wordsCache.get(node);
  if (!w) wordsCache.set(node, (w = namesIn(node.text)));
  return w;
}

/**
 * Each word's number, for counting words in an array (`WordCounts`); cleared (and the numbers a node kept with it
 * forgotten: `generation`) only when it grew large and no walk is counting.
 */
const wordIds = new Map<string, number>();
let generation = 0;
const MAX_WORD_IDS = 1 << 20;
/** Walks counting words now (`WordCounts.begin`/`end`): while one is, the numbers stay as they are. */
let counting = 0;

/** The numbers of a node's words (`words`: `wordsOfNode(node)`), kept with a frozen node for the numbers' generation. */
const WORD_NUMBERS = new TextFact((): { generation: number; ids: Int32Array } => ({ generation: -1, ids: new Int32Array(0) }));
function wordNumbersOf(node: SyntaxNode, words: ReadonlySet<string>): Int32Array {
  const kept = WORD_NUMBERS.of(node);
  if (kept.generation !== generation) {
    const ids = new Int32Array(words.size);
    let i = 0;
    for (const w of words) {
      let id = wordIds.get(w);
      if (id === undefined) wordIds.set(w, (id = wordIds.size));
      ids[i++] = id;
    }
    kept.ids = ids;
    kept.generation = generation;
  }
  return kept.ids;
}

/**
 * How many of a changing set of nodes name each word (`wordsOfNode`): the walk's pending functions. Counted in
 * an array by the words' numbers (a function's are kept with its node), not by the words in a map.
 */
export class WordCounts {
  private counts = new Int32Array(0);

  /** Before a walk counts: the numbers may be renewed now (never while another walk counts). */
  static begin(): void {
    if (counting === 0 && wordIds.size > MAX_WORD_IDS) {
      wordIds.clear();
      generation++;
    }
    counting++;
  }
  static end(): void {
    counting--;
  }

  /** Counts `node`'s words (`words`: `wordsOfNode(node)`, as the caller keeps it) once more (1) or once less (-1). */
  add(node: SyntaxNode, words: ReadonlySet<string>, sign: 1 | -1): void {
    const ids = wordNumbersOf(node, words);
    let c = this.counts;
    if (c.length < wordIds.size) {
      c = new Int32Array(Math.max(wordIds.size, 2 * c.length, 256));
      c.set(this.counts);
      this.counts = c;
    }
    for (let i = 0; i < ids.length; i++) c[ids[i]!]! += sign;
  }

  /** How many of the nodes name `word`. */
  get(word: string): number {
    const id = wordIds.get(word);
    return id === undefined || id >= this.counts.length ? 0 : this.counts[id]!;
  }
}

/** How deep module-level values are searched (dicts of dicts of classes…). */
const MAX_DEPTH = 6;

/** A function the walk would enter; methods carry their class. */
export interface BodyToWalk {
  fn: FuncVal;
  cls: PyVal | null;
}

export class Relevance {
  private readonly words = new Set<string>([...SCHEDULE_WORDS, ...DYNAMIC_WORDS]);
  /** Function node id → walk it. Functions first seen after `prepare` (nested defs) are walked. */
  private readonly verdicts = new Map<number, boolean>();
  private readonly relevantClasses = new Set<PyVal>();

  /** Decides for every function known once the module has been walked (a fixpoint over names). */
  prepare(bodies: readonly BodyToWalk[], module: Scope, wordsOf: (fn: FuncVal) => ReadonlySet<string> = (fn) => wordsOfNode(fn.node)): void {
    // Each body's words by number (`wordsOfNode`'s, kept with its node), and the words that matter flagged by
    // number: the fixpoint below asks every body again on each round.
    const names = bodies.map((b) => wordNumbersOf(b.fn.node, wordsOf(b.fn)));
    this.flagged = new Uint8Array(wordIds.size);
    for (const w of this.words) this.flag(w);
    // A Hugging Face Trainer builds its schedule from the TrainingArguments it is given (hf.ts).
    for (const w of HF_WORDS) this.addWord(w);
    const methodsOf = new Map<PyVal, BodyToWalk[]>();
    for (const b of bodies) {
      this.verdicts.set(b.fn.node.id, false);
      if (!b.cls) continue;
      const methods = methodsOf.get(b.cls);
      if (methods) methods.push(b);
      else methodsOf.set(b.cls, [b]);
    }
    const mark = (b: BodyToWalk) => {
      this.verdicts.set(b.fn.node.id, true);
      this.addWord(b.fn.name);
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, v] of module.vars) {
        if (!this.words.has(name) && this.holdsRelevant(v, 0)) {
          this.addWord(name);
          changed = true;
        }
      }
      bodies.forEach((b, i) => {
        if (this.verdicts.get(b.fn.node.id) || !this.mentionsFlagged(names[i]!)) return;
        changed = true;
        mark(b);
        // One relevant method: the class is walked whole (`__init__` sets what the others read).
        if (b.cls && !this.relevantClasses.has(b.cls)) {
          this.relevantClasses.add(b.cls);
          if (b.cls.k === 'class') this.addWord(b.cls.name);
          for (const m of methodsOf.get(b.cls) ?? []) mark(m);
        }
      });
    }
  }

  /**
   * Whether the walk should enter `fn`'s body; `passed`: the arguments the walk's calls gave it. A body
   * that names nothing relevant still steps the scheduler it was handed (`def train(…, sched)`).
   */
  walk(fn: FuncVal, passed: ReadonlyMap<string, PyVal> | null = null): boolean {
    if (this.verdicts.get(fn.node.id) ?? true) return true;
    for (const v of passed?.values() ?? []) if (this.holdsRelevant(v, 0)) return true;
    return false;
  }

  /** The words of `words` by number (`prepare`): set when a word is added, if a body names it. */
  private flagged = new Uint8Array(0);

  private addWord(w: string): void {
    this.words.add(w);
    this.flag(w);
  }

  private flag(w: string): void {
    const id = wordIds.get(w);
    // A word no body names has no number yet (every body's words were numbered at the start of `prepare`).
    if (id !== undefined && id < this.flagged.length) this.flagged[id] = 1;
  }

  /** `mentions` of a body's words by number. */
  private mentionsFlagged(ids: Int32Array): boolean {
    for (let i = 0; i < ids.length; i++) if (this.flagged[ids[i]!]) return true;
    return false;
  }

  private mentions(names: ReadonlySet<string>): boolean {
    for (const n of names) if (this.words.has(n)) return true;
    return false;
  }

  /** A value through which code could reach a scheduler (or step one). */
  private holdsRelevant(v: PyVal, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    switch (v.k) {
      case 'scheduler': return true;
      case 'ref': return this.words.has(v.path.slice(v.path.lastIndexOf('.') + 1));
      // A partial or a bound method is a copy of the function value: judged by its node; a lambda (never
      // a body to walk, so not judged) by its own text.
      case 'func': {
        const verdict = this.verdicts.get(v.node.id);
        return verdict ?? this.mentions(wordsOfNode(v.node));
      }
      // A subclass of a scheduler (`class WarmupCosineSchedule(LambdaLR)`) builds one without naming it in its body.
      case 'class':
        return this.relevantClasses.has(v) || this.words.has(v.name) || this.anyRelevant(v.attrs.values(), depth + 1)
          || this.anyRelevant(v.bases ?? [], depth + 1);
      case 'ns':
        return this.words.has(v.typeName) || (v.cls !== undefined && this.relevantClasses.has(v.cls)) ||
          this.anyRelevant(v.attrs.values(), depth + 1);
      case 'list': return v.items.some((x) => this.holdsRelevant(x, depth + 1));
      case 'dict': return v.entries.some(([, x]) => this.holdsRelevant(x, depth + 1));
      default: return false;
    }
  }

  /** Whether one of `vs` holds something relevant (the fixpoint asks this of every module value: no copies). */
  private anyRelevant(vs: Iterable<PyVal>, depth: number): boolean {
    for (const x of vs) if (this.holdsRelevant(x, depth)) return true;
    return false;
  }
}
