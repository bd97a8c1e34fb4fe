// Progress lines on stderr, timed from the command's start, with any secret in them (a source URL's password or key)
// replaced before it reaches a terminal or a log.

import { redactSecrets } from '../core/index.ts';
import type { Io } from './io.ts';

export function progress(io: Io, enabled: boolean): (line: string) => void {
  const t0 = Date.now();
  return (line) => {
    if (enabled) io.err(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${redactSecrets(line)}\n`);
  };
}
