// The embedded RunStore: one SQLite file (WAL, busy timeout) plus a local content-addressed artifact store.
// On open, runs left "running" by a process that no longer exists are marked failed, so nothing stays running.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { KeelError } from '../core/index.ts';
import { isAlive, LocalArtifactStore } from './artifacts.ts';
import { TrackErrors } from './errors.ts';
import type { RunArtifact, RunRecord, RunStatus, RunStore, StartRunOptions } from './types.ts';

type Db = Database.Database;

/** Ordered migrations; each runs once, inside one immediate transaction with the version bump. */
const MIGRATIONS: string[] = [
  `CREATE TABLE experiments (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     experiment_id INTEGER NOT NULL REFERENCES experiments(id),
     name TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running','finished','failed','killed')),
     started_at TEXT NOT NULL,
     ended_at TEXT,
     heartbeat_at TEXT NOT NULL,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     error TEXT
   );
   CREATE INDEX runs_by_experiment ON runs(experiment_id, started_at);
   CREATE TABLE params (run_id TEXT NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (run_id, key));
   CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value REAL NOT NULL,
     step INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL, PRIMARY KEY (run_id, key, step));
   CREATE TABLE tags (run_id TEXT NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (run_id, key));
   CREATE TABLE run_artifacts (run_id TEXT NOT NULL REFERENCES runs(id), name TEXT NOT NULL,
     sha256 TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (run_id, name));`,
];

export interface SqliteRunStoreOptions {
  /** the Keel home folder: keel.db and artifacts/ live here */
  home: string;
  /** a run on another host whose heartbeat is older than this is marked killed */
  staleAfterMs?: number;
  now?: () => Date;
}

export class SqliteRunStore implements RunStore {
  readonly db: Db;
  readonly artifacts: LocalArtifactStore;
  readonly home: string;
  private readonly now: () => Date;
  private readonly host = os.hostname();

  constructor(options: SqliteRunStoreOptions) {
    this.home = options.home;
    this.now = options.now ?? (() => new Date());
    fs.mkdirSync(options.home, { recursive: true });
    try {
      this.db = new Database(path.join(options.home, 'keel.db'));
    } catch (err) {
      throw new KeelError(
        TrackErrors.STORE_UNAVAILABLE,
        `cannot open ${options.home}/keel.db: ${(err as Error).message}`,
      );
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db, 'track', MIGRATIONS);
    this.artifacts = new LocalArtifactStore(path.join(options.home, 'artifacts'));
    this.reapAbandonedRuns(options.staleAfterMs ?? 10 * 60_000);
  }

  private iso(): string {
    return this.now().toISOString();
  }

  /** Runs whose process died mid-run: failed when it was on this host, killed when its heartbeat went stale elsewhere. */
  reapAbandonedRuns(staleAfterMs: number): number {
    const rows = this.db
      .prepare("SELECT id, pid, host, heartbeat_at FROM runs WHERE status = 'running'")
      .all() as { id: string; pid: number; host: string; heartbeat_at: string }[];
    const end = this.db.prepare(
      "UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'running'",
    );
    let n = 0;
    for (const r of rows) {
      if (r.host === this.host && r.pid !== process.pid && !isAlive(r.pid)) {
        end.run(
          'failed',
          this.iso(),
          `process ${r.pid} ended without finishing the run (killed or crashed)`,
          r.id,
        );
        n++;
      } else if (r.host !== this.host && this.now().getTime() - Date.parse(r.heartbeat_at) > staleAfterMs) {
        end.run('killed', this.iso(), `no heartbeat from ${r.host} since ${r.heartbeat_at}`, r.id);
        n++;
      }
    }
    return n;
  }

  startRun(options: StartRunOptions): string {
    const id = randomUUID().replace(/-/g, '');
    const at = this.iso();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)')
        .run(options.experiment, at);
      const exp = this.db.prepare('SELECT id FROM experiments WHERE name = ?').get(options.experiment) as {
        id: number;
      };
      this.db
        .prepare(
          `INSERT INTO runs (id, experiment_id, name, status, started_at, heartbeat_at, pid, host)
           VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`,
        )
        .run(id, exp.id, options.name, at, at, process.pid, this.host);
      this.writeParams(id, options.params ?? {});
      this.writeTags(id, options.tags ?? {});
    })();
    return id;
  }

  private active(runId: string): void {
    const row = this.db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as
      | { status: string }
      | undefined;
    if (!row) throw new KeelError(TrackErrors.NOT_FOUND, `no run ${runId}`);
    if (row.status !== 'running')
      throw new KeelError(TrackErrors.RUN_NOT_ACTIVE, `run ${runId} is ${row.status}`);
  }

  private writeParams(runId: string, params: Record<string, unknown>): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO params (run_id, key, value) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(params))
      stmt.run(runId, k, typeof v === 'string' ? v : JSON.stringify(v));
  }

  private writeTags(runId: string, tags: Record<string, string>): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(tags)) stmt.run(runId, k, v);
  }

  logParams(runId: string, params: Record<string, unknown>): void {
    this.active(runId);
    this.db.transaction(() => this.writeParams(runId, params))();
  }

  logMetrics(runId: string, metrics: Record<string, number>, step = 0): void {
    this.active(runId);
    const at = this.iso();
    const stmt = this.db.prepare(
      'INSERT OR REPLACE INTO metrics (run_id, key, value, step, at) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(metrics)) if (Number.isFinite(v)) stmt.run(runId, k, v, step, at);
    })();
  }

  setTags(runId: string, tags: Record<string, string>): void {
    this.db.transaction(() => this.writeTags(runId, tags))();
  }

  logArtifact(runId: string, name: string, bytes: Uint8Array): RunArtifact {
    this.active(runId);
    // the file is durable before the row that points at it exists
    const ref = this.artifacts.put(bytes);
    this.db
      .prepare('INSERT OR REPLACE INTO run_artifacts (run_id, name, sha256, size) VALUES (?, ?, ?, ?)')
      .run(runId, name, ref.sha256, ref.size);
    return { name, ...ref };
  }

  endRun(runId: string, status: Exclude<RunStatus, 'running'>, error?: string): void {
    this.active(runId);
    this.db
      .prepare('UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?')
      .run(status, this.iso(), error ?? null, runId);
  }

  heartbeat(runId: string): void {
    this.db
      .prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'")
      .run(this.iso(), runId);
  }

  getRun(runId: string): RunRecord {
    const row = this.db
      .prepare(
        'SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?',
      )
      .get(runId) as RunRow | undefined;
    if (!row) throw new KeelError(TrackErrors.NOT_FOUND, `no run ${runId}`);
    return this.hydrate(row);
  }

  listRuns(filter: { experiment?: string; status?: RunStatus; limit?: number } = {}): RunRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.experiment) {
      where.push('e.name = ?');
      args.push(filter.experiment);
    }
    if (filter.status) {
      where.push('r.status = ?');
      args.push(filter.status);
    }
    const sql = `SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e ON e.id = r.experiment_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 100) as RunRow[];
    return rows.map((r) => this.hydrate(r));
  }

  private hydrate(row: RunRow): RunRecord {
    const kv = (table: string) =>
      Object.fromEntries(
        (
          this.db.prepare(`SELECT key, value FROM ${table} WHERE run_id = ?`).all(row.id) as {
            key: string;
            value: string;
          }[]
        ).map((r) => [r.key, r.value]),
      );
    const metricRows = this.db
      .prepare('SELECT key, value FROM metrics WHERE run_id = ? ORDER BY step')
      .all(row.id) as { key: string; value: number }[];
    const metrics: Record<string, number> = {};
    for (const m of metricRows) metrics[m.key] = m.value; // the latest step wins
    return {
      id: row.id,
      experiment: row.experiment,
      name: row.name,
      status: row.status as RunStatus,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      heartbeatAt: row.heartbeat_at,
      pid: row.pid,
      host: row.host,
      error: row.error,
      params: kv('params'),
      metrics,
      tags: kv('tags'),
      artifacts: this.db
        .prepare('SELECT name, sha256, size FROM run_artifacts WHERE run_id = ? ORDER BY name')
        .all(row.id) as RunArtifact[],
    };
  }

  readArtifact(sha256: string): Buffer {
    return this.artifacts.get(sha256);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface RunRow {
  id: string;
  experiment: string;
  name: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  heartbeat_at: string;
  pid: number;
  host: string;
  error: string | null;
}

/** Apply a room's migrations exactly once, recording the version per room in keel_schema. */
export function migrate(db: Db, room: string, migrations: readonly string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS keel_schema (room TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM keel_schema WHERE room = ?').get(room) as
      | { version: number }
      | undefined;
    const from = row?.version ?? 0;
    for (let v = from; v < migrations.length; v++) db.exec(migrations[v]);
    if (from < migrations.length) {
      db.prepare('INSERT OR REPLACE INTO keel_schema (room, version) VALUES (?, ?)').run(
        room,
        migrations.length,
      );
    }
  }).immediate();
}
