// A durable, idempotent sink for stream batches: rows and quarantined messages are written to SQLite with their
// message ids in one transaction, a redelivered id is dropped, and only then is the batch acknowledged. A crash
// between the write and the acknowledgement therefore leads to redelivery and a dropped duplicate, never to a loss.

import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { MicroBatch } from './stream.ts';

export interface CommitResult {
  written: number;
  duplicates: number;
  quarantined: number;
}

export class SqliteCommitLog {
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement;
  private readonly insertBad: Database.Statement;

  constructor(path: string) {
    // loaded on first use, so importing the data room does not load the native library
    const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    this.db = new Sqlite(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS quarantine (id TEXT PRIMARY KEY, reason TEXT NOT NULL, raw TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS duplicates (n INTEGER NOT NULL);`);
    this.insertRow = this.db.prepare('INSERT OR IGNORE INTO rows (id, record) VALUES (?, ?)');
    this.insertBad = this.db.prepare('INSERT OR IGNORE INTO quarantine (id, reason, raw) VALUES (?, ?, ?)');
  }

  /** Stores the batch (dropping ids already stored), then acknowledges it; `afterStore` runs in between. */
  async write(
    batch: MicroBatch,
    afterStore?: (r: CommitResult) => Promise<void> | void,
  ): Promise<CommitResult> {
    const records = batch.frame.toRecords();
    const result = this.db.transaction((): CommitResult => {
      let written = 0;
      let duplicates = 0;
      let quarantined = 0;
      records.forEach((r, i) => {
        if (this.insertRow.run(batch.rowIds[i], JSON.stringify(r)).changes === 1) written++;
        else duplicates++;
      });
      const seen = new Set<string>();
      for (const q of batch.quarantine) {
        const id = q.offset ?? String(q.line);
        if (seen.has(id)) continue;
        seen.add(id);
        if (this.insertBad.run(id, `${q.code}: ${q.reason}`, q.raw).changes === 1) quarantined++;
        else duplicates++;
      }
      if (duplicates > 0) this.db.prepare('INSERT INTO duplicates (n) VALUES (?)').run(duplicates);
      return { written, duplicates, quarantined };
    })();
    await afterStore?.(result);
    await batch.commit();
    return result;
  }

  counts(): { rows: number; quarantined: number; duplicatesDropped: number } {
    const one = (sql: string) => Number((this.db.prepare(sql).get() as { n: number | null }).n ?? 0);
    return {
      rows: one('SELECT count(*) AS n FROM rows'),
      quarantined: one('SELECT count(*) AS n FROM quarantine'),
      duplicatesDropped: one('SELECT sum(n) AS n FROM duplicates'),
    };
  }

  ids(): string[] {
    return (this.db.prepare('SELECT id FROM rows').all() as { id: string }[]).map((r) => r.id);
  }

  close(): void {
    this.db.close();
  }
}
