"""The benchmark (bench/): its synthetic corpus is valid data, its fast engines give exactly the
answers of the reference engines, and its one command prints the table.

Scale 2 (two copies of the curated statements) keeps this to seconds while still exercising
what the copies share (references, agents, the source text and the places they quote) and what
they do not (ids).
Timings are measured by `python -m bench`, never asserted here: the machine is shared.
"""

from __future__ import annotations

import json
import time

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from bench.__main__ import main as bench_main
from bench.corpus import make_corpus
from bench.pipelines import (
    NTriplesFeed,
    OwlBeside,
    consistency_fast,
    in_child,
    run_fast,
    shacl_core,
    shacl_core_fed,
    shacl_fast,
    yaml_beside,
)
from bench.summary import summarise
from mirkg import paths
from mirkg.namespaces import ID, MIRKG
from mirkg.pipeline import Paths, compile_graph, curie_expander
from mirkg.errors import CurationError
from mirkg.queries import answer_as_tsv, bind, load_queries, run_oxigraph, run_rdflib, store_from_ntriples
from mirkg.reasoning import InconsistentOntology, java_available
from mirkg.release import ntriples_pieces, sorted_ntriples, sorted_ntriples_file, sorted_ntriples_of, sorted_ntriples_text
from mirkg.triples import triples_of
from mirkg.shacl_sparql import split_shapes
from mirkg.validation import format_report, load_shapes, run_shacl, shape_shares
from mirkg.yamlio import load_yaml

SCALE = 2
needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs a Java runtime")
pytestmark = pytest.mark.slow  # a scale-2 corpus, child processes and the reference engines


@pytest.fixture(scope="module")
def scaled_data(tmp_path_factory):
    """The curated input at scale 2 (a data/ folder)."""
    return make_corpus(paths.DATA, tmp_path_factory.mktemp("bench") / "data", SCALE)


@pytest.fixture(scope="module")
def scaled(scaled_data):
    """The corpus at scale 2, compiled by the build's own code (rdflib graph)."""
    return compile_graph(Paths(scaled_data, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))


def test_corpus_replicates_every_statement_with_fresh_ids(scaled, build):
    # build: the real dataset (conftest). Copy 1 keeps the real ids, copy 2 has new ones.
    real = [s.id for s in build.curation.statements]
    ids = [s.id for s in scaled.curation.statements]
    assert ids == real + [f"{i}_c2" for i in real]
    assert len(scaled.curation.entities) == SCALE * len(build.curation.entities)
    # The text is the real one, and copy 2 quotes it where copy 1 does.
    assert scaled.curation.source.text == build.curation.source.text
    for one, two in zip(scaled.curation.statements, scaled.curation.statements[len(real):]):
        assert (two.span.start, two.span.end, two.span.exact) == (one.span.start, one.span.end, one.span.exact)
    # Same mix of claim kinds in every copy.
    assert sum(s.hedge is not None for s in scaled.curation.statements) == SCALE * sum(
        s.hedge is not None for s in build.curation.statements)


def test_repeated_text_puts_each_copy_on_its_own_paragraph(tmp_path, build):
    data = make_corpus(paths.DATA, tmp_path / "data", 3, repeat_text=True)
    repeated = compile_graph(Paths(data, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST)).curation
    paragraph = build.curation.source.text
    assert repeated.source.text == "\n".join([paragraph] * 3)
    shift = len(paragraph) + 1
    n = len(build.curation.statements)
    for k in (1, 2):
        for one, other in zip(repeated.statements, repeated.statements[k * n:(k + 1) * n]):
            assert (other.span.start, other.span.exact) == (one.span.start + k * shift, one.span.exact)


def test_fast_triples_and_ntriples_equal_the_builds(scaled):
    fast = sorted_ntriples_of(triples_of(scaled.curation, scaled.ontology))
    assert fast == sorted_ntriples(scaled.data)


def test_ntriples_pieces_hold_every_line_in_the_triples_order(scaled, tmp_path):
    # The pieces the benchmark's SHACL child reads as they are written: a line per triple, in
    # the triples' order; sorted, they are the release's N-Triples.
    triples = triples_of(scaled.curation, scaled.ontology)
    pieces = list(ntriples_pieces(triples, piece_triples=1000))
    assert len(pieces) == -(-len(triples) // 1000) > 1
    text = b"".join(pieces)
    lines = text.splitlines()
    assert len(lines) == len(triples)
    assert sorted_ntriples_text(text) == sorted_ntriples_of(triples) == sorted_ntriples(scaled.data)
    file = tmp_path / "data.nt"
    file.write_bytes(text)
    assert sorted_ntriples_file(file, piece=4096) == sorted_ntriples_text(text)
    for at in (0, 1000, len(triples) - 1):
        one = Graph()
        one.add(triples[at])
        assert lines[at] == sorted_ntriples(one).strip()


def _broken(scaled) -> Graph:
    """The scale-2 data with a claim that lost its subject and a direct triple with no claim
    behind it: violations of core and of SHACL-SPARQL constraints."""
    broken = scaled.data + Graph()  # a copy
    claim = URIRef(str(ID) + "claim/mir663-targets-tgfb1_c2")
    broken.remove((claim, MIRKG.claimSubject, None))
    broken.add((URIRef(str(ID) + "entity/hsa-miR-153-3p_c2"), MIRKG.targets, URIRef(str(ID) + "entity/IL6_c2")))
    return broken


def test_fed_child_validates_as_the_whole_is_validated(scaled):
    # The benchmark's SHACL child is forked before the data exists and reads it piece by piece
    # as it is written: its results are those of the core constraints on the whole at once.
    core, _ = split_shapes(load_shapes(paths.SHAPES))
    onto_nt = sorted_ntriples(scaled.ontology)
    triples = list(_broken(scaled))
    expected = shacl_core(sorted_ntriples_of(triples) + onto_nt, core)
    assert [r for r in expected if r.severity == "Violation"]
    with NTriplesFeed() as feed:
        run = in_child(shacl_core_fed, onto_nt, feed, core)
        feed.started()
        pieces = list(ntriples_pieces(triples, piece_triples=500))
        for piece in pieces:
            feed.put(piece)
        feed.close()
        # The file holds all it handed over, for the store and the release's sort.
        assert feed.path.read_bytes() == b"".join(pieces)
        (results, times), seconds = run()
    assert results == expected
    assert set(times) == {"idle", "read", "validate"} and times["read"] + times["validate"] <= seconds
    assert not feed.path.exists()  # removed with the `with` block


def _fails(text):
    raise ValueError(text)


def _slow(value, seconds):
    time.sleep(seconds)
    return value


def test_a_child_that_fails_fails_the_run_with_its_traceback():
    with pytest.raises(RuntimeError, match="ValueError: no dataset here"):
        in_child(_fails, "no dataset here")()


def test_a_child_past_its_budget_is_stopped_and_the_budget_can_start_late():
    assert in_child(_slow, "done", 30, budget=0.5)() == (None, None)
    # Counted from start_budget(), called once the child has its input, the same budget is
    # enough for a child that started earlier.
    run = in_child(_slow, "done", 1.5, budget=1.0)
    time.sleep(1.0)
    run.start_budget()
    value, seconds = run()
    assert value == "done" and seconds >= 1.5


def test_yaml_read_beside_gives_the_same_records_and_the_same_errors(scaled_data, tmp_path):
    statements = scaled_data / "statements.yaml"
    assert yaml_beside(statements) is load_yaml  # too small to fork for
    read = yaml_beside(statements, least=0)
    records = read(statements)
    assert records == load_yaml(statements)
    assert [r.line for r in records["statements"]] == [r.line for r in load_yaml(statements)["statements"]]
    assert read(scaled_data / "citations.yaml") == load_yaml(scaled_data / "citations.yaml")
    bad = tmp_path / "statements.yaml"
    bad.write_text("statements:\n  - id: a\n    id: b\n", encoding="utf-8")
    with pytest.raises(CurationError) as expected:
        load_yaml(bad)
    with pytest.raises(CurationError) as beside:
        yaml_beside(bad, least=0)(bad)
    assert str(beside.value) == str(expected.value) and "twice" in str(expected.value)


@needs_java
@pytest.mark.java
@pytest.mark.reference
def test_fast_side_end_to_end_gives_the_reference_report_and_answers(scaled, scaled_data, tmp_path):
    # run_fast as `python -m bench` runs it (child forked first and fed, YAML read beside,
    # HermiT beside): its release holds pyshacl's report and rdflib's answer to every query.
    records = []
    run_fast(scaled_data, tmp_path / "out", records.append)
    assert records[-1]["done"] and records[-1]["reasoning"].startswith("consistent")
    reference = run_shacl(scaled.data, load_shapes(paths.SHAPES), scaled.ontology, engine="pyshacl")
    assert reference  # the warnings of every copy
    assert (tmp_path / "out" / "validation-report.txt").read_text(encoding="utf-8") == format_report(reference)
    union = scaled.data + scaled.ontology
    expand = curie_expander(scaled.curation)
    for query in load_queries(paths.QUERIES):
        expected = run_rdflib(union, query, bind(query, query.example, expand))
        suffix = {"SELECT": "tsv", "ASK": "txt"}.get(expected.form, "nt")
        written = (tmp_path / "out" / "queries" / f"{query.name}.{suffix}").read_text(encoding="utf-8")
        assert written == answer_as_tsv(expected), query.name


@pytest.mark.reference
def test_turbo_gives_exactly_the_reference_shacl_results(scaled):
    shapes = load_shapes(paths.SHAPES)
    reference = run_shacl(scaled.data, shapes, scaled.ontology, engine="pyshacl")
    fast = shacl_fast(sorted_ntriples(scaled.data) + sorted_ntriples(scaled.ontology))
    assert fast == reference  # result by result: focus, path, component, severity, message, value
    # The corpus is valid: no violation, and each copy has the warnings of the real data.
    assert not [r for r in reference if r.severity == "Violation"]
    assert len(reference) % SCALE == 0 and reference


@pytest.mark.reference
@pytest.mark.parametrize("parts", [1, 2, 3])
def test_turbo_finds_the_same_violations_on_broken_data(scaled, parts):
    # Without this, a fast engine that reports nothing would pass the test above. In 1, 2 or 3
    # shares of the shapes validated side by side, the results are the same.
    broken = _broken(scaled)
    claim = URIRef(str(ID) + "claim/mir663-targets-tgfb1_c2")
    shapes = load_shapes(paths.SHAPES)
    reference = run_shacl(broken, shapes, scaled.ontology, engine="pyshacl")
    fast = shacl_fast(sorted_ntriples(broken) + sorted_ntriples(scaled.ontology), parts=parts)
    assert [r for r in reference if r.severity == "Violation" and r.focus == str(claim)]
    assert {r.shape.rsplit("/", 1)[-1] for r in reference if r.severity == "Violation"} >= {"DirectTripleShape"}
    assert fast == reference


def test_shape_shares_target_each_shape_once():
    shapes = load_shapes(paths.SHAPES)
    shares = shape_shares(shapes, 3)
    targeted = {s for s, p, _ in shapes if p == SH.targetClass or p == SH.targetSubjectsOf}
    for shape in targeted:
        owners = [i for i, share in enumerate(shares)
                  if any(share.objects(shape, SH.targetClass)) or any(share.objects(shape, SH.targetSubjectsOf))]
        assert len(owners) == 1, shape
    assert all(len({s for s, p, _ in share if p == SH.targetClass}) for share in shares)


@pytest.mark.reference
def test_oxigraph_answers_every_stored_query_as_rdflib_does(scaled):
    store = store_from_ntriples(sorted_ntriples(scaled.data) + sorted_ntriples(scaled.ontology))
    union = scaled.data + scaled.ontology
    expand = curie_expander(scaled.curation)
    queries = load_queries(paths.QUERIES)
    assert queries
    for query in queries:
        bindings = bind(query, query.example, expand)
        assert run_oxigraph(store, query, bindings).normalised() == run_rdflib(union, query, bindings).normalised(), query.name



def test_summary_is_much_smaller_and_grows_not_with_the_copies(scaled, build):
    one = summarise(build.ontology, triples_of(build.curation, build.ontology))[1]
    two = summarise(scaled.ontology, triples_of(scaled.curation, scaled.ontology))[1]
    assert two["individuals"] > 1.8 * one["individuals"]
    assert two["representatives"] == one["representatives"]


@needs_java
@pytest.mark.java
def test_summary_reasoning_agrees_with_hermit_on_everything(scaled):
    triples = triples_of(scaled.curation, scaled.ontology)
    assert consistency_fast(scaled.ontology, triples, "summary").startswith("consistent: HermiT on the summary")


@needs_java
@pytest.mark.java
def test_summary_reasoning_still_finds_an_inconsistency(scaled):
    # An entity of copy 2 typed into two disjoint classes: the summary (or the fallback on the
    # whole graph) must say inconsistent, naming the individual, as HermiT on everything does.
    triples = triples_of(scaled.curation, scaled.ontology)
    entity = URIRef(str(ID) + "entity/TRAF6_c2")
    triples.append((entity, RDF.type, MIRKG.Disease))
    with pytest.raises(InconsistentOntology, match="TRAF6_c2"):
        consistency_fast(scaled.ontology, triples, "summary")


@needs_java
@pytest.mark.java
def test_the_command_prints_the_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert bench_main(["--scale", "1", "--no-naive", "--reasoner", "summary", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| SHACL validation |" in printed and "| stored queries |" in printed
    figures = json.loads(out.read_text())
    fast = figures["scales"]["1"]["fast"]
    assert fast["end"] == "ok" and fast["violations"] == 0
    assert set(fast["answers_digest"]) == {q.name for q in load_queries(paths.QUERIES)}


@needs_java
@pytest.mark.java
def test_owl_beside_the_other_stages_still_stops_on_an_inconsistency(scaled):
    # The benchmark's fast side runs HermiT on the summary in a thread, and on the whole graph
    # read back from the N-Triples when the summary is inconsistent: the verdict is raised, with
    # the individual named, as consistency_fast raises it.
    triples = triples_of(scaled.curation, scaled.ontology)
    entity = URIRef(str(ID) + "entity/TRAF6_c2")
    triples.append((entity, RDF.type, MIRKG.Disease))
    whole = Graph()
    for triple in triples:
        whole.add(triple)
    owl = OwlBeside(scaled.ontology, triples, lambda: whole)
    owl.start()
    with pytest.raises(InconsistentOntology, match="TRAF6_c2"):
        owl.verdict()
