"""The fan-out benchmark's figures as Markdown tables, and the issue's targets checked."""

from __future__ import annotations

import statistics
from collections import defaultdict

P99_RATIO_TARGET = 1.5  # of the ceiling, at every size
BYTES_PER_STREAM_TARGET = 16 * 1024
API_P99_TARGET_MS = 50.0


def _fires(run: dict) -> list[dict]:
    return [fire for fire in run["fires"] if fire["received"]]


def run_figures(run: dict) -> dict:
    """One server at one size in one round: medians over its events."""
    fires = _fires(run)
    return {
        "p50_ms": statistics.median(f["latency_ms"]["p50"] for f in fires),
        "p99_ms": statistics.median(f["latency_ms"]["p99"] for f in fires),
        "max_ms": statistics.median(f["latency_ms"]["max"] for f in fires),
        "first_ms": statistics.median(f["latency_ms"]["min"] for f in fires),
        # The fan-out itself: from the first stream's copy to the 99th percentile's (the
        # trigger's own work, a database commit for ours, is the same for every stream).
        "spread_p99_ms": statistics.median(
            f["latency_ms"]["p99"] - f["latency_ms"]["min"] for f in fires
        ),
        "missing": sum(f["missing"] for f in run["fires"]),
        # How long after its arrival the client read the data: its own delay, not counted.
        "client_lag_ms": max(f["read_ms"]["p99"] - f["latency_ms"]["p99"] for f in fires),
        "client_cpu_share": statistics.median(
            f["client_cpu_s"] / f["wall_s"] for f in fires if f["wall_s"] > 0
        ),
    }


def progress_line(run: dict, round_: int, rounds: int) -> str:
    figures = run_figures(run)
    return (
        f"round {round_ + 1}/{rounds} {run['target']:<24} {run['streams']:>5} streams  "
        f"p50 {figures['p50_ms']:7.2f} ms  p99 {figures['p99_ms']:7.2f} ms  "
        f"{run['bytes_per_stream'] / 1024:5.1f} KiB/stream  missing {figures['missing']}  "
        f"opened in {run['opening']['seconds']:.1f} s"
    )


def summarize(runs: list[dict]) -> list[dict]:
    """One row per (size, server): medians over rounds; p99 ratio to the same round's ceiling."""
    by_key: dict[tuple[int, str], list[dict]] = defaultdict(list)
    ceiling: dict[tuple[int, int], dict] = {}
    for run in runs:
        by_key[(run["streams"], run["target"])].append(run)
        if run["role"] == "ceiling":
            ceiling[(run["round"], run["streams"])] = run_figures(run)
    rows = []
    for (size, name), group in by_key.items():
        figures = [run_figures(run) for run in group]
        same_round = [
            (fig, ceiling[(run["round"], size)])
            for run, fig in zip(group, figures, strict=True)
            if (run["round"], size) in ceiling
        ]
        ratios = [fig["p99_ms"] / top["p99_ms"] for fig, top in same_round]
        spread_ratios = [fig["spread_p99_ms"] / top["spread_p99_ms"] for fig, top in same_round]
        rows.append({
            "streams": size,
            "target": name,
            "role": group[0]["role"],
            "rounds": len(group),
            "p50_ms": statistics.median(f["p50_ms"] for f in figures),
            "p99_ms": statistics.median(f["p99_ms"] for f in figures),
            "max_ms": statistics.median(f["max_ms"] for f in figures),
            "first_ms": statistics.median(f["first_ms"] for f in figures),
            "spread_p99_ms": statistics.median(f["spread_p99_ms"] for f in figures),
            "p99_vs_ceiling": statistics.median(ratios) if ratios else None,
            "spread_vs_ceiling": statistics.median(spread_ratios) if spread_ratios else None,
            "bytes_per_stream": statistics.median(run["bytes_per_stream"] for run in group),
            "missing": sum(f["missing"] for f in figures),
            "client_cpu_share": statistics.median(f["client_cpu_share"] for f in figures),
            "client_lag_ms": max(f["client_lag_ms"] for f in figures),
        })  # fmt: skip
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| streams | server | p50 | p99 | max | first stream | p99 after the first "
        "| p99 / ceiling | memory per idle stream | missed | client lag |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = f"{row['p99_vs_ceiling']:.2f}x" if row["p99_vs_ceiling"] else "-"
        lines.append(
            f"| {row['streams']:,} | {row['target']} | {row['p50_ms']:.1f} ms | "
            f"{row['p99_ms']:.1f} ms | {row['max_ms']:.1f} ms | {row['first_ms']:.1f} ms | "
            f"{row['spread_p99_ms']:.1f} ms | {ratio} | "
            f"{row['bytes_per_stream'] / 1024:.1f} KiB | {row['missing']} | "
            f"{row['client_lag_ms']:.2f} ms |"
        )
    return "\n".join(lines)


def _api_runs(runs: list[dict]) -> list[dict]:
    return [run for run in runs if "api_with_streams" in run]


def api_table(runs: list[dict]) -> str:
    chosen = _api_runs(runs)
    if not chosen:
        return "(no API latency measured)"
    lines = [
        "| chat API, GET /api/users | req/s | p50 | p99 | max | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (("api_without_streams", "no stream open"),
                       ("api_with_streams", f"{chosen[0]['streams']:,} streams open")):  # fmt: skip
        group = [run[key] for run in chosen]
        lines.append(
            f"| {label} | {statistics.median(g['rps'] for g in group):,.0f} | "
            f"{statistics.median(g['p50_ms'] for g in group):.1f} ms | "
            f"{statistics.median(g['p99_ms'] for g in group):.1f} ms | "
            f"{statistics.median(g['max_ms'] for g in group):.1f} ms | "
            f"{sum(g['errors'] for g in group)} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict], runs: list[dict]) -> list[str]:
    """The issue's targets, each with its figure and whether it is met."""
    out = []
    for row in rows:
        if row["role"] != "ours":
            continue
        if row["p99_vs_ceiling"] is not None:
            ok = row["p99_vs_ceiling"] <= P99_RATIO_TARGET
            out.append(
                f"{'met' if ok else 'MISSED'}: fan-out p99 at {row['streams']:,} streams is "
                f"{row['p99_vs_ceiling']:.2f}x the ceiling's (target <= {P99_RATIO_TARGET}x); "
                f"after the first stream's copy, {row['spread_vs_ceiling']:.2f}x"
            )
        ok = row["bytes_per_stream"] < BYTES_PER_STREAM_TARGET
        out.append(
            f"{'met' if ok else 'MISSED'}: {row['bytes_per_stream'] / 1024:.1f} KiB per idle "
            f"stream at {row['streams']:,} streams (target < 16 KiB)"
        )
    chosen = _api_runs(runs)
    if chosen:
        p99 = statistics.median(run["api_with_streams"]["p99_ms"] for run in chosen)
        errors = sum(run["api_with_streams"]["errors"] for run in chosen)
        ok = p99 < API_P99_TARGET_MS and errors == 0
        out.append(
            f"{'met' if ok else 'MISSED'}: the API's p99 for other clients is {p99:.1f} ms with "
            f"{chosen[0]['streams']:,} streams open (target < {API_P99_TARGET_MS:g} ms), "
            f"{errors} errors"
        )
    return out
