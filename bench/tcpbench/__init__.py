"""Benchmark of the one-request-per-connection TCP services (hello, contacts) and baselines."""
