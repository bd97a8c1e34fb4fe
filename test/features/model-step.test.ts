// An isolation-forest outlier flag as a pipeline step: fitted inside the pipeline, about the asked share of training
// rows flagged, planted outliers flagged, and the decoded artifact scored by the server's resolver equal to the
// in-memory pipeline bit for bit; without a resolver the step is a coded error, not a silent zero.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, isKeelError } from '../../src/core/index.ts';
import { Frame, numericFrom } from '../../src/data/index.ts';
import { decodeArtifact, encodeArtifact } from '../../src/estimator/index.ts';
import { createLearner, createUnsupervised } from '../../src/models/index.ts';
import { predictorFor } from '../../src/models/inference.ts';
import { resolveModelStep } from '../../src/serve/index.ts';
import {
  applyTransforms,
  modelFeature,
  type PipelineState,
  pipeline,
  scorePipeline,
  simpleImputer,
} from '../../src/transform/index.ts';

describe('model step: isolation-forest outlier flag', () => {
  it('flags the planted outliers, replays from the artifact bit for bit, and needs a resolver', () => {
    const rng = createRng(4);
    const n = 400;
    const a = Array.from({ length: n }, () => rng.normal());
    const b = Array.from({ length: n }, () => rng.normal());
    for (const i of [3, 50, 200]) {
      a[i] = 12 + rng.next();
      b[i] = -12 - rng.next();
    }
    const y = a.map((v, i) => v + b[i] + 0.1 * rng.normal());
    const frame = new Frame([numericFrom('a', a), numericFrom('b', b), numericFrom('y', y)]);
    const fitted = pipeline(
      [
        simpleImputer(),
        modelFeature({ learner: createUnsupervised('isolation_forest', { seed: 2 }), contamination: 0.05 }),
      ],
      createLearner('ridge'),
    ).fit(frame, 'y', { task: 'regression' });
    assert.ok(fitted.state.featureNames.includes('isolation_forest_flag'));

    const rows = frame.drop(['y']);
    const flags = applyTransforms(fitted.state.steps, rows, resolveModelStep).column(
      'isolation_forest_flag',
    ) as {
      values: Float64Array;
    };
    const flagged = flags.values.reduce((s, v) => s + v, 0);
    assert.ok(flagged >= 15 && flagged <= 25, `${flagged} of ${n} flagged at 5%`);
    for (const i of [3, 50, 200]) assert.equal(flags.values[i], 1, `planted outlier ${i} flagged`);

    const inMemory = fitted.predict(rows).values as Float64Array;
    const decoded = decodeArtifact<{ pipeline: PipelineState }>(
      encodeArtifact({ pipeline: fitted.state } as never),
    );
    const served = scorePipeline(decoded.pipeline, rows, predictorFor('ridge'), resolveModelStep)
      .values as Float64Array;
    assert.ok(
      inMemory.every((v, i) => Object.is(v, served[i])),
      'decoded artifact scores identically',
    );
    assert.throws(
      () => scorePipeline(decoded.pipeline, rows, predictorFor('ridge')),
      (e) => isKeelError(e, 'TRANSFORM_NEEDS_MODEL'),
    );
  });
});
