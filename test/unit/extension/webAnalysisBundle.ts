/**
 * dist/web/analysisWorker.js as esbuild.mjs builds it (scripts/lib/web-bundle.mjs `webAnalysisOptions`), built in
 * memory once per test run, and what the tests need to run that browser bundle in Node.
 */
import * as path from 'path';
import * as esbuild from 'esbuild';

const ROOT = path.join(__dirname, '../../../..');
// tsc (module commonjs) turns import() into require(), which cannot load an ES module on Node 20.
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<typeof import('../../../scripts/lib/web-bundle.mjs')>;

let built: Promise<string> | undefined;

/** The bundle's text (unminified). */
export function buildWebAnalysis(): Promise<string> {
  built ??= (async () => {
    const web = await importEsm(path.join(ROOT, 'scripts/lib/web-bundle.mjs'));
    const result = await esbuild.build({ ...web.webAnalysisOptions, absWorkingDir: ROOT, write: false, outfile: 'analysisWorker.js', logLevel: 'silent' });
    return result.outputFiles[0]!.text;
  })();
  return built;
}

/**
 * `source` as a browser would run it: tree-sitter's emscripten glue takes any scope with a `process` for Node and
 * then wants Node's modules, which the browser bundle does not have. The wrapper hides `process` from the bundle's
 * code (and nothing else) and still defines the bundle's global.
 */
export function asInBrowser(source: string, global = 'lrLensAnalysis'): string {
  return `var ${global} = (function (process) {\n${source}\n;return ${global};\n})(undefined);\n`;
}
