// The data room's error catalog: stable codes for thrown errors and for quarantined rows.

export const DataErrors = {
  /** the file cannot be opened or is not a table at all */
  SOURCE_UNREADABLE: 'DATA_SOURCE_UNREADABLE',
  /** a row whose structure is wrong (too many / too few fields, broken quotes) */
  BAD_ROW: 'DATA_BAD_ROW',
  /** a field that does not parse as its column's type */
  BAD_VALUE: 'DATA_BAD_VALUE',
  /** a row without a value for the training target */
  MISSING_TARGET: 'DATA_MISSING_TARGET',
  /** a column name that does not exist */
  UNKNOWN_COLUMN: 'DATA_UNKNOWN_COLUMN',
  /** counts that do not reconcile: read != accepted + quarantined */
  RECONCILE: 'DATA_RECONCILE_FAILED',
  /** nothing usable was read */
  EMPTY: 'DATA_EMPTY',
  /** an empty line inside a delimited file */
  EMPTY_LINE: 'DATA_EMPTY_LINE',
  /** fewer fields than the header */
  SHORT_ROW: 'DATA_SHORT_ROW',
  /** more fields than the header */
  LONG_ROW: 'DATA_LONG_ROW',
  /** a row whose fields are separated by another delimiter than the file's */
  WRONG_DELIMITER: 'DATA_WRONG_DELIMITER',
  /** a quote opened and not closed on its line (or closed in the middle of a field) */
  UNCLOSED_QUOTE: 'DATA_UNCLOSED_QUOTE',
  /** bytes that are not valid UTF-8 */
  INVALID_UTF8: 'DATA_INVALID_UTF8',
  /** a NUL byte inside a row */
  NUL_BYTE: 'DATA_NUL_BYTE',
  /** a missing value in a column the schema declares not nullable */
  NULL_NOT_ALLOWED: 'DATA_NULL_NOT_ALLOWED',
  /** a number or time outside the schema's declared range */
  OUT_OF_RANGE: 'DATA_OUT_OF_RANGE',
  /** a category outside the schema's allowed list */
  NOT_ALLOWED: 'DATA_CATEGORY_NOT_ALLOWED',
  /** a text value that does not match the schema's pattern */
  PATTERN: 'DATA_PATTERN_MISMATCH',
  /** a second row with a key the schema declares unique */
  DUPLICATE_KEY: 'DATA_DUPLICATE_KEY',
  /** a row that breaks a cross-column rule */
  RULE: 'DATA_RULE_BROKEN',
  /** the share of quarantined rows passed the job's threshold */
  TOO_MANY_BAD_ROWS: 'DATA_TOO_MANY_BAD_ROWS',
  /** an expectation with severity "fail" did not hold */
  EXPECTATION_FAILED: 'DATA_EXPECTATION_FAILED',
  /** a source option that is missing or wrong */
  SOURCE_CONFIG: 'DATA_SOURCE_CONFIG',
  /** an HTTP source answered with an error after its retries */
  HTTP_FAILED: 'DATA_HTTP_FAILED',
  /** an HTTP target in a private, loopback or link-local network, not explicitly allowed */
  SSRF_BLOCKED: 'DATA_SSRF_BLOCKED',
  /** a snapshot whose files do not match its id */
  SNAPSHOT_CORRUPT: 'DATA_SNAPSHOT_CORRUPT',
  /** sources that cannot be joined or aligned as asked */
  INTEGRATION: 'DATA_INTEGRATION',
} as const;

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
