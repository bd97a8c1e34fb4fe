// The defect fixture (scripts/fixtures/make-defects.ts): 10,000 records with 13 classes of defect. Every bad line is
// quarantined with the reason the generator injected, nothing else is, and read = accepted + quarantined exactly.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { schema } from '../../../test/fixtures/defects.schema.ts';
import { readCsv } from '../csv.ts';
import { fileSource } from '../sources/file/source.ts';
import { runDataJob, typesOf } from './job.ts';

const fixture = new URL('../../../test/fixtures/defects.csv', import.meta.url).pathname;
const expected = JSON.parse(
  fs.readFileSync(new URL('../../../test/fixtures/defects.expected.json', import.meta.url), 'utf8'),
) as {
  records: number;
  emptyLines: number;
  kinds: string[];
  bad: { line: number; reason: string; kind: string }[];
  quotedNewlineLines: number[];
  acceptedCount: number;
};

describe('the 10,000-row defect fixture', () => {
  it('quarantines every bad line with its reason, and only those; counts reconcile exactly', async () => {
    assert.ok(expected.kinds.length >= 12);
    const report = await runDataJob(fileSource(fixture, { types: typesOf(schema) }), { schema });
    const got = new Map<number, Set<string>>();
    for (const q of report.quarantine) {
      const s = got.get(q.line) ?? new Set();
      s.add(q.code);
      got.set(q.line, s);
    }
    const want = new Map(expected.bad.map((b) => [b.line, b.reason]));
    const missing = expected.bad.filter((b) => !got.get(b.line)?.has(b.reason));
    assert.deepEqual(missing, [], 'bad lines not quarantined with their reason');
    const extra = [...got.keys()].filter((l) => !want.has(l));
    assert.deepEqual(extra, [], 'good lines quarantined');
    for (const [l, reasons] of got) assert.equal(reasons.size, 1, `line ${l}: ${[...reasons]}`);

    assert.equal(report.rows.read, expected.records + expected.emptyLines);
    assert.equal(report.rows.quarantined, expected.bad.length);
    assert.equal(report.rows.accepted, expected.acceptedCount);
    assert.equal(report.rows.read, report.rows.accepted + report.rows.quarantined);
    const byReason = Object.keys(report.quarantineByReason).sort();
    assert.equal(byReason.length, new Set(expected.bad.map((b) => b.reason)).size);
    assert.equal(report.passed, true, report.failures.join('; '));
    assert.ok(report.badRowRate < 0.01);
  });

  it('keeps quoted newlines inside their field, strips the BOM, and reads CRLF lines like the others', async () => {
    const report = await runDataJob(fileSource(fixture, { types: typesOf(schema) }), {
      schema,
      profile: true,
    });
    assert.deepEqual(
      report.profile?.columns.map((c) => c.name),
      ['id', 'name', 'age', 'score', 'city', 'joined', 'note'],
    );
    const note = report.profile?.columns.find((c) => c.name === 'note');
    assert.ok(note?.top?.some((t) => t.value === 'said "hi", then left'));
    assert.ok(expected.quotedNewlineLines.length > 0);
    const r = await readCsv(fixture, { types: typesOf(schema) });
    const rowAt = new Map(Array.from(r.lines, (l, i) => [l, i]));
    for (const l of expected.quotedNewlineLines) {
      const i = rowAt.get(l);
      assert.ok(i !== undefined, `the record starting on line ${l} is accepted`);
      assert.equal(r.frame.cell(i, 'note'), 'first line\nsecond line');
    }
    assert.equal(r.trailingEmptyLines, 0);
  });

  it('fails the job when the bad-row limit is tighter than the data', async () => {
    const report = await runDataJob(fileSource(fixture, { types: typesOf(schema) }), {
      schema,
      maxBadRowRate: 0.005,
    });
    assert.equal(report.passed, false);
    assert.match(report.failures.join('\n'), /80 of 10008 rows quarantined/);
  });
});
