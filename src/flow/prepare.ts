// The step every training and tuning job starts with: read the file, check the target, leave out rows without one,
// and split (stratified for classes, random for regression); and the default preprocessing every job fits.

import { KeelError } from '../core/index.ts';
import { type CsvOptions, type CsvResult, type Frame, readCsv } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import { randomSplit, stratifiedSplit } from '../evaluate/index.ts';
import {
  encodeTarget,
  oneHotEncoder,
  simpleImputer,
  standardScaler,
  type Transformer,
} from '../transform/index.ts';
import { FlowErrors } from './errors.ts';

export interface LabelledData {
  data: CsvResult;
  /** the rows that have a target */
  frame: Frame;
  /** rows left out for lacking a target */
  dropped: number;
}

/** Reads a CSV and keeps the rows with a target; a target that is not a column is a coded error naming the columns. */
export async function readLabelled(file: string, target: string, csv?: CsvOptions): Promise<LabelledData> {
  const data = await readCsv(file, csv);
  if (!data.frame.has(target)) {
    throw new KeelError(
      FlowErrors.BAD_TARGET,
      `target "${target}" is not a column of ${file}; columns: ${data.frame.names.join(', ')}`,
    );
  }
  const { frame, dropped } = dropMissingTarget(data.frame, target);
  return { data, frame, dropped };
}

export function dropMissingTarget(frame: Frame, target: string): { frame: Frame; dropped: number } {
  const c = frame.column(target);
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) {
    const missing = c.type === 'categorical' ? c.codes[i] < 0 : Number.isNaN(c.values[i]);
    if (!missing) keep.push(i);
  }
  return keep.length === frame.nRows
    ? { frame, dropped: 0 }
    : { frame: frame.take(keep), dropped: frame.nRows - keep.length };
}

/** A held-out split: stratified by class for classification, random for regression, seeded. */
export function holdOut(
  frame: Frame,
  target: string,
  task: Task,
  share: number,
  seed: number,
): { train: Frame; test: Frame; testRows: Int32Array } {
  const split =
    task === 'regression'
      ? randomSplit(frame.nRows, share, seed)
      : stratifiedSplit(encodeTarget(frame.column(target), task).y, share, seed);
  return { train: frame.take(split.train), test: frame.take(split.test), testRows: split.test };
}

/** The preprocessing every job fits before its model: median / most-frequent imputation, scaling, one-hot. */
export function defaultSteps(): Transformer[] {
  return [simpleImputer(), standardScaler(), oneHotEncoder()];
}
