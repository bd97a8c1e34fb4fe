// Schema rules, expectations, the dataset profile and the reports, on small frames whose answers are known.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataErrors } from '../errors.ts';
import { categoricalFrom, Frame, numericFrom } from '../frame.ts';
import { checkFrame } from './check.ts';
import { evaluateExpectation } from './expectations.ts';
import { profileDataset } from './profile.ts';
import { buildReport, reportHtml } from './report.ts';
import { col, defineSchema, inferDatasetSchema, type RowOf } from './rules.ts';

const dt = (s: string) => Date.parse(s);
function table(): Frame {
  return new Frame([
    numericFrom('id', [1, 2, 3, 4, 1, 6]),
    numericFrom('age', [30, null, 150, 40, 41, 2.5]),
    categoricalFrom('code', ['AB12', 'ab12', 'CD34', 'EF56', 'GH78', 'IJ90']),
    categoricalFrom('city', ['Oslo', 'Lima', 'Oslo', 'Rome', 'Lima', 'Oslo']),
    {
      name: 'start',
      type: 'datetime',
      values: Float64Array.from([1, 2, 3, 4, 5, 6], (d) => dt(`2024-01-0${d}`)),
    },
    {
      name: 'end',
      type: 'datetime',
      values: Float64Array.from([2, 3, 2, 5, 6, 7], (d) => dt(`2024-01-0${d}`)),
    },
  ]);
}

const schema = defineSchema(
  {
    id: col.number({ unique: true }),
    age: col.number({ min: 0, max: 120, integer: true }),
    code: col.category({ pattern: '[A-Z]{2}[0-9]{2}' }),
    city: col.category({ allowed: ['Oslo', 'Lima'] as const }),
    start: col.datetime(),
    end: col.datetime({ nullable: true }),
  },
  {
    expectations: [
      { kind: 'row_count', min: 1, max: 10 },
      { kind: 'compare', left: 'start', op: '<=', right: 'end', name: 'start before end' },
      { kind: 'freshness', column: 'end', maxAgeMs: 86_400_000, severity: 'warn' },
    ],
  },
);

describe('schema declaration', () => {
  it('gives the row type and plain JSON', () => {
    type Row = RowOf<typeof schema>;
    const row: Row = { id: 1, age: 2, code: 'AB12', city: 'Lima', start: '2024-01-01', end: null };
    // @ts-expect-error a city outside the allowed list is a compile error
    const wrong: Row = { ...row, city: 'Rome' };
    void wrong;
    const json = JSON.parse(JSON.stringify(schema));
    assert.deepEqual(json.columns[3], {
      name: 'city',
      allowed: ['Oslo', 'Lima'],
      type: 'categorical',
      nullable: false,
    });
    assert.equal(json.columns[5].nullable, true);
  });

  it('infers types, nullability, allowed lists and unique keys, and that schema checks its own data cleanly', () => {
    const ids = Array.from({ length: 80 }, (_, i) => i);
    const f = new Frame([
      numericFrom('id', ids),
      numericFrom(
        'x',
        ids.map((i) => (i % 10 === 0 ? null : i / 3)),
      ),
      categoricalFrom(
        'c',
        ids.map((i) => ['a', 'b'][i % 2]),
      ),
    ]);
    const s = inferDatasetSchema(f);
    assert.deepEqual(s.columns[0], {
      name: 'id',
      type: 'numeric',
      nullable: false,
      integer: true,
      unique: true,
    });
    assert.deepEqual(s.columns[1], { name: 'x', type: 'numeric', nullable: true });
    assert.deepEqual(s.columns[2], { name: 'c', type: 'categorical', nullable: false, allowed: ['a', 'b'] });
    const c = checkFrame(f, s);
    assert.equal(c.passed, true);
    assert.equal(c.rows.quarantined, 0);
  });
});

describe('checkFrame', () => {
  it('quarantines each broken rule with its code, keeps the first of a repeated key, and reconciles', () => {
    const c = checkFrame(table(), schema, {
      source: 't.csv',
      lines: [2, 3, 4, 5, 6, 7],
      now: dt('2024-01-07'),
    });
    const byLine = Object.fromEntries(c.quarantine.map((q) => [q.line, q.code]));
    assert.deepEqual(byLine, {
      3: DataErrors.PATTERN, // age missing too, but the first problem per rule is listed per column
      4: DataErrors.OUT_OF_RANGE,
      5: DataErrors.NOT_ALLOWED,
      6: DataErrors.DUPLICATE_KEY,
      7: DataErrors.OUT_OF_RANGE,
    });
    assert.ok(
      c.quarantine.some((q) => q.line === 3 && q.code === DataErrors.NULL_NOT_ALLOWED && q.column === 'age'),
    );
    assert.deepEqual(c.rows, { read: 6, accepted: 1, quarantined: 5 });
    assert.equal(c.frame.cell(0, 'id'), 1);
    assert.equal(c.passed, false);
    assert.match(c.failures.join('\n'), /5 of 6 rows quarantined/);
  });

  it('reports a declared column that is missing or has another type', () => {
    const c = checkFrame(new Frame([numericFrom('id', [1]), numericFrom('city', [3])]), schema);
    assert.equal(c.passed, false);
    assert.ok(c.structure.some((s) => /"age" is declared but not in the data/.test(s)));
    assert.ok(c.structure.some((s) => /"city" is numeric, declared categorical/.test(s)));
  });
});

describe('expectations', () => {
  const f = table();
  it('compare, freshness, missing rate, distribution bounds and shares', () => {
    const cmp = evaluateExpectation(f, { kind: 'compare', left: 'start', op: '<=', right: 'end' });
    assert.equal(cmp.passed, false);
    assert.equal(cmp.violations, 1);
    assert.deepEqual(cmp.rows, [2]);
    const fresh = evaluateExpectation(
      f,
      { kind: 'freshness', column: 'end', maxAgeMs: 86_400_000 },
      dt('2024-01-07T12:00:00Z'),
    );
    assert.equal(fresh.passed, true);
    assert.equal(fresh.observed, 12 * 3_600_000);
    const stale = evaluateExpectation(
      f,
      { kind: 'freshness', column: 'end', maxAgeMs: 3_600_000 },
      dt('2024-01-09'),
    );
    assert.equal(stale.passed, false);
    const miss = evaluateExpectation(f, { kind: 'missing_rate', column: 'age', max: 0.1 });
    assert.equal(miss.observed, 1 / 6);
    assert.equal(miss.passed, false);
    const mean = evaluateExpectation(f, { kind: 'mean_between', column: 'id', min: 2.5, max: 3 });
    assert.equal(mean.observed, 17 / 6);
    assert.equal(mean.passed, true);
    const q = evaluateExpectation(f, { kind: 'quantile_between', column: 'id', q: 0.5, max: 2 });
    assert.equal(q.passed, false);
    const share = evaluateExpectation(f, { kind: 'category_share', column: 'city', value: 'Oslo', min: 0.5 });
    assert.equal(share.observed, 0.5);
    assert.equal(share.passed, true);
    const constant = evaluateExpectation(f, {
      kind: 'compare',
      left: 'id',
      op: '<',
      right: { value: 6 },
      maxViolations: 1,
    });
    assert.equal(constant.violations, 1);
    assert.equal(constant.passed, true);
  });

  it('a warn expectation warns, a fail one fails the check', () => {
    const c = checkFrame(
      table().take([0, 3]),
      { columns: [], expectations: schema.expectations },
      { now: dt('2024-02-01') },
    );
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0], /freshness of end/);
    assert.equal(c.passed, true);
  });
});

describe('profileDataset', () => {
  it('finds outliers, duplicates and the association with the target', () => {
    const n = 200;
    const x = Array.from({ length: n }, (_, i) => (i < 198 ? (i % 20) - 10 : 1000));
    const y = x.map((v, i) => (v > 0 ? 'yes' : i % 7 === 0 ? 'yes' : 'no'));
    const f = new Frame([
      numericFrom('x', x),
      categoricalFrom(
        'g',
        x.map((v) => (v > 0 ? 'pos' : 'neg')),
      ),
      numericFrom(
        'noise',
        x.map((_, i) => (i * 7919) % 13),
      ),
      categoricalFrom('y', y),
    ]);
    const p = profileDataset(f, { target: 'y', bins: 10 });
    const px = p.columns[0];
    assert.equal(px.outliers?.iqr, 2);
    assert.equal(px.outliers?.robustZ, 2);
    assert.equal(
      px.histogram.counts.reduce((a, b) => a + b, 0),
      n,
    );
    assert.equal(px.histogram.edges?.length, 11);
    const g = p.columns[1].target?.value ?? 0;
    const noise = p.columns[2].target?.value ?? 1;
    assert.ok(g > 0.8, `eta ${g}`);
    assert.ok(noise < 0.2, `noise ${noise}`);
    assert.equal(p.columns[3].target, undefined);
    assert.equal(p.duplicateRows, 0); // the noise column makes every row distinct
    const small = f.select(['x', 'g', 'y']);
    const distinct = new Set(small.toRecords().map((r) => JSON.stringify(r))).size;
    assert.equal(profileDataset(small).duplicateRows, n - distinct);
    assert.ok(n - distinct > 100);
  });
});

describe('reports', () => {
  it('JSON with rows and quarantine entries; HTML self-contained and escaped', () => {
    const c = checkFrame(table(), schema, { source: 't.csv', now: dt('2024-01-07') });
    const r = buildReport({ kind: 'file', location: 't.csv <script>' }, c, schema, profileDataset(c.frame));
    assert.deepEqual(Object.keys(r.rows), ['read', 'accepted', 'quarantined']);
    assert.ok(r.quarantine.every((q) => 'line' in q && 'column' in q && 'reason' in q && 'raw' in q));
    assert.equal(r.quarantineByReason[DataErrors.OUT_OF_RANGE], 2);
    const html = reportHtml(r);
    assert.match(html, /^<!doctype html>/);
    assert.ok(
      !/<script|src=|href=|@import|url\(/i.test(html.replace('t.csv &lt;script&gt;', '')),
      'nothing external, nothing run',
    );
    assert.match(html, /t\.csv &lt;script&gt;/);
    assert.match(html, /FAILED/);
  });
});
