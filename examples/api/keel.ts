// keel: train a model on any source in one call, measure it, save it, load it back and predict.
import os from 'node:os';
import path from 'node:path';
import { load, train } from 'keel';

const model = await train({ source: 'examples/penguins/penguins_raw.csv', target: 'Species', model: 'logistic_regression' });
console.log(model.task, model.kind, `held-out roc_auc ${model.metrics.roc_auc.toFixed(3)}`);
const file = path.join(os.tmpdir(), `penguins-${process.pid}.keel`);
await model.save(file);
const again = await load(file);
const [first] = again.predict([
  {
    studyName: 'PAL0708', 'Sample Number': 1, Region: 'Anvers', Island: 'Biscoe', Stage: 'Adult, 1 Egg Stage',
    'Individual ID': 'N1A1', 'Clutch Completion': 'Yes', 'Date Egg': '2007-11-11', 'Culmen Length (mm)': 46.1,
    'Culmen Depth (mm)': 13.2, 'Flipper Length (mm)': 211, 'Body Mass (g)': 4500, Sex: 'FEMALE',
    'Delta 15 N (o/oo)': 7.99, 'Delta 13 C (o/oo)': -25.5, Comments: null,
  },
]);
if (!('label' in first)) throw new Error('a classifier answers with a label');
console.log('predicted', first.label);
