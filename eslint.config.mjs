// ESLint enforces the layer rules of README's "How it works" (nothing else: style is tsc's and the reviewers').
//   src/engine → src/frontends → src/analysis → src/lint → src/render, src/extension, src/cli;
//   src/protocol is shared by the host (src/extension) and the webview (webview/).
// Each rule is a no-restricted-imports regex over the import's specifier, per folder depth, so that a
// relative path is judged by where it lands. Dynamic import() and require() are not allowed in src/ and
// webview/ (they would bypass the rule; the bundles need neither). test/unit/lint/layers.test.ts checks that
// each rule rejects a violation.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** `../` repeated n times, as a regex. */
const up = (n) => '\\.\\./'.repeat(n);

/** Deepest folder level below a layer's root that the rules cover (src/engine/schedulers/… is level 1). */
const MAX_DEPTH = 4;

/** One config block per folder depth below `root`; `patterns(d)` gives the patterns for files at depth d. */
function byDepth(root, patterns) {
  return Array.from({ length: MAX_DEPTH + 1 }, (_, d) => ({
    files: [`${root}/${'*/'.repeat(d)}*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patterns(d) }] },
  }));
}

const NO_VSCODE = { regex: '^vscode$', message: 'Only src/extension (and test/integration) may import vscode.' };

/** From a file of src/<layer>/ at depth d: the path up to src/. */
const toSrc = (d) => up(d + 1);

const layers = [
  // Everything: no vscode. (Later blocks replace the rule's options for their files, so each repeats NO_VSCODE.)
  {
    files: ['**/*.ts', '**/*.mjs'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_VSCODE] }] },
  },
  { files: ['src/extension/**/*.ts', 'test/integration/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  // The engine is pure: nothing outside src/engine, no package, no Node module.
  ...byDepth('src/engine', (d) => [
    { regex: `^${up(d + 1)}`, message: 'src/engine imports nothing outside src/engine.' },
    { regex: '^[^.]', message: 'src/engine imports no package or Node module: it is pure.' },
  ]),
  // Frontends read syntax into the analysis' data model: types from src/analysis, nothing from the layers above.
  ...byDepth('src/frontends', (d) => [
    NO_VSCODE,
    { regex: `^${toSrc(d)}(lint|render|extension|cli)(/|$)`, message: 'src/frontends imports nothing from src/lint, src/render, src/extension or src/cli.' },
    { regex: `^${toSrc(d)}analysis(/|$)`, allowTypeImports: true, message: 'src/frontends may import only types from src/analysis (use `import type`).' },
  ]),
  ...byDepth('src/lint', (d) => [
    NO_VSCODE,
    { regex: `^${toSrc(d)}(render|extension|cli)(/|$)`, message: 'src/lint imports nothing from src/render, src/extension or src/cli.' },
  ]),
  // The webview: its own files, the protocol, the render helpers, chart.js and its plugins.
  ...byDepth('webview', (d) => [{
    // Allowed: ./x, ../x while still inside webview/, ../src/protocol/x, ../src/render/x, chart.js, chartjs-plugin-*.
    regex: `^(?!\\./${d ? `|(${up(1)}){1,${d}}(?!\\.\\./)` : ''}|${up(d + 1)}src/(protocol|render)/|chart\\.js$|chartjs-plugin-(annotation|zoom)$)`,
    message: 'webview/ imports only its own files, src/protocol, src/render, chart.js and its plugins.',
  }]),
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'ImportExpression', message: 'No dynamic import(): the layer rules check static imports only.' },
        { selector: "CallExpression[callee.name='require']", message: 'No require(): the layer rules check static imports only.' }],
    },
  },
];

// VS Code for the Web: the code the extension bundles runs in a browser's web worker, where Node's modules and
// globals do not exist. ESLint's core no-restricted-imports (a rule of its own, so the layer rules above keep
// theirs) forbids every Node built-in there; src/engine is covered by its layer rule (no package at all). Files
// that are Node-only by design are listed in NODE_ONLY (or named *.node.ts) and must stay out of the extension's
// bundle: esbuild.mjs's web-bundle guard fails the build when the browser bundle contains a Node built-in.
const WEB_SAFE = ['src/extension', 'src/analysis', 'src/frontends', 'src/lint', 'src/render', 'src/protocol'];
const NODE_ONLY = [
  'src/frontends/nodeGrammars.ts',   // the fs grammar loader of the CLI, tests and bench
  'src/render/png.ts',               // zlib's deflate, for the CLI's `plot --png`
  'src/**/*.node.ts',                // by name: Node-only (e.g. a worker_threads runner of the desktop host); the web
                                     // bundle takes its x.web.ts twin instead (scripts/lib/web-bundle.mjs)
];
const NODE_BUILTIN_MESSAGE = 'No Node built-in here: this code runs in VS Code for the Web\'s worker too (name the file *.node.ts, or list it in NODE_ONLY, if it is Node-only by design).';
const webSafe = {
  files: WEB_SAFE.map((d) => `${d}/**/*.ts`),
  ignores: NODE_ONLY,
  rules: {
    'no-restricted-imports': ['error', {
      paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: NODE_BUILTIN_MESSAGE })),
      patterns: [{ regex: '^node:', message: NODE_BUILTIN_MESSAGE }],
    }],
    'no-restricted-globals': ['error', ...['Buffer', 'process', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => (
      { name, message: `No Node global ${name} here: this code runs in VS Code for the Web's worker too.` }))],
  },
};

export default [
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'examples/**', 'test/**/fixtures/**', 'test/integration/workspace/**', '**/*.js'] },
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  ...layers,
  webSafe,
];
