/**
 * dist/analysisWorker.js: the desktop's analysis worker thread (Node worker_threads). Loads the grammars
 * beside it (dist/grammars) on its first job and answers the host's messages (workerCore.ts). The same bundle is
 * the in-process fallback: required on the extension host's thread (no parentPort there), it only exports
 * `connect` (inThreadWorker.ts), so dist/extension.js carries no analysis of its own.
 */
import { parentPort } from 'worker_threads';
import { useNodeGrammars } from '../frontends/nodeGrammars';
import type { HostMessage } from './analysisRunner';
import type { Connect } from './inThreadWorker';
import { workerSide } from './workerCore';

/** workerSide with the grammars read by Node's fs: dist/grammars beside this bundle (unbundled: the npm package). */
export const connect: Connect = (post) => {
  useNodeGrammars();
  return workerSide(post);
};

const port = parentPort;
if (port) {
  const handle = connect((reply, transfer) => port.postMessage(reply, transfer));
  port.on('message', (msg: HostMessage) => handle(msg));
}
