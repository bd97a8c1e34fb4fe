// keel codegen through the real CLI: train on penguins (spaces and parentheses in column names, missing values),
// generate the client, type-check correct calls and wrong ones (each wrong call must be a compile error: it carries a
// ts-expect-error directive under tsc --strict), then call the served model through the generated client.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exited, keel, keelUntil, ROOT } from './helpers.ts';

const PENGUINS = path.resolve(ROOT, '../shared/datasets/penguins_raw.csv');

describe('keel codegen', () => {
  it('emits a typed client that compiles, rejects wrong calls at compile time, and predicts through keel serve', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-codegen-'));
    const home = path.join(dir, 'home');
    try {
      const csv = path.join(dir, 'penguins.csv');
      fs.copyFileSync(PENGUINS, csv);
      const train = await keel([
        'train',
        csv,
        '--target',
        'Species',
        '--model',
        'logistic',
        '--home',
        home,
        '--json',
      ]);
      assert.equal(train.code, 0, train.stderr);
      const client = path.join(dir, 'client.ts');
      const gen = await keel(['codegen', 'penguins@champion', '--out', client, '--home', home]);
      assert.equal(gen.code, 0, gen.stderr);
      const code = fs.readFileSync(client, 'utf8');
      assert.match(code, /export interface PenguinsInput/);
      assert.match(code, /"Culmen Length \(mm\)": number \| null;/);

      fs.writeFileSync(
        path.join(dir, 'usage.ts'),
        `import { PenguinsClient, type PenguinsInput, type PenguinsLabel } from './client.ts';
const client = new PenguinsClient('http://127.0.0.1:1');
declare const row: PenguinsInput;
export const ok = client.predict({ ...row, 'Culmen Length (mm)': 39.1, Island: 'Torgersen', Sex: null });
export const label: Promise<PenguinsLabel> = ok.then((p) => p.label);
// @ts-expect-error a number field given a string
export const wrongType = client.predict({ ...row, 'Culmen Length (mm)': 'long' });
// @ts-expect-error a field that is not in the schema
export const unknownField = client.predict({ ...row, colour: 'blue' });
// @ts-expect-error a required field left out
export const missing = client.predict({ Island: 'Dream' });
// @ts-expect-error the label is one of the trained classes
export const badLabel: PenguinsLabel = 'Emperor penguin';
`,
      );
      const tsc = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/typescript/bin/tsc'),
          '--noEmit',
          '--strict',
          '--target',
          'es2022',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--allowImportingTsExtensions',
          '--skipLibCheck',
          '--types',
          'node',
          '--typeRoots',
          path.join(ROOT, 'node_modules/@types'),
          path.join(dir, 'usage.ts'),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);

      const { child, match } = await keelUntil(
        ['serve', 'penguins@champion', '--port', '0', '--home', home],
        /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      try {
        const mod = await import(client);
        const c = new mod.PenguinsClient(match[1]);
        const header = fs.readFileSync(PENGUINS, 'utf8').split('\n')[0];
        assert.ok(header.includes('Culmen Length (mm)'));
        const instance = {
          studyName: 'PAL0708',
          'Sample Number': 1,
          Region: 'Anvers',
          Island: 'Torgersen',
          Stage: 'Adult, 1 Egg Stage',
          'Individual ID': 'N1A1',
          'Clutch Completion': 'Yes',
          'Date Egg': '2007-11-11',
          'Culmen Length (mm)': 39.1,
          'Culmen Depth (mm)': 18.7,
          'Flipper Length (mm)': 181,
          'Body Mass (g)': 3750,
          Sex: 'MALE',
          'Delta 15 N (o/oo)': null,
          'Delta 13 C (o/oo)': null,
          Comments: null,
        };
        const schema = (await (await fetch(`${match[1]}/v1/models/penguins/schema`)).json()) as {
          properties: Record<string, unknown>;
        };
        const fields = Object.keys(schema.properties);
        const body = Object.fromEntries(
          fields.map((f) => [f, f in instance ? instance[f as keyof typeof instance] : null]),
        );
        const p = await c.predict(body);
        assert.equal(p.label, 'Adelie Penguin (Pygoscelis adeliae)');
        assert.ok(
          Math.abs(Object.values(p.probabilities as Record<string, number>).reduce((a, b) => a + b, 0) - 1) <
            1e-9,
        );
        await assert.rejects(
          c.predict({ ...body, 'Culmen Length (mm)': 'long' }),
          (e: Error & { status: number }) => {
            assert.equal(e.status, 400);
            return /SERVE_/.test(e.message);
          },
        );
      } finally {
        child.kill('SIGTERM');
        await exited(child);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
