"""The three servers of the chat benchmark, each started on a fresh copy of the data set.

* ``chat``: ``netsandbox serve chat`` on SQLite (WAL, ``synchronous=FULL``), default log
  level (one access-log line per request), with the per-user rate limit on but set far
  above the load (see ``CHAT_RATE_LIMIT``);
* ``json-server``: json-server 0.17 over ``db.json`` holding the same users and messages;
* ``ceiling``: the bare ASGI app of ``bench/baselines`` on the same HTTP runner as ours.
"""

from __future__ import annotations

import http.client
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common.procs import BASELINES, free_port, spawn_pinned, stop_process, wait_listening
from common.procs import ROOT as ROOT  # importable from here, as before

from chatbench import json_server
from chatbench.seed import DataSet

BARE_ASGI = BASELINES / "bare_asgi.py"

USERS = "GET /api/users"
INBOX = "GET /api/messages"
INBOX_QUERY = "GET /api/messages?cursor=max"  # the same page, never from the page cache
SEND = "POST /api/messages"
CEILING_LOAD = "GET / (fixed body)"
SCENARIOS = (USERS, INBOX, SEND)

# The limiter runs on every request (its cost is part of the figures) without refusing any:
# 100 users sharing ~10,000 req/s is ~100 req/s each, over the default of 20 (a class that
# size does not loop that fast). The default limit's 429 path is measured on its own.
CHAT_RATE_LIMIT = "100000,100000"


@dataclass(frozen=True, slots=True)
class Target:
    """A server; ``modes`` maps each load it takes to the wrk script's mode."""

    name: str
    role: str  # "ours", "reference" or "ceiling"
    command: tuple[str, ...]
    modes: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[DataSet, Path], None] | None = None

    def argv(self, port: int, folder: Path) -> list[str]:
        return [part.format(port=port, folder=folder) for part in self.command]


def _copy_database(data: DataSet, folder: Path) -> None:
    shutil.copytree(data.data_dir, folder / "data")


def _copy_db_json(data: DataSet, folder: Path) -> None:
    shutil.copy(data.db_json, folder / "db.json")
    json_server.write_routes(folder)


def chat(rate_limit: str = CHAT_RATE_LIMIT) -> Target:
    return Target(
        "chat",
        "ours",
        (sys.executable, "-m", "netsandbox", "serve", "chat", "--port", "{port}",
         "--data-dir", "{folder}/data", "--rate-limit", rate_limit),
        {USERS: "users", INBOX: "inbox", INBOX_QUERY: "inbox-query", SEND: "send"},
        _copy_database,
    )  # fmt: skip


JSON_SERVER = Target(
    "json-server 0.17",
    "reference",
    json_server.command(),
    {USERS: "json-users", INBOX: "json-inbox", SEND: "json-send"},
    _copy_db_json,
)
CEILING = Target(
    "ceiling (bare ASGI)",
    "ceiling",
    (sys.executable, str(BARE_ASGI), "--port", "{port}"),
    {CEILING_LOAD: "ceiling"},
)


@dataclass
class RunningServer:
    target: Target
    port: int
    process: subprocess.Popen
    folder: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.process, timeout=30)


def stored_messages(target: Target, folder: Path) -> int:
    """How many messages the server's data holds (read once it has stopped)."""
    if target.role == "ours":
        with sqlite3.connect(folder / "data" / "chat.sqlite3") as connection:
            return connection.execute("SELECT count(*) FROM messages").fetchone()[0]
    if target.role == "reference":
        return len(json.loads((folder / "db.json").read_text())["messages"])
    return 0


def check(target: Target, port: int, token: str) -> None:
    """One request of each load the target takes: a 2xx with a JSON body, or RuntimeError."""
    paths = {"users": "/api/users", "inbox": "/api/messages",
             "inbox-query": "/api/messages?cursor=9007199254740991", "json-users": "/api/users",
             "json-inbox": "/api/messages?to=1", "ceiling": "/"}  # fmt: skip
    for mode in target.modes.values():
        if mode not in paths:
            continue
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            connection.request("GET", paths[mode], headers={"Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"{target.name} {paths[mode]}: {response.status} {body[:300]!r}")
        json.loads(body)


def start(target: Target, data: DataSet, folder: Path, core: int, log: Path) -> RunningServer:
    """Start ``target`` on a free port, pinned to ``core``, over a fresh copy of ``data``."""
    folder.mkdir(parents=True)
    if target.prepare is not None:
        target.prepare(data, folder)
    port = free_port()
    process = spawn_pinned(target.argv(port, folder), core, log, cwd=folder)
    server = RunningServer(target, port, process, folder, log)
    if wait_listening(port, process, timeout=30.0) is None:
        server.stop()
        raise RuntimeError(f"{target.name} did not listen:\n{log.read_text()[-2000:]}")
    token = data.tokens.read_text().split()[1]
    try:
        check(target, port, token)
    except Exception:
        server.stop()
        raise
    return server
