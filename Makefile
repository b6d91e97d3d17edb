# Developer tasks. The Quick start in the README needs none of these.
PYTHON ?= $(or $(NETSANDBOX_VENV),.venv)/bin/python

.PHONY: bench bench-tcp

## bench: every benchmark (results: docs/benchmarks.md; raw figures: bench/out/)
bench: bench-tcp

## bench-tcp: hello and contacts against naive baselines and a bare uvloop ceiling (~5 min)
bench-tcp:
	scripts/bootstrap
	$(PYTHON) bench/run_tcp.py $(BENCH_ARGS)
