// The end of a read, once every record is scanned: the two parts stitched into whole columns, the column types
// settled by every value (or a reason to read again), rows with a misfit left out, counts reconciled, the schema.

import { KeelError } from '../../core/index.ts';
import { DataErrors, type QuarantinedRow } from '../errors.ts';
import { type Column, type ColumnType, Frame, levelCode } from '../frame.ts';
import type { Schema } from '../schema.ts';
import type { CategoricalBuilder } from './columns.ts';
import type { HelperResult, Split } from './helper.ts';
import { settleCategorical } from './infer.ts';
import type { PartParser } from './part.ts';
import type { DelimitedResult } from './read.ts';

/** Both parts' rows as one table: columns whole, quarantine and lines in file order, counts added up. */
export interface Stitched {
  whole: Column[];
  quarantine: QuarantinedRow[];
  read: number;
  /** rows (of the whole table) with a value that did not fit */
  bad: number[];
  lines: Int32Array;
  trailing: number;
}

/** The helper's rows moved down to follow the main part's, its category codes mapped to the main part's list. */
export function stitchParts(
  m: PartParser,
  helper: HelperResult | undefined,
  split: Split | undefined,
  cols: string[],
  colTypes: ColumnType[],
  lineShift: number,
): Stitched {
  const rowsA = m.rows;
  const rowsB = helper?.rows ?? 0;
  const rows = rowsA + rowsB;
  let trailing = 0;
  if (helper) {
    if (helper.sawRecord) m.settleEmpty();
    else trailing += m.pendingEmpty.length;
    trailing += helper.pendingEmpty.length;
  } else trailing = m.pendingEmpty.length;
  const quarantine = [
    ...m.quarantine,
    ...(helper?.quarantine ?? []).map((q) => ({ ...q, line: q.line + lineShift })),
  ];
  const read = m.read + (helper?.read ?? 0);
  const bad = [...m.bad, ...(helper?.bad ?? []).map((i) => i + rowsA)];
  const lines = new Int32Array(rows);
  lines.set(m.lines.a.subarray(0, rowsA));
  if (helper) for (let i = 0; i < rowsB; i++) lines[rowsA + i] = helper.lines[i] + lineShift;

  const whole: Column[] = cols.map((name, ci) => {
    const b = m.builders[ci];
    if (!helper || !split) return b.finish();
    const t = colTypes[ci];
    if (t === 'categorical') {
      const cb = b as CategoricalBuilder;
      const all = new Int32Array(split.buffers[ci], 0, split.capA + split.capB);
      const levels = cb.levels;
      const index = new Map(levels.map((l, k) => [l, k]));
      const remap = (helper.stats[ci].levels ?? []).map((l) => levelCode(levels, index, l));
      for (let i = 0; i < rowsB; i++) {
        const k = all[split.capA + i];
        all[rowsA + i] = k < 0 ? -1 : remap[k];
      }
      return { name, type: 'categorical', codes: all.subarray(0, rows), levels };
    }
    const all = new Float64Array(split.buffers[ci], 0, split.capA + split.capB);
    all.copyWithin(rowsA, split.capA, split.capA + rowsB);
    return { name, type: t as 'numeric', values: all.subarray(0, rows) };
  });
  return { whole, quarantine, read, bad, lines, trailing };
}

/**
 * Types settled by every value: numeric / time columns with too many misfits become categorical, and columns that
 * looked like text in the sample but hold numbers throughout become numeric. The types to read again with, or null
 * when the sample's held.
 */
export function settledTypes(
  whole: Column[],
  m: PartParser,
  helper: HelperResult | undefined,
  cols: string[],
  colTypes: ColumnType[],
  declared: Record<string, ColumnType>,
  isMissing: (t: string) => boolean,
  threshold: number,
): Record<string, ColumnType> | null {
  const retypes: Record<string, ColumnType> = { ...declared };
  let changed = false;
  cols.forEach((name, ci) => {
    if (name in declared) return;
    const present = m.builders[ci].present + (helper?.stats[ci].present ?? 0);
    const failed = m.builders[ci].failed + (helper?.stats[ci].failed ?? 0);
    let t = colTypes[ci];
    const c = whole[ci];
    if (t !== 'categorical' && failed > (1 - threshold) * present) t = 'categorical';
    if (c.type === 'categorical') t = settleCategorical(c.codes, c.levels, isMissing, threshold);
    retypes[name] = t;
    if (t !== colTypes[ci]) changed = true;
  });
  return changed ? retypes : null;
}

/** The result: rows with a misfit left out, counts reconciled (or a coded error), the schema as read. */
export function finishRead(path: string, parts: Stitched, bom: boolean, parallel: boolean): DelimitedResult {
  const { whole, quarantine, read, bad, lines, trailing } = parts;
  const rows = lines.length;
  let columns = whole;
  let keptLines = lines;
  if (bad.length > 0) {
    const keep: number[] = [];
    const isBad = new Uint8Array(rows);
    for (const r of bad) isBad[r] = 1;
    for (let i = 0; i < rows; i++) if (!isBad[i]) keep.push(i);
    columns = new Frame(whole).take(keep).columns.slice();
    keptLines = Int32Array.from(keep, (i) => lines[i]);
  }
  const frame = new Frame(columns);
  quarantine.sort((a, b) => a.line - b.line);
  const quarantinedRows = new Set(quarantine.map((q) => q.line)).size;
  if (read !== frame.nRows + quarantinedRows) {
    throw new KeelError(
      DataErrors.RECONCILE,
      `${path}: read ${read} rows but accepted ${frame.nRows} + quarantined ${quarantinedRows}`,
    );
  }
  return {
    frame,
    schema: schemaAsRead(columns),
    quarantine,
    counts: { read, accepted: frame.nRows, quarantined: quarantinedRows },
    lines: keptLines,
    trailingEmptyLines: trailing,
    bom,
    parallel,
  };
}

/** Each column's type, whether it had missing values, and (for categories) the levels its rows use, sorted. */
function schemaAsRead(columns: Column[]): Schema {
  return {
    columns: columns.map((c) => {
      if (c.type === 'categorical') {
        const used = new Set<number>();
        let nullable = false;
        for (const k of c.codes) k < 0 ? (nullable = true) : used.add(k);
        return { name: c.name, type: c.type, nullable, levels: [...used].map((k) => c.levels[k]).sort() };
      }
      let nullable = false;
      for (let i = 0; i < c.values.length; i++) {
        if (Number.isNaN(c.values[i])) {
          nullable = true;
          break;
        }
      }
      return { name: c.name, type: c.type, nullable };
    }),
  };
}
