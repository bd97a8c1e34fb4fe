// Trials as stored and as samplers and pruners see them.

import type { Distribution, ParamValue } from './distributions.ts';

export type Direction = 'minimize' | 'maximize';
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

export interface FrozenTrial {
  number: number;
  state: TrialState;
  /** the user-facing values (a categorical choice, not its index) */
  params: Record<string, ParamValue>;
  /** the number each param is kept as: the value itself, or the index of a categorical choice */
  internal: Record<string, number>;
  distributions: Record<string, Distribution>;
  /** one value per objective once complete; a pruned trial keeps its last intermediate value here */
  values: number[] | null;
  /** intermediate values reported by step */
  intermediate: Map<number, number[]>;
  attrs: Record<string, unknown>;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  /** process CPU-seconds while the trial ran (overlapping trials share them) */
  cpuSeconds: number | null;
  error: string | null;
}

/** What samplers and pruners may read: the study's directions and its trials so far. */
export interface StudyView {
  readonly directions: readonly Direction[];
  trials(): readonly FrozenTrial[];
}

/**
 * A sampler picks the internal value of one param for a running trial. It may plan several params at once (TPE's
 * multivariate mode does, on a trial's first suggestion) and answer later calls from that plan.
 */
export interface Sampler {
  readonly name: string;
  sample(study: StudyView, trial: FrozenTrial, name: string, dist: Distribution): number;
}

/** A pruner decides from a trial's intermediate values (and the other trials') whether to stop it. */
export interface Pruner {
  readonly name: string;
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
