"""How long `python build.py draft` takes on a long text (the issue's target: a 10,000-word
text drafts in under 2 s).

    python -m bench.draft                 # 10,000 words, 3 runs
    python -m bench.draft --words 50000 --runs 5

The text is the review paragraph's sentences, one after another in a fixed shuffled order,
until it has the words asked for: real prose, with the mentions, triggers and citation markers
of real prose. Each run is `python build.py draft FOLDER` in a fresh process (interpreter start,
the ontology and the lexicon read, the draft written), timed by wall clock; the figures printed
are each run's, the median, and the draft's counts. The scratch folder is removed at the end, and
the run is ended with it on SIGINT/SIGTERM or past its budget. The CPU time of each run is printed
beside its wall clock, and the load average: on a shared machine the wall clock counts the
waits for a core.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from mirkg import paths
from mirkg.source import SourceText

ROOT = paths.ROOT


def make_text(words: int) -> str:
    sentences = [s.exact for s in SourceText(ROOT / "data" / "sources" / "review" / "text.txt").sentences]
    order = random.Random(20).sample(sentences, len(sentences))
    out, count, i = [], 0, 0
    while count < words:
        sentence = order[i % len(order)]
        out.append(sentence)
        count += len(sentence.split())
        i += 1
    return " ".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.draft")
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds a run may take")
    args = parser.parse_args(argv)
    child: list[subprocess.Popen] = []

    def stop(signum, _frame):
        for process in child:
            process.kill()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with tempfile.TemporaryDirectory(prefix="mirkg-bench-draft-") as scratch:
        folder = Path(scratch) / "sources" / "long"
        folder.mkdir(parents=True)
        text = make_text(args.words)
        (folder / "text.txt").write_text(text, encoding="utf-8")
        times, cpu = [], []
        for _ in range(args.runs):
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "draft", str(folder)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
            child[:] = [process]
            try:
                _, err = process.communicate(timeout=args.budget)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                print(f"a run took more than {args.budget} s; stopped")
                return 1
            if process.returncode:
                sys.stderr.write(err.decode())
                return process.returncode
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
        draft = yaml.safe_load((folder / "draft.yaml").read_text(encoding="utf-8"))
    print(f"draft of a {len(text.split()):,}-word text ({len(text):,} characters), {args.runs} runs in fresh processes:")
    print("  wall clock: " + ", ".join(f"{t:.2f} s" for t in times) + f"; median {statistics.median(times):.2f} s")
    # CPU time (user + system) of the run: what the wall clock would be on an idle core
    print("  CPU time:   " + ", ".join(f"{t:.2f} s" for t in cpu) + f"; median {statistics.median(cpu):.2f} s")
    print(f"  load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"  {len(draft['sentences']):,} sentences, {len(draft['mentions']):,} mentions, "
          f"{len(draft['statements']):,} candidate statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
