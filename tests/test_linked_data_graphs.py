"""Issue 19, "every IRI answers": the IRIs the release mints beyond the records' answer too.

- A nanopublication's trusty URI (https://w3id.org/mirkg/id/np/RA...; its graphs, RA...#assertion,
  are asked for without the fragment) has its documents in doc/np/: TriG that is its part of
  nanopubs.trig byte for byte, N-Quads and JSON-LD holding the same quads, each one passing the
  nanopub library's trusty URI check, and a page listing its four graphs and the claim it
  publishes. Turtle, N-Triples and RDF/XML cannot hold its graphs: 406.
- A named graph of the dataset (https://w3id.org/mirkg/graph/VERSION/...) has its documents in
  doc/graph/VERSION/: its triples as mirkg.nq holds them under its name, and a page with what
  void.ttl says of it. The description's graph answers as the dataset does; another version's
  graph and unknown names are 404.

Expected values are read here from nanopubs.trig, mirkg.nq and void.ttl with rdflib, not from
the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from test_nanopubs import nanopubs_of, verify

from mirkg.dataset import GRAPH

NS = "https://w3id.org/mirkg/"
NP = "http://www.nanopub.org/nschema#"
CLAIM = URIRef(NS + "Claim")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VERSION_PATH = str(GRAPH)[len(NS):]  # graph/<version>/


@pytest.fixture(scope="module")
def nanopubs(built_dist) -> dict[str, object]:
    """np IRI -> its four graphs, read with rdflib from the release's nanopubs.trig."""
    found = nanopubs_of((built_dist / "nanopubs.trig").read_bytes())
    assert len(found) > 40
    return found


def code(np_iri: str) -> str:
    return np_iri.rsplit("/", 1)[1]


def quads(dataset) -> set:
    """(s, p, o, graph name) of a Dataset or a ConjunctiveGraph (which give a graph, not its name)."""
    return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in dataset.quads((None, None, None, None))}


# ------------------------------------------------------------------------------------------------
# Nanopublications


def test_each_nanopublications_trig_is_its_part_of_nanopubs_trig_byte_for_byte(built_dist, nanopubs):
    whole = (built_dist / "nanopubs.trig").read_bytes()
    header = whole[:whole.index(b"\n<") + 1]  # the prefix lines, before the first graph block
    assert header.startswith(b"@prefix") and b"{" not in header
    pieces = []
    for np_iri in nanopubs:
        trig = (built_dist / "doc" / "np" / f"{code(np_iri)}.trig").read_bytes()
        assert trig.startswith(header), np_iri
        body = trig[len(header):]
        assert whole.count(body) == 1, np_iri
        pieces.append((whole.index(body), body))
    # the pieces, in the file's order, are the file: nothing left out, nothing added
    assert header + b"".join(body for _, body in sorted(pieces)) == whole
    assert sorted(p.stem for p in (built_dist / "doc" / "np").glob("*.trig")) == sorted(code(n) for n in nanopubs)


@pytest.mark.parametrize("ext, fmt", [("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_each_nanopublications_document_holds_its_quads_and_verifies(built_dist, nanopubs, ext, fmt):
    """Each document, read alone as a client reads it, holds exactly the nanopublication's quads
    (its four graphs) and passes the nanopub library's trusty URI check."""
    for np_iri, expected in nanopubs.items():
        data = (built_dist / "doc" / "np" / f"{code(np_iri)}.{ext}").read_bytes()
        served = Dataset()
        served.parse(data=data, format=fmt)
        assert quads(served) == quads(expected), (np_iri, ext)
        assert {str(g) for *_, g in quads(served)} == {f"{np_iri}#{p}" for p in ("Head", "assertion", "provenance",
                                                                                 "pubinfo")}
        alone = nanopubs_of(served.serialize(format="trig"))
        assert list(alone) == [np_iri]
        verify(alone[np_iri])


def test_a_changed_served_document_fails_the_check(built_dist, nanopubs):
    """The check the test above relies on can fail: the served TriG with one literal changed."""
    from nanopub.utils import MalformedNanopubError

    np_iri = next(iter(nanopubs))
    trig = (built_dist / "doc" / "np" / f"{code(np_iri)}.trig").read_text(encoding="utf-8")
    changed = re.sub(r'rdfs:label "([^"]+)"', r'rdfs:label "\1 (changed)"', trig, count=1)
    assert changed != trig
    with pytest.raises(MalformedNanopubError):
        verify(nanopubs_of(changed)[np_iri])


def test_a_nanopublications_page_lists_its_graphs_and_links_its_claim(built_dist, nanopubs):
    for np_iri, one in nanopubs.items():
        html = (built_dist / "doc" / "np" / f"{code(np_iri)}.html").read_text(encoding="utf-8")
        assert np_iri in html
        for part in ("Head", "assertion", "provenance", "pubinfo"):
            assert f'<section class="graph" id="{part}">' in html and f"{np_iri}#{part}</p>" in html, (np_iri, part)
        assertion = one.get_context(URIRef(f"{np_iri}#assertion"))
        claims = set(assertion.subjects(RDF_TYPE, CLAIM))
        assert len(claims) == 1, np_iri
        claim = str(next(iter(claims)))
        page = f"../../doc/claim/{claim.rsplit('/', 1)[1]}.html"
        section = html[html.index('<section id="publishes">'):html.index("</section>")]
        assert f'href="{page}"' in section, np_iri
        assert (built_dist / "doc" / "np" / page).resolve().is_file()
        for ext in ("trig", "nq", "jsonld"):
            assert f'href="{code(np_iri)}.{ext}"' in html
        assert 'href="../../nanopubs.trig"' in html


# ------------------------------------------------------------------------------------------------
# Named graphs


@pytest.fixture(scope="module")
def named_graphs(built_dist) -> dict[str, Graph]:
    """graph IRI -> its triples, read with rdflib from the release's N-Quads."""
    dataset = Dataset()
    dataset.parse(built_dist / "mirkg.nq", format="nquads")
    found = {str(g.identifier): g for g in dataset.graphs() if str(g.identifier).startswith(str(GRAPH))}
    assert len(found) >= 4
    return found


@pytest.fixture(scope="module")
def void(built_dist) -> Graph:
    return Graph().parse(built_dist / "void.ttl", format="turtle")


def test_every_named_graph_the_description_names_has_its_documents(built_dist, named_graphs, void):
    names = {str(n) for n in void.objects(None, SD.name)}
    assert names == set(named_graphs)
    for name, graph in named_graphs.items():
        base = built_dist / "doc" / name[len(NS):]
        for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
            got = Graph().parse(data=Path(f"{base}.{ext}").read_bytes(), format=fmt)
            assert len(got) == len(graph) and isomorphic(got, graph), (name, ext)


def test_a_named_graphs_page_gives_its_figures_and_its_downloads(built_dist, named_graphs, void):
    for name in named_graphs:
        node = URIRef(name)
        html = (built_dist / "doc" / f"{name[len(NS):]}.html").read_text(encoding="utf-8")
        assert f'<p class="iri">{name}</p>' in html
        triples = void.value(node, VOID.triples)
        assert isinstance(triples, Literal) and f"<td>{triples}</td>" in html, name
        assert str(void.value(node, URIRef("http://purl.org/dc/terms/title"))) in html
        root = "../" * (name[len(NS):].count("/") + 1)
        for target in ("mirkg.trig", "mirkg.nq", "void.ttl", "site/index.html"):
            assert f'href="{root}{target}"' in html, (name, target)
        local = name.rsplit("/", 1)[1]
        assert f'href="{local}.ttl"' in html and f'href="{local}.jsonld"' in html
        source = void.value(node, URIRef("http://purl.org/dc/terms/source"))
        if source is not None:
            assert f'href="{root}doc/source/{str(source).rsplit("/", 1)[1]}.html"' in html
    review = (built_dist / "doc" / VERSION_PATH / "source" / "review.html").read_text(encoding="utf-8")
    claims = {s for s in named_graphs[f"{GRAPH}source/review"].subjects(RDF_TYPE, CLAIM)}
    assert f"<h3>claim ({len(claims)})</h3>" in review
    assert 'href="../../../../doc/claim/mir146a-targets-traf6.html"' in review


# ------------------------------------------------------------------------------------------------
# What the IRIs answer (mirkg.linked_data.resolve; the server and Apache tests run the same on HTTP)


def test_a_nanopublication_iri_answers_with_a_format_that_holds_its_graphs(resolver, nanopubs):
    for np_iri in nanopubs:
        path, doc = np_iri[len(NS):], f"doc/np/{code(np_iri)}"
        for accept, ext in ((None, "html"), ("application/trig", "trig"), ("application/n-quads", "nq"),
                            ("application/ld+json", "jsonld"), ("text/html,application/xhtml+xml,*/*;q=0.8", "html"),
                            ("application/n-quads;q=0.5, application/trig", "trig"),
                            ("text/turtle, */*;q=0.1", "html")):
            answer = resolver(path, accept)
            assert (answer.status, answer.location) == (303, f"{doc}.{ext}"), (np_iri, accept)
            assert dict(answer.alternates) == {"text/html": f"{doc}.html", "application/trig": f"{doc}.trig",
                                               "application/n-quads": f"{doc}.nq",
                                               "application/ld+json": f"{doc}.jsonld"}
        # the graphs' IRIs reach the server without their fragment; with it, the same answer
        assert resolver(f"{path}#assertion", "application/trig").location == f"{doc}.trig"
        for accept in ("text/turtle", "application/n-triples", "application/rdf+xml"):
            answer = resolver(path, accept)
            assert answer.status == 406 and answer.negotiated and len(answer.alternates) == 4, (np_iri, accept)


def test_a_made_up_nanopublication_is_404(resolver, nanopubs):
    real = code(next(iter(nanopubs)))
    made = ["RA" + "A" * 43, real[:-1] + ("B" if real[-1] != "B" else "C"), real[:-1], "nonsense", "",
            f"{real}/assertion", f"{real}/"]
    for m in made:
        for accept in (None, "application/trig", "text/turtle"):
            assert resolver(f"id/np/{m}", accept).status == 404, (m, accept)


def test_a_named_graph_iri_answers_with_its_contents(resolver, named_graphs):
    for name in named_graphs:
        path = name[len(NS):]
        for accept, ext in ((None, "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
                            ("application/n-triples", "nt"), ("application/rdf+xml", "rdf")):
            answer = resolver(path, accept)
            assert (answer.status, answer.location) == (303, f"doc/{path}.{ext}"), (name, accept)
            assert answer.negotiated
    description = f"{VERSION_PATH}description"
    assert resolver(description).location == "site/index.html"
    assert resolver(description, "text/turtle").location == "doc/dataset.ttl"


def test_an_unknown_or_other_versions_graph_is_404(resolver):
    for path in (f"{VERSION_PATH}nonsense", f"{VERSION_PATH}source/no-such-source", f"{VERSION_PATH}source/",
                 f"{VERSION_PATH}source", VERSION_PATH, "graph/", "graph", "graph/0.0.1/data",
                 "graph/9.9.9/source/review", f"{VERSION_PATH}data/x"):
        for accept in (None, "text/turtle"):
            assert resolver(path, accept).status == 404, (path, accept)


def test_the_pages_work_offline_and_link_back(built_dist):
    """Every nanopublication's and named graph's page loads nothing from elsewhere, links the
    dataset page, and every relative link reaches a file of the release."""
    from test_linked_data import Page

    pages = [*(built_dist / "doc" / "np").glob("*.html"), *(built_dist / "doc" / "graph").rglob("*.html")]
    assert len(pages) > 50
    for path in pages:
        p = Page(path.read_text(encoding="utf-8"))
        assert p.loads == [], path
        depth = len(path.relative_to(built_dist).parts) - 1
        assert "../" * depth + "site/index.html" in p.hrefs, path
        for href in p.hrefs:
            if not href.startswith(("http://", "https://", "#")):
                assert (path.parent / href.split("#")[0]).resolve().is_file(), (path, href)


# ------------------------------------------------------------------------------------------------
# Splitting nanopubs.trig: signed nanopublications, and a file the splitter cannot read


def test_signed_nanopublications_are_split_and_each_document_verifies_its_signature(built_dist, build, tmp_path):
    """With `build --nanopub-key`, each nanopublication's pubinfo holds its signature: each TriG
    piece is still its part of the file and passes the signature check too."""
    from Crypto.PublicKey import RSA

    from mirkg.nanopub_pages import split_trig
    from mirkg.nanopubs import SigningKey, nanopub_claims, nanopublications
    from mirkg.named_graphs import split_graphs

    key = tmp_path / "np.pem"
    key.write_bytes(RSA.generate(2048).export_key())
    split = split_graphs((built_dist / "ontology.nt").read_bytes(), [(built_dist / "mirkg.nt").read_bytes()],
                         build.curation)
    trig = nanopublications(split, nanopub_claims(build.curation), "2026-11-26T00:00:00Z",
                            "https://w3id.org/mirkg/dataset/0.1.0", SigningKey(key))
    pieces = list(split_trig(trig))
    assert len(pieces) == len(build.curation.statements)
    for piece in pieces:
        assert b"hasSignature" in piece.trig
        alone = nanopubs_of(piece.trig)
        assert list(alone) == [piece.iri]
        verify(alone[piece.iri], signed=True)


def test_a_nanopubs_file_the_splitter_cannot_read_stops_the_build_saying_why():
    from mirkg.errors import BuildError
    from mirkg.nanopub_pages import split_trig

    a, b = "https://w3id.org/mirkg/id/np/RA" + "a" * 43, "https://w3id.org/mirkg/id/np/RA" + "b" * 43
    header = b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"

    def block(graph: str) -> bytes:
        return f'<{graph}> {{\n\t<{graph.split("#")[0]}> rdfs:label "x" .\n}}\n'.encode()

    assert [p.iri for p in split_trig(header + block(f"{a}#Head") + block(f"{b}#Head"))] == [a, b]
    with pytest.raises(BuildError, match=f"the graphs of {a} are not together"):
        list(split_trig(header + block(f"{a}#Head") + block(f"{b}#Head") + block(f"{a}#assertion")))
    with pytest.raises(BuildError, match="a line outside any graph block"):
        list(split_trig(header + b'<http://x/s> rdfs:label "y" .\n' + block(f"{a}#Head")))
