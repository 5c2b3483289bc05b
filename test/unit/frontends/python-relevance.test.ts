/** Which function bodies the walk enters: never skip one that could construct or step a scheduler. */
import * as assert from 'assert';
import { namesIn, Relevance, type BodyToWalk } from '../../../src/frontends/python/relevance';
import type { SyntaxNode } from '../../../src/frontends/python/syntax';
import { VarMap, type FuncVal, type PyVal, type Scope } from '../../../src/frontends/python/values';
import { analyze } from './python-helpers';

let nextId = 1;
function fn(name: string, text: string): FuncVal {
  return { k: 'func', name, node: { id: nextId++, text } as SyntaxNode, closure: null as unknown as Scope, defaults: new Map() };
}
function decide(bodies: BodyToWalk[], vars: [string, PyVal][] = []): boolean[] {
  const r = new Relevance();
  r.prepare(bodies, { vars: new VarMap(vars), parent: null, label: 'module' });
  return bodies.map((b) => r.walk(b.fn));
}

describe('python frontend: which function bodies are walked', () => {
  it('reads a text\'s words as Python identifiers (letters, digits, _ of any script), ASCII or not', () => {
    // Every ASCII character, alone and between two words; then identifiers in other scripts and digits.
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
    const texts = [ascii.join(''), ...ascii.map((c) => `lr${c}x_1`), 'def f(x):\n    return StepLR(opt, 10)  # ok',
      'café = StepLR(opt, 3) — naïve', 'größe_1 ×2 ½ ٣٤ Ⅻ 𝑥 日本語_名', 'a\u00a0b\u2003c'];
    for (const text of texts) {
      // The words by their definition, character by character: a word is a run of \p{L}, \p{N} or '_' (and, as
      // split() gives, an empty word when the text starts or ends with something else).
      const want = new Set<string>();
      const chars = [...text];
      const inWord = (ch: string) => /^[\p{L}\p{N}_]$/u.test(ch);
      let word = '';
      for (const ch of chars) {
        if (inWord(ch)) word += ch;
        else if (word) {
          want.add(word);
          word = '';
        }
      }
      if (word) want.add(word);
      if (!chars.length || !inWord(chars[0]!) || !inWord(chars[chars.length - 1]!)) want.add('');
      assert.deepStrictEqual([...namesIn(text)].sort(), [...want].sort(), JSON.stringify(text));
    }
    assert.ok(namesIn('x = StepLR(opt)').has('StepLR'));
    assert.ok(namesIn('größe = OneCycleLR(opt)').has('größe'));
  });

  it('skips bodies that name nothing that leads to a scheduler, walks the others', () => {
    const forward = fn('forward', 'def forward(self, x):\n    return torch.relu(self.conv(x))');
    const build = fn('build', 'def build(opt):\n    return StepLR(opt, 10)');
    assert.deepStrictEqual(decide([{ fn: forward, cls: null }, { fn: build, cls: null }]), [false, true]);
  });

  it('follows names: a caller of a relevant function, a module dict of classes, an alias, a scheduler object', () => {
    const build = fn('build', 'def build(opt):\n    return StepLR(opt, 10)');
    const main = fn('main', 'def main():\n    s = build(opt)');
    const viaDict = fn('pick', 'def pick(opt):\n    return SCHEDS["step"](opt, 3)');
    const viaAlias = fn('alias', 'def alias(opt):\n    return SLR(opt, 3)');
    const stepper = fn('train', 'def train():\n    sched.step()');
    const unrelated = fn('data', 'def data():\n    return [1, 2, 3]');
    const vars: [string, PyVal][] = [
      ['SCHEDS', { k: 'dict', entries: [[{ k: 'str', v: 'step' }, { k: 'ref', path: 'torch.optim.lr_scheduler.StepLR' }]] }],
      ['SLR', { k: 'ref', path: 'torch.optim.lr_scheduler.StepLR' }],
      ['sched', { k: 'scheduler', index: 0, call: 0 }],
    ];
    const bodies = [main, viaDict, viaAlias, stepper, unrelated, build].map((f) => ({ fn: f, cls: null }));
    assert.deepStrictEqual(decide(bodies, vars), [true, true, true, true, false, true]);
  });

  it('walks every method of a class once one of them is relevant (`__init__` sets what it reads)', () => {
    const cls: PyVal = { k: 'class', name: 'Module', attrs: new Map(), dataclass: false, fields: [], line: 1, decorated: new Set() };
    const init = fn('__init__', 'def __init__(self, lr):\n    self.lr = lr');
    const conf = fn('configure_optimizers', 'def configure_optimizers(self):\n    return CosineAnnealingLR(o, 10)');
    const other = fn('helper', 'def helper(self):\n    return 1');
    assert.deepStrictEqual(decide([{ fn: init, cls }, { fn: conf, cls }, { fn: other, cls: null }]), [true, true, false]);
  });

  it('walks a body that names nothing when a call handed it a scheduler', () => {
    const train = fn('train', 'def train(loader, sched):\n    for b in loader:\n        sched.step()');
    const r = new Relevance();
    r.prepare([{ fn: train, cls: null }], { vars: new VarMap(), parent: null, label: 'module' });
    assert.strictEqual(r.walk(train), false);
    assert.strictEqual(r.walk(train, new Map<string, PyVal>([['loader', { k: 'unknown', reason: 'x' }], ['sched', { k: 'scheduler', index: 0, call: 0 }]])), true);
  });

  it('walks what it has not judged (a def nested in a walked body)', () => {
    assert.strictEqual(new Relevance().walk(fn('inner', 'def inner(): pass')), true);
  });

  it('still evaluates what a relevant method builds from what `__init__` set (end to end)', async () => {
    const res = await analyze([
      'import torch',
      'from torch.optim.lr_scheduler import StepLR',
      'SCHEDS = {"step": StepLR}',
      'def forward(x):',
      '    return torch.relu(x)',
      'class Module:',
      '    def __init__(self):',
      '        self.every = 7',
      '    def configure_optimizers(self):',
      '        opt = torch.optim.SGD([], lr=0.5)',
      '        return SCHEDS["step"](opt, self.every)',
      '',
    ].join('\n'));
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['StepLR']);
    assert.deepStrictEqual(res.calls[0]!.args['step_size'], { kind: 'int', value: 7 });
    assert.strictEqual(res.program.optimizers[0]?.groups[0]?.lr, 0.5);
  });

  it('still records `.step()` in a helper that the walk handed the scheduler (end to end)', async () => {
    const res = await analyze([
      'import torch',
      'from torch.optim.lr_scheduler import OneCycleLR',
      'def main(loader):',
      '    opt = torch.optim.SGD([], lr=0.1, momentum=0.9)',
      '    scheduler = OneCycleLR(opt, max_lr=0.1, total_steps=100)',
      '    train(loader, scheduler)',
      'def train(loader, sched):',
      '    for batch in loader:',
      '        sched.step()',
      '',
    ].join('\n'));
    assert.deepStrictEqual(res.calls.map((c) => c.kind), ['OneCycleLR']);
    assert.deepStrictEqual(res.calls[0]!.uses.map((u) => [u.method, u.range.start.line]), [['step', 8]]);
  });

  it('follows a module-level lambda that builds a scheduler into the def that calls it', async () => {
    const res = await analyze([
      'import torch',
      'from torch.optim.lr_scheduler import StepLR',
      'make = lambda o, n: StepLR(o, n)',
      'def main():',
      '    opt = torch.optim.SGD([], lr=0.1)',
      '    s = make(opt, 7)',
      '',
    ].join('\n'));
    assert.deepStrictEqual(res.calls.map((c) => [c.kind, c.args['step_size'], c.unknownReason]), [['StepLR', { kind: 'int', value: 7 }, null]]);
  });
});
