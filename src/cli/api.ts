// keel api: serve the platform HTTP API (runs, artifacts, models, aliases, gates, cards) until stopped.

import { startApi } from '../api/index.ts';
import { type FlagSpec, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { type Io, keelHome, openHome, progress, untilStopped } from './context.ts';

export const API_HELP = `keel api [--port N] [--host H] [--home DIR] [--store URL]

  Serves the platform API on 127.0.0.1:7070 by default; the OpenAPI document is at /openapi.json.
`;

/** every flag the command takes (its help text names each one; a test checks both ways) */
export const API_FLAGS: Record<string, FlagSpec> = {
  port: { type: 'string' },
  host: { type: 'string' },
  home: { type: 'string' },
  store: { type: 'string' },
};

export async function apiCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, API_FLAGS);
  const log = progress(io, true);
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    const api = await startApi({
      store,
      registry,
      host: str(args, 'host') ?? '127.0.0.1',
      port: num(args, 'port', 7070),
      log,
    });
    io.out(`listening on ${api.url}\n`);
    const sig = await untilStopped();
    log(`${sig}: stopping`);
    await api.close();
    return 0;
  } finally {
    await store.close();
  }
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: API_HELP, flags: API_FLAGS, run: apiCommand };
