"""Benchmark of the chat service's data path against json-server and a bare-ASGI ceiling."""
