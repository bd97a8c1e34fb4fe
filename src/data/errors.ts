// The data room's error catalog: stable codes for thrown errors and for quarantined rows.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const DATA_CATALOG = {
  SOURCE_UNREADABLE: {
    code: 'DATA_SOURCE_UNREADABLE',
    status: 400,
    meaning: 'the file cannot be opened or is not a table at all',
  },
  BAD_ROW: {
    code: 'DATA_BAD_ROW',
    status: 422,
    meaning: 'a row whose structure is wrong (too many / too few fields, broken quotes)',
  },
  BAD_VALUE: {
    code: 'DATA_BAD_VALUE',
    status: 422,
    meaning: "a field that does not parse as its column's type",
  },
  MISSING_TARGET: {
    code: 'DATA_MISSING_TARGET',
    status: 422,
    meaning: 'a row without a value for the training target',
  },
  UNKNOWN_COLUMN: { code: 'DATA_UNKNOWN_COLUMN', status: 400, meaning: 'a column name that does not exist' },
  RECONCILE: {
    code: 'DATA_RECONCILE_FAILED',
    status: 500,
    meaning: 'counts that do not reconcile: read != accepted + quarantined',
  },
  EMPTY: { code: 'DATA_EMPTY', status: 422, meaning: 'nothing usable was read' },
  EMPTY_LINE: { code: 'DATA_EMPTY_LINE', status: 422, meaning: 'an empty line inside a delimited file' },
  SHORT_ROW: { code: 'DATA_SHORT_ROW', status: 422, meaning: 'fewer fields than the header' },
  LONG_ROW: { code: 'DATA_LONG_ROW', status: 422, meaning: 'more fields than the header' },
  WRONG_DELIMITER: {
    code: 'DATA_WRONG_DELIMITER',
    status: 422,
    meaning: "a row whose fields are separated by another delimiter than the file's",
  },
  UNCLOSED_QUOTE: {
    code: 'DATA_UNCLOSED_QUOTE',
    status: 422,
    meaning: 'a quote opened and not closed on its line (or closed in the middle of a field)',
  },
  INVALID_UTF8: { code: 'DATA_INVALID_UTF8', status: 422, meaning: 'bytes that are not valid UTF-8' },
  NUL_BYTE: { code: 'DATA_NUL_BYTE', status: 422, meaning: 'a NUL byte inside a row' },
  NULL_NOT_ALLOWED: {
    code: 'DATA_NULL_NOT_ALLOWED',
    status: 422,
    meaning: 'a missing value in a column the schema declares not nullable',
  },
  OUT_OF_RANGE: {
    code: 'DATA_OUT_OF_RANGE',
    status: 422,
    meaning: "a number or time outside the schema's declared range",
  },
  NOT_ALLOWED: {
    code: 'DATA_CATEGORY_NOT_ALLOWED',
    status: 422,
    meaning: "a category outside the schema's allowed list",
  },
  PATTERN: {
    code: 'DATA_PATTERN_MISMATCH',
    status: 422,
    meaning: "a text value that does not match the schema's pattern",
  },
  DUPLICATE_KEY: {
    code: 'DATA_DUPLICATE_KEY',
    status: 422,
    meaning: 'a second row with a key the schema declares unique',
  },
  RULE: { code: 'DATA_RULE_BROKEN', status: 422, meaning: 'a row that breaks a cross-column rule' },
  TOO_MANY_BAD_ROWS: {
    code: 'DATA_TOO_MANY_BAD_ROWS',
    status: 422,
    meaning: "the share of quarantined rows passed the job's threshold",
  },
  EXPECTATION_FAILED: {
    code: 'DATA_EXPECTATION_FAILED',
    status: 422,
    meaning: 'an expectation with severity "fail" did not hold',
  },
  SOURCE_CONFIG: {
    code: 'DATA_SOURCE_CONFIG',
    status: 400,
    meaning: 'a source option that is missing or wrong',
  },
  HTTP_FAILED: {
    code: 'DATA_HTTP_FAILED',
    status: 502,
    meaning: 'an HTTP source answered with an error after its retries',
  },
  SSRF_BLOCKED: {
    code: 'DATA_SSRF_BLOCKED',
    status: 403,
    meaning: 'an HTTP target in a private, loopback or link-local network, not explicitly allowed',
  },
  SNAPSHOT_CORRUPT: {
    code: 'DATA_SNAPSHOT_CORRUPT',
    status: 422,
    meaning: 'a snapshot whose files do not match its id',
  },
  INTEGRATION: {
    code: 'DATA_INTEGRATION',
    status: 400,
    meaning: 'sources that cannot be joined or aligned as asked',
  },
  FRAME_SHAPE: {
    code: 'DATA_FRAME_SHAPE',
    status: 400,
    meaning: 'columns of different lengths, a duplicate column, or batches whose column types differ',
  },
} as const satisfies Record<string, ErrorEntry>;

export const DataErrors = codesOf(DATA_CATALOG);

/** One rejected row (or one problem of a row), kept with enough to find and fix it. */
export interface QuarantinedRow {
  source: string;
  /** 1-based line in the file, header included; for sources without lines, the 1-based record number */
  line: number;
  /** where a record came from in a source without lines: page, row offset or message id */
  offset?: string;
  column: string | null;
  code: string;
  reason: string;
  raw: string;
}

/**
 * A quarantined row as every output writes it — `--json`, the quarantine file, a run's quarantine.json, keel score's
 * <out>.quarantine.json: the same fields, each always present (offset and column null where they do not apply).
 */
export interface QuarantineRecord {
  source: string;
  line: number;
  offset: string | null;
  column: string | null;
  /** the stable code (DATA_SHORT_ROW, DATA_BAD_VALUE, …) */
  code: string;
  /** what was wrong, for people */
  reason: string;
  raw: string;
}

export function quarantineRecord(q: QuarantinedRow): QuarantineRecord {
  return {
    source: q.source,
    line: q.line,
    offset: q.offset ?? null,
    column: q.column,
    code: q.code,
    reason: q.reason,
    raw: q.raw,
  };
}
