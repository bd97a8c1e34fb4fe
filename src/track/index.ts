// track: experiments and runs with params, metrics, tags and content-addressed artifacts.
export { type ArtifactRef, type ArtifactStore, isAlive, LocalArtifactStore } from './artifacts.ts';
export { TrackErrors } from './errors.ts';
export { migrate, SqliteRunStore, type SqliteRunStoreOptions } from './sqlite.ts';
export type { RunArtifact, RunRecord, RunStatus, RunStore, StartRunOptions } from './types.ts';
