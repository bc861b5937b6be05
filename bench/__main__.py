"""How the build's cost grows with the data, against the naive way.

    python -m bench --scale 1,10,100,1000

For each scale N: writes a synthetic corpus (the curated statements replicated N times with
fresh identifiers, bench/corpus.py); runs the product, `python build.py --data CORPUS --dist OUT`,
end to end (release included) in a process of its own, and the naive side (bench/naive.py) in
another; samples the peak memory of each process tree (HermiT's JVM and the SHACL child
included); checks that both sides give the same SHACL report and the same answer to every stored
query; prints the wall clock and peak memory of both, and the product's stage table from that
run's dist/timings.json; writes the figures as JSON.

Each run has a time budget and a memory limit: a run past either is stopped, with every process
it started, and reported as "> budget" / "> memory"; the naive side is then not run at larger
scales. SIGTERM or SIGINT stops the benchmark the same way: its runs and their children are ended
and its scratch folder removed before it exits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mirkg import paths
from mirkg.release_index import CACHE_VARIABLE

from .corpus import make_corpus

ROOT = paths.ROOT


def _tree_pss_mb(pid: int) -> float:
    """Memory of a process and its descendants (from /proc), in MB: the proportional set size,
    so that pages a forked child shares with its parent are counted once."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as status:
                for line in status:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) / 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


class Runs:
    """The processes the benchmark has running. Each is the leader of a session of its own, so
    that stopping it (os.killpg) stops everything it started (forked children, the JVM)."""

    def __init__(self):
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def start(self, command: list[str], **options) -> subprocess.Popen:
        with self._lock:
            process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, **options)
            self._running.add(process)
        return process

    def stop(self, process: subprocess.Popen, grace: float = 10.0) -> None:
        """SIGTERM to the run's session, so that the build removes its temporary files and ends
        its children; SIGKILL to whatever is left after `grace` seconds."""
        for signum in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, signum)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=grace)
                if signum == signal.SIGTERM:
                    os.killpg(process.pid, signal.SIGKILL)  # a child that outlived the leader
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                pass
            break
        process.wait()
        self.done(process)

    def done(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)

    def stop_all(self) -> None:
        for process in list(self._running):
            self.stop(process)


RUNS = Runs()


def watch(command: list[str], budget: float, memory_mb: float, stdout=subprocess.DEVNULL) -> dict:
    """Run a command to its end, its budget or its memory limit, sampling its tree's memory;
    {"end": ok | failed | > budget | > memory, "wall_seconds", "peak_mb", "output", "error"}."""
    started = time.monotonic()
    process = RUNS.start(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    errors: list[str] = []
    readers = [threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True)]
    if stdout is subprocess.PIPE:
        readers.append(threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True))
    for reader in readers:
        reader.start()
    ended, peak = None, 0.0
    while process.poll() is None:
        peak = max(peak, _tree_pss_mb(process.pid))
        if time.monotonic() - started > budget:
            ended = "> budget"
        elif peak > memory_mb:
            ended = "> memory"
        if ended:
            RUNS.stop(process)
            break
        try:  # the wall clock ends when the process does, not at the next sample
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            pass
    wall = time.monotonic() - started
    RUNS.done(process)
    for reader in readers:
        reader.join(timeout=10)
    if ended is None and process.returncode != 0:
        ended = "failed"
    return {"end": ended or "ok", "wall_seconds": round(wall, 2), "peak_mb": round(peak, 1),
            "output": lines, "error": "".join(errors)[-3000:] if ended == "failed" else ""}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def run_product(data: Path, dist: Path, budget: float, memory_mb: float) -> dict:
    """`python build.py` on the corpus, end to end; its stage timings from dist/timings.json, and
    the digests of what the naive side is compared on."""
    run = watch([sys.executable, "build.py", "--data", str(data), "--dist", str(dist)], budget, memory_mb)
    run.pop("output")
    if run["end"] == "ok":
        run["timings"] = json.loads((dist / "timings.json").read_text(encoding="utf-8"))
        run["triples"] = (dist / "mirkg.nt").read_bytes().count(b"\n")
        run["validation_report"] = _digest((dist / "validation-report.txt").read_bytes())
        run["answers"] = {p.stem: _digest(p.read_bytes()) for p in sorted((dist / "queries").iterdir())
                          if p.suffix in (".tsv", ".nt", ".txt")}
        # A person's questions to the release: they read dist/, they do not build again. The first
        # makes the release's database in the cache folder (mirkg.release_index), the next opens it.
        for key in ("query_01_first_seconds", "query_01_seconds"):
            query = watch([sys.executable, "build.py", "--data", str(data), "--dist", str(dist), "query", "01"],
                          budget, memory_mb)
            run[key] = query["wall_seconds"] if query["end"] == "ok" else query["end"]
        shutil.rmtree(dist, ignore_errors=True)
    return run


def run_naive(data: Path, budget: float, memory_mb: float) -> dict:
    run = watch([sys.executable, "-m", "bench.worker", str(data)], budget, memory_mb, stdout=subprocess.PIPE)
    run["stages"] = {}
    for line in run.pop("output"):
        record = json.loads(line)
        if "stage" in record:
            run["stages"][record["stage"]] = record["seconds"]
        else:
            run.update({k: v for k, v in record.items() if k != "done"})
    return run


def agreement(product: dict, naive: dict | None) -> str:
    if naive is None or naive["end"] != "ok" or product["end"] != "ok":
        return "not compared (a side did not finish)" if naive is not None else "naive side not run: not compared"
    report = "identical" if product["validation_report"] == naive["validation_report"] else "DIFFER"
    differ = sorted(q for q in set(product["answers"]) | set(naive["answers"])
                    if product["answers"].get(q) != naive["answers"].get(q))
    answers = f"identical for all {len(product['answers'])} queries" if not differ else "DIFFER: " + ", ".join(differ)
    return f"SHACL reports {report} (build vs pyshacl); stored query answers {answers} (build vs rdflib)"


def median_run(runs: list[dict]) -> dict:
    """Repeated runs of one side: the run of median wall clock, with every wall clock kept."""
    ordered = sorted(runs, key=lambda r: (r["end"] != "ok", r["wall_seconds"]))
    best = dict(ordered[(len(ordered) - 1) // 2])
    best["wall_seconds_all"] = [r["wall_seconds"] for r in runs]
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def _seconds(run: dict | None) -> str:
    if run is None:
        return "not run"
    return f"{run['wall_seconds']:.2f}" if run["end"] == "ok" else f"{run['end']} ({run['wall_seconds']:.0f} s)"


def table(scale: int, product: dict, naive: dict | None) -> str:
    lines = [f"scale {scale}: {product.get('triples', '?')} instance triples", "",
             "| | python build.py | naive | naive / build |", "|---|---:|---:|---:|"]
    ratio = ""
    if naive is not None and product["end"] == "ok":
        if naive["end"] == "ok":
            ratio = f"{naive['wall_seconds'] / product['wall_seconds']:.1f}x"
        elif naive["end"] == "> budget":
            ratio = f"> {naive['wall_seconds'] / product['wall_seconds']:.0f}x"
    lines.append(f"| wall clock (s) | {_seconds(product)} | {_seconds(naive)} | {ratio} |")
    lines.append(f"| peak memory, process tree (MB) | {product['peak_mb']:.0f} | "
                 f"{naive['peak_mb'] if naive else 'not run'} | |")
    if product.get("query_01_seconds") is not None:
        lines.append(f"| `python build.py query 01` on the release, first question (s) | "
                     f"{product.get('query_01_first_seconds')} | | |")
        lines.append(f"| `python build.py query 01` on the release, next questions (s) | "
                     f"{product['query_01_seconds']} | | |")
    if naive is not None and naive.get("cpu_seconds") is not None:
        lines.append(f"| naive: CPU time (s) | | {naive['cpu_seconds']} | |")
    if product.get("timings"):
        lines += ["", "Stages of `python build.py` (its dist/timings.json; indented: inside the stage above, "
                      "or beside the others):", "", "| stage | seconds |", "|---|---:|"]
        lines += [f"| {stage} | {seconds:.3f} |" for stage, seconds in product["timings"].items()]
    if naive is not None and naive["stages"]:
        lines += ["", "Stages of the naive side:", "", "| stage | seconds |", "|---|---:|"]
        lines += [f"| {stage} | {seconds:.3f} |" for stage, seconds in naive["stages"].items()]
    return "\n".join(lines)


def time_real_build(repeat: int, budget: float, memory_mb: float, work: Path) -> dict:
    """`python build.py` on the real dataset, `repeat` times."""
    runs = [run_product(paths.DATA, work / "dist-real", budget, memory_mb) for _ in range(repeat)]
    best = median_run(runs)
    best["median_wall_seconds"] = statistics.median(r["wall_seconds"] for r in runs)
    return best


def _stop_on_signals():
    """SIGTERM and SIGINT end the benchmark through its `finally` blocks (its runs stopped, its
    scratch folder removed), as a KeyboardInterrupt does."""
    def stop(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for s in (signal.SIGTERM, signal.SIGINT):
        signal.signal(s, stop)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="1,10,100,1000", help="comma-separated copies of the data (default 1,10,100,1000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per side and scale; the run of median wall clock is shown")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds per run of python build.py (default 600)")
    parser.add_argument("--naive-budget", type=float, default=300.0, help="seconds per naive run (default 300)")
    parser.add_argument("--memory-limit", type=float, default=8000.0,
                        help="MB per run, process tree (default 8000: scale 1000 peaks near 4 GB)")
    parser.add_argument("--no-naive", action="store_true", help="run python build.py only")
    parser.add_argument("--build", action="store_true", help="also time `python build.py` on the real dataset")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json", help="where to write the figures")
    args = parser.parse_args(argv)
    scales = sorted({int(s) for s in args.scale.split(",") if s.strip()})
    _stop_on_signals()
    work = Path(tempfile.mkdtemp(prefix="mirkg-bench-"))
    # The release databases the questions make go with the bench's folder, not the user's cache
    # (and the caller's setting comes back at the end: the tests call main() in their process).
    cache_before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(work / "stores")
    output = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
              "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
              "scales": {}}
    naive_stopped_at = None
    try:
        if args.build:
            b = output["build"] = time_real_build(args.repeat, args.budget, args.memory_limit, work)
            print(f"python build.py on the real dataset: {b['median_wall_seconds']} s wall, median of "
                  f"{b['wall_seconds_all']}; peak {b['peak_mb']:.0f} MB\n", flush=True)
        for scale in scales:
            data = make_corpus(paths.DATA, work / f"data-{scale}", scale)
            product = median_run([run_product(data, work / f"dist-{scale}", args.budget, args.memory_limit)
                                  for _ in range(args.repeat)])
            naive = None
            if not args.no_naive and naive_stopped_at is None:
                naive = median_run([run_naive(data, args.naive_budget, args.memory_limit) for _ in range(args.repeat)])
                if naive["end"] != "ok":
                    naive_stopped_at = scale
            output["scales"][scale] = {"build": product, "naive": naive, "agreement": agreement(product, naive)}
            print(table(scale, product, naive))
            print(f"\n{output['scales'][scale]['agreement']}")
            for side, run in (("python build.py", product), ("naive", naive)):
                if run is not None and run["end"] == "failed":
                    print(f"{side} FAILED:\n{run['error']}")
            print(flush=True)
            shutil.rmtree(data, ignore_errors=True)
    except KeyboardInterrupt as stopped:
        print(f"benchmark stopped ({stopped}); its runs were ended", file=sys.stderr)
        return 130
    finally:
        RUNS.stop_all()
        shutil.rmtree(work, ignore_errors=True)
        if cache_before is None:
            os.environ.pop(CACHE_VARIABLE, None)
        else:
            os.environ[CACHE_VARIABLE] = cache_before
    output["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    return 1 if any(s["build"]["end"] != "ok" for s in output["scales"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
