/**
 * `lr-lens`: the command line. Reuses the engine and the language layer.
 *
 *   lr-lens analyze FILE [--steps N] [--json] [--fail-on warning|error] [--assumed-lr X] [--root DIR]
 *   lr-lens plot FILE --out curve.svg|curve.png [--steps N] [--scheduler NAME|LINE] [--log] [--width W --height H]
 *
 * Exit codes (also in USAGE and README): 0 analysed or plotted, 1 `--fail-on` matched, 2 usage error or a file
 * that cannot be read or plotted, 3 internal error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs as parseCommandLine } from 'node:util';
import { analyze } from '../analysis/analyze';
import { concatCells, ipynbCodeCells } from '../frontends/notebook';
import { findGrammarDir } from '../frontends/nodeGrammars';
import { setGrammarLoader, type GrammarLoader } from '../frontends/parser';
import type { AnalysisResult, AnalyzeOptions, Diagnostic, Range, SchedulerAnalysis } from '../analysis/types';
import { describeRuleError } from '../lint';
import { formatJson, formatText } from './format';
import { isUsageError, UsageError } from './errors';
import { loadPlot } from './plotLoader';
import { wasmBaselineOnly } from './startup';
import type { Mark } from './trace';
import { defaultRoot, nodeHost, toPosix } from './workspace';

/** The exit codes, one place: main() returns them, USAGE and README list them. */
export const EXIT = { ok: 0, failOn: 1, usage: 2, internal: 3 } as const;

const USAGE = `Usage:
  lr-lens analyze FILE [--steps N] [--steps-per-epoch N] [--json] [--fail-on warning|error] [--assumed-lr LR] [--root DIR]
  lr-lens plot FILE --out curve.svg|curve.png [--steps N] [--steps-per-epoch N] [--scheduler NAME|LINE] [--log] [--width W] [--height H] [--root DIR]
  lr-lens --help | --version

FILE is a Python (.py), notebook (.ipynb), TypeScript or JavaScript file. Nothing in it is executed.
  --steps N        values per param group (value k = lr after k calls of step()); default: what the arguments imply
  --steps-per-epoch N  batches per epoch to assume for a per-batch scheduler whose loop length is not known (default 100)
  --json           machine-readable output (see README, "Command line")
  --fail-on LEVEL  exit 1 when a diagnostic of LEVEL (warning: warnings or errors) exists
  --assumed-lr LR  lr to assume when the optimizer's lr cannot be resolved (default 0.1)
  --root DIR       the repository's root: imports of its modules and its config files are read from there
                   (default: the nearest folder up from FILE holding .git, pyproject.toml, setup.py or setup.cfg,
                   else FILE's folder)
  --out FILE       plot: the image to write, .svg or .png
  --scheduler S    plot only the scheduler assigned to S, or the one on line S (1-based)
  --log            plot: logarithmic y axis
  --width W, --height H  plot: image size in pixels

Exit codes:
  ${EXIT.ok}  analysed (whatever was found), plot written, --help or --version
  ${EXIT.failOn}  --fail-on matched: a diagnostic of that level exists
  ${EXIT.usage}  usage error (unknown option, missing value, bad FILE), or FILE cannot be read or has nothing to plot
  ${EXIT.internal}  internal error in lr-lens (please report it)`;

interface Options {
  command: 'analyze' | 'plot';
  file: string;
  steps?: number;
  stepsPerEpoch?: number;
  json: boolean;
  failOn?: 'warning' | 'error';
  assumedLr?: number;
  out?: string;
  scheduler?: string;
  log: boolean;
  width?: number;
  height?: number;
  root?: string;
}

/** The options of both commands (node:util parseArgs: strict, so anything else is a usage error). */
const OPTIONS = {
  steps: { type: 'string' },
  'steps-per-epoch': { type: 'string' },
  json: { type: 'boolean' },
  'fail-on': { type: 'string' },
  'assumed-lr': { type: 'string' },
  out: { type: 'string' },
  scheduler: { type: 'string' },
  log: { type: 'boolean' },
  width: { type: 'string' },
  height: { type: 'string' },
  root: { type: 'string' },
} as const;

export function parseArgs(argv: string[]): Options | 'help' | 'version' {
  // --help and --version win wherever they stand, as in most tools.
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'analyze' && command !== 'plot') throw new UsageError(`unknown command '${command}'`);
  const { values: v, positionals } = readCommandLine(rest);
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'one FILE at a time' : 'FILE is missing');
  const o: Options = { command, file: positionals[0]!, json: v.json ?? false, log: v.log ?? false, out: v.out, scheduler: v.scheduler };
  if (v.root !== undefined) o.root = v.root;
  if (v.steps !== undefined) o.steps = positiveInt('--steps', v.steps);
  if (v['steps-per-epoch'] !== undefined) o.stepsPerEpoch = positiveInt('--steps-per-epoch', v['steps-per-epoch']);
  if (v.width !== undefined) o.width = positiveInt('--width', v.width);
  if (v.height !== undefined) o.height = positiveInt('--height', v.height);
  if (v['assumed-lr'] !== undefined) {
    const lr = Number(v['assumed-lr']);
    if (!Number.isFinite(lr)) throw new UsageError('--assumed-lr needs a number');
    o.assumedLr = lr;
  }
  if (v['fail-on'] !== undefined) {
    if (v['fail-on'] !== 'warning' && v['fail-on'] !== 'error') throw new UsageError("--fail-on takes 'warning' or 'error'");
    o.failOn = v['fail-on'];
  }
  if (o.command === 'plot') {
    if (!o.out) throw new UsageError('plot needs --out curve.svg or --out curve.png');
    if (!/\.(svg|png)$/i.test(o.out)) throw new UsageError('--out must end in .svg or .png');
  }
  return o;
}

/** node:util parseArgs, its errors turned into one-line usage errors. */
function readCommandLine(args: string[]) {
  try {
    return parseCommandLine({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const { code, message } = e as { code?: string; message?: string };
    if (!code?.startsWith('ERR_PARSE_ARGS_') || !message) throw e;
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new UsageError(`unknown option ${option}`);
    if (/argument missing/.test(message) && option) throw new UsageError(`${option} needs a value`);
    if (/ambiguous/.test(message) && option) throw new UsageError(`${option} needs a value (one starting with '-' is written ${option}=-…)`);
    throw new UsageError(message.split('\n')[0]!);
  }
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number ≥ 1, got '${v}'`);
  return n;
}

const LANGUAGE_BY_EXT: Record<string, string> = {
  '.py': 'python', '.pyw': 'python', '.ipynb': 'python',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
};

/** What the `lr-lens` process (dist/cli.js) sets up around main(); a library caller of main() passes nothing. */
export interface ProcessHooks {
  /** Called once, just before the first wasm (tree-sitter's runtime) is compiled. */
  beforeWasm?: () => void;
  /** The start-up trace (trace.ts): called at the end of each phase with its name. */
  mark?: Mark;
  /** Loads a chunk beside the bundle (`cli-plot.js`) with the code cache. */
  requireChunk?: (file: string) => unknown;
}

let beforeWasm: (() => void) | undefined;
let grammars: GrammarLoader | undefined;

/**
 * The grammars beside the bundle (dist/grammars), or the npm package's when unbundled, read synchronously:
 * a one-shot process has nothing to do meanwhile, and `fs.readFile`'s thread-pool round trips cost the
 * CLI's start-up about 1.5 ms (process.hrtime marks, Node 20).
 */
function useCliGrammars(): void {
  if (!grammars) {
    const dir = findGrammarDir();
    grammars = (file) => {
      try {
        if (file === 'tree-sitter.wasm') {
          beforeWasm?.();
          beforeWasm = undefined;
        }
        return Promise.resolve(fs.readFileSync(path.join(dir, file)));
      } catch (e) {
        return Promise.reject(e);
      }
    };
  }
  setGrammarLoader(grammars);
}

/** Milliseconds for the analysis's timing, without Node's performance hooks (AnalyzeOptions.clock). */
function hrtimeMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Reads and analyses FILE; notebooks are analysed as one program and mapped back to cells. */
export async function analyzeFile(file: string, given: { steps?: number; assumedLr?: number; assumedStepsPerEpoch?: number; root?: string }): Promise<AnalysisResult> {
  const { root, ...rest } = given;
  useCliGrammars();
  // A lint rule that throws is our bug: it is skipped, and said on stderr (stdout stays the report).
  const opts: AnalyzeOptions = { ...rest, onRuleError: (e) => process.stderr.write(`${describeRuleError(e)}\n`), clock: hrtimeMs };
  if (root !== undefined && !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--root ${root}: not a folder`);
  // The repository around FILE: its modules and config files (README, "Command line").
  opts.workspace = { host: nodeHost, root: toPosix(path.resolve(root ?? defaultRoot(file))), file: toPosix(path.resolve(file)) };
  const ext = path.extname(file).toLowerCase();
  const languageId = LANGUAGE_BY_EXT[ext];
  if (!languageId) throw new UsageError(`${file}: not a Python, notebook, TypeScript or JavaScript file`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (ext !== '.ipynb') return analyze(text, languageId, opts);

  let cells;
  try {
    cells = ipynbCodeCells(text);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
  const joined = concatCells(cells);
  const result = await analyze(joined.text, languageId, opts);
  // Ranges become cell-relative; the cell index goes beside them.
  const map = (r: Range) => joined.rangeToCell(r);
  for (const s of result.schedulers) mapScheduler(s, map);
  return result;
}

function mapScheduler(s: SchedulerAnalysis, map: (r: Range) => { key: string; range: Range }): void {
  const whole = map(s.range);
  (s as SchedulerAnalysis & { cell?: number }).cell = Number(whole.key);
  s.range = whole.range;
  s.calleeRange = map(s.calleeRange).range;
  for (const a of s.argInfo) if (a.range) a.range = map(a.range).range;
  for (const d of s.diagnostics) d.range = map(d.range).range;
}

function failed(result: AnalysisResult, level: 'warning' | 'error'): boolean {
  const hit = (d: Diagnostic) => d.severity === 'error' || (level === 'warning' && d.severity === 'warning');
  return result.schedulers.some((s) => s.diagnostics.some(hit)) || result.diagnostics.some(hit);
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void, hooks: ProcessHooks = {}): Promise<number> {
  let o: ReturnType<typeof parseArgs>;
  try {
    o = parseArgs(argv);
    hooks.mark?.('arguments');
  } catch (e) {
    if (isUsageError(e)) {
      err(`lr-lens: ${e.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (o === 'help') {
    out(USAGE + '\n');
    return EXIT.ok;
  }
  if (o === 'version') {
    out(`lr-lens ${version()}\n`);
    return EXIT.ok;
  }
  try {
    // The render code (and zlib) before any wasm: what Node loads after the one-shot V8 flags compiles
    // without Node's own code cache (see startup.ts).
    const plot = o.command === 'plot' ? loadPlot(hooks.requireChunk) : undefined;
    if (plot) hooks.mark?.('plot code');
    beforeWasm = hooks.beforeWasm;
    const result = await analyzeFile(o.file, { steps: o.steps, assumedLr: o.assumedLr, assumedStepsPerEpoch: o.stepsPerEpoch, root: o.root });
    if (hooks.mark) {
      // The analysis's own timing splits it: parse (the grammar's loading included), evaluate, simulate + lint.
      const { parse, evaluate, simulate } = result.timing;
      hooks.mark(`analysis (parse ${parse.toFixed(1)}, evaluate ${evaluate.toFixed(1)}, simulate ${simulate.toFixed(1)})`);
    }
    if (plot) {
      const msg = plot.writePlot(result, o.out!, { scheduler: o.scheduler, logY: o.log, width: o.width, height: o.height }, hooks.mark);
      out(msg + '\n');
      return EXIT.ok;
    }
    out(o.json ? formatJson(result) + '\n' : formatText(result, o.file));
    hooks.mark?.('report');
    return o.failOn && failed(result, o.failOn) ? EXIT.failOn : EXIT.ok;
  } catch (e) {
    if (isUsageError(e)) {
      err(`lr-lens: ${e.message}\n`);
      return EXIT.usage;
    }
    err(`lr-lens: internal error: ${(e as Error)?.message ?? e}\n`);
    return EXIT.internal;
  }
}

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), { beforeWasm: () => wasmBaselineOnly(true) }).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`lr-lens: internal error: ${(e as Error)?.message ?? e}\n`); process.exitCode = EXIT.internal; },
  );
}
