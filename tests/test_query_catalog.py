"""queries/catalog.ttl describes every stored query as data (sib-swiss/sparql-examples style:
sh:SPARQLExecutable with rdfs:comment, sh:select / sh:construct / sh:ask and schema:target), is in
sync with queries/*.rq, and its query texts run on the data with the same answers."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from mirkg import paths
from mirkg.queries import CATALOG_FILE, QUERY_NS, catalog_turtle, load_queries, query_body, run_oxigraph, store_from_ntriples
from mirkg.release import sorted_ntriples

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
QUERIES = load_queries(paths.QUERIES)
CATALOG = paths.QUERIES / CATALOG_FILE
FORM = {"SELECT": (SH.SPARQLSelectExecutable, SH.select), "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
        "ASK": (SH.SPARQLAskExecutable, SH.ask)}


@pytest.fixture(scope="module")
def catalog():
    return Graph().parse(CATALOG, format="turtle")


def test_the_catalog_is_in_sync_with_the_query_files():
    # Regenerate with `python -m mirkg.queries` after adding or changing a query.
    assert CATALOG.read_text(encoding="utf-8") == catalog_turtle(QUERIES)


def test_the_catalog_describes_every_query(catalog):
    executables = set(catalog.subjects(RDF.type, SH.SPARQLExecutable))
    assert executables == {URIRef(QUERY_NS + q.name) for q in QUERIES}
    for q in QUERIES:
        node = URIRef(QUERY_NS + q.name)
        kind, text_property = FORM[q.form]
        assert (node, RDF.type, kind) in catalog
        assert catalog.value(node, RDFS.comment) == Literal(q.question, lang="en")
        assert catalog.value(node, RDFS.label) == Literal(q.title, lang="en")
        assert str(catalog.value(node, DCTERMS.description)).startswith(q.answer)
        assert str(catalog.value(node, text_property)) == query_body(q)
        assert catalog.value(node, SCHEMA.target) is not None
        declared = {str(catalog.value(d, SH.prefix)) for d in catalog.objects(catalog.value(node, SH.prefixes), SH.declare)}
        assert {"mirkg", "rdfs"} <= declared


def test_the_catalog_loads_next_to_the_data_and_its_queries_run(build):
    """Load the catalogue into the store with the data, read each query's text back out of the
    store with SPARQL, run it, and get the answer the .rq file gives."""
    store = store_from_ntriples(sorted_ntriples(build.data) + sorted_ntriples(build.ontology))
    store.load(path=str(CATALOG), format=ox.RdfFormat.TURTLE)
    texts = {
        s["q"].value.removeprefix(QUERY_NS): s["text"].value
        for s in store.query(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?q ?text WHERE { ?q a sh:SPARQLExecutable ; "
            "sh:select|sh:construct|sh:ask ?text }"
        )
    }
    assert set(texts) == {q.name for q in QUERIES}
    for q in QUERIES:
        if q.params:
            continue  # parameterised queries are bound by the command line, tested elsewhere
        from_file = run_oxigraph(store, q, {}).normalised()
        from_catalog = run_oxigraph(store, dataclasses.replace(q, text=texts[q.name]), {}).normalised()
        assert from_catalog == from_file, q.name
