import * as assert from 'assert';
import { dirname, importsOf, joinPath, moduleCandidates, relativeToRoot } from '../../../src/frontends/python/modules';
import { loadParser, parseWith } from '../../../src/frontends/parser';

describe('frontends/python/modules: resolving imports', () => {
  it('joins POSIX paths as os.path.normpath does, without Node path', () => {
    assert.strictEqual(joinPath('/r/tools', '..', 'third', './extlib'), '/r/third/extlib');
    assert.strictEqual(joinPath('/r', '/abs/x.yaml'), '/abs/x.yaml');
    assert.strictEqual(joinPath('a/b', '../../..', 'c'), '../c');
    assert.strictEqual(dirname('/r/a.py'), '/r');
    assert.strictEqual(dirname('/a.py'), '/');
    assert.strictEqual(relativeToRoot('/r', '/r/conf/x.py'), 'conf/x.py');
    assert.strictEqual(relativeToRoot('/r', '/other/x.py'), '/other/x.py');
  });

  it('candidates: module file then package, per search folder; relative imports from the package folder', () => {
    assert.deepStrictEqual(moduleCandidates('conf.settings', 0, '/r/tools/t.py', ['/r/tools', '/r']), [
      '/r/tools/conf/settings.py', '/r/tools/conf/settings/__init__.py', '/r/conf/settings.py', '/r/conf/settings/__init__.py',
    ]);
    assert.deepStrictEqual(moduleCandidates('utils', 1, '/r/pkg/a.py', ['/r']), ['/r/pkg/utils.py', '/r/pkg/utils/__init__.py']);
    assert.deepStrictEqual(moduleCandidates('cfg', 2, '/r/pkg/sub/a.py', ['/r']), ['/r/pkg/cfg.py', '/r/pkg/cfg/__init__.py']);
    assert.deepStrictEqual(moduleCandidates('', 1, '/r/pkg/a.py', ['/r']), ['/r/pkg/__init__.py']);
  });

  it('lists every import statement, functions included, with relative levels and imported names', async () => {
    const parser = await loadParser('python');
    const tree = parseWith(parser, 'import a.b as c, d\nfrom ..x.y import p, q as r\ndef f():\n    from . import z\n')!;
    try {
      assert.deepStrictEqual(importsOf(tree.rootNode).sort((m, n) => m.name.localeCompare(n.name)), [
        { name: '', level: 1, names: ['z'] },
        { name: 'a.b', level: 0, names: [] },
        { name: 'd', level: 0, names: [] },
        { name: 'x.y', level: 2, names: ['p', 'q'] },
      ]);
    } finally {
      tree.delete();
    }
  });
});
