#!/usr/bin/env bash
# Installs the benchmark peers from Debian's packages (XGBoost, scikit-learn, pandas, Optuna, SciPy). Run as root before the benches.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3-xgboost python3-sklearn python3-numpy python3-pandas python3-optuna python3-scipy
