"""The HTTP servers under test: how to start each one pinned to a core, check it, stop it."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common.procs import (  # noqa: F401 (ROOT: importable from here, as before)
    BASELINES,
    ROOT,
    free_port,
    spawn_pinned,
    stop_process,
    wait_listening,
)

from httpbench import httpbin_venv

RANDOM_PATH = "/api/random/int?n=20"  # what the course's notebook asks
GET_PATH = "/get?a=10&b=100"


def twenty_ints(body: bytes) -> bool:
    values = json.loads(body)
    return isinstance(values, list) and len(values) == 20 and all(type(v) is int for v in values)


def httpbin_get(body: bytes) -> bool:
    echoed = json.loads(body)
    return echoed.get("args") == {"a": "10", "b": "100"} and {"headers", "origin", "url"} <= set(
        echoed
    )


def any_body(body: bytes) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Target:
    """A server and the path loaded on it. ``command`` may use ``{port}`` and ``{data_dir}``."""

    name: str
    role: str  # "ours", "naive", "reference" (httpbin) or "ceiling"
    path: str
    command: tuple[str, ...]
    check: Callable[[bytes], bool]

    def argv(self, port: int, data_dir: Path) -> list[str]:
        return [part.format(port=port, data_dir=data_dir) for part in self.command]


def _ours(service: str) -> tuple[str, ...]:
    # Default log level (info: one access-log line per request), as in real use.
    cmd = (sys.executable, "-m", "netsandbox", "serve", service, "--port", "{port}")
    return (*cmd, "--data-dir", "{data_dir}")


def _baseline(script: str, *options: str) -> tuple[str, ...]:
    return (sys.executable, str(BASELINES / script), "--port", "{port}", *options)


_GUNICORN = (str(httpbin_venv.GUNICORN), "--workers", "1", "--worker-class", "sync")

RANDOM = Target("random", "ours", RANDOM_PATH, _ours("random"), twenty_ints)
ECHO = Target("echo /get", "ours", GET_PATH, _ours("echo"), httpbin_get)
NAIVE = Target(
    "naive HTTPServer", "naive", RANDOM_PATH, _baseline("naive_http_random.py"), twenty_ints
)
NAIVE_THREADS = Target(
    "naive ThreadingHTTPServer",
    "naive",
    RANDOM_PATH,
    _baseline("naive_http_random.py", "--threading"),
    twenty_ints,
)
HTTPBIN = Target(
    "httpbin /get (gunicorn, 1 sync worker)",
    "reference",
    GET_PATH,
    (*_GUNICORN, "--bind", "127.0.0.1:{port}", "httpbin:app"),
    httpbin_get,
)
CEILING = Target("ceiling (bare ASGI)", "ceiling", RANDOM_PATH, _baseline("bare_asgi.py"), any_body)
CEILING_LOGGED = Target(
    "ceiling + access log",
    "ceiling",
    RANDOM_PATH,
    _baseline("bare_asgi.py", "--log-level", "info"),
    any_body,
)
ALL = (CEILING, CEILING_LOGGED, RANDOM, NAIVE, NAIVE_THREADS, ECHO, HTTPBIN)


def get(port: int, path: str) -> tuple[int, bytes]:
    """One GET, the way a student's ``http.client`` code makes it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class RunningServer:
    target: Target
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.target.path}"

    def stop(self) -> None:
        stop_process(self.process)


def start(target: Target, core: int, data_dir: Path, log: Path) -> RunningServer:
    """Start ``target`` on a free port pinned to ``core`` (stdout and stderr to ``log``)."""
    port = free_port()
    process = spawn_pinned(target.argv(port, data_dir), core, log)
    server = RunningServer(target, port, process, log)
    if wait_listening(port, process, timeout=15.0) is None:
        server.stop()
        raise RuntimeError(f"{target.name} did not listen:\n{log.read_text()[-2000:]}")
    status, body = get(port, target.path)
    if status != 200 or not target.check(body):
        server.stop()
        raise RuntimeError(f"{target.name} answered {status} {body[:200]!r}")
    return server
