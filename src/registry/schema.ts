// The registry's tables, for SQLite and PostgreSQL alike.

export const REGISTRY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE model_versions (
     name TEXT NOT NULL, version BIGINT NOT NULL, run_id TEXT NOT NULL, artifact TEXT NOT NULL,
     artifact_sha256 TEXT NOT NULL, artifact_size BIGINT NOT NULL, manifest TEXT NOT NULL, task TEXT,
     description TEXT, card TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
     PRIMARY KEY (name, version));
   CREATE TABLE model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version BIGINT NOT NULL, updated_at TEXT NOT NULL,
     PRIMARY KEY (name, alias));
   CREATE TABLE alias_events (name TEXT NOT NULL, seq BIGINT NOT NULL, alias TEXT NOT NULL, from_version BIGINT,
     to_version BIGINT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, evaluation_id TEXT,
     PRIMARY KEY (name, seq));
   CREATE TABLE gate_evaluations (id TEXT PRIMARY KEY, name TEXT NOT NULL, alias TEXT NOT NULL,
     candidate_version BIGINT NOT NULL, incumbent_version BIGINT, passed BIGINT NOT NULL, overridden BIGINT NOT NULL,
     override_reason TEXT, actor TEXT NOT NULL, at TEXT NOT NULL, results TEXT NOT NULL);
   CREATE INDEX gate_evaluations_by_model ON gate_evaluations (name, at);
   CREATE TABLE alias_policies (name TEXT NOT NULL, alias TEXT NOT NULL, gates TEXT NOT NULL, PRIMARY KEY (name, alias));`,
  // a model belongs to the project of the run its first version came from; signatures of versions
  `CREATE TABLE model_projects (name TEXT PRIMARY KEY, project TEXT NOT NULL);
   INSERT INTO model_projects (name, project) SELECT DISTINCT name, 'default' FROM model_versions;
   ALTER TABLE model_versions ADD COLUMN signature TEXT;`,
];
