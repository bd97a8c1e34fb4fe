// The value layer's rules: markers, trimming, numbers, booleans, date-times and their zone, typed requests.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import { DataErrors, parseDateText, RecordFramer, readingRules, ValueReader } from './index.ts';

describe('value layer', () => {
  it('reads a date-time without a zone in the rules zone, whatever the process TZ', () => {
    const utc = Date.UTC(2024, 0, 1, 10);
    assert.equal(parseDateText('2024-01-01T10:00:00'), utc);
    assert.equal(parseDateText('2024-01-01T10:00:00', 'America/New_York'), utc + 5 * 3_600_000);
    // summer time: four hours
    assert.equal(
      parseDateText('2024-07-01 10:00', 'America/New_York'),
      Date.UTC(2024, 6, 1, 10) + 4 * 3_600_000,
    );
    // a zone or an offset in the text wins over the rules
    assert.equal(parseDateText('2024-01-01T10:00:00Z', 'America/New_York'), utc);
    assert.equal(parseDateText('2024-01-01T10:00:00+01:30', 'America/New_York'), utc - 90 * 60_000);
    assert.equal(parseDateText('1/2/2024', 'Europe/Oslo'), Date.UTC(2024, 0, 2) - 3_600_000);
    assert.equal(parseDateText('2024-02-31'), undefined);
    assert.equal(parseDateText('next tuesday'), undefined);
  });

  it('refuses an unknown zone with a coded error', () => {
    assert.throws(
      () => readingRules({ zone: 'Mars/Olympus' }),
      (e) => isKeelError(e, DataErrors.SOURCE_CONFIG) && /Mars\/Olympus/.test(e.message),
    );
  });

  it('reads field text: markers (trimmed) are missing, categories are trimmed, booleans in any case', () => {
    const r = new ValueReader({ missing: ['?', 'NA', ''] });
    assert.equal(r.text('categorical', ' ? '), null);
    assert.equal(r.text('numeric', 'NA'), null);
    assert.equal(r.text('categorical', '  Private '), 'Private');
    assert.equal(r.text('numeric', ' 1.5e3 '), 1500);
    assert.equal(r.text('numeric', '0x10'), undefined);
    assert.equal(r.text('boolean', 'TRUE'), 1);
    assert.equal(r.text('boolean', 'yes'), undefined);
    // a marker the rules do not name is a value
    assert.equal(r.text('categorical', 'null'), 'null');
  });

  it('typed requests: markers mean missing in any field, other text only where text is the type', () => {
    const r = new ValueReader();
    assert.equal(r.requestValue('categorical', ' ?'), null);
    assert.equal(r.requestValue('numeric', 'NA'), null);
    assert.equal(r.requestValue('numeric', '12'), undefined);
    assert.equal(r.requestValue('numeric', 12), 12);
    assert.equal(r.requestValue('numeric', Number.POSITIVE_INFINITY), undefined);
    assert.equal(r.requestValue('boolean', 1), undefined);
    assert.equal(r.requestValue('boolean', false), 0);
    assert.equal(r.requestValue('categorical', 5), undefined);
    assert.equal(r.requestValue('datetime', '2024-01-01'), Date.UTC(2024, 0, 1));
    assert.equal(r.requestValue('datetime', 1_700_000_000_000), 1_700_000_000_000);
  });

  it('record sources read with the same rules (markers and zone)', () => {
    const framer = new RecordFramer(
      'test',
      undefined,
      { when: 'datetime' },
      { missing: ['-'], zone: 'Asia/Tokyo' },
    );
    framer.push({ when: '2024-01-01 09:00', city: ' - ' }, 1);
    framer.push({ when: '-', city: 'Oslo' }, 2);
    const b = framer.flush();
    assert.equal(b.quarantine.length, 0);
    const when = b.frame.column('when');
    const city = b.frame.column('city');
    assert.ok(when.type === 'datetime' && city.type === 'categorical');
    if (when.type !== 'datetime' || city.type !== 'categorical') return;
    assert.equal(when.values[0], Date.UTC(2024, 0, 1, 0));
    assert.ok(Number.isNaN(when.values[1]));
    assert.equal(city.codes[0], -1);
    assert.equal(city.levels[city.codes[1]], 'Oslo');
  });
});
