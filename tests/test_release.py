"""dist/ is complete, reproducible to the byte, and replaced only by a successful build."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from pathlib import Path

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


@pytest.mark.slow  # a second build
def test_the_release_is_the_same_whether_a_child_writes_the_graph_files_or_the_build(built_dist, tmp_path,
                                                                                     monkeypatch):
    # The shipped data is small: a forked child writes the description (publish.FORK_RELEASE_UP_TO);
    # above the limit the build writes it itself. The files made from the named graphs are written
    # by a child at every size (publish.GraphFiles), or by the build when told: the same bytes.
    import json
    from functools import partial

    from mirkg import pipeline, publish
    from mirkg.cli import main

    monkeypatch.setattr(publish, "FORK_RELEASE_UP_TO", 0)
    monkeypatch.setattr(pipeline, "GraphFiles", partial(publish.GraphFiles, fork=False))
    dist = tmp_path / "dist"
    assert main(["--dist", str(dist)]) == 0
    assert (dist / "SHA256SUMS").read_bytes() == (built_dist / "SHA256SUMS").read_bytes()
    stages = json.loads((dist / "timings.json").read_text(encoding="utf-8"))
    assert "  release, in the build: TriG" in stages
    assert "  release, in the build: nanopublications" in stages
    assert "  release, in the build: VoID description's Turtle (checked against the HCLS profile)" in stages
    built_stages = json.loads((built_dist / "timings.json").read_text(encoding="utf-8"))
    assert "  release, in a child: TriG" in built_stages
    assert "  release, in a child: nanopublications" in built_stages
    assert "  release, in a child: VoID description's Turtle (checked against the HCLS profile)" in built_stages
    # The child that writes the named graphs' files is sent them once they are split, before the
    # ontology checks and the stored queries (timings.json lists the stages in their order).
    order = list(built_stages)
    sent = order.index("the named graphs' files and the nanopublications: their child sent the split")
    assert order.index("split by graph (the store loads beside it)") < sent < order.index("ontology checks")


@pytest.mark.slow  # a build in a fresh process
def test_build_py_runs_as_a_script_and_reports(tmp_path):
    out = subprocess.run([sys.executable, "build.py", "--dist", str(tmp_path / "d")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "0 violations" in out and "SHACL validation" in out


def test_validate_command_prints_the_report_and_writes_nothing(capsys, tmp_path):
    code, out, _ = run(["--dist", str(tmp_path / "d"), "validate"], capsys)
    assert code == 0
    # no warning since the review's uncited statements carry ECO:0000303 (issue 16), not a flagged class
    assert "the data conforms (no violation, no warning)" in out and "validation took" in out
    assert not (tmp_path / "d").exists()


@pytest.mark.slow  # a real release, then a refused build over it
def test_a_failed_build_keeps_the_previous_release(data_copy, capsys, tmp_path):
    dist = tmp_path / "dist"
    assert run(["--skip-reasoning", "--data", str(data_copy), "--dist", str(dist)], capsys)[0] == 0
    before = tree_digest(dist)
    (data_copy / "sources" / "review" / "text.txt").write_text("Something else entirely.", encoding="utf-8")
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


# Files of the release that changed with issue 16 (the data model), and why. Every other file of
# tests/release_before/SHA256SUMS (the build at af9f24b) is byte-identical: the KGX graph, the
# Wikidata mappings, the network figure and queries 08, 09, 15 and 81 say exactly what they said.
_GRAPH = ("entities matched to external classes (skos:exactMatch) instead of typed by them; targets "
          "under represses expression of; the sole-cause limitation; curation provenance and Web "
          "Annotations; ECO:0000303 for claims without a reference; labels tagged @en")
CHANGED_BY_ISSUE_16 = {
    **{name: _GRAPH for name in (
        "mirkg.nt", "mirkg.ttl", "mirkg.nq", "mirkg.trig", "mirkg-all.nt", "mirkg-all.nt.gz", "mirkg-all.ttl",
        "mirkg-all.jsonld", "nanopubs.trig", "site/index.html")},
    **{name: "the ontology: new terms (soleCauseOf, limits, ConclusionNotDrawn, attributedInText, the kind "
             "annotations), the kinds no longer under SO/GO classes, the import module's CL is-a links"
       for name in ("ontology.nt", "ontology.ttl", "ontology.owl", "mirkg-base.owl", "mirkg-full.owl", "docs/index.html")},
    **{name: "mapping rows of the new terms; targets no longer mapped to physical interaction"
       for name in ("mappings.nt", "mappings.ttl", "mappings/mirkg-biolink.sssom.tsv", "mappings/mirkg-obo.sssom.tsv")},
    "context.jsonld": "the pav: prefix (pav:authoredBy)",
    "void.ttl": "counts, class and property partitions, linksets of the changed graph; file sizes",
    "build-report.md": "no warning left (ECO:0000303 instead of the flagged home-made class); counts",
    "validation-report.txt": "no warning left (ECO:0000303 instead of the flagged home-made class)",
    "queries/catalog.ttl": "queries 03, 10 and 14 follow the model (see ANSWERS_CHANGED_BY_ISSUE_16)",
    **{f"queries/{name}": "labels tagged @en" + (f"; {why}" if why else "") for name, why in {
        "01-mirna-targets.tsv": "", "02-mirna-claims.tsv": "", "03-expression-in-sle.tsv": "",
        "04-hedged-and-limitations.tsv": "claim labels keep the hedge", "05-claims-by-cited-work.tsv": "",
        "06-external-identifiers.tsv": "", "07-dataset-summary.tsv": "class and relation counts",
        "10-mirna-msc-processes.tsv": "", "11-immune-cell-balances.tsv": "", "12-interventions.tsv": "",
        "13-exosomal-mirnas.tsv": "", "14-claims-with-provenance.tsv": "claim labels keep the hedge; the limitation",
        "16-unresolved-entities-and-references.tsv": "", "17-what-acts-on-a-process.tsv": "the sole-cause limitation",
        "18-mirna-targets-external-ids.tsv": "", "80-claims-as-biolink.tsv": "targets and the limitation",
        "90-network-figure-edges.tsv": "",
    }.items()},
}
# New files: the source texts, the Web Annotations' oa:hasSource (issues 16 and 17, one per source);
# the framed claims (issue 16, point 10).
NEW_FILES = {"sources/review.txt", "mirkg-claims.jsonld"} | {
    f"sources/title-{work}.txt" for work in ("geng-2019-mir663", "geng-2020-let7f", "tan-2019-let7f5p",
                                             "li-2020-mir153", "dong-2019-mir146a")} | {  # issue 17: the five titles
    f"queries/{name}.tsv" for name in ("19-claims-supported-by-several-works", "20-sources-behind-a-claim",
                                       "21-conflicts", "22-summary-per-source")}  # and its four stored queries
# Issue 17: the source text moved to data/sources/review/text.txt and the statements beside it; the
# files that name those paths say so.
MOVED_SOURCE_PATHS = {"build-report.md", "validation-report.txt", "site/index.html"}
# Issue 16 (the publication half), each file with the reason it changed:
ISSUE_16 = {
    "void.ttl": "the HCLS profile's three levels: publisher, creator IRIs, counts on the RDF distribution (4)",
    "nanopubs.trig": "trusty URIs, the curators' IRI as creator (6)",
    "mirkg.nq": "versioned named-graph IRIs (13)",
    "mirkg.trig": "versioned named-graph IRIs (13)",
    "kgx/edges.tsv": "hedged findings, quote, evidence, species, knowledge source; uptake predicate (11)",
    "context.jsonld": "term definitions, @vocab and @base (10)",
    # mirkg:internalizedBy's Biolink mapping (11): the mapping files, the ontology graph that
    # carries the mappings' skos links, the whole-dataset dumps that hold it, query 80's answer.
    **{name: "mirkg:internalizedBy maps to biolink:physically_interacts_with (11)" for name in (
        "mappings/mirkg-biolink.sssom.tsv", "mappings.ttl", "mappings.nt", "ontology.nt", "ontology.ttl",
        "ontology.owl", "mirkg-all.nt", "mirkg-all.nt.gz", "mirkg-all.ttl", "mirkg-all.jsonld",
        "queries/80-claims-as-biolink.tsv")},
}

# What the stored queries answer differently, beyond language tags and the hedge kept in claim
# labels: only rows about what the model now says right. query -> (rows that went, rows that came),
# each given by words the row holds.
LIMITATION = "claim/senescence-not-exclusively-exosome-uptake>"
ANSWERS_CHANGED_BY_ISSUE_16 = {
    # the limitation read "endocytosis positively regulates cellular senescence"; it reads "sole
    # cause of", not concluded, with no direction
    "04-hedged-and-limitations.tsv": ({LIMITATION}, {LIMITATION}),
    "17-what-acts-on-a-process.tsv": ({LIMITATION}, {LIMITATION}),
    "14-claims-with-provenance.tsv": ({LIMITATION}, {LIMITATION}),
    # targeting no longer maps to directly_physically_interacts_with (issue 16, point 2); the
    # limitation maps through soleCauseOf to biolink:causes
    "80-claims-as-biolink.tsv": ({"directly_physically_interacts_with", LIMITATION, "related_to_at_instance_level"},
                                 {LIMITATION, "physically_interacts_with"}),
    # (and, the publication half's point 11: uptake maps to physically_interacts_with, not to the
    # instance-level relation)
    # one claim moved from regulates to soleCauseOf; the ConclusionNotDrawn class came, the
    # home-made UncitedAuthorStatement class went (ECO:0000303 instead)
    "07-dataset-summary.tsv": ({"mirkg/regulates>", "UncitedAuthorStatement"},
                               {"mirkg/regulates>", "mirkg/soleCauseOf>", "mirkg/ConclusionNotDrawn>"}),
}
# Issue 17: the five cited titles are sources of their own; files that change only with them:
CHANGED_BY_ISSUE_17 = {
    "kgx/nodes.tsv": "the titles' new entity, immune dysregulation",
    "queries/81-wikidata-ready-statements.tsv": "direct triples of the titles' plain findings",
    # point 7, a named graph per source: the claims and the nodes minted under them leave the data
    # and provenance graphs for their source's graph; the description lists each source's graph
    # as a subset with its counts and source, and the dumps' descriptions name the graphs (which
    # the dataset page's schema.org Dataset repeats, with the dumps' new sizes)
    "mirkg.nq": "a named graph per source (point 7)",
    "mirkg.trig": "a named graph per source (point 7)",
    "void.ttl": "a subset per source's graph with its counts; the data and provenance graphs' new counts (point 7)",
    "site/index.html": "the named-graph dumps' descriptions and sizes in its schema.org Dataset (point 7)",
}
# Issue 15 (one fast pipeline): the whole N-Triples are gzipped at gzip's default level (6), not 9
# (a third of the CPU for a file 12 % larger); the same N-Triples inside, so the files that state
# the gzipped file's size change with it (the dataset page's schema.org Dataset repeats void.ttl's).
CHANGED_BY_ISSUE_15 = {
    "mirkg-all.nt.gz": "gzip level 6",
    "void.ttl": "the gzipped dump's dcat:byteSize",
    "site/index.html": "the gzipped dump's contentSize",
}
# Rows about their claims
# (claim/title-...) are new in every answer; beyond them, query -> (rows that went, rows that came),
# each given by words the row holds.
ANSWERS_CHANGED_BY_ISSUE_17 = {
    # query 14 names each claim's source: a new column in every row and in the header
    "14-claims-with-provenance.tsv": ({"/id/claim/", "?claim"}, {"/id/source/", "?source"}),
    # the counts per relation and class grow with the titles' claims
    "07-dataset-summary.tsv": ({"XMLSchema#integer>"}, {"XMLSchema#integer>"}),
    # "immune dysregulation", named by two titles, has no confirmed identifier
    "16-unresolved-entities-and-references.tsv": (set(), {"entity/immune-dysregulation>"}),
    # new direct triples of the titles' plain findings: "MicroRNA-663 ... inhibiting TGF-β1
    # production", "... miR-146a ... Regulates Senescence of Mesenchymal Stem Cells"
    "81-wikidata-ready-statements.tsv": (set(), {"mirkg/repressesExpressionOf>", "mirkg/regulates>"}),
}
HEDGE_IN_LABEL = re.compile(r" \((?:hedged|not concluded): \u201c[^\u201d]*\u201d\)")
# Issue 19, Linked Data: every resource's documents and page (doc/KIND/ID.*, the stored queries'
# doc/query/NAME.* and doc/query/prefixes.* among them), the ontology's and the
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
    assert changed == (set(CHANGED_BY_ISSUE_16) | set(ISSUE_16) | MOVED_SOURCE_PATHS | PAGES | set(CHANGED_BY_ISSUE_17)
                       | set(CHANGED_BY_ISSUE_15))
    for name in MOVED_SOURCE_PATHS:
        assert name in CHANGED_BY_ISSUE_16
        text = (built_dist / name).read_text(encoding="utf-8")
        assert "data/source/review.txt" not in text and "data/statements.yaml" not in text, name


def test_the_stored_answers_still_hold(built_dist):
    """The answers from the paragraph did not move: each stored query answers what it answered
    before issue 16, once the language tags and the hedges kept in claim labels are set aside,
    but for the rows ANSWERS_CHANGED_BY_ISSUE_16 names."""
    before_dir = Path(__file__).parent / "release_before" / "queries"
    compared = 0
    for old in sorted(before_dir.iterdir()):
        def rows(text: str) -> set[str]:
            return {HEDGE_IN_LABEL.sub("", line.replace('"@en', '"')) for line in text.splitlines()}

        went_now = rows(old.read_text(encoding="utf-8")) - rows((built_dist / "queries" / old.name).read_text(encoding="utf-8"))
        came = rows((built_dist / "queries" / old.name).read_text(encoding="utf-8")) - rows(old.read_text(encoding="utf-8"))
        went_words, came_words = ANSWERS_CHANGED_BY_ISSUE_16.get(old.name, (set(), set()))
        went17, came17 = ANSWERS_CHANGED_BY_ISSUE_17.get(old.name, (set(), set()))
        went_words, came_words = went_words | went17, came_words | came17 | {"/id/claim/title-"}
        assert all(any(w in row for w in went_words) for row in went_now), (old.name, went_now)
        assert all(any(w in row for w in came_words) for row in came), (old.name, came)
        compared += 1
    assert compared == 21


def test_the_description_moved_the_counts_to_the_rdf_distribution(built_dist):
    """Issue 16 moved the counts and partitions from the version to the RDF distribution (the
    HCLS profile's NEVER on the version level): the version has none left, the distribution has
    them, and they count the release's whole dataset."""
    from rdflib import URIRef

    from mirkg.publish import VOID, version_iri
    from mirkg.void import rdf_distribution

    before = Graph().parse(Path(__file__).parent / "release_before" / "void.ttl", format="turtle")
    now = Graph().parse(built_dist / "void.ttl", format="turtle")
    old, new = URIRef(version_iri()), rdf_distribution()
    whole = Graph().parse(built_dist / "mirkg-all.nt", format="nt")
    for count in (VOID.triples, VOID.entities, VOID.distinctSubjects, VOID.distinctObjects, VOID.classes,
                  VOID.properties):
        assert before.value(old, count) is not None and now.value(old, count) is None, count
        assert now.value(new, count) is not None, count
    assert int(now.value(new, VOID.distinctSubjects)) == len(set(whole.subjects()))
    assert int(now.value(new, VOID.properties)) == len(set(whole.predicates()))
    for kind in (VOID.classPartition, VOID.propertyPartition):
        assert not list(now.objects(old, kind)) and len(list(now.objects(new, kind))) > 10, kind


def test_the_named_graphs_carry_the_version(built_dist, build):
    from mirkg import __version__
    from mirkg.publish import content_graphs

    names = {q.split(b" ")[-2].decode() for q in (built_dist / "mirkg.nq").read_bytes().splitlines()}
    assert names == {f"<{g}>" for g in content_graphs(build.curation.sources)}
    assert all(f"/graph/{__version__}/" in name for name in names)
