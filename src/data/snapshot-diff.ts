// The snapshot store seen whole: list what it holds, find one by an id prefix, and compare two — rows added, removed
// and changed (by a key column, or as multisets of rows without one), schema changes, and each column's shift.

import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/index.ts';
import { DataErrors } from './errors.ts';
import type { Column, Frame } from './frame.ts';
import { readSnapshot, type SnapshotManifest } from './snapshot.ts';

/** Every snapshot in a store, newest first. */
export function listSnapshots(dir: string): SnapshotManifest[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => path.join(dir, e.name, 'manifest.json'))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as SnapshotManifest)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The full id of the one snapshot whose id starts with `prefix`; none or several is a coded error. */
export function resolveSnapshotId(dir: string, prefix: string): string {
  const ids = listSnapshots(dir)
    .map((m) => m.id)
    .filter((id) => id.startsWith(prefix));
  if (ids.length === 1) return ids[0];
  throw new KeelError(
    DataErrors.SOURCE_UNREADABLE,
    ids.length === 0
      ? `no snapshot ${prefix} in ${dir}`
      : `${ids.length} snapshots in ${dir} start with ${prefix}: give more of the id`,
  );
}

export interface ColumnShift {
  column: string;
  type: string;
  /** missing values, as a share of the rows */
  missing: { from: number; to: number };
  /** numbers: the mean before and after */
  mean?: { from: number; to: number };
  /** population stability index over the first snapshot's deciles (numbers) or over the categories */
  psi: number;
}

export interface SnapshotDiff {
  from: string;
  to: string;
  rows: {
    from: number;
    to: number;
    added: number;
    removed: number;
    /** rows whose key is in both with other values; null without a key */
    changed: number | null;
    /** what rows were matched on */
    matchedOn: string;
  };
  schema: {
    added: { name: string; type: string }[];
    removed: { name: string; type: string }[];
    retyped: { name: string; from: string; to: string }[];
  };
  shift: ColumnShift[];
}

/** A row's values in `cols` as one string (categories by their text, so level order does not matter). */
function rowKey(cols: Column[], i: number): string {
  let s = '';
  for (const c of cols) {
    if (c.type === 'categorical') s += c.codes[i] < 0 ? '\u0000' : `s${c.levels[c.codes[i]]}`;
    else s += Number.isNaN(c.values[i]) ? '\u0000' : `n${c.values[i] === 0 ? 0 : c.values[i]}`;
    s += '\u0001';
  }
  return s;
}

const EPS = 1e-4;
function psi(a: number[], b: number[]): number {
  const sa = a.reduce((x, y) => x + y, 0) || 1;
  const sb = b.reduce((x, y) => x + y, 0) || 1;
  let out = 0;
  for (let k = 0; k < a.length; k++) {
    const p = Math.max(a[k] / sa, EPS);
    const q = Math.max(b[k] / sb, EPS);
    out += (q - p) * Math.log(q / p);
  }
  return out;
}

function missingShare(c: Column): number {
  const n = c.type === 'categorical' ? c.codes.length : c.values.length;
  let m = 0;
  if (c.type === 'categorical') for (const k of c.codes) m += k < 0 ? 1 : 0;
  else for (const v of c.values) m += Number.isNaN(v) ? 1 : 0;
  return n === 0 ? 0 : m / n;
}

function shiftOf(a: Column, b: Column): ColumnShift {
  const base = { column: a.name, type: a.type, missing: { from: missingShare(a), to: missingShare(b) } };
  if (a.type === 'categorical' && b.type === 'categorical') {
    const levels = [...new Set([...a.levels, ...b.levels])];
    const at = new Map(levels.map((l, k) => [l, k]));
    const ca = new Array(levels.length).fill(0);
    const cb = new Array(levels.length).fill(0);
    for (const k of a.codes) if (k >= 0) ca[at.get(a.levels[k]) as number]++;
    for (const k of b.codes) if (k >= 0) cb[at.get(b.levels[k]) as number]++;
    return { ...base, psi: psi(ca, cb) };
  }
  if (a.type === 'categorical' || b.type === 'categorical') return { ...base, psi: Number.NaN };
  const av = a.values.filter((v) => !Number.isNaN(v)).sort();
  const bv = b.values.filter((v) => !Number.isNaN(v));
  const edges = Array.from({ length: 9 }, (_, k) => av[Math.floor(((k + 1) * av.length) / 10)] ?? 0);
  const bin = (v: number) => {
    let k = 0;
    while (k < edges.length && v > edges[k]) k++;
    return k;
  };
  const ca = new Array(10).fill(0);
  const cb = new Array(10).fill(0);
  for (const v of av) ca[bin(v)]++;
  for (const v of bv) cb[bin(v)]++;
  const mean = (xs: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[i];
    return xs.length ? s / xs.length : Number.NaN;
  };
  return { ...base, mean: { from: mean(av), to: mean(bv) }, psi: psi(ca, cb) };
}

/** Compares two snapshots of a store; `key` names a column that identifies a row in both. */
export async function diffSnapshots(
  dir: string,
  fromId: string,
  toId: string,
  o: { key?: string } = {},
): Promise<SnapshotDiff> {
  const from = resolveSnapshotId(dir, fromId);
  const to = resolveSnapshotId(dir, toId);
  const a = (await readSnapshot(dir, from)).frame;
  const b = (await readSnapshot(dir, to)).frame;
  const typeOf = (f: Frame) => new Map(f.columns.map((c) => [c.name, c.type as string]));
  const ta = typeOf(a);
  const tb = typeOf(b);
  const common = a.names.filter((n) => tb.has(n) && tb.get(n) === ta.get(n));
  const colsA = common.map((n) => a.column(n));
  const colsB = common.map((n) => b.column(n));
  let added = 0;
  let removed = 0;
  let changed: number | null = null;
  if (o.key) {
    if (!common.includes(o.key))
      throw new KeelError(DataErrors.UNKNOWN_COLUMN, `--key ${o.key} is not a column of both snapshots`);
    const ka = a.column(o.key);
    const kb = b.column(o.key);
    const keyText = (c: Column, i: number) => rowKey([c], i);
    const before = new Map<string, string>();
    for (let i = 0; i < a.nRows; i++) before.set(keyText(ka, i), rowKey(colsA, i));
    changed = 0;
    const seen = new Set<string>();
    for (let i = 0; i < b.nRows; i++) {
      const k = keyText(kb, i);
      seen.add(k);
      const old = before.get(k);
      if (old === undefined) added++;
      else if (old !== rowKey(colsB, i)) changed++;
    }
    for (const k of before.keys()) if (!seen.has(k)) removed++;
  } else {
    const counts = new Map<string, number>();
    for (let i = 0; i < a.nRows; i++) {
      const k = rowKey(colsA, i);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (let i = 0; i < b.nRows; i++) {
      const k = rowKey(colsB, i);
      const left = counts.get(k) ?? 0;
      if (left > 0) counts.set(k, left - 1);
      else added++;
    }
    for (const left of counts.values()) removed += left;
  }
  return {
    from,
    to,
    rows: {
      from: a.nRows,
      to: b.nRows,
      added,
      removed,
      changed,
      matchedOn: o.key ? `key ${o.key}` : `all values of the ${common.length} shared columns`,
    },
    schema: {
      added: b.columns.filter((c) => !ta.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
      removed: a.columns.filter((c) => !tb.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
      retyped: a.columns
        .filter((c) => tb.has(c.name) && tb.get(c.name) !== c.type)
        .map((c) => ({ name: c.name, from: c.type, to: tb.get(c.name) as string })),
    },
    shift: a.names.filter((n) => tb.has(n)).map((n) => shiftOf(a.column(n), b.column(n))),
  };
}
