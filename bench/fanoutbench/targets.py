"""The three servers of the fan-out benchmark, each started pinned to one core.

* ``chat``: ``netsandbox serve chat`` with its defaults (SQLite, info log level), over a
  fresh copy of the seeded data, the rate limit on but above the API load (as in the chat
  benchmark: it runs on every request and refuses none);
* ``obvious``: Starlette + sse-starlette, one ``asyncio.Queue`` per subscriber, under
  uvicorn (``bench/baselines/sse_obvious.py``);
* ``ceiling``: a bare uvloop protocol writing one pre-encoded chunk to every stream
  (``bench/baselines/sse_ceiling.py``).
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from chatbench.targets import CHAT_RATE_LIMIT
from common.procs import free_port, spawn_pinned, stop_process, wait_listening

ROOT = Path(__file__).resolve().parent.parent.parent
BASELINES = ROOT / "bench" / "baselines"


@dataclass(frozen=True, slots=True)
class Target:
    """A server; ``command`` may use ``{port}``, ``{folder}`` and ``{tokens}``."""

    name: str
    role: str  # "ours", "obvious" or "ceiling"
    command: tuple[str, ...]

    def argv(self, port: int, folder: Path, tokens: Path) -> list[str]:
        return [part.format(port=port, folder=folder, tokens=tokens) for part in self.command]


CHAT = Target(
    "chat",
    "ours",
    (sys.executable, "-m", "netsandbox", "serve", "chat", "--port", "{port}",
     "--data-dir", "{folder}/data", "--rate-limit", CHAT_RATE_LIMIT),
)  # fmt: skip
OBVIOUS = Target(
    "obvious (sse-starlette)",
    "obvious",
    (sys.executable, str(BASELINES / "sse_obvious.py"), "--port", "{port}", "--tokens", "{tokens}"),
)
CEILING = Target(
    "ceiling (bare uvloop)", "ceiling", (sys.executable, str(BASELINES / "sse_ceiling.py"),
                                         "--port", "{port}")
)  # fmt: skip
ALL = (CHAT, OBVIOUS, CEILING)


def rss_kib(pid: int) -> int:
    """The resident set size of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class RunningServer:
    target: Target
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_kib(self) -> int:
        return rss_kib(self.process.pid)

    def stop(self) -> None:
        stop_process(self.process)


def start(
    target: Target, data_dir: Path, tokens: Path, folder: Path, core: int, log: Path
) -> RunningServer:
    """Start ``target`` on a free port pinned to ``core`` (ours over a copy of ``data_dir``)."""
    folder.mkdir(parents=True)
    if target.role == "ours":
        shutil.copytree(data_dir, folder / "data")
    port = free_port()
    process = spawn_pinned(target.argv(port, folder, tokens), core, log)
    if wait_listening(port, process, timeout=30.0) is None:
        stop_process(process)
        raise RuntimeError(f"{target.name} did not listen:\n{log.read_text()[-2000:]}")
    if target.role == "ours":
        _wait_healthy(port, process)
    return RunningServer(target, port, process, log)


def _wait_healthy(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Until GET /api/health answers 200: the port accepts before start-up is over."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.05)
    stop_process(process)
    raise RuntimeError("the chat service did not become healthy")
