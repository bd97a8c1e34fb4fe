// An error as the user sees it: one line with its catalog code, and the exit code that says what kind of failure it was.

import { diskFull, isDiskFull, isKeelError } from '../core/index.ts';
import { EXIT, type Io } from './io.ts';

export function reportError(io: Io, err: unknown): number {
  // a full disk met anywhere (a report, a temporary file) is a coded environment error, never a stack trace
  if (isDiskFull(err) && !isKeelError(err)) err = diskFull(err, 'writing');
  if (isKeelError(err)) {
    io.err(`keel: error [${err.code}]: ${err.message}\n`);
    if (err.code === 'CLI_USAGE') return EXIT.USAGE;
    return /UNREACHABLE|CONNECT|UNAVAILABLE|DISK_FULL/.test(err.code) ? EXIT.ENVIRONMENT : EXIT.FAILED;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') {
    io.err(`keel: error: the port is already in use (${e.message}); pick another with --port\n`);
    return EXIT.ENVIRONMENT;
  }
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'EACCES') {
    io.err(`keel: error: ${e.message}\n`);
    return EXIT.ENVIRONMENT;
  }
  io.err(`keel: unexpected error: ${e?.stack ?? String(err)}\n`);
  return EXIT.INTERNAL;
}
