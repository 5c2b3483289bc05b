/**
 * dist/cli.js, the `lr-lens` command: start-up work in proportion to the job.
 *   1. V8 flags for a one-shot process, each only while it is needed (startup.ts);
 *   2. the CLI itself (dist/cli-main.js, the bundle of cli.ts) compiled with V8's code cache (codeCache.ts);
 *      the render code (dist/cli-plot.js) is loaded by it only for `plot`, the config-file parsers only when a
 *      config file is read, and the grammar only for the file's language (parser.ts loads grammars lazily);
 *   3. the report written straight to the descriptor (stdio.ts).
 * Everything here falls back to a plain compile: the cache can make start-up faster, never break it.
 */
import * as path from 'path';
import { codeCacheDir, requireCached } from './codeCache';
import { wasmBaselineOnly } from './startup';
import { descriptorWriter } from './stdio';
import { startTrace } from './trace';

type Main = typeof import('./cli').main;

function run(): void {
  const trace = startTrace();
  const cacheDir = codeCacheDir();
  const loaded = requireCached(path.join(__dirname, 'cli-main.js'), cacheDir);
  const chunks = [loaded];
  trace?.mark(`bundle (cache ${loaded.cache})`);
  const main = loaded.exports.main as Main;
  if (typeof main !== 'function') throw new Error('dist/cli-main.js has no main()');
  const hooks = {
    beforeWasm: () => wasmBaselineOnly(true),
    mark: trace?.mark,
    requireChunk: (file: string) => {
      const chunk = requireCached(path.join(__dirname, file), cacheDir);
      chunks.push(chunk);
      return chunk.exports;
    },
  };
  const argv = process.argv.slice(2);
  main(argv, descriptorWriter(1, () => process.stdout), (s) => process.stderr.write(s), hooks).then(
    (code) => {
      process.exitCode = code;
      wasmBaselineOnly(false);
      // After the run: the cache then holds the functions this run compiled, not only the top level. Only
      // after a run that analysed something: a cache made by `--help` or a usage error would hold little, and a
      // cache that is used is never written again.
      const analysed = (code === 0 || code === 1) && (argv[0] === 'analyze' || argv[0] === 'plot') &&
        !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
      if (analysed) for (const chunk of chunks) chunk.save();
      if (trace) {
        trace.mark('cache saved');
        process.stderr.write(trace.line());
      }
      // Nothing left to do or to write (the report went straight to the descriptor; no stream, handle or
      // request is open): end now rather than tear the heap and the wasm memory down.
      if (process.getActiveResourcesInfo().length === 0) process.exit(code);
    },
    (e) => {
      process.stderr.write(`lr-lens: internal error: ${(e as Error)?.message ?? e}\n`);
      process.exitCode = 3;
    },
  );
}

run();
