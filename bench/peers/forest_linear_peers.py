#!/usr/bin/python3
"""Peers of bench/forest.ts: scikit-learn RandomForestClassifier (n_jobs=2) and LogisticRegression (lbfgs).
usage: forest_linear_peers.py <dir> <features> <forest_train_rows> <linear_train_rows>
prints one JSON line per peer"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

d, p, nf, nl = sys.argv[1], *map(int, sys.argv[2:])
X = np.fromfile(f"{d}/X.f64").reshape(-1, p)
y = np.fromfile(f"{d}/y.f64").astype(int)
test = slice(len(y) - 50_000, len(y))

rf = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0)
t = time.perf_counter()
rf.fit(X[:nf], y[:nf])
fit = time.perf_counter() - t
print(json.dumps({"name": "scikit-learn RandomForest (n_jobs=2)", "fit_s": fit, "accuracy": accuracy_score(y[test], rf.predict(X[test]))}), flush=True)

Xl = X[:nl]
mu, sd = Xl.mean(axis=0), Xl.std(axis=0)
lr = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000, tol=1e-8)
t = time.perf_counter()
lr.fit((Xl - mu) / sd, y[:nl])
fit = time.perf_counter() - t
print(json.dumps({"name": "scikit-learn LogisticRegression (lbfgs)", "fit_s": fit, "coef": lr.coef_.ravel().tolist(), "intercept": float(lr.intercept_[0])}), flush=True)
