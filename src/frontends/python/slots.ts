/**
 * Writes to shared objects: an attribute (`args.epochs = 10`), a dict key (`config["num_epochs"] = 2`),
 * a list item (`milestones[0] = 30`). Names live in a scope's VarMap, which journals its writes so the
 * walker can fork at a branch; objects are mutated in place, so their writes go through `SlotJournals`,
 * which records each slot's value before the first write of a fork. The walker then treats a slot as it
 * treats a name: undone after a branch not taken, merged after a branch on an unknown condition
 * (unknown when the paths leave it different), labelled after a branch chosen by assumed values.
 */
import type { PyVal } from './values';

/** One writable place in a shared object. `box` (the attrs map, dict entries, list items) and `key` identify it. */
export interface Slot {
  readonly box: object;
  readonly key: string;
  /** How the source names it (`config["num_epochs"]`), for reasons. */
  readonly label: string;
  /** The value now; undefined when absent (an attribute or key not set). */
  get(): PyVal | undefined;
  /** Writes a value; undefined removes the attribute or key. */
  set(v: PyVal | undefined): void;
}

/** A slot written since a journal was opened, with its value before the first write. */
export interface SlotChange { slot: Slot; before: PyVal | undefined }

/** Journals of slot writes, nested as the walker's forks are. */
export class SlotJournals {
  private readonly journals: Map<object, Map<string, SlotChange>>[] = [];

  /** Starts recording the previous values of the slots written from now on. */
  open(): void {
    this.journals.push(new Map());
  }

  /** Stops recording; returns the slots written since `open()`, in order of first write. */
  close(): SlotChange[] {
    const j = this.journals.pop();
    return j ? [...j.values()].flatMap((m) => [...m.values()]) : [];
  }

  /** Writes `v` into `slot`, noting the old value in every open journal (and in `undo`, when previewing a branch). */
  write(slot: Slot, v: PyVal | undefined, undo: (() => void)[] | null): void {
    const before = slot.get();
    for (const j of this.journals) {
      let m = j.get(slot.box);
      if (!m) j.set(slot.box, (m = new Map()));
      if (!m.has(slot.key)) m.set(slot.key, { slot, before });
    }
    if (undo) undo.push(() => slot.set(before));
    slot.set(v);
  }
}

/** Puts every changed slot back to its value before the fork (latest first). */
export function rollBack(changes: SlotChange[]): void {
  for (let i = changes.length - 1; i >= 0; i--) changes[i]!.slot.set(changes[i]!.before);
}

/** What one fork did to the slots: each slot it wrote, with its value before the fork and after it. */
export type SlotFork = (SlotChange & { after: PyVal | undefined })[];

/** Closes the journal opened before a fork, records what the fork left and rolls it back. */
export function endFork(journals: SlotJournals): SlotFork {
  const changes = journals.close();
  const fork = changes.map((c) => ({ ...c, after: c.slot.get() }));
  rollBack(changes);
  return fork;
}

/**
 * Merges forks that started from the same state, as the walker merges names: a slot every fork leaves
 * the same keeps that value; one they leave different becomes `differ(label)` (unknown, with the reason).
 */
export function mergeSlots(forks: SlotFork[], differ: (label: string) => PyVal, same: (a: PyVal, b: PyVal) => boolean): void {
  const bySlot = new Map<object, Map<string, { slot: Slot; before: PyVal | undefined; after: Map<number, PyVal | undefined> }>>();
  forks.forEach((fork, i) => {
    for (const c of fork) {
      let m = bySlot.get(c.slot.box);
      if (!m) bySlot.set(c.slot.box, (m = new Map()));
      let e = m.get(c.slot.key);
      if (!e) m.set(c.slot.key, (e = { slot: c.slot, before: c.before, after: new Map() }));
      e.after.set(i, c.after);
    }
  });
  for (const m of bySlot.values()) {
    for (const { slot, before, after } of m.values()) {
      const vals = forks.map((_, i) => (after.has(i) ? after.get(i) : before));
      const first = vals[0];
      if (vals.every((v) => v === first || (v !== undefined && first !== undefined && same(v, first)))) slot.set(first);
      else slot.set(differ(slot.label));
    }
  }
}

/** Puts back what a fork left (the one path that continues when the others left the block). */
export function reapply(fork: SlotFork): void {
  for (const c of fork) c.slot.set(c.after);
}

/** An attribute of an instance, namespace or class. */
export function attrSlot(attrs: Map<string, PyVal>, attr: string, label: string): Slot {
  return {
    box: attrs, key: attr, label,
    get: () => attrs.get(attr),
    set: (v) => (v === undefined ? attrs.delete(attr) : attrs.set(attr, v)),
  };
}

/** A key of a dict (`matches`: Python's key equality; `key`: a canonical form of the key). */
export function dictSlot(entries: [PyVal, PyVal][], keyVal: PyVal, key: string, matches: (k: PyVal) => boolean, label: string): Slot {
  return {
    box: entries, key, label,
    get: () => entries.find(([k]) => matches(k))?.[1],
    set: (v) => {
      const i = entries.findIndex(([k]) => matches(k));
      if (v === undefined) {
        if (i >= 0) entries.splice(i, 1);
      } else if (i >= 0) entries[i]![1] = v;
      else entries.push([keyVal, v]);
    },
  };
}

/** An existing item of a list. */
export function listSlot(items: PyVal[], i: number, label: string): Slot {
  return {
    box: items, key: String(i), label,
    get: () => items[i],
    set: (v) => { if (v !== undefined && i < items.length) items[i] = v; },
  };
}

/**
 * A list's whole contents, as `append` / `extend` change them (read as a list value). Contents the paths
 * leave different become one unknown item carrying the reason, so whatever reads the list (`len`, a
 * milestones argument) is unknown with it.
 */
export function listItems(items: PyVal[], label: string): Slot {
  return {
    box: items, key: '[]', label,
    get: () => ({ k: 'list', items: [...items], tuple: false }),
    set: (v) => {
      if (v === undefined) return;
      items.splice(0, items.length, ...(v.k === 'list' ? v.items : [v]));
    },
  };
}
