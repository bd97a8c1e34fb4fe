// How a command talks: stdout for results, stderr for progress, and the exit codes it ends with (kept free of
// imports, so `keel --version` loads nothing else).

/** keel's exit codes (docs/cli.md): stable, so scripts and CI can branch on them. */
export const EXIT = {
  /** done as asked */
  OK: 0,
  /** the data, a quality check or a promotion gate said no, or what was named does not exist */
  FAILED: 1,
  /** the command line is wrong: an unknown flag, a missing argument, a bad value */
  USAGE: 2,
  /** the environment stood in the way: a port in use, a store or service that cannot be reached */
  ENVIRONMENT: 3,
  /** an unexpected internal error (a bug: please report it with the printed stack) */
  INTERNAL: 4,
} as const;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

let pipeWatched = false;

export const processIo: Io = {
  out: (t) => {
    // output piped into a reader that stopped (keel … | head) ends the command quietly, as other tools do
    if (!pipeWatched) {
      pipeWatched = true;
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        throw e;
      });
    }
    process.stdout.write(t);
  },
  err: (t) => process.stderr.write(t),
};
