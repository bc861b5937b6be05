"""SHACL's core engine reads only the triples its shapes can look at (validation.predicates_read):
the results are the same as from all the data, on every shape fixture, and a shape that may read
any triple (closed, SHACL-SPARQL, a custom target) keeps them all."""

from __future__ import annotations

import pytest
from rdflib import Graph

from mirkg import paths
from mirkg.validation import _core_results, _read_by, _split, lines_read, load_shapes, predicates_read
from test_shapes_fixtures import FIXTURES, ONTOLOGY, fixture

SHAPES = load_shapes(paths.SHAPES)
CORE, _ = _split(SHAPES, "turbo-oxigraph")

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def shapes(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def iri(name: str) -> bytes:
    return b"<https://example.org/%s>" % name.encode()


def test_the_predicates_of_paths_targets_and_pairs_are_read_and_no_other():
    read = predicates_read(shapes("""
        ex:S sh:targetSubjectsOf ex:t ; sh:property [ sh:path ( ex:a [ sh:inversePath ex:b ] ) ;
            sh:lessThan ex:c ] ;
          sh:property [ sh:path [ sh:alternativePath ( ex:d [ sh:zeroOrMorePath ex:e ] ) ] ; sh:class ex:K ] .
    """))
    expected = {iri(n) for n in "tabcde"} | {b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
                                              b"<http://www.w3.org/2000/01/rdf-schema#subClassOf>"}
    assert read == expected


@pytest.mark.parametrize("turtle", [
    "ex:S sh:targetClass ex:K ; sh:closed true ; sh:property [ sh:path ex:a ] .",
    'ex:S sh:targetClass ex:K ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:z ?v }" ] .',
    'ex:S sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ex:z ?v }" ] .',
    "ex:S sh:targetClass ex:K ; sh:rule [ a sh:TripleRule ] .",
])
def test_a_shape_that_may_read_any_triple_keeps_them_all(turtle):
    assert predicates_read(shapes(turtle)) is None


def test_a_path_list_that_loops_is_read_once():
    read = predicates_read(shapes("""
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        ex:S sh:targetClass ex:K ; sh:property [ sh:path _:l ] . _:l rdf:first ex:a ; rdf:rest _:l .
    """))
    assert iri("a") in read


def test_a_shape_closed_false_still_reads_only_its_predicates():
    read = predicates_read(shapes("ex:S sh:targetClass ex:K ; sh:closed false ; sh:property [ sh:path ex:a ] ."))
    assert read is not None and iri("a") in read and iri("z") not in read


def test_lines_read_drops_the_lines_of_other_predicates_and_keeps_each_line_whole():
    piece = (b"<https://example.org/s> <https://example.org/a> \"x y z\" .\n"
             b"<https://example.org/s> <https://example.org/z> <https://example.org/o> .\n"
             b"_:b <https://example.org/a> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n")
    assert list(lines_read([piece], frozenset({iri("a")}))) == [
        b"<https://example.org/s> <https://example.org/a> \"x y z\" .\n"
        b"_:b <https://example.org/a> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"]
    assert list(lines_read([piece], None)) == [piece]


def test_the_build_core_shapes_read_less_than_all_of_the_base_graph():
    # Otherwise the tests below would compare the data with itself.
    base = fixture(FIXTURES[0].name).data()
    read = predicates_read(CORE)
    assert read is not None
    assert any(b"<%s>" % str(p).encode() not in read for p in set(base.predicates()))


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in FIXTURES])
def test_every_fixture_gives_the_same_results_from_the_triples_read(name):
    data = fixture(name).data()
    kept = _read_by(data, predicates_read(CORE))
    assert len(kept) < len(data)
    assert _core_results("turbo", kept + ONTOLOGY, CORE) == _core_results("turbo", data + ONTOLOGY, CORE)
