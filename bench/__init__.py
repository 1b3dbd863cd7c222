"""Benchmark harness: ``python -m bench [--scale small|full]`` (``make bench``).

Loads a realistic data set with COPY, serves it three ways on one database (this service, a
naive DRF baseline, a bare psycopg+orjson floor) and drives each with wrk. See bench/README.md.
Not part of the test suite.
"""
