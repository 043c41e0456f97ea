"""Benchmark suite (see bench/bench.py)."""
