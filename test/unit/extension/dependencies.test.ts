import * as assert from 'assert';
import { DependencyIndex } from '../../../src/extension/dependencies';

describe('extension/dependencies (re-analysing importers when an imported file changes)', () => {
  it('a change to a file bumps the stamp of exactly the analyses that read it', () => {
    const d = new DependencyIndex();
    d.set('file:///r/train.py', ['/r/conf/settings.py', '/r/hyp.yaml']);
    d.set('file:///r/eval.py', ['/r/conf/settings.py']);
    assert.deepStrictEqual([d.stamp('file:///r/train.py'), d.stamp('file:///r/eval.py')], [0, 0]);
    assert.deepStrictEqual(d.changed('/r/hyp.yaml'), ['file:///r/train.py']);
    assert.deepStrictEqual([d.stamp('file:///r/train.py'), d.stamp('file:///r/eval.py')], [1, 0]);
    assert.deepStrictEqual(d.changed('/r/conf/settings.py').sort(), ['file:///r/eval.py', 'file:///r/train.py']);
    assert.deepStrictEqual([d.stamp('file:///r/train.py'), d.stamp('file:///r/eval.py')], [2, 1]);
    assert.deepStrictEqual(d.changed('/r/unrelated.py'), []);
  });

  it('a new analysis replaces the dependencies; a closed document is forgotten', () => {
    const d = new DependencyIndex();
    d.set('k', ['/r/a.py', '/r/b.py']);
    d.set('k', ['/r/b.py']);
    assert.deepStrictEqual(d.changed('/r/a.py'), []);
    assert.deepStrictEqual(d.changed('/r/b.py'), ['k']);
    assert.strictEqual(d.stamp('k'), 1);
    d.delete('k');
    assert.deepStrictEqual(d.changed('/r/b.py'), []);
    assert.strictEqual(d.stamp('k'), 0);
    assert.deepStrictEqual(d.dependencies('k'), []);
  });

  it('a file created where an import looked (absent before) counts as a change', () => {
    const d = new DependencyIndex();
    // The analysis looked at conf.py and conf/__init__.py; neither existed.
    d.set('k', ['/r/conf.py', '/r/conf/__init__.py']);
    assert.deepStrictEqual(d.changed('/r/conf/__init__.py'), ['k']);
  });
});
