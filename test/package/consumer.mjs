// A plain ESM JavaScript project using Keel through its public entry points only (run by test/package.test.ts).
import { load, train } from 'keel';

const [file, out] = process.argv.slice(2);
const model = await train({ source: file, target: 'income', model: 'logistic_regression', seed: 7 });
const metrics = await model.evaluate(file);
await model.save(out);
const again = await load(out);
const row = {
  age: 39,
  workclass: 'State-gov',
  fnlwgt: 77516,
  education: 'Bachelors',
  'education-num': 13,
  'marital-status': 'Never-married',
  occupation: 'Adm-clerical',
  relationship: 'Not-in-family',
  race: 'White',
  sex: 'Male',
  'capital-gain': 2174,
  'capital-loss': 0,
  'hours-per-week': 40,
  'native-country': 'United-States',
};
const [p] = again.predict([row]);
let internal = 'reachable';
try {
  await import('keel/dist/lib/model.js');
} catch (err) {
  internal = err.code;
}
console.log(
  JSON.stringify({
    roc_auc: metrics.roc_auc,
    label: p.label,
    same: again.bytes.equals(model.bytes),
    internal,
  }),
);
