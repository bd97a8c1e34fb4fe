// What every command shares: the Keel home (store + registry), progress output and error printing.

import os from 'node:os';
import path from 'node:path';
import { type AuditInput, AuditLog, secureHome } from '../auth/index.ts';
import { type ModelRegistry, openHome as openRegistryHome } from '../registry/index.ts';
import type { SqlRunStore } from '../track/index.ts';

export { EXIT, type Io, processIo } from './io.ts';
export { progress } from './progress.ts';
export { reportError } from './report.ts';

export function keelHome(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.KEEL_HOME ?? '.keel');
}

/** The store and registry of a Keel home (registry/home.ts), signing and checking versions as the home is set up to. */
export async function openHome(
  home: string,
  storeUrl?: string,
): Promise<{ store: SqlRunStore; registry: ModelRegistry }> {
  return secureHome(home, await openRegistryHome({ home, store: storeUrl }));
}

/** Record an action taken at the command line in the store's audit log, as `local:<user>`. */
export async function localAudit(store: SqlRunStore, e: Omit<AuditInput, 'actor'>): Promise<void> {
  const log = await AuditLog.open(store.sql);
  await log.append({ ...e, actor: `local:${os.userInfo().username}`, details: { ...e.details, via: 'cli' } });
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => resolve(sig);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
