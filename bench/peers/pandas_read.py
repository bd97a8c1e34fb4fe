#!/usr/bin/python3
"""Peer of bench/data.ts: pandas.read_csv (and read_parquet when pyarrow is there) of the same file.
usage: pandas_read.py <file.csv> <repeats>
prints one JSON line: name, seconds (each repeat), peak_rss_mb
"""
import json
import sys
import time

import pandas as pd
from peak import peak_rss_mb

path, repeats = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(repeats):
    t = time.perf_counter()
    df = pd.read_csv(path)
    times.append(time.perf_counter() - t)
    rows = len(df)
    del df


print(json.dumps({"name": "pandas.read_csv", "seconds": times, "rows": rows, "peak_rss_mb": peak_rss_mb()}), flush=True)
