// A model family described once: kind, aliases, tasks, the param spec its typed params derive from, fit, the
// predictor, its default search space, threading and weights. The learner factory, the CLI's lists, `keel models
// families` and `keel tune`'s spaces are all derived from the descriptors (models/families.ts).

import { KeelError } from '../core/index.ts';
import { EstimatorErrors } from './errors.ts';
import { type ParamSpecs, type ParamsOf, resolveParams } from './params.ts';
import type { FitOptions, Learner, Matrix, ModelOutput, Predictor, State, Task } from './types.ts';

/** One dimension of a default search space, declared as data (the tune room turns it into suggestions). */
export type SearchParam = (
  | { type: 'float'; low: number; high: number; log?: boolean }
  | { type: 'int'; low: number; high: number; log?: boolean }
  | { type: 'categorical'; choices: readonly string[] }
) & {
  /** suggested only when an earlier categorical param took this value (a conditional branch) */
  when?: { param: string; is: string };
};

/** Params in the order they are suggested. */
export type SearchSpaceSpec = Readonly<Record<string, SearchParam>>;

export interface FamilyDescriptor<S extends ParamSpecs = ParamSpecs, St extends State = State> {
  kind: string;
  /** short names accepted wherever a kind is (`boosting` for gradient_boosting) */
  aliases?: readonly string[];
  /** one line for `keel models families` and the CLI's help */
  summary: string;
  tasks: readonly Task[];
  params: S;
  /** params this kind sets before the caller's (extra trees: no bootstrap) */
  defaults?: Readonly<Record<string, unknown>>;
  fit(
    X: Matrix,
    y: Float64Array,
    task: Task,
    nClasses: number,
    params: ParamsOf<S>,
    options?: FitOptions,
  ): St;
  /** inference from the fitted state alone (the family's predict.ts) */
  predict(state: St, X: Matrix): ModelOutput;
  /** what `keel tune` searches when given no space */
  searchSpace?: SearchSpaceSpec;
  /** takes `n_threads`; a tuning study sets it per trial */
  threaded?: boolean;
  /** honours per-row sample weights */
  weights: boolean;
}

/** Declares a family, keeping its param and state types for `fit` and `predict`. */
export function defineFamily<const S extends ParamSpecs, St extends State>(
  d: FamilyDescriptor<S, St>,
): FamilyDescriptor<S, St> {
  return d;
}

/** A learner of the family, its params checked and defaulted once here. */
export function learnerOf<S extends ParamSpecs, St extends State>(
  d: FamilyDescriptor<S, St>,
  given: Record<string, unknown> = {},
): Learner {
  const params = resolveParams(d.kind, d.params, { ...d.defaults, ...given });
  return {
    kind: d.kind,
    params,
    tasks: d.tasks,
    fit(X, y, task, nClasses, options) {
      if (!d.tasks.includes(task)) {
        throw new KeelError(
          EstimatorErrors.BAD_TASK,
          `${d.kind} cannot fit a ${task} task (it fits: ${d.tasks.join(', ')})`,
        );
      }
      const state = d.fit(X, y, task, nClasses, params, options);
      return { kind: d.kind, task, state, predict: (Z: Matrix) => d.predict(state, Z) };
    },
  };
}

/** A family's predictor over plain state: the one place a State is read as the family's own state type. */
export function predictorOf<St extends State>(predict: (state: St, X: Matrix) => ModelOutput): Predictor {
  return (state, X) => predict(state as St, X);
}

/** What `keel models families --json` prints of a descriptor. */
export function describeFamily(d: FamilyDescriptor): Record<string, unknown> {
  return {
    kind: d.kind,
    aliases: d.aliases ?? [],
    summary: d.summary,
    tasks: d.tasks,
    weights: d.weights,
    threaded: d.threaded ?? false,
    tunable: d.searchSpace !== undefined,
    params: Object.fromEntries(Object.entries(d.params).map(([k, spec]) => [k, spec])),
    search_space: d.searchSpace ?? null,
  };
}
