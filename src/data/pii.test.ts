// Personal data: each detector on values of its kind and on look-alikes it must not take (dates, amounts, ids);
// profiles keep no values of a personal column; the per-column policy drops, masks or hashes (keyed) at ingest.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoricalFrom, Frame, numericFrom } from './frame.ts';
import { applyPiiPolicies, detectPii } from './pii.ts';
import { profileFrame } from './profile.ts';

const KINDS: Record<string, string[]> = {
  email: ['ana@example.com', 'bo.lee+ml@mail.example.co.uk', 'x_y@sub.domain.org'],
  phone: ['+44 20 7946 0958', '(555) 123-4567', '030-1234567'],
  // Luhn-valid test numbers
  card: ['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005'],
  iban: ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR1420041010050500013M02606'],
  ip: ['192.168.1.20', '10.0.0.1', '2001:db8::1'],
  name: ['Call Dr. Jones about the claim', 'Mrs Smith paid late', 'letter from Mr. John Carter'],
};

describe('personal data', () => {
  for (const [kind, values] of Object.entries(KINDS)) {
    it(`finds ${kind}`, () => {
      assert.equal(detectPii(values)?.kind, kind);
    });
  }

  it('does not take look-alikes for personal data', () => {
    for (const values of [
      ['2024-01-31', '2023-12-01', '31/01/2024'],
      ['1234567', '7654321', '1111111'],
      ['4111 1111 1111 1112', '5500-0000-0000-0005'],
      ['GB82 WEST 1234 5698 7654 33'],
      ['red', 'green', 'blue'],
      ['12:30:00', '08:15:10'],
      ['1.234.567', '9.876.543'],
    ])
      assert.equal(detectPii(values), null, values.join(' | '));
  });

  it('keeps no values of a personal column in its profile', () => {
    const frame = new Frame([
      categoricalFrom('email', ['ana@example.com', 'bo@example.org', 'ana@example.com', null]),
      categoricalFrom('plan', ['gold', 'free', 'gold', 'free']),
    ]);
    const [email, plan] = profileFrame(frame).columns;
    assert.equal(email.pii?.kind, 'email');
    assert.deepEqual(email.top, []);
    assert.ok(!JSON.stringify(email).includes('@'));
    assert.equal(plan.pii, undefined);
    assert.deepEqual(plan.top?.map((t) => t.value).sort(), ['free', 'gold']);
  });

  it('drops, masks or hashes (keyed, stable) as the policy says', () => {
    const frame = new Frame([
      categoricalFrom('email', ['ana@example.com', 'bo@example.org', 'ana@example.com']),
      categoricalFrom('card', ['4111 1111 1111 1111', '5500-0000-0000-0004', null]),
      categoricalFrom('ip', ['10.0.0.1', '10.0.0.2', '10.0.0.1']),
      numericFrom('amount', [1, 2, 3]),
    ]);
    const key = 'a-key-of-sixteen-chars-or-more';
    const out = applyPiiPolicies(frame, { email: 'hash', card: 'mask', ip: 'drop' }, key);
    assert.deepEqual(out.frame.names, ['email', 'card', 'amount']);
    const email = out.frame.column('email');
    assert.equal(email.type, 'categorical');
    if (email.type !== 'categorical') return;
    assert.equal(email.codes[0], email.codes[2], 'equal values hash equally');
    assert.notEqual(email.codes[0], email.codes[1]);
    assert.ok(email.levels.every((l) => /^[0-9a-f]{24}$/.test(l) && !l.includes('@')));
    const again = applyPiiPolicies(frame, { email: 'hash' }, key).frame.column('email');
    assert.deepEqual(
      again.type === 'categorical' ? again.levels : [],
      email.levels,
      'the same key, the same hashes',
    );
    const other = applyPiiPolicies(frame, { email: 'hash' }, `${key}!`).frame.column('email');
    assert.notDeepEqual(
      other.type === 'categorical' ? other.levels : [],
      email.levels,
      'another key, other hashes',
    );
    const card = out.frame.column('card');
    assert.ok(card.type === 'categorical' && card.levels.every((l) => !/\d{4}.*\d{4}/.test(l)));
    assert.ok(card.type === 'categorical' && card.codes[2] === -1, 'missing stays missing');
    assert.throws(() => applyPiiPolicies(frame, { email: 'hash' }, 'short'), /KEEL_PII_KEY/);
    assert.throws(() => applyPiiPolicies(frame, { amount: 'mask' }, key), /drop a numeric one/);
  });
});
