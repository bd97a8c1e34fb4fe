// Integration: mapping and coercion reports, time zones and units, joins with unmatched keys, de-duplication rules
// and conflicts reported.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoricalFrom, Frame, numericFrom } from './frame.ts';
import { alignColumns, dedupe, joinFrames, normalizeTime, unionFrames } from './integrate.ts';

describe('alignColumns and unionFrames', () => {
  it('maps names (declared or normalised), coerces types and reports every change', () => {
    const crm = new Frame([
      categoricalFrom('Customer ID', ['7', '8', 'x9']),
      categoricalFrom('Signup-Date', ['2024-01-02', 'not a date', null]),
      numericFrom('spend', [1, 2, 3]),
    ]);
    const { frame, report } = alignColumns(crm, {
      rename: { spend: 'amount' },
      columns: [
        { name: 'customer_id', type: 'numeric' },
        { name: 'signup_date', type: 'datetime' },
        { name: 'amount' },
        { name: 'region' },
      ],
    });
    assert.deepEqual(frame.names, ['customer_id', 'signup_date', 'amount', 'region']);
    assert.deepEqual(report.renamed, {
      spend: 'amount',
      'Customer ID': 'customer_id',
      'Signup-Date': 'signup_date',
    });
    assert.deepEqual(report.missing, ['region']);
    const id = report.coerced.find((c) => c.column === 'customer_id');
    assert.deepEqual(id, {
      column: 'customer_id',
      from: 'categorical',
      to: 'numeric',
      converted: 2,
      failed: 1,
      examples: ['x9'],
    });
    const date = report.coerced.find((c) => c.column === 'signup_date');
    assert.equal(date?.failed, 1);
    assert.equal(frame.cell(0, 'signup_date'), '2024-01-02T00:00:00.000Z');
    assert.equal(frame.cell(2, 'customer_id'), null);
  });

  it('stacks sources with different spellings into one table', () => {
    const a = new Frame([numericFrom('ID', [1, 2]), categoricalFrom('Name', ['a', 'b'])]);
    const b = new Frame([categoricalFrom('id', ['3']), categoricalFrom('full_name', ['c'])]);
    const u = unionFrames(
      [
        { name: 'a', frame: a },
        { name: 'b', frame: b, rename: { full_name: 'name' } },
      ],
      [
        { name: 'id', type: 'numeric' },
        { name: 'name', type: 'categorical' },
      ],
    );
    assert.deepEqual(u.frame.toRecords(), [
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ]);
    assert.equal(u.reports.b.coerced[0].from, 'categorical');
  });
});

describe('normalizeTime', () => {
  it('scales epoch units and shifts local clock times to UTC, across a DST change', () => {
    const f = new Frame([
      numericFrom('epoch_s', [1_700_000_000]),
      categoricalFrom('oslo', ['2024-03-31 01:30']),
    ]);
    const g = normalizeTime(f, 'epoch_s', { unit: 's' });
    assert.equal(g.cell(0, 'epoch_s'), '2023-11-14T22:13:20.000Z');
    const h = normalizeTime(f, 'oslo', { timeZone: 'Europe/Oslo' });
    assert.equal(h.cell(0, 'oslo'), '2024-03-31T00:30:00.000Z'); // CET (+1) just before the switch to CEST
    const summer = normalizeTime(new Frame([categoricalFrom('t', ['2024-07-01 12:00'])]), 't', {
      timeZone: 'Europe/Oslo',
    });
    assert.equal(summer.cell(0, 't'), '2024-07-01T10:00:00.000Z');
    const ny = normalizeTime(new Frame([categoricalFrom('t', ['2024-01-15 09:00'])]), 't', {
      timeZone: 'America/New_York',
    });
    assert.equal(ny.cell(0, 't'), '2024-01-15T14:00:00.000Z');
    assert.throws(() => normalizeTime(f, 'oslo', { timeZone: 'Mars/Olympus' }), /unknown time zone/);
  });
});

describe('joinFrames', () => {
  const orders = new Frame([
    numericFrom('cust', [1, 2, 2, 4, null]),
    numericFrom('total', [10, 20, 30, 40, 50]),
  ]);
  const custs = new Frame([
    numericFrom('cust', [1, 2, 3, 3]),
    categoricalFrom('name', ['ann', 'bob', 'cy', 'cy2']),
  ]);
  it('inner and left joins, with unmatched and duplicate keys reported', () => {
    const inner = joinFrames(orders, custs, { on: 'cust' });
    assert.deepEqual(
      inner.frame.toRecords().map((r) => [r.cust, r.total, r.name]),
      [
        [1, 10, 'ann'],
        [2, 20, 'bob'],
        [2, 30, 'bob'],
      ],
    );
    assert.deepEqual(inner.report.unmatchedLeft, { count: 2, examples: ['4', '(missing key)'] });
    assert.deepEqual(inner.report.unmatchedRight, { count: 1, examples: ['3'] });
    assert.deepEqual(inner.report.duplicateRightKeys, { count: 1, examples: ['3'] });
    const left = joinFrames(orders, custs, { on: 'cust', how: 'left' });
    assert.equal(left.frame.nRows, 5);
    assert.equal(left.frame.cell(3, 'name'), null);
    assert.equal(left.report.matchedLeftRows, 3);
  });
});

describe('dedupe', () => {
  const f = new Frame([
    numericFrom('id', [1, 1, 2, 3, 3, 3]),
    categoricalFrom('email', ['a@x', 'a@y', 'b@x', 'c@x', 'c@x', 'c@x']),
    {
      name: 'updated',
      type: 'datetime',
      values: Float64Array.from([5, 9, 1, 3, 8, 2], (d) => Date.UTC(2024, 0, d)),
    },
  ]);
  it('keeps first, last or latest per key and reports conflicting values', () => {
    const first = dedupe(f, { key: ['id'] });
    assert.deepEqual(
      first.frame.toRecords().map((r) => r.email),
      ['a@x', 'b@x', 'c@x'],
    );
    assert.equal(first.report.removed, 3);
    const latest = dedupe(f, { key: ['id'], keep: 'latest', orderBy: 'updated' });
    assert.deepEqual(
      latest.frame.toRecords().map((r) => r.email),
      ['a@y', 'b@x', 'c@x'],
    );
    const conflict = latest.report.conflicts.find((c) => c.column === 'email');
    assert.deepEqual(conflict, { key: '1', column: 'email', values: ['a@x', 'a@y'], kept: 'a@y' });
    assert.equal(latest.report.conflictCount, 3); // id 1: email and updated; id 3: updated
    const last = dedupe(f, { key: ['id'], keep: 'last' });
    assert.equal(last.frame.cell(0, 'email'), 'a@y');
    assert.throws(() => dedupe(f, { key: ['id'], keep: 'latest' }), /needs orderBy/);
  });
  it('drops exact duplicate rows when no key is given', () => {
    const g = new Frame([numericFrom('a', [1, 1, 2]), categoricalFrom('b', ['x', 'x', 'x'])]);
    assert.equal(dedupe(g).frame.nRows, 2);
  });
});
