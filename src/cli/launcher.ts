/**
 * dist/cli.js, the `lr-lens` command: start-up work in proportion to the job.
 *   1. `--liftoff-only` before any wasm is compiled (startup.ts);
 *   2. the CLI itself (dist/cli-main.js, the bundle of cli.ts) compiled with V8's code cache (codeCache.ts);
 *      the render code (dist/cli-plot.js) is loaded by it only for `plot`, and the grammar only for the
 *      file's language (src/frontends/parser.ts loads grammars lazily).
 * Everything here falls back to a plain compile: the cache can make start-up faster, never break it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRequire, wrap } from 'module';
import { Script } from 'vm';
import { cacheFileFor, codeCacheDir, readCache, writeCache } from './codeCache';
import { tuneForOneShot } from './startup';

type Main = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

function load(file: string): { main: Main; script: Script; cacheFile?: string; cached?: Buffer } {
  const bytes = fs.readFileSync(file);
  const source = bytes.toString('utf8').replace(/^#!.*/, '');
  const dir = codeCacheDir();
  const cacheFile = dir ? cacheFileFor(dir, file, bytes) : undefined;
  const cached = cacheFile ? readCache(cacheFile) : undefined;
  const script = new Script(wrap(source), { filename: file, cachedData: cached });
  const fn = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const module = { exports: {} as { main?: Main }, filename: file, id: file, loaded: false };
  fn.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (typeof module.exports.main !== 'function') throw new Error(`${file} has no main()`);
  return { main: module.exports.main, script, cacheFile, cached: script.cachedDataRejected ? undefined : cached };
}

function run(): void {
  tuneForOneShot();
  const loaded = load(path.join(__dirname, 'cli-main.js'));
  loaded.main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then(
    (code) => {
      process.exitCode = code;
      // After the run: the cache then holds the functions this run compiled, not only the top level.
      if (loaded.cacheFile && !loaded.cached) writeCache(loaded.cacheFile, loaded.script.createCachedData());
    },
    (e) => {
      process.stderr.write(`lr-lens: internal error: ${(e as Error)?.message ?? e}\n`);
      process.exitCode = 3;
    },
  );
}

run();
