// The cli room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const CLI_CATALOG = {
  USAGE: {
    code: 'CLI_USAGE',
    status: 400,
    meaning: 'a command line that does not parse: unknown flag, missing argument, bad value',
  },
  BAD_ARTIFACT: {
    code: 'CLI_BAD_ARTIFACT',
    status: 422,
    meaning: 'a registered artifact that is not a Keel model',
  },
} as const satisfies Record<string, ErrorEntry>;

export const CliErrors = codesOf(CLI_CATALOG);
