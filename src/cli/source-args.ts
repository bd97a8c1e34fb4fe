// The command-line options that name and reach a data source, shared by keel data and keel score.

import type { SourceSpecOptions } from '../data/index.ts';
import { type FlagSpec, list, type ParsedArgs, str } from './args.ts';

export const SOURCE_FLAGS: Record<string, FlagSpec> = {
  query: { type: 'string' },
  table: { type: 'string' },
  'records-path': { type: 'string' },
  pagination: { type: 'string' },
  'allow-host': { type: 'string', repeat: true },
  header: { type: 'string', repeat: true },
};

/** The SQL and HTTP options of a source spec, from the flags above. */
export function sourceOptions(args: ParsedArgs): SourceSpecOptions {
  return {
    query: str(args, 'query'),
    table: str(args, 'table'),
    recordsPath: str(args, 'records-path'),
    pagination: str(args, 'pagination'),
    allowHosts: list(args, 'allow-host'),
    headers: list(args, 'header'),
  };
}
