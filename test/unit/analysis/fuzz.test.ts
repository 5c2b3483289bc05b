/**
 * Fuzz: thousands of sources made by mutating the golden snippets and the examples go through
 * the whole analysis. No exception may escape and every file must finish within a fixed bound.
 * Reproduce a failure with LR_LENS_FUZZ_SEED=<seed> (printed in the failure message).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { goldenTraces } from '../../golden';
import { rng as prng } from '../rng';

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:e[-+]?\d+)?|\*\*|\/\/|[^\sA-Za-z0-9_]/g;
const NUMBERS = ['0', '-1', '1e308', '1e-320', '10**10**10', '2.5', '0.0', '1_000_000_000', 'True', 'None', '"x"', '[]', 'float("nan")'];

/** One random mutation of `src`. */
export function mutate(src: string, rnd: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const lines = src.split('\n');
  const tokens = src.match(TOKEN) ?? [];
  switch (Math.floor(rnd() * 10)) {
    case 0: { // delete a line
      lines.splice(Math.floor(rnd() * lines.length), 1);
      return lines.join('\n');
    }
    case 1: { // duplicate a line
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 2: { // swap two lines
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 3: { // delete a token
      const t = pick(tokens);
      const at = src.indexOf(t, Math.floor(rnd() * src.length));
      return at < 0 ? src : src.slice(0, at) + src.slice(at + t.length);
    }
    case 4: { // duplicate a token
      const t = pick(tokens);
      const at = src.indexOf(t, Math.floor(rnd() * src.length));
      return at < 0 ? src : src.slice(0, at) + t + ' ' + src.slice(at);
    }
    case 5: { // swap two tokens
      const a = pick(tokens);
      const b = pick(tokens);
      return src.replace(a, '\u0000').replace(b, a).replace('\u0000', b);
    }
    case 6: { // random bytes
      const at = Math.floor(rnd() * src.length);
      let junk = '';
      for (let i = 0, n = 1 + Math.floor(rnd() * 8); i < n; i++) junk += String.fromCharCode(Math.floor(rnd() * 0x2fff));
      return src.slice(0, at) + junk + src.slice(at);
    }
    case 7: // truncation
      return src.slice(0, Math.floor(rnd() * src.length));
    case 8: { // a number replaced by a hostile value
      const nums = [...src.matchAll(/\b\d+(?:\.\d+)?(?:e-?\d+)?\b/g)];
      if (!nums.length) return src;
      const m = pick(nums);
      return src.slice(0, m.index!) + pick(NUMBERS) + src.slice(m.index! + m[0].length);
    }
    default: { // deep nesting around an argument
      const at = src.indexOf('(', Math.floor(rnd() * src.length));
      if (at < 0) return src;
      const depth = 1 + Math.floor(rnd() * 200);
      return src.slice(0, at + 1) + '('.repeat(depth) + '1' + ')'.repeat(depth) + ', ' + src.slice(at + 1);
    }
  }
}

function corpus(): { name: string; text: string; lang: string }[] {
  const out: { name: string; text: string; lang: string }[] = [];
  for (const c of goldenTraces().cases) out.push({ name: c.id, text: c.source, lang: 'python' });
  const ex = path.resolve(__dirname, '../../../../examples');
  if (fs.existsSync(ex)) {
    for (const f of fs.readdirSync(ex)) {
      const lang = f.endsWith('.py') ? 'python' : f.endsWith('.ts') ? 'typescript' : f.endsWith('.js') ? 'javascript' : '';
      if (lang) out.push({ name: f, text: fs.readFileSync(path.join(ex, f), 'utf8'), lang });
    }
  }
  return out;
}

/**
 * The wall-clock safety net pushed out of reach (11 days): each mutant's analysis is stopped by its operation budgets
 * only, so what it finds is the same on any machine. A mutant the budgets do not bound hangs until mocha's timeout
 * fails the test (the hang guard); speed is `npm run bench`'s business. The slowest mutant is printed.
 */
const NO_CLOCK_MS = 1e9;

describe('fuzz: mutated sources through the whole analysis', function () {
  this.timeout(10 * 60_000);
  const seed = Number(process.env.LR_LENS_FUZZ_SEED ?? 20261125);
  const count = Number(process.env.LR_LENS_FUZZ_COUNT ?? 3000);

  it(`${count} mutants (seed ${seed}) never throw and are bounded by the operation budgets`, async () => {
    const rnd = prng(seed);
    const sources = corpus();
    let slowest = 0;
    for (let i = 0; i < count; i++) {
      const base = sources[Math.floor(rnd() * sources.length)]!;
      let text = base.text;
      for (let m = 0, n = 1 + Math.floor(rnd() * 4); m < n; m++) text = mutate(text, rnd);
      const t0 = performance.now();
      let result;
      try {
        result = await analyze(text, base.lang, { maxSteps: 20_000, timeBudgetMs: NO_CLOCK_MS });
      } catch (e) {
        assert.fail(`mutant ${i} of ${base.name} (seed ${seed}) threw: ${(e as Error).stack}\n--- source ---\n${text}`);
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      const timedOut = result.diagnostics.find((d) => /timed out/.test(d.message));
      assert.ok(!timedOut, `mutant ${i} of ${base.name} (seed ${seed}): ${timedOut?.message}\n--- source ---\n${text}`);
      assert.ok(Array.isArray(result.schedulers));
      // Internal errors are reported as LR000 notes; a fuzz input must never hit one.
      const internal = result.diagnostics.find((d) => d.message.includes('internal error'));
      assert.ok(!internal, `mutant ${i} of ${base.name} (seed ${seed}): ${internal?.message}\n--- source ---\n${text}`);
      const crashed = result.schedulers.find((s) => s.failure?.type === 'InternalError');
      assert.ok(!crashed, `mutant ${i} of ${base.name} (seed ${seed}): ${crashed?.failure?.message}\n--- source ---\n${text}`);
    }
    console.log(`      slowest mutant: ${slowest.toFixed(1)} ms`);
  });
});
