// data: Frame and Schema, reading sources (CSV through DuckDB) with quarantine, and quality profiles.
export { type ChunkedRead, type ChunkOptions, readTableChunks } from './chunks.ts';
export { type CsvDialect, type CsvOptions, type CsvResult, DEFAULT_MISSING_MARKERS, readCsv } from './csv.ts';
export { DataErrors, type QuarantinedRow } from './errors.ts';
export {
  type CategoricalColumn,
  type Column,
  type ColumnType,
  categoricalFrom,
  columnLength,
  Frame,
  type NumericColumn,
  numericFrom,
} from './frame.ts';
export { type ColumnProfile, type FrameProfile, profileFrame } from './profile.ts';
export { type ColumnSchema, type Schema, schemaColumn, schemaOf, schemaWithout } from './schema.ts';
