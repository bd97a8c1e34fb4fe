// Random search: each param drawn uniformly (on the log scale where asked), independently, from a per-trial stream.

import { createRng, type Rng } from '../../core/index.ts';
import { type Distribution, snap } from '../distributions.ts';
import type { FrozenTrial, Sampler, StudyView } from '../types.ts';

/** A stream for (seed, trial, param): the same study seed gives the same draws whatever the concurrency. */
export function trialRng(seed: number, trial: number, salt: string): Rng {
  let h = (seed ^ Math.imul(trial + 1, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x01000193) >>> 0;
  return createRng(h);
}

export function uniformDraw(rng: Rng, dist: Distribution): number {
  if (dist.type === 'categorical') return rng.int(dist.choices.length);
  if (dist.log) {
    // an int range is widened by half a step on each side so its end points are as likely as inner values
    const lo = Math.log(dist.type === 'int' ? Math.max(dist.low - 0.5, 1e-12) : dist.low);
    const hi = Math.log(dist.type === 'int' ? dist.high + 0.5 : dist.high);
    return snap(dist, Math.exp(lo + rng.next() * (hi - lo)));
  }
  if (dist.type === 'int' || dist.step !== undefined) {
    const step = dist.step ?? 1;
    const count = Math.floor((dist.high - dist.low) / step + 1e-9) + 1;
    return snap(dist, dist.low + rng.int(count) * step);
  }
  return dist.low + rng.next() * (dist.high - dist.low);
}

export interface RandomSamplerOptions {
  seed?: number;
}

export function randomSampler(options: RandomSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  return {
    name: 'random',
    sample(_study: StudyView, trial: FrozenTrial, name: string, dist: Distribution): number {
      return uniformDraw(trialRng(seed, trial.number, name), dist);
    },
  };
}
