// serve(): registered models over HTTP from a Keel home, in one call (the server `keel serve` runs).

import { AuthStore } from '../auth/index.ts';
import { startModelServer } from '../serve/index.ts';
import { type HomeOptions, openHome } from './model.ts';

export interface ServeOptions extends HomeOptions {
  /** what to serve: name@alias or name@version, one or several */
  model: string | string[];
  /** default 127.0.0.1: the server answers on loopback only unless told otherwise */
  host?: string;
  /** default 8080; 0 picks a free port */
  port?: number;
  /** re-resolve the references this often and hot-swap versions that moved (default 0: never) */
  pollMs?: number;
  /** predict open to anyone (default; loopback only) or to tokens of the home's identities only */
  access?: 'open' | 'token';
  log?: (line: string) => void;
}

export interface Serving {
  url: string;
  port: number;
  /** stops the server and closes the home's store */
  close(): Promise<void>;
}

/** Serves registered models: POST {url}/v1/models/{name}/predict, /health, /metrics, /openapi.json. */
export async function serve(o: ServeOptions): Promise<Serving> {
  const { store, registry } = await openHome(o);
  try {
    const server = await startModelServer({
      registry,
      // tokens of the home's identities: outcomes and reload always need one, predict when access is 'token'
      auth: await AuthStore.open(store.sql),
      access: o.access,
      refs: Array.isArray(o.model) ? o.model : [o.model],
      host: o.host,
      port: o.port,
      pollMs: o.pollMs,
      log: o.log,
    });
    return {
      url: server.url,
      port: server.port,
      close: async () => {
        await server.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
