// keel runs / keel models: look at what the store holds.

import { KeelError } from '../core/index.ts';
import type { RunStatus } from '../track/index.ts';
import { bool, num, parseArgs, str } from './args.ts';
import { type Io, keelHome, openHome } from './context.ts';

export async function runsCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    experiment: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    home: { type: 'string' },
  });
  const { store } = openHome(keelHome(str(args, 'home')));
  try {
    const runs = store.listRuns({
      experiment: str(args, 'experiment'),
      status: str(args, 'status') as RunStatus | undefined,
      limit: num(args, 'limit', 50),
    });
    if (bool(args, 'json', false)) {
      io.out(`${JSON.stringify(runs, null, 2)}\n`);
      return 0;
    }
    for (const r of runs) {
      const metric = r.metrics.roc_auc ?? r.metrics.rmse;
      const m =
        metric === undefined
          ? ''
          : `${r.metrics.roc_auc !== undefined ? 'roc_auc' : 'rmse'}=${metric.toFixed(4)}`;
      io.out(
        `${r.id}  ${r.status.padEnd(8)} ${r.experiment.padEnd(12)} ${r.name.padEnd(20)} ${r.startedAt}  ${m}${r.error ? `  (${r.error})` : ''}\n`,
      );
    }
    if (runs.length === 0) io.out('no runs yet\n');
    return 0;
  } finally {
    store.close();
  }
}

export async function modelsCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { json: { type: 'boolean' }, home: { type: 'string' } });
  const name = args.positionals[0];
  if (!name) throw new KeelError('CLI_USAGE', 'usage: keel models <name> [--json]');
  const { store, registry } = openHome(keelHome(str(args, 'home')));
  try {
    const versions = registry.listVersions(name);
    if (bool(args, 'json', false))
      io.out(`${JSON.stringify({ versions, aliases: registry.aliasHistory(name) }, null, 2)}\n`);
    else {
      for (const v of versions) {
        io.out(
          `${v.name} v${v.version}  ${v.task ?? ''}  run ${v.runId}  ${v.artifactSha256.slice(0, 12)}  ${v.aliases.map((a) => `@${a}`).join(' ')}\n`,
        );
      }
      if (versions.length === 0) io.out(`no versions of ${name}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}
