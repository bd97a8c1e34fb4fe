// Inside a histogram worker thread: sum the blocks of rows the training thread hands out, until told to quit.

import { workerData } from 'node:worker_threads';
import { type WorkerData, workerLoop } from './threads.ts';

workerLoop(workerData as WorkerData);
