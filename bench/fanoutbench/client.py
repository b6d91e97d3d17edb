"""The C stream client (``bench/loadgen/sse_fanout.c``): built on demand into bench/bin/,
run pinned to its own core, and driven line by line over its stdin and stdout."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tcpbench.loadgen import _compiler as compiler

BENCH = Path(__file__).resolve().parent.parent
SOURCE = BENCH / "loadgen" / "sse_fanout.c"
BINARY = BENCH / "bin" / "sse_fanout"


def build() -> Path:
    """Compile the client when the binary is missing or older than its source."""
    if BINARY.exists() and BINARY.stat().st_mtime >= SOURCE.stat().st_mtime:
        return BINARY
    BINARY.parent.mkdir(exist_ok=True)
    command = [compiler(), "-O2", "-Wall", "-o", str(BINARY), str(SOURCE), "-lm"]
    subprocess.run(command, check=True)
    return BINARY


class StreamClient:
    """N open streams held by one client process; ``fire()`` times one event's fan-out."""

    def __init__(
        self, port: int, streams: int, tokens: Path, trigger: tuple[str, str], core: int
    ) -> None:
        path, token = trigger
        command = [
            str(BINARY), "--port", str(port), "--streams", str(streams),
            "--tokens", str(tokens), "--trigger-path", path, "--trigger-token", token,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: os.sched_setaffinity(0, {core}),
        )

    def _line(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the stream client exited ({self.process.wait()})")
        return json.loads(line)

    def _send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def opened(self) -> dict:
        """Blocks until every stream is open (its ``retry:`` line read); how it went."""
        return self._line()

    def fire(self) -> dict:
        """One trigger request; the arrival times of its event on every stream."""
        self._send("fire")
        return self._line()

    def close(self) -> None:
        if self.process.poll() is None:
            self._send("quit")
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
