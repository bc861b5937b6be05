"""mirkg/summary.py on a small hand-made graph: which individuals share a representative (types,
functional datatype values, the classes behind functional object properties refined over more
than one round), what the summary keeps of literals, and what it refuses to summarise. Every
expected value follows from the module's rules, worked out in the comments."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mirkg.iris import BASE
from mirkg.summary import summarise

EX = Namespace("http://example.org/")  # the ontology's terms and an external IRI: they map to themselves


def _ontology() -> Graph:
    g = Graph()
    g.add((EX.fo, RDF.type, OWL.FunctionalProperty))  # functional object property
    g.add((EX.fd, RDF.type, OWL.FunctionalProperty))  # functional datatype property
    restriction = BNode()
    g.add((restriction, RDF.type, OWL.Restriction))
    g.add((restriction, OWL.onProperty, EX.note))  # note is in a restriction: its values are kept
    g.add((EX.sub, RDFS.subPropertyOf, EX.note))  # and so are those of its sub-property
    g.add((EX.code, RDFS.range, XSD.integer))  # code: collapsible for well-typed integers only
    return g  # label, rel and seeAlso: unconstrained


def _i(name: str) -> URIRef:
    return URIRef(f"{BASE}t/{name}")  # a new IRI at each call, as the build makes them


def _triples() -> list:
    i = _i
    return [
        # Two chains a -fo-> b -fo-> c. Types alone put a1, a2, a3 together, and b1, b2, b3; c2
        # differs from c1 and c3 by its type. Round 1 splits b2 from b1, b3 (its c differs);
        # only round 2 splits a2 from a1, a3 (its b differs).
        *((i(f"a{n}"), RDF.type, EX.A) for n in (1, 2, 3)),
        *((i(f"b{n}"), RDF.type, EX.B) for n in (1, 2, 3)),
        *((i(f"a{n}"), EX.fo, i(f"b{n}")) for n in (1, 2, 3)),
        *((i(f"b{n}"), EX.fo, i(f"c{n}")) for n in (1, 2, 3)),
        (i("c1"), RDF.type, EX.T), (i("c2"), RDF.type, EX.U), (i("c3"), RDF.type, EX.T),
        # Functional datatype values: d1 and d2 alike, d3 apart; each value kept.
        *((i(f"d{n}"), RDF.type, EX.D) for n in (1, 2, 3)),
        (i("d1"), EX.fd, Literal("x")), (i("d2"), EX.fd, Literal("x")), (i("d3"), EX.fd, Literal("y")),
        # e1 and e2: one type, and values of non-functional properties only: alike.
        (i("e1"), RDF.type, EX.E), (i("e2"), RDF.type, EX.E),
        (i("e1"), EX.label, Literal("one")), (i("e2"), EX.label, Literal("two")),  # collapsed: "one"
        (i("e1"), EX.label, Literal("uno", lang="it")), (i("e2"), EX.label, Literal("due", lang="it")),  # "due"@it
        (i("e1"), EX.note, Literal("n1")), (i("e2"), EX.note, Literal("n2")),  # kept, both
        (i("e1"), EX.sub, Literal("s1")), (i("e2"), EX.sub, Literal("s2")),  # kept, both
        (i("e1"), EX.code, Literal(1)), (i("e2"), EX.code, Literal(2)),  # collapsed: 1
        (i("e2"), EX.code, Literal("s")),  # a string, outside the range: kept
        (i("e2"), EX.code, Literal("abc", datatype=XSD.integer)),  # ill-typed: kept
        (i("e2"), EX.code, Literal("abc", datatype=XSD.integer)),  # twice in the data, once in the summary
        # f1 and f2 are objects only: individuals without facts, alike.
        (i("e1"), EX.rel, i("f1")), (i("e2"), EX.rel, i("f2")),
        (i("e1"), RDFS.seeAlso, URIRef("http://example.org/ext")),
        (i("e2"), RDFS.seeAlso, URIRef("http://example.org/ext")),
    ]


def test_the_summary_merges_what_the_rules_say_and_keeps_what_they_keep():
    triples = _triples()
    summary, stats = summarise(_ontology(), triples)
    i = _i  # each class stands as its smallest IRI
    expected = {
        (i("a1"), RDF.type, EX.A), (i("a2"), RDF.type, EX.A),
        (i("a1"), EX.fo, i("b1")), (i("a2"), EX.fo, i("b2")),
        (i("b1"), RDF.type, EX.B), (i("b2"), RDF.type, EX.B),
        (i("b1"), EX.fo, i("c1")), (i("b2"), EX.fo, i("c2")),
        (i("c1"), RDF.type, EX.T), (i("c2"), RDF.type, EX.U),
        (i("d1"), RDF.type, EX.D), (i("d3"), RDF.type, EX.D),
        (i("d1"), EX.fd, Literal("x")), (i("d3"), EX.fd, Literal("y")),
        (i("e1"), RDF.type, EX.E),
        (i("e1"), EX.label, Literal("one")), (i("e1"), EX.label, Literal("due", lang="it")),
        (i("e1"), EX.note, Literal("n1")), (i("e1"), EX.note, Literal("n2")),
        (i("e1"), EX.sub, Literal("s1")), (i("e1"), EX.sub, Literal("s2")),
        (i("e1"), EX.code, Literal(1)), (i("e1"), EX.code, Literal("s")),
        (i("e1"), EX.code, Literal("abc", datatype=XSD.integer)),
        (i("e1"), EX.rel, i("f1")), (i("e1"), RDFS.seeAlso, URIRef("http://example.org/ext")),
    }
    assert set(summary) == expected
    # a1-a3, b1-b3, c1-c3, d1-d3, e1, e2, f1, f2; classes {a1, a3} {a2} {b1, b3} {b2} {c1, c3}
    # {c2} {d1, d2} {d3} {e1, e2} {f1, f2}
    assert stats == {"individuals": 16, "representatives": 10, "triples": len(triples),
                     "summary triples": len(expected)}


def test_the_triples_may_come_from_an_iterator():
    # They are read twice: an iterator is read into a list first.
    summary, stats = summarise(_ontology(), iter(_triples()))
    assert len(summary) == 26 and stats["triples"] == len(_triples())


@pytest.mark.parametrize("triple", [
    (_i("a1"), OWL.sameAs, _i("a2")),
    (_i("a1"), OWL.differentFrom, _i("a2")),
    (BNode(), RDF.type, OWL.AllDifferent),
])
def test_data_that_states_equality_of_individuals_is_not_summarised(triple):
    # Merging individuals is sound only without (in)equality statements between them.
    with pytest.raises(ValueError, match="states \\(in\\)equality"):
        summarise(_ontology(), [*_triples(), triple])
