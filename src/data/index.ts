/**
 * data: Frame and Schema, the value layer, reading sources (CSV with Keel's own reader; Parquet, JSON and SQL
 * over files through DuckDB) with quarantine, and quality profiles.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/data.ts}
 *
 * @module keel/data
 */

export { type ChunkedRead, type ChunkOptions, readTableChunks } from './chunks.ts';
export { concatFrames } from './concat.ts';
export { type CsvDialect, type CsvOptions, type CsvResult, readCsv } from './csv.ts';
export {
  DATA_CATALOG,
  DataErrors,
  type QuarantinedRow,
  type QuarantineRecord,
  quarantineRecord,
} from './errors.ts';
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
export {
  type AlignOptions,
  type AlignReport,
  alignColumns,
  type CoercionChange,
  coerceColumn,
  type DedupeReport,
  dedupe,
  type JoinReport,
  joinFrames,
  normalizeName,
  normalizeTime,
  type TimeOptions,
  unionFrames,
} from './integrate.ts';
export {
  applyPiiPolicies,
  columnPii,
  detectPii,
  PII_DETECTORS,
  PII_POLICIES,
  type PiiKind,
  type PiiPolicy,
} from './pii.ts';
export { type ColumnProfile, type FrameProfile, profileFrame } from './profile.ts';
export { type CheckOptions, type CheckResult, checkFrame } from './quality/check.ts';
export {
  type CompareOp,
  type Expectation,
  type ExpectationResult,
  evaluateExpectation,
  type Severity,
} from './quality/expectations.ts';
export { type DataJobOptions, runDataJob, typesOf } from './quality/job.ts';
export {
  type DatasetColumnProfile,
  type DatasetProfile,
  type Histogram,
  type ProfileOptions,
  profileDataset,
} from './quality/profile.ts';
export { buildReport, type QualityReport, reportHtml } from './quality/report.ts';
export {
  type ColumnRules,
  col,
  type DatasetSchema,
  type DeclaredSchema,
  defineSchema,
  type InferOptions,
  inferDatasetSchema,
  type RowOf,
} from './quality/rules.ts';
export { type FramedBatch, inferRecordSchema, RecordFramer } from './records.ts';
export { type ColumnSchema, type Schema, schemaColumn, schemaOf, schemaWithout } from './schema.ts';
export {
  contentId,
  readSnapshot,
  readSnapshotFile,
  reencryptSnapshots,
  type Snapshot,
  type SnapshotManifest,
  type SnapshotOptions,
  writeSnapshot,
} from './snapshot.ts';
export {
  type ColumnShift,
  diffSnapshots,
  listSnapshots,
  resolveSnapshotId,
  type SnapshotDiff,
} from './snapshot-diff.ts';
export { type CommitResult, SqliteCommitLog } from './sources/commit-log.ts';
export { type DuckdbSourceOptions, duckdbSource } from './sources/duckdb/source.ts';
export {
  expandGlob,
  type FileFormat,
  type FileSourceOptions,
  fileSource,
  formatOf,
} from './sources/file/source.ts';
export { guardedFetch } from './sources/http/fetch.ts';
export { isPrivateAddress } from './sources/http/guard.ts';
export {
  type HeaderValue,
  type HttpSourceOptions,
  httpSource,
  type Pagination,
  redactUrl,
} from './sources/http/source.ts';
export { type MqttSourceOptions, mqttSource } from './sources/mqtt/source.ts';
export { type NatsSourceOptions, natsSource } from './sources/nats/source.ts';
export { type PostgresSourceOptions, postgresSource, redactConnection } from './sources/postgres/source.ts';
export { type RedisStreamOptions, redisStreamSource } from './sources/redis/source.ts';
export {
  distinctRows,
  type ReadAllOptions,
  type ReadOptions,
  readSource,
  type Source,
  type SourceBatch,
  type SourceDescription,
  type SourceRead,
} from './sources/source.ts';
export { type SourceSpecOptions, sourceFromSpec } from './sources/spec.ts';
export { type SqliteSourceOptions, sqliteSource } from './sources/sqlite/source.ts';
export {
  type ConsumeOptions,
  type MicroBatch,
  makeStreamSource,
  type StreamMessage,
  type StreamSource,
  type StreamTransport,
} from './sources/stream.ts';
export { tumblingWindows, type Window, type WindowOptions } from './sources/windows.ts';
export {
  checkZone,
  DEFAULT_MISSING_MARKERS,
  DEFAULT_READING,
  parseBoolean,
  parseDateText,
  parseNumberText,
  type ReadingRules,
  readingRules,
  trimText,
  ValueReader,
} from './values.ts';
