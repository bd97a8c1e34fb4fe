// SQLite: a query or a table stepped row by row (better-sqlite3's iterator), `batchRows` rows at a time; declared
// column types decide the Frame types, and expression columns without one are inferred from the first batch.

import type Database from 'better-sqlite3';
import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import type { ColumnType } from '../../frame.ts';
import { inferRecordSchema, RecordFramer } from '../../records.ts';
import type { Schema } from '../../schema.ts';
import type { ReadOptions, Source, SourceBatch, SourceDescription } from '../source.ts';
import { queryOf, type SqlTarget } from '../sql.ts';

export interface SqliteSourceOptions extends SqlTarget {
  path: string;
}

// SQLite's type affinity rules (https://www.sqlite.org/datatype3.html), with dates and booleans recognised by name
function typeOfDeclared(declared: string | null): ColumnType | undefined {
  if (!declared) return undefined;
  const t = declared.toUpperCase();
  if (t.includes('BOOL')) return 'boolean';
  if (t.includes('DATE') || t.includes('TIME')) return 'datetime';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'categorical';
  if (
    t.includes('INT') ||
    t.includes('REAL') ||
    t.includes('FLOA') ||
    t.includes('DOUB') ||
    t.includes('NUM') ||
    t.includes('DEC')
  )
    return 'numeric';
  return 'categorical';
}

export function sqliteSource(o: SqliteSourceOptions): Source {
  const query = queryOf(o);
  return {
    kind: 'sqlite',
    describe(): SourceDescription {
      return { kind: 'sqlite', location: `${o.path} :: ${query}` };
    },
    async *batches(ro: ReadOptions = {}): AsyncGenerator<SourceBatch> {
      const size = ro.batchRows ?? 50_000;
      let db: Database.Database;
      try {
        const { default: Sqlite } = await import('better-sqlite3');
        db = new Sqlite(o.path, { readonly: true, fileMustExist: true });
      } catch (err) {
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `cannot open SQLite file ${o.path}: ${(err as Error).message}`,
        );
      }
      try {
        let stmt: Database.Statement;
        try {
          stmt = db.prepare(query);
        } catch (err) {
          throw new KeelError(DataErrors.SOURCE_CONFIG, `SQLite query failed: ${(err as Error).message}`);
        }
        const declared = stmt
          .columns()
          .map((c) => ({ name: c.name, type: o.types?.[c.name] ?? typeOfDeclared(c.type) }));
        let framer: RecordFramer | undefined;
        let pending: unknown[] = [];
        let line = 0;
        const start = (): RecordFramer => {
          const inferred = inferRecordSchema(pending);
          const schema: Schema = {
            columns: declared.map((d) => ({
              name: d.name,
              type: d.type ?? inferred.columns.find((c) => c.name === d.name)?.type ?? 'categorical',
              nullable: true,
            })),
          };
          const f = new RecordFramer(`sqlite:${o.path}`, schema, undefined, o.reading);
          const first = line - pending.length + 1;
          for (let i = 0; i < pending.length; i++) f.push(pending[i], first + i, `row ${first + i}`);
          pending = [];
          return f;
        };
        for (const row of stmt.iterate()) {
          line++;
          if (framer) framer.push(row, line, `row ${line}`);
          else pending.push(row);
          if (line % size === 0) {
            framer ??= start();
            yield framer.flush();
            if (ro.signal?.aborted) return;
          }
        }
        framer ??= start();
        if (line % size !== 0 || line === 0) yield framer.flush();
      } finally {
        db.close();
      }
    },
  };
}
