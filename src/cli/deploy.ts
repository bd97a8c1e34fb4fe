// keel deploy apply|status|ls: declare deployments (weighted arms for A/B tests, canaries and shadows) and see them.

import fs from 'node:fs';
import { KeelError } from '../core/index.ts';
import { type DeploymentSpec, DeploymentStore } from '../registry/index.ts';
import { bool, type FlagSpec, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, localAudit, openHome } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const DEPLOY_FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', help: 'print one JSON document instead of prose' },
  ...HOME_FLAGS,
};

export const DEPLOY_HELP = renderHelp({
  usage: 'keel deploy <apply|status|ls> [options]',
  about: `apply <file.json>        store a deployment, e.g.
                         {"name": "adult", "arms": [{"name": "stable", "ref": "adult@champion"},
                          {"name": "next", "ref": "adult@challenger", "canary": true}],
                          "canary": {"steps": [5, 25, 50, 100], "minRequestsPerStep": 200}}
                         (A/B: two weighted arms + "abTest": {"metric": "revenue"}; shadow: "shadow": true;
                          "batch": {"maxRows": 64, "maxWaitMs": 2}; "logSampleRate": 0.05)
status <name>            the declared arms, the last runtime state a server reported (traffic, canary step,
                         rollbacks, A/B result and recommendation, shadow agreement) and the event history
ls                       every deployment
serve one with: keel serve --deployment <name>`,
  flags: DEPLOY_FLAGS,
});

export async function deployCommand(argv: string[], io: Io): Promise<number> {
  const [sub = 'ls', ...rest] = argv;
  const args = parseArgs(rest, DEPLOY_FLAGS);
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    const deployments = await DeploymentStore.open(store);
    switch (sub) {
      case 'apply': {
        const file = args.positionals[0];
        if (!file) throw new KeelError(CliErrors.USAGE, 'usage: keel deploy apply <file.json>');
        let spec: DeploymentSpec;
        try {
          spec = JSON.parse(fs.readFileSync(file, 'utf8')) as DeploymentSpec;
        } catch (err) {
          throw new KeelError(CliErrors.USAGE, `cannot read ${file} as JSON: ${(err as Error).message}`);
        }
        // every arm that resolves now is checked (files and signature) before it is deployed
        await registry.verifyRefs((spec.arms ?? []).map((a) => a.ref));
        await deployments.apply(spec);
        await localAudit(store, {
          action: 'deploy.apply',
          project: await deployments.project(spec.name),
          object: spec.name,
          details: { spec },
        });
        if (bool(args, 'json', false)) {
          io.out(`${JSON.stringify({ applied: spec.name, arms: spec.arms }, null, 2)}\n`);
          return 0;
        }
        io.out(
          `applied deployment ${spec.name} (${spec.arms.map((a) => `${a.name}=${a.ref}`).join(', ')}); serve it with: keel serve --deployment ${spec.name}\n`,
        );
        return 0;
      }
      case 'status': {
        const name = args.positionals[0];
        if (!name) throw new KeelError(CliErrors.USAGE, 'usage: keel deploy status <name>');
        const spec = await deployments.get(name);
        const state = await deployments.state(name);
        const events = await deployments.events(name);
        if (bool(args, 'json', false)) {
          io.out(`${JSON.stringify({ spec, state, events }, null, 2)}\n`);
          return 0;
        }
        io.out(
          `deployment ${name}\n  arms: ${spec.arms.map((a) => `${a.name}=${a.ref}${a.shadow ? ' (shadow)' : a.canary ? ' (canary)' : ''}`).join(', ')}\n`,
        );
        if (state) {
          io.out(
            `  last reported ${state.updatedAt}:\n${JSON.stringify(state.state, null, 2).replace(/^/gm, '    ')}\n`,
          );
          if (state.servers.length > 1)
            io.out(
              `  ${state.servers.length} servers report: ${state.servers.map((s) => `${s.server} at ${s.updatedAt}`).join('; ')}\n`,
            );
        } else io.out('  no server has reported state yet\n');
        io.out(
          `  events:\n${events.map((e) => `    ${e.at}  ${e.kind}  ${JSON.stringify(e.detail)}`).join('\n') || '    none'}\n`,
        );
        return 0;
      }
      case 'ls': {
        const all = await deployments.list();
        if (bool(args, 'json', false)) {
          io.out(`${JSON.stringify({ deployments: all }, null, 2)}\n`);
          return 0;
        }
        io.out(
          all.length ? all.map((d) => `${d.name}  (updated ${d.updatedAt})\n`).join('') : 'no deployments\n',
        );
        return 0;
      }
      default:
        throw new KeelError(CliErrors.USAGE, `unknown deploy subcommand "${sub}"\n${DEPLOY_HELP}`);
    }
  } finally {
    await store.close();
  }
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: DEPLOY_HELP, flags: DEPLOY_FLAGS, run: deployCommand };
