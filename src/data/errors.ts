// The data room's error catalog: stable codes for thrown errors and for quarantined rows.

export const DataErrors = {
  /** the file cannot be opened or is not a table at all */
  SOURCE_UNREADABLE: 'DATA_SOURCE_UNREADABLE',
  /** a row whose structure is wrong (too many / too few fields, broken quotes) */
  BAD_ROW: 'DATA_BAD_ROW',
  /** a field that does not parse as its column's type */
  BAD_VALUE: 'DATA_BAD_VALUE',
  /** a row without a value for the training target */
  MISSING_TARGET: 'DATA_MISSING_TARGET',
  /** a column name that does not exist */
  UNKNOWN_COLUMN: 'DATA_UNKNOWN_COLUMN',
  /** counts that do not reconcile: read != accepted + quarantined */
  RECONCILE: 'DATA_RECONCILE_FAILED',
  /** nothing usable was read */
  EMPTY: 'DATA_EMPTY',
} as const;

/** One rejected row (or one problem of a row), kept with enough to find and fix it. */
export interface QuarantinedRow {
  source: string;
  /** 1-based line in the file, header included */
  line: number;
  column: string | null;
  code: string;
  reason: string;
  raw: string;
}
