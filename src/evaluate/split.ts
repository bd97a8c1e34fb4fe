// Seeded train/test splits; stratified keeps each class's share on both sides.

import { createRng, KeelError, shuffleInPlace } from '../core/index.ts';
import { EvaluateErrors } from './errors.ts';

export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Stratified split: within each class (labels are integer codes), a seeded shuffle and round(testSize * n_class)
 * rows to the test side. Both index lists come back sorted.
 */
export function stratifiedSplit(labels: ArrayLike<number>, testSize: number, seed: number): SplitIndices {
  checkSize(testSize);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    list.push(i);
  }
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c) as number[];
    shuffleInPlace(rows, rng);
    const nTest = Math.round(rows.length * testSize);
    for (let k = 0; k < rows.length; k++) (k < nTest ? test : train).push(rows[k]);
  }
  return {
    train: Int32Array.from(train.sort((a, b) => a - b)),
    test: Int32Array.from(test.sort((a, b) => a - b)),
  };
}

/** Plain seeded random split (for regression targets). */
export function randomSplit(n: number, testSize: number, seed: number): SplitIndices {
  checkSize(testSize);
  const rows = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(rows, createRng(seed));
  const nTest = Math.round(n * testSize);
  return {
    train: Int32Array.from(rows.slice(nTest).sort((a, b) => a - b)),
    test: Int32Array.from(rows.slice(0, nTest).sort((a, b) => a - b)),
  };
}

function checkSize(testSize: number): void {
  if (!(testSize > 0 && testSize < 1)) {
    throw new KeelError(
      EvaluateErrors.BAD_SPLIT,
      `test size must be between 0 and 1 (exclusive), got ${testSize}`,
    );
  }
}

/** Group split: whole groups go to one side (seeded), until the test side holds about testSize of the rows. */
export function groupSplit(groups: ArrayLike<number | string>, testSize: number, seed: number): SplitIndices {
  checkSize(testSize);
  const byGroup = groupRows(groups);
  const keys = [...byGroup.keys()];
  shuffleInPlace(keys, createRng(seed));
  const want = testSize * groups.length;
  const test: number[] = [];
  const train: number[] = [];
  for (const k of keys) {
    const rows = byGroup.get(k) as number[];
    // take a group for the test side while that brings its size closer to the target
    if (Math.abs(test.length + rows.length - want) < Math.abs(test.length - want)) test.push(...rows);
    else train.push(...rows);
  }
  if (test.length === 0 || train.length === 0) {
    throw new KeelError(
      EvaluateErrors.BAD_SPLIT,
      `${keys.length} groups cannot make both sides of a ${testSize} split`,
    );
  }
  return { train: sortedInts(train), test: sortedInts(test) };
}

/**
 * Time split: the latest testSize of the rows are the test side; training rows are strictly earlier than every test
 * row (rows tied with the first test time go to the test side), and `gap` more rows before the test are left out.
 */
export function timeSplit(
  times: ArrayLike<number>,
  testSize: number,
  options: { gap?: number } = {},
): SplitIndices {
  checkSize(testSize);
  const n = times.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  let first = n - Math.max(1, Math.round(n * testSize));
  while (first > 0 && times[order[first - 1]] === times[order[first]]) first--;
  const trainEnd = first - (options.gap ?? 0);
  if (trainEnd <= 0) throw new KeelError(EvaluateErrors.BAD_SPLIT, 'the gap leaves no training rows');
  return { train: sortedInts(order.slice(0, trainEnd)), test: sortedInts(order.slice(first)) };
}

export interface ThreeWaySplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Train / validation / test in one call: by class (labels), by group, by time, or at random, with the same rules as
 * the two-way splits applied twice (test first, then validation out of the rest).
 */
export function trainValidationTestSplit(
  n: number,
  options: {
    validation: number;
    test: number;
    seed?: number;
    labels?: ArrayLike<number>;
    groups?: ArrayLike<number | string>;
    times?: ArrayLike<number>;
  },
): ThreeWaySplit {
  const { validation, test } = options;
  if (!(validation > 0 && test > 0 && validation + test < 1)) {
    throw new KeelError(
      EvaluateErrors.BAD_SPLIT,
      `validation ${validation} + test ${test} must be positive and below 1`,
    );
  }
  const seed = options.seed ?? 0;
  const two = (rows: Int32Array, size: number, s: number): SplitIndices => {
    const pick = <T>(a: ArrayLike<T> | undefined) => (a ? Array.from(rows, (i) => a[i]) : undefined);
    const labels = pick(options.labels);
    const groups = pick(options.groups);
    const times = pick(options.times);
    const local = times
      ? timeSplit(times, size)
      : groups
        ? groupSplit(groups, size, s)
        : labels
          ? stratifiedSplit(labels, size, s)
          : randomSplit(rows.length, size, s);
    return { train: local.train.map((i) => rows[i]), test: local.test.map((i) => rows[i]) };
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const first = two(all, test, seed);
  const second = two(first.train, validation / (1 - test), seed + 1);
  return { train: second.train, validation: second.test, test: first.test };
}

export function groupRows(groups: ArrayLike<number | string>): Map<number | string, number[]> {
  const byGroup = new Map<number | string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    let rows = byGroup.get(g);
    if (!rows) byGroup.set(g, (rows = []));
    rows.push(i);
  }
  return byGroup;
}

function sortedInts(rows: number[]): Int32Array {
  return Int32Array.from(rows).sort();
}
