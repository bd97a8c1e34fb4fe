// How many threads a fit uses: the shared rule of every threaded family.

import { availableParallelism } from 'node:os';

/** Threads to use: 0 = every available core. */
export function resolveThreads(requested: number): number {
  return requested > 0 ? requested : Math.max(1, availableParallelism());
}
