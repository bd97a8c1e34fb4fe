// SqlDb: the one small database interface both metadata backends implement (SQLite embedded, PostgreSQL for teams).
// SQL is written once with `?` placeholders and the syntax both dialects share (ON CONFLICT upserts, multi-row VALUES).

export type Dialect = 'sqlite' | 'postgres';

export interface SqlDb {
  readonly dialect: Dialect;
  /** where it lives, without secrets (for messages and lineage) */
  readonly location: string;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** a write; returns the number of rows changed */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * A write transaction: serialised against other writers (BEGIN IMMEDIATE on SQLite), retried on lock and
   * serialisation conflicts so "database is locked" never reaches the caller. Nested calls join the outer one.
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  /**
   * Give back the room kept for a full disk (SQLite's ballast file), so one last small write — a failed run's
   * status — can land. False when there is none.
   */
  releaseReserve?(): boolean;
  /** Apply a room's migrations exactly once, even when many processes open the database together. */
  migrate(room: string, migrations: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATION_TABLE = `CREATE TABLE IF NOT EXISTS keel_schema (room TEXT PRIMARY KEY, version BIGINT NOT NULL)`;

/** Shared by both backends: read the version, apply what is missing, record it (inside the caller's lock). */
export async function applyMigrations(
  tx: SqlDb,
  room: string,
  migrations: readonly string[],
  execAll: (sql: string) => Promise<void>,
): Promise<void> {
  const row = await tx.get<{ version: number }>('SELECT version FROM keel_schema WHERE room = ?', [room]);
  const from = Number(row?.version ?? 0);
  for (let v = from; v < migrations.length; v++) await execAll(migrations[v]);
  if (from < migrations.length) {
    await tx.run(
      'INSERT INTO keel_schema (room, version) VALUES (?, ?) ON CONFLICT (room) DO UPDATE SET version = excluded.version',
      [room, migrations.length],
    );
  }
}

/** Jittered exponential backoff for retrying a busy database. */
export function backoffMs(attempt: number): number {
  return Math.min(1000, 5 * 2 ** attempt) * (0.5 + Math.random());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
