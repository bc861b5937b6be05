"""One pipeline (fast or naive) on one data folder, in its own process.

    python -m bench.worker fast|naive DATA_DIR OUT_DIR [--reasoner summary|full]

Prints one JSON object per line: one per stage as it ends, then the answers' digests, then the
peak resident memory of this process and of its children (HermiT's JVM), and the CPU time of
all of them. The parent (bench/__main__.py) reads them as they come, so a run it stops at its
time budget still counts the stages it finished.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("side", choices=("fast", "naive"))
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--reasoner", choices=("summary", "full"), default="summary")
    parser.add_argument("--shacl-budget", type=float, default=None, help="seconds for the fast SHACL stage")
    args = parser.parse_args(argv)
    from .pipelines import run_fast, run_naive

    if args.side == "fast":
        run_fast(args.data, args.out, emit, reasoner=args.reasoner, shacl_budget=args.shacl_budget)
    else:
        run_naive(args.data, args.out, emit)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    emit({
        "peak_rss_mb": round(own.ru_maxrss / 1024, 1),
        "children_peak_rss_mb": round(children.ru_maxrss / 1024, 1),
        # Against the wall clock, how busy the cores were: this process and every child it
        # waited for (the SHACL child, HermiT's JVM), user and system time.
        "cpu_seconds": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 1),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
