"""dist/ is complete, reproducible to the byte, and replaced only by a successful build."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Graph

from helpers import ROOT, run, tree_digest

VOLATILE = {"timings.json"}  # stage timings, the one file that differs between runs


def _stable(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in tree.items() if k not in VOLATILE}


def test_release_holds_the_graph_and_the_report(built_dist):
    for name in ("mirkg.ttl", "mirkg.nt", "ontology.ttl", "ontology.nt", "build-report.md", "validation-report.txt"):
        assert (built_dist / name).stat().st_size > 0, name
    ttl = Graph().parse(built_dist / "mirkg.ttl", format="turtle")
    nt = Graph().parse(built_dist / "mirkg.nt", format="nt")
    assert len(ttl) == len(nt) > 1000
    lines = (built_dist / "mirkg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


@pytest.mark.slow  # two builds in fresh processes
def test_two_builds_in_fresh_processes_are_byte_identical(tmp_path):
    trees = []
    for i, seed in enumerate(("1", "2")):
        dist = tmp_path / f"dist{i}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "build.py", "--dist", str(dist)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        trees.append(_stable(tree_digest(dist)))
    assert trees[0] == trees[1]
    assert len(trees[0]) >= 10


@pytest.mark.slow  # a build in a fresh process
def test_build_py_runs_as_a_script_and_reports(tmp_path):
    out = subprocess.run([sys.executable, "build.py", "--dist", str(tmp_path / "d")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "0 violations" in out and "SHACL validation" in out


def test_validate_command_prints_the_report_and_writes_nothing(capsys, tmp_path):
    code, out, _ = run(["--dist", str(tmp_path / "d"), "validate"], capsys)
    assert code == 0
    assert "4 warning(s)" in out and "validation took" in out
    assert not (tmp_path / "d").exists()


@pytest.mark.slow  # a real release, then a refused build over it
def test_a_failed_build_keeps_the_previous_release(data_copy, capsys, tmp_path):
    dist = tmp_path / "dist"
    assert run(["--skip-reasoning", "--data", str(data_copy), "--dist", str(dist)], capsys)[0] == 0
    before = tree_digest(dist)
    (data_copy / "source" / "review.txt").write_text("Something else entirely.", encoding="utf-8")
    code, _, err = run(["--data", str(data_copy), "--dist", str(dist)], capsys)
    assert code == 2 and "does not occur" in err
    assert tree_digest(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "dist"], "no staging folder left behind"


def test_ntriples_read_back_keep_blank_node_labels_and_every_term(built_dist):
    # The release re-reads its own canonical N-Triples (mirkg.release.graph_of_ntriples) and
    # relies on the blank node labels surviving, so that nothing is canonicalised twice.
    from rdflib import BNode
    from rdflib.compare import isomorphic

    from mirkg.release import graph_of_ntriples, sorted_ntriples

    text = (built_dist / "mirkg-all.nt").read_bytes()
    kept = graph_of_ntriples(text)
    assert isomorphic(kept, Graph().parse(data=text.decode("utf-8"), format="nt"))
    labels = {str(t) for triple in kept for t in triple if isinstance(t, BNode)}
    assert labels and all(f"_:{label} " in text.decode("utf-8") for label in labels)
    assert sorted_ntriples(kept) == text  # same lines: literals, languages and datatypes intact
    sample = b'_:b1 <http://x/p> "a"@en .\n_:b1 <http://x/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    assert {str(s) for s, _, _ in graph_of_ntriples(sample)} == {"b1"}
