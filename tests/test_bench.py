"""The benchmark (bench/): its synthetic corpus is valid data, its fast engines give exactly the
answers of the reference engines, and its one command prints the table.

Scale 2 (two copies of the curated statements) keeps this to seconds while still exercising
what the copies share (references, agents, the source text) and what they do not (ids, offsets).
Timings are measured by `python -m bench`, never asserted here: the machine is shared.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from bench.__main__ import main as bench_main
from bench.corpus import make_corpus
from bench.pipelines import consistency_fast, shacl_fast
from bench.summary import summarise
from mirkg import paths
from mirkg.namespaces import ID, MIRKG
from mirkg.pipeline import Paths, _expander, compile_graph
from mirkg.queries import bind, load_queries, run_oxigraph, run_rdflib, store_from_ntriples
from mirkg.reasoning import InconsistentOntology, java_available
from mirkg.release import sorted_ntriples, sorted_ntriples_of
from mirkg.triples import triples_of
from mirkg.validation import load_shapes, run_shacl

SCALE = 2


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """The corpus at scale 2, compiled by the build's own code (rdflib graph)."""
    data = make_corpus(paths.DATA, tmp_path_factory.mktemp("bench") / "data", SCALE)
    return compile_graph(Paths(data, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))


def test_corpus_replicates_every_statement_with_fresh_ids(scaled, build):
    # build: the real dataset (conftest). Copy 1 keeps the real ids, copy 2 has new ones.
    real = [s.id for s in build.curation.statements]
    ids = [s.id for s in scaled.curation.statements]
    assert ids == real + [f"{i}_c2" for i in real]
    assert len(scaled.curation.entities) == SCALE * len(build.curation.entities)
    # Copy 2's quotes sit in the second copy of the paragraph, at the same place.
    shift = len(build.curation.source.text) + 1
    for one, two in zip(scaled.curation.statements, scaled.curation.statements[len(real):]):
        assert (two.span.start, two.span.exact) == (one.span.start + shift, one.span.exact)
    # Same mix of claim kinds in every copy.
    assert sum(s.hedge is not None for s in scaled.curation.statements) == SCALE * sum(
        s.hedge is not None for s in build.curation.statements)


def test_fast_triples_and_ntriples_equal_the_builds(scaled):
    fast = sorted_ntriples_of(triples_of(scaled.curation, scaled.ontology))
    assert fast == sorted_ntriples(scaled.data)


def test_turbo_gives_exactly_the_reference_shacl_results(scaled):
    shapes = load_shapes(paths.SHAPES)
    reference = run_shacl(scaled.data, shapes, scaled.ontology, engine="pyshacl")
    fast = shacl_fast(sorted_ntriples(scaled.data) + sorted_ntriples(scaled.ontology))
    assert fast == reference  # result by result: focus, path, component, severity, message, value
    # The corpus is valid: no violation, and each copy has the warnings of the real data.
    assert not [r for r in reference if r.severity == "Violation"]
    assert len(reference) % SCALE == 0 and reference


def test_turbo_finds_the_same_violations_on_broken_data(scaled):
    # Without this, a fast engine that reports nothing would pass the test above.
    broken = scaled.data + Graph()  # a copy
    claim = URIRef(str(ID) + "claim/mir663-targets-tgfb1_c2")
    broken.remove((claim, MIRKG.claimSubject, None))
    shapes = load_shapes(paths.SHAPES)
    reference = run_shacl(broken, shapes, scaled.ontology, engine="pyshacl")
    fast = shacl_fast(sorted_ntriples(broken) + sorted_ntriples(scaled.ontology))
    assert [r for r in reference if r.severity == "Violation" and r.focus == str(claim)]
    assert fast == reference


def test_oxigraph_answers_every_stored_query_as_rdflib_does(scaled):
    store = store_from_ntriples(sorted_ntriples(scaled.data) + sorted_ntriples(scaled.ontology))
    union = scaled.data + scaled.ontology
    expand = _expander(scaled.curation.reference.converter.expand)
    queries = load_queries(paths.QUERIES)
    assert queries
    for query in queries:
        bindings = bind(query, query.example, expand)
        assert run_oxigraph(store, query, bindings).normalised() == run_rdflib(union, query, bindings).normalised(), query.name


needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")


def test_summary_is_much_smaller_and_grows_not_with_the_copies(scaled, build):
    one = summarise(build.ontology, triples_of(build.curation, build.ontology))[1]
    two = summarise(scaled.ontology, triples_of(scaled.curation, scaled.ontology))[1]
    assert two["individuals"] > 1.8 * one["individuals"]
    assert two["representatives"] == one["representatives"]


@needs_java
def test_summary_reasoning_agrees_with_hermit_on_everything(scaled):
    triples = triples_of(scaled.curation, scaled.ontology)
    assert consistency_fast(scaled.ontology, triples, "summary").startswith("consistent: HermiT on the summary")


@needs_java
def test_summary_reasoning_still_finds_an_inconsistency(scaled):
    # An entity of copy 2 typed into two disjoint classes: the summary (or the fallback on the
    # whole graph) must say inconsistent, naming the individual, as HermiT on everything does.
    triples = triples_of(scaled.curation, scaled.ontology)
    entity = URIRef(str(ID) + "entity/TRAF6_c2")
    triples.append((entity, RDF.type, MIRKG.Disease))
    with pytest.raises(InconsistentOntology, match="TRAF6_c2"):
        consistency_fast(scaled.ontology, triples, "summary")


@needs_java
def test_the_command_prints_the_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert bench_main(["--scale", "1", "--no-naive", "--reasoner", "summary", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| SHACL validation |" in printed and "| stored queries |" in printed
    figures = json.loads(out.read_text())
    fast = figures["scales"]["1"]["fast"]
    assert fast["end"] == "ok" and fast["violations"] == 0
    assert set(fast["answers_digest"]) == {q.name for q in load_queries(paths.QUERIES)}
