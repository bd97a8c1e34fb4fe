// The command line kept in a run's lineage carries no secret: flag values, URL passwords (also with "@") and
// secret query parameters are replaced.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactArgs } from './lineage.ts';

describe('lineage.command', () => {
  it('replaces every secret on the command line', () => {
    const argv = [
      'bin/keel.mjs',
      'train',
      'postgres://keel:p@ssSECRET1@db/prod?password=SECRET2&sslmode=require',
      '--table',
      'churn',
      '--api-token',
      'SECRET3',
      '--db-password=SECRET4',
      '--http-header',
      'Authorization: Bearer env:TOKEN',
    ];
    const kept = redactArgs(argv).join(' ');
    assert.doesNotMatch(kept, /SECRET/);
    assert.match(kept, /postgres:\/\/keel:\*\*\*@db\/prod\?password=\*\*\*&sslmode=require/);
    assert.match(kept, /--table churn/);
  });
});
