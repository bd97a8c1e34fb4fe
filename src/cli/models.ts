// keel models ls|show|promote|card|policy|families: the registry from the command line, and the model families.

import fs from 'node:fs';
import { KeelError } from '../core/index.ts';
import { describeFamily } from '../estimator/index.ts';
import { FAMILY_LIST } from '../models/index.ts';
import { modelCard, parseModelRef } from '../registry/index.ts';
import { bool, type FlagSpec, list, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, localAudit, openHome } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

/** The families as a table for people. */
function familiesText(): string {
  const width = Math.max(...FAMILY_LIST.map((d) => d.kind.length));
  return `${FAMILY_LIST.map((d) => {
    const also = d.aliases?.length ? ` (also ${d.aliases.join(', ')})` : '';
    const notes = [d.tasks.join('/'), d.searchSpace ? 'tunable' : '', d.threaded ? 'threads' : '']
      .filter(Boolean)
      .join(', ');
    return `${d.kind.padEnd(width)}  ${d.summary}${also}\n${' '.repeat(width + 2)}${notes}; params: ${Object.keys(d.params).join(', ')}`;
  }).join('\n')}\n`;
}

/** every flag the command takes, declared once: the parser and the help both come from here */
export const MODELS_FLAGS: Record<string, FlagSpec> = {
  alias: { type: 'string', arg: 'A', help: 'promote, policy: the alias to move or to set gates for' },
  reason: { type: 'string', arg: 'R', help: 'promote: why (kept in the alias history)' },
  gate: {
    type: 'string',
    arg: 'SPEC',
    repeat: true,
    help: "roc_auc>=0.9 | rmse<=3.5 | beats:roc_auc | beats:rmse+0.1 | size<=10MB | latency<=50 | cost<=120; without --gate the alias's policy applies",
  },
  override: {
    type: 'string',
    arg: 'REASON',
    help: 'promote: move the alias although a gate failed, for this reason (recorded with the evaluation)',
  },
  format: {
    type: 'string',
    arg: 'md|html',
    help: 'card: Markdown (default) or a self-contained HTML page with figures',
  },
  out: { type: 'string', arg: 'FILE', help: 'card: write it there instead of standard output' },
  'intended-use': { type: 'string', arg: 'TEXT', help: 'card: record what the model is for' },
  limitations: { type: 'string', arg: 'TEXT', help: 'card: record where it falls short' },
  json: { type: 'boolean', help: 'print one JSON document instead of prose' },
  ...HOME_FLAGS,
};

export const MODELS_HELP = renderHelp({
  usage: 'keel models <ls|show|promote|card|policy|families> [options]',
  about: `ls                                            every model with its versions and aliases
show <name>[@alias|@version]                  versions, aliases, alias history, gate evaluations
promote <name>@<version> --alias A --reason R [--gate SPEC]… [--override REASON]
                                              a failed gate blocks the move unless --override gives a reason
card <name>@<version>                         the model card (held-out evaluation, slices, lineage, history)
policy <name> --alias A [--gate SPEC]…        show or set the gates an alias always applies
families                                      the model families: kinds, short names, tasks, params with
                                              defaults and ranges, default search space, threads, weights`,
  flags: MODELS_FLAGS,
});

export async function modelsCommand(argv: string[], io: Io): Promise<number> {
  const [sub = 'ls', ...rest] = argv;
  const args = parseArgs(rest, MODELS_FLAGS);
  const json = bool(args, 'json', false);
  if (sub === 'families') {
    io.out(json ? `${JSON.stringify(FAMILY_LIST.map(describeFamily), null, 2)}\n` : familiesText());
    return 0;
  }
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  const print = (o: unknown, text: string) => io.out(json ? `${JSON.stringify(o, null, 2)}\n` : text);
  try {
    switch (sub) {
      case 'ls': {
        const models = await registry.listModels();
        print(
          models,
          models.length === 0
            ? 'no registered models\n'
            : models
                .map(
                  (m) =>
                    `${m.name.padEnd(24)} ${m.versions} version(s), latest v${m.latest}  ${Object.entries(
                      m.aliases,
                    )
                      .map(([a, v]) => `@${a}=v${v}`)
                      .join(' ')}\n`,
                )
                .join(''),
        );
        return 0;
      }
      case 'show': {
        const ref = parseModelRef(need(args.positionals[0], 'keel models show <name>'));
        const versions =
          ref.alias || ref.version ? [await registry.resolve(ref)] : await registry.listVersions(ref.name);
        if (versions.length === 0) await registry.resolve(ref.name);
        const history = await registry.aliasHistory(ref.name);
        const evaluations = await registry.evaluations(ref.name);
        const text = [
          ...versions.map(
            (v) =>
              `${v.name} v${v.version}  ${v.task ?? ''}  run ${v.runId}  ${v.artifactSha256.slice(0, 12)}  ${v.aliases.map((a) => `@${a}`).join(' ')}`,
          ),
          'alias history:',
          ...history.map(
            (e) =>
              `  ${e.at}  @${e.alias}: ${e.fromVersion === null ? '—' : `v${e.fromVersion}`} → v${e.toVersion} by ${e.actor}: ${e.reason}`,
          ),
          'gate evaluations:',
          ...evaluations.map(
            (e) =>
              `  ${e.at}  v${e.candidateVersion} → @${e.alias}: ${e.passed ? 'passed' : e.overridden ? 'FAILED, overridden' : 'FAILED'}; ${e.results.map((r) => `${r.passed ? 'ok' : 'x'} ${r.gate} (${r.message})`).join('; ')}`,
          ),
          '',
        ].join('\n');
        print({ versions, history, evaluations }, text);
        return 0;
      }
      case 'promote': {
        const ref = parseModelRef(
          need(args.positionals[0], 'keel models promote <name>@<version> --alias A --reason R'),
        );
        if (ref.version === undefined)
          throw new KeelError(CliErrors.USAGE, 'promote takes a version: <name>@<version>');
        const alias = need(str(args, 'alias'), 'keel models promote <name>@<version> --alias A --reason R');
        const reason = need(str(args, 'reason'), 'keel models promote … --reason "why"');
        const gates = list(args, 'gate');
        const out = await registry.promote({
          name: ref.name,
          version: ref.version,
          alias,
          reason,
          gates: gates.length ? gates : undefined,
          override: str(args, 'override'),
        });
        await localAudit(registry.store, {
          action: 'promote',
          project: await registry.modelProject(ref.name),
          object: `${ref.name}@${alias}`,
          details: { version: ref.version, reason, override: str(args, 'override') ?? null },
        });
        print(
          out,
          `@${alias} → v${ref.version}${out.evaluation.overridden ? ' (gates overridden)' : ''}\n${out.evaluation.results.map((r) => `  ${r.passed ? 'ok' : 'x'} ${r.gate}: ${r.message}`).join('\n')}\n`,
        );
        return 0;
      }
      case 'card': {
        const ref = parseModelRef(need(args.positionals[0], 'keel models card <name>@<version>'));
        const mv = await registry.resolve(ref);
        const intended = str(args, 'intended-use');
        const limitations = str(args, 'limitations');
        if (intended !== undefined || limitations !== undefined)
          await registry.updateCard(mv.name, mv.version, { intended_use: intended, limitations });
        const card = await modelCard(registry, mv.name, mv.version);
        if (json) {
          io.out(`${JSON.stringify(card, null, 2)}\n`);
          return 0;
        }
        const text = str(args, 'format') === 'html' ? card.html : card.markdown;
        const out = str(args, 'out');
        if (out) {
          fs.writeFileSync(`${out}.tmp`, text);
          fs.renameSync(`${out}.tmp`, out);
          io.out(`wrote ${out}\n`);
        } else io.out(`${text}\n`);
        return 0;
      }
      case 'policy': {
        const name = need(args.positionals[0], 'keel models policy <name> --alias A [--gate SPEC]…');
        const alias = need(str(args, 'alias'), 'keel models policy <name> --alias A');
        const gates = list(args, 'gate');
        if (gates.length > 0) {
          await registry.setPolicy(name, alias, gates);
          await localAudit(registry.store, {
            action: 'policy.set',
            project: await registry.modelProject(name),
            object: `${name}@${alias}`,
            details: { gates },
          });
        }
        const now = await registry.policy(name, alias);
        print(
          { name, alias, gates: now },
          `${name}@${alias} gates: ${now.length ? now.join(', ') : 'none'}\n`,
        );
        return 0;
      }
      default:
        throw new KeelError(CliErrors.USAGE, `unknown models subcommand "${sub}"\n${MODELS_HELP}`);
    }
  } finally {
    await store.close();
  }
}

function need(v: string | undefined, usage: string): string {
  if (!v) throw new KeelError(CliErrors.USAGE, `usage: ${usage}`);
  return v;
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: MODELS_HELP, flags: MODELS_FLAGS, run: modelsCommand };
