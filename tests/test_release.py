"""dist/ is complete, reproducible to the byte, and replaced only by a successful build."""

from __future__ import annotations

import os
import subprocess
import sys

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

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


# Files of the release that changed since the build became one pipeline (issue 15), and why.
# Every other file of tests/release_before/SHA256SUMS is byte-identical.
CHANGED_SINCE_ONE_PIPELINE = {
    # Written by Oxigraph, in time linear in the data, instead of rdflib's Turtle writer (which
    # took most of a large build's time): another layout of the same graph.
    "mirkg.ttl": ("mirkg.nt", "turtle"),
    "mirkg-all.ttl": ("mirkg-all.nt", "turtle"),
    "mirkg.trig": ("mirkg.nq", "trig"),
    # Oxigraph's JSON-LD (node objects in expanded form, under the published context) instead of
    # rdflib's compaction of the whole graph.
    "mirkg-all.jsonld": ("mirkg-all.nt", "json-ld"),
}
# Issue 18: the ontology's OWL artefacts are self-contained (the import module merged, the
# owl:imports that pointed nowhere removed, a versioned header); two new artefacts.
OWL_ARTEFACTS = {"ontology.ttl", "ontology.owl"}
NEW_FILES = {"mirkg-base.owl", "mirkg-full.owl"}
# Issue 19, Linked Data: every resource's documents and page (doc/KIND/ID.*), the ontology's and the
# description's documents (doc/ontology.*, doc/dataset.*) and the Apache rules (.htaccess) are new;
# the dataset page is rendered from a Jinja2 template, embeds the schema.org Dataset read from
# void.ttl and links each entity and claim to its page (tests/test_linked_data.py checks them);
# the description gains its keywords (dcat:keyword), which that Dataset gives. The network figure
# (site/network.svg) comes from a template too: the same figure, its apostrophes escaped as &#39;
# (Jinja2's escaping) where Python's html.escape wrote &#x27;, the same character.
PAGES = {"site/index.html", "site/network.svg"}


def linked_data_file(name: str) -> bool:
    return name.startswith("doc/") or name == ".htaccess"


def _sums(text: str) -> dict[str, str]:
    return {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in text.splitlines()}


def test_the_release_is_the_previous_builds_but_for_the_changes_listed(built_dist):
    before = _sums((Path(__file__).parent / "release_before" / "SHA256SUMS").read_text(encoding="utf-8"))
    now = _sums((built_dist / "SHA256SUMS").read_text(encoding="utf-8"))
    assert {name for name in set(now) - set(before) if not linked_data_file(name)} == NEW_FILES
    assert any(linked_data_file(name) for name in now)
    assert set(before) - set(now) == set()
    changed = {name for name in before if before[name] != now[name]}
    assert changed == set(CHANGED_SINCE_ONE_PIPELINE) | OWL_ARTEFACTS | PAGES | {"void.ttl"}
    # The unchanged N-Triples and N-Quads stand for the old files' graphs: each changed file
    # holds exactly the same graph (or named graphs).
    for name, (same_as, fmt) in CHANGED_SINCE_ONE_PIPELINE.items():
        if fmt == "trig":
            from rdflib import Dataset

            ours, theirs = Dataset(), Dataset()
            ours.parse(built_dist / name, format="trig")
            theirs.parse(built_dist / same_as, format="nquads")
            graphs = [{str(g.identifier): g for g in d.graphs() if len(g)} for d in (ours, theirs)]
            assert set(graphs[0]) == set(graphs[1]) and len(graphs[0]) == 3, name
            assert all(isomorphic(graphs[0][g], graphs[1][g]) for g in graphs[0]), name
        else:
            ours = Graph().parse(built_dist / name, format=fmt)
            theirs = Graph().parse(built_dist / same_as, format="nt")
            assert isomorphic(ours, theirs), name


def test_the_description_changed_only_in_what_describes_the_changed_files(built_dist):
    from rdflib.namespace import DCAT, DCTERMS

    before = Graph().parse(Path(__file__).parent / "release_before" / "void.ttl", format="turtle")
    now = Graph().parse(built_dist / "void.ttl", format="turtle")
    changed_files = set(CHANGED_SINCE_ONE_PIPELINE) | OWL_ARTEFACTS | NEW_FILES

    def about_a_changed_file(triple) -> bool:
        subject, predicate, _ = triple
        node = str(subject)
        name = node.rsplit("/distribution/", 1)[-1] if "/distribution/" in node else None
        if name in NEW_FILES:
            return True
        if name in changed_files and predicate in (DCAT.byteSize, DCTERMS.description):
            return True
        if predicate == DCAT.keyword:  # issue 19
            return True
        return predicate == DCAT.distribution and str(triple[2]).rsplit("/", 1)[-1] in NEW_FILES

    assert {t for t in set(before) ^ set(now) if not about_a_changed_file(t)} == set()
    assert any(about_a_changed_file(t) for t in set(before) - set(now))  # the old byte sizes went
