// Keel's own Parquet writer, read back by DuckDB: every column type with nulls, many levels (wide dictionary
// indices), several row groups, no rows — the same content (contentId) comes back.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { openDuckDB } from './duckdb.ts';
import { Frame } from './frame.ts';
import { writeParquet } from './parquet-write.ts';
import { contentId } from './snapshot.ts';
import { fileSource } from './sources/file/source.ts';
import { readSource } from './sources/source.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-parquet-'));

function table(n: number, levels: number): Frame {
  const rng = createRng(n + levels);
  const num = new Float64Array(n);
  const flag = new Float64Array(n);
  const when = new Float64Array(n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    num[i] = i % 11 === 0 ? Number.NaN : i % 13 === 0 ? -0 : rng.normal() * 1e6;
    flag[i] = i % 7 === 0 ? Number.NaN : i % 3 === 0 ? 1 : 0;
    when[i] = i % 5 === 0 ? Number.NaN : Date.UTC(2020, 0, 1) + i * 3_600_123;
    codes[i] = i % 9 === 0 ? -1 : rng.int(levels);
  }
  return new Frame([
    { name: 'x', type: 'numeric', values: num },
    { name: 'flag', type: 'boolean', values: flag },
    { name: 'at time', type: 'datetime', values: when },
    {
      name: 'city',
      type: 'categorical',
      codes,
      levels: Array.from({ length: levels }, (_, k) => (k === 0 ? 'Zürich, "Ω"' : `c${k}`)),
    },
  ]);
}

async function roundTrip(frame: Frame, name: string): Promise<Frame> {
  const file = path.join(dir, `${name}.parquet`);
  await writeParquet(frame, file);
  return (await readSource(fileSource(file))).frame;
}

describe('Parquet writer', () => {
  it('round-trips every column type with nulls through DuckDB, over several row groups', async () => {
    const frame = table(300_000, 3);
    const back = await roundTrip(frame, 'types');
    assert.deepEqual(
      back.columns.map((c) => [c.name, c.type]),
      frame.columns.map((c) => [c.name, c.type]),
    );
    assert.equal(contentId(back), contentId(frame));
  });

  it('writes wide dictionary indices (5,000 levels) and the types DuckDB reports', async () => {
    const frame = table(20_000, 5000);
    assert.equal(contentId(await roundTrip(frame, 'wide')), contentId(frame));
    const db = await openDuckDB();
    try {
      const r = await db.connection.runAndReadAll(
        `DESCRIBE SELECT * FROM read_parquet('${path.join(dir, 'wide.parquet')}')`,
      );
      assert.deepEqual(
        r.getRowObjects().map((o) => [o.column_name, o.column_type]),
        [
          ['x', 'DOUBLE'],
          ['flag', 'BOOLEAN'],
          ['at time', 'TIMESTAMP'],
          ['city', 'VARCHAR'],
        ],
      );
      const nulls = await db.connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE x IS NULL), count(*) FILTER (WHERE city IS NULL) FROM read_parquet('${path.join(dir, 'wide.parquet')}')`,
      );
      assert.deepEqual(nulls.getRows()[0].map(Number), [Math.ceil(20_000 / 11), Math.ceil(20_000 / 9)]);
    } finally {
      db.close();
    }
  });

  it('writes a table without rows, and one of a single row', async () => {
    const empty = table(0, 2);
    const back = await roundTrip(empty, 'empty');
    assert.equal(back.nRows, 0);
    const one = table(1, 1);
    assert.equal(contentId(await roundTrip(one, 'one')), contentId(one));
  });
});
