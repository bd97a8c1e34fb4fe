// SqlDb on SQLite (better-sqlite3): WAL, busy timeout, one in-process queue, BEGIN IMMEDIATE write transactions
// retried on SQLITE_BUSY so concurrent processes wait instead of failing.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { diskFull, KeelError, writeFileAtomic } from '../../../core/index.ts';
import { TrackErrors } from '../../errors.ts';
import { applyMigrations, backoffMs, MIGRATION_TABLE, type SqlDb, sleep } from '../types.ts';

const RETRY_FOR_MS = 120_000;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED';
}

/** Room kept beside the database so that, on a full disk, a failed run's status can still be recorded. */
const RESERVE_BYTES = 256 * 1024;

function openDatabase(file: string, exclusive: boolean): Database.Database {
  const db = new Database(file);
  try {
    // exclusive locking before the first access keeps the WAL index in this process's memory: no -shm file to
    // create, so a database on a full disk still opens (reads work, writes fail with SQLITE_FULL) — at the price of
    // other processes waiting while this one has it open
    if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function storeUnavailable(file: string, err: unknown): KeelError {
  return new KeelError(TrackErrors.STORE_UNAVAILABLE, `cannot open ${file}: ${(err as Error).message}`);
}

export function openSqlite(file: string): SqlDb {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const reserve = `${file}.reserve`;
  let db: Database.Database;
  try {
    db = openDatabase(file, false);
  } catch (err) {
    // a full disk cannot hold the WAL index: open it without one, so servers still start and reads still work
    const code = String((err as { code?: string }).code ?? '');
    if (!/^SQLITE_(IOERR|FULL|CANTOPEN)/.test(code) || !fs.existsSync(file))
      throw storeUnavailable(file, err);
    try {
      db = openDatabase(file, true);
    } catch (again) {
      throw storeUnavailable(file, again);
    }
  }
  if (!fs.existsSync(reserve)) {
    try {
      writeFileAtomic(reserve, Buffer.alloc(RESERVE_BYTES));
    } catch {
      // no room for it now; the next open tries again
    }
  }
  // one operation at a time inside this process: a transaction's awaits must not interleave with other callers
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  const retrying = async <T>(fn: () => T): Promise<T> => {
    const start = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (err) {
        if (!isBusy(err) || Date.now() - start > RETRY_FOR_MS) throw err;
        await sleep(backoffMs(attempt));
      }
    }
  };
  // Prepared once per distinct SQL text: the run store repeats the same few statements on every log call. Bounded,
  // because the query language builds SQL per filter.
  const prepared = new Map<string, Database.Statement<unknown[]>>();
  const stmt = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) {
      if (prepared.size >= 512) prepared.clear();
      s = db.prepare<unknown[]>(sql);
      prepared.set(sql, s);
    }
    return s;
  };
  const direct = (inTx: boolean): SqlDb => ({
    dialect: 'sqlite',
    location: file,
    all: async <T>(sql: string, params: readonly unknown[] = []) => stmt(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => stmt(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) =>
      inTx ? stmt(sql).run(...params).changes : retrying(() => stmt(sql).run(...params).changes),
    transaction: async <T>(fn: (tx: SqlDb) => Promise<T>) => fn(direct(true)),
    migrate: async () => {
      throw new Error('migrate inside a transaction');
    },
    close: async () => {},
  });
  const inside = direct(true);
  const outside = direct(false);
  const transaction = <T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> =>
    serial(async () => {
      await retrying(() => db.exec('BEGIN IMMEDIATE'));
      try {
        const out = await fn(inside);
        await retrying(() => db.exec('COMMIT'));
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    });
  return {
    dialect: 'sqlite',
    location: file,
    all: (sql, params) => serial(() => outside.all(sql, params)),
    get: (sql, params) => serial(() => outside.get(sql, params)),
    run: (sql, params) =>
      serial(() => outside.run(sql, params)).catch((err) => {
        throw diskFull(err, `writing to ${file}`);
      }),
    transaction: (fn) =>
      transaction(fn).catch((err) => {
        throw diskFull(err, `writing to ${file}`);
      }),
    migrate: async (room, migrations) => {
      // up to date already: read only, so a store on a full disk (or a read-only one) still opens
      const current = await serial(() => {
        try {
          return Number(
            (db.prepare('SELECT version FROM keel_schema WHERE room = ?').get(room) as { version?: number })
              ?.version ?? 0,
          );
        } catch {
          return 0;
        }
      });
      if (current >= migrations.length) return;
      await serial(() => retrying(() => db.exec(MIGRATION_TABLE)));
      await transaction((tx) => applyMigrations(tx, room, migrations, async (sql) => void db.exec(sql)));
    },
    releaseReserve: () => {
      if (!fs.existsSync(reserve)) return false;
      fs.rmSync(reserve, { force: true });
      return true;
    },
    close: async () => {
      await serial(() => {
        if (db.open) db.close();
      });
    },
  };
}

/** SQLite's own integrity check ("ok" when the file is sound). */
export function sqliteIntegrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}
