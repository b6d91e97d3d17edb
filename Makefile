# Developer tasks. The Quick start in the README needs none of these.
PYTHON ?= $(or $(NETSANDBOX_VENV),.venv)/bin/python

.PHONY: bench bench-tcp bench-chat bench-http bench-fanout

## bench: every benchmark (results: docs/benchmarks.md; raw figures: bench/out/)
bench: bench-tcp bench-chat bench-http bench-fanout

## bench-tcp: hello and contacts against naive baselines and a bare uvloop ceiling (5 to 8 min)
bench-tcp:
	scripts/bootstrap
	$(PYTHON) bench/run_tcp.py $(BENCH_ARGS)

## bench-chat: the chat API against json-server and a bare-ASGI ceiling, then 1M messages (~8 min)
bench-chat:
	scripts/bootstrap
	$(PYTHON) bench/run_chat.py $(BENCH_ARGS)

## bench-http: random and echo against http.server, httpbin under gunicorn and a bare-ASGI ceiling (3 to 4 min)
bench-http:
	scripts/bootstrap
	$(PYTHON) bench/run_http.py $(BENCH_ARGS)

## bench-fanout: one event to 1,000 then 5,000 chat event streams, against sse-starlette and a bare ceiling (~10 min)
bench-fanout:
	scripts/bootstrap bench
	$(PYTHON) bench/run_fanout.py $(BENCH_ARGS)
