// The keel command: dispatch to a subcommand and turn errors into a clear line and an exit code.

import { KEEL_VERSION } from '../flow/index.ts';
import { API_HELP, apiCommand } from './api.ts';
import { CODEGEN_HELP, codegenCommand } from './codegen.ts';
import { type Io, processIo, reportError } from './context.ts';
import { DATA_HELP, dataCommand } from './data.ts';
import { DEPLOY_HELP, deployCommand } from './deploy.ts';
import { ERRORS_HELP, errorsCommand } from './errors-command.ts';
import { MODELS_HELP, modelsCommand } from './models.ts';
import { QUICKSTART_HELP, quickstartCommand } from './quickstart.ts';
import { RUNS_HELP, runsCommand } from './runs.ts';
import { SCORE_HELP, scoreCommand } from './score.ts';
import { SERVE_HELP, serveCommand } from './serve.ts';
import { TRAIN_HELP, trainCommand } from './train.ts';
import { TUNE_HELP, tuneCommand } from './tune.ts';

const HELP = `keel ${KEEL_VERSION} — the life of a tabular ML model, in TypeScript

usage: keel <command> [options]

commands:
  quickstart   train, track, register and serve a model on the bundled Adult census data
  data         profile and check data from files, SQL, HTTP APIs; quarantine report; snapshots
  train        train and evaluate models on any CSV, track the runs, register the best
  tune         search a model's hyperparameters (TPE, ASHA pruning), every trial a tracked run
  serve        serve registered models over HTTP
  score        score a CSV or Parquet file with a registered model, in chunks
  runs         list, show, compare, delete tracked runs; collect unreferenced artifacts
  models       registered models: list, show, promote through gates, model cards, alias policies
  codegen      a typed TypeScript client for a registered model, from its input schema
  deploy       declare deployments (A/B tests, canaries, shadows) and see their state
  api          serve the platform HTTP API
  errors       every error code with its HTTP status and meaning
  help [cmd]   this text, or one command's options

${QUICKSTART_HELP}
${DATA_HELP}
${TRAIN_HELP}
${TUNE_HELP}
${SERVE_HELP}
${SCORE_HELP}
${RUNS_HELP}
${MODELS_HELP}
${CODEGEN_HELP}
${DEPLOY_HELP}
${API_HELP}
${ERRORS_HELP}`;

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  quickstart: quickstartCommand,
  data: dataCommand,
  train: trainCommand,
  tune: tuneCommand,
  serve: serveCommand,
  runs: runsCommand,
  models: modelsCommand,
  api: apiCommand,
  deploy: deployCommand,
  codegen: codegenCommand,
  score: scoreCommand,
  errors: errorsCommand,
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === 'version') {
    io.out(`${KEEL_VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    io.err(`keel: unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')}; try keel help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    return reportError(io, err);
  }
}
