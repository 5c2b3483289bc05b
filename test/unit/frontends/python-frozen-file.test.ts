/**
 * The frozen copy of a document kept between its edits (src/frontends/python/incremental.ts): after every edit it is
 * the live tree's copy (same nodes, text, positions, fields), only the changed statements are copied again, and the
 * analysis on it is the live tree's analysis. Tree queries on frozen nodes answer as tree-sitter's do.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../../src/analysis/analyze';
import { DocumentSession } from '../../../src/analysis/incremental';
import type { AnalyzeOptions } from '../../../src/analysis/types';
import { loadParser, parseWith } from '../../../src/frontends/parser';
import { FrozenFile } from '../../../src/frontends/python/incremental';
import { freeze, type FrozenNode, type SyntaxNode } from '../../../src/frontends/python/syntax';
import { generateScript } from '../../../bench/analysis';
import { goldenTraces } from '../../golden';
import { randomEdit } from '../analysis/edits';
import { rng } from '../rng';
import { comparable } from '../analysis/comparable';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

/** Every Python file of the repository's examples and test fixtures. */
function pythonFixtures(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.py')) out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(ROOT, 'examples'));
  walk(path.join(ROOT, 'test', 'fixtures'));
  walk(path.join(ROOT, 'test', 'unit', 'fixtures'));
  return out;
}

const FIELDS = ['name', 'parameters', 'body', 'left', 'right', 'operator', 'function', 'arguments', 'condition', 'consequence',
  'alternative', 'value', 'object', 'attribute', 'key', 'type', 'definition', 'superclasses', 'alias', 'module_name'];

/** The tree as plain data, ids left out (a kept copy has its own): each node's type, text, positions, fields. */
function shape(n: SyntaxNode): unknown {
  const children = n.children.filter((c): c is SyntaxNode => c !== null);
  const fields: Record<string, number> = {};
  for (const f of FIELDS) {
    const c = n.childForFieldName(f);
    if (c) fields[f] = children.findIndex((k) => k.startPosition.row === c.startPosition.row && k.startPosition.column === c.startPosition.column && k.type === c.type);
  }
  return { type: n.type, named: n.isNamed, text: n.text, start: n.startPosition, end: n.endPosition, fields, children: children.map(shape) };
}

/** Edits as typing makes them, each a function of the current text (the same text when it does not apply). */
type Edit = [string, (t: string) => string];
const replaceFirst = (from: RegExp, to: string) => (t: string) => t.replace(from, to);
const EDITS: Edit[] = [
  ['change a number', (t) => t.replace(/\d/, (d) => String((Number(d) + 1) % 10))],
  ['change the last number', (t) => {
    const i = t.search(/\d(?!.*\d)/s);
    return i < 0 ? t : t.slice(0, i) + String((Number(t[i]) + 3) % 10) + t.slice(i + 1);
  }],
  ['insert a line in the middle', (t) => {
    const lines = t.split('\n');
    const k = Math.floor(lines.length / 2);
    return [...lines.slice(0, k), 'extra_value = 3', ...lines.slice(k)].join('\n');
  }],
  ['delete that line again', replaceFirst(/extra_value = 3\n/, '')],
  ['break a bracket', (t) => {
    const i = t.lastIndexOf(')');
    return i < 0 ? t : t.slice(0, i) + t.slice(i + 1);
  }],
  ['fix it', (t) => t],
  ['rename a variable everywhere', (t) => {
    const m = /^([a-z_][a-z0-9_]*) = /m.exec(t);
    return m ? t.replace(new RegExp(`\\b${m[1]}\\b`, 'g'), `${m[1]}_renamed`) : t;
  }],
  ['edit inside a def', (t) => t.replace(/(\n {4}\S[^\n]*)/, '$1  # edited')],
  ['indent a body line further (a syntax error)', replaceFirst(/\n( {4})(\S)/, '\n$1    $2')],
  ['undo that', replaceFirst(/\n( {4}) {4}(\S)/, '\n$1$2')],
  ['append a statement', (t) => `${t}\nlate = 1\n`],
  ['two statements on one line, the first edited', (t) => t.replace(/\nlate = 1\n/, '\nlate = 12; later = 2\n')],
];

describe('python frontend: the frozen copy kept between edits', function () {
  this.timeout(120_000);

  it('after every edit of every fixture it is the live tree, copied; the analysis is the live tree\'s', async () => {
    const parser = await loadParser('python');
    const options: AnalyzeOptions = { steps: 300, strict: true };
    for (const { file, text } of pythonFixtures()) {
      const session = new DocumentSession();
      const frozen = new FrozenFile();
      let current = text;
      let fixed = text;
      try {
        for (const [what, edit] of EDITS) {
          current = what === 'fix it' ? fixed : edit(current);
          if (what !== 'break a bracket') fixed = current;
          const tree = parseWith(parser, current)!;
          try {
            const copy = frozen.root(tree, current);
            assert.ok(copy, `${file}, ${what}: no copy`);
            assert.deepStrictEqual(shape(copy), shape(tree.rootNode as unknown as SyntaxNode), `${file}, ${what}: the copy differs from the tree`);
          } finally {
            tree.delete();
          }
          assert.deepStrictEqual(comparable(await analyze(current, 'python', options, session)), comparable(await analyze(current, 'python', options)), `${file}, after "${what}":\n${current}`);
        }
      } finally {
        session.dispose();
      }
    }
  });

  it('after 60 random edits of every fixture (typing, deleting lines, breaking and fixing the syntax) it is the live tree, copied', async () => {
    const parser = await loadParser('python');
    for (const { file, text } of pythonFixtures()) {
      const r = rng(file.length * 31 + text.length);
      const frozen = new FrozenFile();
      let current = text;
      for (let i = 0; i < 60; i++) {
        current = randomEdit(current, text, r);
        const tree = parseWith(parser, current)!;
        try {
          assert.deepStrictEqual(shape(frozen.root(tree, current)!), shape(tree.rootNode as unknown as SyntaxNode), `${file}, edit ${i + 1}:\n${current}`);
        } finally {
          tree.delete();
        }
      }
    }
  });

  it('an edit of one statement of the 5,000-line bench script copies that statement only; the result is the live tree\'s', async () => {
    const parser = await loadParser('python');
    let text = generateScript(5000);
    const frozen = new FrozenFile();
    const session = new DocumentSession();
    const options: AnalyzeOptions = { steps: 200, strict: true, curvesFor: [] };
    const statements = (t: string) => {
      const tree = parseWith(parser, t)!;
      try {
        return tree.rootNode.children.length;
      } finally {
        tree.delete();
      }
    };
    const edits: [string, (t: string) => string, number][] = [
      ['step_size 30 → 31 in block 3', replaceFirst(/step_size=30/, 'step_size=31'), 1],
      ['a constant many blocks read', replaceFirst(/^EPOCHS = 90$/m, 'EPOCHS = 91'), 1],
      ['a mutation of the shared dict, inserted', replaceFirst(/^(cfg = .*)$/m, '$1\ncfg["lr"] = 0.05'), 1],
      ['inside a def that other statements call', replaceFirst(/return \(epoch \+ 1\) \/ WARMUP/, 'return (epoch + 2) / WARMUP'), 1],
      ['the training loop at the end', replaceFirst(/sched_1\.step\(\)/, 'sched_2.step()'), 1],
    ];
    try {
      const first = parseWith(parser, text)!;
      frozen.root(first, text);
      first.delete();
      await analyze(text, 'python', options, session);
      // The first analysis walks the live tree; the copy is made when the worker is idle after it.
      assert.deepStrictEqual(session.python.stats, { copied: 0, kept: 0 });
      session.idle();
      assert.deepStrictEqual(session.python.stats, { copied: statements(text), kept: 0 });
      for (const [what, edit, copied] of edits) {
        text = edit(text);
        const tree = parseWith(parser, text)!;
        try {
          const copy = frozen.root(tree, text)!;
          assert.deepStrictEqual(frozen.stats, { copied, kept: statements(text) - copied }, what);
          assert.deepStrictEqual(shape(copy), shape(tree.rootNode as unknown as SyntaxNode), what);
        } finally {
          tree.delete();
        }
        assert.deepStrictEqual(comparable(await analyze(text, 'python', options, session)), comparable(await analyze(text, 'python', options)), what);
        assert.deepStrictEqual(session.python.stats, { copied, kept: statements(text) - copied }, `${what}: the session's analysis`);
      }
    } finally {
      session.dispose();
    }
  });

  it('a statement moved by an edit that keeps the lines keeps its rows and columns only where they are the same', async () => {
    // Rows and columns read before each edit (shape reads them all), then compared with the live tree's after it.
    const parser = await loadParser('python');
    const frozen = new FrozenFile();
    const steps: [string, string][] = [
      ['the start', 'a = [1,\n 2]; b = 3\nc = 4\nd = (5,\n     6)\n'],
      // Typing within a line: b on the same line as the edit moves (its column), c and d only in the text.
      ['a number typed longer', 'a = [123,\n 2]; b = 3\nc = 4\nd = (5,\n     6)\n'],
      // A line break moved inside the changed span, as many as before: b, on the line that break starts, moves;
      // c and d, after an unchanged break, stay where they were.
      ['a line break moved', 'a = [123, 2\n]; b = 3\nc = 4\nd = (5,\n     6)\n'],
      ['one more line break', 'a = [123, 2\n\n]; b = 3\nc = 4\nd = (5,\n     6)\n'],
      ['one line break less, on another line', 'a = [123, 2\n]; b = 3\nc = 4\nd = (5,     6)\n'],
      ['typing at the end of a line before a statement', 'a = [123, 2\n]; b = 3\nc = 45\nd = (5,     6)\n'],
    ];
    for (const [what, text] of steps) {
      const tree = parseWith(parser, text)!;
      try {
        assert.deepStrictEqual(shape(frozen.root(tree, text)!), shape(tree.rootNode as unknown as SyntaxNode), what);
      } finally {
        tree.delete();
      }
    }
  });

  it('a document\'s first analysis walks the live tree; the next copies the file (or only its edit, after an idle copy)', async () => {
    const parser = await loadParser('python');
    const text = generateScript(400);
    const count = parseWith(parser, text)!;
    const statements = count.rootNode.children.length;
    count.delete();
    const options: AnalyzeOptions = { steps: 50, strict: true, curvesFor: [] };
    for (const idle of [false, true]) {
      const session = new DocumentSession();
      try {
        const r0 = await analyze(text, 'python', options, session);
        assert.deepStrictEqual(session.python.stats, { copied: 0, kept: 0 });
        if (idle) session.idle();
        const edited = text.replace('step_size=30', 'step_size=31');
        const r1 = await analyze(edited, 'python', options, session);
        assert.deepStrictEqual(session.python.stats, idle ? { copied: 1, kept: statements - 1 } : { copied: statements, kept: 0 });
        assert.deepStrictEqual(comparable(r0), comparable(await analyze(text, 'python', options)));
        assert.deepStrictEqual(comparable(r1), comparable(await analyze(edited, 'python', options)));
      } finally {
        session.dispose();
      }
    }
  });

  it('with a syntax error at the end of the bench script, an edit above it copies that statement and what follows the error only', async () => {
    const parser = await loadParser('python');
    const frozen = new FrozenFile();
    const session = new DocumentSession();
    const options: AnalyzeOptions = { steps: 200, strict: true, curvesFor: [] };
    let text = `${generateScript(5000)}x = (\n`;
    try {
      for (const [i, edit] of [(t: string) => t, replaceFirst(/step_size=30/, 'step_size=31'), replaceFirst(/step_size=31/, 'step_size=32')].entries()) {
        text = edit(text);
        const tree = parseWith(parser, text)!;
        try {
          const copy = frozen.root(tree, text)!;
          const children = tree.rootNode.children;
          const firstError = children.findIndex((c) => c!.hasError);
          assert.ok(firstError > 0 && firstError < children.length);
          if (i > 0) assert.deepStrictEqual(frozen.stats, { copied: 1 + children.length - firstError, kept: firstError - 1 });
          assert.deepStrictEqual(shape(copy), shape(tree.rootNode as unknown as SyntaxNode));
        } finally {
          tree.delete();
        }
        assert.deepStrictEqual(comparable(await analyze(text, 'python', options, session)), comparable(await analyze(text, 'python', options)));
      }
    } finally {
      session.dispose();
    }
  });

  it('in a workspace (other modules, config files, callers in other files): the session\'s analyses are the live tree\'s', async () => {
    const root = path.join(ROOT, 'test', 'fixtures', 'repo');
    const host = { readFile: async (p: string) => (fs.existsSync(p) ? fs.readFileSync(p) : undefined) };
    const files = fs.readdirSync(root).filter((f) => f.endsWith('.py')).map((f) => path.join(root, f));
    files.push(...fs.readdirSync(path.join(root, 'tools')).filter((f) => f.endsWith('.py')).map((f) => path.join(root, 'tools', f)));
    for (const file of files) {
      const session = new DocumentSession();
      let text = fs.readFileSync(file, 'utf8');
      try {
        for (const [what, edit] of EDITS) {
          text = what === 'fix it' || what === 'break a bracket' ? text : edit(text);
          const options = (): AnalyzeOptions => ({ workspace: { host, root, file }, strict: true, steps: 300 });
          assert.deepStrictEqual(comparable(await analyze(text, 'python', options(), session)), comparable(await analyze(text, 'python', options())), `${file}, after "${what}"`);
        }
      } finally {
        session.dispose();
      }
    }
  });

  it('a file nested deeper than a frozen copy keeps is walked live, with the same result', async () => {
    const parser = await loadParser('python');
    const frozen = new FrozenFile();
    const session = new DocumentSession();
    const deep = `${'('.repeat(350)}1${')'.repeat(350)}`;
    const text = `from torch.optim.lr_scheduler import StepLR\nimport torch\nopt = torch.optim.SGD([], lr=0.1)\nx = ${deep}\ns = StepLR(opt, step_size=3)\n`;
    try {
      for (const t of [text, text.replace('step_size=3', 'step_size=4')]) {
        const tree = parseWith(parser, t)!;
        try {
          assert.strictEqual(frozen.root(tree, t), null);
          assert.deepStrictEqual(frozen.stats, { copied: 0, kept: 0 });
        } finally {
          tree.delete();
        }
        const options: AnalyzeOptions = { steps: 20, strict: true };
        const r = await analyze(t, 'python', options, session);
        assert.deepStrictEqual(comparable(r), comparable(await analyze(t, 'python', options)));
        assert.strictEqual(r.schedulers.length, 1);
      }
    } finally {
      session.dispose();
    }
  });

  it('every golden case, as one document rewritten: the session\'s copy is rebuilt, the results are the live tree\'s', async () => {
    const session = new DocumentSession();
    try {
      for (const c of goldenTraces().cases.slice(0, 40)) {
        const options: AnalyzeOptions = { steps: c.steps, strict: true };
        assert.deepStrictEqual(comparable(await analyze(c.source, 'python', options, session)), comparable(await analyze(c.source, 'python', options)), c.id);
      }
    } finally {
      session.dispose();
    }
  });

  it('descendantForPosition and descendantsOfType answer on frozen nodes as tree-sitter does on live ones', async () => {
    const parser = await loadParser('python');
    // The fixtures, and each with a syntax error (a bracket dropped: ERROR and zero-width MISSING nodes).
    const broken = pythonFixtures().map(({ file, text }) => ({ file: `${file} (broken)`, text: text.replace(/\)(?![^]*\))/, '') }));
    for (const { file, text } of [...pythonFixtures(), ...broken]) {
      const tree = parseWith(parser, text)!;
      try {
        const live = tree.rootNode;
        const copy = freeze(live as unknown as SyntaxNode, text) as FrozenNode;
        assert.deepStrictEqual(copy.descendantsOfType('call').map((n) => n.id), live.descendantsOfType('call').map((n) => n!.id), file);
        assert.deepStrictEqual(copy.descendantsOfType(['identifier', 'for_statement']).map((n) => n.id), live.descendantsOfType(['identifier', 'for_statement']).map((n) => n!.id), file);
        // Every line start, every word and bracket, and the places in between.
        const lines = text.split('\n');
        for (let row = 0; row < lines.length; row++) {
          const line = lines[row]!;
          for (let column = 0; column <= line.length; column += column % 3 === 0 ? 1 : 2) {
            const p = { row, column };
            assert.strictEqual(copy.descendantForPosition(p).id, live.descendantForPosition(p)!.id, `${file} ${row}:${column}`);
          }
        }
      } finally {
        tree.delete();
      }
    }
  });
});
