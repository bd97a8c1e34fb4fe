// A TypeScript project using Keel through its public entry points only (copied into a fresh project by
// test/package.test.ts, type-checked with moduleResolution nodenext, compiled and run).
import { load, type Model, type Prediction, train } from 'keel';
import { readCsv } from 'keel/data';

const file = process.argv[2];
const out = process.argv[3];
const read = await readCsv(file);
const model: Model = await train({ source: file, target: 'income', model: 'logistic_regression', seed: 7 });
const metrics = await model.evaluate(file);
await model.save(out);
const again = await load(out);
const rows = read.frame.drop(['income']).toRecords(2);
const predictions: Prediction[] = again.predict(rows);
const first = predictions[0];
const label = 'label' in first ? first.label : null;
console.log(
  JSON.stringify({ rows: read.frame.nRows, roc_auc: metrics.roc_auc, label, n: predictions.length }),
);
