// The objectives of the tuning benchmark: standard test functions and one real task (boosting on Adult), each with
// its search space written once so Keel's study and Optuna's driver sample exactly the same space.

import { rocAuc } from '../src/evaluate/index.ts';
import { gradientBoosting } from '../src/models/index.ts';
import type { Trial } from '../src/tune/index.ts';
import { DATASETS, prepare } from '../test/baselines/prepare.ts';

export type SpaceParam =
  | { name: string; type: 'float'; low: number; high: number; log?: boolean }
  | { name: string; type: 'int'; low: number; high: number; log?: boolean }
  | { name: string; type: 'categorical'; choices: string[] };

export type Params = Record<string, number | string>;

/** Suggests every param of a space from a Keel trial. */
export function suggest(trial: Trial, space: SpaceParam[]): Params {
  const p: Params = {};
  for (const s of space) {
    if (s.type === 'float') p[s.name] = trial.suggestFloat(s.name, s.low, s.high, { log: s.log });
    else if (s.type === 'int') p[s.name] = trial.suggestInt(s.name, s.low, s.high, { log: s.log });
    else p[s.name] = trial.suggestCategorical(s.name, s.choices);
  }
  return p;
}

export interface BenchTask {
  name: string;
  space: SpaceParam[];
  /** minimised */
  evaluate(p: Params): number;
}

const box = (prefix: string, d: number, low: number, high: number): SpaceParam[] =>
  Array.from({ length: d }, (_, i) => ({ name: `${prefix}${i}`, type: 'float', low, high }));
const xs = (p: Params, d: number): number[] => Array.from({ length: d }, (_, i) => p[`x${i}`] as number);

const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const H_ALPHA = [1, 1.2, 3, 3.2];

export const FUNCTIONS: BenchTask[] = [
  {
    name: 'branin (2-d)',
    space: [
      { name: 'x0', type: 'float', low: -5, high: 10 },
      { name: 'x1', type: 'float', low: 0, high: 15 },
    ],
    evaluate(p) {
      const [a, b] = xs(p, 2);
      const t = 1 / (8 * Math.PI);
      return (
        (b - (5.1 / (4 * Math.PI ** 2)) * a * a + (5 / Math.PI) * a - 6) ** 2 +
        10 * (1 - t) * Math.cos(a) +
        10
      );
    },
  },
  {
    name: 'hartmann (6-d)',
    space: box('x', 6, 0, 1),
    evaluate(p) {
      const x = xs(p, 6);
      let f = 0;
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let j = 0; j < 6; j++) s += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
        f -= H_ALPHA[i] * Math.exp(-s);
      }
      return f;
    },
  },
  {
    name: 'rosenbrock (4-d)',
    space: box('x', 4, -2, 2),
    evaluate(p) {
      const x = xs(p, 4);
      let f = 0;
      for (let i = 0; i < 3; i++) f += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
      return f;
    },
  },
  {
    name: 'styblinski-tang (5-d)',
    space: box('x', 5, -5, 5),
    evaluate(p) {
      return xs(p, 5).reduce((s, v) => s + 0.5 * (v ** 4 - 16 * v * v + 5 * v), 0);
    },
  },
  {
    name: 'mixed int/log/categorical',
    space: [
      { name: 'x0', type: 'float', low: -5, high: 5 },
      { name: 'n', type: 'int', low: 1, high: 50 },
      { name: 'lr', type: 'float', low: 1e-5, high: 1, log: true },
      { name: 'kind', type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
    ],
    evaluate(p) {
      const kind = { a: 1, b: 0, c: 2, d: 0.5 }[p.kind as string] as number;
      return (
        ((p.x0 as number) - 1) ** 2 +
        ((p.n as number) - 17) ** 2 / 20 +
        (Math.log10(p.lr as number) + 2.5) ** 2 +
        kind
      );
    },
  },
];

export const BOOSTING_SPACE: SpaceParam[] = [
  { name: 'learning_rate', type: 'float', low: 0.01, high: 0.5, log: true },
  { name: 'max_leaves', type: 'int', low: 4, high: 128, log: true },
  { name: 'min_samples_leaf', type: 'int', low: 1, high: 100, log: true },
  { name: 'subsample', type: 'float', low: 0.5, high: 1 },
  { name: 'colsample_bytree', type: 'float', low: 0.3, high: 1 },
  { name: 'reg_lambda', type: 'float', low: 1e-3, high: 10, log: true },
];

/**
 * The real task: gradient boosting on Adult (4,000 training rows, 4,000 validation rows from the held-out 25%),
 * minimising 1 - validation ROC-AUC. `onRound` sees the validation AUC at the rounds it asks for (for pruning).
 */
export async function boostingTask(rounds: number, trainRows = 4000, valRows = 4000) {
  const p = await prepare(DATASETS[0]);
  const cols = p.train.cols;
  const X = { data: p.train.data.subarray(0, trainRows * cols), rows: trainRows, cols };
  const y = p.yTrain.subarray(0, trainRows);
  const val = {
    X: { data: p.test.data.subarray(0, valRows * cols), rows: valRows, cols },
    y: p.yTest.subarray(0, valRows),
  };
  const fit = (params: Params, onRound?: (round: number, auc: () => number) => void): number => {
    const model = gradientBoosting({ ...params, n_estimators: rounds, n_threads: 1, seed: 0 }).fit(
      X,
      y,
      'binary',
      2,
      {
        validation: val,
        onIteration: onRound
          ? (it, info) => onRound(it, () => rocAuc(val.y, info.validationScores as Float64Array))
          : undefined,
      },
    );
    const out = model.predict(val.X).values;
    return rocAuc(
      val.y,
      Float64Array.from({ length: valRows }, (_, i) => out[2 * i + 1]),
    );
  };
  return { fit, space: BOOSTING_SPACE };
}

export const BOOSTING_TASK_NAME = 'boosting on Adult (1 - ROC-AUC)';

/** The boosting task as a minimised bench task (50 rounds); a param set seen before is not fitted again. */
export async function boostingBenchTask(): Promise<BenchTask> {
  const { fit, space } = await boostingTask(50);
  const cache = new Map<string, number>();
  return {
    name: BOOSTING_TASK_NAME,
    space,
    evaluate: (p) => {
      const key = JSON.stringify(p);
      let v = cache.get(key);
      if (v === undefined) cache.set(key, (v = 1 - fit(p)));
      return v;
    },
  };
}
