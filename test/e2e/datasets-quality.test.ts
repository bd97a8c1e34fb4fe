// Every shared dataset reads, profiles and checks cleanly with an inferred schema, its quirks handled: Adult's ", "
// separator and " ?" markers, ELEC2's missing final newline, Birdstrikes' CRLF (and no final newline), "None" kept
// as a real category. Row counts are the ones published in ../shared/datasets/README.md.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileSource, runDataJob } from '../../src/data/index.ts';

const DIR = path.resolve(import.meta.dirname, '../../../shared/datasets');
const DATASETS: [file: string, rows: number, cols: number, target: string][] = [
  ['adult.csv', 32561, 15, 'income'],
  ['ozone_onehr.csv', 2536, 74, 'class'],
  ['california_housing.csv', 20640, 10, 'median_house_value'],
  ['iris.csv', 150, 5, 'target'],
  ['penguins_raw.csv', 344, 17, 'Species'],
  ['elec2.csv', 45312, 9, 'class'],
  ['birdstrikes.csv', 10000, 14, 'Effect Amount of damage'],
];

describe('the shared datasets profile and check cleanly', () => {
  for (const [file, rows, cols, target] of DATASETS) {
    it(file, async () => {
      const report = await runDataJob(fileSource(path.join(DIR, file)), { target });
      assert.equal(report.passed, true, report.failures.join('; '));
      assert.deepEqual(report.rows, { read: rows, accepted: rows, quarantined: 0 });
      assert.deepEqual(report.quarantine, []);
      assert.equal(report.profile?.columns.length, cols);
      assert.equal(report.schema.columns.length, cols);
      const t = report.profile?.columns.find((c) => c.name === target);
      assert.ok(t, `target ${target} profiled`);
      const others = report.profile?.columns.filter((c) => c.name !== target) ?? [];
      assert.ok(others.every((c) => c.target !== undefined && Number.isFinite(c.target.value)));
    });
  }

  it('keeps the quirks apart from the data', async () => {
    const adult = await runDataJob(fileSource(path.join(DIR, 'adult.csv')), { target: 'income' });
    const byName = new Map(adult.profile?.columns.map((c) => [c.name, c]));
    assert.equal(byName.get('workclass')?.missing, 1836);
    assert.equal(byName.get('native-country')?.missing, 583);
    assert.deepEqual(
      byName
        .get('income')
        ?.top?.map((t) => t.value)
        .sort(),
      ['<=50K', '>50K'],
    );
    assert.equal(byName.get('age')?.type, 'numeric');
    assert.equal(adult.profile?.duplicateRows, 24); // the README's 24 exact duplicate rows

    const birds = await runDataJob(fileSource(path.join(DIR, 'birdstrikes.csv')), {
      target: 'Effect Amount of damage',
    });
    const effect = birds.profile?.columns.find((c) => c.name === 'Effect Amount of damage');
    assert.equal(effect?.missing, 0);
    assert.equal(effect?.top?.[0].value, 'None');
    assert.equal(effect?.top?.[0].count, 8939);
    assert.equal(birds.profile?.columns.find((c) => c.name === 'Speed IAS in knots')?.missing, 2836);
    assert.equal(birds.profile?.columns.find((c) => c.name === 'Flight Date')?.type, 'datetime');

    const ozone = await runDataJob(fileSource(path.join(DIR, 'ozone_onehr.csv')), { target: 'class' });
    assert.equal(ozone.profile?.columns.find((c) => c.name === 'Date')?.type, 'datetime');
  });
});
