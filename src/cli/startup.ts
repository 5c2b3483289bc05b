/**
 * Start-up settings for the one-shot CLI process (not for the library or tests that call main()).
 *
 * `--liftoff-only`: V8 compiles the tree-sitter wasm (runtime 200 KB, a grammar 0.4–1.4 MB) with its baseline
 * compiler only. By default it also optimises it with TurboFan on background threads, which a process that
 * parses one file and exits does not live to use, and which cost it (measured with `npm run bench`, Node 20,
 * this 2-core machine: `lr-lens analyze` best of 11 went from 306 to 154 ms, `node -e 0` being 84 ms).
 * The flag is set before any wasm is compiled (the grammars load lazily, on the first parse).
 */
import { setFlagsFromString } from 'v8';

export function tuneForOneShot(): void {
  try {
    setFlagsFromString('--liftoff-only');
  } catch {
    // A Node without the flag: the default tiering, only slower to start.
  }
}
