/**
 * The render code (SVG and PNG: the scene, the rasteriser, the bitmap font, zlib) is needed only by
 * `lr-lens plot`, so the CLI loads it only then. In the bundle it is a file of its own, dist/cli-plot.js:
 * esbuild.mjs maps this file's './plot' to it (the `cliPlotChunk` plugin); unbundled (tests), it is ./plot.
 */
import type * as Plot from './plot';

export function loadPlot(): typeof Plot {
  // The CLI's one lazy load, by design (see above). plot.ts and its imports are still checked by the layer
  // rules as static imports: it is an entry point of esbuild.mjs.
  // eslint-disable-next-line no-restricted-syntax
  return require('./plot') as typeof Plot;
}
