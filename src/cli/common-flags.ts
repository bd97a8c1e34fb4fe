// The flags many commands share, declared once: where the Keel home is, and how results and progress are printed.

import type { FlagSpec } from './args.ts';

export const HOME_FLAGS: Record<string, FlagSpec> = {
  home: { type: 'string', arg: 'DIR', help: 'the Keel home (default $KEEL_HOME or ./.keel)' },
  store: {
    type: 'string',
    arg: 'URL',
    help: 'keep runs and the registry in PostgreSQL (postgres://…; default $KEEL_STORE, else SQLite in the home)',
  },
};

export const JSON_FLAG: Record<string, FlagSpec> = {
  json: {
    type: 'boolean',
    help: 'print one JSON document on stdout instead of prose (progress stays on stderr)',
  },
};

export const QUIET_FLAG: Record<string, FlagSpec> = {
  quiet: { type: 'boolean', help: 'no progress lines on stderr' },
};
