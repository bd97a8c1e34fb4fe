// keel runs ls|show|compare|delete|gc: find, inspect and compare tracked runs; clean up what is no longer needed.

import { KeelError } from '../core/index.ts';
import { compareRuns, type RunRecord, type RunStatus } from '../track/index.ts';
import { bool, type FlagSpec, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS } from './common-flags.ts';
import { type Io, keelHome, localAudit, openHome } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const RUNS_FLAGS: Record<string, FlagSpec> = {
  filter: {
    type: 'string',
    arg: 'EXPR',
    help: "ls: metrics.roc_auc > 0.9 and params.model = 'gradient_boosting' (and/or/not, = != < <= > >= ~; tags.KEY too)",
  },
  order: {
    type: 'string',
    arg: 'KEY',
    help: 'ls: metrics.roc_auc desc | params.learning_rate | started_at desc',
  },
  experiment: { type: 'string', arg: 'E', help: 'ls: runs of this experiment only' },
  status: { type: 'string', arg: 'S', help: 'ls: running | finished | failed | killed' },
  limit: { type: 'string', arg: 'N', help: 'ls: runs per page (default 50)' },
  offset: { type: 'string', arg: 'N', help: 'ls: skip this many (the page --json reports next_offset for)' },
  force: { type: 'boolean', help: 'delete: also a run that backs a registered version' },
  apply: { type: 'boolean', help: 'gc: delete (without it gc is a dry run)' },
  'min-age-minutes': { type: 'string', arg: 'N', help: 'gc: leave artifacts younger than this (default 60)' },
  json: {
    type: 'boolean',
    help: 'print one JSON document; ls pages: {runs, total, offset, limit, next_offset} (next_offset null on the last page)',
  },
  ...HOME_FLAGS,
};

export const RUNS_HELP = renderHelp({
  usage: 'keel runs <ls|show|compare|note|tag|delete|gc> [options]',
  about: `ls                                the runs that match, newest first (or --order), a page at a time
show <run-id>                     params, metrics, tags (lineage), artifacts
compare <run-id> <run-id>…        params and metrics side by side, differences marked
note <run-id> <text>              set the run's note (shown by ls and show; the API's note field)
tag <run-id> KEY=VALUE…           set tags on the run (filter on them: tags.KEY = 'VALUE')
delete <run-id>                   delete a run and its artifacts nothing else references
gc                                remove artifacts nothing references`,
  flags: RUNS_FLAGS,
});

export async function runsCommand(argv: string[], io: Io): Promise<number> {
  const [sub = 'ls', ...rest] = argv[0]?.startsWith('--') ? ['ls', ...argv] : argv;
  const args = parseArgs(rest, RUNS_FLAGS);
  const json = bool(args, 'json', false);
  const { store } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  try {
    switch (sub) {
      case 'ls': {
        const opts = {
          experiment: str(args, 'experiment'),
          status: str(args, 'status') as RunStatus | undefined,
          filter: str(args, 'filter'),
          orderBy: str(args, 'order'),
          limit: num(args, 'limit', 50),
          offset: num(args, 'offset', 0),
        };
        const [runs, total] = await Promise.all([store.listRuns(opts), store.countRuns(opts)]);
        const nextOffset = opts.offset + runs.length < total ? opts.offset + runs.length : null;
        if (json)
          io.out(
            `${JSON.stringify({ runs, total, offset: opts.offset, limit: opts.limit, next_offset: nextOffset }, null, 2)}\n`,
          );
        else {
          for (const r of runs) io.out(`${line(r)}\n`);
          io.out(runs.length === 0 ? 'no runs match\n' : `${runs.length} of ${total} run(s)\n`);
        }
        return 0;
      }
      case 'note': {
        const [id, ...words] = args.positionals;
        if (!id || words.length === 0)
          throw new KeelError(CliErrors.USAGE, 'usage: keel runs note <run-id> <text>');
        await store.setNote(id, words.join(' '));
        if (json) io.out(`${JSON.stringify({ id, note: words.join(' ') })}\n`);
        else io.out(`run ${id}: note set\n`);
        return 0;
      }
      case 'tag': {
        const [id, ...pairs] = args.positionals;
        if (!id || pairs.length === 0)
          throw new KeelError(CliErrors.USAGE, 'usage: keel runs tag <run-id> KEY=VALUE…');
        const tags: Record<string, string> = {};
        for (const p of pairs) {
          const eq = p.indexOf('=');
          if (eq <= 0) throw new KeelError(CliErrors.USAGE, `a tag is KEY=VALUE, got "${p}"`);
          tags[p.slice(0, eq)] = p.slice(eq + 1);
        }
        await store.setTags(id, tags);
        if (json) io.out(`${JSON.stringify({ id, tags })}\n`);
        else io.out(`run ${id}: ${Object.keys(tags).length} tag(s) set\n`);
        return 0;
      }
      case 'show': {
        const id = need(args.positionals[0], 'keel runs show <run-id>');
        const r = await store.getRun(id);
        if (json) io.out(`${JSON.stringify(r, null, 2)}\n`);
        else io.out(showRun(r));
        return 0;
      }
      case 'compare': {
        if (args.positionals.length < 2)
          throw new KeelError(CliErrors.USAGE, 'usage: keel runs compare <run-id> <run-id>…');
        const cmp = compareRuns(await Promise.all(args.positionals.map((id) => store.getRun(id))));
        if (json) {
          io.out(`${JSON.stringify(cmp, null, 2)}\n`);
          return 0;
        }
        const head = ['', ...cmp.runs.map((r) => `${r.name} ${r.id.slice(0, 8)}`)];
        const rows: string[][] = [head];
        for (const [k, vals] of Object.entries(cmp.params))
          rows.push([
            `${cmp.differing.params.includes(k) ? '*' : ' '} params.${k}`,
            ...vals.map((v) => v ?? '—'),
          ]);
        for (const [k, vals] of Object.entries(cmp.metrics))
          rows.push([
            `${cmp.differing.metrics.includes(k) ? '*' : ' '} metrics.${k}`,
            ...vals.map((v) => (v === null ? '—' : v.toPrecision(6))),
          ]);
        const widths = head.map((_, j) => Math.min(40, Math.max(...rows.map((r) => String(r[j]).length))));
        for (const r of rows)
          io.out(`${r.map((c, j) => String(c).slice(0, 40).padEnd(widths[j])).join('  ')}\n`);
        io.out('(* = differs)\n');
        return 0;
      }
      case 'delete': {
        const id = need(args.positionals[0], 'keel runs delete <run-id> [--force]');
        const project = await store.runProject(id);
        await store.deleteRun(id, { force: bool(args, 'force', false) });
        await localAudit(store, {
          action: 'run.delete',
          project,
          object: id,
          details: { force: bool(args, 'force', false) },
        });
        io.out(json ? `${JSON.stringify({ deleted: id })}\n` : `deleted run ${id}\n`);
        return 0;
      }
      case 'gc': {
        const report = await store.collectGarbage({
          dryRun: !bool(args, 'apply', false),
          minAgeMs: num(args, 'min-age-minutes', 60) * 60_000,
        });
        if (!report.dryRun)
          await localAudit(store, { action: 'gc', details: { removed: report.removed.length } });
        if (json) io.out(`${JSON.stringify(report, null, 2)}\n`);
        else {
          io.out(
            `${report.dryRun ? 'dry run: would remove' : 'removed'} ${report.removed.length} artifact(s), ${report.removedBytes} bytes; ` +
              `${report.referenced} referenced, ${report.keptYoung} too recent to judge, ${report.scanned} scanned\n`,
          );
          if (report.dryRun && report.removed.length > 0) io.out('run again with --apply to delete them\n');
        }
        return 0;
      }
      default:
        throw new KeelError(CliErrors.USAGE, `unknown runs subcommand "${sub}"\n${RUNS_HELP}`);
    }
  } finally {
    await store.close();
  }
}

function need(v: string | undefined, usage: string): string {
  if (!v) throw new KeelError(CliErrors.USAGE, `usage: ${usage}`);
  return v;
}

function line(r: RunRecord): string {
  const key = r.metrics.roc_auc !== undefined ? 'roc_auc' : r.metrics.rmse !== undefined ? 'rmse' : null;
  const m = key ? `${key}=${r.metrics[key].toFixed(4)}` : '';
  return `${r.id}  ${r.status.padEnd(8)} ${r.experiment.padEnd(12)} ${r.name.padEnd(20)} ${r.startedAt}  ${m}${r.error ? `  (${r.error})` : ''}`;
}

function showRun(r: RunRecord): string {
  const kv = (o: Record<string, string | number>) =>
    Object.entries(o)
      .map(([k, v]) => `  ${k.padEnd(28)} ${v}`)
      .join('\n') || '  —';
  return [
    `run ${r.id} (${r.name}) in ${r.experiment}: ${r.status}${r.error ? ` — ${r.error}` : ''}`,
    `started ${r.startedAt}, ended ${r.endedAt ?? '—'}, pid ${r.pid} on ${r.host}${r.parentId ? `, parent ${r.parentId}` : ''}`,
    r.note ? `note: ${r.note}` : '',
    'params:',
    kv(r.params),
    'metrics:',
    kv(r.metrics),
    'tags:',
    kv(r.tags),
    'artifacts:',
    r.artifacts.map((a) => `  ${a.name.padEnd(28)} ${a.size} bytes  sha256 ${a.sha256}`).join('\n') || '  —',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: RUNS_HELP, flags: RUNS_FLAGS, run: runsCommand };
