// One measured configuration of bench/data.ts in its own process (so its peak memory is its own): Keel's CSV or
// Parquet reader into a Frame, Keel's profile, DuckDB into its own table, or DuckDB into JS arrays value by value.
// usage: data-child.ts <keel-csv|keel-parquet|keel-profile|duckdb-table|duckdb-values> <file> <repeats>

import { DuckDBInstance } from '@duckdb/node-api';
import { fileSource, profileDataset, readCsv, readSource } from '../src/data/index.ts';
import { peakRssMb } from './peak.ts';

const [mode, file, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText ?? 3);
const rssAtStart = process.memoryUsage().rss / 1e6;
const seconds: number[] = [];
let rows = 0;
let extra: Record<string, unknown> = {};

for (let k = 0; k < repeats; k++) {
  if (mode === 'keel-csv') {
    const t = performance.now();
    const r = await readCsv(file);
    seconds.push((performance.now() - t) / 1000);
    rows = r.frame.nRows;
    extra = { quarantined: r.counts.quarantined, columns: r.frame.columns.length };
  } else if (mode === 'keel-parquet') {
    const t = performance.now();
    const r = await readSource(fileSource(file));
    seconds.push((performance.now() - t) / 1000);
    rows = r.frame.nRows;
  } else if (mode === 'keel-profile') {
    const r = await readCsv(file);
    const t = performance.now();
    const p = profileDataset(r.frame, { target: 'label' });
    seconds.push((performance.now() - t) / 1000);
    rows = p.rows;
  } else {
    const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
    const conn = await inst.connect();
    const t = performance.now();
    if (mode === 'duckdb-table') {
      await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
      rows = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0]);
    } else {
      // the path to avoid: every value converted to a JS value one by one
      const res = await conn.stream(`SELECT * FROM read_csv('${file}')`);
      const cols: number[][] = [];
      for (;;) {
        const chunk = await res.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (let c = 0; c < chunk.columnCount; c++) {
          cols[c] ??= [];
          const v = chunk.getColumnVector(c);
          for (let r = 0; r < chunk.rowCount; r++) cols[c].push(Number(v.getItem(r)));
        }
      }
      rows = cols[0]?.length ?? 0;
    }
    seconds.push((performance.now() - t) / 1000);
    conn.closeSync();
    inst.closeSync();
  }
}
console.log(
  JSON.stringify({
    mode,
    seconds,
    rows,
    rss_start_mb: rssAtStart,
    peak_rss_mb: peakRssMb(),
    ...extra,
  }),
);
