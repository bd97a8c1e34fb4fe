// Data benchmark: a seeded 1,000,000 × 28 CSV (Higgs-like: a 0/1 label and 27 floats) read into a Frame by Keel,
// by pandas.read_csv (Debian's python3-pandas) and by DuckDB (into its own table, and into JS values one by one),
// plus Keel's Parquet read and its profile — every repeat in a fresh process, medians of 3, one run; ratios printed.
// usage: npx tsx bench/data.ts [--rows 1000000] [--repeats 3] [--modes keel-csv,...] [--no-pandas] [--keep] [--only-data]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB } from '../src/data/duckdb.ts';
import { HIGGS_COLUMNS, writeHiggsCsv } from './higgs.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const N = Number(arg('rows', '1000000'));
const REPEATS = Number(arg('repeats', '3'));
const P = HIGGS_COLUMNS;
const here = path.dirname(new URL(import.meta.url).pathname);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-data-'));
const csv = path.join(dir, 'higgs.csv');
const parquet = path.join(dir, 'higgs.parquet');

writeHiggsCsv(csv, N);
{
  const db = await openDuckDB();
  await db.connection.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${parquet}' (FORMAT parquet)`);
  db.close();
}
const float64MB = (N * P * 8) / 1e6;
console.error(
  `data: ${csv} (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB), float64 size ${float64MB.toFixed(0)} MB`,
);

interface Result {
  name: string;
  seconds: number[];
  peak_rss_mb: number;
  rss_start_mb?: number;
  rows: number;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// every repeat in a fresh process, so a peak RSS is one read's own (not garbage left by the previous repeat)
function child(mode: string, file: string): Result {
  const runs: Result[] = [];
  for (let k = 0; k < REPEATS; k++) {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'data-child.ts'), mode, file, '1'],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    );
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop() as string));
  }
  return {
    name: mode,
    seconds: runs.map((r) => r.seconds[0]),
    peak_rss_mb: median(runs.map((r) => r.peak_rss_mb)),
    rss_start_mb: median(runs.map((r) => r.rss_start_mb ?? 0)),
    rows: runs[0].rows,
  };
}

if (process.argv.includes('--only-data')) {
  console.log(dir);
  process.exit(0);
}
const results: Result[] = [];
const pandasRuns: Result[] = [];
for (let k = 0; k < (process.argv.includes('--no-pandas') ? 0 : REPEATS); k++) {
  const pandas = spawnSync('/usr/bin/python3', [path.join(here, 'peers/pandas_read.py'), csv, '1'], {
    encoding: 'utf8',
  });
  if (pandas.status === 0) pandasRuns.push(JSON.parse(pandas.stdout.trim()));
  else console.error(`pandas failed (run bash bench/setup.sh as root): ${pandas.stderr}`);
}
if (pandasRuns.length > 0) {
  results.push({
    name: 'pandas.read_csv',
    seconds: pandasRuns.map((r) => r.seconds[0]),
    peak_rss_mb: median(pandasRuns.map((r) => r.peak_rss_mb)),
    rows: pandasRuns[0].rows,
  });
}
const MODES = arg('modes', 'duckdb-table,duckdb-values,keel-csv,keel-parquet,keel-profile').split(',');
for (const mode of MODES) {
  const r = child(mode, mode === 'keel-parquet' ? parquet : csv);
  results.push(r);
  console.error(`${mode}: median ${median(r.seconds).toFixed(2)} s`);
}

console.log(
  `data benchmark — ${N.toLocaleString()} × ${P} CSV, ${os.cpus().length} cores, ${new Date().toISOString()}`,
);
console.table(
  results.map((r) => ({
    run: r.name,
    'median s': median(r.seconds).toFixed(2),
    runs: r.seconds.map((s) => s.toFixed(2)).join(' '),
    rows: r.rows,
    'peak RSS MB': Math.round(r.peak_rss_mb),
    'RSS at start MB': r.rss_start_mb === undefined ? '' : Math.round(r.rss_start_mb),
  })),
);
const get = (n: string) => results.find((r) => r.name === n);
const kc = get('keel-csv');
const kp = get('keel-parquet');
const pd = get('pandas.read_csv');
const dt = get('duckdb-table');
if (kc && pd)
  console.log(
    `CSV → Frame: Keel / pandas = ${(median(kc.seconds) / median(pd.seconds)).toFixed(2)} (target <= 1.0)`,
  );
if (kc && dt)
  console.log(
    `CSV → Frame: Keel / DuckDB's own read = ${(median(kc.seconds) / median(dt.seconds)).toFixed(2)} (target <= 1.5)`,
  );
if (kp) console.log(`Parquet → Frame: ${median(kp.seconds).toFixed(2)} s (target <= 1.5 s)`);
if (kc) {
  console.log(
    `Keel CSV read peak RSS ${Math.round(kc.peak_rss_mb)} MB = ${(kc.peak_rss_mb / float64MB).toFixed(2)} × the float64 size (${float64MB.toFixed(0)} MB; target <= 2); above the process's start ${(Math.max(0, kc.peak_rss_mb - (kc.rss_start_mb ?? 0)) / float64MB).toFixed(2)} ×`,
  );
}
if (process.argv.includes('--keep')) console.error(`kept the data in ${dir}`);
else fs.rmSync(dir, { recursive: true, force: true });
