/**
 * dist/analysisWorker.js: the desktop's analysis worker thread (Node worker_threads). The analysis itself is the
 * browser's bundle, dist/web/analysisWorker.js (esbuild.mjs maps './analysisWorker.web' to it, so the analysis
 * ships once for both hosts); here the grammars beside it (dist/grammars) are read with Node's fs, and the host's
 * messages answered (workerCore.ts). Required on the extension host's thread (no parentPort there) it only exports
 * `connect`: the in-process fallback (nodeWorker.node.ts), so dist/extension.js carries no analysis of its own.
 */
import { parentPort } from 'worker_threads';
import { fsGrammarLoader } from '../frontends/grammarFiles.node';
import type { HostMessage } from './analysisRunner';
import { connectWith } from './analysisWorker.web';
import type { Connect } from './inThreadWorker';

/** workerSide with the grammars read by Node's fs: dist/grammars beside this bundle (unbundled: the npm package). */
export const connect: Connect = (post) => connectWith(fsGrammarLoader())(post);

const port = parentPort;
if (port) {
  const handle = connect((reply, transfer) => port.postMessage(reply, transfer));
  port.on('message', (msg: HostMessage) => handle(msg));
}
