// SqlRunStore: the RunStore over any SqlDb (SQLite or PostgreSQL) plus an ArtifactStore. Writes that belong together
// commit together; artifact bytes are durable before the row that lists them exists.

import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Readable } from 'node:stream';
import { KeelError, redactSecrets } from '../core/index.ts';
import { type ArtifactStore, isAlive } from './artifacts.ts';
import type { SqlDb } from './db/types.ts';
import { TrackErrors } from './errors.ts';
import { safeArtifactName } from './names.ts';
import { compileFilter, compileOrder } from './query.ts';
import { TRACK_MIGRATIONS } from './schema.ts';
import type {
  GcReport,
  ListRunsOptions,
  MetricPoint,
  RunArtifact,
  RunManifest,
  RunRecord,
  RunStatus,
  RunStore,
  StartRunOptions,
} from './types.ts';

const ROWS_PER_INSERT = 200;

interface RunRow {
  id: string;
  experiment: string;
  project: string;
  parent_id: string | null;
  name: string;
  status: string;
  note: string | null;
  started_at: string;
  ended_at: string | null;
  heartbeat_at: string;
  pid: number;
  host: string;
  error: string | null;
}

export interface SqlRunStoreOptions {
  now?: () => Date;
  /** a run on another host whose heartbeat is older than this is marked killed when the store opens */
  staleAfterMs?: number;
}

export class SqlRunStore implements RunStore {
  readonly sql: SqlDb;
  readonly artifacts: ArtifactStore;
  private readonly now: () => Date;
  private readonly host = os.hostname();

  private constructor(sql: SqlDb, artifacts: ArtifactStore, options: SqlRunStoreOptions) {
    this.sql = sql;
    this.artifacts = artifacts;
    this.now = options.now ?? (() => new Date());
  }

  static async open(
    sql: SqlDb,
    artifacts: ArtifactStore,
    options: SqlRunStoreOptions = {},
  ): Promise<SqlRunStore> {
    await sql.migrate('track', TRACK_MIGRATIONS);
    const store = new SqlRunStore(sql, artifacts, options);
    await store.reapAbandonedRuns(options.staleAfterMs ?? 10 * 60_000);
    return store;
  }

  private iso(): string {
    return this.now().toISOString();
  }

  async reapAbandonedRuns(graceMs = 10 * 60_000): Promise<number> {
    const rows = await this.sql.all<{ id: string; pid: number; host: string; heartbeat_at: string }>(
      "SELECT id, pid, host, heartbeat_at FROM runs WHERE status = 'running'",
    );
    let n = 0;
    for (const r of rows) {
      const pid = Number(r.pid);
      let why: string | null = null;
      if (r.host === this.host && pid !== process.pid && !isAlive(pid)) {
        why = `process ${pid} on ${r.host} ended without finishing the run (killed or crashed)`;
      } else if (r.host !== this.host && this.now().getTime() - Date.parse(r.heartbeat_at) > graceMs) {
        why = `no heartbeat from ${r.host} since ${r.heartbeat_at}`;
      }
      if (why) {
        n += await this.sql.run(
          "UPDATE runs SET status = 'killed', ended_at = ?, error = ? WHERE id = ? AND status = 'running'",
          [this.iso(), why, r.id],
        );
      }
    }
    return n;
  }

  async startRun(o: StartRunOptions): Promise<string> {
    const id = randomUUID().replace(/-/g, '');
    const at = this.iso();
    await this.sql.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO experiments (name, created_at, project) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
        [o.experiment, at, o.project ?? 'default'],
      );
      const exp = await tx.get<{ project: string }>('SELECT project FROM experiments WHERE name = ?', [
        o.experiment,
      ]);
      const project = exp?.project ?? 'default';
      if (o.project !== undefined && o.project !== project)
        throw new KeelError(
          TrackErrors.BAD_PROJECT,
          `experiment ${o.experiment} belongs to project ${project}, not ${o.project}; name another experiment`,
        );
      if (o.parentId) await this.requireRun(tx, o.parentId);
      await tx.run(
        `INSERT INTO runs (id, experiment, project, parent_id, name, status, note, started_at, heartbeat_at, pid, host)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
        [
          id,
          o.experiment,
          project,
          o.parentId ?? null,
          o.name,
          o.note ?? null,
          at,
          at,
          process.pid,
          this.host,
        ],
      );
      await this.writeParams(tx, id, o.params ?? {});
      await this.writeTags(tx, id, o.tags ?? {});
    });
    return id;
  }

  private async requireRun(db: SqlDb, runId: string): Promise<RunStatus> {
    const row = await db.get<{ status: RunStatus }>('SELECT status FROM runs WHERE id = ?', [runId]);
    if (!row) throw new KeelError(TrackErrors.NOT_FOUND, `no run ${runId}`);
    return row.status;
  }

  private async requireActive(db: SqlDb, runId: string): Promise<void> {
    const status = await this.requireRun(db, runId);
    if (status !== 'running') throw new KeelError(TrackErrors.RUN_NOT_ACTIVE, `run ${runId} is ${status}`);
  }

  private async writeParams(db: SqlDb, runId: string, params: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(params)) {
      // a param or tag naming a source (a URL with a password or key) is kept without the secret
      const text = redactSecrets(typeof v === 'string' ? v : JSON.stringify(v ?? null));
      const num =
        typeof v === 'number' && Number.isFinite(v)
          ? v
          : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
            ? Number(v)
            : null;
      await db.run(
        'INSERT INTO params (run_id, key, value, num) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, num = excluded.num',
        [runId, k, text, num],
      );
    }
  }

  private async writeTags(db: SqlDb, runId: string, tags: Record<string, string>): Promise<void> {
    for (const [k, v] of Object.entries(tags)) {
      await db.run(
        'INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
        [runId, k, redactSecrets(String(v))],
      );
    }
  }

  async logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireActive(tx, runId);
      await this.writeParams(tx, runId, params);
    });
  }

  async logMetrics(runId: string, metrics: Record<string, number>, step = 0): Promise<void> {
    await this.logMetricBatch(
      runId,
      Object.entries(metrics).map(([key, value]) => ({ key, value, step })),
    );
  }

  async logMetricBatch(runId: string, points: readonly MetricPoint[]): Promise<void> {
    const at = this.iso();
    const clean = points.filter((p) => Number.isFinite(p.value));
    if (clean.length === 0) return;
    // the latest value per key within this batch, for latest_metrics
    const latest = new Map<string, MetricPoint>();
    for (const p of clean) {
      const prev = latest.get(p.key);
      if (!prev || (p.step ?? 0) >= (prev.step ?? 0)) latest.set(p.key, p);
    }
    await this.sql.transaction(async (tx) => {
      await this.requireActive(tx, runId);
      for (let i = 0; i < clean.length; i += ROWS_PER_INSERT) {
        const part = clean.slice(i, i + ROWS_PER_INSERT);
        await tx.run(
          `INSERT INTO metrics (run_id, key, step, value, at) VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')}
           ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, at = excluded.at`,
          part.flatMap((p) => [runId, p.key, p.step ?? 0, p.value, p.at ?? at]),
        );
      }
      const last = [...latest.values()];
      for (let i = 0; i < last.length; i += ROWS_PER_INSERT) {
        const part = last.slice(i, i + ROWS_PER_INSERT);
        await tx.run(
          `INSERT INTO latest_metrics (run_id, key, step, value) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}
           ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, value = excluded.value
           WHERE excluded.step >= latest_metrics.step`,
          part.flatMap((p) => [runId, p.key, p.step ?? 0, p.value]),
        );
      }
    });
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireRun(tx, runId);
      await this.writeTags(tx, runId, tags);
    });
  }

  async setNote(runId: string, note: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireRun(tx, runId);
      await tx.run('UPDATE runs SET note = ? WHERE id = ?', [note, runId]);
    });
  }

  async logArtifact(
    runId: string,
    name: string,
    content: Uint8Array | Readable | AsyncIterable<Uint8Array>,
  ): Promise<RunArtifact> {
    safeArtifactName(name);
    await this.requireActive(this.sql, runId);
    // the file is durable before the row that lists it exists
    const ref =
      content instanceof Uint8Array
        ? await this.artifacts.put(content)
        : await this.artifacts.putStream(content);
    await this.sql.transaction(async (tx) => {
      await this.requireActive(tx, runId);
      await tx.run(
        'INSERT INTO run_artifacts (run_id, name, sha256, size) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size',
        [runId, name, ref.sha256, ref.size],
      );
    });
    return { name, ...ref };
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'running'>, error?: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireActive(tx, runId);
      await tx.run('UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?', [
        status,
        this.iso(),
        error ?? null,
        runId,
      ]);
    });
  }

  async heartbeat(runId: string): Promise<void> {
    await this.sql.run("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'", [
      this.iso(),
      runId,
    ]);
  }

  /** The project a run belongs to (undefined for no such run). */
  async runProject(runId: string): Promise<string | undefined> {
    return (await this.sql.get<{ project: string }>('SELECT project FROM runs WHERE id = ?', [runId]))
      ?.project;
  }

  async getRun(runId: string): Promise<RunRecord> {
    const row = await this.sql.get<RunRow>('SELECT * FROM runs WHERE id = ?', [runId]);
    if (!row) throw new KeelError(TrackErrors.NOT_FOUND, `no run ${runId}`);
    return (await this.hydrate([row]))[0];
  }

  private where(o: ListRunsOptions): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (o.experiment) {
      parts.push('r.experiment = ?');
      params.push(o.experiment);
    }
    if (o.projects) {
      if (o.projects.length === 0) parts.push('1 = 0');
      else {
        parts.push(`r.project IN (${o.projects.map(() => '?').join(', ')})`);
        params.push(...o.projects);
      }
    }
    if (o.status) {
      parts.push('r.status = ?');
      params.push(o.status);
    }
    if (o.parentId) {
      parts.push('r.parent_id = ?');
      params.push(o.parentId);
    }
    if (o.filter) {
      const f = compileFilter(o.filter);
      parts.push(f.sql);
      params.push(...f.params);
    }
    return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
  }

  async listRuns(o: ListRunsOptions = {}): Promise<RunRecord[]> {
    const w = this.where(o);
    const ord = compileOrder(o.orderBy);
    const limit = Math.max(1, Math.min(o.limit ?? 100, 10_000));
    const rows = await this.sql.all<RunRow>(
      `SELECT r.* FROM runs r ${ord.join} ${w.sql} ORDER BY ${ord.orderBy} LIMIT ? OFFSET ?`,
      [...ord.params, ...w.params, limit, Math.max(0, o.offset ?? 0)],
    );
    return this.hydrate(rows);
  }

  async countRuns(o: ListRunsOptions = {}): Promise<number> {
    const w = this.where(o);
    const row = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM runs r ${w.sql}`, w.params);
    return Number(row?.n ?? 0);
  }

  /** Params, latest metrics, tags and artifacts for many runs in four queries. */
  private async hydrate(rows: RunRow[]): Promise<RunRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(', ');
    const [params, metrics, tags, arts] = await Promise.all([
      this.sql.all<{ run_id: string; key: string; value: string }>(
        `SELECT run_id, key, value FROM params WHERE run_id IN (${marks})`,
        ids,
      ),
      this.sql.all<{ run_id: string; key: string; value: number }>(
        `SELECT run_id, key, value FROM latest_metrics WHERE run_id IN (${marks})`,
        ids,
      ),
      this.sql.all<{ run_id: string; key: string; value: string }>(
        `SELECT run_id, key, value FROM tags WHERE run_id IN (${marks})`,
        ids,
      ),
      this.sql.all<{ run_id: string; name: string; sha256: string; size: number }>(
        `SELECT run_id, name, sha256, size FROM run_artifacts WHERE run_id IN (${marks}) ORDER BY name`,
        ids,
      ),
    ]);
    const group = <T extends { run_id: string }>(list: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of list) {
        const l = m.get(x.run_id);
        if (l) l.push(x);
        else m.set(x.run_id, [x]);
      }
      return m;
    };
    const [P, M, T, A] = [group(params), group(metrics), group(tags), group(arts)];
    return rows.map((r) => ({
      id: r.id,
      experiment: r.experiment,
      project: r.project,
      parentId: r.parent_id,
      name: r.name,
      status: r.status as RunStatus,
      note: r.note,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      heartbeatAt: r.heartbeat_at,
      pid: Number(r.pid),
      host: r.host,
      error: r.error,
      params: Object.fromEntries((P.get(r.id) ?? []).map((p) => [p.key, p.value])),
      metrics: Object.fromEntries((M.get(r.id) ?? []).map((m) => [m.key, Number(m.value)])),
      tags: Object.fromEntries((T.get(r.id) ?? []).map((t) => [t.key, t.value])),
      artifacts: (A.get(r.id) ?? []).map((a) => ({ name: a.name, sha256: a.sha256, size: Number(a.size) })),
    }));
  }

  async metricHistory(runId: string, key: string): Promise<{ step: number; value: number; at: string }[]> {
    const rows = await this.sql.all<{ step: number; value: number; at: string }>(
      'SELECT step, value, at FROM metrics WHERE run_id = ? AND key = ? ORDER BY step',
      [runId, key],
    );
    return rows.map((r) => ({ step: Number(r.step), value: Number(r.value), at: r.at }));
  }

  async manifest(runId: string): Promise<RunManifest> {
    const run = await this.getRun(runId);
    const lines = run.artifacts.map((a) => `${a.name} ${a.sha256} ${a.size}`).join('\n');
    return {
      run_id: runId,
      artifacts: run.artifacts,
      sha256: createHash('sha256').update(lines).digest('hex'),
    };
  }

  async readRunArtifact(runId: string, name: string): Promise<Buffer> {
    safeArtifactName(name);
    const row = await this.sql.get<{ sha256: string }>(
      'SELECT sha256 FROM run_artifacts WHERE run_id = ? AND name = ?',
      [runId, name],
    );
    if (!row)
      throw new KeelError(TrackErrors.NOT_FOUND, `run ${runId} has no artifact ${JSON.stringify(name)}`);
    return this.artifacts.get(row.sha256);
  }

  readArtifact(sha256: string): Promise<Buffer> {
    return this.artifacts.get(sha256);
  }

  /** Keep these artifacts alive for an owner (e.g. a model version) even if their run is deleted. */
  async pinArtifacts(
    owner: string,
    runId: string | null,
    shas: readonly string[],
    db: SqlDb = this.sql,
  ): Promise<void> {
    for (const sha of shas) {
      await db.run(
        'INSERT INTO artifact_pins (sha256, owner, run_id) VALUES (?, ?, ?) ON CONFLICT (sha256, owner) DO NOTHING',
        [sha, owner, runId],
      );
    }
  }

  async deleteRun(runId: string, options: { force?: boolean } = {}): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await this.requireRun(tx, runId);
      const pinned = await tx.all<{ owner: string }>(
        'SELECT DISTINCT owner FROM artifact_pins WHERE run_id = ?',
        [runId],
      );
      if (pinned.length > 0 && !options.force) {
        throw new KeelError(
          TrackErrors.IN_USE,
          `run ${runId} backs ${pinned.map((p) => p.owner).join(', ')}; pass force to delete it anyway`,
        );
      }
      const children = await tx.all<{ id: string }>('SELECT id FROM runs WHERE parent_id = ?', [runId]);
      for (const c of children) await tx.run('UPDATE runs SET parent_id = NULL WHERE id = ?', [c.id]);
      for (const table of ['params', 'metrics', 'latest_metrics', 'tags', 'run_artifacts']) {
        await tx.run(`DELETE FROM ${table} WHERE run_id = ?`, [runId]);
      }
      await tx.run('DELETE FROM runs WHERE id = ?', [runId]);
    });
  }

  async deleteExperiment(name: string): Promise<number> {
    const runs = await this.sql.all<{ id: string }>('SELECT id FROM runs WHERE experiment = ?', [name]);
    for (const r of runs) await this.deleteRun(r.id);
    await this.sql.run('DELETE FROM experiments WHERE name = ?', [name]);
    return runs.length;
  }

  /**
   * Remove stored artifacts no run lists and no owner pins. Files younger than minAgeMs are kept: a writer puts the
   * bytes before the row that references them, so a fresh unreferenced file may be about to be listed.
   */
  async collectGarbage(options: { dryRun?: boolean; minAgeMs?: number } = {}): Promise<GcReport> {
    const dryRun = options.dryRun ?? false;
    const minAge = options.minAgeMs ?? 60 * 60_000;
    const refs = await this.sql.all<{ sha256: string }>(
      'SELECT sha256 FROM run_artifacts UNION SELECT sha256 FROM artifact_pins',
    );
    const referenced = new Set(refs.map((r) => r.sha256));
    const report: GcReport = {
      dryRun,
      scanned: 0,
      referenced: 0,
      removed: [],
      removedBytes: 0,
      keptYoung: 0,
    };
    const nowMs = this.now().getTime();
    for await (const f of this.artifacts.list()) {
      report.scanned++;
      if (referenced.has(f.sha256)) {
        report.referenced++;
        continue;
      }
      if (nowMs - f.mtimeMs < minAge) {
        report.keptYoung++;
        continue;
      }
      report.removed.push({ sha256: f.sha256, size: f.size });
      report.removedBytes += f.size;
      if (!dryRun) await this.artifacts.remove(f.sha256);
    }
    return report;
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}
