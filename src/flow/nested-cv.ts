// Nested cross-validation: an honest estimate of "tune, then train". Each outer fold runs its own study on its
// training rows only (inner validation split or inner folds), refits the best params on those rows and scores the
// outer test rows the study never saw.

import type { Frame } from '../data/index.ts';
import type { MetricSet } from '../evaluate/index.ts';
import { type Fold, scoreModel } from '../evaluate/index.ts';
import { createLearner } from '../models/index.ts';
import { pipeline } from '../transform/index.ts';
import { optimize, type Sampler, Study, tpeSampler } from '../tune/index.ts';
import { defaultSteps } from './prepare.ts';
import { contextFromFrame, seeded, type TuneDataSpec, tuneObjective } from './tune-objective.ts';

export interface NestedFold {
  fold: number;
  bestParams: Record<string, unknown>;
  /** the inner study's best validation value */
  innerBest: number;
  /** the refitted model on the outer test rows */
  outer: MetricSet;
}

export interface NestedCvResult {
  metric: string;
  folds: NestedFold[];
  /** mean of the outer folds' metric: the estimate to report */
  mean: number;
  std: number;
}

export async function nestedCrossValidate(
  frame: Frame,
  spec: Omit<TuneDataSpec, 'file'>,
  outerFolds: readonly Fold[],
  options: { trials: number; sampler?: (fold: number) => Sampler; onFold?: (f: NestedFold) => void },
): Promise<NestedCvResult> {
  const folds: NestedFold[] = [];
  let metric = '';
  for (const [k, f] of outerFolds.entries()) {
    const train = frame.take(f.train);
    const ctx = contextFromFrame(train, { ...spec, file: '(memory)' });
    metric = ctx.metric;
    const study = await Study.open({
      directions: [ctx.higherIsBetter ? 'maximize' : 'minimize'],
      sampler: options.sampler?.(k) ?? tpeSampler({ seed: spec.seed + k }),
    });
    await optimize(study, (trial) => tuneObjective(trial, ctx), { nTrials: options.trials });
    const best = study.bestTrial;
    const params = { ...best.params, ...spec.params };
    const model = pipeline(
      defaultSteps(),
      createLearner(ctx.kind, { ...seeded(ctx.kind, spec.seed), ...params }),
    ).fit(train, spec.target, { task: ctx.task });
    const result: NestedFold = {
      fold: k,
      bestParams: params,
      innerBest: (best.values as number[])[0],
      outer: scoreModel(model, frame.take(f.test), spec.target),
    };
    folds.push(result);
    options.onFold?.(result);
  }
  const xs = folds.map((f) => f.outer[metric]);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { metric, folds, mean, std };
}
