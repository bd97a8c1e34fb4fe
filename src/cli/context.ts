// What every command shares: the Keel home (store + registry), progress output and error printing.

import path from 'node:path';
import { isKeelError } from '../core/index.ts';
import { ModelRegistry } from '../registry/index.ts';
import { openStore, type SqlRunStore } from '../track/index.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

let pipeWatched = false;

export const processIo: Io = {
  out: (t) => {
    // output piped into a reader that stopped (keel … | head) ends the command quietly, as other tools do
    if (!pipeWatched) {
      pipeWatched = true;
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        throw e;
      });
    }
    process.stdout.write(t);
  },
  err: (t) => process.stderr.write(t),
};

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

/** Progress lines on stderr, each stamped with the seconds since the command began. */
export function progress(io: Io, enabled: boolean): (line: string) => void {
  const t0 = Date.now();
  return (line) => {
    if (enabled) io.err(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
  };
}

export function reportError(io: Io, err: unknown): number {
  if (isKeelError(err)) {
    io.err(`keel: error [${err.code}]: ${err.message}\n`);
    return err.code === 'CLI_USAGE' ? 2 : 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') {
    io.err(`keel: error: the port is already in use (${e.message}); pick another with --port\n`);
    return 1;
  }
  io.err(`keel: unexpected error: ${e?.stack ?? String(err)}\n`);
  return 1;
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => resolve(sig);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
