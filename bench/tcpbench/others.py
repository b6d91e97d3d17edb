"""Other benchmarks on the same cores: this suite waits for their load generators only.

(Moved to ``common.quiet``; importable from here as before.)
"""

from __future__ import annotations

from common.quiet import LOAD_GENERATORS, load_generators, wait_for_quiet

__all__ = ["LOAD_GENERATORS", "load_generators", "wait_for_quiet"]
