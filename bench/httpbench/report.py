"""Turns the raw wrk runs into medians, same-round ratios, tables and the issue's targets."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from common import launch
from common.stats import median_ratio, ratio_text, verdict, wrk_medians
from common.stats import us_per_request as us_per_request  # importable from here, as before

from httpbench import targets

NAIVE = targets.NAIVE.name
CEILING = targets.CEILING.name
RANDOM_OVER_NAIVE = 4.0
P99_LIMIT_MS = 20.0
STARTUP_LIMIT_MS = 500.0


@dataclass(frozen=True, slots=True)
class Row:
    target: str
    path: str
    rps: float
    over_naive: float
    over_ceiling: float
    cheaper_than_naive: float  # naive's CPU per request / this one's, within a round
    p50_ms: float
    p99_ms: float
    p99_worst_ms: float
    errors: int
    server_cpu_pct: float
    server_us_per_request: float
    wrk_cpu_pct: float
    core_others_pct: float  # the servers' core, busy with anything but this server
    core_idle_pct: float
    rounds: int
    disturbed: int  # runs kept although other work took the core (after every retry)


def _same_round_ratios(group: list[dict], reference: dict[int, float]) -> float:
    return median_ratio((run["rps"], reference.get(run["round"])) for run in group)


def _same_round_savings(group: list[dict], reference: dict[int, float]) -> float:
    """How many times less CPU per request than the reference of the same round."""
    return median_ratio(
        (reference[run["round"]], us_per_request(run)) for run in group if run["round"] in reference
    )


def summarize(runs: list[dict]) -> list[Row]:
    """Medians over rounds; each ratio is taken within a round, then the median of those."""
    by_target: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        by_target[run["target"]].append(run)
    naive = {run["round"]: run["rps"] for run in by_target.get(NAIVE, [])}
    ceiling = {run["round"]: run["rps"] for run in by_target.get(CEILING, [])}
    naive_cost = {run["round"]: us_per_request(run) for run in by_target.get(NAIVE, [])}
    rows = []
    for name, group in by_target.items():
        rows.append(
            Row(
                target=name,
                path=group[0]["path"],
                over_naive=_same_round_ratios(group, naive),
                over_ceiling=_same_round_ratios(group, ceiling),
                cheaper_than_naive=_same_round_savings(group, naive_cost),
                **wrk_medians(group),
                core_others_pct=statistics.median(run["others_on_core_pct"] for run in group),
                core_idle_pct=statistics.median(run["server_core"]["idle_pct"] for run in group),
                rounds=len(group),
                disturbed=sum(run["disturbed"] for run in group),
            )
        )
    return rows


def load_table(rows: list[Row]) -> str:
    lines = [
        "| server | path | req/s | x naive | x ceiling | p50 ms | p99 ms (worst round) "
        "| errors | server CPU | server CPU µs/req | x naive by CPU/req | wrk CPU "
        "| core 0 others / idle | disturbed runs |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.target} | `{row.path}` | {row.rps:,.0f} | {ratio_text(row.over_naive)} "
            f"| {ratio_text(row.over_ceiling)} | {row.p50_ms:.2f} | {row.p99_ms:.2f} "
            f"({row.p99_worst_ms:.2f}) | {row.errors} | {row.server_cpu_pct:.0f}% "
            f"| {row.server_us_per_request:.0f} | {ratio_text(row.cheaper_than_naive)} "
            f"| {row.wrk_cpu_pct:.0f}% | {row.core_others_pct:.0f}% / {row.core_idle_pct:.0f}% "
            f"| {row.disturbed}/{row.rounds} |"
        )
    return "\n".join(lines)


def startup_table(launches: dict[str, dict]) -> str:
    return launch.table(launches, decimals=0, count="launches")


def verdicts(runs: list[dict], rows: list[Row], launches: dict[str, dict] | None) -> list[str]:
    """One line per target of the issue: met, missed, or not measured."""
    by_name = {row.target: row for row in rows}
    lines = []
    random = by_name.get(targets.RANDOM.name)
    if random is None or random.over_naive != random.over_naive:  # NaN: no naive run
        lines.append("- random >= 4x naive http.server: not measured")
    else:
        lines.append(
            f"- random >= {RANDOM_OVER_NAIVE:g}x naive http.server: {random.over_naive:.3f}x, "
            f"{verdict(random.over_naive >= RANDOM_OVER_NAIVE)}"
        )
        lines.append(
            f"  (by server CPU per request, which a shared core disturbs less: "
            f"{random.cheaper_than_naive:.2f}x)"
        )
        lines.append(
            f"- random p99 < {P99_LIMIT_MS:g} ms: {random.p99_ms:.2f} ms (worst round "
            f"{random.p99_worst_ms:.2f}), {verdict(random.p99_ms < P99_LIMIT_MS)}"
        )
    httpbin = {run["round"]: run["rps"] for run in runs if run["target"] == targets.HTTPBIN.name}
    echo = [run for run in runs if run["target"] == targets.ECHO.name]
    if httpbin and echo:
        ratio = _same_round_ratios(echo, httpbin)
        httpbin_cost = {
            run["round"]: us_per_request(run)
            for run in runs
            if run["target"] == targets.HTTPBIN.name
        }
        lines.append(
            f"- echo /get >= httpbin under gunicorn (1 sync worker): {ratio:.2f}x, "
            f"{verdict(ratio >= 1.0)} (by server CPU per request: "
            f"{_same_round_savings(echo, httpbin_cost):.2f}x)"
        )
    else:
        lines.append("- echo /get >= httpbin under gunicorn: not measured")
    name = "python sandbox/server_http_random.py"
    if launches and name in launches:
        median = launches[name]["median_ms"]
        lines.append(
            f"- start-up of {name} < {STARTUP_LIMIT_MS:g} ms median: {median:.0f} ms, "
            f"{verdict(median < STARTUP_LIMIT_MS)}"
        )
    else:
        lines.append("- start-up of sandbox/server_http_random.py: not measured")
    return lines
