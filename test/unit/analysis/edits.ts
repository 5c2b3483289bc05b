/**
 * Random, realistic edits of a script, as typing makes them: characters typed and deleted, lines deleted and
 * duplicated, numbers changed, syntax broken (a bracket, a colon removed) and fixed again. Seeded: the same
 * sequence every run (with test/unit/rng.ts's generator).
 */

const TYPED = ['0', '1', '5', '9', '.', ',', ' ', '(', ')', '[', ']', ':', '=', '\n', '    ', 'x', '_', '#', '"', 'é', '😀', 'lr', 'e-3'];

/** `text` after one random edit. `original` is the text the sequence started from (an edit may restore a line of it). */
export function randomEdit(text: string, original: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const at = (n: number) => Math.floor(r() * (n + 1));
  const lines = text.split('\n');
  switch (Math.floor(r() * 8)) {
    case 0: case 1: { // type something
      const i = at(text.length);
      return text.slice(0, i) + pick(TYPED) + text.slice(i);
    }
    case 2: { // delete 1–3 characters (never half of a surrogate pair)
      let i = at(Math.max(0, text.length - 1));
      let j = Math.min(text.length, i + 1 + Math.floor(r() * 3));
      if (i > 0 && /[\udc00-\udfff]/.test(text[i]!)) i--;
      if (j < text.length && /[\udc00-\udfff]/.test(text[j]!)) j++;
      return text.slice(0, i) + text.slice(j);
    }
    case 3: { // delete a line
      const k = Math.floor(r() * lines.length);
      return [...lines.slice(0, k), ...lines.slice(k + 1)].join('\n');
    }
    case 4: { // duplicate a line
      const k = Math.floor(r() * lines.length);
      return [...lines.slice(0, k + 1), lines[k]!, ...lines.slice(k + 1)].join('\n');
    }
    case 5: { // change a digit
      const digits = [...text.matchAll(/\d/g)].map((m) => m.index!);
      if (!digits.length) return text + '1';
      const i = pick(digits);
      return text.slice(0, i) + String((Number(text[i]) + 1 + Math.floor(r() * 8)) % 10) + text.slice(i + 1);
    }
    case 6: { // break the syntax: drop a bracket or a colon
      const marks = [...text.matchAll(/[()[\]:]/g)].map((m) => m.index!);
      if (!marks.length) return text;
      const i = pick(marks);
      return text.slice(0, i) + text.slice(i + 1);
    }
    default: { // fix it again: back to the original text
      return original;
    }
  }
}
