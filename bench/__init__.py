"""Benchmarks: the write path, projections, reads at scale, verification and footprint.

``python -m bench`` (``make bench``; ``make bench-quick`` for the 3-minute smoke run) measures
each figure against PostgreSQL's own floor on the same machine in the same run, prints a
table with every figure beside its target and writes ``bench/results/latest.json``.
"""
