// keel codegen <model>[@alias|@version]: a typed TypeScript client for a registered model, from its input schema.

import { KeelError, writeFileAtomic } from '../core/index.ts';
import { decodeArtifact } from '../estimator/index.ts';
import { KEEL_VERSION } from '../flow/index.ts';
import { parseModelRef } from '../registry/index.ts';
import { generateClient, type ModelArtifact } from '../serve/index.ts';
import { requestSchema } from '../transform/index.ts';
import { bool, type FlagSpec, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, openHome } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const CODEGEN_FLAGS: Record<string, FlagSpec> = {
  out: {
    type: 'string',
    arg: 'FILE',
    help: 'write the client there (written whole, then renamed); default: standard output',
  },
  json: {
    type: 'boolean',
    help: "print {name, version, out, fields, code} instead (code: the client's source)",
  },
  ...HOME_FLAGS,
};

export const CODEGEN_HELP = renderHelp({
  usage: 'keel codegen <name>[@alias|@version] [options]',
  about: 'A typed TypeScript client for the model, from its input schema: a wrong field is a compile error.',
  flags: CODEGEN_FLAGS,
});

export async function codegenCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, CODEGEN_FLAGS);
  const refText = args.positionals[0];
  if (!refText || args.positionals.length > 1)
    throw new KeelError(CliErrors.USAGE, `usage: ${CODEGEN_HELP.split('\n')[0]}`);
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    const mv = await registry.resolve(parseModelRef(refText));
    const artifact = decodeArtifact<ModelArtifact>(await registry.loadVerified(mv));
    if (artifact?.pipeline?.format !== 'keel.pipeline/1') {
      throw new KeelError(
        CliErrors.BAD_ARTIFACT,
        `${refText} (version ${mv.version}) is not a Keel model artifact`,
      );
    }
    const code = generateClient({
      name: mv.name,
      version: mv.version,
      task: artifact.pipeline.task,
      schema: requestSchema(artifact.pipeline),
      classes: artifact.pipeline.classes,
      source: refText,
      keelVersion: KEEL_VERSION,
    });
    const out = str(args, 'out');
    if (out) writeFileAtomic(out, code);
    if (bool(args, 'json', false)) {
      const fields = artifact.pipeline.inputSchema.columns.length;
      io.out(
        `${JSON.stringify({ name: mv.name, version: mv.version, out: out ?? null, fields, code }, null, 2)}\n`,
      );
      return 0;
    }
    if (!out) {
      io.out(code);
      return 0;
    }
    io.err(
      `wrote ${out}: ${mv.name} version ${mv.version}, ${artifact.pipeline.inputSchema.columns.length} input fields\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: CODEGEN_HELP, flags: CODEGEN_FLAGS, run: codegenCommand };
