// DuckDB database files: a query or a table, opened read-only and streamed a vector at a time into Frames.

import type { DuckDBInstance } from '@duckdb/node-api';
import { KeelError } from '../../../core/index.ts';
import { describeQuery, frameProjection, streamFrames } from '../../duck-frames.ts';
import { DataErrors } from '../../errors.ts';
import type { ReadOptions, Source, SourceBatch, SourceDescription } from '../source.ts';
import { queryOf, type SqlTarget } from '../sql.ts';

export interface DuckdbSourceOptions extends SqlTarget {
  path: string;
}

export function duckdbSource(o: DuckdbSourceOptions): Source {
  const query = queryOf(o);
  return {
    kind: 'duckdb',
    describe(): SourceDescription {
      return { kind: 'duckdb', location: `${o.path} :: ${query}` };
    },
    async *batches(ro: ReadOptions = {}): AsyncGenerator<SourceBatch> {
      let instance: DuckDBInstance;
      try {
        const duckdb = await import('@duckdb/node-api');
        instance = await duckdb.DuckDBInstance.create(o.path, {
          access_mode: 'READ_ONLY',
          autoinstall_known_extensions: 'false',
          autoload_known_extensions: 'false',
        });
      } catch (err) {
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `cannot open DuckDB file ${o.path}: ${(err as Error).message}`,
        );
      }
      const conn = await instance.connect();
      try {
        let cols: Awaited<ReturnType<typeof describeQuery>>;
        try {
          cols = await describeQuery(conn, query);
        } catch (err) {
          throw new KeelError(DataErrors.SOURCE_CONFIG, `DuckDB query failed: ${(err as Error).message}`);
        }
        const sql = `SELECT ${frameProjection(cols)} FROM (${query})`;
        for await (const frame of streamFrames(conn, sql, cols, ro.batchRows ?? 100_000)) {
          yield { frame, quarantine: [], read: frame.nRows };
          if (ro.signal?.aborted) return;
        }
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    },
  };
}
