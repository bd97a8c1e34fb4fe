// Opening a store: SQLite in the Keel home by default, PostgreSQL when a postgres:// URL is given;
// artifacts on local disk under the home in both cases.

import path from 'node:path';
import { dataKeysFromEnv } from '../core/index.ts';
import { LocalArtifactStore } from './artifacts.ts';
import { openPostgres } from './db/postgres/db.ts';
import { openSqlite } from './db/sqlite/db.ts';
import { SqlRunStore, type SqlRunStoreOptions } from './store.ts';

export interface OpenStoreOptions extends SqlRunStoreOptions {
  /** the Keel home: keel.db (SQLite) and artifacts/ live here */
  home: string;
  /** postgres://… to keep metadata in PostgreSQL instead of SQLite */
  url?: string;
  /** PostgreSQL schema to use (created when missing) */
  schema?: string;
  poolSize?: number;
}

export async function openStore(o: OpenStoreOptions): Promise<SqlRunStore> {
  const artifacts = new LocalArtifactStore(path.join(o.home, 'artifacts'), { keys: dataKeysFromEnv() });
  const sql =
    o.url && /^postgres(ql)?:\/\//.test(o.url)
      ? await openPostgres({ url: o.url, schema: o.schema, poolSize: o.poolSize })
      : openSqlite(path.join(o.home, 'keel.db'));
  try {
    return await SqlRunStore.open(sql, artifacts, o);
  } catch (err) {
    await sql.close();
    throw err;
  }
}
