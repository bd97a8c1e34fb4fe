// keel users|tokens|audit: identities and their roles per project, API tokens (shown once), and the audit log with
// its hash-chain check. The command line acts as `local:<you>`: whoever can open the store is its operator.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthStore, createSigningKey, isRole, ROLES, type Role } from '../auth/index.ts';
import { createDataKey, KeelError } from '../core/index.ts';
import { reencryptSnapshots } from '../data/index.ts';
import type { LocalArtifactStore } from '../track/index.ts';
import { bool, type FlagSpec, list, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS, JSON_FLAG } from './common-flags.ts';
import { EXIT, type Io, keelHome, localAudit, openHome } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

const ROLE_LIST = Object.keys(ROLES).join(', ');

export const USERS_FLAGS: Record<string, FlagSpec> = {
  role: { type: 'string', arg: 'ROLE', help: `the role (${ROLE_LIST}; "none" takes a membership away)` },
  project: { type: 'string', arg: 'P', help: 'the project the role applies in (default "*", every project)' },
  service: {
    type: 'boolean',
    help: 'add a service account (a server, a worker, a feedback job) instead of a user',
  },
  ...JSON_FLAG,
  ...HOME_FLAGS,
};

export const TOKENS_FLAGS: Record<string, FlagSpec> = {
  role: { type: 'string', arg: 'ROLE', help: "narrow the token below the identity's own role" },
  project: { type: 'string', repeat: true, arg: 'P', help: 'narrow the token to these projects' },
  days: { type: 'string', arg: 'N', help: 'lifetime in days (default 90, at most 365)' },
  note: { type: 'string', arg: 'TEXT', help: 'what the token is for' },
  ...JSON_FLAG,
  ...HOME_FLAGS,
};

export const AUDIT_FLAGS: Record<string, FlagSpec> = {
  limit: { type: 'string', arg: 'N', help: 'how many of the newest entries to list (default 50)' },
  action: {
    type: 'string',
    arg: 'A',
    help: 'only entries of this action (promote, policy.set, token.create, …)',
  },
  ...JSON_FLAG,
  ...HOME_FLAGS,
};

export const KEYS_FLAGS: Record<string, FlagSpec> = {
  dir: { type: 'string', arg: 'DIR', help: 'where the key pair is written (default <home>/keys)' },
  trust: { type: 'boolean', help: "also put the public key in the home's trust list (<home>/trust)" },
  ...HOME_FLAGS,
};

const roles = Object.entries(ROLES)
  .map(([r, d]) => `  ${r.padEnd(11)}${d.about}`)
  .join('\n');

export const USERS_HELP = renderHelp({
  usage: 'keel users <add|ls|role|disable> [name] [options]',
  about: `add <name> --role R [--project P]   a user (or --service account); no password: it signs in with a token
ls                                   every identity with its roles
role <name> --role R [--project P]   give a role in a project ("none" takes it away)
disable <name>                       its tokens stop working
the first admin: keel users add <you> --role admin, then keel tokens create <you>
roles:
${roles}`,
  flags: USERS_FLAGS,
});

export const TOKENS_HELP = renderHelp({
  usage: 'keel tokens <create|ls|revoke> [name|id] [options]',
  about: `create <name>   a new API token for an identity, printed once (store it now: only its hash is kept)
ls [name]       tokens with their expiry, last use and revocation (never the secret)
revoke <id>     stop a token at once (other processes within 30 s)`,
  flags: TOKENS_FLAGS,
});

export const AUDIT_HELP = renderHelp({
  usage: 'keel audit <ls|verify> [options]',
  about: `ls       the newest entries: who did what to which object, when
verify   walk the hash chain; exit 1 naming every edited, deleted or reordered entry`,
  flags: AUDIT_FLAGS,
});

export const KEYS_HELP = renderHelp({
  usage: 'keel keys <create|data-key|reencrypt> [name] [options]',
  about: `create <name>     an Ed25519 key pair for signing model versions: <name>.key (private, mode 0600) and <name>.pub
  sign with it:   KEEL_SIGNING_KEY=<dir>/<name>.key keel train …   (every version registered is signed)
  require it:     copy <name>.pub into <home>/trust (or --trust; KEEL_TRUST names another folder): from then on
                  every load and promotion refuses an unsigned version, an unknown signer or a bad signature
data-key <name>   a 32-byte AES-256-GCM key for artifacts and snapshots at rest: <dir>/<name>.aes (mode 0600)
  use it:         KEEL_ENCRYPTION_KEY_FILE=<dir>/<name>.aes: new artifacts and snapshots are written encrypted
reencrypt         rotation: rewrite every artifact and snapshot with the current key, opening old ones with the keys in
                  KEEL_ENCRYPTION_KEYRING (a folder of .aes files); a store kept in the clear is encrypted the same way`,
  flags: KEYS_FLAGS,
});

const me = () => `local:${os.userInfo().username}`;

function roleArg(v: string | undefined, required: boolean): Role | null | undefined {
  if (v === undefined) {
    if (required) throw new KeelError(CliErrors.USAGE, `--role is required (${ROLE_LIST})`);
    return undefined;
  }
  if (v === 'none') return null;
  if (!isRole(v)) throw new KeelError(CliErrors.USAGE, `--role must be one of ${ROLE_LIST}, or none`);
  return v;
}

async function withAuth(
  args: ReturnType<typeof parseArgs>,
  fn: (a: AuthStore) => Promise<number>,
): Promise<number> {
  const { store } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    return await fn(await AuthStore.open(store.sql));
  } finally {
    await store.close();
  }
}

const json = (io: Io, v: unknown) => io.out(`${JSON.stringify(v, null, 2)}\n`);
const need = (v: string | undefined, usage: string): string => {
  if (!v) throw new KeelError(CliErrors.USAGE, `usage: ${usage}`);
  return v;
};

export async function usersCommand(argv: string[], io: Io): Promise<number> {
  const [sub = 'ls', ...rest] = argv;
  const args = parseArgs(rest, USERS_FLAGS);
  const asJson = bool(args, 'json', false);
  return withAuth(args, async (auth) => {
    const name = args.positionals[0];
    const project = str(args, 'project') ?? '*';
    switch (sub) {
      case 'add': {
        const role = roleArg(str(args, 'role'), true) as Role;
        const who = await auth.addIdentity(need(name, 'keel users add <name> --role R'), {
          by: me(),
          kind: bool(args, 'service', false) ? 'service' : 'user',
          roles: { [project]: role },
        });
        if (asJson) json(io, who);
        else
          io.out(
            `added ${who.kind} ${who.name}: ${role} in ${project}; make a token: keel tokens create ${who.name}\n`,
          );
        return EXIT.OK;
      }
      case 'ls': {
        const all = await auth.identities();
        if (asJson) json(io, { identities: all });
        else
          io.out(
            all.length
              ? all
                  .map(
                    (i) =>
                      `${i.name}  ${i.kind}${i.disabledAt ? ' (disabled)' : ''}  ${Object.entries(
                        i.memberships,
                      )
                        .map(([p, r]) => `${r}@${p}`)
                        .join(', ')}\n`,
                  )
                  .join('')
              : 'no identities; add the first admin: keel users add <name> --role admin\n',
          );
        return EXIT.OK;
      }
      case 'role': {
        const role = roleArg(str(args, 'role'), true) as Role | null;
        const who = await auth.setRole(need(name, 'keel users role <name> --role R'), project, role, me());
        if (asJson) json(io, who);
        else io.out(`${who.name}: ${role ?? 'no role'} in ${project}\n`);
        return EXIT.OK;
      }
      case 'disable':
        await auth.disable(need(name, 'keel users disable <name>'), me());
        io.out(`disabled ${name}; its tokens no longer work\n`);
        return EXIT.OK;
      default:
        throw new KeelError(CliErrors.USAGE, `unknown users subcommand "${sub}"\n${USERS_HELP}`);
    }
  });
}

export async function tokensCommand(argv: string[], io: Io): Promise<number> {
  const [sub = 'ls', ...rest] = argv;
  const args = parseArgs(rest, TOKENS_FLAGS);
  const asJson = bool(args, 'json', false);
  return withAuth(args, async (auth) => {
    switch (sub) {
      case 'create': {
        const name = need(args.positionals[0], 'keel tokens create <name>');
        const projects = list(args, 'project');
        const { token, info } = await auth.createToken(name, {
          by: me(),
          role: roleArg(str(args, 'role'), false) ?? undefined,
          projects: projects.length ? projects : undefined,
          days: num(args, 'days', 90),
          note: str(args, 'note'),
        });
        if (asJson) json(io, { token, ...info });
        else {
          io.out(`${token}\n`);
          io.err(`token ${info.id} for ${name}, expires ${info.expiresAt}; it is shown only now\n`);
        }
        return EXIT.OK;
      }
      case 'ls': {
        const all = await auth.tokens(args.positionals[0]);
        if (asJson) json(io, { tokens: all });
        else
          io.out(
            all
              .map(
                (t) =>
                  `${t.id}  ${t.identity}  ${t.revokedAt ? `revoked ${t.revokedAt}` : `expires ${t.expiresAt}`}${t.role ? `  role ${t.role}` : ''}${t.projects ? `  projects ${t.projects.join(',')}` : ''}${t.lastUsedAt ? `  last used ${t.lastUsedAt}` : ''}${t.note ? `  (${t.note})` : ''}\n`,
              )
              .join('') || 'no tokens\n',
          );
        return EXIT.OK;
      }
      case 'revoke': {
        const id = need(args.positionals[0], 'keel tokens revoke <id>');
        await auth.revokeToken(id, me());
        io.out(`revoked ${id}\n`);
        return EXIT.OK;
      }
      default:
        throw new KeelError(CliErrors.USAGE, `unknown tokens subcommand "${sub}"\n${TOKENS_HELP}`);
    }
  });
}

export async function auditCommand(argv: string[], io: Io): Promise<number> {
  const [sub = 'ls', ...rest] = argv;
  const args = parseArgs(rest, AUDIT_FLAGS);
  const asJson = bool(args, 'json', false);
  return withAuth(args, async (auth) => {
    switch (sub) {
      case 'ls': {
        const entries = await auth.audit.list({ limit: num(args, 'limit', 50), action: str(args, 'action') });
        if (asJson) json(io, { entries });
        else
          io.out(
            entries
              .map(
                (e) =>
                  `${e.seq}  ${e.at}  ${e.actor}  ${e.action}${e.object ? `  ${e.object}` : ''}${e.project ? `  [${e.project}]` : ''}\n`,
              )
              .join('') || 'the audit log is empty\n',
          );
        return EXIT.OK;
      }
      case 'verify': {
        const v = await auth.audit.verify();
        if (asJson) json(io, { intact: v.problems.length === 0, ...v });
        else if (v.problems.length === 0)
          io.out(`audit log intact: ${v.entries} entries, head ${v.head.slice(0, 16)}…\n`);
        else
          io.out(
            `audit log BROKEN (${v.entries} entries):\n${v.problems.map((p) => `  ${p.seq}: ${p.message}\n`).join('')}`,
          );
        return v.problems.length === 0 ? EXIT.OK : EXIT.FAILED;
      }
      default:
        throw new KeelError(CliErrors.USAGE, `unknown audit subcommand "${sub}"\n${AUDIT_HELP}`);
    }
  });
}

export async function keysCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, KEYS_FLAGS);
  const home = keelHome(str(args, 'home'));
  if (sub === 'data-key') {
    const name = need(args.positionals[0], 'keel keys data-key <name>');
    const file = path.join(str(args, 'dir') ?? path.join(home, 'keys'), `${name}.aes`);
    const k = createDataKey(file);
    io.out(`data key ${k.id}: ${file}\n`);
    io.err(
      `encrypt new artifacts with: export KEEL_ENCRYPTION_KEY_FILE=${file}; then keel keys reencrypt for the old ones\n`,
    );
    return EXIT.OK;
  }
  if (sub === 'reencrypt') {
    const { store } = await openHome(home, str(args, 'store'));
    try {
      const local = store.artifacts as LocalArtifactStore;
      const r = await local.reencrypt();
      io.out(`${r.rewritten} artifact(s) rewritten with the current key, ${r.kept} already were\n`);
      const s = reencryptSnapshots(path.join(home, 'snapshots'));
      io.out(`${s.rewritten} snapshot(s) rewritten with the current key, ${s.kept} already were\n`);
      await localAudit(store, { action: 'keys.reencrypt', details: { artifacts: r, snapshots: s } });
      return EXIT.OK;
    } finally {
      await store.close();
    }
  }
  if (sub !== 'create')
    throw new KeelError(CliErrors.USAGE, `usage: keel keys <create|data-key|reencrypt>\n${KEYS_HELP}`);
  const name = need(args.positionals[0], 'keel keys create <name>');
  const made = createSigningKey(str(args, 'dir') ?? path.join(home, 'keys'), name);
  io.out(`key ${made.keyId}: private ${made.keyFile}, public ${made.pubFile}\n`);
  if (bool(args, 'trust', false)) {
    const trustDir = path.join(home, 'trust');
    fs.mkdirSync(trustDir, { recursive: true });
    fs.copyFileSync(made.pubFile, path.join(trustDir, `${name}.pub`));
    io.out(`trusted in ${trustDir}: unsigned versions and other signers are refused from now on\n`);
  }
  io.err(`sign new versions with: export KEEL_SIGNING_KEY=${made.keyFile}\n`);
  return EXIT.OK;
}

export const keysSpec: CommandSpec = { help: KEYS_HELP, flags: KEYS_FLAGS, run: keysCommand };
export const usersSpec: CommandSpec = { help: USERS_HELP, flags: USERS_FLAGS, run: usersCommand };
export const tokensSpec: CommandSpec = { help: TOKENS_HELP, flags: TOKENS_FLAGS, run: tokensCommand };
export const auditSpec: CommandSpec = { help: AUDIT_HELP, flags: AUDIT_FLAGS, run: auditCommand };
