// The tracking schema, written once for both SQLite and PostgreSQL (types both accept: TEXT, BIGINT, DOUBLE PRECISION).

export const TRACK_MIGRATIONS: readonly string[] = [
  `CREATE TABLE experiments (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     experiment TEXT NOT NULL,
     parent_id TEXT,
     name TEXT NOT NULL,
     status TEXT NOT NULL,
     note TEXT,
     started_at TEXT NOT NULL,
     ended_at TEXT,
     heartbeat_at TEXT NOT NULL,
     pid BIGINT NOT NULL,
     host TEXT NOT NULL,
     error TEXT
   );
   CREATE INDEX runs_by_experiment ON runs (experiment, started_at);
   CREATE INDEX runs_by_status ON runs (status);
   CREATE INDEX runs_by_parent ON runs (parent_id);
   CREATE TABLE params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, num DOUBLE PRECISION,
     PRIMARY KEY (run_id, key));
   CREATE INDEX params_by_key ON params (key, num);
   CREATE TABLE metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, step BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
     at TEXT NOT NULL, PRIMARY KEY (run_id, key, step));
   CREATE TABLE latest_metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, step BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
     PRIMARY KEY (run_id, key));
   CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value);
   CREATE TABLE tags (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
   CREATE TABLE run_artifacts (run_id TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL,
     PRIMARY KEY (run_id, name));
   CREATE INDEX run_artifacts_by_sha ON run_artifacts (sha256);
   CREATE TABLE artifact_pins (sha256 TEXT NOT NULL, owner TEXT NOT NULL, run_id TEXT, PRIMARY KEY (sha256, owner));
   CREATE INDEX artifact_pins_by_run ON artifact_pins (run_id);`,
  // every experiment, and so every run, belongs to one project (access is checked per project)
  `ALTER TABLE experiments ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE runs ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
   CREATE INDEX runs_by_project ON runs (project, started_at);`,
];
