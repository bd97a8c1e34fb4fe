// keel api: serve the platform HTTP API (runs, artifacts, models, aliases, gates, cards) until stopped.

import { startApi } from '../api/index.ts';
import { type FlagSpec, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, openHome, progress, untilStopped } from './context.ts';
import { renderHelp } from './help.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const API_FLAGS: Record<string, FlagSpec> = {
  port: { type: 'string', arg: 'N', help: 'port to listen on (default 7070; 0 picks a free one)' },
  host: { type: 'string', arg: 'H', help: 'address to listen on (default 127.0.0.1)' },
  ...HOME_FLAGS,
};

export const API_HELP = renderHelp({
  usage: 'keel api [options]',
  about:
    'Serves the platform API (runs, artifacts, models, aliases, gates, cards); the OpenAPI document is at /openapi.json.',
  flags: API_FLAGS,
});

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
