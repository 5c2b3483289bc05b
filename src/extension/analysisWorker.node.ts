/**
 * dist/analysisWorker.js: the desktop's analysis worker thread (Node worker_threads). Loads the grammars
 * beside it (dist/grammars) on its first job and answers the host's messages (workerCore.ts).
 */
import { parentPort } from 'worker_threads';
import { useNodeGrammars } from '../frontends/nodeGrammars';
import type { HostMessage } from './analysisRunner';
import { workerSide } from './workerCore';

const port = parentPort;
if (port) {
  // The grammars with Node's fs: dist/grammars beside this bundle (unbundled: the npm package).
  useNodeGrammars();
  const handle = workerSide((reply, transfer) => port.postMessage(reply, transfer));
  port.on('message', (msg: HostMessage) => handle(msg));
}
