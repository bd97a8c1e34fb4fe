// One place that opens DuckDB for the data room: in memory, extension auto-install and auto-load off (offline-safe).

import type { DuckDBConnection } from '@duckdb/node-api';

export async function openDuckDB(): Promise<{ connection: DuckDBConnection; close: () => void }> {
  // loaded on first use: importing the data room must not load DuckDB's native library
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    threads: '2',
  });
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export function sqlList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(', ')}]`;
}
