// The transformer contract: fit on training rows only, returning plain-data state that inference.ts replays.

import type { Frame } from '../data/index.ts';
import type { StateValue, Task } from '../estimator/index.ts';

export interface TransformState {
  kind: string;
  [key: string]: StateValue;
}

/** The training target, for transformers that learn from it (target encoding); y is coded as the learner sees it. */
export interface TargetInfo {
  y: Float64Array;
  task: Task;
  /** number of classes (0 for regression) */
  classes: number;
}

export interface Transformer {
  kind: string;
  fit(frame: Frame, target?: TargetInfo): TransformState;
  /**
   * Fit and transform the training rows in one go, when the training output must differ from replaying the state
   * (target encoding: each training row is encoded out of fold, so its own target never reaches its feature)
   */
  fitTransform?(frame: Frame, target?: TargetInfo): { state: TransformState; frame: Frame };
}
