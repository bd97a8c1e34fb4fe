// The two-thread read gives exactly what the one-thread read gives — values, categories, quarantine, line numbers,
// counts — and falls back to one thread when the split lands inside a quoted field or a part runs out of room.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createRng } from '../../core/index.ts';
import { type DelimitedResult, readDelimited } from './read.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-par-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const base = { delimiter: ',', quote: '"', header: true, missing: ['', 'NA', '?'] };

function rows(n: number, seed: number, from = 0): string[] {
  const rng = createRng(seed);
  const out: string[] = [];
  for (let i = from; i < from + n; i++) {
    const bad = i % 997 === 5 ? 'oops' : (rng.normal() * 100).toFixed(3);
    const city = ['Oslo', 'Lima', 'Pune', 'Graz', `Town${i % 50}`][i % 5];
    const day = new Date(Date.UTC(2020, 0, 1 + (i % 900))).toISOString().slice(0, 10);
    const note = i % 13 === 0 ? '"a, ""quoted"" note"' : i % 17 === 0 ? 'NA' : `n${i % 7}`;
    out.push(`${i},${bad},${city},${day},${note}`);
    if (i % 1500 === 7) out.push(''); // an empty line inside the data
    if (i % 2100 === 9) out.push(`${i},short`); // a short row
  }
  return out;
}

function same(a: DelimitedResult, b: DelimitedResult): void {
  assert.deepEqual(a.counts, b.counts);
  assert.deepEqual(a.quarantine, b.quarantine);
  assert.deepEqual([...a.lines], [...b.lines]);
  assert.deepEqual(a.schema, b.schema);
  assert.deepEqual(a.frame.toRecords(), b.frame.toRecords());
}

describe('the two-thread CSV read', () => {
  it('matches the one-thread read exactly, bad rows and empty lines in both halves', async () => {
    const file = path.join(dir, 'big.csv');
    fs.writeFileSync(file, `id,x,city,day,note\r\n${rows(60_000, 1).join('\r\n')}\r\n\r\n`);
    const two = await readDelimited(file, { ...base, parallelMinBytes: 1 });
    const one = await readDelimited(file, { ...base, parallel: false });
    assert.equal(two.parallel, true);
    assert.equal(one.parallel, false);
    same(two, one);
    assert.ok(two.counts.quarantined > 100);
    assert.equal(two.trailingEmptyLines, 1);
    const xs = two.frame.column('x');
    assert.equal(xs.type, 'numeric');
  });

  it('falls back to one thread when the split lands inside a quoted field with line ends', async () => {
    const file = path.join(dir, 'quoted.csv');
    const head = rows(20_000, 2);
    const longNote = `"${Array.from({ length: 500 }, (_, k) => `line ${k} ${'z'.repeat(1000)}`).join('\n')}"`;
    const tail = rows(20_000, 3, 20_000);
    fs.writeFileSync(
      file,
      `id,x,city,day,note\n${[...head, `99999,1.5,Oslo,2020-01-01,${longNote}`, ...tail].join('\n')}\n`,
    );
    const size = fs.statSync(file).size;
    const headBytes = Buffer.byteLength(`id,x,city,day,note\n${head.join('\n')}\n`);
    assert.ok(
      headBytes < size * 0.56 && headBytes + longNote.length > size * 0.56,
      'the split point is inside the long note',
    );
    const two = await readDelimited(file, { ...base, parallelMinBytes: 1 });
    assert.equal(two.parallel, false);
    same(two, await readDelimited(file, { ...base, parallel: false }));
    const ids = two.frame.column('id');
    const at = ids.type === 'numeric' ? ids.values.indexOf(99999) : -1;
    assert.ok(at >= 0, 'the row with the long note is accepted');
    assert.equal(String(two.frame.cell(at, 'note')).split('\n').length, 500);
  });

  it('falls back when the sample underestimates the rows (a part runs out of room)', async () => {
    const file = path.join(dir, 'skewed.csv');
    const wide = Array.from({ length: 6000 }, (_, i) => `${i},${i / 2},${'w'.repeat(300)},2020-01-01,x`);
    const narrow = Array.from({ length: 200_000 }, (_, i) => `${6000 + i},1,a,2020-01-02,y`);
    fs.writeFileSync(file, `id,x,city,day,note\n${[...wide, ...narrow].join('\n')}\n`);
    const two = await readDelimited(file, { ...base, parallelMinBytes: 1 });
    assert.equal(two.parallel, false);
    assert.equal(two.counts.accepted, 206_000);
    same(two, await readDelimited(file, { ...base, parallel: false }));
  });
});
