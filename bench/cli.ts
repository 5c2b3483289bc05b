/**
 * The CLI's start-up: the whole `lr-lens analyze` and `lr-lens plot` processes (dist/cli.js, built by
 * `npm run bench`) beside Node's bare start-up (`node -e 0`), interleaved, best of N (on a shared machine
 * the other runs mostly measure the neighbours; the medians are printed too). Goal: ≤ 1.5× `node -e 0`.
 * Then where the time of each goes: the phases of the fastest of 9 traced runs (LR_LENS_TRACE, src/cli/trace.ts).
 * Also the PNG deflate level table that chose src/render/png.ts PNG_DEFLATE_LEVEL.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { constants as zlibConstants, inflateSync, deflateSync, type ZlibOptions } from 'zlib';
import { renderPng } from '../src/render/png';

const ROOT = path.join(__dirname, '..', '..');
const RUNS = 21;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function wall(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  return ms;
}

/**
 * The environment without NODE_EXTRA_CA_CERTS, or undefined when it is not set. Node parses that file's
 * certificates before it runs any JS, in every process (`node -e 0` too): with a system bundle of ~140
 * certificates, about 35 ms of each start here (callgrind: 416 M of `node -e 0`'s 504 M instructions on the
 * main thread). It inflates the ratio's denominator; a user without it sees the CLI's own cost against a
 * start-up of ~20 ms, so the bench prints that comparison too.
 */
function withoutExtraCerts(): NodeJS.ProcessEnv | undefined {
  if (!process.env.NODE_EXTRA_CA_CERTS) return undefined;
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

function startupLines(): string[] {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return ['CLI start-up: dist/cli.js is missing (run `node esbuild.mjs --production`)'];
  const file = path.join(ROOT, 'examples', 'one_cycle.py');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-bench-')), 'curve.png');
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['lr-lens analyze', [cli, 'analyze', file]],
    ['lr-lens plot (png)', [cli, 'plot', file, '--out', out]],
  ];
  const table = (env: NodeJS.ProcessEnv): string[] => {
    const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    for (const [, args] of cases) wall(args, env); // warm the file cache (and V8's code cache, dist/cli.js's own)
    for (let r = 0; r < RUNS; r++) for (const [name, args] of cases) times.get(name)!.push(wall(args, env));
    const base = Math.min(...times.get('node -e 0')!);
    const baseMedian = median(times.get('node -e 0')!);
    return cases.map(([name]) => {
      const t = times.get(name)!;
      const best = Math.min(...t);
      return `  ${name.padEnd(20)} ${best.toFixed(1).padStart(6)} ms (${median(t).toFixed(1)})   ${(best / base).toFixed(2)}× (${(median(t) / baseMedian).toFixed(2)}×)`;
    });
  };
  const lines = [`CLI start-up, whole process, best of ${RUNS} interleaved (median), examples/one_cycle.py; goal ≤ 1.5× node -e 0:`, ...table(process.env)];
  const plain = withoutExtraCerts();
  if (plain) {
    lines.push('The same without NODE_EXTRA_CA_CERTS (set here: every Node start, node -e 0 too, first parses its certificates):');
    lines.push(...table(plain));
  }
  lines.push('Phases (ms; `node`: Node\'s own start until dist/cli.js runs), fastest of 9 traced runs:');
  for (const [name, args] of cases.slice(1)) lines.push(`  ${name}: ${fastestTrace(args)}`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return lines;
}

/** The trace line (src/cli/trace.ts) of the fastest of 9 runs of `args`. */
function fastestTrace(args: string[]): string {
  let best = '';
  let bestMs = Infinity;
  for (let r = 0; r < 9; r++) {
    const p = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, LR_LENS_TRACE: '1' }, encoding: 'utf8' });
    const line = /lr-lens trace: (.*)= ([\d.]+) ms/.exec(p.stderr);
    if (line && Number(line[2]) < bestMs) {
      bestMs = Number(line[2]);
      best = `${line[1]!.trim()} = ${line[2]} ms`;
    }
  }
  return best || '(no trace)';
}

/** zlib level vs size vs time on the scanlines of the CLI's default 800×400 plot. */
function deflateLines(): string[] {
  const values = Float64Array.from({ length: 3200 }, (_, k) => 0.05 * (1 + Math.cos((Math.PI * k) / 3200)));
  const png = renderPng({ title: 'CosineAnnealingLR (sched)', xLabel: 'step', series: [{ label: 'lr', values, role: 'lr' }] }, { width: 800, height: 400, theme: 'light', mode: 'full' });
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let raw: Buffer | undefined;
  for (let at = 8; at < png.length;) {
    const len = view.getUint32(at);
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === 'IDAT') raw = inflateSync(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  if (!raw) return ['deflate: no IDAT'];
  const lines = [`PNG deflate level (800×400 chart, ${raw.length} bytes of scanlines), best of 9:`, '  level   bytes    ms'];
  const row = (name: string, options: ZlibOptions) => {
    let best = Infinity;
    let size = 0;
    for (let r = 0; r < 9; r++) {
      const t0 = performance.now();
      size = deflateSync(raw!, options).length;
      best = Math.min(best, performance.now() - t0);
    }
    lines.push(`  ${name.padStart(5)} ${String(size).padStart(7)} ${best.toFixed(2).padStart(6)}`);
  };
  for (let level = 1; level <= 9; level++) row(String(level), { level });
  // zlib's run-length strategy (matches at distance 1 only), often suggested for flat images: no faster here, and larger.
  row('3 rle', { level: 3, strategy: zlibConstants.Z_RLE });
  return lines;
}

export function runCliBench(): string[] {
  return [...startupLines(), '', ...deflateLines()];
}
