// The model registry: versions count up per name, aliases move atomically with a history, references resolve.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SqliteRunStore } from '../track/index.ts';
import { ModelRegistry, parseModelRef } from './index.ts';

function setup() {
  const store = new SqliteRunStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-reg-')) });
  const registry = new ModelRegistry(store);
  const run = (bytes: string) => {
    const id = store.startRun({ experiment: 'e', name: 'm' });
    store.logArtifact(id, 'model.keel', Buffer.from(bytes));
    store.endRun(id, 'finished');
    return id;
  };
  return { store, registry, run };
}

describe('ModelRegistry', () => {
  it('registers versions 1, 2, … and resolves name, name@version and name@alias', () => {
    const { store, registry, run } = setup();
    const v1 = registry.register({
      name: 'churn',
      runId: run('one'),
      artifact: 'model.keel',
      task: 'binary',
    });
    const v2 = registry.register({ name: 'churn', runId: run('two'), artifact: 'model.keel' });
    assert.equal(v1.version, 1);
    assert.equal(v2.version, 2);
    registry.setAlias('churn', 'champion', 1, { reason: 'first', actor: 'ana' });
    assert.equal(registry.resolve('churn@champion').version, 1);
    assert.equal(registry.resolve('churn').version, 2);
    assert.equal(registry.resolve('churn@2').version, 2);
    assert.equal(registry.readArtifact(registry.resolve('churn@champion')).toString(), 'one');
    const moved = registry.setAlias('churn', 'champion', 2, { reason: 'better auc', actor: 'bo' });
    assert.equal(moved.fromVersion, 1);
    assert.equal(registry.resolve('churn@champion').version, 2);
    assert.deepEqual(registry.get('churn', 2).aliases, ['champion']);
    assert.deepEqual(
      registry.aliasHistory('churn').map((e) => [e.fromVersion, e.toVersion, e.actor, e.reason]),
      [
        [null, 1, 'ana', 'first'],
        [1, 2, 'bo', 'better auc'],
      ],
    );
    store.close();
  });

  it('refuses bad names, unknown aliases and versions, and runs without the artifact', () => {
    const { store, registry, run } = setup();
    const id = run('x');
    assert.throws(() => registry.register({ name: '9bad', runId: id, artifact: 'model.keel' }), {
      code: 'REGISTRY_BAD_NAME',
    });
    assert.throws(() => registry.register({ name: 'ok', runId: id, artifact: 'other' }), {
      code: 'REGISTRY_NO_ARTIFACT',
    });
    registry.register({ name: 'ok', runId: id, artifact: 'model.keel' });
    assert.throws(() => registry.resolve('ok@champion'), { code: 'REGISTRY_NOT_FOUND' });
    assert.throws(() => registry.resolve('ok@7'), { code: 'REGISTRY_NOT_FOUND' });
    assert.throws(() => registry.resolve('nobody'), { code: 'REGISTRY_NOT_FOUND' });
    assert.throws(() => registry.setAlias('ok', 'champion', 5, { reason: 'x' }), {
      code: 'REGISTRY_NOT_FOUND',
    });
    assert.throws(() => parseModelRef('a@b@c'), { code: 'REGISTRY_BAD_REF' });
    assert.deepEqual(parseModelRef('adult@champion'), { name: 'adult', alias: 'champion' });
    store.close();
  });
});
