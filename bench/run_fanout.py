"""Benchmark the chat event stream's fan-out against the obvious build and a bare ceiling.

For each size (1,000 then 5,000 streams) and each server: start it pinned to core 0, open
the streams from the C client (``loadgen/sse_fanout.c``, pinned to core 1; 1,000 users
seeded through the service's own code, a token each, used in turn: 5 streams per user at
5,000, the service's limit), then time one status change (``PATCH /api/users/1``, sent by
the client on its own connection) until every stream has the event, ``--fires`` times.
Memory per idle stream is the server's RSS growth over the streams it holds. With the
largest size open, the chat API's latency for other clients is measured with wrk (``GET
/api/users``, every request as another user), and before the streams for comparison. All
servers in the same run, in interleaved rounds: medians over rounds, ratios within a round.

    .venv/bin/python bench/run_fanout.py            # the full run, about 12 minutes
    .venv/bin/python bench/run_fanout.py --quick    # a smoke run, about a minute

Prints Markdown tables and writes the raw figures to bench/out/fanout-<time>.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from chatbench import load
from chatbench.seed import DataSet, seed
from common import quiet
from fanoutbench import client, report, targets
from httpbench import wrk

SERVER_CORE = 0
CLIENT_CORE = 1
USERS = 1000
OUT = Path(__file__).resolve().parent / "out"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated stream counts")
    parser.add_argument("--fires", type=int, default=10, help="timed events per server and size")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between two events")
    parser.add_argument("--settle", type=float, default=2.0,
                        help="seconds from the last stream open to the RSS reading")  # fmt: skip
    # One heartbeat interval and a second: the window holds the heartbeats of every stream.
    parser.add_argument("--api-duration", type=float, default=16.0)
    parser.add_argument("--api-connections", type=int, default=10)
    parser.add_argument("--only", help="comma-separated roles: ours, obvious, ceiling")
    parser.add_argument("--quick", action="store_true", help="1 round, 3 events, 2 s of API load")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.fires, args.api_duration = 1, 3, 2.0
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args


def machine(wrk_binary: str) -> dict:
    cpu_model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    names = ("uvicorn", "uvloop", "httptools", "starlette", "fastapi", "sse-starlette")
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": {
            **{name: importlib.metadata.version(name) for name in names},
            "wrk": wrk.version(wrk_binary),
        },
        "load_average_at_start": os.getloadavg(),
    }


def api_latency(server: targets.RunningServer, data: DataSet, binary: str, args) -> dict:
    """wrk on ``GET /api/users`` (each request as another user), pinned to the client's core."""
    run = load.Load(server.url, "users", data.tokens, args.api_connections, args.api_duration)
    figures = load.run(binary, run, CLIENT_CORE)
    return {
        "rps": figures["rps"],
        "p50_ms": figures["latency_ms"]["50"],
        "p99_ms": figures["latency_ms"]["99"],
        "max_ms": figures["latency_ms"]["max"],
        "errors": figures["errors_total"],
        "non_2xx": figures["errors"]["status"],
    }


def measure(target, size: int, data: DataSet, binary: str, args, folder: Path) -> dict:
    """One server at one size: streams opened, RSS, ``--fires`` events, API latency."""
    logs = OUT / "logs"
    server = targets.start(target, data.data_dir, data.tokens, folder, SERVER_CORE,
                           logs / f"fanout-{target.role}.log")  # fmt: skip
    result: dict = {"target": target.name, "role": target.role, "streams": size}
    api = target.role == "ours" and size == max(args.sizes)
    try:
        if api:  # also warms the app up before its RSS is read
            result["api_without_streams"] = api_latency(server, data, binary, args)
        result["rss_before_kib"] = server.rss_kib()
        user, token = data.tokens.read_text().split("\n", 1)[0].split()
        streams = client.StreamClient(
            server.port, size, data.tokens, (f"/api/users/{user}", token), CLIENT_CORE
        )
        try:
            result["opening"] = streams.opened()
            time.sleep(args.settle)  # the last users' presence events go out
            result["rss_open_kib"] = server.rss_kib()
            result["fires"] = []
            for _ in range(args.fires):
                time.sleep(args.gap)
                result["fires"].append(streams.fire())
            if api:
                result["api_with_streams"] = api_latency(server, data, binary, args)
        finally:
            streams.close()
        if server.process.poll() is not None:
            raise SystemExit(f"{target.name} died; see {server.log}")
    finally:
        server.stop()
    grown = result["rss_open_kib"] - result["rss_before_kib"]
    result["bytes_per_stream"] = grown * 1024 / size
    return result


def main() -> int:
    args = parse_args()
    if not {SERVER_CORE, CLIENT_CORE} <= os.sched_getaffinity(0):
        raise SystemExit("the benchmark needs cores 0 and 1 (servers and client)")
    os.sched_setaffinity(0, {CLIENT_CORE})  # keep this script off the servers' core
    # 5,000 streams are 5,000 descriptors in the server and the client: raise the soft
    # limit to the hard one here, and every process started from here inherits it.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < max(args.sizes) + 1000:
        raise SystemExit(f"the open-files limit ({hard}) is too low for {max(args.sizes)} streams")
    roles = {role.strip() for role in args.only.split(",")} if args.only else None
    chosen = [target for target in targets.ALL if roles is None or target.role in roles]
    client.build()
    binary = wrk.ensure_installed()
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    info = machine(binary)
    started = time.monotonic()
    runs = []
    with tempfile.TemporaryDirectory(prefix="netsandbox-bench-fanout-") as tmp:
        work = Path(tmp)
        data = seed(work / "seed", users=USERS, count=0)
        for round_ in range(args.rounds):
            for size in args.sizes:
                for target in chosen:
                    waited = quiet.wait_until_alone()
                    folder = work / f"round{round_}-{size}-{target.role}"
                    result = measure(target, size, data, binary, args, folder)
                    result.update(round=round_, waited_for_others_s=round(waited, 1))
                    runs.append(result)
                    print(report.progress_line(result, round_, args.rounds), file=sys.stderr)
    rows = report.summarize(runs)
    verdicts = report.verdicts(rows, runs)
    result = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": info,
        "settings": {
            "rounds": args.rounds,
            "sizes": args.sizes,
            "fires": args.fires,
            "gap_s": args.gap,
            "settle_s": args.settle,
            "users": USERS,
            "api_load": f"wrk -t1 -c{args.api_connections} -d{args.api_duration:g}s /api/users",
            "server_core": SERVER_CORE,
            "client_core": CLIENT_CORE,
        },
        "elapsed_s": round(time.monotonic() - started, 1),
        "summary": rows,
        "targets": verdicts,
        "runs": runs,
    }
    path = OUT / f"fanout-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=1))
    print(report.table(rows))
    print()
    print(report.api_table(runs))
    print()
    print("\n".join(verdicts))
    print(f"\nraw figures: {path.relative_to(OUT.parent.parent)} ({result['elapsed_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
