// Inside a forest worker thread: grow the trees it claims and post them back (see threads.ts).

import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { forestWorker } from './threads.ts';

forestWorker(workerData as { ctrl: Int32Array; port: MessagePort });
// once this module has finished evaluating, the pool may end the thread (see ForestPool.close)
setImmediate(() => parentPort?.postMessage('ready'));
