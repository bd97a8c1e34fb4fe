// PostgreSQL: a query or a table read through a server-side cursor, `batchRows` rows at a time (bounded memory);
// column types come from the result's type OIDs, so numbers stay numbers even when pg hands them over as text.

import { KeelError, redactSecrets } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import type { ColumnType } from '../../frame.ts';
import { RecordFramer } from '../../records.ts';
import type { Schema } from '../../schema.ts';
import type { ReadOptions, Source, SourceBatch, SourceDescription } from '../source.ts';
import { queryOf, type SqlTarget } from '../sql.ts';

export interface PostgresSourceOptions extends SqlTarget {
  /** a connection string; credentials in it are never described or logged */
  connectionString: string;
}

// https://www.postgresql.org/docs/current/datatype.html — the OIDs of pg_type for the common scalar types
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOL_OIDS = new Set([16]);
const TIME_OIDS = new Set([1082, 1114, 1184]);

function typeOfOid(oid: number): ColumnType {
  if (NUMERIC_OIDS.has(oid)) return 'numeric';
  if (BOOL_OIDS.has(oid)) return 'boolean';
  if (TIME_OIDS.has(oid)) return 'datetime';
  return 'categorical';
}

/** A connection string with its password replaced, for descriptions and logs. */
export function redactConnection(url: string): string {
  return redactSecrets(url);
}

export function postgresSource(o: PostgresSourceOptions): Source {
  const query = queryOf(o);
  return {
    kind: 'postgres',
    describe(): SourceDescription {
      return { kind: 'postgres', location: `${redactConnection(o.connectionString)} :: ${query}` };
    },
    async *batches(ro: ReadOptions = {}): AsyncGenerator<SourceBatch> {
      const size = ro.batchRows ?? 50_000;
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: o.connectionString });
      try {
        await client.connect();
      } catch (err) {
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `cannot connect to PostgreSQL: ${(err as Error).message}`,
        );
      }
      try {
        await client.query('BEGIN READ ONLY');
        await client.query(`DECLARE keel_cursor NO SCROLL CURSOR FOR ${query}`);
        let framer: RecordFramer | undefined;
        let line = 0;
        for (;;) {
          if (ro.signal?.aborted) break;
          const res = await client.query(`FETCH FORWARD ${size} FROM keel_cursor`);
          if (!framer) {
            const schema: Schema = {
              columns: res.fields.map((f) => ({
                name: f.name,
                type: o.types?.[f.name] ?? typeOfOid(f.dataTypeID),
                nullable: true,
              })),
            };
            framer = new RecordFramer(`postgres:${query}`, schema, undefined, o.reading);
          }
          for (const row of res.rows) {
            line++;
            framer.push(row, line, `row ${line}`);
          }
          if (res.rows.length > 0 || line === 0) yield framer.flush();
          if (res.rows.length < size) break;
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        if (err instanceof KeelError) throw err;
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `PostgreSQL query failed: ${(err as Error).message}`,
        );
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
