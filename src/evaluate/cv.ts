// Cross-validation folds: k-fold, stratified, repeated, group and time-series (expanding or sliding window, with a
// gap). Every generator returns index lists; crossValidate (validate.ts) fits whatever is given on each training
// fold only, so preprocessing inside a pipeline never sees its fold's test rows.

import { createRng, KeelError, shuffleInPlace } from '../core/index.ts';
import { EvaluateErrors } from './errors.ts';
import { groupRows, type SplitIndices } from './split.ts';

export interface Fold extends SplitIndices {
  /** which repeat (0 unless repeated) and which fold within it */
  repeat: number;
  fold: number;
}

function checkK(k: number, n: number, what: string): void {
  if (!Number.isInteger(k) || k < 2)
    throw new KeelError(EvaluateErrors.BAD_SPLIT, `${what} needs k >= 2, got ${k}`);
  if (k > n) throw new KeelError(EvaluateErrors.BAD_SPLIT, `${what}: ${k} folds for ${n} rows (or groups)`);
}

function foldsFromAssignment(assign: Int32Array, k: number, repeat = 0): Fold[] {
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < assign.length; i++) (assign[i] === f ? test : train).push(i);
    return { train: Int32Array.from(train), test: Int32Array.from(test), repeat, fold: f };
  });
}

/** k contiguous folds (or shuffled when a seed is given); sizes differ by at most one row. */
export function kFold(n: number, k: number, options: { seed?: number } = {}): Fold[] {
  checkK(k, n, 'k-fold');
  const order = Array.from({ length: n }, (_, i) => i);
  if (options.seed !== undefined) shuffleInPlace(order, createRng(options.seed));
  const assign = new Int32Array(n);
  order.forEach((row, pos) => {
    assign[row] = Math.floor((pos * k) / n);
  });
  return foldsFromAssignment(assign, k);
}

/** Each class dealt round-robin over the folds after a seeded shuffle: per class, fold counts differ by at most one. */
export function stratifiedKFold(
  labels: ArrayLike<number>,
  k: number,
  options: { seed?: number } = {},
): Fold[] {
  checkK(k, labels.length, 'stratified k-fold');
  const rng = createRng(options.seed ?? 0);
  const byClass = groupRows(labels as ArrayLike<number>);
  const assign = new Int32Array(labels.length);
  let offset = 0;
  for (const c of [...byClass.keys()].sort((a, b) => (a as number) - (b as number))) {
    const rows = byClass.get(c) as number[];
    shuffleInPlace(rows, rng);
    // continuing the deal where the last class stopped keeps total fold sizes balanced too
    rows.forEach((row, j) => {
      assign[row] = (offset + j) % k;
    });
    offset = (offset + rows.length) % k;
  }
  return foldsFromAssignment(assign, k);
}

/** k-fold (or stratified k-fold with labels) repeated with different seeds. */
export function repeatedKFold(
  n: number,
  k: number,
  repeats: number,
  options: { seed?: number; labels?: ArrayLike<number> } = {},
): Fold[] {
  const seed = options.seed ?? 0;
  const out: Fold[] = [];
  for (let r = 0; r < repeats; r++) {
    const folds = options.labels
      ? stratifiedKFold(options.labels, k, { seed: seed + r })
      : kFold(n, k, { seed: seed + r });
    for (const f of folds) out.push({ ...f, repeat: r });
  }
  return out;
}

/** Whole groups per fold, largest groups first into the currently smallest fold (balanced sizes, deterministic). */
export function groupKFold(groups: ArrayLike<number | string>, k: number): Fold[] {
  const byGroup = groupRows(groups);
  checkK(k, byGroup.size, 'group k-fold');
  const keys = [...byGroup.keys()].sort(
    (a, b) =>
      (byGroup.get(b) as number[]).length - (byGroup.get(a) as number[]).length ||
      String(a).localeCompare(String(b)),
  );
  const sizes = new Array<number>(k).fill(0);
  const assign = new Int32Array(groups.length);
  for (const g of keys) {
    let f = 0;
    for (let j = 1; j < k; j++) if (sizes[j] < sizes[f]) f = j;
    for (const row of byGroup.get(g) as number[]) assign[row] = f;
    sizes[f] += (byGroup.get(g) as number[]).length;
  }
  return foldsFromAssignment(assign, k);
}

export interface TimeSeriesOptions {
  splits: number;
  /** expanding: training starts at the first row; sliding: a fixed trainSize window (default expanding) */
  window?: 'expanding' | 'sliding';
  /** rows in a sliding window's training part (default: as many as the first expanding fold has) */
  trainSize?: number;
  /** rows per test fold (default n / (splits + 1)) */
  testSize?: number;
  /** rows left out between training and test */
  gap?: number;
}

/**
 * Time-series folds over rows ordered by time (`times`, or row order when given a count): each test fold follows
 * its training rows, training rows are strictly earlier than the test rows (ties at the boundary move to test).
 */
export function timeSeriesFolds(times: ArrayLike<number> | number, options: TimeSeriesOptions): Fold[] {
  const n = typeof times === 'number' ? times : times.length;
  const order =
    typeof times === 'number'
      ? Array.from({ length: n }, (_, i) => i)
      : Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const at = (pos: number) => (typeof times === 'number' ? pos : times[order[pos]]);
  const splits = options.splits;
  const gap = options.gap ?? 0;
  const testSize = options.testSize ?? Math.floor(n / (splits + 1));
  if (!Number.isInteger(splits) || splits < 1 || testSize < 1) {
    throw new KeelError(
      EvaluateErrors.BAD_SPLIT,
      `time-series folds need splits >= 1 and a test size >= 1 (${n} rows)`,
    );
  }
  const firstTest = n - splits * testSize;
  const trainSize = options.trainSize ?? firstTest - gap;
  const folds: Fold[] = [];
  for (let s = 0; s < splits; s++) {
    let start = firstTest + s * testSize;
    const end = start + testSize;
    while (start > 0 && at(start - 1) === at(start)) start--;
    const trainEnd = start - gap;
    const trainStart = options.window === 'sliding' ? Math.max(0, trainEnd - trainSize) : 0;
    if (trainEnd - trainStart < 1) {
      throw new KeelError(
        EvaluateErrors.BAD_SPLIT,
        `time-series fold ${s} has no training rows (gap ${gap}, ${n} rows)`,
      );
    }
    folds.push({
      train: Int32Array.from(order.slice(trainStart, trainEnd)).sort(),
      test: Int32Array.from(order.slice(start, end)).sort(),
      repeat: 0,
      fold: s,
    });
  }
  return folds;
}
