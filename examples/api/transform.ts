// keel/transform: a pipeline of fitted steps and a learner, scored from its JSON state.
import { Frame } from 'keel/data';
import { createLearner } from 'keel/models';
import { oneHotEncoder, pipeline, simpleImputer, standardScaler } from 'keel/transform';

const n = 120;
const frame = new Frame([
  { name: 'x', type: 'numeric', values: Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? Number.NaN : i)) },
  { name: 'kind', type: 'categorical', codes: Int32Array.from({ length: n }, (_, i) => i % 3), levels: ['a', 'b', 'c'] },
  { name: 'y', type: 'numeric', values: Float64Array.from({ length: n }, (_, i) => 2 * i + (i % 3)) },
]);
const fitted = pipeline([simpleImputer(), standardScaler(), oneHotEncoder()], createLearner('ridge')).fit(frame, 'y', {
  task: 'regression',
});
console.log('features', fitted.state.featureNames.join(', '));
console.log('first predictions', Array.from(fitted.predict(frame.drop(['y'])).values ?? []).slice(0, 3).map((v) => v.toFixed(2)));
