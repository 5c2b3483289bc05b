/**
 * The Python frontend's part of a document's incremental state (src/analysis/incremental.ts keeps one per
 * document): the file as plain JS nodes (syntax.ts `FrozenNode`), kept between edits. The walk reads every node
 * many times, and each read of a web-tree-sitter node goes through wasm; a frozen copy is read as plain objects.
 * Copying a whole file costs about what walking it costs, so an edit copies only the top-level statements it
 * changed: the others are the previous copies, moved to their new offsets.
 *
 * The result is the same as on the live tree (test/unit/frontends/python-frozen-file.test.ts): a statement is taken
 * over only when its text, type and extent are unchanged and, in both versions of the file, it comes before the
 * first top-level statement with a syntax error (before it, every top-level statement starts in the same parser
 * state, so its subtree depends on its text alone; what follows an error may have been parsed from another state,
 * and is copied again); a file the copy would cut (nested deeper than a frozen function may be) is walked live.
 */
import type { Tree } from '@vscode/tree-sitter-wasm';
import { commonPrefix, commonSuffix } from '../commonEnds';
import { FrozenNode, Loc, Source, freezeExactly, type SyntaxNode } from './syntax';

/** What the last copy did (for tests and the bench): statements copied from the tree, statements taken over. */
export interface CopyStats {
  copied: number;
  kept: number;
}

export class FrozenFile {
  /** The last copy, and where its first top-level statement with a syntax error starts (Infinity: none). */
  private prev: { text: string; root: FrozenNode; clean: number } | null = null;
  private nextId = 1;
  stats: CopyStats = { copied: 0, kept: 0 };

  /** Whether a document's analysis has been asked for before (see `forWalk`). */
  private asked = false;

  /**
   * What the walk reads: the first analysis of a document walks the live tree (a whole copy costs about as much
   * as the walk saves: opening a file is not made slower), later ones the copy (`root`). A copy made in between
   * (`prepare`, when the analysing thread is idle) is used as the previous one.
   */
  forWalk(tree: Tree, text: string): FrozenNode | null {
    if (!this.prev && !this.asked) {
      this.asked = true;
      return null;
    }
    return this.root(tree, text);
  }

  /** Copies `tree` now, if there is no copy yet, so that the next analysis only copies what its edit changed. */
  prepare(tree: Tree, text: string): void {
    if (!this.prev) this.root(tree, text);
  }

  /**
   * The file `tree` of `text` as frozen nodes (the previous copy's unchanged statements reused), or null when it
   * is walked live (nested too deeply). Synchronous: a concurrent analysis cannot interleave.
   */
  root(tree: Tree, text: string): FrozenNode | null {
    const prev = this.prev;
    // Taken: the previous copy's statements move into this one (a failure below leaves nothing half-moved behind).
    this.prev = null;
    this.stats = { copied: 0, kept: 0 };
    const live = tree.rootNode;
    const errors = live.hasError;
    const source = new Source(text);
    const nextId = () => this.nextId++;
    const root = new FrozenNode(nextId(), live.type, true, new Loc(source), live.startIndex, live.endIndex);
    // The changed span: what lies before `a` and from `b` (new text; `b - delta` in the old) is unchanged.
    const old = prev ? byStart(prev.root) : null;
    let a = 0;
    let delta = 0;
    let b = text.length;
    // Whether the changed span holds as many line breaks after the edit as before (typing within a line does).
    let sameRows = false;
    if (prev) {
      const o = prev.text;
      a = commonPrefix(o, text);
      delta = text.length - o.length;
      b = text.length - commonSuffix(o, text, Math.min(o.length, text.length) - a);
      sameRows = lineBreaks(o, a, b - delta) === lineBreaks(text, a, b);
    }
    const stats: CopyStats = { copied: 0, kept: 0 };
    let clean = Infinity;
    const cursor = live.walk();
    try {
      for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
        const s = cursor.startIndex;
        const e = cursor.endIndex;
        const type = cursor.nodeType;
        if (errors && clean === Infinity && (type === 'ERROR' || cursor.currentNode.hasError)) clean = s;
        // Unchanged text: wholly before the changed span, or wholly after it; before the first error on both sides.
        const shift = s >= clean ? null : e <= a ? 0 : s >= b ? delta : null;
        const was = shift !== null && prev && s - shift < prev.clean ? old?.get(s - shift) : undefined;
        if (was && was.type === type && was.endIndex === e - shift!) {
          // Its rows and columns are the same as before it moved when it lies before the changed span, or after it
          // on a line that starts after it (a line break of the unchanged text between them) with as many line
          // breaks before it as before: each of its nodes' row counts the same breaks, and its column is counted from
          // a line start that moved with it.
          was.move(source, shift!, e <= a || (sameRows && s > 0 && text.lastIndexOf('\n', s - 1) >= b));
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
    this.prev = { text, root, clean };
    return root;
  }

  /** Forgets the copy (a failed copy, a disposed document). */
  clear(): void {
    this.prev = null;
  }
}

/** How many `\n` (tree-sitter's row breaks) `text` holds from `from` to `to`. */
function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function byStart(root: FrozenNode): Map<number, FrozenNode> {
  const m = new Map<number, FrozenNode>();
  for (const c of root.children) m.set(c.startIndex, c);
  return m;
}
