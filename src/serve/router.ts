// Weighted arms with sticky assignment: a request key hashes to a fixed point in [0, 1), so the same user keeps the
// same arm while weights stay put; requests without a key are spread by a seeded generator.

import { createRng, type Rng } from '../core/index.ts';

/** FNV-1a 32-bit hash of a string, mapped to [0, 1). */
export function stickyPoint(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // a final avalanche so that similar keys spread evenly
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

export class WeightedRouter {
  private readonly rng: Rng;
  constructor(seed = 1) {
    this.rng = createRng(seed);
  }

  /** Index of the chosen arm given non-negative weights (at least one positive). */
  pick(weights: readonly number[], key?: string): number {
    let total = 0;
    for (const w of weights) total += Math.max(0, w);
    if (total <= 0) return 0;
    const u = (key ? stickyPoint(key) : this.rng.next()) * total;
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += Math.max(0, weights[i]);
      if (u < acc) return i;
    }
    return weights.length - 1;
  }
}
