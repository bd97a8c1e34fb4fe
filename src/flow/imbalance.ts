// The training job's answers to how rows are split and weighed: the held-out split (random, stratified, by group, by
// time), balanced class weights as sample weights (every family that takes them), resampling of the training rows
// only, and for binary tasks a calibrator and a decision threshold chosen on rows the model did not fit.

import { KeelError } from '../core/index.ts';
import type { Frame } from '../data/index.ts';
import { applyCalibrator, type DecisionState, type Task } from '../estimator/index.ts';
import {
  fitIsotonic,
  fitPlatt,
  groupSplit,
  randomOverSample,
  randomSplit,
  randomUnderSample,
  rocCurve,
  smote,
  stratifiedSplit,
  timeSplit,
  tuneThreshold,
} from '../evaluate/index.ts';
import { encodeTarget } from '../transform/index.ts';
import { FlowErrors } from './errors.ts';

export type SplitSpec =
  | { kind: 'random' }
  | { kind: 'stratified' }
  | { kind: 'group'; column: string }
  | { kind: 'time'; column: string; gap?: number };

export type Resample = 'smote' | 'undersample' | 'oversample';
export type Calibration = 'isotonic' | 'sigmoid';

/** random | stratified | group:COL | time:COL[:gap] → a split spec (the command line's form). */
export function parseSplit(text: string): SplitSpec {
  const [kind, column, gap] = text.split(':');
  if ((kind === 'random' || kind === 'stratified') && column === undefined) return { kind };
  if (kind === 'group' && column) return { kind, column };
  if (kind === 'time' && column) {
    const g = gap === undefined ? 0 : Number(gap);
    if (!Number.isInteger(g) || g < 0)
      throw new KeelError(
        FlowErrors.BAD_OPTION,
        `time split gap must be a whole number of rows, got "${gap}"`,
      );
    return { kind, column, gap: g };
  }
  throw new KeelError(
    FlowErrors.BAD_OPTION,
    `split "${text}": use random, stratified, group:COLUMN or time:COLUMN[:GAP_ROWS]`,
  );
}

/** The split's own column, which leaves the features (a group id would let the model memorise groups). */
export function splitColumnToDrop(split: SplitSpec | undefined): string[] {
  return split?.kind === 'group' ? [split.column] : [];
}

/** Train and test rows of a labelled frame; the default is stratified for classes and random for regression. */
export function splitRows(
  frame: Frame,
  target: string,
  task: Task,
  share: number,
  seed: number,
  split?: SplitSpec,
): { train: Frame; test: Frame; testRows: ArrayLike<number>; how: string } {
  const kind = split?.kind ?? (task === 'regression' ? 'random' : 'stratified');
  const need = (col: string) => {
    if (!frame.has(col)) throw new KeelError(FlowErrors.BAD_COLUMN, `the split names "${col}", not a column`);
    return frame.column(col);
  };
  let idx: { train: Int32Array | number[]; test: Int32Array | number[] };
  let how: string = kind;
  if (kind === 'stratified') {
    if (task === 'regression') throw new KeelError(FlowErrors.BAD_OPTION, 'a stratified split needs classes');
    idx = stratifiedSplit(encodeTarget(frame.column(target), task).y, share, seed);
  } else if (kind === 'random') idx = randomSplit(frame.nRows, share, seed);
  else if (split?.kind === 'group') {
    const c = need(split.column);
    const groups =
      c.type === 'categorical'
        ? Array.from(c.codes, (k) => (k < 0 ? '' : c.levels[k]))
        : Array.from(c.values);
    idx = groupSplit(groups, share, seed);
    how = `by group ${split.column} (left out of the features)`;
  } else {
    const s = split as { column: string; gap?: number };
    const c = need(s.column);
    if (c.type === 'categorical')
      throw new KeelError(FlowErrors.BAD_OPTION, `time split: "${s.column}" holds no times or numbers`);
    idx = timeSplit(c.values, share, { gap: s.gap });
    how = `by time ${s.column}: the latest rows are the test${s.gap ? `, ${s.gap} rows left out before them` : ''}`;
  }
  return { train: frame.take(idx.train), test: frame.take(idx.test), testRows: idx.test, how };
}

/** Balanced class weights as per-row sample weights: n / (K · rows of the row's class). */
export function balancedWeights(y: Float64Array, K: number): Float64Array {
  const counts = new Float64Array(K);
  for (const k of y) counts[k]++;
  const present = counts.filter((c) => c > 0).length;
  return Float64Array.from(y, (k) => y.length / (present * counts[k]));
}

/** The training rows resampled (seeded); the test rows are never touched. */
export function resampleRows(frame: Frame, target: string, how: Resample, seed: number): Frame {
  if (how === 'smote') return smote(frame, target, { seed });
  if (how === 'undersample') return randomUnderSample(frame, target, { seed });
  if (how === 'oversample') return randomOverSample(frame, target, { seed });
  throw new KeelError(FlowErrors.BAD_OPTION, `resample "${how}": use smote, undersample or oversample`);
}

/**
 * A binary model's decision from held-out scores: the calibrator (isotonic or sigmoid, i.e. Platt) and the
 * threshold that maximises F1, maximises Youden's J (TPR − FPR), or minimises the cost (cost:FP,FN).
 */
export function chooseDecision(
  y: Float64Array,
  p1: Float64Array,
  o: { calibrate?: Calibration; threshold?: string },
): DecisionState {
  const decision: DecisionState = {};
  let score = p1;
  if (o.calibrate) {
    const cal = o.calibrate === 'isotonic' ? fitIsotonic(p1, y) : fitPlatt(p1, y);
    decision.calibrator = cal;
    score = Float64Array.from(p1, (s) => applyCalibrator(cal, s));
  }
  const rule = o.threshold;
  if (!rule) return decision;
  if (rule === 'f1') decision.threshold = tuneThreshold(y, score).threshold;
  else if (rule === 'youden') {
    const roc = rocCurve(y, score);
    let best = 0;
    for (let k = 1; k < roc.thresholds.length; k++)
      if (roc.tpr[k] - roc.fpr[k] > roc.tpr[best] - roc.fpr[best]) best = k;
    decision.threshold = roc.thresholds[best];
  } else {
    const m = /^cost:([0-9.]+),([0-9.]+)$/.exec(rule);
    if (!m)
      throw new KeelError(
        FlowErrors.BAD_OPTION,
        `threshold "${rule}": use f1, youden or cost:FP,FN (two numbers)`,
      );
    decision.threshold = tuneThreshold(y, score, { cost: { fp: Number(m[1]), fn: Number(m[2]) } }).threshold;
  }
  // a threshold above every score predicts no positive: keep it finite so it serialises
  if (!Number.isFinite(decision.threshold as number)) decision.threshold = 1;
  decision.rule = rule;
  return decision;
}
