// KeelError: the one error class every room throws, carrying a stable code from the room's catalog.

export class KeelError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KeelError';
    this.code = code;
    this.details = details;
  }
}

export function isKeelError(err: unknown, code?: string): err is KeelError {
  return err instanceof KeelError && (code === undefined || err.code === code);
}

/** One code of a room's catalog: the HTTP status the serve and api rooms answer with, and what it means. */
export interface ErrorEntry {
  code: string;
  status: number;
  meaning: string;
}

/** A room's codes by key, derived from its catalog (DataErrors.BAD_VALUE is 'DATA_BAD_VALUE'). */
export function codesOf<const T extends Record<string, ErrorEntry>>(
  catalog: T,
): { readonly [K in keyof T]: T[K]['code'] } {
  return Object.fromEntries(Object.entries(catalog).map(([k, e]) => [k, e.code])) as {
    readonly [K in keyof T]: T[K]['code'];
  };
}

/** The status of a code in the given catalogs (500 for a code none of them holds). */
export function statusIn(catalogs: readonly Record<string, ErrorEntry>[]): (code: string) => number {
  const byCode = new Map<string, number>();
  for (const c of catalogs) for (const e of Object.values(c)) byCode.set(e.code, e.status);
  return (code) => byCode.get(code) ?? 500;
}

/** The core room's codes: numeric kernels that meet input they cannot solve. */
export const CORE_CATALOG = {
  MODULE_LOAD: {
    code: 'CORE_MODULE_LOAD',
    status: 400,
    meaning:
      'a module Keel was given (a schema, an objective) could not be loaded, e.g. TypeScript without tsx installed',
  },
  ENCRYPTION: {
    code: 'CORE_ENCRYPTION',
    status: 500,
    meaning: 'a data key that is missing or unreadable, or a file encrypted with a key that was not given',
  },
  DISK_FULL: {
    code: 'CORE_DISK_FULL',
    status: 507,
    meaning:
      'the disk (or the database) is full: the write was refused whole and nothing partial is visible; reads keep working',
  },
  NOT_POSITIVE_DEFINITE: {
    code: 'CORE_NOT_POSITIVE_DEFINITE',
    status: 422,
    meaning: 'a linear system without a unique solution (e.g. collinear features with no penalty)',
  },
} as const satisfies Record<string, ErrorEntry>;

export const CoreErrors = codesOf(CORE_CATALOG);

/** Is this a full disk or quota (ENOSPC, EDQUOT, SQLite's SQLITE_FULL, PostgreSQL's 53100)? */
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  return (
    code === 'ENOSPC' ||
    code === 'EDQUOT' ||
    code === 'SQLITE_FULL' ||
    code === '53100' ||
    /database or disk is full|no space left on device/i.test(e?.message ?? '')
  );
}

/** A full disk as the coded CORE_DISK_FULL (any other error unchanged), saying what could not be written. */
export function diskFull(err: unknown, what: string): unknown {
  if (!isDiskFull(err) || (err as { code?: string }).code === 'CORE_DISK_FULL') return err;
  return new KeelError(
    CoreErrors.DISK_FULL,
    `${what}: the disk is full (${(err as Error).message}); nothing was written`,
  );
}
