// keel/models: the model families speak one contract — fit on a matrix, predict from the fitted state.
import { createLearner, modelKinds } from 'keel/models';

const rows = 200;
const X = { data: new Float64Array(rows * 2), rows, cols: 2 };
const y = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  X.data[2 * i] = Math.sin(i);
  X.data[2 * i + 1] = Math.cos(i * 0.7);
  y[i] = X.data[2 * i] + X.data[2 * i + 1] > 0 ? 1 : 0;
}
const fitted = createLearner('gradient_boosting', { n_estimators: 50 }).fit(X, y, 'binary', 2);
const out = fitted.predict(X);
let right = 0;
for (let i = 0; i < rows; i++) right += (out.values[2 * i + 1] >= 0.5 ? 1 : 0) === y[i] ? 1 : 0;
console.log(`${modelKinds.length} families; gradient boosting fits ${right}/${rows} training rows`);
if (right < 180) throw new Error('boosting learns this boundary');
