"""One wrk run of the chat benchmark: ``chat_load.lua`` in a given mode, pinned to a core.

The run itself is ``httpbench.wrk.run`` (figures from wrk's report script, wrk's own CPU
time from the kernel); only the command line differs: our script and its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from httpbench import wrk

SCRIPT = Path(__file__).resolve().parent / "chat_load.lua"


@dataclass(frozen=True, slots=True)
class Load:
    """``wrk -t1 -c{connections} -d{duration}s --latency -s chat_load.lua URL -- MODE TOKENS``"""

    url: str
    mode: str
    tokens: Path
    connections: int = 50
    duration: float = 5.0
    seed: int = 1

    def argv(self, binary: str) -> list[str]:
        return [
            binary, "-t1", f"-c{self.connections}", f"-d{self.duration:g}s", "--latency",
            "-s", str(SCRIPT), self.url, "--", self.mode, str(self.tokens), str(self.seed),
        ]  # fmt: skip


def run(binary: str, load: Load, core: int) -> dict:
    """wrk's figures for ``load``; ``acknowledged`` counts the 2xx answers."""
    figures = wrk.run(binary, load, core)  # type: ignore[arg-type]
    figures["acknowledged"] = figures["requests"] - figures["errors"]["status"]
    return figures
