// The little of a SQL database the auth room needs; the track room's SqlDb (SQLite or PostgreSQL) fits it as is.

export interface AuthDb {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  transaction<T>(fn: (tx: AuthDb) => Promise<T>): Promise<T>;
  migrate(room: string, migrations: readonly string[]): Promise<void>;
}

export const AUTH_MIGRATIONS: readonly string[] = [
  `CREATE TABLE identities (name TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL,
     created_by TEXT NOT NULL, disabled_at TEXT, source TEXT NOT NULL);
   CREATE TABLE memberships (identity TEXT NOT NULL, project TEXT NOT NULL, role TEXT NOT NULL,
     PRIMARY KEY (identity, project));
   CREATE TABLE tokens (id TEXT PRIMARY KEY, identity TEXT NOT NULL, kdf TEXT NOT NULL, salt TEXT NOT NULL,
     hash TEXT NOT NULL, role TEXT, projects TEXT, note TEXT, created_at TEXT NOT NULL, expires_at TEXT,
     revoked_at TEXT, last_used_at TEXT);
   CREATE INDEX tokens_by_identity ON tokens (identity);
   CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
     project TEXT, object TEXT, details TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);`,
];
