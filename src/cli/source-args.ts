// The one source spec of every command that reads data (keel data, train, tune, score): the flags that name and
// reach a source, their help lines, and the reading options they make.

import fs from 'node:fs';
import { importUserModule, KeelError } from '../core/index.ts';
import type { DatasetSchema } from '../data/index.ts';
import type { ReadDataOptions } from '../flow/index.ts';
import { bool, type FlagSpec, list, type ParsedArgs, str } from './args.ts';
import { CliErrors } from './errors.ts';

/** What a <source> may be; the same words in every command's help. */
export const SOURCE_SPEC_HELP =
  'a file or glob (CSV/TSV, Parquet, JSON, NDJSON), sqlite:<file> or duckdb:<file> or postgres://… (with --query or --table), an http(s) URL of a JSON API, or snapshot:<id> (a stored snapshot)';

const SOURCE = 'reading the source';

export const SOURCE_FLAGS: Record<string, FlagSpec> = {
  schema: {
    type: 'string',
    arg: 'FILE',
    section: SOURCE,
    help: 'train, tune, data: a declared schema (.json, or a .ts/.js module exporting it as default or "schema"; keel data schema writes one): its types instead of inference, and rows breaking its ranges, categories or patterns quarantined with their reason',
  },
  delimiter: {
    type: 'string',
    arg: 'C',
    section: SOURCE,
    help: 'field separator of a delimited file (sniffed when absent; \\t for tab)',
  },
  quote: {
    type: 'string',
    arg: 'C',
    section: SOURCE,
    help: 'quote character of a delimited file (default ")',
  },
  header: {
    type: 'boolean',
    negated: true,
    section: SOURCE,
    help: 'the delimited file has no header line (columns are named c0, c1, …)',
  },
  missing: {
    type: 'string',
    arg: 'LIST',
    section: SOURCE,
    help: 'comma-separated missing-value markers (default: empty,?,NA,N/A,NaN,nan,null,NULL)',
  },
  zone: {
    type: 'string',
    arg: 'ZONE',
    section: SOURCE,
    help: 'the zone of date-times written without one: UTC (default) or an IANA name',
  },
  encoding: {
    type: 'string',
    arg: 'E',
    section: SOURCE,
    help: 'utf8 | latin1 | utf16le | utf16be (UTF-16 is also found by its BOM)',
  },
  query: { type: 'string', arg: 'SQL', section: SOURCE, help: 'SQL sources: the rows of this query' },
  table: { type: 'string', arg: 'NAME', section: SOURCE, help: 'SQL sources: every row of this table' },
  'records-path': {
    type: 'string',
    arg: 'P',
    section: SOURCE,
    help: 'HTTP APIs: where the records are in each response (data.items)',
  },
  pagination: {
    type: 'string',
    arg: 'P',
    section: SOURCE,
    help: 'HTTP APIs: page | offset:N | cursor:PATH | link (default: one response)',
  },
  'allow-host': {
    type: 'string',
    arg: 'H',
    repeat: true,
    section: SOURCE,
    help: 'HTTP APIs: allow this private or loopback host past the SSRF guard',
  },
  'http-header': {
    type: 'string',
    arg: 'H',
    repeat: true,
    section: SOURCE,
    help: 'HTTP APIs: "Name: value", the value or part of it from the environment ("Authorization: Bearer env:TOKEN")',
  },
};

const ENCODINGS = ['utf8', 'latin1', 'utf16le', 'utf16be'] as const;

/** A DatasetSchema from JSON or a module (TypeScript through tsx where installed). */
export async function loadSchema(file: string): Promise<DatasetSchema> {
  if (!fs.existsSync(file)) throw new KeelError(CliErrors.USAGE, `no schema file ${file}`);
  let schema: unknown;
  if (/\.(ts|mts|js|mjs)$/.test(file)) {
    const mod = await importUserModule(file);
    schema = mod.default ?? mod.schema;
  } else {
    try {
      schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new KeelError(CliErrors.USAGE, `${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const s = schema as DatasetSchema;
  if (
    !s ||
    !Array.isArray(s.columns) ||
    s.columns.some((c) => typeof c?.name !== 'string' || typeof c?.type !== 'string')
  ) {
    throw new KeelError(
      CliErrors.USAGE,
      `${file} does not hold a schema ({ columns: [{ name, type, nullable, ... }] })`,
    );
  }
  return s;
}

/** SOURCE_FLAGS' options with --schema loaded (the commands that train read through this). */
export async function readingOptions(args: ParsedArgs): Promise<ReadDataOptions> {
  const o = sourceOptions(args);
  const file = str(args, 'schema');
  if (file) o.declared = await loadSchema(file);
  return o;
}

/** The reading options SOURCE_FLAGS give (only those set). */
export function sourceOptions(args: ParsedArgs): ReadDataOptions {
  const o: ReadDataOptions = {};
  const delimiter = str(args, 'delimiter');
  if (delimiter !== undefined) o.delimiter = delimiter === '\\t' ? '\t' : delimiter;
  const quote = str(args, 'quote');
  if (quote !== undefined) o.quote = quote;
  if (!bool(args, 'header', true)) o.header = false;
  const missing = str(args, 'missing');
  if (missing !== undefined) o.missing = missing.split(',').map((m) => m.trim());
  const zone = str(args, 'zone');
  if (zone !== undefined) o.zone = zone;
  const encoding = str(args, 'encoding');
  if (encoding !== undefined) {
    if (!(ENCODINGS as readonly string[]).includes(encoding))
      throw new KeelError(CliErrors.USAGE, `--encoding must be ${ENCODINGS.join(', ')}, got "${encoding}"`);
    o.encoding = encoding as (typeof ENCODINGS)[number];
  }
  const query = str(args, 'query');
  if (query !== undefined) o.query = query;
  const table = str(args, 'table');
  if (table !== undefined) o.table = table;
  const recordsPath = str(args, 'records-path');
  if (recordsPath !== undefined) o.recordsPath = recordsPath;
  const pagination = str(args, 'pagination');
  if (pagination !== undefined) o.pagination = pagination;
  const allowHosts = list(args, 'allow-host');
  if (allowHosts.length > 0) o.allowHosts = allowHosts;
  const headers = list(args, 'http-header');
  if (headers.length > 0) o.headers = headers;
  return o;
}
