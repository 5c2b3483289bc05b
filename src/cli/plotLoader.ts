/**
 * The render code (SVG and PNG: the scene, the rasteriser, the bitmap font, zlib) is needed only by
 * `lr-lens plot`, so the CLI loads it only then. In the bundle it is a file of its own, dist/cli-plot.js:
 * esbuild.mjs maps this file's './plot' to it (the `cliPlotChunk` plugin); unbundled (tests), it is ./plot.
 */
import type * as Plot from './plot';

/**
 * `requireChunk`: how the `lr-lens` process loads a chunk beside its bundle (dist/cli.js passes one that compiles
 * it with the code cache); a test or library caller of main() passes nothing and gets Node's require.
 */
export function loadPlot(requireChunk?: (file: string) => unknown): typeof Plot {
  if (requireChunk && isBundle()) return requireChunk('cli-plot.js') as typeof Plot;
  // The CLI's one lazy load, by design (see above). plot.ts and its imports are still checked by the layer
  // rules as static imports: it is an entry point of esbuild.mjs.
  // eslint-disable-next-line no-restricted-syntax
  return require('./plot') as typeof Plot;
}

/** Whether this code runs from the bundle dist/cli-main.js (beside which dist/cli-plot.js lies). */
function isBundle(): boolean {
  return /[\\/]cli-main\.js$/.test(__filename);
}
