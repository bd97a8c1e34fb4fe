// track: experiments and runs (params, metrics, tags, notes, artifacts, lineage) in SQLite or PostgreSQL.
export { ActiveRun, type ActiveRunOptions } from './active-run.ts';
export { isAlive, LocalArtifactStore, type ArtifactRef, type ArtifactStore } from './artifacts.ts';
export { openPostgres, redactUrl, type PostgresOptions } from './db/postgres/db.ts';
export { openSqlite, sqliteIntegrity } from './db/sqlite/db.ts';
export type { Dialect, SqlDb } from './db/types.ts';
export { TrackErrors } from './errors.ts';
export { captureLineage, redactArgs, type LineageInput } from './lineage.ts';
export { safeArtifactName } from './names.ts';
export { openStore, type OpenStoreOptions } from './open.ts';
export { compareRuns, type RunComparison } from './compare.ts';
export { compileFilter, compileOrder } from './query.ts';
export { SqlRunStore, type SqlRunStoreOptions } from './store.ts';
export {
  RUN_STATUSES,
  type GcReport,
  type ListRunsOptions,
  type MetricPoint,
  type RunArtifact,
  type RunManifest,
  type RunRecord,
  type RunStatus,
  type RunStore,
  type StartRunOptions,
} from './types.ts';
