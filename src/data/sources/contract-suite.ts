// The contract every Source passes: all rows arrive with their types, counts reconcile batch by batch, a second read
// gives the same table, bad rows are quarantined with their column, descriptions hold no secret, abort stops cleanly.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataErrors } from '../errors.ts';
import type { Frame } from '../frame.ts';
import { distinctRows, readSource, type Source } from './source.ts';

export interface ContractRecord {
  id: number;
  x: number;
  cat: string;
  flag: boolean;
  ts: string;
}

/** The shared table: `n` rows with an integer key, a float, a category, a boolean and a UTC time. */
export function contractRecords(n = 1000): ContractRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    x: Math.round(Math.sin(i) * 1e6) / 1e3,
    cat: ['alpha', 'beta', 'gamma'][i % 3],
    flag: i % 4 === 0,
    ts: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
  }));
}

/** Rows whose x cannot be a number, for sources that can carry them (text-based ones). */
export const BAD_X_IDS = [17, 503];

export interface ContractFactory {
  /** a source that reads `records` (plus, when `withBadRows`, the rows of BAD_X_IDS with x = "oops") */
  make(records: ContractRecord[], withBadRows: boolean): Promise<Source>;
  /** whether the source's format can hold a non-number in x (CSV, JSON, HTTP, text columns) */
  carriesBadRows: boolean;
  /** a string that must never appear in describe() (a password or token the source was given) */
  secret?: string;
  /** whether rows arrive in key order (streams may interleave) */
  ordered?: boolean;
}

function checkTable(frame: Frame, records: ContractRecord[], skip: ReadonlySet<number>): void {
  const want = records.filter((r) => !skip.has(r.id));
  assert.equal(frame.nRows, want.length);
  const id = frame.column('id');
  const x = frame.column('x');
  const cat = frame.column('cat');
  const flag = frame.column('flag');
  const ts = frame.column('ts');
  assert.equal(id.type, 'numeric');
  assert.equal(x.type, 'numeric');
  assert.equal(cat.type, 'categorical');
  assert.ok(flag.type === 'boolean' || flag.type === 'categorical', `flag is ${flag.type}`);
  assert.equal(ts.type, 'datetime');
  const byId = new Map(want.map((r) => [r.id, r]));
  for (let i = 0; i < frame.nRows; i++) {
    const r = byId.get(frame.cell(i, 'id') as number);
    assert.ok(r, `row ${i} has an unknown id ${frame.cell(i, 'id')}`);
    assert.ok(Math.abs((frame.cell(i, 'x') as number) - r.x) < 1e-9, `x of id ${r.id}`);
    assert.equal(frame.cell(i, 'cat'), r.cat);
    assert.equal(String(frame.cell(i, 'flag')), String(r.flag));
    assert.equal(frame.cell(i, 'ts'), r.ts);
    byId.delete(r.id);
  }
  assert.equal(byId.size, 0, 'every row arrives once');
}

export function sourceContract(name: string, factory: ContractFactory): void {
  describe(`Source contract: ${name}`, () => {
    const records = contractRecords();

    it('reads every row with its type, in reconciled batches', async () => {
      const src = await factory.make(records, false);
      let batches = 0;
      for await (const b of src.batches({ batchRows: 300 })) {
        assert.equal(b.read, b.frame.nRows + distinctRows(b.quarantine));
        batches++;
      }
      assert.ok(batches >= 1);
      const all = await readSource(src, { batchRows: 300 });
      assert.deepEqual(all.counts, { read: records.length, accepted: records.length, quarantined: 0 });
      checkTable(all.frame, records, new Set());
      if (factory.ordered !== false) assert.equal(all.frame.cell(0, 'id'), 1);
    });

    it('gives the same table on a second read', async () => {
      const src = await factory.make(records, false);
      const a = await readSource(src);
      const b = await readSource(src);
      assert.deepEqual(a.frame.toRecords(), b.frame.toRecords());
    });

    if (factory.carriesBadRows) {
      it('quarantines a row whose value does not fit, naming the column; the counts reconcile', async () => {
        const src = await factory.make(records, true);
        const all = await readSource(src);
        assert.equal(all.counts.read, records.length);
        assert.equal(all.counts.quarantined, BAD_X_IDS.length);
        assert.equal(all.counts.accepted, records.length - BAD_X_IDS.length);
        for (const q of all.quarantine) {
          assert.equal(q.code, DataErrors.BAD_VALUE);
          assert.equal(q.column, 'x');
          assert.match(q.raw, /oops/);
        }
        checkTable(all.frame, records, new Set(BAD_X_IDS));
      });
    }

    it('describes where it reads without secrets', async () => {
      const src = await factory.make(records, false);
      await readSource(src);
      const d = src.describe();
      assert.equal(d.kind, src.kind);
      assert.ok(d.location.length > 0);
      if (factory.secret) assert.ok(!JSON.stringify(d).includes(factory.secret), JSON.stringify(d));
    });

    it('stops between batches when aborted, and reads again afterwards', async () => {
      const src = await factory.make(records, false);
      const ac = new AbortController();
      let afterAbort = 0;
      for await (const _ of src.batches({ batchRows: 100, signal: ac.signal })) {
        if (ac.signal.aborted) afterAbort++;
        ac.abort();
      }
      assert.equal(afterAbort, 0, 'no batch arrives after the abort');
      const again = await readSource(src);
      assert.equal(again.counts.accepted, records.length);
    });
  });
}
