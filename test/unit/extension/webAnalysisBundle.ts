/**
 * dist/web/analysisWorker.js as esbuild.mjs builds it (scripts/lib/web-bundle.mjs `webAnalysisOptions`), built in
 * memory once per test run.
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
