"""A release written without files for its records' and nanopublications' documents (issue 15:
above linked_data.FILES_UP_TO records, or `--documents served`): `serve` makes each document when
it is asked for, and it must be, byte for byte, the file the build writes otherwise; every IRI
must answer as it does from the files. Built from the shipped data both ways, compared."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import fetch, made_up_iris, serving
from rdflib import Graph, URIRef

from mirkg.linked_data import FORMATS, NANOPUB_FORMATS, SERVED_MARK, serialize

pytestmark = [pytest.mark.server, pytest.mark.slow]
IDS = "https://w3id.org/mirkg/id/"
FRONT = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json", "trig": "application/trig",
         "nq": "application/n-quads", "nt": "application/n-triples", "rdf": "application/rdf+xml"}


get = fetch


def made_files(dist: Path) -> list[Path]:
    """The documents a release with files has and a served one has not: the data's records', the
    nanopublications' and the named graphs' (the stored queries' and the whole graphs' stay)."""
    doc = dist / "doc"
    return sorted(p for p in doc.rglob("*") if p.is_file() and p.parent != doc and p.relative_to(doc).parts[0] != "query")


@pytest.fixture(scope="module")
def front(served_dist):
    with serving(served_dist) as (base, _):
        yield base


def test_a_served_release_leaves_out_the_documents_and_says_so(served_dist, built_dist):
    """Everything else is the release with files, byte for byte; SHA256SUMS lists what is there."""
    left_out = made_files(built_dist)
    kinds = {p.relative_to(built_dist / "doc").parts[0] for p in left_out}
    assert {"claim", "entity", "np", "source", "work", "graph"} <= kinds
    assert made_files(served_dist) == []
    assert any((served_dist / "doc" / "query").iterdir())
    note = (served_dist / SERVED_MARK).read_text(encoding="utf-8")
    assert "--documents served" in note and "python build.py serve" in note
    with_files = {p.relative_to(built_dist) for p in built_dist.rglob("*") if p.is_file()}
    served = {p.relative_to(served_dist) for p in served_dist.rglob("*") if p.is_file()}
    assert served == (with_files - {p.relative_to(built_dist) for p in left_out}) | {Path(SERVED_MARK)}
    differ = sorted(str(p) for p in served & with_files
                    if (served_dist / p).read_bytes() != (built_dist / p).read_bytes())
    assert differ == [".htaccess", "SHA256SUMS", "timings.json"]
    sums = (served_dist / "SHA256SUMS").read_text(encoding="utf-8")
    assert SERVED_MARK in sums and "doc/claim/" not in sums and "doc/query/" in sums


def test_serve_makes_every_document_the_build_writes_as_a_file(front, built_dist):
    files = made_files(built_dist)
    assert len(files) > 500
    for path in files:
        rel = path.relative_to(built_dist).as_posix()
        status, headers, body = get(f"{front}/{rel}")
        assert status == 200, rel
        assert headers.get_content_type() == FRONT[path.suffix[1:]], rel
        assert body == path.read_bytes(), rel


def test_n_triples_and_rdf_xml_are_made_from_the_made_turtle(front, built_dist):
    turtle = built_dist / "doc" / "claim" / "mir146a-targets-traf6.ttl"
    triples = [q.triple for q in ox.parse(path=turtle, format=ox.RdfFormat.TURTLE)]
    for ext in ("nt", "rdf"):
        status, headers, body = get(f"{front}/doc/claim/mir146a-targets-traf6.{ext}")
        assert (status, headers.get_content_type()) == (200, FRONT[ext])
        assert body == serialize(triples, ext)


def test_every_iri_answers_as_from_the_files(front, built_dist, resolver):
    """Every described instance IRI, nanopublication and named graph, by Accept, and the made-up ones: the
    status and Location the release with files answers (mirkg.linked_data.resolve on its tree)."""
    graph = Graph().parse(built_dist / "mirkg.nt", format="nt")
    graph.parse(built_dist / "queries" / "catalog.ttl", format="turtle")
    described = sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(IDS)})
    nanopubs = sorted(f"{IDS}np/{p.stem}" for p in (built_dist / "doc" / "np").glob("*.html"))
    graphs = sorted("https://w3id.org/mirkg/" + p.relative_to(built_dist / "doc").with_suffix("").as_posix()
                    for p in (built_dist / "doc" / "graph").rglob("*.html"))
    assert len(described) > 300 and len(nanopubs) > 40 and len(graphs) > 5
    made_up = [*made_up_iris(described), f"{IDS}np/RA{'A' * 43}", "https://w3id.org/mirkg/graph/0.1.0/nonsense",
               "https://w3id.org/mirkg/graph/0.0.1/data"]
    for iri in [*described, *nanopubs, *graphs, *made_up]:
        path = iri[len("https://w3id.org/mirkg/"):]
        for accept in (None, "text/turtle", "application/n-triples", "application/trig"):
            expected = resolver(path, accept)
            status, headers, _ = get(f"{front}/{path}", accept)
            assert status == expected.status, (iri, accept)
            if status in (303, 406):
                assert headers["Location"] == (f"/{expected.location}" if expected.location else None), (iri, accept)
                assert sorted(headers.get_all("Link")) == sorted(
                    f'</{where}>; rel="alternate"; type="{media}"' for media, where in expected.alternates)


def test_a_made_up_document_is_404(front):
    for rel in ("doc/claim/no-such-claim.ttl", "doc/np/RA" + "A" * 43 + ".trig", "doc/claim/mir146a-targets-traf6.trig",
                "doc/np/nonsense.html", "doc/graph/0.1.0/nonsense.ttl", "doc/graph/0.1.0/data.trig"):
        status, _, _ = get(f"{front}/{rel}")
        assert status == 404, rel


def test_the_nanopublication_formats_are_the_ones_named(built_dist):
    """The check above covers every format a nanopublication's IRI offers (a guard on the test)."""
    code = next((built_dist / "doc" / "np").glob("*.html")).stem
    assert {p.suffix[1:] for p in (built_dist / "doc" / "np").glob(f"{code}.*")} == set(NANOPUB_FORMATS.values())
    assert set(FORMATS.values()) <= set(FRONT)
