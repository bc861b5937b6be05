"""How the pipeline's cost grows with the data, against the naive way.

    python -m bench --scale 1,10,100,1000

For each scale N: writes a synthetic corpus (the curated statements replicated N times with
fresh identifiers, bench/corpus.py), runs the fast pipeline and the naive one on it, each in its
own process (bench/worker.py), times every stage and the peak memory, checks that both give the
same validation results and query answers, and prints one table per scale plus a JSON file.

The naive side runs under a time budget (--naive-budget, seconds per scale) and a memory limit:
a run that passes either is stopped and reported as "> budget" / "> memory" for the stages it did
not finish, and the naive side is not run at the larger scales. With --build, `python build.py`
on the real dataset is also timed end to end (wall clock, fresh process, into a scratch dist/).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mirkg import paths

from .corpus import make_corpus
from .pipelines import CORE_STAGES, STAGES

ROOT = paths.ROOT


def _rss_mb(pid: int) -> float:
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


def run_worker(side: str, data: Path, out: Path, budget: float, memory_mb: float, reasoner: str,
               shacl_budget: float | None = None) -> dict:
    """One run in a child process; its stages, final record and how it ended."""
    command = [sys.executable, "-m", "bench.worker", side, str(data), str(out), "--reasoner", reasoner]
    if shacl_budget is not None:
        command += ["--shacl-budget", str(shacl_budget)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    records: list[dict] = []
    reader = threading.Thread(target=lambda: records.extend(json.loads(ln) for ln in process.stdout), daemon=True)
    reader.start()
    started, ended, peak = time.monotonic(), None, 0.0
    while process.poll() is None:
        peak = max(peak, _rss_mb(process.pid))
        if time.monotonic() - started > budget:
            ended = "> budget"
        elif peak > memory_mb:
            ended = "> memory"
        if ended:
            os.killpg(process.pid, 9)  # the worker's own session: it and its JVM, nothing else
            process.wait()
            break
        time.sleep(0.2)
    reader.join(timeout=10)
    error = process.stderr.read()[-3000:] if process.stderr else ""
    if ended is None and process.returncode != 0:
        ended = "failed"
    run = {"stages": {}, "over": {}, "end": ended or "ok", "wall_seconds": round(time.monotonic() - started, 2),
           "polled_peak_rss_mb": round(peak, 1)}
    for record in records:
        if "stage" in record and "over" in record:
            run["over"][record["stage"]] = record["over"]
        elif "stage" in record:
            run["stages"][record["stage"]] = record["seconds"]
            if "verdict" in record:
                run["reasoning"] = record["verdict"]
            details = {k: v for k, v in record.items() if k not in ("stage", "seconds", "verdict")}
            if details:
                run.setdefault("details", {})[record["stage"]] = details
        else:
            run.update({k: v for k, v in record.items() if k != "done"})
    if ended == "failed":
        run["error"] = error
    return run


def combine(runs: list[dict]) -> dict:
    """Repeated runs of one side at one scale: the median of each stage, the largest peak memory."""
    best = dict(runs[0])
    stages = {}
    for stage in STAGES:
        values = [r["stages"][stage] for r in runs if stage in r["stages"]]
        if len(values) == len(runs):
            stages[stage] = round(statistics.median(values), 4)
    best["stages"] = stages
    best["runs"] = len(runs)
    best["end"] = next((r["end"] for r in runs if r["end"] != "ok"), "ok")
    for key in ("peak_rss_mb", "children_peak_rss_mb", "polled_peak_rss_mb"):
        values = [r[key] for r in runs if key in r]
        if values:
            best[key] = max(values)
    if all("core_wall_seconds" in r for r in runs):
        best["core_wall_seconds"] = round(statistics.median(r["core_wall_seconds"] for r in runs), 3)
    if all("cpu_seconds" in r for r in runs):
        best["cpu_seconds"] = round(statistics.median(r["cpu_seconds"] for r in runs), 1)
    if all("slowest_query_seconds" in r for r in runs):
        best["slowest_query_seconds"] = round(statistics.median(r["slowest_query_seconds"] for r in runs), 4)
    return best


def time_build(repeat: int, budget: float) -> dict:
    """`python build.py` on the real dataset, end to end, into a scratch dist/ (wall clock)."""
    walls, timings = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="mirkg-bench-dist-") as tmp:
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "build.py", "--dist", str(Path(tmp) / "dist")], cwd=ROOT,
                                  capture_output=True, text=True, timeout=budget)
            walls.append(round(time.perf_counter() - start, 3))
            if done.returncode != 0:
                return {"end": "failed", "error": (done.stdout + done.stderr)[-2000:]}
            timings.append(json.loads((Path(tmp) / "dist" / "timings.json").read_text()))
    return {"end": "ok", "wall_seconds": walls, "median_wall_seconds": statistics.median(walls),
            "timings": timings[walls.index(sorted(walls)[len(walls) // 2])]}


def _cell(run: dict | None, stage: str) -> str:
    if run is None:
        return "not run"
    if stage in run["stages"]:
        return f"{run['stages'][stage]:.3f}"
    if stage in run.get("over", {}):
        return f"> {run['over'][stage]:.0f} (budget)"
    return run["end"] if run["end"] != "ok" else "-"


def _sum(run: dict | None, stages) -> float | None:
    if run is None or any(s not in run["stages"] for s in stages):
        return None
    return sum(run["stages"][s] for s in stages)


def _at_least(run: dict, stages) -> float:
    """A lower bound on a stopped run's time for these stages: the stages it finished, plus the
    stage it was in when stopped (its wall time less every finished stage)."""
    done = sum(run["stages"].values())
    running = next((s for s in STAGES if s not in run["stages"]), None)
    bound = sum(run["stages"].get(s, 0.0) for s in stages)
    if running in stages:
        bound += max(0.0, run["wall_seconds"] - done)
    return bound


def _ratio(fast: float | None, naive: float | None, naive_run: dict | None, stages=()) -> str:
    if fast is None or naive_run is None:
        return ""
    if naive is None:
        if naive_run["end"] == "ok" or not stages:
            return ""
        bound = _at_least(naive_run, stages)
        return f"> {bound / max(fast, 1e-4):.0f}x" if bound > 0 else ""
    return f"{naive / max(fast, 1e-4):.1f}x"


def table(scale: int, fast: dict, naive: dict | None) -> str:
    lines = [f"scale {scale}: {fast.get('triples', '?')} instance triples",
             "", "| stage | fast (s) | naive (s) | naive / fast |", "|---|---:|---:|---:|"]
    for stage in STAGES:
        f = fast["stages"].get(stage)
        n = naive["stages"].get(stage) if naive else None
        lines.append(f"| {stage} | {_cell(fast, stage)} | {_cell(naive, stage)} | {_ratio(f, n, naive, (stage,))} |")
    for label, stages in (("build + validation + queries", CORE_STAGES), ("all stages", STAGES)):
        f, n = _sum(fast, stages), _sum(naive, stages)
        if stages is CORE_STAGES and "core_wall_seconds" in fast:
            # The fast side runs SHACL's core beside the store and the queries, so its stage
            # times overlap: the wall clock from the start to the last answer is what counts
            # (OWL and the ontology checks included, on both sides).
            label = "build + validation + queries, wall clock"
            f = fast["core_wall_seconds"]
            n = naive.get("core_wall_seconds") if naive and naive["end"] == "ok" else None
        fs = f"{f:.3f}" if f is not None else ("> " + "; ".join(sorted(fast.get("over", {}))) + " budget"
                                                 if fast.get("over") else fast["end"])
        ns = f"{n:.3f}" if n is not None else ("not run" if naive is None else naive["end"])
        lines.append(f"| **{label}** | {fs} | {ns} | {_ratio(f, n, naive, stages)} |")
    for label, key in (("peak memory, Python process (MB)", "peak_rss_mb"),
                       ("peak memory, with HermiT's JVM (MB, sampled)", "polled_peak_rss_mb")):
        ns = naive.get(key, naive["end"]) if naive else "not run"
        lines.append(f"| {label} | {fast.get(key, '?')} | {ns} | |")
    lines.append(f"| CPU time, all processes (s) | {fast.get('cpu_seconds', '?')} | "
                 f"{naive.get('cpu_seconds', naive['end']) if naive else 'not run'} | |")
    lines.append(f"| slowest stored query (s) | {fast.get('slowest_query_seconds', '?')} | "
                 f"{naive.get('slowest_query_seconds', naive['end']) if naive else 'not run'} | |")
    return "\n".join(lines)


def agreement(fast: dict, naive: dict | None) -> str:
    if naive is None:
        return "naive side not run: results not compared"
    if naive["end"] != "ok":
        return "naive run not finished: results not compared"
    if "results_digest" not in fast or "results_digest" not in naive:
        return "no results to compare"
    same_results = fast["results_digest"] == naive["results_digest"]
    differ = sorted(q for q in set(fast["answers_digest"]) | set(naive["answers_digest"])
                    if fast["answers_digest"].get(q) != naive["answers_digest"].get(q))
    return (f"SHACL results {'identical' if same_results else 'DIFFER'} (pyshacl-turbo and pyoxigraph vs pyshacl); "
            f"query answers {'identical for all ' + str(len(fast['answers_digest'])) + ' queries' if not differ else 'DIFFER: ' + ', '.join(differ)}"
            " (pyoxigraph vs rdflib)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="1,10,100,1000", help="comma-separated copies of the data (default 1,10,100,1000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per side and scale; stages report the median")
    parser.add_argument("--naive-budget", type=float, default=300.0, help="seconds per naive run (default 300)")
    parser.add_argument("--fast-budget", type=float, default=1800.0, help="seconds per fast run (default 1800)")
    parser.add_argument("--shacl-budget", type=float, default=300.0,
                        help="seconds for the fast side's SHACL core constraints, run in a child process, from when "
                             "the data is written; past it the other stages still run (default 300; 0: no budget)")
    parser.add_argument("--memory-limit", type=float, default=4000.0, help="MB per run, JVM included (default 4000)")
    parser.add_argument("--no-naive", action="store_true", help="run the fast pipeline only")
    parser.add_argument("--repeat-text", action="store_true",
                        help="repeat the source text with the copies (the text then grows with the data)")
    parser.add_argument("--reasoner", choices=("summary", "full"), default="summary",
                        help="fast side's OWL step: HermiT on the summary (default) or on the whole graph")
    parser.add_argument("--build", action="store_true", help="also time `python build.py` on the real dataset")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json", help="where to write the figures")
    parser.add_argument("--tables-from", type=Path, metavar="JSON", help="print the tables of a saved run and stop")
    args = parser.parse_args(argv)
    if args.tables_from:
        saved = json.loads(args.tables_from.read_text(encoding="utf-8"))
        for scale, row in saved["scales"].items():
            print(table(int(scale), row["fast"], row["naive"]) + f"\n\n{row['agreement']}\n")
        return 0
    scales = sorted({int(s) for s in args.scale.split(",") if s.strip()})

    work = Path(tempfile.mkdtemp(prefix="mirkg-bench-"))
    load = os.getloadavg()
    output = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average_at_start": [round(x, 2) for x in load]},
              "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
              "scales": {}}
    naive_stopped_at = None
    try:
        if args.build:
            output["build"] = time_build(args.repeat, args.fast_budget)
            b = output["build"]
            print(f"python build.py on the real dataset: {b.get('median_wall_seconds', b['end'])} s wall "
                  f"(runs: {b.get('wall_seconds')})\n", flush=True)
        for scale in scales:
            data = make_corpus(paths.DATA, work / f"data-{scale}", scale, repeat_text=args.repeat_text)
            fast = combine([run_worker("fast", data, work / f"out-fast-{scale}", args.fast_budget,
                                       args.memory_limit, args.reasoner, args.shacl_budget or None) for _ in range(args.repeat)])
            naive = None
            if not args.no_naive and naive_stopped_at is None:
                naive = combine([run_worker("naive", data, work / f"out-naive-{scale}", args.naive_budget,
                                            args.memory_limit, args.reasoner) for _ in range(args.repeat)])
                if naive["end"] != "ok":
                    naive_stopped_at = scale
            output["scales"][scale] = {"fast": fast, "naive": naive, "agreement": agreement(fast, naive)}
            print(table(scale, fast, naive))
            print(f"\n{output['scales'][scale]['agreement']}")
            shacl = fast.get("details", {}).get("SHACL validation", {})
            if "core" in shacl:
                print(f"SHACL: {shacl['engine']}: core constraints {shacl['core']:.3f} s, "
                      f"SHACL-SPARQL constraints {shacl['sparql']:.3f} s")
            if fast.get("reasoning"):
                print(f"OWL: {fast['reasoning']}")
            if naive is None and not args.no_naive:
                print(f"naive: not run (it passed its budget of {args.naive_budget:.0f} s / "
                      f"{args.memory_limit:.0f} MB at scale {naive_stopped_at})")
            for side, run in (("fast", fast), ("naive", naive)):
                if run is not None and run["end"] == "failed":
                    print(f"{side} run FAILED:\n{run.get('error', '')}")
            print(flush=True)
            shutil.rmtree(data, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    output["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    failed = any(s["fast"]["end"] != "ok" for s in output["scales"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
