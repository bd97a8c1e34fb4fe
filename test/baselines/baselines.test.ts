// Held-out quality of the boosted model with default params on every shared dataset with a clear target, next to a
// stored XGBoost baseline on the very same prepared matrices (test/fixtures/xgboost-baselines.json, made by
// scripts/fixtures/baselines-export.ts + make_baselines_fixture.py): ROC-AUC within 0.01, RMSE within 3 %. Where a
// dataset has categorical columns, Keel's one-hot encoding is also held to XGBoost's native categorical splits on the
// raw columns, by the same margins: the encoding must match native quality.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { classificationMetrics, regressionMetrics } from '../../src/evaluate/index.ts';
import { gradientBoosting } from '../../src/models/index.ts';
import { DATASETS, prepare } from './prepare.ts';

const baselines = JSON.parse(
  fs.readFileSync(new URL('../fixtures/xgboost-baselines.json', import.meta.url), 'utf8'),
) as {
  datasets: Record<string, { metric: string; value: number; native_categorical?: number }>;
};

describe('boosting defaults against XGBoost baselines', () => {
  for (const d of DATASETS) {
    it(`${d.name}`, async () => {
      const p = await prepare(d);
      const m = gradientBoosting().fit(p.train, p.yTrain, p.task, p.classes);
      const out = m.predict(p.test);
      const ref = baselines.datasets[d.name];
      if (p.rawTrain.columns.some((c) => c.type === 'categorical')) {
        assert.ok(
          ref.native_categorical !== undefined,
          `${d.name}: a native-categorical baseline in the fixture`,
        );
      }
      const rmse = ref.metric === 'rmse';
      const keel = rmse
        ? regressionMetrics(p.yTest, out.values).rmse
        : classificationMetrics(p.yTest, out.values, p.classes).roc_auc;
      for (const [peer, value] of [
        ['XGBoost', ref.value],
        ['XGBoost native categorical', ref.native_categorical],
      ] as const) {
        if (value === undefined) continue;
        // RMSE within 3 % above the peer's; ROC-AUC at most 0.01 below
        const ok = rmse ? keel <= value * 1.03 : keel >= value - 0.01;
        const name = rmse ? 'RMSE' : 'ROC-AUC';
        assert.ok(ok, `${d.name}: keel ${name} ${keel.toFixed(4)} vs ${peer} ${value.toFixed(4)}`);
      }
    });
  }
});
