// What every SQL source reads: a query, or a whole table (quoted, so odd names are safe).

import { KeelError } from '../../core/index.ts';
import { DataErrors } from '../errors.ts';
import type { ColumnType } from '../frame.ts';
import type { ReadingRules } from '../values.ts';

export interface SqlTarget {
  query?: string;
  table?: string;
  /** declared column types, overriding what the database's types say (e.g. a text column that holds numbers) */
  types?: Record<string, ColumnType>;
  /** how text values are read (missing markers, zone of date-times without one): the value layer's defaults otherwise */
  reading?: Partial<ReadingRules>;
}

export function queryOf(t: SqlTarget): string {
  if ((t.query === undefined) === (t.table === undefined)) {
    throw new KeelError(DataErrors.SOURCE_CONFIG, 'a SQL source needs exactly one of "query" and "table"');
  }
  if (t.query !== undefined) return t.query.trim().replace(/;\s*$/, '');
  const parts = (t.table as string).split('.').map((p) => `"${p.replace(/"/g, '""')}"`);
  return `SELECT * FROM ${parts.join('.')}`;
}
