/**
 * V8 flags for the one-shot CLI process (dist/cli.js; never for the library or tests that call main()).
 *
 * Any flag set at run time changes V8's flag hash, and a code cache made under another hash is refused:
 * Node's own built-in modules (compiled from caches made with the default flags) then compile from source,
 * 0.75 → 2.5 ms for zlib, util.parseArgs and readline (Node 20). So every flag here is set only for as long as
 * it is needed and set back afterwards, and the flags are back to the same state whenever the CLI's own code
 * cache is read or written (codeCache.ts).
 *
 * Baseline wasm only (`--no-wasm-tier-up --no-wasm-dynamic-tiering`, the effect of `--liftoff-only`, which
 * cannot be set back: its implications stay): V8 compiles the tree-sitter wasm (runtime 200 KB, a grammar
 * 0.4–1.4 MB) with its baseline compiler only. By default it also optimises the hot functions with TurboFan
 * on background threads, which a process that parses one file and exits does not live to use, and which cost
 * it (measured with `npm run bench`, Node 20, this 2-core machine: `lr-lens analyze` best of 11 went from 306
 * to 154 ms, `node -e 0` being 84 ms). Set just before the first wasm is compiled (main()'s `beforeWasm`).
 * With it `--wasm-lazy-validation`: a function's body is validated when it is first compiled (as before, when
 * first called) rather than all bodies up front; compiling the runtime and the Python grammar took 1.3 instead
 * of 2.2 ms of CPU (best of 12, Node 20). The wasm files are the pinned package's own.
 *
 * `--verify-snapshot-checksum` while the code cache is read or written: V8 then writes a checksum into the
 * cache it produces and checks it before using one (release builds otherwise check only the source's
 * length, V8's version and the flags), so a damaged cache file is refused rather than run. About 0.1 ms.
 */
import { setFlagsFromString } from 'v8';

/** Sets each of `flags` (V8 itself says so on stderr when it does not know one). */
export function setV8Flags(flags: string[]): void {
  for (const flag of flags) {
    try {
      setFlagsFromString(flag);
    } catch {
      // A Node without the flag: the default, only slower to start (or, for the checksum, less guarded).
    }
  }
}

/** Baseline code only, validated lazily, for wasm compiled from now on (true), or V8's defaults again (false). */
export function wasmBaselineOnly(on: boolean): void {
  setV8Flags(on ? ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--wasm-lazy-validation'] : ['--wasm-tier-up', '--wasm-dynamic-tiering', '--no-wasm-lazy-validation']);
}

/** Runs `f` (reading or writing a code cache) with V8's code-cache checksum on. */
export function withVerifiedCache<T>(f: () => T): T {
  setV8Flags(['--verify-snapshot-checksum']);
  try {
    return f();
  } finally {
    setV8Flags(['--no-verify-snapshot-checksum']);
  }
}
