// Inside a forest worker thread: grow the trees it claims and post them back (see threads.ts).

import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { forestWorker } from './threads.ts';

forestWorker(workerData as { ctrl: Int32Array; port: MessagePort });
