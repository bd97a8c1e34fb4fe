// keel data profile|check|schema|snapshot <source>: read any source, check it against a declared (or inferred)
// schema with its expectations, profile it, write JSON / HTML reports; check exits 1 when the data fails.

import fs from 'node:fs';
import path from 'node:path';
import { KeelError, writeFileAtomic } from '../core/index.ts';
import {
  type DatasetProfile,
  type DatasetSchema,
  diffSnapshots,
  inferDatasetSchema,
  listSnapshots,
  type QualityReport,
  readSnapshotFile,
  readSource,
  reportHtml,
  resolveSnapshotId,
  runDataJob,
  type SnapshotManifest,
  sourceFromSpec,
  typesOf,
  writeSnapshot,
} from '../data/index.ts';
import { bool, type FlagSpec, num, type ParsedArgs, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { EXIT, type Io, keelHome, progress } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';
import { loadSchema, SOURCE_FLAGS, SOURCE_SPEC_HELP, sourceOptions } from './source-args.ts';

function sourceOf(args: ParsedArgs, spec: string, log: (line: string) => void, schema?: DatasetSchema) {
  return sourceFromSpec(spec, {
    ...sourceOptions(args),
    types: schema ? typesOf(schema) : undefined,
    snapshotDir: str(args, 'dir') ?? path.join(keelHome(undefined), 'snapshots'),
    onProgress: (p) => {
      if (p.totalBytes >= 64e6)
        log(
          `reading: ${(p.bytes / 1e6).toFixed(0)} of ${(p.totalBytes / 1e6).toFixed(0)} MB (this thread's part), ${p.rows} rows`,
        );
    },
  });
}

/** keel data snapshot ls | show | diff: the store read, nothing written. */
async function snapshotStore(args: ParsedArgs, io: Io): Promise<number> {
  const [, verb, a, b] = args.positionals;
  const dir = str(args, 'dir') ?? path.join(keelHome(undefined), 'snapshots');
  const json = bool(args, 'json', false);
  const out = (doc: unknown, prose: string) => io.out(json ? `${JSON.stringify(doc, null, 2)}\n` : prose);
  if (verb === 'ls') {
    const all = listSnapshots(dir);
    out(
      { dir, snapshots: all },
      all.length === 0
        ? `no snapshots in ${dir}\n`
        : `${all
            .map(
              (m) =>
                `${m.id.slice(0, 12)}  ${m.createdAt}  ${String(m.rows).padStart(9)} rows × ${m.columns.length}  ${m.sources.map((s) => s.location).join(', ')}`,
            )
            .join('\n')}\n`,
    );
    return EXIT.OK;
  }
  if (verb === 'show') {
    if (!a) throw new KeelError(CliErrors.USAGE, 'usage: keel data snapshot show <id>');
    const id = resolveSnapshotId(dir, a);
    const folder = path.join(dir, id);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'),
    ) as SnapshotManifest;
    // schema and profile are decrypted where the snapshot is encrypted at rest
    const read = (f: string) => JSON.parse(readSnapshotFile(folder, f, manifest).toString('utf8'));
    const profile = read('profile.json') as DatasetProfile;
    out(
      { manifest, schema: read('schema.json'), profile },
      [
        `snapshot ${id}`,
        `created ${manifest.createdAt}; ${manifest.rows} rows (${manifest.quarantined} quarantined when read) from ${manifest.sources.map((s) => s.location).join(', ')}`,
        `profile of ${profile.sampledRows ?? profile.rows} rows${profile.sampledRows ? ' (evenly spread sample)' : ''}:`,
        ...profile.columns.map(
          (c) =>
            `  ${c.name.padEnd(24)} ${c.type.padEnd(12)} missing ${c.missingPct.toFixed(1).padStart(5)}%  ` +
            (c.type === 'categorical'
              ? `${c.distinct} distinct; top ${(c.top ?? [])
                  .slice(0, 3)
                  .map((t) => t.value)
                  .join(', ')}`
              : `mean ${c.mean?.toPrecision(5)}  min ${c.min?.toPrecision(5)}  max ${c.max?.toPrecision(5)}`),
        ),
        '',
      ].join('\n'),
    );
    return EXIT.OK;
  }
  if (!a || !b) throw new KeelError(CliErrors.USAGE, 'usage: keel data snapshot diff <id> <id> [--key COL]');
  const d = await diffSnapshots(dir, a, b, { key: str(args, 'key') });
  const lines = [
    `${d.from.slice(0, 12)} → ${d.to.slice(0, 12)} (rows matched on ${d.rows.matchedOn})`,
    `rows: ${d.rows.from} → ${d.rows.to}: ${d.rows.added} added, ${d.rows.removed} removed` +
      (d.rows.changed === null ? '' : `, ${d.rows.changed} changed`),
  ];
  for (const c of d.schema.added) lines.push(`column added: ${c.name} (${c.type})`);
  for (const c of d.schema.removed) lines.push(`column removed: ${c.name} (${c.type})`);
  for (const c of d.schema.retyped) lines.push(`column retyped: ${c.name} ${c.from} → ${c.to}`);
  lines.push('shift (PSI; over 0.2 is a large shift):');
  for (const s of [...d.shift].sort((x, y) => (y.psi || 0) - (x.psi || 0)))
    lines.push(
      `  ${s.column.padEnd(24)} psi ${Number.isNaN(s.psi) ? '   -  ' : s.psi.toFixed(4)}  missing ${(100 * s.missing.from).toFixed(1)}% → ${(100 * s.missing.to).toFixed(1)}%` +
        (s.mean ? `  mean ${s.mean.from.toPrecision(5)} → ${s.mean.to.toPrecision(5)}` : ''),
    );
  out(d, `${lines.join('\n')}\n`);
  return EXIT.OK;
}

function summary(r: QualityReport, verb: string): string {
  const lines = [
    `${verb}: ${r.source.location}`,
    `rows: read ${r.rows.read} = accepted ${r.rows.accepted} + quarantined ${r.rows.quarantined} (${(100 * r.badRowRate).toFixed(3)}%, limit ${100 * r.maxBadRowRate}%)`,
  ];
  for (const [k, n] of Object.entries(r.quarantineByReason)) lines.push(`  ${k}: ${n}`);
  for (const q of r.quarantine.slice(0, 10)) {
    lines.push(
      `  line ${q.line}${q.column ? ` [${q.column}]` : ''}: ${q.code} (${q.reason}) ${JSON.stringify(q.raw.slice(0, 80))}`,
    );
  }
  if (r.quarantine.length > 10) lines.push(`  … ${r.quarantine.length - 10} more (--json or --html for all)`);
  if (r.profile) {
    lines.push(`columns (${r.profile.columns.length}), duplicate rows ${r.profile.duplicateRows}:`);
    for (const c of r.profile.columns) {
      const stats =
        c.type === 'categorical'
          ? `${c.distinct} distinct, top ${(c.top ?? [])
              .slice(0, 3)
              .map((t) => `${t.value} (${t.count})`)
              .join(', ')}`
          : `min ${c.min} mean ${c.mean?.toPrecision(4)} max ${c.max}${c.outliers ? `, outliers ${c.outliers.iqr} (IQR)` : ''}`;
      const target = c.target ? `, ${c.target.method} ${c.target.value.toFixed(3)}` : '';
      lines.push(`  ${c.name} (${c.type}): ${c.missingPct.toFixed(1)}% missing, ${stats}${target}`);
    }
  }
  for (const e of r.expectations)
    lines.push(
      `expectation ${e.passed ? 'ok  ' : e.severity === 'fail' ? 'FAIL' : 'warn'} ${e.name}: ${e.observed} (${e.expected})`,
    );
  for (const f of r.failures) lines.push(`FAILED: ${f}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (verb === 'check') lines.push(r.passed ? 'PASSED' : 'FAILED');
  return `${lines.join('\n')}\n`;
}

/** every flag the command takes (its help text names each one; a test checks both ways) */
/** every flag the command takes, declared once: the parser and the help both come from here */
export const DATA_FLAGS: Record<string, FlagSpec> = {
  'max-bad-rate': {
    type: 'string',
    arg: 'R',
    help: 'share of quarantined rows that fails the job (default 0.01)',
  },
  target: {
    type: 'string',
    arg: 'COL',
    help: 'the label column (profile: association of every column with it)',
  },
  json: {
    type: 'boolean',
    help: 'print the whole report as JSON (rows: {read, accepted, quarantined}, quarantine: [...], each quarantined row as {source, line, offset, column, code, reason, raw})',
  },
  html: { type: 'string', arg: 'FILE', help: 'write the report as a self-contained HTML page' },
  out: {
    type: 'string',
    arg: 'FILE',
    help: 'schema: where to write it; check/profile: also write the JSON report there',
  },
  quarantine: {
    type: 'string',
    arg: 'FILE',
    help: 'check/profile: every quarantined row as one JSON line, the same record as in --json — the rows to fix and send again',
  },
  dir: {
    type: 'string',
    arg: 'DIR',
    help: "snapshot: the snapshot store (default the home's snapshots, .keel/snapshots)",
  },
  key: { type: 'string', arg: 'COL', help: 'snapshot diff: the column that identifies a row in both' },
  ...SOURCE_FLAGS,
};

export const DATA_HELP = renderHelp({
  usage: `keel data <profile|check|schema|snapshot> <source> [options]
       keel data snapshot ls | show <id> | diff <id> <id> [--key COL]   [--dir DIR] [--json]`,
  about: `<source>: ${SOURCE_SPEC_HELP}.
Every record read is accepted or quarantined with its line and reason.
profile             per-column statistics, histograms, outliers, duplicates, association with --target
check               the --schema rules and expectations; exit code 1 when the data fails (bad-row rate above
                    --max-bad-rate, a "fail" expectation broken, a declared column missing)
schema              infer a schema and write it (--out FILE, default stdout) to edit and pass to --schema
snapshot            write a content-addressed snapshot (Parquet + schema + profile) under --dir
snapshot ls         the snapshots of the store, newest first (every keel train run writes one)
snapshot show ID    one snapshot's manifest, schema and profile (an unambiguous id prefix is enough)
snapshot diff A B   rows added / removed / changed (--key COL: rows matched by that column; without it, as
                    multisets of rows), columns added / removed / retyped, and each column's shift (PSI)`,
  flags: DATA_FLAGS,
});

export async function dataCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, DATA_FLAGS);
  const [sub, spec] = args.positionals;
  if (sub === 'snapshot' && ['ls', 'show', 'diff'].includes(spec)) return snapshotStore(args, io);
  if (!sub || !spec || !['profile', 'check', 'schema', 'snapshot'].includes(sub)) {
    throw new KeelError(CliErrors.USAGE, `usage: ${DATA_HELP.split('\n')[0]}`);
  }
  const json = bool(args, 'json', false);
  const log = progress(io, !json || process.stderr.isTTY === true);
  const schemaFile = str(args, 'schema');
  const schema = schemaFile ? await loadSchema(schemaFile) : undefined;
  const source = sourceOf(args, spec, log, schema);

  if (sub === 'schema') {
    const read = await readSource(source, { onProgress: (p) => log(`read ${p.read} rows`) });
    const inferred = inferDatasetSchema(read.frame);
    const text = `${JSON.stringify(inferred, null, 2)}\n`;
    const out = str(args, 'out');
    if (out) {
      writeFileAtomic(out, text);
      io.err(`schema of ${read.frame.columns.length} columns written to ${out}\n`);
    } else io.out(text);
    return 0;
  }
  if (sub === 'snapshot') {
    const read = await readSource(source, { onProgress: (p) => log(`read ${p.read} rows`) });
    const snap = await writeSnapshot(read, {
      dir: str(args, 'dir') ?? path.join(keelHome(undefined), 'snapshots'),
      target: str(args, 'target'),
    });
    if (json) io.out(`${JSON.stringify(snap.manifest, null, 2)}\n`);
    else
      io.out(
        `snapshot ${snap.id} (${snap.manifest.rows} rows, ${snap.created ? 'written' : 'already there'}) at ${snap.dir}\n`,
      );
    return 0;
  }

  let lastRead = -1;
  const report = await runDataJob(source, {
    schema,
    maxBadRowRate: num(args, 'max-bad-rate', 0.01),
    target: str(args, 'target'),
    onProgress: (p) => {
      if (p.read !== lastRead || p.phase !== 'reading')
        log(`${p.phase}${p.read !== undefined ? ` (${p.read} rows read)` : ''}`);
      lastRead = p.read ?? lastRead;
    },
  });
  const html = str(args, 'html');
  if (html) writeFileAtomic(html, reportHtml(report));
  const out = str(args, 'out');
  if (out) writeFileAtomic(out, `${JSON.stringify(report, null, 2)}\n`);
  const qfile = str(args, 'quarantine');
  if (qfile) {
    const lines = report.quarantine.map((q) => JSON.stringify(q));
    writeFileAtomic(qfile, lines.length ? `${lines.join('\n')}\n` : '');
    log(`${lines.length} quarantined row problems written to ${qfile}`);
  }
  if (json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else io.out(summary(report, sub));
  if (sub === 'check' && !report.passed) return 1;
  return 0;
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: DATA_HELP, flags: DATA_FLAGS, run: dataCommand };
