// Integration: several sources into one table. Column mapping (declared, or matched by normalised name), type
// coercion with a report of every change, timestamps normalised to UTC from units and time zones, key joins with
// the unmatched keys reported, de-duplication by key with a rule, and conflicting values reported, never hidden.

import { KeelError } from '../core/index.ts';
import { concatFrames } from './concat.ts';
import { parseDateText, parseNumberText } from './delimited/values.ts';
import { DataErrors } from './errors.ts';
import { type Column, type ColumnType, categoricalFrom, Frame } from './frame.ts';

export interface CoercionChange {
  column: string;
  from: ColumnType;
  to: ColumnType;
  /** values that kept their meaning */
  converted: number;
  /** values that could not be converted (now missing), with a few examples */
  failed: number;
  examples: string[];
}

/** Matching key for column names: case, spaces, dashes and underscores do not matter ("Customer ID" = customer_id). */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function valueText(c: Column, i: number): string | null {
  if (c.type === 'categorical') return c.codes[i] < 0 ? null : c.levels[c.codes[i]];
  const v = c.values[i];
  if (Number.isNaN(v)) return null;
  if (c.type === 'datetime') return new Date(v).toISOString();
  if (c.type === 'boolean') return v === 1 ? 'true' : 'false';
  return String(v);
}

/** One column converted to another type; what could not be converted becomes missing and is counted. */
export function coerceColumn(c: Column, to: ColumnType): { column: Column; change?: CoercionChange } {
  if (c.type === to) return { column: c };
  const n = c.type === 'categorical' ? c.codes.length : c.values.length;
  const change: CoercionChange = { column: c.name, from: c.type, to, converted: 0, failed: 0, examples: [] };
  if (to === 'categorical') {
    const texts = Array.from({ length: n }, (_, i) => valueText(c, i));
    change.converted = texts.filter((t) => t !== null).length;
    return { column: categoricalFrom(c.name, texts), change };
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = valueText(c, i);
    if (t === null) {
      out[i] = Number.NaN;
      continue;
    }
    let v: number | undefined;
    if (to === 'numeric') v = c.type === 'categorical' ? parseNumberText(t) : (c.values as Float64Array)[i];
    else if (to === 'datetime')
      v = c.type === 'numeric' ? (c.values as Float64Array)[i] : parseDateText(t.trim());
    else v = /^(true|1|yes)$/i.test(t.trim()) ? 1 : /^(false|0|no)$/i.test(t.trim()) ? 0 : undefined;
    if (v === undefined) {
      out[i] = Number.NaN;
      change.failed++;
      if (change.examples.length < 5) change.examples.push(t);
    } else {
      out[i] = v;
      change.converted++;
    }
  }
  return { column: { name: c.name, type: to, values: out }, change };
}

export interface AlignOptions {
  /** source name → target name; unmapped columns keep their names */
  rename?: Record<string, string>;
  /** the target columns: matched by exact name, then by normalised name */
  columns?: { name: string; type?: ColumnType }[];
  /** target types to coerce to (also taken from `columns`) */
  types?: Record<string, ColumnType>;
}

export interface AlignReport {
  renamed: Record<string, string>;
  coerced: CoercionChange[];
  /** target columns no source column matched (filled with missing values) */
  missing: string[];
  /** source columns left out because the target did not ask for them */
  dropped: string[];
}

/** One source's frame in the target's shape: renamed, selected, coerced — and a report of each change. */
export function alignColumns(frame: Frame, o: AlignOptions): { frame: Frame; report: AlignReport } {
  const report: AlignReport = { renamed: {}, coerced: [], missing: [], dropped: [] };
  let cols: Column[] = frame.columns.map((c) => {
    const to = o.rename?.[c.name];
    if (to && to !== c.name) {
      report.renamed[c.name] = to;
      return { ...c, name: to };
    }
    return c;
  });
  if (o.columns) {
    const byNorm = new Map(cols.map((c) => [normalizeName(c.name), c]));
    const used = new Set<string>();
    const picked: Column[] = [];
    for (const want of o.columns) {
      const hit = cols.find((c) => c.name === want.name) ?? byNorm.get(normalizeName(want.name));
      if (!hit) {
        report.missing.push(want.name);
        const n = frame.nRows;
        picked.push(
          (want.type ?? 'categorical') === 'categorical'
            ? { name: want.name, type: 'categorical', codes: new Int32Array(n).fill(-1), levels: [] }
            : { name: want.name, type: want.type as 'numeric', values: new Float64Array(n).fill(Number.NaN) },
        );
        continue;
      }
      used.add(hit.name);
      if (hit.name !== want.name) report.renamed[hit.name] = want.name;
      picked.push({ ...hit, name: want.name });
    }
    report.dropped = cols.filter((c) => !used.has(c.name)).map((c) => c.name);
    cols = picked;
  }
  const types = {
    ...Object.fromEntries((o.columns ?? []).filter((c) => c.type).map((c) => [c.name, c.type as ColumnType])),
    ...o.types,
  };
  cols = cols.map((c) => {
    const to = types[c.name];
    if (!to) return c;
    const { column, change } = coerceColumn(c, to);
    if (change) report.coerced.push(change);
    return column;
  });
  return { frame: new Frame(cols), report };
}

/** Several sources stacked into one table with the target's columns; each source's alignment is reported. */
export function unionFrames(
  parts: { name: string; frame: Frame; rename?: Record<string, string> }[],
  columns: { name: string; type: ColumnType }[],
): { frame: Frame; reports: Record<string, AlignReport> } {
  const reports: Record<string, AlignReport> = {};
  const frames = parts.map((p) => {
    const a = alignColumns(p.frame, { rename: p.rename, columns });
    reports[p.name] = a.report;
    return a.frame;
  });
  return { frame: concatFrames(frames), reports };
}

// ---- time ------------------------------------------------------------------------------------------------------

/** The offset of a time zone from UTC at a UTC instant, in ms (positive east of Greenwich). */
function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(utcMs / 1000) * 1000;
}

export interface TimeOptions {
  /** a numeric column holds epoch times in this unit */
  unit?: 's' | 'ms' | 'us' | 'ns';
  /** the column's clock times are local to this IANA zone (e.g. "Europe/Oslo"); they become UTC */
  timeZone?: string;
}

/** A time column as UTC epoch milliseconds: epoch numbers scaled from their unit, local clock times shifted. */
export function normalizeTime(frame: Frame, column: string, o: TimeOptions): Frame {
  let c = frame.column(column);
  if (c.type === 'numeric' && o.unit) {
    const k = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 }[o.unit];
    c = { name: c.name, type: 'datetime', values: Float64Array.from(c.values, (v) => v * k) };
  } else if (c.type !== 'datetime') {
    c = coerceColumn(c, 'datetime').column;
  }
  if (o.timeZone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: o.timeZone });
    } catch {
      throw new KeelError(DataErrors.INTEGRATION, `unknown time zone "${o.timeZone}"`);
    }
    const zone = o.timeZone;
    const values = Float64Array.from((c as { values: Float64Array }).values, (local) => {
      if (Number.isNaN(local)) return local;
      // the UTC instant whose clock time in the zone is `local` (two rounds settle DST edges)
      let u = local - zoneOffset(local, zone);
      u = local - zoneOffset(u, zone);
      return u;
    });
    c = { name: c.name, type: 'datetime', values };
  }
  return new Frame(frame.columns.map((x) => (x.name === column ? c : x)));
}

// ---- joins and duplicates ------------------------------------------------------------------------------------------

function keyOf(cols: Column[], i: number): string | null {
  const parts: string[] = [];
  for (const c of cols) {
    const t = valueText(c, i);
    if (t === null) return null;
    parts.push(t);
  }
  return parts.join('\u0001');
}

export interface JoinReport {
  leftRows: number;
  rightRows: number;
  rows: number;
  matchedLeftRows: number;
  unmatchedLeft: { count: number; examples: string[] };
  unmatchedRight: { count: number; examples: string[] };
  /** keys that appear more than once on the right (each matching left row is repeated) */
  duplicateRightKeys: { count: number; examples: string[] };
}

export function joinFrames(
  left: Frame,
  right: Frame,
  o: { on: string | string[]; how?: 'inner' | 'left'; suffix?: string },
): { frame: Frame; report: JoinReport } {
  const on = Array.isArray(o.on) ? o.on : [o.on];
  const how = o.how ?? 'inner';
  const lk = on.map((k) => left.column(k));
  const rk = on.map((k) => right.column(k));
  const index = new Map<string, number[]>();
  for (let j = 0; j < right.nRows; j++) {
    const k = keyOf(rk, j);
    if (k === null) continue;
    const list = index.get(k);
    if (list) list.push(j);
    else index.set(k, [j]);
  }
  const li: number[] = [];
  const ri: number[] = [];
  const usedRight = new Set<string>();
  const unmatchedLeft: string[] = [];
  let unmatchedLeftCount = 0;
  let matchedLeft = 0;
  for (let i = 0; i < left.nRows; i++) {
    const k = keyOf(lk, i);
    const hits = k === null ? undefined : index.get(k);
    if (hits) {
      matchedLeft++;
      usedRight.add(k as string);
      for (const j of hits) {
        li.push(i);
        ri.push(j);
      }
    } else {
      unmatchedLeftCount++;
      if (unmatchedLeft.length < 10)
        unmatchedLeft.push(k === null ? '(missing key)' : k.split('\u0001').join(','));
      if (how === 'left') {
        li.push(i);
        ri.push(-1);
      }
    }
  }
  const unmatchedRight = [...index.keys()].filter((k) => !usedRight.has(k));
  const dups = [...index].filter(([, v]) => v.length > 1).map(([k]) => k.split('\u0001').join(','));
  const suffix = o.suffix ?? '_right';
  const leftNames = new Set(left.names);
  const out: Column[] = left.take(li).columns.slice();
  for (const c of right.columns) {
    if (on.includes(c.name)) continue;
    const name = leftNames.has(c.name) ? `${c.name}${suffix}` : c.name;
    if (c.type === 'categorical') {
      out.push({
        name,
        type: 'categorical',
        codes: Int32Array.from(ri, (j) => (j < 0 ? -1 : c.codes[j])),
        levels: c.levels,
      });
    } else {
      out.push({
        name,
        type: c.type,
        values: Float64Array.from(ri, (j) => (j < 0 ? Number.NaN : c.values[j])),
      });
    }
  }
  return {
    frame: new Frame(out),
    report: {
      leftRows: left.nRows,
      rightRows: right.nRows,
      rows: li.length,
      matchedLeftRows: matchedLeft,
      unmatchedLeft: { count: unmatchedLeftCount, examples: unmatchedLeft },
      unmatchedRight: {
        count: unmatchedRight.length,
        examples: unmatchedRight.slice(0, 10).map((k) => k.split('\u0001').join(',')),
      },
      duplicateRightKeys: { count: dups.length, examples: dups.slice(0, 10) },
    },
  };
}

export interface DedupeReport {
  rows: number;
  kept: number;
  removed: number;
  /** keys whose rows disagree on some other column: the values are listed, not silently chosen */
  conflicts: { key: string; column: string; values: (string | null)[]; kept: string | null }[];
  conflictCount: number;
}

/**
 * Removes duplicate rows: exact duplicates (no key), or rows sharing a key, keeping the first, the last, or the
 * latest by a time column. Differing values among rows of one key are reported as conflicts.
 */
export function dedupe(
  frame: Frame,
  o: { key?: string[]; keep?: 'first' | 'last' | 'latest'; orderBy?: string } = {},
): { frame: Frame; report: DedupeReport } {
  const keep = o.keep ?? 'first';
  if (keep === 'latest' && !o.orderBy)
    throw new KeelError(DataErrors.INTEGRATION, 'keep "latest" needs orderBy (a time column)');
  const keyCols = (o.key ?? frame.names).map((k) => frame.column(k));
  const groups = new Map<string, number[]>();
  for (let i = 0; i < frame.nRows; i++) {
    const k = keyOf(keyCols, i) ?? `\u0002row${i}`; // rows with a missing key part are never merged
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const order = o.orderBy ? frame.column(o.orderBy) : undefined;
  const keepIdx: number[] = [];
  const conflicts: DedupeReport['conflicts'] = [];
  let conflictCount = 0;
  const others = frame.columns.filter((c) => !(o.key ?? []).includes(c.name));
  for (const [k, rows] of groups) {
    let chosen = rows[0];
    if (keep === 'last') chosen = rows[rows.length - 1];
    if (keep === 'latest' && order && order.type !== 'categorical') {
      let best = Number.NaN;
      for (const r of rows) {
        const v = order.values[r];
        if (!Number.isNaN(v) && (Number.isNaN(best) || v >= best)) {
          best = v;
          chosen = r; // ties go to the later row
        }
      }
    }
    keepIdx.push(chosen);
    if (rows.length > 1 && o.key) {
      for (const c of others) {
        const values = rows.map((r) => valueText(c, r));
        if (new Set(values).size > 1) {
          conflictCount++;
          if (conflicts.length < 50)
            conflicts.push({
              key: k.split('\u0001').join(','),
              column: c.name,
              values,
              kept: valueText(c, chosen),
            });
        }
      }
    }
  }
  keepIdx.sort((a, b) => a - b);
  return {
    frame: frame.take(keepIdx),
    report: {
      rows: frame.nRows,
      kept: keepIdx.length,
      removed: frame.nRows - keepIdx.length,
      conflicts,
      conflictCount,
    },
  };
}
