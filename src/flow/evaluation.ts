// What a model card plots, measured on the held-out rows when a model is trained: ROC and precision-recall curves,
// a reliability diagram, the confusion matrix, and permutation importance of every input column (how much the
// primary metric drops when that column's values are shuffled among the rows).

import { createRng, shuffleInPlace } from '../core/index.ts';
import { type Column, Frame } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import {
  calibrationCurve,
  classificationMetrics,
  confusionMatrix,
  precisionRecallCurve,
  predictedClasses,
  primaryMetric,
  regressionMetrics,
  rocCurve,
} from '../evaluate/index.ts';
import type { CardEvaluation } from '../registry/index.ts';
import type { PipelineOutput } from '../transform/index.ts';

/** What evaluation.json holds: the shape the model card reads (registry's CardEvaluation), for this task. */
export type EvaluationReport = CardEvaluation & { task: Task };

/** Keeps about `max` points of a curve, always the first and the last. */
function thin(xs: number[], ys: number[], max = 200): { x: number[]; y: number[] } {
  if (xs.length <= max) return { x: xs, y: ys };
  const step = (xs.length - 1) / (max - 1);
  const keep = Array.from({ length: max }, (_, k) => Math.round(k * step));
  return { x: keep.map((k) => xs[k]), y: keep.map((k) => ys[k]) };
}

/** The same column with its values shuffled among the rows (seeded). */
function shuffled(c: Column, seed: number): Column {
  const n = c.type === 'categorical' ? c.codes.length : c.values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, createRng(seed));
  if (c.type === 'categorical') return { ...c, codes: Int32Array.from(order, (i) => c.codes[i]) };
  return { ...c, values: Float64Array.from(order, (i) => c.values[i]) };
}

/**
 * The card's measurements for one fitted model: `predict` scores features, `features` are the held-out rows without
 * the target, `y` their labels (class indices or values), `out` the model's output on them.
 */
export function evaluationReport(o: {
  task: Task;
  classes: (string | number | boolean)[] | null;
  features: Frame;
  y: Float64Array;
  out: PipelineOutput;
  predict: (f: Frame) => PipelineOutput;
  threshold?: number;
  seed: number;
}): EvaluationReport {
  const K = (o.classes ?? []).length;
  const report: EvaluationReport = {
    task: o.task,
    classes: o.classes ? o.classes.map(String) : null,
    importance: { metric: primaryMetric(o.task).name, rows: 0, columns: [] },
  };
  if (o.task !== 'regression') {
    const probs = o.out.probabilities as Float64Array;
    const pred = predictedClasses(probs, o.y.length, K, o.threshold);
    const cm = confusionMatrix(o.y, pred, { labels: Array.from({ length: K }, (_, k) => k) });
    report.confusion = Array.from({ length: K }, (_, r) =>
      Array.from(cm.counts.subarray(r * K, (r + 1) * K)),
    );
    if (K === 2) {
      const p1 = Float64Array.from({ length: o.y.length }, (_, i) => probs[2 * i + 1]);
      const positives = o.y.some((v) => v === 1) && o.y.some((v) => v === 0);
      if (positives) {
        const roc = rocCurve(o.y, p1);
        const r = thin(roc.fpr, roc.tpr);
        report.roc = { fpr: r.x, tpr: r.y };
        const pr = precisionRecallCurve(o.y, p1);
        const p = thin(pr.recall, pr.precision);
        report.pr = { recall: p.x, precision: p.y };
      }
      report.calibration = calibrationCurve(o.y, p1, { bins: 10 });
    }
  }
  // permutation importance on at most 5,000 rows
  const n = Math.min(o.features.nRows, 5000);
  const rows = Array.from({ length: n }, (_, i) => Math.floor((i * o.features.nRows) / n));
  const sample = n === o.features.nRows ? o.features : o.features.take(rows);
  const y = n === o.features.nRows ? o.y : Float64Array.from(rows, (i) => o.y[i]);
  const metric = primaryMetric(o.task);
  const score = (out: PipelineOutput): number => {
    const m =
      o.task === 'regression'
        ? regressionMetrics(y, out.values as Float64Array)
        : classificationMetrics(y, out.probabilities as Float64Array, K, o.threshold);
    return m[metric.name];
  };
  let base: number;
  try {
    base = score(o.predict(sample));
  } catch {
    return report; // a metric undefined on these rows (one class only): no importance
  }
  const columns = sample.columns.map((c, j) => {
    const cols = sample.columns.map((d, k) => (k === j ? shuffled(d, o.seed + j) : d));
    const after = score(o.predict(new Frame(cols)));
    return { column: c.name, drop: metric.higherIsBetter ? base - after : after - base };
  });
  report.importance = { metric: metric.name, rows: n, columns: columns.sort((a, b) => b.drop - a.drop) };
  return report;
}
