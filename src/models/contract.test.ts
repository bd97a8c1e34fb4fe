// Every supervised model family runs the one estimator contract suite.

import { estimatorContract } from '../estimator/contract-suite.ts';
import { createLearner, modelKinds, predictorFor } from './index.ts';

const quick: Record<string, Record<string, unknown>> = {
  gradient_boosting: { n_estimators: 10, min_samples_leaf: 5 },
  random_forest: { n_estimators: 8 },
  extra_trees: { n_estimators: 8 },
  mlp: { max_epochs: 5, hidden_layers: '8' },
};

for (const kind of modelKinds) {
  estimatorContract({
    kind,
    make: (p) => createLearner(kind, p),
    predictor: predictorFor(kind),
    quick: quick[kind],
    codes: kind === 'categorical_nb',
  });
}
