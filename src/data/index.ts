// data: Frame and Schema, reading sources (CSV through DuckDB) with quarantine, and quality profiles.
export { DEFAULT_MISSING_MARKERS, readCsv, type CsvDialect, type CsvOptions, type CsvResult } from './csv.ts';
export { DataErrors, type QuarantinedRow } from './errors.ts';
export {
  categoricalFrom,
  columnLength,
  Frame,
  numericFrom,
  type CategoricalColumn,
  type Column,
  type ColumnType,
  type NumericColumn,
} from './frame.ts';
export { profileFrame, type ColumnProfile, type FrameProfile } from './profile.ts';
export { schemaColumn, schemaOf, schemaWithout, type ColumnSchema, type Schema } from './schema.ts';
