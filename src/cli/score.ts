// keel score <model-ref> <input> --out <file>: batch scoring of a CSV or Parquet file in chunks (bounded memory),
// with progress; the output is written to a temporary name, fsynced and renamed; rejected rows are reported.

import fs from 'node:fs';
import path from 'node:path';
import { KeelError, writeFileAtomic } from '../core/index.ts';
import {
  alignColumns,
  type ChunkedRead,
  DataErrors,
  type Frame,
  type QuarantinedRow,
  quarantineRecord,
  readTableChunks,
  type Schema,
  sourceFromSpec,
} from '../data/index.ts';
import { loadModel } from '../serve/index.ts';
import { bool, type FlagSpec, num, type ParsedArgs, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS, QUIET_FLAG } from './common-flags.ts';
import { type Io, keelHome, openHome, progress } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';
import { SOURCE_FLAGS, SOURCE_SPEC_HELP, sourceOptions } from './source-args.ts';

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Chunks from any other source (SQL, an HTTP API, JSON, NDJSON, a glob), each brought to the model's input columns
 * and types; a missing input column is an error, never a column of blanks.
 */
function sourceChunks(
  input: string,
  schema: Schema,
  chunkRows: number,
  args: ParsedArgs,
  reading: { missing?: readonly string[]; zone?: string },
): ChunkedRead {
  const quarantine: QuarantinedRow[] = [];
  const source = sourceFromSpec(input, {
    ...sourceOptions(args),
    snapshotDir: path.join(keelHome(str(args, 'home')), 'snapshots'),
    missing: reading.missing,
    zone: reading.zone,
    types: Object.fromEntries(schema.columns.map((c) => [c.name, c.type])),
  });
  async function* chunks(): AsyncGenerator<Frame> {
    for await (const b of source.batches({ batchRows: chunkRows })) {
      quarantine.push(...b.quarantine);
      if (b.frame.nRows === 0) continue;
      const absent = schema.columns.filter((c) => !b.frame.has(c.name)).map((c) => c.name);
      if (absent.length > 0) {
        throw new KeelError(
          DataErrors.UNKNOWN_COLUMN,
          `${source.describe().location} has no column ${absent.join(', ')}, which the model needs`,
        );
      }
      yield alignColumns(b.frame, { columns: schema.columns.map((c) => ({ name: c.name, type: c.type })) })
        .frame;
    }
  }
  return { chunks: chunks(), quarantine };
}

/** every flag the command takes (its help text names each one; a test checks both ways) */
/** every flag the command takes, declared once: the parser and the help both come from here */
export const SCORE_FLAGS: Record<string, FlagSpec> = {
  out: { type: 'string', arg: 'FILE', help: 'the predictions CSV (required; written whole, then renamed)' },
  'id-column': {
    type: 'string',
    arg: 'COL',
    help: 'copy this input column into the output (default: the 1-based row number)',
  },
  'chunk-rows': { type: 'string', arg: 'N', help: 'rows per chunk (default 50000)' },
  json: { type: 'boolean', help: 'print the summary as one JSON document' },
  ...QUIET_FLAG,
  ...HOME_FLAGS,
  ...SOURCE_FLAGS,
};

export const SCORE_HELP = renderHelp({
  usage: 'keel score <name@alias> <input> --out <predictions.csv> [options]',
  about: `<input>: ${SOURCE_SPEC_HELP}.
Scores every row with the registered model (verified like the server does), streaming chunks of rows. A CSV or
Parquet file streams through DuckDB; other sources are read in batches. Values are read with the model's training
rules (its missing markers and zone unless given) and brought to its input types; a binary model's stored
threshold and calibration decide the labels. Rows that cannot be parsed are left out, listed in
<out>.quarantine.json, and counted in the summary.`,
  flags: SCORE_FLAGS,
});

export async function scoreCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, SCORE_FLAGS);
  const [ref, input] = args.positionals;
  const out = str(args, 'out');
  if (!ref || !input || !out) throw new KeelError(CliErrors.USAGE, `usage: ${SCORE_HELP.split('\n')[0]}`);
  if (str(args, 'schema') !== undefined)
    throw new KeelError(
      CliErrors.USAGE,
      "keel score reads its input with the model's own schema; --schema is for train, tune and data",
    );
  const log = progress(io, !bool(args, 'quiet', false));
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    const model = await loadModel(registry, ref);
    const idColumn = str(args, 'id-column');
    const schema = { columns: [...model.schema.columns] };
    if (idColumn && !schema.columns.some((c) => c.name === idColumn))
      schema.columns.push({ name: idColumn, type: 'categorical', nullable: true });
    const classes = model.artifact.pipeline.classes;
    const header = [
      idColumn ?? 'row',
      ...(classes ? ['label', ...classes.map((c) => `p_${c}`)] : ['prediction']),
    ];
    const fd = fs.openSync(tmp, 'w');
    let rows = 0;
    const t0 = Date.now();
    const chunkRows = num(args, 'chunk-rows', 50_000);
    // values are read with the rules the model was trained with, unless told otherwise
    const given = sourceOptions(args);
    const missing = given.missing ?? model.artifact.reading?.missing;
    const zone = given.zone ?? model.artifact.reading?.zone;
    const read =
      /^(postgres(ql)?:\/\/|sqlite:|duckdb:|https?:\/\/|snapshot:)/.test(input) ||
      /\.(nd)?json$|\.jsonl$|[*?[]/.test(input)
        ? sourceChunks(input, schema, chunkRows, args, { missing, zone })
        : readTableChunks(input, { schema, chunkRows, delimiter: given.delimiter, missing, zone });
    try {
      fs.writeSync(fd, `${header.map(csvCell).join(',')}\n`);
      for await (const frame of read.chunks) {
        const features =
          idColumn && !model.schema.columns.some((c) => c.name === idColumn) ? frame.drop([idColumn]) : frame;
        const o = model.predict(features);
        const lines: string[] = [];
        for (let i = 0; i < frame.nRows; i++) {
          const id = idColumn ? frame.cell(i, idColumn) : rows + i + 1;
          if (o.values) lines.push(`${csvCell(id)},${o.values[i]}`);
          else {
            const K = (classes ?? []).length;
            const probs = Array.from((o.probabilities as Float64Array).subarray(i * K, (i + 1) * K));
            lines.push([id, (o.labels as unknown[])[i], ...probs].map(csvCell).join(','));
          }
        }
        fs.writeSync(fd, `${lines.join('\n')}\n`);
        rows += frame.nRows;
        const secs = (Date.now() - t0) / 1000;
        log(
          `scored ${rows.toLocaleString()} rows (${Math.round(rows / Math.max(secs, 1e-3)).toLocaleString()} rows/s)`,
        );
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, out);
    const lines = new Set(read.quarantine.map((q) => q.line));
    const quarantineFile = read.quarantine.length ? `${out}.quarantine.json` : null;
    if (quarantineFile)
      writeFileAtomic(quarantineFile, JSON.stringify(read.quarantine.map(quarantineRecord), null, 2));
    if (bool(args, 'json', false))
      io.out(
        `${JSON.stringify(
          {
            model: { name: model.name, version: model.version },
            out,
            rows: { scored: rows, quarantined: lines.size },
            quarantine_file: quarantineFile,
            seconds: (Date.now() - t0) / 1000,
          },
          null,
          2,
        )}\n`,
      );
    else
      io.out(
        `scored ${rows} rows with ${model.name} v${model.version} → ${out}` +
          (lines.size ? `; ${lines.size} row(s) quarantined → ${out}.quarantine.json\n` : '\n'),
      );
    return 0;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    await store.close();
  }
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: SCORE_HELP, flags: SCORE_FLAGS, run: scoreCommand };
