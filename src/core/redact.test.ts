// Secrets out of URLs wherever they are kept or shown: whole passwords (also with "@" in them) and secret query values.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  it('hides a password holding "@" whole, and the query secrets, keeping what is not secret', () => {
    const cases: [string, string][] = [
      ['postgres://keel:p@ssSECRET2@db.example:5432/prod', 'postgres://keel:***@db.example:5432/prod'],
      [
        'postgres://keel@db/prod?password=SECRET3&sslmode=require',
        'postgres://keel@db/prod?password=***&sslmode=require',
      ],
      [
        'https://api.example/v1/items?page=2&api_key=SECRET4',
        'https://api.example/v1/items?page=2&api_key=***',
      ],
      [
        'keel train postgres://u:SECRET5@h/db --query "SELECT 1"',
        'keel train postgres://u:***@h/db --query "SELECT 1"',
      ],
      ['sqlite:data.db', 'sqlite:data.db'],
      ['https://user@host/path', 'https://user@host/path'],
    ];
    for (const [input, want] of cases) assert.equal(redactSecrets(input), want, input);
    for (const [input] of cases) assert.doesNotMatch(redactSecrets(input), /SECRET/);
  });
});
