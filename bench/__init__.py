"""Benchmark harness: ``python -m bench`` (``make bench``); see bench/README.md."""
