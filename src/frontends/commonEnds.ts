/**
 * The common prefix and suffix of two texts (an edit's unchanged ends), found a block at a time: comparing two
 * substrings is a native comparison of their characters, many times faster than a `charCodeAt` loop in JS, and an
 * edit leaves most of a file on either side of it (a 170,000-character file: about 0.05 ms instead of 0.8 ms).
 * The lengths are the ones a character-by-character scan finds.
 */

/** Block sizes tried in turn, largest first; the last, 1, settles the exact boundary. */
const BLOCKS = [4096, 256, 16, 1];

/** The length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let prefix = 0;
  for (const size of BLOCKS) {
    while (prefix + size <= n && a.substring(prefix, prefix + size) === b.substring(prefix, prefix + size)) prefix += size;
  }
  return prefix;
}

/** The length of the longest common suffix of `a` and `b`, at most `most`. */
export function commonSuffix(a: string, b: string, most: number): number {
  const al = a.length;
  const bl = b.length;
  const n = Math.min(most, al, bl);
  let suffix = 0;
  for (const size of BLOCKS) {
    while (suffix + size <= n && a.substring(al - suffix - size, al - suffix) === b.substring(bl - suffix - size, bl - suffix)) suffix += size;
  }
  return suffix;
}
