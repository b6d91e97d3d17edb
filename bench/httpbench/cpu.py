"""CPU accounting from /proc (moved to ``common.cpu``; importable from here as before)."""

from __future__ import annotations

from common.cpu import core_seconds, core_share, tree_cpu_seconds, with_server_cpu

__all__ = ["core_seconds", "core_share", "tree_cpu_seconds", "with_server_cpu"]
