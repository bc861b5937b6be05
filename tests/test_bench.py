"""The benchmark (bench/): its synthetic corpus is valid data, its one command prints the table
for `python build.py` (the product) beside the naive side, and it stops cleanly: SIGTERM, SIGINT
or a run past its budget leave no process behind and no scratch folder.

Timings are measured by `python -m bench`, never asserted here: the machine is shared.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.__main__ import agreement
from bench.__main__ import main as bench_main
from mirkg.assertions import Merged
from helpers import SCALE
from mirkg import paths
from mirkg.queries import load_queries
from mirkg.reasoning import java_available

needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")
pytestmark = pytest.mark.slow  # corpora, builds and benchmarks in fresh processes


def test_corpus_grows_by_sources_with_fresh_ids(scaled, build):
    # build: the real dataset (conftest). Copy 1 keeps the real ids; copy 2 adds a source per real
    # source, with its own copy of the text, and new ids for its statements and entities.
    real, scaled_c = build.curation, scaled.curation
    assert sorted(scaled_c.sources) == sorted([*real.sources, *(f"{s}_c2" for s in real.sources)])
    for sid, source in real.sources.items():
        assert scaled_c.sources[f"{sid}_c2"].text.text == source.text.text
        assert (scaled_c.sources[f"{sid}_c2"].work, scaled_c.sources[f"{sid}_c2"].part) == (source.work, source.part)
    ids = sorted(s.id for s in scaled_c.statements)
    assert ids == sorted([s.id for s in real.statements] + [f"{s.id}_c2" for s in real.statements])
    assert len(scaled_c.entities) == SCALE * len(real.entities)
    # Copy 2 quotes its own source where copy 1 quotes the real one.
    by_id = {s.id: s for s in scaled_c.statements}
    for one in real.statements:
        two = by_id[f"{one.id}_c2"]
        assert two.source == f"{one.source}_c2"
        assert (two.span.start, two.span.end, two.span.exact) == (one.span.start, one.span.end, one.span.exact)
    # Same mix of claim kinds in every copy, and the same assertions and conflicts (the level words
    # travel with the corpus).
    assert sum(s.hedge is not None for s in scaled_c.statements) == SCALE * sum(
        s.hedge is not None for s in real.statements)
    one, two = Merged(real), Merged(scaled_c)
    assert len(two.conflicts) == SCALE * len(one.conflicts) > 0
    assert len(two.assertions) == SCALE * len(one.assertions)


@needs_java
@pytest.mark.java
def test_the_command_prints_the_table_of_the_product_and_writes_json(tmp_path, capsys):
    from mirkg.release_index import CACHE_VARIABLE

    out = tmp_path / "results.json"
    cache = os.environ.get(CACHE_VARIABLE)
    assert bench_main(["--scale", "1", "--no-naive", "--json", str(out)]) == 0
    # the questions' databases went to the bench's own folder, and the caller's setting is back
    assert os.environ.get(CACHE_VARIABLE) == cache
    printed = capsys.readouterr().out
    assert "| wall clock (s) |" in printed and "| peak memory, process tree (MB) |" in printed
    # The stage table is the product's own, from the run's dist/timings.json.
    assert "| stored queries |" in printed and "|   release, in a child: N-Quads |" in printed
    figures = json.loads(out.read_text())
    build = figures["scales"]["1"]["build"]
    assert build["end"] == "ok" and build["wall_seconds"] > 0 and build["peak_mb"] > 0
    assert set(build["answers"]) == {q.name for q in load_queries(paths.QUERIES)}
    assert isinstance(build["query_01_seconds"], float) and isinstance(build["query_01_first_seconds"], float)


def test_agreement_names_the_queries_whose_answers_differ():
    product = {"end": "ok", "validation_report": "a", "answers": {"01": "x", "02": "y"}}
    same = {"end": "ok", "validation_report": "a", "answers": {"01": "x", "02": "y"}}
    other = {"end": "ok", "validation_report": "b", "answers": {"01": "x", "02": "z"}}
    assert "identical for all 2 queries" in agreement(product, same) and "DIFFER" not in agreement(product, same)
    assert agreement(product, other) == ("SHACL reports DIFFER (build vs pyshacl); stored query answers DIFFER: "
                                         "02 (build vs rdflib)")


def _ours(marker: str) -> list[str]:
    """The processes (pid and command) whose environment carries this marker: everything the
    benchmark started inherits it, whatever session it runs in."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":  # a zombie has ended; its parent has not collected it yet
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    found.append(f"{entry.name}: {command}")
        except OSError:
            continue
    return found


def _start_bench(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    marker = f"MIRKG_TEST_MARK={tmp_path.name}"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), MIRKG_TEST_MARK=tmp_path.name)
    process = subprocess.Popen([sys.executable, "-m", "bench", "--json", str(tmp_path / "r.json"), *args],
                               cwd=paths.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return process, marker


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_benchmark_and_every_process_it_started(tmp_path, signum):
    process, marker = _start_bench(tmp_path, "--scale", "1")
    try:
        # Wait until the build runs (python build.py, in a session of its own) beside the bench.
        assert _wait_for(lambda: any("build.py" in p for p in _ours(marker)), 60), _ours(marker)
        process.send_signal(signum)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, process.stderr.read().decode()
    # Killed processes vanish once their parent (init, for the orphaned session) collects them.
    assert _wait_for(lambda: not _ours(marker), 10), _ours(marker)
    assert list((tmp_path / "tmp").iterdir()) == []  # the corpus, the runs' dist/ and temporary files


def test_a_run_past_its_budget_is_stopped_with_everything_it_started(tmp_path):
    process, marker = _start_bench(tmp_path, "--scale", "1", "--no-naive", "--budget", "1.5")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err.decode()  # the build did not finish: the run failed
    assert "> budget" in out.decode()
    assert _wait_for(lambda: not _ours(marker), 10), _ours(marker)
    assert list((tmp_path / "tmp").iterdir()) == []
    figures = json.loads((tmp_path / "r.json").read_text())
    assert figures["scales"]["1"]["build"]["end"] == "> budget"
