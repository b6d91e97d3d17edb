"""Figures every suite reports the same way: same-round ratios, CPU per request, verdicts."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from typing import Any


def median_ratio(pairs: Iterable[tuple[float, float | None]]) -> float:
    """The median of ``value / reference`` over pairs with a reference (NaN if none has one).

    Each pair is a run and the reference measured in the same round. Why within a round:
    the machine is shared, and a ratio of two runs minutes apart would measure the other
    work on the machine as much as the servers.
    """
    ratios = [value / reference for value, reference in pairs if reference]
    return statistics.median(ratios) if ratios else math.nan


def us_per_request(run: dict[str, Any]) -> float:
    """Server CPU time per request: steadier than req/s when the core is shared."""
    return run["server_cpu_pct"] * 1e4 / run["rps"]


def wrk_medians(group: list[dict[str, Any]]) -> dict[str, float]:
    """The figures every wrk-loaded suite reports for a group of runs (medians over rounds)."""
    return {
        "rps": statistics.median(run["rps"] for run in group),
        "p50_ms": statistics.median(run["latency_ms"]["50"] for run in group),
        "p99_ms": statistics.median(run["latency_ms"]["99"] for run in group),
        "p99_worst_ms": max(run["latency_ms"]["99"] for run in group),
        "errors": sum(run["errors_total"] for run in group),
        "server_cpu_pct": statistics.median(run["server_cpu_pct"] for run in group),
        "server_us_per_request": statistics.median(us_per_request(run) for run in group),
        "wrk_cpu_pct": statistics.median(run["wrk_cpu_pct"] for run in group),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def ratio_text(value: float | None, missing: str = "-") -> str:
    """A ratio with two decimals; ``missing`` when there was no reference to take it against."""
    return missing if value is None or math.isnan(value) else f"{value:.2f}"
