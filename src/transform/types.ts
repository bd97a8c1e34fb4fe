// The transformer contract: fit on training rows only, returning plain-data state that inference.ts replays.

import type { Frame } from '../data/index.ts';
import type { StateValue } from '../estimator/index.ts';

export interface TransformState {
  kind: string;
  [key: string]: StateValue;
}

export interface Transformer {
  kind: string;
  fit(frame: Frame): TransformState;
}
