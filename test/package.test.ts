// The package as a user gets it: `npm pack`, installed from the tarball into a fresh project outside the repo, then a
// TypeScript file (type-checked with moduleResolution nodenext, compiled, run) and a plain ESM file that train,
// evaluate, save, load and predict through the public entry points only; the bin works without tsx or esbuild.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ADULT = path.join(ROOT, 'examples/adult/adult.csv');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

describe('the npm package', () => {
  let dir = '';
  let installLog = '';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-consumer-'));
    // dist/ is current: the test runner rebuilds it where the sources are newer
    const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    assert.equal(pack.code, 0, pack.err);
    const tarball = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const types = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies[
      '@types/node'
    ];
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { keel: `file:./${tarball}` },
        devDependencies: { '@types/node': types },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          skipLibCheck: false,
        },
        include: ['consumer.ts'],
      }),
    );
    fs.copyFileSync(path.join(ROOT, 'test/package/consumer.ts'), path.join(dir, 'consumer.ts'));
    fs.copyFileSync(path.join(ROOT, 'test/package/consumer.mjs'), path.join(dir, 'consumer.mjs'));
    // packages come from npm's cache; install scripts are skipped and better-sqlite3's native addon, the one
    // dependency that compiles, is the build of the same version this checkout compiled (saves a minute of g++)
    const install = run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      dir,
    );
    installLog = install.out + install.err;
    assert.equal(install.code, 0, installLog);
    const ours = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8'),
    );
    const theirs = JSON.parse(
      fs.readFileSync(path.join(dir, 'node_modules/better-sqlite3/package.json'), 'utf8'),
    );
    assert.equal(theirs.version, ours.version, 'the same better-sqlite3 as this checkout');
    fs.cpSync(
      path.join(ROOT, 'node_modules/better-sqlite3/build'),
      path.join(dir, 'node_modules/better-sqlite3/build'),
      {
        recursive: true,
      },
    );
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('installs compiled code only: no TypeScript loader or bundler among its dependencies', () => {
    assert.ok(fs.existsSync(path.join(dir, 'node_modules/keel/dist/lib/index.js')));
    assert.ok(fs.existsSync(path.join(dir, 'node_modules/keel/dist/lib/index.d.ts')));
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/keel/src')), 'sources are not shipped');
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/tsx')), 'tsx is not installed with keel');
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules/esbuild')), 'esbuild is not installed with keel');
    assert.doesNotMatch(installLog, /Unknown (project|env) config|npm warn deprecated/);
  });

  it('the bin runs the compiled CLI', () => {
    const v = run(path.join(dir, 'node_modules/.bin/keel'), ['--version'], dir);
    assert.equal(v.code, 0, v.err);
    assert.match(v.out, /^\d+\.\d+\.\d+/);
    const help = run(path.join(dir, 'node_modules/.bin/keel'), ['help', 'train'], dir);
    assert.match(help.out, /^keel train <source>/);
  });

  it('worker threads run from the installed package: forest and boosting threads, tuning workers', () => {
    const keel = path.join(dir, 'node_modules/.bin/keel');
    const penguins = path.join(ROOT, 'examples/penguins/penguins_raw.csv');
    const home = path.join(dir, 'home');
    const train = run(
      keel,
      [
        'train',
        penguins,
        '--target',
        'Species',
        '--model',
        'random_forest,gradient_boosting',
        '--json',
        '--quiet',
        '--home',
        home,
      ],
      dir,
    );
    assert.equal(train.code, 0, train.err);
    assert.equal(JSON.parse(train.out).models.length, 2);
    const tune = run(
      keel,
      [
        'tune',
        penguins,
        '--target',
        'Species',
        '--model',
        'logistic_regression',
        '--trials',
        '4',
        '--workers',
        '2',
        '--json',
        '--quiet',
        '--home',
        home,
      ],
      dir,
    );
    assert.equal(tune.code, 0, tune.err);
    assert.equal(JSON.parse(tune.out).trials.total, 4);
  });

  it('a TypeScript file type-checks (nodenext), compiles and trains, evaluates, saves, loads, predicts', () => {
    const check = run(process.execPath, [TSC, '-p', '.'], dir);
    assert.equal(check.code, 0, check.out + check.err);
    const r = run(process.execPath, ['out/consumer.js', ADULT, path.join(dir, 'ts.keel')], dir);
    assert.equal(r.code, 0, r.err);
    const got = JSON.parse(r.out.trim().split('\n').at(-1) as string);
    assert.equal(got.rows, 32561);
    assert.ok(got.roc_auc > 0.85 && got.roc_auc <= 1, `roc_auc ${got.roc_auc}`);
    assert.ok(['<=50K', '>50K'].includes(got.label));
    assert.equal(got.n, 2);
  });

  it('a type error in a consumer is caught by the declarations', () => {
    fs.writeFileSync(
      path.join(dir, 'bad.ts'),
      "import { train } from 'keel';\nawait train({ source: 'x.csv', target: 1 });\n",
    );
    const check = run(
      process.execPath,
      [TSC, '--noEmit', '--module', 'nodenext', '--target', 'es2022', 'bad.ts'],
      dir,
    );
    assert.notEqual(check.code, 0);
    assert.match(check.out, /bad\.ts.*TS2322/);
  });

  it('a plain ESM file trains, evaluates, saves, loads and predicts; internals stay unreachable', () => {
    const r = run(process.execPath, ['consumer.mjs', ADULT, path.join(dir, 'js.keel')], dir);
    assert.equal(r.code, 0, r.err);
    const got = JSON.parse(r.out.trim().split('\n').at(-1) as string);
    assert.ok(got.roc_auc > 0.85, `roc_auc ${got.roc_auc}`);
    assert.ok(['<=50K', '>50K'].includes(got.label));
    assert.equal(got.same, true);
    assert.equal(got.internal, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
