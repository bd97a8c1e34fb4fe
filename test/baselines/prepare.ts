// The shared-dataset baseline set-up, used by the fixture exporter and the test alike: read the CSV, drop rows without
// a target, split 25 % held out (stratified for classes, seed 42), fit the default preprocessing on the training part.

import path from 'node:path';
import { type Frame, readCsv } from '../../src/data/index.ts';
import type { Matrix, Task } from '../../src/estimator/index.ts';
import { randomSplit, stratifiedSplit } from '../../src/evaluate/index.ts';
import {
  applyTransforms,
  encodeTarget,
  frameToMatrix,
  inferTask,
  oneHotEncoder,
  simpleImputer,
  standardScaler,
  type TransformState,
} from '../../src/transform/index.ts';

export const DATASETS: { name: string; file: string; target: string; task?: Task; drop?: string[] }[] = [
  { name: 'adult', file: 'adult.csv', target: 'income' },
  { name: 'ozone', file: 'ozone_onehr.csv', target: 'class', task: 'binary', drop: ['Date'] },
  { name: 'california', file: 'california_housing.csv', target: 'median_house_value', task: 'regression' },
  { name: 'iris', file: 'iris.csv', target: 'target', task: 'multiclass' },
  {
    name: 'penguins',
    file: 'penguins_raw.csv',
    target: 'Species',
    drop: ['Comments', 'Individual ID', 'Sample Number', 'Date Egg'],
  },
  { name: 'elec2', file: 'elec2.csv', target: 'class' },
  {
    name: 'birdstrikes',
    file: 'birdstrikes.csv',
    target: 'Cost Total $',
    task: 'regression',
    drop: ['Cost Other', 'Cost Repair', 'Flight Date'],
  },
];

export const SHARED = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../../shared/datasets',
);

export interface Prepared {
  task: Task;
  classes: number;
  train: Matrix;
  test: Matrix;
  yTrain: Float64Array;
  yTest: Float64Array;
  /** the feature columns before preprocessing (for peers that take categories natively) */
  rawTrain: Frame;
  rawTest: Frame;
}

export async function prepare(d: (typeof DATASETS)[number]): Promise<Prepared> {
  const read = await readCsv(path.join(SHARED, d.file));
  let frame = read.frame.drop((d.drop ?? []).filter((c) => read.frame.has(c)));
  const t = frame.column(d.target);
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++)
    if (t.type === 'categorical' ? t.codes[i] >= 0 : !Number.isNaN(t.values[i])) keep.push(i);
  frame = frame.take(keep);
  const task = d.task ?? inferTask(frame.column(d.target));
  const { y, classes } = encodeTarget(frame.column(d.target), task);
  const split = task === 'regression' ? randomSplit(frame.nRows, 0.25, 42) : stratifiedSplit(y, 0.25, 42);
  const features = frame.drop([d.target]);
  const trainF = features.take(split.train);
  const testF = features.take(split.test);
  const steps: TransformState[] = [];
  let cur = trainF;
  for (const step of [simpleImputer(), standardScaler(), oneHotEncoder()]) {
    const s = step.fit(cur);
    steps.push(s);
    cur = applyTransforms([s], cur);
  }
  const names = cur.names;
  return {
    task,
    classes: classes?.length ?? 0,
    train: frameToMatrix(cur, names),
    test: frameToMatrix(applyTransforms(steps, testF), names),
    yTrain: Float64Array.from(split.train, (i) => y[i]),
    yTest: Float64Array.from(split.test, (i) => y[i]),
    rawTrain: trainF,
    rawTest: testF,
  };
}
