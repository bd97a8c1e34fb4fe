// A declared schema's personal-data policies applied when a source is read: the dropped column is gone, the hashed
// one holds keyed hashes (equal values equal), the masked one holds no readable value, and each is marked sensitive
// in the schema a model is trained with (so the prediction log redacts it).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { col, defineSchema } from '../data/index.ts';
import { readData } from './prepare.ts';

describe('personal data at ingest', () => {
  it('drops, hashes and masks the declared columns, and marks them sensitive', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pii-')), 'people.csv');
    fs.writeFileSync(
      file,
      'email,phone,card,amount\nana@example.com,+44 20 7946 0958,4111 1111 1111 1111,3\nbo@example.org,(555) 123-4567,5500-0000-0000-0004,4\nana@example.com,030-1234567,4111 1111 1111 1111,5\n',
    );
    const schema = defineSchema({
      email: col.category({ pii: 'hash' }),
      phone: col.category({ pii: 'drop' }),
      card: col.category({ pii: 'mask' }),
      amount: col.number(),
    });
    process.env.KEEL_PII_KEY = 'a-test-key-of-some-length';
    const data = await readData(file, { declared: schema });
    assert.deepEqual(data.frame.names, ['email', 'card', 'amount']);
    const email = data.frame.column('email');
    assert.ok(email.type === 'categorical');
    if (email.type !== 'categorical') return;
    assert.equal(email.codes[0], email.codes[2]);
    assert.ok(email.levels.every((l) => /^[0-9a-f]{24}$/.test(l)));
    const card = data.frame.column('card');
    assert.ok(card.type === 'categorical' && card.levels.every((l) => !/\d{4}[\s-]\d{4}/.test(l)));
    const bySchema = Object.fromEntries(data.schema.columns.map((c) => [c.name, c]));
    assert.equal(bySchema.email.sensitive, true);
    assert.equal(bySchema.email.pii, 'hash');
    assert.equal(bySchema.card.sensitive, true);
    assert.equal(bySchema.amount.sensitive, undefined);
    assert.ok(!JSON.stringify(data.frame.columns).includes('ana@example.com'));
  });
});
