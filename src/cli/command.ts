// What a keel command is: its help, the flags it parses (the help names each one; a test checks both ways), its run.

import type { FlagSpec } from './args.ts';
import type { Io } from './context.ts';

export interface CommandSpec {
  help: string;
  flags: Record<string, FlagSpec>;
  run: (argv: string[], io: Io) => Promise<number>;
}
