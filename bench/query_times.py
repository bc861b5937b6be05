"""Per-query timings on the embedded store (pyoxigraph), for the issue's "< 50 ms each" target.

    python bench/query_times.py [--repeat N]

Builds the dataset in memory (as `python build.py` does), loads the instance data and the
ontology into a pyoxigraph store, and runs every stored query with its example parameters:
one warm-up run, then N timed runs (parse, bind, evaluate and read every row). Prints the
median, the slowest run and the row count per query. Reports only; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mirkg import paths  # noqa: E402
from mirkg.pipeline import Paths, compile_graph, curie_expander  # noqa: E402
from mirkg.queries import bind, load_queries, run_oxigraph, store_from_ntriples  # noqa: E402
from mirkg.release import sorted_ntriples  # noqa: E402

TARGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per query (default 50)")
    args = parser.parse_args()

    build = compile_graph(Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))
    nt = sorted_ntriples(build.data) + sorted_ntriples(build.ontology)
    store = store_from_ntriples(nt)
    expand = curie_expander(build.curation)
    print(f"embedded store: {len(store)} triples (instance data + ontology); {args.repeat} timed runs per query")
    print(f"{'query':<42} {'median ms':>10} {'max ms':>8} {'rows':>5}")
    slowest = 0.0
    for query in load_queries(paths.QUERIES):
        runs = [(query.name, query.example)]
        if query.example and not any(p.required for p in query.params):
            runs.append((f"{query.name} (no parameter)", {}))  # the answer over the whole dataset
        for name, values in runs:
            bindings = bind(query, values, expand)
            answer = run_oxigraph(store, query, bindings)  # warm-up
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                run_oxigraph(store, query, bindings)
                times.append((time.perf_counter() - start) * 1000)
            size = len(answer.rows) if answer.form == "SELECT" else len(answer.triples) if answer.form != "ASK" else 1
            median = statistics.median(times)
            slowest = max(slowest, median)
            print(f"{name:<42} {median:>10.2f} {max(times):>8.2f} {size:>5}")
    verdict = "all under" if slowest < TARGET_MS else "NOT all under"
    print(f"slowest median {slowest:.2f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
