// The dummy baseline, described once: it ignores the features and answers the class prior (or the uniform
// distribution) or the target's mean (or median) — the reference row every leaderboard needs.

import { KeelError } from '../../core/index.ts';
import {
  defineFamily,
  EstimatorErrors,
  type FamilyDescriptor,
  type ParamSpecs,
} from '../../estimator/index.ts';
import { predictDummy } from './predict.ts';
import type { DummyState } from './state.ts';

const dummyParamSpecs = {
  /** classification: prior (the weighted class shares) or uniform; regression: mean or median (weighted) */
  strategy: { type: 'enum', default: 'auto', values: ['auto', 'prior', 'uniform', 'mean', 'median'] },
} as const satisfies ParamSpecs;

function weightedMedian(y: Float64Array, w: Float64Array): number {
  const order = Array.from(y.keys()).sort((a, b) => y[a] - y[b]);
  let total = 0;
  for (const i of order) total += w[i];
  let run = 0;
  for (const i of order) {
    run += w[i];
    if (run >= total / 2) return y[i];
  }
  return Number.NaN;
}

export const dummyFamily = defineFamily({
  kind: 'dummy',
  aliases: ['baseline'],
  summary: 'a baseline that ignores the features: the class prior, or the mean of the target',
  tasks: ['binary', 'multiclass', 'regression'],
  params: dummyParamSpecs,
  weights: true,
  fit(_X, y, task, nClasses, p, options): DummyState {
    const w = options?.sampleWeight ?? new Float64Array(y.length).fill(1);
    const strategy = p.strategy === 'auto' ? (task === 'regression' ? 'mean' : 'prior') : p.strategy;
    const regression = task === 'regression';
    if (regression !== (strategy === 'mean' || strategy === 'median'))
      throw new KeelError(
        EstimatorErrors.BAD_PARAM,
        `dummy: strategy ${strategy} does not fit a ${task} task`,
        {
          param: 'strategy',
        },
      );
    let values: Float64Array;
    if (strategy === 'uniform') values = new Float64Array(nClasses).fill(1 / nClasses);
    else if (strategy === 'prior') {
      values = new Float64Array(nClasses);
      let total = 0;
      for (let i = 0; i < y.length; i++) {
        values[y[i]] += w[i];
        total += w[i];
      }
      for (let k = 0; k < nClasses; k++) values[k] /= total;
    } else if (strategy === 'median') values = Float64Array.of(weightedMedian(y, w));
    else {
      let s = 0;
      let total = 0;
      for (let i = 0; i < y.length; i++) {
        s += w[i] * y[i];
        total += w[i];
      }
      values = Float64Array.of(s / total);
    }
    return { task, classes: regression ? 0 : nClasses, values };
  },
  predict: predictDummy,
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [dummyFamily];
