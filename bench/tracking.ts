// Tracking benchmark: log 1,000,000 metric points and query 10,000 runs, on SQLite and on PostgreSQL.
// usage: node --import tsx bench/tracking.ts [--points 1000000] [--runs 10000] [--pg postgres://postgres@127.0.0.1:5432/test]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres, openStore, type SqlRunStore } from '../src/track/index.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const POINTS = Number(arg('points', '1000000'));
const RUNS = Number(arg('runs', '10000'));
const PG = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
const BATCH = 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function bench(label: string, store: SqlRunStore): Promise<Record<string, string | number>> {
  // 1. metric points: 100 runs, batches of 1,000 points
  const runs = 100;
  const perRun = POINTS / runs;
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const id = await store.startRun({ experiment: 'bench-metrics', name: `r${r}` });
    for (let b = 0; b < perRun; b += BATCH) {
      const points = Array.from({ length: Math.min(BATCH, perRun - b) }, (_, k) => ({
        key: `m${k % 10}`,
        value: Math.random(),
        step: b + k,
      }));
      await store.logMetricBatch(id, points);
    }
    await store.endRun(id, 'finished');
  }
  const logSeconds = (performance.now() - t0) / 1000;

  // 2. 10,000 runs with params, tags and metrics
  const t1 = performance.now();
  for (let r = 0; r < RUNS; r++) {
    const id = await store.startRun({
      experiment: 'bench-query',
      name: r % 3 ? 'gradient_boosting' : 'logistic_regression',
      params: {
        model: r % 3 ? 'boosting' : 'linear',
        learning_rate: (r % 10) / 100,
        max_leaves: 8 + (r % 56),
      },
      tags: { owner: `u${r % 7}` },
    });
    await store.logMetrics(id, { roc_auc: 0.8 + (r % 200) / 1000, log_loss: 0.3 + (r % 50) / 100 });
    await store.endRun(id, 'finished');
  }
  const createSeconds = (performance.now() - t1) / 1000;
  const timings: Record<string, number[]> = { filter: [], count: [], page: [] };
  for (let i = 0; i < 21; i++) {
    let t = performance.now();
    const hits = await store.listRuns({
      experiment: 'bench-query',
      filter: "metrics.roc_auc > 0.95 and params.model = 'boosting' and params.max_leaves >= 31",
      orderBy: 'metrics.roc_auc desc',
      limit: 50,
    });
    timings.filter.push(performance.now() - t);
    if (hits.length === 0) throw new Error('the benchmark query matched nothing');
    t = performance.now();
    await store.countRuns({
      experiment: 'bench-query',
      filter: "tags.owner = 'u3' or metrics.log_loss < 0.35",
    });
    timings.count.push(performance.now() - t);
    t = performance.now();
    await store.listRuns({ experiment: 'bench-query', orderBy: 'started_at desc', limit: 100, offset: 5000 });
    timings.page.push(performance.now() - t);
  }
  return {
    store: label,
    'points/s': Math.round(POINTS / logSeconds),
    'log s': logSeconds.toFixed(1),
    'runs created/s': Math.round(RUNS / createSeconds),
    'filter+order p50 ms': median(timings.filter).toFixed(1),
    'count p50 ms': median(timings.count).toFixed(1),
    'page (offset 5000) p50 ms': median(timings.page).toFixed(1),
  };
}

const rows: Record<string, string | number>[] = [];
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-track-'));
const sqlite = await openStore({ home });
rows.push(await bench('SQLite (WAL)', sqlite));
await sqlite.close();
const schema = `keel_bench_${process.pid}`;
const pg = await openStore({ home, url: PG, schema });
try {
  rows.push(await bench('PostgreSQL 15', pg));
} finally {
  await pg.close();
  const db = await openPostgres({ url: PG });
  await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.close();
}
console.log(
  `tracking benchmark — ${POINTS.toLocaleString()} metric points, ${RUNS.toLocaleString()} runs, ${os.cpus().length} cores, ${new Date().toISOString()}`,
);
console.table(rows);
