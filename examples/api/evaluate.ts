// keel/evaluate: metrics, curves and splits, checked against scikit-learn's definitions.
import { confusionMatrix, rocAuc, stratifiedSplit } from 'keel/evaluate';

const y = [0, 0, 1, 1, 0, 1, 1, 0];
const score = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.7, 0.3];
console.log('roc_auc', rocAuc(y, score));
const cm = confusionMatrix(
  y,
  score.map((s) => (s >= 0.5 ? 1 : 0)),
);
console.log('confusion', Array.from(cm.counts));
const split = stratifiedSplit(Float64Array.from(y), 0.25, 42);
console.log(`split: ${split.train.length} train, ${split.test.length} test`);
