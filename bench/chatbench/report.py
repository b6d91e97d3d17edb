"""Medians over rounds, ratios taken within each round, tables, and the issue's targets."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from common.stats import median_ratio, ratio_text, verdict, wrk_medians

from chatbench.targets import CEILING, CEILING_LOAD, INBOX, JSON_SERVER, SEND, USERS

# The targets: (x json-server, x ceiling) per load; p99 limits in ms.
OVER_JSON_SERVER = {USERS: 2.0, INBOX: 4.0, SEND: 20.0}
OVER_CEILING = {USERS: 0.2, INBOX: 0.2}
P99_LIMIT_MS = 50.0
P99_LIMIT_MILLION_MS = 20.0


@dataclass(frozen=True, slots=True)
class Row:
    load: str
    target: str
    rps: float
    over_json_server: float
    over_ceiling: float
    p50_ms: float
    p99_ms: float
    p99_worst_ms: float
    errors: int
    server_cpu_pct: float
    server_us_per_request: float
    wrk_cpu_pct: float
    others_pct: float
    disturbed: int
    rounds: int


def _ratio(group: list[dict], reference: dict[int, float]) -> float:
    return median_ratio((run["rps"], reference.get(run["round"])) for run in group)


def summarize(runs: list[dict]) -> list[Row]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for run in runs:
        groups[run["load"], run["target"]].append(run)
    ceiling = {run["round"]: run["rps"] for run in groups.get((CEILING_LOAD, CEILING.name), [])}
    rows = []
    for (load, target), group in groups.items():
        reference = {r["round"]: r["rps"] for r in groups.get((load, JSON_SERVER.name), [])}
        rows.append(
            Row(
                load=load,
                target=target,
                over_json_server=_ratio(group, reference),
                over_ceiling=_ratio(group, ceiling),
                **wrk_medians(group),
                others_pct=statistics.median(run["others_on_core_pct"] for run in group),
                disturbed=sum(run["disturbed"] for run in group),
                rounds=len(group),
            )
        )
    return rows


def load_table(rows: list[Row]) -> str:
    lines = [
        "| load | server | req/s | x json-server | x ceiling | p50 ms | p99 ms (worst round) "
        "| errors | server CPU | server CPU µs/req | wrk CPU | core 0 others | disturbed runs |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        over_json_server, over_ceiling = (
            ratio_text(row.over_json_server, ""),
            ratio_text(row.over_ceiling, ""),
        )
        lines.append(
            f"| `{row.load}` | {row.target} | {row.rps:,.0f} | {over_json_server} "
            f"| {over_ceiling} | {row.p50_ms:.2f} | {row.p99_ms:.2f} "
            f"({row.p99_worst_ms:.2f}) | {row.errors} | {row.server_cpu_pct:.0f}% "
            f"| {row.server_us_per_request:.0f} | {row.wrk_cpu_pct:.0f}% "
            f"| {row.others_pct:.0f}% | {row.disturbed}/{row.rounds} |"
        )
    return "\n".join(lines)


def durability_table(checks: list[dict]) -> str:
    lines = [
        "| round | server | 201s acknowledged | messages stored after the run | all stored |",
        "|--:|---|--:|--:|---|",
    ]
    for check in checks:
        kept = "yes" if check["stored"] >= check["acknowledged"] else "NO"
        lines.append(
            f"| {check['round'] + 1} | {check['target']} | {check['acknowledged']:,} "
            f"| {check['stored']:,} | {kept} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[Row], checks: list[dict], million: dict | None) -> list[str]:
    """One line per target of the issue: met, missed, or not measured."""
    ours = {row.load: row for row in rows if row.target == "chat"}
    lines = []
    for load in (USERS, INBOX, SEND):
        row = ours.get(load)
        if row is None:
            lines.append(f"- `{load}`: not measured")
            continue
        goal = OVER_JSON_SERVER[load]
        if not math.isnan(row.over_json_server):
            lines.append(f"- `{load}` >= {goal:g}x json-server: {row.over_json_server:.2f}x, "
                         f"{verdict(row.over_json_server >= goal)}")  # fmt: skip
        if load in OVER_CEILING and not math.isnan(row.over_ceiling):
            goal = OVER_CEILING[load]
            met = verdict(row.over_ceiling >= goal)
            lines.append(f"- `{load}` >= {goal:g}x the bare-ASGI ceiling: "
                         f"{row.over_ceiling:.2f}x, {met}")  # fmt: skip
        lines.append(
            f"- `{load}` p99 < {P99_LIMIT_MS:g} ms: {row.p99_ms:.2f} ms (worst round "
            f"{row.p99_worst_ms:.2f}), {verdict(row.p99_ms < P99_LIMIT_MS)}"
        )
    ours_checks = [check for check in checks if check["target"] == "chat"]
    if ours_checks:
        durable = all(check["stored"] >= check["acknowledged"] for check in ours_checks)
        lines.append(f"- every acknowledged 201 stored (synchronous=FULL): {verdict(durable)}")
    if million:
        for load, figures in million.items():
            p99 = figures["p99_ms"]
            lines.append(
                f"- `{load}` with {figures['messages']:,} messages, p99 < "
                f"{P99_LIMIT_MILLION_MS:g} ms: {p99:.2f} ms (worst round "
                f"{figures['p99_worst_ms']:.2f}, {figures['rps']:,.0f} req/s), "
                f"{verdict(p99 < P99_LIMIT_MILLION_MS)}"
            )
    else:
        lines.append(f"- `{INBOX}` with 1,000,000 messages: not measured")
    return lines
