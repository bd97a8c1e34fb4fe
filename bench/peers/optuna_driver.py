#!/usr/bin/python3
"""Optuna's sampler driven over stdin/stdout, so it tunes exactly the objective Keel evaluates (in Node).

Reads one JSON line {"sampler": "tpe"|"random", "seed": s, "n_trials": n, "space": [...]}; then for each trial
prints {"params": {...}} and reads back {"value": v}. Needs Debian's python3-optuna (bench/setup.sh).
"""
import json
import sys

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)


def distribution(p):
    if p["type"] == "float":
        return FloatDistribution(p["low"], p["high"], log=p.get("log", False), step=p.get("step"))
    if p["type"] == "int":
        return IntDistribution(p["low"], p["high"], log=p.get("log", False), step=p.get("step", 1))
    return CategoricalDistribution(p["choices"])


def main():
    cfg = json.loads(sys.stdin.readline())
    if cfg["sampler"] == "tpe":
        sampler = optuna.samplers.TPESampler(seed=cfg["seed"])
    else:
        sampler = optuna.samplers.RandomSampler(seed=cfg["seed"])
    study = optuna.create_study(direction="minimize", sampler=sampler)
    dists = {p["name"]: distribution(p) for p in cfg["space"]}
    for _ in range(cfg["n_trials"]):
        trial = study.ask(fixed_distributions=dists)
        print(json.dumps({"params": trial.params}), flush=True)
        reply = json.loads(sys.stdin.readline())
        study.tell(trial, reply["value"])
    print(json.dumps({"done": True, "optuna_version": optuna.__version__}), flush=True)


if __name__ == "__main__":
    main()
