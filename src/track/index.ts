/**
 * track: experiments and runs (params, metrics, tags, notes, artifacts, lineage) in SQLite or PostgreSQL.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/track.ts}
 *
 * @module keel/track
 */
export { ActiveRun, type ActiveRunOptions } from './active-run.ts';
export { type ArtifactRef, type ArtifactStore, isAlive, LocalArtifactStore } from './artifacts.ts';
export { compareRuns, type RunComparison } from './compare.ts';
export { openPostgres, type PostgresOptions, redactUrl } from './db/postgres/db.ts';
export { openSqlite, sqliteIntegrity } from './db/sqlite/db.ts';
export type { Dialect, SqlDb } from './db/types.ts';
export { TRACK_CATALOG, TrackErrors } from './errors.ts';
export { captureLineage, type LineageInput, redactArgs } from './lineage.ts';
export { safeArtifactName } from './names.ts';
export { type OpenStoreOptions, openStore } from './open.ts';
export { compileFilter, compileOrder } from './query.ts';
export { SqlRunStore, type SqlRunStoreOptions } from './store.ts';
export {
  type GcReport,
  type ListRunsOptions,
  type MetricPoint,
  RUN_STATUSES,
  type RunArtifact,
  type RunManifest,
  type RunRecord,
  type RunStatus,
  type RunStore,
  type StartRunOptions,
} from './types.ts';
