// keel api: serve the platform HTTP API (runs, artifacts, models, aliases, gates, cards) until stopped.

import fs from 'node:fs';
import os from 'node:os';
import { OidcLogin, type OidcSettings, startApi } from '../api/index.ts';
import { AuthStore, localPrincipal } from '../auth/index.ts';
import { KeelError } from '../core/index.ts';
import { bool, type FlagSpec, list, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, openHome, progress, untilStopped } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const API_FLAGS: Record<string, FlagSpec> = {
  port: { type: 'string', arg: 'N', help: 'port to listen on (default 7070; 0 picks a free one)' },
  host: {
    type: 'string',
    arg: 'H',
    help: 'address to listen on (default 127.0.0.1; beyond loopback every route but /health needs a token)',
  },
  'allow-host': {
    type: 'string',
    repeat: true,
    arg: 'NAME',
    help: 'a Host name to answer besides localhost and the listen address (DNS-rebinding guard; * for any)',
  },
  oidc: {
    type: 'string',
    arg: 'FILE',
    help: 'single sign-on: OpenID provider settings (JSON: issuer, clientId, clientSecretEnv, redirectUri, groups → roles); /auth/login, /auth/callback, /auth/exchange, /auth/logout',
  },
  auth: {
    type: 'boolean',
    negated: true,
    help: 'require a token on every route; --no-auth: a local single-user API (requests act as you; loopback only)',
  },
  ...HOME_FLAGS,
};

export const API_HELP = renderHelp({
  usage: 'keel api [options]',
  about:
    "Serves the platform API (runs, artifacts, models, aliases, gates, cards, deployments, audit); the OpenAPI document is at /openapi.json. Requests carry a token (Authorization: Bearer …) from `keel tokens create`; each is checked against its role in the object's project.",
  flags: API_FLAGS,
});

export async function apiCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, API_FLAGS);
  const log = progress(io, true);
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    const auth = await AuthStore.open(store.sql);
    const authOn = bool(args, 'auth', true);
    if (authOn && (await auth.identities()).length === 0)
      log(
        'no identities yet: make the first admin with `keel users add <name> --role admin`, then `keel tokens create <name>`',
      );
    const oidcFile = str(args, 'oidc');
    let oidc: OidcLogin | undefined;
    if (oidcFile) {
      let settings: OidcSettings;
      try {
        settings = JSON.parse(fs.readFileSync(oidcFile, 'utf8')) as OidcSettings;
      } catch (err) {
        throw new KeelError(CliErrors.USAGE, `cannot read ${oidcFile} as JSON: ${(err as Error).message}`);
      }
      oidc = await OidcLogin.discover(settings, auth);
      log(`single sign-on with ${settings.issuer}`);
    }
    const api = await startApi({
      store,
      registry,
      auth,
      oidc,
      anonymousAs: authOn ? undefined : localPrincipal(os.userInfo().username),
      allowHosts: list(args, 'allow-host'),
      host: str(args, 'host') ?? '127.0.0.1',
      port: num(args, 'port', 7070),
      log,
    });
    io.out(`listening on ${api.url}${authOn ? '' : ' (no authentication: requests act as you)'}\n`);
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
