"""Load on `python build.py serve`: C clients run the stored queries against its endpoint for T seconds.

    python -m bench.load --clients 32 --seconds 30            # on dist/ as the last build wrote it
    python -m bench.load --clients 1,8,32 --seconds 20 --json bench/results/load.json

Starts `python build.py --dist DIST serve` on a free loopback port (the product as users start
it: the front, Oxigraph behind it, its timeout), then for each C runs C client threads, each
asking the stored queries with their example parameters (queries/*.rq, bound as `query` binds
them), one after the other, over HTTP POST, until T seconds have passed or --max-requests have
been sent. Each request has its own client timeout; an answer other than 200, a connection error
or a timeout counts as an error. Prints, per C: requests, throughput, p50 and p99 latency,
errors (and the first few, with their reason). The server is stopped, with its child, when the
run ends or on SIGTERM/SIGINT.

The clients share this Python process (threads): on a small machine they compete with the server
for the cores, so the figures are a lower bound of what remote clients would see.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from mirkg import paths
from mirkg.identifiers import query_expander
from mirkg.queries import bind, bound_text, endpoint_request, load_queries

ROOT = paths.ROOT


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(dist: Path, port: int, timeout: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "build.py", "--dist", str(dist), "serve", "--port", str(port),
                                "--timeout", f"{timeout:g}"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve stopped at start: {process.stderr.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=5):
                return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("serve did not answer within 120 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # serve stops its Oxigraph child and removes its database
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def requests_of(url: str) -> list[tuple[str, str, str]]:
    """(name, form, bound query text) of every stored query with its example parameters."""
    expand, _ = query_expander(paths.DATA)
    out = []
    for query in load_queries(paths.QUERIES):
        out.append((query.name, query.form, bound_text(query, bind(query, query.example, expand))))
    return out


def run(url: str, queries, clients: int, seconds: float, max_requests: int, request_timeout: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        nonlocal sent
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if sent >= max_requests:
                    return
                sent += 1
            name, form, text = queries[i % len(queries)]
            i += 1
            request = endpoint_request(url, text, form)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=request_timeout) as response:
                    response.read()
                    ok = response.status == 200
                    reason = f"HTTP {response.status}"
            except urllib.error.HTTPError as exc:
                ok, reason = False, f"HTTP {exc.code}: {exc.read(200).decode(errors='replace').strip()}"
            except OSError as exc:
                ok, reason = False, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(f"{name}: {reason}")

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + request_timeout + 10)
    wall = time.monotonic() - began
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")

    return {"clients": clients, "seconds": round(wall, 2), "requests": len(latencies),
            "throughput_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
            "p50_ms": round(pct(0.50), 1), "p99_ms": round(pct(0.99), 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
            "errors": len(errors), "first_errors": errors[:5]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=paths.DIST, help="the release to serve (default: dist/)")
    parser.add_argument("--clients", default="32", help="concurrent clients, or a list: 1,8,32 (default 32)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each run lasts (default 30)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop a run after this many requests")
    parser.add_argument("--timeout", type=float, default=30.0, help="serve --timeout (default 30)")
    parser.add_argument("--request-timeout", type=float, default=60.0, help="a client gives up after this (default 60)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not (args.dist / "SHA256SUMS").is_file():
        raise SystemExit(f"no release in {args.dist}: run `python build.py` first")

    port = _free_port()
    url = f"http://127.0.0.1:{port}/query"
    server = start_server(args.dist, port, args.timeout)

    def stopped(signum, frame):  # noqa: ARG001
        stop_server(server)
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stopped) for sig in (signal.SIGTERM, signal.SIGINT)}
    results = []
    try:
        queries = requests_of(url)
        with open(args.dist / "mirkg-all.nt", "rb") as whole:
            triples = sum(1 for _ in whole)
        print(f"serve on {args.dist} ({triples:,} triples), {len(queries)} stored queries with their examples; "
              f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}")
        print(f"{'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for clients in (int(c) for c in args.clients.split(",")):
            r = run(url, queries, clients, args.seconds, args.max_requests, args.request_timeout)
            results.append(r)
            print(f"{r['clients']:>7} {r['requests']:>9} {r['throughput_per_s']:>8} {r['p50_ms']:>8} "
                  f"{r['p99_ms']:>8} {r['errors']:>7}", flush=True)
            for e in r["first_errors"]:
                print(f"        error: {e}")
    finally:
        stop_server(server)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if args.json:
        args.json.write_text(json.dumps({"dist": str(args.dist), "triples": triples, "runs": results}, indent=2) + "\n")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
