// keel quickstart: the Adult census data carried in examples/ taken the whole way — checked, split, two models
// trained and tracked, the best registered as adult@champion and served over HTTP.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMetrics, runTrainJob } from '../flow/index.ts';
import { startModelServer } from '../serve/index.ts';
import { bool, type FlagSpec, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, openHome, progress, untilStopped } from './context.ts';
import { renderHelp } from './help.ts';

export const ADULT_CSV = fileURLToPath(new URL('../../examples/adult/adult.csv', import.meta.url));

/** every flag the command takes, declared once: the parser and the help both come from here */
export const QUICKSTART_FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', help: 'one machine-readable JSON document on stdout instead of prose' },
  serve: { type: 'boolean', negated: true, help: 'stop after registering' },
  port: { type: 'string', arg: 'N', help: 'server port (default 8080; 0 picks a free one)' },
  host: { type: 'string', arg: 'H', help: 'address to listen on (default 127.0.0.1)' },
  ...HOME_FLAGS,
};

export const QUICKSTART_HELP = renderHelp({
  usage: 'keel quickstart [options]',
  about: `Trains logistic regression and gradient boosting on examples/adult/adult.csv (25% held out, stratified,
seed 42), tracks both runs, registers the best as adult@champion and serves it on 127.0.0.1 (Ctrl-C stops).`,
  flags: QUICKSTART_FLAGS,
});

export async function quickstartCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, QUICKSTART_FLAGS);
  const json = bool(args, 'json', false);
  const serve = bool(args, 'serve', true);
  const home = keelHome(str(args, 'home'));
  const log = progress(io, !json);
  const { store, registry } = await openHome(home, str(args, 'store'));
  try {
    log(`Keel quickstart — home ${home}`);
    const r = await runTrainJob({
      file: ADULT_CSV,
      target: 'income',
      task: 'binary',
      testSize: 0.25,
      seed: 42,
      models: [{ kind: 'logistic_regression' }, { kind: 'gradient_boosting' }],
      modelName: 'adult',
      experiment: 'quickstart',
      promote: 'champion',
      store,
      registry,
      snapshotDir: path.join(home, 'snapshots'),
      log,
    });
    const doc: Record<string, unknown> = {
      dataset: { file: ADULT_CSV, target: r.target, task: r.task, rows: r.rows },
      models: r.models,
      best: r.best,
      model_ref: r.model_ref,
      registered: r.registered,
      promotion: r.promotion,
      home,
    };
    if (!serve) {
      if (json) io.out(`${JSON.stringify(doc, null, 2)}\n`);
      else io.out(prose(r.models, r.registered, r.rows, r.promotion));
      return 0;
    }
    log(`starting the model server for ${r.model_ref}`);
    const server = await startModelServer({
      registry,
      refs: [r.model_ref],
      host: str(args, 'host') ?? '127.0.0.1',
      port: num(args, 'port', 8080),
      log,
    });
    const body = JSON.stringify({ instance: r.example_rows[0] });
    const curl = `curl -s -X POST ${server.url}/v1/models/adult/predict -H 'content-type: application/json' -d '${body}'`;
    if (json) io.out(`${JSON.stringify({ ...doc, server: { url: server.url, curl } }, null, 2)}\n`);
    else {
      io.out(prose(r.models, r.registered, r.rows, r.promotion));
      io.out(`serving ${r.model_ref} at ${server.url} (Ctrl-C stops). Try:\n\n  ${curl}\n\n`);
    }
    const sig = await untilStopped();
    log(`${sig}: stopping the server`);
    await server.shutdown({ deadlineMs: 10_000 });
    return 0;
  } finally {
    await store.close();
  }
}

function prose(
  models: { name: string; run_id: string; metrics: Record<string, number>; fit_seconds: number }[],
  reg: { name: string; version: number; alias: string | null },
  rows: { read: number; quarantined: number; train: number; test: number },
  promotion: string,
): string {
  return [
    '',
    `Adult census: ${rows.read} rows read, ${rows.quarantined} quarantined; ${rows.train} train / ${rows.test} test`,
    '',
    'test metrics (held-out 25%):',
    ...models.map(
      (m) =>
        `  ${m.name.padEnd(20)} ${formatMetrics(m.metrics)}\n  ${''.padEnd(20)} run ${m.run_id}, fit ${m.fit_seconds.toFixed(1)} s`,
    ),
    '',
    `registered: ${reg.name} version ${reg.version}; ${promotion}`,
    '',
  ].join('\n');
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = {
  help: QUICKSTART_HELP,
  flags: QUICKSTART_FLAGS,
  run: quickstartCommand,
};
