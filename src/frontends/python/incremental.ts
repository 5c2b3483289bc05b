/**
 * The Python frontend's part of a document's incremental state (src/analysis/incremental.ts keeps one per
 * document): the file as plain JS nodes (syntax.ts `FrozenNode`), kept between edits. The walk reads every node
 * many times, and each read of a web-tree-sitter node goes through wasm; a frozen copy is read as plain objects.
 * Copying a whole file costs about what walking it costs, so an edit copies only the top-level statements it
 * changed: the others are the previous copies, moved to their new offsets.
 *
 * The result is the same as on the live tree (test/unit/frontends/python/frozenWalk.test.ts): a statement is taken
 * over only when neither version of the file has a syntax error (then a top-level statement's subtree depends on
 * its text alone: every one starts in the same parser state) and its text and extent are unchanged; a file the
 * copy would cut (nested deeper than a frozen function may be) is walked live.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import { FrozenNode, Loc, Source, freezeExactly, type SyntaxNode } from './syntax';

/** What the last copy did (for tests and the bench): statements copied from the tree, statements taken over. */
export interface CopyStats {
  copied: number;
  kept: number;
}

export class FrozenFile {
  private prev: { text: string; root: FrozenNode } | null = null;
  private nextId = 1;
  stats: CopyStats = { copied: 0, kept: 0 };

  /**
   * The file `tree` of `text` as frozen nodes (the previous copy's unchanged statements reused), or null when it
   * is walked live (a syntax error, nested too deeply). Synchronous: a concurrent analysis cannot interleave.
   */
  root(tree: Tree, text: string): FrozenNode | null {
    const prev = this.prev;
    // Taken: the previous copy's statements move into this one (a failure below leaves nothing half-moved behind).
    this.prev = null;
    this.stats = { copied: 0, kept: 0 };
    const live = tree.rootNode;
    if (live.hasError) return null;
    const source = new Source(text);
    const nextId = () => this.nextId++;
    const root = new FrozenNode(nextId(), live.type, true, new Loc(source), live.startIndex, live.endIndex);
    // The changed span: what lies before `a` and from `b` (new text; `b - delta` in the old) is unchanged.
    const old = prev ? byStart(prev.root) : null;
    let a = 0;
    let delta = 0;
    let b = text.length;
    if (prev) {
      const o = prev.text;
      const n = Math.min(o.length, text.length);
      while (a < n && o.charCodeAt(a) === text.charCodeAt(a)) a++;
      delta = text.length - o.length;
      let e = 0;
      while (e < n - a && o.charCodeAt(o.length - 1 - e) === text.charCodeAt(text.length - 1 - e)) e++;
      b = text.length - e;
    }
    const stats: CopyStats = { copied: 0, kept: 0 };
    const cursor = live.walk();
    try {
      for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
        const s = cursor.startIndex;
        const e = cursor.endIndex;
        const type = cursor.nodeType;
        // Unchanged text: wholly before the changed span, or wholly after it.
        const shift = e <= a ? 0 : s >= b ? delta : null;
        const was = shift !== null ? old?.get(s - shift) : undefined;
        if (was && was.type === type && was.endIndex === e - shift!) {
          was.move(source, shift!);
          root.adopt(was);
          stats.kept++;
          continue;
        }
        const copy = freezeExactly(cursor.currentNode as unknown as SyntaxNode, source, nextId, 1);
        if (!copy) return null;
        root.adopt(copy);
        stats.copied++;
      }
    } finally {
      cursor.delete();
    }
    this.stats = stats;
    this.prev = { text, root };
    return root;
  }

  /** Forgets the copy (a file walked live, a disposed document). */
  clear(): void {
    this.prev = null;
  }
}

function byStart(root: FrozenNode): Map<number, FrozenNode> {
  const m = new Map<number, FrozenNode>();
  for (const c of root.children) m.set(c.startIndex, c);
  return m;
}
