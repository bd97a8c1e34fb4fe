// Runs side by side: every param and metric key across the runs, one value per run, and which keys differ.

import type { RunRecord } from './types.ts';

export interface RunComparison {
  runs: { id: string; name: string; experiment: string; status: string; startedAt: string }[];
  params: Record<string, (string | null)[]>;
  metrics: Record<string, (number | null)[]>;
  /** keys whose values are not all equal */
  differing: { params: string[]; metrics: string[] };
}

export function compareRuns(runs: readonly RunRecord[]): RunComparison {
  const keys = <T>(pick: (r: RunRecord) => Record<string, T>) =>
    [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  const params: Record<string, (string | null)[]> = {};
  for (const k of keys((r) => r.params)) params[k] = runs.map((r) => r.params[k] ?? null);
  const metrics: Record<string, (number | null)[]> = {};
  for (const k of keys((r) => r.metrics)) metrics[k] = runs.map((r) => r.metrics[k] ?? null);
  const differs = (vals: unknown[]) => new Set(vals.map((v) => JSON.stringify(v))).size > 1;
  return {
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      experiment: r.experiment,
      status: r.status,
      startedAt: r.startedAt,
    })),
    params,
    metrics,
    differing: {
      params: Object.keys(params).filter((k) => differs(params[k])),
      metrics: Object.keys(metrics).filter((k) => differs(metrics[k])),
    },
  };
}
