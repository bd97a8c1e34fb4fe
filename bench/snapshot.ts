// Snapshot benchmark: the time `keel train` spends writing its data snapshot (Parquet + schema + profile + manifest,
// fsynced and renamed) for a seeded 1,000,000 × 28 table read from CSV, against DuckDB's own CSV → Parquet copy of
// the same file in the same run (read_csv + COPY … (FORMAT parquet)). Medians of 3; one process; ratios printed.
// With --train, also runs `keel train` on the file (compiled bin, logistic regression) and reports from its progress
// lines how long the snapshot step took within the whole command.
// usage: npx tsx bench/snapshot.ts [--rows 1000000] [--repeats 3] [--categorical 0] [--train]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB } from '../src/data/duckdb.ts';
import { readCsv, writeSnapshot } from '../src/data/index.ts';
import { HIGGS_COLUMNS, writeHiggsCsv } from './higgs.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const N = Number(arg('rows', '1000000'));
const REPEATS = Number(arg('repeats', '3'));
const CATS = Number(arg('categorical', '0'));
const P = HIGGS_COLUMNS;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-snapshot-'));
const csv = path.join(dir, 'higgs.csv');

writeHiggsCsv(csv, N, CATS);
console.error(
  `data: ${csv} (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB), ${N} × ${P}, ${CATS} categorical`,
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const read = await readCsv(csv);
const keel: number[] = [];
const duck: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  const store = path.join(dir, `snapshots-${r}`);
  let t0 = performance.now();
  const snap = await writeSnapshot(
    { frame: read.frame, source: { kind: 'file', location: csv }, counts: read.counts },
    { dir: store, target: 'label' },
  );
  keel.push((performance.now() - t0) / 1000);
  if (!snap.created) throw new Error('the snapshot was not written');
  const out = path.join(dir, `duck-${r}.parquet`);
  t0 = performance.now();
  const db = await openDuckDB();
  await db.connection.run(
    `COPY (SELECT * FROM read_csv('${csv}')) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  db.close();
  duck.push((performance.now() - t0) / 1000);
  console.error(
    `repeat ${r + 1}: keel snapshot ${keel[r].toFixed(2)} s, duckdb csv→parquet ${duck[r].toFixed(2)} s`,
  );
  fs.rmSync(store, { recursive: true, force: true });
  fs.rmSync(out, { force: true });
}
const k = median(keel);
const d = median(duck);
console.log(
  JSON.stringify({
    rows: N,
    columns: P,
    categorical: CATS,
    keel_snapshot_s: k,
    duckdb_csv_to_parquet_s: d,
    ratio: k / d,
  }),
);
console.log(
  `snapshot of ${N} × ${P}: Keel ${k.toFixed(2)} s (median of ${REPEATS}), DuckDB CSV → Parquet ${d.toFixed(2)} s; Keel/DuckDB ${(k / d).toFixed(2)}`,
);
if (process.argv.includes('--train')) {
  const { spawnSync } = await import('node:child_process');
  const bin = path.join(path.dirname(new URL(import.meta.url).pathname), '../bin/keel.mjs');
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      bin,
      'train',
      csv,
      '--target',
      'label',
      '--model',
      'logistic_regression',
      '--home',
      path.join(dir, 'home'),
    ],
    { encoding: 'utf8' },
  );
  const total = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(r.stderr);
  // "[  4.1s] data snapshot 1a2b… (written)": the step's time is the gap since the line before it
  const stamps = [...r.stderr.matchAll(/^\[\s*([0-9.]+)s\] (.*)$/gm)].map((m) => ({
    t: Number(m[1]),
    line: m[2],
  }));
  const at = stamps.findIndex((s) => s.line.startsWith('data snapshot'));
  const step = at > 0 ? stamps[at].t - stamps[at - 1].t : Number.NaN;
  console.log(JSON.stringify({ keel_train_s: total, snapshot_step_s: step }));
  console.log(
    `keel train (logistic regression) ${total.toFixed(1)} s in all; the snapshot step ${step.toFixed(1)} s`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
