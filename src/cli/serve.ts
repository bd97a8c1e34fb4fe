// keel serve <name@alias>: serve registered models over HTTP until stopped.

import { KeelError } from '../core/index.ts';
import { startModelServer } from '../serve/index.ts';
import { num, parseArgs, str } from './args.ts';
import { type Io, keelHome, openHome, progress, untilStopped } from './context.ts';

export const SERVE_HELP = `keel serve <name@alias> [<name@alias> ...] [--port N] [--host H] [--home DIR]

  Serves each model at POST /v1/models/<name>/predict with {"instances":[...]} or {"instance":{...}};
  GET /v1/models/<name>, /health/live, /health/ready. Binds 127.0.0.1:8080 by default.
  --poll-seconds N  follow alias moves every N seconds (default 10; 0 = never): the new version is verified and
                    warmed, then swapped in; one that fails its integrity check is refused and the old one keeps serving
`;

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    home: { type: 'string' },
    store: { type: 'string' },
    'max-instances': { type: 'string' },
    'poll-seconds': { type: 'string' },
  });
  if (args.positionals.length === 0) throw new KeelError('CLI_USAGE', `usage: ${SERVE_HELP.split('\n')[0]}`);
  const log = progress(io, true);
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    const server = await startModelServer({
      registry,
      refs: args.positionals,
      host: str(args, 'host') ?? '127.0.0.1',
      port: num(args, 'port', 8080),
      maxInstances: num(args, 'max-instances', 1000),
      pollMs: num(args, 'poll-seconds', 10) * 1000,
      log,
    });
    // machine-readable first line on stdout: tests and scripts read the bound address from it
    io.out(`listening on ${server.url}\n`);
    const sig = await untilStopped();
    log(`${sig}: stopping`);
    await server.close();
    return 0;
  } finally {
    await store.close();
  }
}
