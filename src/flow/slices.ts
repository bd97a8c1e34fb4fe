// Metrics by slice: for each categorical input column, the test metrics within its most common values.

import type { Frame } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import { classificationMetrics, type MetricSet, regressionMetrics } from '../evaluate/index.ts';

export interface SliceMetrics {
  column: string;
  value: string;
  rows: number;
  metrics: MetricSet;
}

export function sliceMetrics(
  test: Frame,
  target: string,
  task: Task,
  y: Float64Array,
  output: { probabilities?: Float64Array; values?: Float64Array },
  classes: number,
  options: { topValues?: number; minRows?: number } = {},
): SliceMetrics[] {
  const top = options.topValues ?? 5;
  const minRows = options.minRows ?? 30;
  const out: SliceMetrics[] = [];
  for (const col of test.columns) {
    if (col.name === target || col.type !== 'categorical') continue;
    const counts = new Map<number, number>();
    for (let i = 0; i < col.codes.length; i++)
      if (col.codes[i] >= 0) counts.set(col.codes[i], (counts.get(col.codes[i]) ?? 0) + 1);
    const levels = [...counts.entries()]
      .filter(([, n]) => n >= minRows)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
    for (const [code, n] of levels) {
      const rows: number[] = [];
      for (let i = 0; i < col.codes.length; i++) if (col.codes[i] === code) rows.push(i);
      const ys = Float64Array.from(rows, (i) => y[i]);
      let metrics: MetricSet;
      if (task === 'regression') {
        metrics = regressionMetrics(
          ys,
          Float64Array.from(rows, (i) => (output.values as Float64Array)[i]),
        );
      } else {
        const K = classes;
        const probs = new Float64Array(rows.length * K);
        rows.forEach((i, k) => {
          probs.set((output.probabilities as Float64Array).subarray(i * K, (i + 1) * K), k * K);
        });
        const present = new Set(ys).size;
        try {
          metrics =
            present > 1
              ? classificationMetrics(ys, probs, K)
              : { accuracy: classificationMetrics(ys, probs, K).accuracy };
        } catch {
          metrics = {};
        }
      }
      out.push({ column: col.name, value: col.levels[code], rows: n, metrics });
    }
  }
  return out;
}
