/**
 * `npm run bench`: speed figures, printed, not asserted (speed goals live here, not in tests).
 *   - engine ns/step beside a hand-tight loop of the same formula, at 1,000,000 steps (target ≤ 1.5×);
 *   - whole analysis of a 5,000-line script beside the bare tree-sitter parse (target ≤ 3×);
 *   - a script importing three repository modules, warm, beside the script alone (target ≤ 2×);
 *   - typing on the 5,000-line script: edit → result and the longest host-thread block (goal ≤ 16 ms each; typing.ts),
 *     and where that edit's time goes after the frontend (pipeline.ts);
 *   - the CLI's whole process beside `node -e 0` for `analyze` and `plot` (goal ≤ 1.5×; cli.ts);
 *   - chart data: decimating a 10,000,000-value curve (goal < 2 s; render.ts), and the frontends' hostile inputs
 *     and long lambda horizons (frontends.ts).
 */
import { runEngineBench } from './engine';
import { runAnalysisBench } from './analysis';
import { runWorkspaceBench } from './workspace';
import { runTypingBench } from './typing';
import { runPipelineBench } from './pipeline';
import { runCliBench } from './cli';
import { runRenderBench } from './render';
import { runFrontendsBench } from './frontends';

async function main() {
  console.log(`LR Lens bench — node ${process.version}, ${new Date().toISOString()}\n`);
  for (const line of runEngineBench()) console.log(line);
  console.log('');
  for (const line of await runAnalysisBench()) console.log(line);
  console.log('');
  for (const line of await runWorkspaceBench()) console.log(line);
  console.log('');
  for (const line of await runTypingBench()) console.log(line);
  for (const line of await runPipelineBench()) console.log(line);
  console.log('');
  for (const line of runCliBench()) console.log(line);
  console.log('');
  for (const line of runRenderBench()) console.log(line);
  console.log('');
  for (const line of await runFrontendsBench()) console.log(line);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
