// Model registry: versions created from a run's artifact, aliases (name@champion) moved atomically with history.

import os from 'node:os';
import { KeelError } from '../core/index.ts';
import { migrate, type SqliteRunStore } from '../track/index.ts';
import { RegistryErrors } from './errors.ts';

const MIGRATIONS = [
  `CREATE TABLE model_versions (
     name TEXT NOT NULL, version INTEGER NOT NULL, run_id TEXT NOT NULL REFERENCES runs(id),
     artifact_sha256 TEXT NOT NULL, artifact_size INTEGER NOT NULL, task TEXT, description TEXT,
     created_at TEXT NOT NULL, PRIMARY KEY (name, version));
   CREATE TABLE model_aliases (
     name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL,
     PRIMARY KEY (name, alias), FOREIGN KEY (name, version) REFERENCES model_versions(name, version));
   CREATE TABLE alias_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, alias TEXT NOT NULL,
     from_version INTEGER, to_version INTEGER NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);`,
];

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export interface ModelVersion {
  name: string;
  version: number;
  runId: string;
  artifactSha256: string;
  artifactSize: number;
  task: string | null;
  description: string | null;
  createdAt: string;
  aliases: string[];
}

export interface AliasEvent {
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  reason: string;
  at: string;
}

export interface ModelRef {
  name: string;
  alias?: string;
  version?: number;
}

/** "name@alias", "name@3" (a version) or "name" (the latest version). */
export function parseModelRef(ref: string): ModelRef {
  const [name, sel, extra] = ref.split('@');
  if (extra !== undefined || !NAME.test(name ?? '')) {
    throw new KeelError(
      RegistryErrors.BAD_REF,
      `"${ref}" is not a model reference (name, name@alias or name@version)`,
    );
  }
  if (sel === undefined) return { name };
  if (/^\d+$/.test(sel)) return { name, version: Number(sel) };
  if (!NAME.test(sel)) throw new KeelError(RegistryErrors.BAD_REF, `"${sel}" is not a valid alias`);
  return { name, alias: sel };
}

export class ModelRegistry {
  private readonly store: SqliteRunStore;

  constructor(store: SqliteRunStore) {
    this.store = store;
    migrate(store.db, 'registry', MIGRATIONS);
  }

  /** A new version of `name` from the named artifact of a run; versions count up from 1. */
  register(options: {
    name: string;
    runId: string;
    artifact: string;
    task?: string;
    description?: string;
  }): ModelVersion {
    if (!NAME.test(options.name)) {
      throw new KeelError(RegistryErrors.BAD_NAME, `model name "${options.name}" must match ${NAME.source}`);
    }
    const run = this.store.getRun(options.runId);
    const art = run.artifacts.find((a) => a.name === options.artifact);
    if (!art) {
      throw new KeelError(
        RegistryErrors.NO_ARTIFACT,
        `run ${options.runId} has no artifact "${options.artifact}"`,
      );
    }
    const db = this.store.db;
    const version = db
      .transaction(() => {
        const row = db
          .prepare('SELECT max(version) AS v FROM model_versions WHERE name = ?')
          .get(options.name) as {
          v: number | null;
        };
        const v = (row.v ?? 0) + 1;
        db.prepare(
          `INSERT INTO model_versions (name, version, run_id, artifact_sha256, artifact_size, task, description, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          options.name,
          v,
          options.runId,
          art.sha256,
          art.size,
          options.task ?? null,
          options.description ?? null,
          new Date().toISOString(),
        );
        return v;
      })
      .immediate();
    return this.get(options.name, version);
  }

  /** Point an alias at a version; the move and its history row commit together. */
  setAlias(name: string, alias: string, version: number, by: { actor?: string; reason: string }): AliasEvent {
    if (!NAME.test(alias))
      throw new KeelError(RegistryErrors.BAD_NAME, `alias "${alias}" must match ${NAME.source}`);
    this.get(name, version);
    const db = this.store.db;
    const at = new Date().toISOString();
    const actor = by.actor ?? os.userInfo().username;
    return db
      .transaction(() => {
        const prev = db
          .prepare('SELECT version FROM model_aliases WHERE name = ? AND alias = ?')
          .get(name, alias) as { version: number } | undefined;
        db.prepare(
          'INSERT OR REPLACE INTO model_aliases (name, alias, version, updated_at) VALUES (?, ?, ?, ?)',
        ).run(name, alias, version, at);
        db.prepare(
          'INSERT INTO alias_events (name, alias, from_version, to_version, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(name, alias, prev?.version ?? null, version, actor, by.reason, at);
        return {
          name,
          alias,
          fromVersion: prev?.version ?? null,
          toVersion: version,
          actor,
          reason: by.reason,
          at,
        };
      })
      .immediate();
  }

  get(name: string, version: number): ModelVersion {
    const row = this.store.db
      .prepare('SELECT * FROM model_versions WHERE name = ? AND version = ?')
      .get(name, version) as VersionRow | undefined;
    if (!row) throw new KeelError(RegistryErrors.NOT_FOUND, `model ${name} has no version ${version}`);
    return this.hydrate(row);
  }

  resolve(ref: string | ModelRef): ModelVersion {
    const r = typeof ref === 'string' ? parseModelRef(ref) : ref;
    if (r.version !== undefined) return this.get(r.name, r.version);
    if (r.alias !== undefined) {
      const row = this.store.db
        .prepare('SELECT version FROM model_aliases WHERE name = ? AND alias = ?')
        .get(r.name, r.alias) as { version: number } | undefined;
      if (!row) throw new KeelError(RegistryErrors.NOT_FOUND, `model ${r.name} has no alias @${r.alias}`);
      return this.get(r.name, row.version);
    }
    const row = this.store.db
      .prepare('SELECT max(version) AS v FROM model_versions WHERE name = ?')
      .get(r.name) as {
      v: number | null;
    };
    if (row.v === null) throw new KeelError(RegistryErrors.NOT_FOUND, `no model named ${r.name}`);
    return this.get(r.name, row.v);
  }

  listVersions(name: string): ModelVersion[] {
    return (
      this.store.db
        .prepare('SELECT * FROM model_versions WHERE name = ? ORDER BY version')
        .all(name) as VersionRow[]
    ).map((r) => this.hydrate(r));
  }

  aliasHistory(name: string): AliasEvent[] {
    return (
      this.store.db.prepare('SELECT * FROM alias_events WHERE name = ? ORDER BY id').all(name) as {
        name: string;
        alias: string;
        from_version: number | null;
        to_version: number;
        actor: string;
        reason: string;
        at: string;
      }[]
    ).map((e) => ({
      name: e.name,
      alias: e.alias,
      fromVersion: e.from_version,
      toVersion: e.to_version,
      actor: e.actor,
      reason: e.reason,
      at: e.at,
    }));
  }

  /** The version's artifact bytes, verified against their SHA-256. */
  readArtifact(mv: ModelVersion): Buffer {
    return this.store.readArtifact(mv.artifactSha256);
  }

  private hydrate(row: VersionRow): ModelVersion {
    const aliases = (
      this.store.db
        .prepare('SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias')
        .all(row.name, row.version) as {
        alias: string;
      }[]
    ).map((a) => a.alias);
    return {
      name: row.name,
      version: row.version,
      runId: row.run_id,
      artifactSha256: row.artifact_sha256,
      artifactSize: row.artifact_size,
      task: row.task,
      description: row.description,
      createdAt: row.created_at,
      aliases,
    };
  }
}

interface VersionRow {
  name: string;
  version: number;
  run_id: string;
  artifact_sha256: string;
  artifact_size: number;
  task: string | null;
  description: string | null;
  created_at: string;
}
