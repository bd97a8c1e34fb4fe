// A Keel home opened: its store (SQLite in the home, or PostgreSQL metadata for a postgres:// URL; artifacts stay in
// the home either way) and the registry over it — one place for the command line and the library.

import { openStore, type SqlRunStore } from '../track/index.ts';
import { DeploymentStore } from './deployments.ts';
import { ModelRegistry } from './registry.ts';

export async function openHome(o: {
  /** the home folder, already resolved */
  home: string;
  /** postgres://… (default $KEEL_STORE, else SQLite in the home) */
  store?: string;
}): Promise<{ store: SqlRunStore; registry: ModelRegistry }> {
  const store = await openStore({
    home: o.home,
    url: o.store ?? process.env.KEEL_STORE,
    schema: process.env.KEEL_STORE_SCHEMA,
  });
  try {
    const registry = await ModelRegistry.open(store);
    // every table the platform uses is made when a home is first opened, so a server started later (on a full
    // disk, say) has nothing left to migrate
    await DeploymentStore.open(store);
    return { store, registry };
  } catch (err) {
    await store.close();
    throw err;
  }
}
