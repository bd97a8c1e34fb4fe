// Frame: a columnar table. Numbers, booleans and timestamps are Float64Array (NaN = missing);
// categories are Int32Array codes into a level list (-1 = missing).

import { KeelError } from '../core/index.ts';
import { DataErrors } from './errors.ts';

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'datetime';

export interface NumericColumn {
  name: string;
  /** numeric, boolean (0/1) or datetime (epoch milliseconds, UTC) */
  type: 'numeric' | 'boolean' | 'datetime';
  values: Float64Array;
}

export interface CategoricalColumn {
  name: string;
  type: 'categorical';
  codes: Int32Array;
  levels: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export class Frame {
  readonly columns: readonly Column[];
  readonly nRows: number;
  private readonly byName: Map<string, Column>;

  constructor(columns: readonly Column[]) {
    this.columns = columns;
    this.nRows = columns.length === 0 ? 0 : columnLength(columns[0]);
    this.byName = new Map();
    for (const c of columns) {
      if (columnLength(c) !== this.nRows) {
        throw new KeelError(
          DataErrors.FRAME_SHAPE,
          `column "${c.name}" has ${columnLength(c)} rows, expected ${this.nRows}`,
        );
      }
      if (this.byName.has(c.name))
        throw new KeelError(DataErrors.FRAME_SHAPE, `duplicate column "${c.name}"`);
      this.byName.set(c.name, c);
    }
  }

  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  column(name: string): Column {
    const c = this.byName.get(name);
    if (!c) {
      throw new KeelError(
        DataErrors.UNKNOWN_COLUMN,
        `no column "${name}"; columns are: ${this.names.join(', ')}`,
      );
    }
    return c;
  }

  select(names: readonly string[]): Frame {
    return new Frame(names.map((n) => this.column(n)));
  }

  drop(names: readonly string[]): Frame {
    const gone = new Set(names);
    return new Frame(this.columns.filter((c) => !gone.has(c.name)));
  }

  /** Rows at the given indices, in that order. Category level lists are shared, not copied. */
  take(indices: ArrayLike<number>): Frame {
    const n = indices.length;
    return new Frame(
      this.columns.map((c): Column => {
        if (c.type === 'categorical') {
          const codes = new Int32Array(n);
          for (let i = 0; i < n; i++) codes[i] = c.codes[indices[i]];
          return { name: c.name, type: 'categorical', codes, levels: c.levels };
        }
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[indices[i]];
        return { name: c.name, type: c.type, values };
      }),
    );
  }

  /** The value of one cell as plain JS: number, boolean, ISO string, category string or null. */
  cell(row: number, name: string): number | string | boolean | null {
    const c = this.column(name);
    if (c.type === 'categorical') {
      const code = c.codes[row];
      return code < 0 ? null : c.levels[code];
    }
    const v = c.values[row];
    if (Number.isNaN(v)) return null;
    if (c.type === 'boolean') return v === 1;
    if (c.type === 'datetime') return new Date(v).toISOString();
    return v;
  }

  /** Row objects, for small frames and tests. */
  toRecords(limit = this.nRows): Record<string, number | string | boolean | null>[] {
    const out: Record<string, number | string | boolean | null>[] = [];
    const n = Math.min(limit, this.nRows);
    for (let r = 0; r < n; r++) {
      const rec: Record<string, number | string | boolean | null> = {};
      for (const c of this.columns) rec[c.name] = this.cell(r, c.name);
      out.push(rec);
    }
    return out;
  }
}

export function columnLength(c: Column): number {
  return c.type === 'categorical' ? c.codes.length : c.values.length;
}

/** The code of `level` in a level list and its index, appended when it is new. */
export function levelCode(levels: string[], index: Map<string, number>, level: string): number {
  let code = index.get(level);
  if (code === undefined) {
    code = levels.length;
    levels.push(level);
    index.set(level, code);
  }
  return code;
}

/** Build a categorical column from strings (null = missing); levels in order of first appearance. */
export function categoricalFrom(name: string, values: readonly (string | null)[]): CategoricalColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = v === null ? -1 : levelCode(levels, index, v);
  }
  return { name, type: 'categorical', codes, levels };
}

export function numericFrom(name: string, values: readonly (number | null)[]): NumericColumn {
  return { name, type: 'numeric', values: Float64Array.from(values, (v) => (v === null ? Number.NaN : v)) };
}
