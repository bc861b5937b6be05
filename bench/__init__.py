"""Benchmarks: how the pipeline's cost grows with the data, against the naive way.

`python -m bench --scale 1,10,100,1000` (see bench/README.md).
"""
