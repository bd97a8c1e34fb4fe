// Quarantine codes when problems meet: an unclosed quote whose look-ahead crosses a NUL byte on a later line is an
// unclosed quote (that row) and a NUL byte (the later row), each row counted once under its own kind.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCsv } from '../csv.ts';

describe('delimited quarantine codes', () => {
  it('an unclosed quote followed by a NUL byte within the look-ahead is DATA_UNCLOSED_QUOTE', async () => {
    const rows = ['a,b'];
    for (let i = 0; i < 30; i++) rows.push(`${i},x${i}`);
    rows.push('99,"unclosed');
    rows.push('100,y\0z');
    for (let i = 0; i < 30; i++) rows.push(`${200 + i},w${i}`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-codes-')), 'x.csv');
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    const r = await readCsv(file);
    assert.deepEqual(r.counts, { read: 62, accepted: 60, quarantined: 2 });
    assert.deepEqual(
      r.quarantine.map((q) => [q.line, q.code]),
      [
        [32, 'DATA_UNCLOSED_QUOTE'],
        [33, 'DATA_NUL_BYTE'],
      ],
    );
  });
});
