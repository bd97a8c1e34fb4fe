// SqlDb on PostgreSQL (pg): a small pool, `?` placeholders rewritten to $n, an optional schema for isolation,
// transactions retried on serialisation failures and deadlocks, migrations under an advisory lock.

import type pg from 'pg';
import { diskFull, KeelError } from '../../../core/index.ts';
import { TrackErrors } from '../../errors.ts';
import { applyMigrations, backoffMs, MIGRATION_TABLE, type SqlDb, sleep } from '../types.ts';

const RETRYABLE = new Set(['40001', '40P01', '55P03']);
const MIGRATION_LOCK = 7_305_311;

export interface PostgresOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** a schema to create and use (tests isolate themselves this way) */
  schema?: string;
  poolSize?: number;
}

function toDollar(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The URL with any password removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export async function openPostgres(o: PostgresOptions): Promise<SqlDb> {
  if (o.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(o.schema)) {
    throw new KeelError(TrackErrors.STORE_UNAVAILABLE, `bad schema name "${o.schema}"`);
  }
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: o.url,
    max: o.poolSize ?? 4,
    options: o.schema ? `-c search_path=${o.schema}` : undefined,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 ? (v: string) => Number(v) : pgModule.types.getTypeParser(oid, format as never)) as never,
    },
  });
  pool.on('error', () => {}); // an idle client dropped by the server: the next query reconnects
  const location = redactUrl(o.url) + (o.schema ? `#${o.schema}` : '');
  try {
    if (o.schema) {
      const c = await pool.connect();
      try {
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${o.schema}`);
      } catch (err) {
        // two processes creating the schema together: the loser sees a unique violation, which is fine
        if ((err as { code?: string }).code !== '23505') throw err;
      } finally {
        c.release();
      }
    }
  } catch (err) {
    await pool.end();
    throw new KeelError(
      TrackErrors.STORE_UNAVAILABLE,
      `cannot reach PostgreSQL at ${location}: ${(err as Error).message}`,
    );
  }
  const over = (q: pg.Pool | pg.PoolClient, inTx: boolean): SqlDb => ({
    dialect: 'postgres',
    location,
    all: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await q.query(toDollar(sql), params as unknown[])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await q.query(toDollar(sql), params as unknown[])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) =>
      (await q.query(toDollar(sql), params as unknown[])).rowCount ?? 0,
    transaction: async <T>(fn: (tx: SqlDb) => Promise<T>) => (inTx ? fn(over(q, true)) : transaction(fn)),
    migrate: async () => {
      throw new Error('migrate inside a transaction');
    },
    close: async () => {},
  });
  const transaction = async <T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(over(client, true));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        if (!RETRYABLE.has((err as { code?: string }).code ?? '') || attempt > 50) throw err;
        await sleep(backoffMs(attempt));
      } finally {
        client.release();
      }
    }
  };
  const db = over(pool, false);
  return {
    ...db,
    run: (sql, params) =>
      db.run(sql, params).catch((err) => {
        throw diskFull(err, `writing to ${location}`);
      }),
    transaction: (fn) =>
      transaction(fn).catch((err) => {
        throw diskFull(err, `writing to ${location}`);
      }),
    migrate: async (room, migrations) => {
      await transaction(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        await tx.run(MIGRATION_TABLE);
        await applyMigrations(tx, room, migrations, async (sql) => {
          await tx.run(sql);
        });
      });
    },
    close: () => pool.end(),
  };
}
