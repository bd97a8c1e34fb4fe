// Reading real, unclean CSVs: inference, missing markers, trimming, CRLF, odd separators,
// and every bad row quarantined with its line and reason (read = accepted + quarantined).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { profileFrame, readCsv } from './index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-csv-'));
function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}
const ADULT = new URL('../../examples/adult/adult.csv', import.meta.url).pathname;

describe('readCsv', () => {
  it('reads the Adult data: types, " ?" as missing, values trimmed', async () => {
    const r = await readCsv(ADULT);
    assert.deepEqual(r.counts, { read: 32561, accepted: 32561, quarantined: 0 });
    const types = Object.fromEntries(r.schema.columns.map((c) => [c.name, c.type]));
    assert.equal(types.age, 'numeric');
    assert.equal(types['capital-gain'], 'numeric');
    assert.equal(types.workclass, 'categorical');
    assert.equal(types.income, 'categorical');
    const prof = Object.fromEntries(profileFrame(r.frame).columns.map((c) => [c.name, c]));
    // counts published in the dataset's README
    assert.equal(prof.workclass.missing, 1836);
    assert.equal(prof.occupation.missing, 1843);
    assert.equal(prof['native-country'].missing, 583);
    assert.equal(prof.age.missing, 0);
    const income = r.frame.column('income');
    assert.equal(income.type, 'categorical');
    if (income.type === 'categorical') assert.deepEqual([...income.levels].sort(), ['<=50K', '>50K']);
    assert.equal(r.frame.cell(0, 'workclass'), 'State-gov');
    assert.equal(r.schema.columns.find((c) => c.name === 'workclass')?.nullable, true);
  });

  it('quarantines broken rows and unparseable values with line numbers, losing nothing', async () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `${i},k${i % 3},2021-01-${String((i % 28) + 1).padStart(2, '0')},${i % 2 ? 'TRUE' : 'false'}`,
    );
    const text = [
      'a,b,c,d',
      '1, x ,2020-01-01,true',
      '2,y',
      '3, ? ,2020-01-02, False ',
      'oops,z,2020-01-03,NA',
      ...rows,
      '5,w,2020-02-02,true,extra',
    ].join('\n');
    const r = await readCsv(write('messy.csv', `${text}\n`));
    assert.equal(r.counts.read, 305);
    assert.equal(r.counts.read, r.counts.accepted + r.counts.quarantined);
    assert.equal(r.counts.quarantined, 3);
    const lines = [...new Set(r.quarantine.map((q) => q.line))].sort((x, y) => x - y);
    assert.deepEqual(lines, [3, 5, 306]);
    const bad = r.quarantine.find((q) => q.line === 5);
    assert.equal(bad?.code, 'DATA_BAD_VALUE');
    assert.equal(bad?.column, 'a');
    assert.match(bad?.raw ?? '', /^oops,z/);
    assert.equal(r.quarantine.find((q) => q.line === 3)?.code, 'DATA_SHORT_ROW');
    assert.equal(r.quarantine.find((q) => q.line === 306)?.code, 'DATA_LONG_ROW');
    const types = Object.fromEntries(r.schema.columns.map((c) => [c.name, c.type]));
    assert.deepEqual(types, { a: 'numeric', b: 'categorical', c: 'datetime', d: 'boolean' });
    assert.equal(r.frame.cell(0, 'b'), 'x');
    assert.equal(r.frame.cell(1, 'b'), null);
    assert.equal(r.frame.cell(1, 'd'), false);
    assert.equal(r.frame.cell(0, 'c'), '2020-01-01T00:00:00.000Z');
  });

  it('copes with CRLF, a BOM, semicolons and NA markers', async () => {
    const text = '\ufeffid;score;group\r\n1;0.5;a\r\n2;NA;b\r\n3;1.5;\r\n4;2.5;a\r\n';
    const r = await readCsv(write('semi.csv', text));
    assert.equal(r.dialect.delimiter, ';');
    assert.deepEqual(r.frame.names, ['id', 'score', 'group']);
    assert.equal(r.counts.accepted, 4);
    assert.equal(r.frame.cell(1, 'score'), null);
    assert.equal(r.frame.cell(2, 'group'), null);
    assert.equal(r.frame.cell(3, 'score'), 2.5);
  });

  it('reads old Mac files whose lines end in a lone CR, header included', async () => {
    const r = await readCsv(write('cr.csv', 'a,b\r1,2\r3,4\r'));
    assert.deepEqual(r.frame.names, ['a', 'b']);
    assert.deepEqual(r.frame.toRecords(), [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    assert.deepEqual([...r.lines], [2, 3]);
  });

  it('honours custom missing markers and declared types', async () => {
    const p = write('custom.csv', 'x,y\n1,-\n2,b\n-,c\n');
    const r = await readCsv(p, { missing: ['-'], types: { x: 'numeric', y: 'categorical' } });
    assert.equal(r.frame.cell(0, 'y'), null);
    assert.equal(r.frame.cell(2, 'x'), null);
    await assert.rejects(readCsv(p, { types: { nope: 'numeric' } }), { code: 'DATA_UNKNOWN_COLUMN' });
  });

  it('reads UTF-16 (by its BOM, little or big endian) and Latin-1 when told, quarantining bad UTF-8 otherwise', async () => {
    const text = 'name;city;n\r\nJosé;Zürich;1\r\nÅsa;Tromsø;2\r\nNoël;Besançon;3\r\n';
    const le = path.join(tmp, 'u16le.csv');
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = path.join(tmp, 'u16be.csv');
    const beBytes = Buffer.from(text, 'utf16le');
    for (let i = 0; i < beBytes.length; i += 2) [beBytes[i], beBytes[i + 1]] = [beBytes[i + 1], beBytes[i]];
    fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    for (const f of [le, be]) {
      const r = await readCsv(f);
      assert.equal(r.dialect.delimiter, ';');
      assert.deepEqual(r.frame.names, ['name', 'city', 'n']);
      assert.deepEqual(
        r.frame.toRecords().map((x) => x.city),
        ['Zürich', 'Tromsø', 'Besançon'],
      );
      assert.deepEqual([...r.lines], [2, 3, 4]);
    }
    const latin = path.join(tmp, 'latin1.csv');
    fs.writeFileSync(latin, Buffer.from(text, 'latin1'));
    const strict = await readCsv(latin);
    assert.deepEqual(strict.counts, { read: 3, accepted: 0, quarantined: 3 });
    assert.ok(strict.quarantine.every((q) => q.code === 'DATA_INVALID_UTF8'));
    const told = await readCsv(latin, { encoding: 'latin1' });
    assert.deepEqual(
      told.frame.toRecords().map((x) => x.name),
      ['José', 'Åsa', 'Noël'],
    );
  });

  it('settles types on every value, not the sample: later text makes a column categorical, later numbers numeric', async () => {
    const lines = ['code,late'];
    for (let i = 0; i < 8000; i++) lines.push(`${i < 6000 ? i : `X${i}`},${i < 6000 ? '' : i / 4}`);
    const r = await readCsv(write('late.csv', `${lines.join('\n')}\n`));
    assert.deepEqual(r.counts, { read: 8000, accepted: 8000, quarantined: 0 });
    assert.equal(r.frame.column('code').type, 'categorical');
    assert.equal(r.frame.cell(7999, 'code'), 'X7999');
    assert.equal(r.frame.cell(5999, 'code'), '5999');
    assert.equal(r.frame.column('late').type, 'numeric');
    assert.equal(r.frame.cell(7999, 'late'), 7999 / 4);
    assert.equal(r.frame.cell(0, 'late'), null);
  });

  it('fails clearly on a file that is not there', async () => {
    await assert.rejects(readCsv(path.join(tmp, 'missing.csv')), { code: 'DATA_SOURCE_UNREADABLE' });
  });

  it('reads a tab-separated file without a header', async () => {
    const r = await readCsv(write('tabs.tsv', '1\t2.5\tred\n2\t3.5\tblue\n3\t4.5\tred\n'));
    assert.equal(r.dialect.delimiter, '\t');
    assert.equal(r.dialect.header, false);
    assert.equal(r.counts.accepted, 3);
    assert.equal(r.frame.columns.length, 3);
  });
});

describe('profileFrame', () => {
  it('summarises numeric and categorical columns', async () => {
    const r = await readCsv(write('prof.csv', 'n,c\n1,a\n2,a\n3,b\n4,\n?,a\n'));
    const [n, c] = profileFrame(r.frame).columns;
    assert.equal(n.type, 'numeric');
    assert.equal(n.missing, 1);
    assert.equal(n.missingPct, 20);
    assert.equal(n.distinct, 4);
    assert.equal(n.mean, 2.5);
    assert.equal(n.min, 1);
    assert.equal(n.max, 4);
    assert.equal(n.quantiles?.p50, 2.5);
    assert.equal(c.missing, 1);
    assert.deepEqual(c.top, [
      { value: 'a', count: 3 },
      { value: 'b', count: 1 },
    ]);
  });
});
