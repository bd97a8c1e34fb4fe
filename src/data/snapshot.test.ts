// Snapshots: the same content gives the same id whatever the spelling of the file, publishing is atomic, reading
// back checks the id, and the manifest lists the sources without secrets.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import { readCsv } from './csv.ts';
import { DataErrors } from './errors.ts';
import { contentId, readSnapshot, writeSnapshot } from './snapshot.ts';
import { fileSource } from './sources/file/source.ts';
import { postgresSource } from './sources/postgres/source.ts';
import { readSource } from './sources/source.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-snap-'));
const write = (name: string, text: string) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
};

describe('snapshots', () => {
  const a = write('a.csv', 'x,c,t,b\n1,red,2024-01-01,true\n2.5,blue,2024-01-02,false\n,red,,true\n');
  // the same table spelled differently: CRLF, other number formatting, quoted text, a marker for missing
  const b = write(
    'b.csv',
    'x,c,t,b\r\n1.0,"red",2024-01-01T00:00:00Z,true\r\n2.50,blue,2024-01-02,false\r\nNA,red,NA,true\r\n',
  );
  const c = write('c.csv', 'x,c,t,b\n1,red,2024-01-01,true\n2.5,blue,2024-01-02,false\n,green,,true\n');
  const store = path.join(tmp, 'store');

  it('gives the same content the same id, and other content another', async () => {
    const [ra, rb, rc] = await Promise.all([a, b, c].map((f) => readCsv(f)));
    assert.equal(contentId(ra.frame), contentId(rb.frame));
    assert.notEqual(contentId(ra.frame), contentId(rc.frame));
    assert.match(contentId(ra.frame), /^[0-9a-f]{64}$/);
  });

  it('publishes atomically once, and a second write finds it', async () => {
    const first = await writeSnapshot(await readSource(fileSource(a)), { dir: store });
    assert.equal(first.created, true);
    assert.deepEqual(fs.readdirSync(first.dir).sort(), [
      'data.parquet',
      'manifest.json',
      'profile.json',
      'schema.json',
    ]);
    const again = await writeSnapshot(await readSource(fileSource(b)), { dir: store });
    assert.equal(again.created, false);
    assert.equal(again.id, first.id);
    assert.deepEqual(fs.readdirSync(store), [first.id], 'no temporary folder left behind');
    assert.equal(first.manifest.rows, 3);
    assert.deepEqual(first.manifest.sources, [{ kind: 'file', location: a, details: { format: 'csv' } }]);
  });

  it('reads back the same table, and refuses one whose data changed', async () => {
    const snap = await writeSnapshot(await readSource(fileSource(c)), { dir: store });
    const back = await readSnapshot(store, snap.id);
    const orig = await readCsv(c);
    assert.deepEqual(back.frame.toRecords(), orig.frame.toRecords());
    const parquet = path.join(snap.dir, 'data.parquet');
    const bytes = fs.readFileSync(parquet);
    bytes[bytes.length >> 1] ^= 0xff;
    fs.writeFileSync(parquet, bytes);
    await assert.rejects(readSnapshot(store, snap.id), (e) => isKeelError(e, DataErrors.SNAPSHOT_CORRUPT));
  });

  it('lists a database source without its password', async () => {
    const src = postgresSource({
      connectionString: 'postgres://postgres:hunter2-secret@127.0.0.1:5432/test',
      query: "SELECT 1::integer AS one, 'a'::text AS letter",
    });
    const snap = await writeSnapshot(await readSource(src), { dir: store });
    const text = fs.readFileSync(path.join(snap.dir, 'manifest.json'), 'utf8');
    assert.ok(!text.includes('hunter2'), text);
    assert.match(text, /postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
  });
});
