"""The import module declares exactly the external terms in use, with the reference labels."""

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from mirkg import paths
from mirkg.imports import build_imports, used_external_terms


def test_committed_import_module_is_current(build):
    own = Graph().parse(paths.ONTOLOGY / "mirkg.ttl", format="turtle")
    expected = build_imports(build.curation.reference, own, build.data)
    committed = Graph().parse(paths.ONTOLOGY / "imports" / "external.ttl", format="turtle")
    assert isomorphic(committed, expected), "run `python build.py imports` and commit the result"


def test_every_external_term_in_the_graph_is_declared_with_the_reference_label(build):
    committed = Graph().parse(paths.ONTOLOGY / "imports" / "external.ttl", format="turtle")
    terms = build.curation.reference.terms
    used = used_external_terms(build.data)
    assert URIRef("http://purl.obolibrary.org/obo/CL_0002540") in used
    for term in used:
        curie = build.curation.reference.converter.compress(str(term))
        assert (term, RDFS.label, Literal(terms[curie].label, lang="en")) in committed
        assert (term, RDF.type, OWL.Class) in committed or (term, RDF.type, OWL.ObjectProperty) in committed
