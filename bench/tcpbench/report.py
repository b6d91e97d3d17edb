"""Turns the raw runs into medians, ratios to the ceiling, a table and the issue's targets."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from common import launch
from common.stats import median_ratio, ratio_text, verdict

# (what, target name, concurrency, idle connections, minimum share of the ceiling)
RATIO_TARGETS = (
    ("hello >= 0.8x ceiling (c=50)", "hello", 50, 0, 0.8),
    ("hello >= 0.8x ceiling (c=1)", "hello", 1, 0, 0.8),
    ("contacts list >= 0.8x ceiling (c=50)", "contacts list", 50, 0, 0.8),
    ("contacts list >= 0.8x ceiling (c=1)", "contacts list", 1, 0, 0.8),
    ("contacts list, 100 idle held, >= 0.5x ceiling", "contacts list", 50, 100, 0.5),
)
LAUNCH_TARGET_MS = 100.0


@dataclass(frozen=True, slots=True)
class Row:
    target: str
    concurrency: int
    idle: int
    rps: float
    ratio: float | None
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_pct: float | None
    server_us_per_request: float | None
    loadgen_cpu_pct: float
    loadgen_user_pct: float
    calm_rounds: int
    rounds: int


def summarize(runs: list[dict], max_wait: float) -> list[Row]:
    """Medians over rounds; each ratio is against the ceiling of the same round and clients."""
    ceiling = {
        (run["round"], run["concurrency"]): run["result"]["rps"]
        for run in runs
        if run["target"] == "ceiling" and run["idle"] == 0
    }
    groups: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
    for run in runs:
        groups[(run["target"], run["concurrency"], run["idle"])].append(run)
    rows = []
    for (target, concurrency, idle), group in groups.items():
        results = [run["result"] for run in group]
        ratio = median_ratio(
            (run["result"]["rps"], ceiling.get((run["round"], concurrency))) for run in group
        )
        server_cpu = [r["server_cpu_pct"] for r in results if r["server_cpu_pct"] is not None]
        # CPU time the server spent per request: steadier than req/s when the machine is shared.
        server_us = [
            r["server_cpu_pct"] * 1e4 / r["rps"]
            for r in results
            if r["server_cpu_pct"] is not None and r["rps"]
        ]
        rows.append(
            Row(
                target=target,
                concurrency=concurrency,
                idle=idle,
                rps=_median(r["rps"] for r in results),
                ratio=None if ratio != ratio else ratio,  # NaN: no ceiling in those rounds
                p50_ms=_median(r["latency_ms"]["p50"] for r in results),
                p99_ms=_median(r["latency_ms"]["p99"] for r in results),
                errors=sum(r["errors"] for r in results),
                server_cpu_pct=statistics.median(server_cpu) if server_cpu else None,
                server_us_per_request=statistics.median(server_us) if server_us else None,
                loadgen_cpu_pct=_median(r["loadgen_cpu_pct"] for r in results),
                loadgen_user_pct=_median(r["loadgen_user_pct"] for r in results),
                calm_rounds=sum(disturbance(r) <= max_wait for r in results),
                rounds=len(group),
            )
        )
    return rows


def disturbance(result: dict) -> float:
    """Percent of the window the server or the generator waited for a CPU held by others."""
    waits = [result.get("loadgen_wait_pct")]
    if result.get("server_wait_counts", True):
        waits.append(result.get("server_wait_pct"))
    return max((w for w in waits if w is not None), default=0.0)


def _median(values) -> float:
    return statistics.median(list(values))


def load_table(rows: list[Row]) -> str:
    lines = [
        "| server | clients | idle held | req/s | x ceiling | p50 ms | p99 ms | errors "
        "| server CPU | server CPU µs/req | load gen CPU (user) | calm runs |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        ratio = ratio_text(row.ratio)
        server = f"{row.server_cpu_pct:.0f}%" if row.server_cpu_pct is not None else "-"
        cost = f"{row.server_us_per_request:.1f}" if row.server_us_per_request else "-"
        p50, p99 = (f"{row.p50_ms:.2f}", f"{row.p99_ms:.2f}") if row.rps else ("-", "-")
        lines.append(
            f"| {row.target} | {row.concurrency} | {row.idle} | {row.rps:,.0f} | {ratio} "
            f"| {p50} | {p99} | {row.errors} | {server} | {cost} "
            f"| {row.loadgen_cpu_pct:.0f}% ({row.loadgen_user_pct:.0f}%) "
            f"| {row.calm_rounds}/{row.rounds} |"
        )
    return "\n".join(lines)


def launch_table(launches: dict[str, dict]) -> str:
    return launch.table(launches, decimals=1, count="runs")


def targets(rows: list[Row], launches: dict[str, dict] | None, launcher: str) -> list[str]:
    """One line per target of the issue: met, missed, or not measured."""
    by_key = {(row.target, row.concurrency, row.idle): row for row in rows}
    lines = []
    for label, target, concurrency, idle, minimum in RATIO_TARGETS:
        row = by_key.get((target, concurrency, idle))
        if row is None or row.ratio is None:
            lines.append(f"- {label}: not measured")
            continue
        lines.append(f"- {label}: {row.ratio:.2f}x, {verdict(row.ratio >= minimum)}")
    if launches and launcher in launches:
        median = launches[launcher]["median_ms"]
        lines.append(
            f"- launch-to-listening of {launcher} < {LAUNCH_TARGET_MS:.0f} ms: "
            f"{median:.1f} ms, {verdict(median < LAUNCH_TARGET_MS)}"
        )
    return lines
