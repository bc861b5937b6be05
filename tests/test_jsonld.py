"""Issue 16, point 10: JSON-LD for JSON developers, checked with pyld (the JSON-LD processor of
the JSON-LD test suite's Python implementation), not with the code that wrote it.

- dist/mirkg-all.jsonld, expanded by pyld under the published context, gives the Turtle's triples;
- dist/mirkg-claims.jsonld (one object per claim, its evidence, span and selectors nested)
  gives exactly the claim nodes' triples of the Turtle, and is what pyld's JSON-LD framing
  (frame `{"@type": "Claim"}`) makes of it;
- the context's term definitions come from the ontology's property declarations.
Each has a fixture that breaks it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from mirkg import iris, paths

pyld = pytest.importorskip("pyld")  # requirements-test.txt pins it
from pyld import jsonld  # noqa: E402


def _loader(dist: Path, context: dict | None = None):
    """pyld's document loader for file: URLs in dist/ (the published context is fetched as a
    processor fetches it from the web), optionally serving another context instead."""
    def load(url, options=None):
        assert url.startswith("file://"), url
        path = Path(url.removeprefix("file://"))
        document = context if context is not None and path.name == "context.jsonld" else json.loads(
            path.read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": document}
    return load


def triples_by_pyld(dist: Path, name: str, context: dict | None = None) -> Graph:
    path = dist / name
    document = json.loads(path.read_text(encoding="utf-8"))
    options = {"base": path.as_uri(), "documentLoader": _loader(dist, context)}
    expanded = jsonld.expand(document, options)
    nquads = jsonld.to_rdf(expanded, {**options, "format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


@pytest.fixture(scope="module")
def turtle(built_dist) -> Graph:
    return Graph().parse(built_dist / "mirkg-all.ttl", format="turtle")


@pytest.fixture(scope="module")
def context(built_dist) -> dict:
    return json.loads((built_dist / "context.jsonld").read_text(encoding="utf-8"))


def _claim_part(graph: Graph) -> set:
    claims = f"{iris.BASE}claim/"
    return {t for t in graph if str(t[0]).startswith(claims)}


def test_the_whole_jsonld_expands_to_the_turtles_triples(built_dist, turtle):
    ours = triples_by_pyld(built_dist, "mirkg-all.jsonld")
    assert len(ours) == len(turtle) > 2000
    assert isomorphic(ours, turtle)


def test_the_claims_document_expands_to_the_claims_triples(built_dist, turtle):
    ours = triples_by_pyld(built_dist, "mirkg-claims.jsonld")
    expected = _claim_part(turtle)
    assert set(ours) == expected and len(expected) > 500


def test_the_claims_document_has_one_object_per_claim_with_its_evidence_nested(built_dist, build):
    document = json.loads((built_dist / "mirkg-claims.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == "context.jsonld"
    objects = document["@graph"]
    assert [o["@id"] for o in objects] == sorted(f"claim/{s.id}" for s in build.curation.statements)
    for o in objects:
        assert "Claim" in ([o["@type"]] if isinstance(o["@type"], str) else o["@type"])
        evidence, span = o["hasEvidence"], o["hasTextSpan"]
        assert isinstance(evidence, dict) and evidence["@id"] == f"{o['@id']}/evidence"
        assert isinstance(span, dict) and len(span["hasSelector"]) == 2
        assert isinstance(o["subject"], str) and o["subject"].startswith("entity/")
    hedged = {f"claim/{s.id}" for s in build.curation.statements if s.hedge}
    assert hedged and all(o["isHedged"] is (o["@id"] in hedged) for o in objects)  # JSON booleans
    traf6 = next(o for o in objects if o["@id"] == "claim/mir146a-targets-traf6")
    quote = next(s for s in traf6["hasTextSpan"]["hasSelector"] if "exact" in s)["exact"]
    assert quote == next(s.quote for s in build.curation.statements if s.id == "mir146a-targets-traf6")


def test_terms_come_from_the_ontologys_property_declarations(context):
    ctx = context["@context"]
    assert ctx["@base"] == "https://w3id.org/mirkg/id/" and ctx["@vocab"] == "https://w3id.org/mirkg/"
    assert ctx["subject"] == {"@id": "https://w3id.org/mirkg/claimSubject", "@type": "@id"}
    ontology = Graph().parse(paths.ONTOLOGY / "mirkg.ttl", format="turtle")
    by_iri = {v["@id"]: v for v in ctx.values() if isinstance(v, dict)}
    mirkg = "https://w3id.org/mirkg/"
    object_properties = {str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(mirkg)}
    assert len(object_properties) > 20
    for prop in object_properties:
        assert by_iri[prop].get("@type") == "@id", prop
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        if str(prop).startswith(mirkg) and str(prop) in by_iri:
            assert by_iri[str(prop)].get("@type") != "@id", prop


def test_a_context_with_a_wrong_term_breaks_the_comparison(built_dist, context, turtle):
    """The fixture of the first test: a term pointing at another property changes pyld's triples."""
    broken = json.loads(json.dumps(context))
    broken["@context"]["subject"] = {"@id": "https://w3id.org/mirkg/claimObject", "@type": "@id"}
    ours = triples_by_pyld(built_dist, "mirkg-claims.jsonld", broken)
    assert set(ours) != _claim_part(turtle)
    assert (URIRef(f"{iris.BASE}claim/mir146a-targets-traf6"), URIRef("https://w3id.org/mirkg/claimSubject"),
            None) not in ours


def test_a_claims_document_missing_a_nested_node_is_caught(built_dist, turtle, tmp_path):
    document = json.loads((built_dist / "mirkg-claims.jsonld").read_text(encoding="utf-8"))
    del document["@graph"][0]["hasEvidence"]
    (tmp_path / "mirkg-claims.jsonld").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "context.jsonld").write_bytes((built_dist / "context.jsonld").read_bytes())
    assert set(triples_by_pyld(tmp_path, "mirkg-claims.jsonld")) != _claim_part(turtle)


# every claim a top-level object, what it alone links to embedded, and its Web Annotation (the
# node whose oa:hasBody it is) embedded in reverse
# (the span stays in the claim); a claim another claim limits is a top-level object of its own
FRAME = {"@type": "Claim", "limits": {"@embed": "@never"}, "@reverse": {"hasBody": {"hasTarget": {"@embed": "@never"}}}}


def _normal(value):
    if isinstance(value, list):
        return sorted((_normal(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def _is_its_own_framing(dist: Path, document: dict, context: dict) -> bool:
    """The document has the shape JSON-LD framing gives it: pyld's frame of it with FRAME, and
    the document itself, expand to the same nested node objects."""
    options = {"base": (dist / "mirkg-claims.jsonld").as_uri(), "documentLoader": _loader(dist)}
    framed = jsonld.frame(document, {"@context": context["@context"], **FRAME}, options)
    return _normal(jsonld.expand(document, options)) == _normal(jsonld.expand(framed, options))


def test_the_claims_document_is_the_claims_framed(built_dist, context):
    document = json.loads((built_dist / "mirkg-claims.jsonld").read_text(encoding="utf-8"))
    assert _is_its_own_framing(built_dist, document, context)
    # Its fixture: the first claim's evidence moved out of it, to the top level, is not framed.
    first = document["@graph"][0]
    evidence = first["hasEvidence"]
    first["hasEvidence"] = evidence["@id"]
    document["@graph"].append(evidence)
    assert not _is_its_own_framing(built_dist, document, context)
