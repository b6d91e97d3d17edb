"""Benchmark the HTTP services (random, echo) against a naive http.server, httpbin and a ceiling.

Keep-alive load from wrk (``wrk -t1 -c50 -d5s --latency``, after a short warm-up), every
server pinned to core 0 and wrk to core 1, all servers in the same run in interleaved rounds:
the median over rounds is reported, and each ratio is taken within a round. Then the time
from launching ``python sandbox/server_http_random.py`` (and the echo one) until it accepts
a connection.

The machine is shared: the run waits while another benchmark (``bench/run_*.py``, wrk,
the TCP load generator) is running, and redoes a run during which other work took more
than ``--disturbed`` percent of the servers' core.

    .venv/bin/python bench/run_http.py           # the full run, 3 to 4 minutes
    .venv/bin/python bench/run_http.py --quick   # a smoke run, under a minute

Prints Markdown tables and writes the raw figures to bench/out/http-<time>.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

from common import runner
from common.cpu import with_server_cpu
from common.quiet import wait_until_alone
from httpbench import httpbin_venv, report, startup, targets, wrk

SERVER_CORE = 0
WRK_CORE = 1
PACKAGES = ("uvicorn", "uvloop", "httptools", "starlette", "fastapi", "orjson")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load not counted")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--launches", type=int, default=15, help="timed launches of each")
    parser.add_argument(
        "--disturbed",
        type=float,
        default=15.0,
        help="a run is redone when other work took more than this %% of the servers' core",
    )
    parser.add_argument("--retries", type=int, default=2, help="redos of a disturbed run")
    parser.add_argument(
        "--only", help="comma-separated server names or their first words (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s, 5 launches")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.duration, args.launches = 1, 2.0, 5
    return args


def machine(wrk_binary: str, httpbin_pins: dict[str, str] | None) -> dict:
    info = runner.machine(PACKAGES)
    info["versions"].update({"wrk": wrk.version(wrk_binary), **(httpbin_pins or {})})
    return info


def start_servers(chosen: list[targets.Target], data_dir: Path, logs: Path) -> list:
    def start(target: targets.Target) -> targets.RunningServer:
        log = logs / f"http-{target.name.split(' (')[0].replace(' ', '-').replace('/', '')}.log"
        return targets.start(target, SERVER_CORE, data_dir, log)

    return runner.start_each(chosen, start, lambda target: target.name)


def measure_once(server, binary: str, args: argparse.Namespace) -> dict:
    """Warm up, then one measured wrk run with the server's and its core's CPU use."""
    waited = wait_until_alone()
    wrk.run(binary, wrk.Load(server.url, args.connections, duration=args.warmup), WRK_CORE)
    load = wrk.Load(server.url, args.connections, duration=args.duration)
    figures = with_server_cpu(
        server.process.pid, SERVER_CORE, lambda: wrk.run(binary, load, WRK_CORE)
    )
    figures["waited_for_others_s"] = round(waited, 1)
    return figures


def measure_load(servers: list, binary: str, args: argparse.Namespace) -> list[dict]:
    """Interleaved rounds; a run disturbed by other work on the servers' core is redone."""
    runs = []
    for round_ in range(args.rounds):
        for server in servers:
            attempts = 0
            while True:
                figures = measure_once(server, binary, args)
                attempts += 1
                disturbed = figures["others_on_core_pct"] > args.disturbed
                print(
                    f"round {round_ + 1}/{args.rounds} {server.target.name:<40} "
                    f"{figures['rps']:>8,.0f} req/s  p99 {figures['latency_ms']['99']:7.2f} ms"
                    f"  errors {figures['errors_total']}  server CPU "
                    f"{figures['server_cpu_pct']:3.0f}%  wrk CPU {figures['wrk_cpu_pct']:3.0f}%"
                    f"  others on core {SERVER_CORE} {figures['others_on_core_pct']:3.0f}%"
                    + ("  (disturbed)" if disturbed else ""),
                    file=sys.stderr,
                )
                if server.process.poll() is not None:
                    raise SystemExit(f"{server.target.name} died; see {server.log}")
                if not disturbed or attempts > args.retries:
                    break
            figures["attempts"] = attempts
            figures["disturbed"] = disturbed
            runs.append(
                {"round": round_, "target": server.target.name, "role": server.target.role,
                 "path": server.target.path, **figures}
            )  # fmt: skip
    return runs


def access_log_lines(servers: list) -> dict[str, int]:
    """Lines each server logged: shows the access log was on (or off) during the run."""
    counts = {}
    for server in servers:
        with server.log.open("rb") as log:
            counts[server.target.name] = sum(1 for _ in log)
    return counts


def main() -> int:
    args = parse_args()
    runner.pin_runner(SERVER_CORE, WRK_CORE)
    wanted = {name.strip() for name in args.only.split(",")} if args.only else None
    chosen = [t for t in targets.ALL if wanted is None or any(t.name.startswith(w) for w in wanted)]
    binary = wrk.ensure_installed()
    pins = httpbin_venv.ensure() if targets.HTTPBIN in chosen else None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    logs = runner.logs_folder()
    info = machine(binary, pins)
    if info["load_average_at_start"][0] > 1.0:
        print(
            f"note: load average {info['load_average_at_start'][0]:.1f}: other work shares the "
            "cores, figures will be noisy (CPU per request is the steadier one)",
            file=sys.stderr,
        )
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="netsandbox-bench-") as tmp:
        servers = start_servers(chosen, Path(tmp) / "data", logs)
        try:
            runs = measure_load(servers, binary, args)
        finally:
            for server in servers:
                server.stop()
        info["load_average_after_load"] = os.getloadavg()
        log_lines = access_log_lines(servers)
        launches = None
        if args.launches and wanted is None:
            wait_until_alone()
            launches = startup.measure(args.launches, SERVER_CORE, Path(tmp) / "launch-data")
    rows = report.summarize(runs)
    verdicts = report.verdicts(runs, rows, launches)
    result = {
        "command": runner.command_line(),
        "machine": info,
        "settings": {
            "rounds": args.rounds,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "wrk": "wrk -t1 -c{connections} -d{duration}s --latency -s wrk_report.lua URL",
            "server_core": SERVER_CORE,
            "disturbed_above_pct": args.disturbed,
            "retries": args.retries,
            "wrk_core": WRK_CORE,
            "our_log_level": "info (default), stderr to a file",
            "log_lines": log_lines,
        },
        "elapsed_s": round(time.monotonic() - started, 1),
        "summary": [dataclasses.asdict(row) for row in rows],
        "startup_to_listening": launches,
        "targets": verdicts,
        "runs": runs,
    }
    startup_table = report.startup_table(launches) if launches else ""
    runner.finish(
        result, "http", stamp, [report.load_table(rows), startup_table, "\n".join(verdicts)]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
