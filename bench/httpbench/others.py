"""Other benchmarks on the same cores: this suite waits until no other one runs.

(Moved to ``common.quiet``; importable from here as before.)
"""

from __future__ import annotations

from common.quiet import LOAD_GENERATORS, running, wait_until_alone

__all__ = ["LOAD_GENERATORS", "running", "wait_until_alone"]
