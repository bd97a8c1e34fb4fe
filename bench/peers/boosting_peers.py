#!/usr/bin/python3
"""Peers of bench/boosting.ts: XGBoost (hist, 2 threads) and scikit-learn HistGradientBoosting on the same data files.
usage: boosting_peers.py <dir> <rows> <features> <train_rows> <rounds> <leaves> [xgb31|xgbd6|hgb ...]
prints one JSON line per peer run (all three when none is named): name, fit_s, predict_s, roc_auc, peak_rss_mb
"""
import json
import sys
import time

import numpy as np
from peak import peak_rss_mb

d, n, p, ntr, rounds, leaves = sys.argv[1], *map(int, sys.argv[2:7])
which = sys.argv[7:] or ["xgb31", "xgbd6", "hgb"]
X = np.fromfile(f"{d}/X.f32", dtype=np.float32).reshape(n, p)
y = np.fromfile(f"{d}/y.u8", dtype=np.uint8)
Xtr, ytr, Xte, yte = X[:ntr], y[:ntr], X[ntr:], y[ntr:]

from sklearn.metrics import roc_auc_score  # noqa: E402


def peak():
    return peak_rss_mb()


def report(name, fit_s, pred_s, proba, warm_s, peak_mb):
    print(json.dumps({"name": name, "fit_s": fit_s, "predict_s": pred_s, "predict_warm_s": warm_s, "roc_auc": roc_auc_score(yte, proba), "peak_rss_mb": peak_mb}), flush=True)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


import xgboost as xgb  # noqa: E402

xgb_runs = [
    ("xgb31", "xgboost hist, 31 leaves", {"grow_policy": "lossguide", "max_leaves": leaves, "max_depth": 0}),
    ("xgbd6", "xgboost hist, depth 6", {"max_depth": 6}),
]
for key, label, extra in xgb_runs:
    if key not in which:
        continue
    params = {"tree_method": "hist", "nthread": 2, "eta": 0.1, "objective": "binary:logistic", "max_bin": 255, **extra}
    dtr = xgb.DMatrix(Xtr, label=ytr, nthread=2)
    t = time.perf_counter()
    booster = xgb.train(params, dtr, num_boost_round=rounds)
    fit_s = time.perf_counter() - t
    dte = xgb.DMatrix(Xte, nthread=2)
    proba, pred_s = timed(lambda: booster.predict(dte))
    # the peak of training and one prediction, read before the second call and the scoring (as boosting-keel.ts does)
    peak_mb = peak()
    # a fresh DMatrix: XGBoost caches the predictions of a DMatrix it has seen (the second call would take ~2 ms)
    dte_again = xgb.DMatrix(Xte, nthread=2)
    _, warm_s = timed(lambda: booster.predict(dte_again))
    report(label, fit_s, pred_s, proba, warm_s, peak_mb)

if "hgb" not in which:
    sys.exit(0)

from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402

m = HistGradientBoostingClassifier(max_iter=rounds, learning_rate=0.1, max_leaf_nodes=leaves, early_stopping=False, max_bins=255)
t = time.perf_counter()
m.fit(Xtr, ytr)
fit_s = time.perf_counter() - t
proba, pred_s = timed(lambda: m.predict_proba(Xte)[:, 1])
peak_mb = peak()
_, warm_s = timed(lambda: m.predict_proba(Xte)[:, 1])
report("scikit-learn HistGradientBoosting, 31 leaves", fit_s, pred_s, proba, warm_s, peak_mb)
