// Seeded train/test splits; stratified keeps each class's share on both sides.

import { createRng, KeelError, shuffleInPlace } from '../core/index.ts';

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
      'EVALUATE_BAD_SPLIT',
      `test size must be between 0 and 1 (exclusive), got ${testSize}`,
    );
  }
}
