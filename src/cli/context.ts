// What every command shares: the Keel home (store + registry), progress output and error printing.

import path from 'node:path';
import { ModelRegistry } from '../registry/index.ts';
import { openStore, type SqlRunStore } from '../track/index.ts';

export { EXIT, type Io, processIo, progress } from './io.ts';
export { reportError } from './report.ts';

export function keelHome(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.KEEL_HOME ?? '.keel');
}

/**
 * The store and registry of a Keel home: SQLite in the home by default; PostgreSQL metadata when `--store` or
 * KEEL_STORE holds a postgres:// URL (artifacts stay in the home either way).
 */
export async function openHome(
  home: string,
  storeUrl?: string,
): Promise<{ store: SqlRunStore; registry: ModelRegistry }> {
  const url = storeUrl ?? process.env.KEEL_STORE;
  const store = await openStore({ home, url, schema: process.env.KEEL_STORE_SCHEMA });
  try {
    return { store, registry: await ModelRegistry.open(store) };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => resolve(sig);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
