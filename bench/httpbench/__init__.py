"""Benchmark of the HTTP services (random, echo) under keep-alive load from wrk."""
