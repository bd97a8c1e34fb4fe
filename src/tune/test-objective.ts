// An objective module for the worker-thread tests: burns a little CPU, records which thread ran it, reports
// intermediate values so pruning can act, and fails on request.

import { threadId } from 'node:worker_threads';
import type { Trial } from './trial.ts';

export function setup(data: { spin: number }): { spin: number; startedOn: number } {
  return { spin: data.spin, startedOn: threadId };
}

export function objective(trial: Trial, context: { spin: number }): number {
  const x = trial.suggestFloat('x', -5, 5);
  const kind = trial.suggestCategorical('kind', ['good', 'bad', 'broken']);
  if (kind === 'broken') throw new Error('this branch always fails');
  trial.setAttr('thread', threadId);
  let v = 0;
  for (let step = 1; step <= 5; step++) {
    const t0 = Date.now();
    while (Date.now() - t0 < context.spin) v += Math.sqrt(step);
    trial.report(step, (x - 2) ** 2 + (kind === 'bad' ? 10 : 0) + 1 / step);
    trial.pruneIfNeeded();
  }
  return (x - 2) ** 2 + (kind === 'bad' ? 10 : 0) + (v > 0 ? 0 : 1);
}
