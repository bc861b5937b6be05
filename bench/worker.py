"""The naive side on one data folder, in its own process.

    python -m bench.worker DATA_DIR

Prints one JSON object per line: one per stage as it ends, then the digests of its answers, then
the peak resident memory of this process and of its children (HermiT's JVM), and the CPU time of
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
    parser.add_argument("data", type=Path)
    args = parser.parse_args(argv)
    from .naive import run_naive

    run_naive(args.data, emit)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    emit({
        "peak_rss_mb": round(own.ru_maxrss / 1024, 1),
        "cpu_seconds": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 1),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
