// keel serve <name@alias>… | --deployment NAME: serve models over HTTP until stopped; SIGTERM drains gracefully.

import { AuthStore } from '../auth/index.ts';
import { KeelError } from '../core/index.ts';
import { type DeploymentSpec, DeploymentStore } from '../registry/index.ts';
import { startModelServer } from '../serve/index.ts';
import { type FlagSpec, list, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, openHome, progress, untilStopped } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const SERVE_FLAGS: Record<string, FlagSpec> = {
  deployment: {
    type: 'string',
    arg: 'NAME',
    repeat: true,
    help: 'serve a deployment stored with `keel deploy apply` (A/B, canary, shadow, batching)',
  },
  port: { type: 'string', arg: 'N', help: 'default 8080 (0 picks a free one)' },
  host: {
    type: 'string',
    arg: 'H',
    help: 'default 127.0.0.1; beyond loopback every route but health and metrics needs a token (--access token)',
  },
  access: {
    type: 'string',
    arg: 'open|token',
    help: 'predict and model metadata for deployments that do not say: open (default) or token only; outcomes, state and reload always need a token',
  },
  'allow-host': {
    type: 'string',
    repeat: true,
    arg: 'NAME',
    help: 'a Host name to answer besides localhost and the listen address (DNS-rebinding guard; * for any)',
  },
  'poll-seconds': {
    type: 'string',
    arg: 'N',
    help: 'follow alias moves every N seconds (default 10; 0 = never): the new version is verified and warmed, then swapped in; one that fails its integrity check is refused, the old one keeps serving',
  },
  'max-in-flight': {
    type: 'string',
    arg: 'N',
    help: 'shed requests beyond N admitted at once (received, queued or scoring) with 503 + Retry-After (default 512)',
  },
  'max-rows-in-flight': {
    type: 'string',
    arg: 'N',
    help: 'shed when admitted requests hold more than N rows (default 50,000, estimated from Content-Length)',
  },
  'max-queue-ms': {
    type: 'string',
    arg: 'N',
    help: 'shed predict requests while they would wait over N ms for the event loop (default 1000; 0 = never)',
  },
  'max-instances': { type: 'string', arg: 'N', help: 'instances accepted in one request (default 1000)' },
  'log-sample': {
    type: 'string',
    arg: 'F',
    help: 'share of requests written to the prediction log (default 0.01; sensitive fields redacted)',
  },
  'drain-ms': {
    type: 'string',
    arg: 'N',
    help: 'on SIGTERM, report not-ready for N ms before closing (default 0), then finish in-flight requests',
  },
  'shadow-fault': {
    type: 'string',
    arg: 'ARM=throw|hang|spin|slow',
    repeat: true,
    help: "resilience drills: make a shadow arm's worker fail, never answer (idle), never answer while burning its core, or block 120 ms on every batch before answering",
  },
  ...HOME_FLAGS,
};

export const SERVE_HELP = renderHelp({
  usage: 'keel serve <name@alias> [<name@alias> …] [--deployment NAME …] [options]',
  about: `Serves each model at POST /v1/models/<name>/predict with {"instances":[...]} or {"instance":{...}};
GET /v1/models/<name> (metadata), /v1/models/<name>/schema, /v1/models/<name>/openapi.json,
/v1/deployments/<name> (arms, canary, A/B result; token), POST /v1/deployments/<name>/outcomes (token with
outcomes.write), POST /v1/admin/reload (token with deploy.reload), /health/live, /health/ready, /metrics (Prometheus).`,
  flags: SERVE_FLAGS,
});

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, SERVE_FLAGS);
  const names = list(args, 'deployment');
  if (args.positionals.length === 0 && names.length === 0)
    throw new KeelError(CliErrors.USAGE, `usage: ${SERVE_HELP.split('\n')[0]}`);
  const log = progress(io, true);
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    const deploymentStore = await DeploymentStore.open(store);
    const deployments: DeploymentSpec[] = await Promise.all(names.map((n) => deploymentStore.get(n)));
    const access = str(args, 'access') ?? 'open';
    if (access !== 'open' && access !== 'token')
      throw new KeelError(CliErrors.USAGE, `--access takes open or token, got "${access}"`);
    const server = await startModelServer({
      registry,
      auth: await AuthStore.open(store.sql),
      access,
      allowHosts: list(args, 'allow-host'),
      maxRowsInFlight: num(args, 'max-rows-in-flight', 50_000),
      maxQueueMs: num(args, 'max-queue-ms', 1000),
      refs: args.positionals,
      deployments,
      deploymentStore,
      host: str(args, 'host') ?? '127.0.0.1',
      port: num(args, 'port', 8080),
      maxInstances: num(args, 'max-instances', 1000),
      maxInFlight: num(args, 'max-in-flight', 512),
      pollMs: num(args, 'poll-seconds', 10) * 1000,
      logSampleRate: num(args, 'log-sample', 0.01),
      shadowFaults: Object.fromEntries(
        list(args, 'shadow-fault').map((f) => {
          const [arm, kind] = f.split('=');
          if (kind !== 'throw' && kind !== 'hang' && kind !== 'spin' && kind !== 'slow')
            throw new KeelError(
              CliErrors.USAGE,
              `--shadow-fault takes ARM=throw, ARM=hang, ARM=spin or ARM=slow, got "${f}"`,
            );
          return [arm, kind];
        }),
      ),
      log,
    });
    // machine-readable first line on stdout: tests and scripts read the bound address from it
    io.out(`listening on ${server.url}\n`);
    const sig = await untilStopped();
    log(`${sig}: not ready any more; finishing in-flight requests`);
    await server.shutdown({ drainMs: num(args, 'drain-ms', 0), deadlineMs: 10_000 });
    return 0;
  } finally {
    await store.close();
  }
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: SERVE_HELP, flags: SERVE_FLAGS, run: serveCommand };
