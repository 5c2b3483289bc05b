// The `lr-lens` command's bundles (esbuild.mjs builds them into dist/; the CLI's bundle test into a folder of its
// own): the launcher dist/cli.js, the CLI dist/cli-main.js, and the chunks it loads only when the job needs
// them (dist/cli-plot.js, dist/cli-yaml.js, dist/cli-smol-toml.js).
//   import { buildCli } from './scripts/lib/cli-build.mjs'; await buildCli('out/some-folder');
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { TREE_SITTER_PATCHES } from './web-bundle.mjs';

/**
 * The CLI's render code is a chunk of its own, loaded only by `plot` (src/cli/plotLoader.ts): in the cli.js
 * bundle, plotLoader's './plot' resolves to the external ./cli-plot.js (the bundle of src/cli/plot.ts).
 */
const cliPlotChunk = {
  name: 'cli-plot-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/plot$/ }, (args) =>
      /plotLoader\.ts$/.test(args.importer) ? { path: './cli-plot.js', external: true } : undefined);
  },
};

/**
 * The config-file parsers (npm's `yaml`, 18% of the CLI bundle, and `smol-toml`) are needed only when a config
 * file is read: in dist/cli-main.js each is a stand-in whose functions load dist/cli-<package>.js (the bundle of
 * src/cli/chunks/<package>.ts) on their first call. The stand-in offers the package's plain functions only, so
 * an import of anything else (a class, a constant) fails this build rather than misbehaving.
 */
const LAZY_PACKAGES = ['yaml', 'smol-toml'];
const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-package' }));
    build.onResolve({ filter: /^\.\/cli-[\w-]+\.js$/ }, (args) =>
      args.namespace === 'lazy-package' ? { path: args.path, external: true } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, async (args) => {
      const real = await import(args.path);
      const names = Object.keys(real).filter((n) => n !== 'default' && typeof real[n] === 'function' && !/^class\b/.test(Function.prototype.toString.call(real[n])));
      const contents = [
        'let loaded;',
        `const load = () => (loaded ??= require('./cli-${args.path}.js'));`,
        ...names.map((n) => `export function ${n}(...a) { return load().${n}(...a); }`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * web-tree-sitter's runtime (tree-sitter.js), as the CLI bundles it. Each rewrite must find its text, or the
 * build fails (web-tree-sitter changed: look again):
 *  - The CLI bundle is compiled through vm.Script (its code cache, src/cli/launcher.ts), which on Node 20 has no
 *    dynamic-import callback: web-tree-sitter's two `await import(...)` of Node built-ins become a require()
 *    bound at the bundle's top (a `require` of its own shadows the name where the second one stands).
 *  - emscripten's `setValue`/`getValue`, through which every node crosses into and out of wasm (five 32-bit
 *    words each way, ~27,000 calls for the analysis of a 40-line file), test `type.endsWith("*")` and then
 *    compare the type with each case of a switch; every call passes "i32". A first test for "i32" does what
 *    that case does (the same little-endian DataView access, inlined), skipping the rest. `lr-lens analyze
 *    examples/one_cycle.py`, instructions (callgrind, Node 20): the whole process 760 → 730–745 M, of which
 *    the main thread 705 → 700 M (means of 4); the rest is V8 no longer optimising the hot `setValue` on a
 *    background thread. (`node -e 0`: 500 M.) The extension's bundles are not rewritten.
 *  - A node's `type` (a wasm call and a marshalled node each time) is kept on the node once read: the Python
 *    frontend read it 3,349 times from 545 node objects for that file; a node's symbol never changes, and the
 *    CLI never edits a tree. Main thread 699 → 696 M instructions (means of 4).
 *  - The glue's browser path, as in the extension's bundles (web-bundle.mjs TREE_SITTER_PATCHES: no script URL,
 *    `ENVIRONMENT_IS_NODE` false; the desktop's analysis worker runs it so in Node): the CLI hands it the wasm
 *    bytes, so its Node path only located and read files it is never asked for, and to do so imported Node's
 *    `module` (which loads the ES module loader and the source-map support), built a require and two file URLs.
 */
const TREE_SITTER_REWRITES = [
  ...TREE_SITTER_PATCHES,
  ...['fs/promises', 'module'].map((builtin) => [`await import("${builtin}")`, `__lrLensRequire("${builtin}")`]),
  ['function setValue(ptr, value, type = "i8") {\n',
    'function setValue(ptr, value, type = "i8") {\n      if (type === "i32") return void HEAP_DATA_VIEW.setInt32((ptr >> 2) * 4, value, true);\n'],
  ['function getValue(ptr, type = "i8") {\n',
    'function getValue(ptr, type = "i8") {\n      if (type === "i32") return HEAP_DATA_VIEW.getInt32((ptr >> 2) * 4, true);\n'],
  ['  get type() {\n    return this.tree.language.types[this.typeId] || "ERROR";\n',
    '  get type() {\n    return this._lrLensType ??= this.tree.language.types[this.typeId] || "ERROR";\n'],
];
const treeSitterForCli = {
  name: 'tree-sitter-for-cli',
  setup(build) {
    build.onLoad({ filter: /tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      let contents = await readFile(args.path, 'utf8');
      for (const [from, to] of TREE_SITTER_REWRITES) {
        if (contents.split(from).length !== 2) throw new Error(`tree-sitter-for-cli: ${JSON.stringify(from)} not found once in ${args.path} (web-tree-sitter changed?)`);
        contents = contents.replace(from, () => to);
      }
      return { contents, loader: 'js' };
    });
  },
};

/** The CLI's build options, written to `outdir` (`common`: esbuild.mjs's shared options, its plugins included). */
export function cliTargets(common, outdir) {
  const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
  return [
    {
      // The `lr-lens` command: a small launcher (code cache, V8 flags) that loads cli-main.js.
      ...node,
      entryPoints: ['src/cli/launcher.ts'],
      outfile: join(outdir, 'cli.js'),
      banner: { js: '#!/usr/bin/env node' },
    },
    {
      // The CLI (src/cli/cli.ts) without its render code (cli-plot.js, loaded only for `plot`) and config parsers.
      ...node,
      entryPoints: ['src/cli/cli.ts'],
      outfile: join(outdir, 'cli-main.js'),
      banner: { js: 'var __lrLensRequire = require;' },
      plugins: [...(common.plugins ?? []), cliPlotChunk, lazyPackages, treeSitterForCli],
    },
    ...LAZY_PACKAGES.map((pkg) => ({
      // A config-file parser of the CLI, loaded only when it is used (`lazyPackages`).
      ...node,
      entryPoints: [`src/cli/chunks/${pkg}.ts`],
      outfile: join(outdir, `cli-${pkg}.js`),
    })),
    {
      // `lr-lens plot`'s render code, required by cli-main.js only for `plot`.
      ...node,
      entryPoints: ['src/cli/plot.ts'],
      outfile: join(outdir, 'cli-plot.js'),
    },
  ];
}

/** Builds the CLI into `outdir` (minified, as `npm install -g` ships it) and makes cli.js executable. */
export async function buildCli(outdir, { production = true } = {}) {
  const common = { bundle: true, minify: production, sourcemap: !production, sourcesContent: false, logLevel: 'warning' };
  await Promise.all(cliTargets(common, outdir).map((t) => esbuild.build(t)));
  chmodSync(join(outdir, 'cli.js'), 0o755);
}
